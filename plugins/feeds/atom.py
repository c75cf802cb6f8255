"""Atom feeds of the news and of methodology revisions, one per language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from feedgenerator import Atom1Feed

from model.text import render_markdown
from site_pages.routes import url_for
from site_pages.theme import pick

TOKYO = ZoneInfo("Asia/Tokyo")
FEED_SIZE = 20
ID_AUTHORITY = "japancredit.go.jp,2026"  # atom:id must be absolute and never change: tag URIs


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), TOKYO)


def _feed(title: str, site_url: str, page: str, feed_path: str, lang: str) -> Atom1Feed:
    return Atom1Feed(title=title, link=site_url + url_for(page, lang), description="", language=lang,
                     feed_url=site_url + url_for(feed_path, lang), feed_guid=tag(url_for(feed_path, lang)))


def tag(path: str) -> str:
    return f"tag:{ID_AUTHORITY}:{path}"


def news_feed(site, lang: str, title: str, site_url: str) -> bytes:
    feed = _feed(title, site_url, "news/", "news/feed.atom", lang)
    items = [item for item in site.all("news") if not item.hidden][:FEED_SIZE]
    for item in items:
        headline, _ = pick(item, lang, ("title",))
        body, _ = pick(item, lang, ("body",), source_key="body")
        link = site_url + url_for(item.url_path, lang)
        feed.add_item(title=headline, link=link, unique_id=tag(url_for(item.url_path, lang)), description=render_markdown(body or "", 2),
                      pubdate=_moment(item.date), updateddate=_moment(item.date))
    return feed.writeString("utf-8").encode("utf-8")


def methodology_feed(site, lang: str, title: str, site_url: str, entry_title) -> bytes:
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
    feed = _feed(title, site_url, "methodologies/", "methodologies/feed.atom", lang)
    for day, m, version, notes in events[:FEED_SIZE]:
        anchor = f"#v{version['version']}" if version else "#abolished"
        link = site_url + url_for(m.url_path, lang) + anchor
        feed.add_item(title=entry_title(m, version), link=link, unique_id=tag(url_for(m.url_path, lang) + anchor), description=notes,
                      pubdate=_moment(day), updateddate=_moment(day))
    return feed.writeString("utf-8").encode("utf-8")
