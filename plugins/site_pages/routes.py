"""Which pages the site has: one Route per URL path (without the language prefix).

URL patterns live here and in `url_for` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model import Site

LANG_PREFIX = {"ja": "", "en": "en/"}

# collection -> (list template, detail template); list URL is /<folder>/, detail /<folder>/<id>/
TEMPLATES = {
    "offers": ("offers", "offer"),
    "meetings": ("meetings", "meeting"),
    "methodologies": ("methodologies", "methodology"),
    "regulations": ("regulations", None),
    "faqs": ("faqs", None),
    "providers": ("providers", None),
    "projects": ("projects", "project"),
    "regional": ("regional", None),
    "ndc": ("ndc", "ndc_party"),
    "cop": ("cop", "cop_report"),
    "reports": ("reports", "report"),
    "news": ("news_index", "news_item"),
}


@dataclass
class Route:
    path: str  # "offers/x/" ; "" for the home page
    template: str
    context: dict = field(default_factory=dict)
    record: object = None


def url_for(path: str, lang: str) -> str:
    """The site-absolute URL of `path` in `lang`: /offers/x/ or /en/offers/x/."""
    return "/" + LANG_PREFIX[lang] + path


def absolute_origin(settings) -> str:
    """The start of every URL in a format read away from the site (a feed, the data catalogue):
    SITEURL when the build has one (publishconf.py), else SITE_ORIGIN, the public address;
    without a final "/"."""
    return (settings.get("SITEURL") or settings["SITE_ORIGIN"]).rstrip("/")


def routes(site: Site) -> list[Route]:
    found = [Route("", "home"), Route("international/", "international")]
    for name, (list_template, detail_template) in TEMPLATES.items():
        records = site.all(name)
        if not records and not _collection(name).empty_list:
            continue  # the public build has no daily reports, so no empty list either
        folder = _collection(name).folder
        found.append(Route(f"{folder}/", list_template, {"records": records, "collection": name}))
        if detail_template:
            for record in records:
                found.append(Route(record.url_path, detail_template, {"record": record}, record))
    for page in site.all("pages"):
        found.append(Route(page.url_path, "page", {"record": page}, page))
    return found


def _collection(name: str):
    from model import COLLECTIONS
    return COLLECTIONS[name]
