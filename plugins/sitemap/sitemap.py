"""The sitemap of a finished build (sitemaps.org protocol, with Google's hreflang alternates)."""

from __future__ import annotations

import logging

from lxml import etree

from site_pages.routes import LANG_PREFIX, url_for

logger = logging.getLogger(__name__)

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000  # the protocol's limit for one file


def public_pages(output) -> list[tuple[str, dict]]:
    """(URL path, {hreflang: href}) of every page this build renders, from the build's record
    of its pages (the same `alternates` every page's head gets), in URL order."""
    pages = []
    for relative in sorted(output.pages):
        if not relative.endswith("index.html") or relative.startswith(LANG_PREFIX["en"]):
            continue
        path = relative[: -len("index.html")]
        alternates = {lang: url_for(path, lang) for lang in ("ja", "en")}
        alternates["x-default"] = alternates["ja"]
        pages += [(alternates[lang], alternates) for lang in ("ja", "en")]
    return sorted(pages)


def sitemap_xml(pages, origin: str) -> bytes:
    origin = origin.rstrip("/")
    urlset = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP, "xhtml": XHTML})
    for url, alternates in pages:
        entry = etree.SubElement(urlset, f"{{{SITEMAP}}}url")
        etree.SubElement(entry, f"{{{SITEMAP}}}loc").text = origin + url
        for hreflang, href in alternates.items():
            etree.SubElement(entry, f"{{{XHTML}}}link", rel="alternate", hreflang=hreflang, href=origin + href)
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)
