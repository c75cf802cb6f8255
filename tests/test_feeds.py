"""The feeds as a reader's software gets them, away from the site: Atom (RFC 4287) with an
author and only absolute links on the site's own host, ids that never change, RFC 3339 dates;
iCalendar (RFC 5545) with each meeting's page as its URL, CRLF lines folded at 75 octets."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import icalendar
import lxml.html
import pytest
from lxml import etree

from conftest import FIXTURE, run_build

ATOM = "{http://www.w3.org/2005/Atom}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ORIGIN = "https://japancredit.go.jp"
ID_PREFIX = "tag:japancredit.go.jp,2026:"
FEEDS = ["news/feed.atom", "methodologies/feed.atom", "en/news/feed.atom", "en/methodologies/feed.atom"]
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def fixture_site():
    from model import load_site
    from model.publication import publishable
    return publishable(load_site(FIXTURE), internal_build=False)


def one(element, name: str):
    found = element.findall(ATOM + name)
    assert len(found) == 1, (name, len(found))
    return found[0]


def summary_urls(entry) -> list[str]:
    """Every href and src in an entry's summary (escaped HTML)."""
    summary = entry.find(ATOM + "summary")
    if summary is None or not (summary.text or "").strip():
        return []
    tree = lxml.html.fragment_fromstring(summary.text, create_parent="div")
    return [*tree.xpath(".//@href"), *tree.xpath(".//@src")]


def check_feed(data: bytes, path: str, lang: str) -> etree._Element:
    """Assert what RFC 4287 and readers need of a feed published at `path`; returns its root."""
    feed = etree.fromstring(data)
    assert feed.tag == ATOM + "feed"
    assert feed.get(XML_BASE) == ORIGIN + "/"
    author = one(feed, "author")  # required on the feed when an entry has none
    assert one(author, "name").text == {"ja": "J-クレジット制度事務局", "en": "J-Credit Scheme Secretariat"}[lang]
    assert one(feed, "title").text
    assert one(feed, "id").text == ID_PREFIX + "/" + path
    links = {link.get("rel"): link.get("href") for link in feed.findall(ATOM + "link")}
    assert links == {"self": f"{ORIGIN}/{path}", "alternate": f"{ORIGIN}/{path.rsplit('/', 1)[0]}/"}
    dates = [one(feed, "updated").text]
    ids = []
    for entry in feed.findall(ATOM + "entry"):
        assert one(entry, "title").text
        assert entry.find(ATOM + "author") is not None or feed.find(ATOM + "author") is not None
        link = one(entry, "link")
        assert link.get("rel") == "alternate"
        href = link.get("href")
        parts = urlsplit(href)
        # the id is the page's path on the site, never its host: a move keeps every entry read
        assert one(entry, "id").text == ID_PREFIX + parts.path + (f"#{parts.fragment}" if parts.fragment else "")
        ids.append(one(entry, "id").text)
        dates += [one(entry, "updated").text, one(entry, "published").text]
        assert href.startswith(ORIGIN + "/"), (path, href)  # entries link to the site itself
        for url in summary_urls(entry):  # what editors linked: the site, other sites, addresses
            parts = urlsplit(url)
            assert parts.scheme == "mailto" or parts.scheme in ("https", "http") and parts.netloc, (path, url)
    assert len(set(ids)) == len(ids)
    for date in dates:
        assert RFC3339.fullmatch(date), (path, date)
        assert dt.datetime.fromisoformat(date.replace("Z", "+00:00")).utcoffset() is not None
    updated = [e.findtext(ATOM + "updated") for e in feed.findall(ATOM + "entry")]
    if updated:
        assert dates[0] == max(updated, key=dt.datetime.fromisoformat)
    return feed


@pytest.mark.parametrize("path", FEEDS)
def test_feeds_are_valid_atom_with_absolute_links_on_the_site(built_site, path):
    feed = check_feed((built_site / path).read_bytes(), path, "en" if path.startswith("en/") else "ja")
    entries = feed.findall(ATOM + "entry")
    assert entries
    urls = [*feed.xpath("//@href"), *(url for entry in entries for url in summary_urls(entry))]
    assert all(url.startswith(ORIGIN + "/") for url in urls), urls


def test_feed_ids_are_the_same_on_every_host():
    """An id names an entry for good: a build for another address (SITEURL) keeps them all."""
    from feeds.atom import methodology_feed, news_feed
    site = fixture_site()
    day = dt.date(2026, 11, 23)
    for make in (lambda url: news_feed(site, "en", "News", url, day),
                 lambda url: methodology_feed(site, "en", "Revisions", url, lambda m, v: m.id, day)):
        ids = [etree.fromstring(make(url)).xpath("//*[local-name()='id']/text()")
               for url in (ORIGIN, "https://staging.example")]
        assert ids[0] == ids[1] and len(ids[0]) > 1
        assert make(ORIGIN) == make(ORIGIN)  # nothing from the clock


def test_an_empty_feed_is_dated_by_the_build_not_the_clock():
    from feeds.atom import news_feed

    class NoNews:
        def all(self, name):
            return []

    data = news_feed(NoNews(), "ja", "お知らせ", ORIGIN, dt.date(2026, 11, 23))
    feed = check_feed(data, "news/feed.atom", "ja")
    assert feed.findtext(ATOM + "updated") == "2026-11-23T00:00:00+09:00"


def test_links_in_summaries_are_absolute_and_plain_text_notes_stay_text(tmp_path, content_copy):
    (content_copy / "ja/news/2026-11-20-links.md").write_text(
        "Title: リンクのあるお知らせ\nDate: 2026-11-20\n\n"
        "[売り出し一覧](/offers/)と[この記事の節](#details)、[英語版](/en/about/)、"
        "[問い合わせ](mailto:info@japancredit.go.jp)をご覧ください。\n\n"
        "![ロゴ](/theme/images/logo.svg)\n\n## Details\n\n詳細 & 注意。\n", encoding="utf-8")
    methodology = content_copy / "ja/methodologies/FO-001.yaml"
    text = methodology.read_text(encoding="utf-8")
    notes = "主伐後の再造林の取扱い及び吸収量の算定方法を見直し。"
    assert notes in text
    methodology.write_text(text.replace(notes, "A < B & C の取扱いを見直し。"), encoding="utf-8")
    output = tmp_path / "site"
    result = run_build(content=content_copy, output=output)
    assert result.returncode == 0, result.stderr
    feed = check_feed((output / "news/feed.atom").read_bytes(), "news/feed.atom", "ja")
    entry = next(e for e in feed.findall(ATOM + "entry") if e.findtext(ATOM + "title") == "リンクのあるお知らせ")
    page = f"{ORIGIN}/news/2026-11-20-links/"
    assert entry.find(ATOM + "link").get("href") == page
    assert summary_urls(entry) == [f"{ORIGIN}/offers/", f"{page}#details", f"{ORIGIN}/en/about/",
                                   "mailto:info@japancredit.go.jp", f"{ORIGIN}/theme/images/logo.svg"]
    assert "詳細 &amp; 注意。" in entry.findtext(ATOM + "summary")  # still escaped HTML
    revisions = check_feed((output / "methodologies/feed.atom").read_bytes(), "methodologies/feed.atom", "ja")
    summaries = [e.findtext(ATOM + "summary") for e in revisions.findall(ATOM + "entry")]
    assert "A &lt; B &amp; C の取扱いを見直し。" in summaries  # text, shown as written


@pytest.mark.parametrize("lang", ["", "en/"])
def test_calendar_events_link_their_meeting_pages_in_valid_icalendar(built_site, lang):
    data = (built_site / f"{lang}meetings/meetings.ics").read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line  # folded (RFC 5545 3.1), continuation lines start with a space
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert events
    for event in events:
        url = str(event["url"])
        assert url == f"{ORIGIN}/{lang}meetings/{str(event['uid']).split('@')[0]}/"
        assert (built_site / urlsplit(url).path.lstrip("/") / "index.html").is_file()


def test_a_long_meeting_url_is_folded_and_read_back_whole():
    from feeds.ical import meetings_calendar
    origin = "https://" + "long-host-name." * 6 + "example"
    data = meetings_calendar(fixture_site(), "ja", dt.date(2026, 11, 23), "会議", lambda m: m.id, "オンライン", origin)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["url"]) == origin + "/meetings/steering-041/"


def test_an_untranslated_entry_in_an_english_feed_says_it_is_japanese(built_site):
    """Readers and screen readers take the feed's language for every entry; one shown in
    Japanese (no English yet) says so, a translated one inherits English."""
    feed = etree.fromstring((built_site / "en/news/feed.atom").read_bytes())
    assert feed.get(XML_LANG) == "en"
    languages = {entry.findtext(ATOM + "title"): entry.get(XML_LANG) for entry in feed.findall(ATOM + "entry")}
    assert languages["Minutes of the 40th Steering Committee published"] is None
    assert languages["方法論の説明会を開催します"] == "ja"
    japanese = etree.fromstring((built_site / "news/feed.atom").read_bytes())
    assert not [e for e in japanese.findall(ATOM + "entry") if e.get(XML_LANG)]


def test_a_calendar_with_no_meeting_ahead_is_still_valid_icalendar():
    """RFC 5545 wants one component at least: a calendar subscribed to stays readable."""
    from feeds.ical import meetings_calendar
    data = meetings_calendar(fixture_site(), "ja", dt.date(2099, 1, 1), "会議", lambda m: m.id, "オンライン", ORIGIN)
    calendar = icalendar.Calendar.from_ical(data)
    assert not calendar.walk("VEVENT")
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert b"BEGIN:VTIMEZONE" in data


def test_an_english_calendar_says_online_for_a_japanese_venue_that_says_only_that():
    """As the English meeting page does: "Online", not 「オンライン開催 / Online」."""
    from feeds.ical import meetings_calendar
    site = fixture_site()
    meeting = site.find("meetings", "steering-041")
    meeting.data["venue"] = "オンライン開催"
    locations = {lang: str(icalendar.Calendar.from_ical(meetings_calendar(
        site, lang, dt.date(2026, 11, 23), "meeting", lambda m: m.id, label, ORIGIN)).walk("VEVENT")[0]["location"])
        for lang, label in (("ja", "オンライン"), ("en", "Online"))}
    assert locations == {"ja": "オンライン開催", "en": "Online"}
