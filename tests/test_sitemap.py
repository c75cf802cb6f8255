"""sitemap.xml and the hreflang links in every page head, on a real build of the fixture tree."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from lxml import etree

from conftest import read

ORIGIN = "https://japancredit.go.jp"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def url_of(output: Path, page: Path) -> str:
    folder = page.parent.relative_to(output).as_posix()
    return "/" if folder == "." else f"/{folder}/"


def sitemap(output: Path) -> dict[str, dict[str, str]]:
    root = etree.fromstring((output / "sitemap.xml").read_bytes())
    assert root.tag == f"{{{NS['s']}}}urlset"
    entries = {}
    for entry in root.xpath("s:url", namespaces=NS):
        loc = entry.xpath("string(s:loc)", namespaces=NS)
        assert loc.startswith(ORIGIN + "/") and loc not in entries
        entries[loc[len(ORIGIN):]] = {link.get("hreflang"): link.get("href")[len(ORIGIN):]
                                      for link in entry.xpath("xhtml:link[@rel='alternate']", namespaces=NS)}
    return entries


def test_sitemap_lists_every_public_page_in_both_languages_with_alternates(built_site):
    entries = sitemap(built_site)
    pages = {url_of(built_site, page) for page in built_site.rglob("index.html")}
    assert set(entries) == pages and len(pages) > 60
    for url, alternates in entries.items():
        japanese = url.removeprefix("/en")
        assert alternates == {"ja": japanese, "en": "/en" + japanese, "x-default": japanese}
    assert "/offers/kochi-forest/" in entries and "/en/offers/kochi-forest/" in entries


def test_sitemap_holds_no_internal_page(built_site, internal_site):
    text = read(built_site, "sitemap.xml")
    for internal in ("/secret/", "/international/cop/", "/offers/secret-offer/", "translation-status"):
        assert internal not in text
    assert not (internal_site / "sitemap.xml").exists()  # the preview is never indexed


def test_robots_txt_points_at_the_sitemap_and_turns_crawlers_from_the_preview(built_site, internal_site):
    lines = read(built_site, "robots.txt").splitlines()
    assert "Sitemap: https://japancredit.go.jp/sitemap.xml" in lines and "Disallow: /" not in lines
    assert read(internal_site, "robots.txt").splitlines() == ["User-agent: *", "Disallow: /"]


def test_every_page_head_links_both_languages_to_pages_that_exist(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        head = lxml.html.fromstring(page.read_text(encoding="utf-8")).find("head")
        alternates = {link.get("hreflang"): link.get("href") for link in head.xpath("link[@rel='alternate'][@hreflang]")}
        assert set(alternates) == {"ja", "en", "x-default"}, page
        assert alternates["x-default"] == alternates["ja"]
        for href in (alternates["ja"], alternates["en"]):
            target = built_site / href.lstrip("/")
            assert (target / "index.html" if href.endswith("/") else target).is_file(), (page, href)
        own = "/" + page.relative_to(built_site).as_posix().removesuffix("index.html")
        assert own in (alternates["ja"], alternates["en"]), page
