"""The sitemap of a finished build (sitemaps.org protocol, with Google's hreflang alternates)."""

from __future__ import annotations

import logging
from pathlib import Path

import lxml.html
from lxml import etree

from site_pages.pages import write_file

logger = logging.getLogger(__name__)

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000  # the protocol's limit for one file


def write_sitemap(pelican) -> None:
    settings = pelican.settings
    if settings["INTERNAL_BUILD"]:
        return  # the preview is never indexed
    output = Path(settings["OUTPUT_PATH"])
    pages = list(public_pages(output))
    if len(pages) > MAX_URLS:
        raise ValueError(f"sitemap: {len(pages)} URLs is more than one file may hold ({MAX_URLS})")
    write_file(output, "sitemap.xml", sitemap_xml(pages, settings["SITE_ORIGIN"]))


def public_pages(output: Path):
    """(URL path, {hreflang: href}) of every page: each `index.html` not marked noindex."""
    for path in sorted(output.rglob("index.html")):
        text = path.read_text(encoding="utf-8")
        head = lxml.html.fromstring(text[: text.find("</head>") + len("</head>")])
        if any("noindex" in (meta.get("content") or "") for meta in head.xpath("//meta[@name='robots']")):
            continue
        alternates = {link.get("hreflang"): link.get("href")
                      for link in head.xpath("//link[@rel='alternate'][@hreflang]")}
        folder = path.parent.relative_to(output).as_posix()
        yield ("/" if folder == "." else f"/{folder}/"), alternates


def sitemap_xml(pages, origin: str) -> bytes:
    origin = origin.rstrip("/")
    urlset = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP, "xhtml": XHTML})
    for url, alternates in pages:
        entry = etree.SubElement(urlset, f"{{{SITEMAP}}}url")
        etree.SubElement(entry, f"{{{SITEMAP}}}loc").text = origin + url
        for hreflang, href in alternates.items():
            etree.SubElement(entry, f"{{{XHTML}}}link", rel="alternate", hreflang=hreflang, href=origin + href)
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)
