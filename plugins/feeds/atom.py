"""Atom feeds (RFC 4287) of the news and of methodology revisions, one per language.

Feed readers fetch a feed on its own, so every URL in it is absolute on the site's public
address (SITEURL, else SITE_ORIGIN), the links inside summaries included, and `xml:base` says the
same for whatever a reader still resolves. The feed names its author: the scheme's secretariat,
as the open data does. Nothing depends on the clock: the same content and build date make the
same bytes."""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

import lxml.html
from feedgenerator import Atom1Feed

from model.text import render_markdown
from opendata.tables import PUBLISHER
from site_pages.routes import url_for
from site_pages.theme import pages_in, pick

TOKYO = ZoneInfo("Asia/Tokyo")
FEED_SIZE = 20
ID_AUTHORITY = "japancredit.go.jp,2026"  # atom:id must be absolute and never change: tag URIs


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), TOKYO)


class SiteFeed(Atom1Feed):
    """feedgenerator's Atom feed with `xml:base` on the root, `xml:lang` on an entry in another
    language than the feed's (an English feed's entry not yet translated), and, for a feed with
    no entries, the build date as its `updated` (feedgenerator would take the clock's time)."""

    def __init__(self, *args, base: str, empty_updated: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base
        self.empty_updated = empty_updated

    def root_attributes(self):
        return {**super().root_attributes(), "xml:base": self.base}

    def item_attributes(self, item):
        return {"xml:lang": item["lang"]} if item.get("lang") else {}

    def latest_post_date(self):
        return super().latest_post_date() if self.items else self.empty_updated


def _feed(title: str, site_url: str, page: str, feed_path: str, lang: str, today: dt.date) -> SiteFeed:
    return SiteFeed(title=title, link=site_url + url_for(page, lang), description="", language=lang,
                    feed_url=site_url + url_for(feed_path, lang), feed_guid=tag(url_for(feed_path, lang)),
                    author_name=PUBLISHER[lang], base=site_url + "/", empty_updated=_moment(today))


def tag(path: str) -> str:
    return f"tag:{ID_AUTHORITY}:{path}"


def absolute_links(fragment: str, page_url: str) -> str:
    """HTML `fragment` (as shown on `page_url`) with every link and image resolved against that
    page: a reader shows a summary away from the site, where `/offers/` leads nowhere."""
    if "<" not in fragment:
        return fragment
    wrapper = lxml.html.fragment_fromstring(fragment, create_parent="div")
    wrapper.make_links_absolute(page_url, resolve_base_href=False, handle_failures="ignore")
    return html.escape(wrapper.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in wrapper)


def news_feed(site, lang: str, title: str, site_url: str, today: dt.date) -> bytes:
    feed = _feed(title, site_url, "news/", "news/feed.atom", lang, today)
    items = [item for item in site.all("news") if not item.hidden][:FEED_SIZE]
    for item in items:
        headline, untranslated = pick(item, lang, ("title",))
        body, _ = pick(item, lang, ("body",), source_key="body")
        link = site_url + url_for(item.url_path, lang)
        feed.add_item(title=headline, link=link, unique_id=tag(url_for(item.url_path, lang)),
                      description=absolute_links(pages_in(render_markdown(body or "", 2), lang), link),
                      pubdate=_moment(item.date), updateddate=_moment(item.date), lang="ja" if untranslated else None)
    return feed.writeString("utf-8").encode("utf-8")


def methodology_feed(site, lang: str, title: str, site_url: str, entry_title, today: dt.date) -> bytes:
    """One entry per revision (and per abolition), newest first.

    `entry_title(methodology, version_or_None)` words an entry in `lang`."""
    events = []
    for m in site.all("methodologies"):
        for index, version in enumerate(m.versions):
            notes, _ = pick(m, lang, ("versions", index, "notes"))
            events.append((version["revised_on"], m, version, notes or ""))
        if m.status == "abolished" and m.get("abolished_on"):
            events.append((m.abolished_on, m, None, ""))
    events.sort(key=lambda e: (e[0], e[1].id), reverse=True)
    feed = _feed(title, site_url, "methodologies/", "methodologies/feed.atom", lang, today)
    for day, m, version, notes in events[:FEED_SIZE]:
        anchor = f"#v{version['version']}" if version else "#abolished"
        link = site_url + url_for(m.url_path, lang) + anchor
        # the notes are plain text (the page escapes them); the summary is HTML
        feed.add_item(title=entry_title(m, version), link=link, unique_id=tag(url_for(m.url_path, lang) + anchor),
                      description=html.escape(str(notes), quote=False), pubdate=_moment(day), updateddate=_moment(day))
    return feed.writeString("utf-8").encode("utf-8")
