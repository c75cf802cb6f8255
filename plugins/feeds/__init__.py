"""Feeds: Atom for the news and for methodology revisions, iCalendar for upcoming committee
meetings; each in Japanese at /<folder>/ and English at /en/<folder>/.

A feed is read away from the site, so its URLs are absolute: on SITEURL when the build has one
(publishconf.py), else on SITE_ORIGIN, the public address."""

import datetime as dt
import functools

from pelican import signals
from pelican.generators import Generator

from i18n.catalogs import ordinal
from model import VOCABULARIES
from site_pages.pages import LANGUAGES, write_file
from site_pages.routes import LANG_PREFIX, absolute_origin
from site_pages.sections import N_, SECTIONS
from site_pages.theme import pick

from .atom import methodology_feed, news_feed
from .ical import meetings_calendar

SITE_NAME = N_("J-クレジット制度")
MEETING_NAME = N_("第%(number)s回%(committee)s")
REVISION = N_("%(id)s %(title)s 第%(version)s版")
ABOLITION = N_("%(id)s %(title)s 廃止")
ONLINE = N_("オンライン")
REVISIONS = N_("方法論の改定")
CALENDAR = N_("委員会の開催予定")


class FeedGenerator(Generator):
    def generate_output(self, writer):
        for lang in LANGUAGES:
            self.write_feeds(lang)

    def write_feeds(self, lang: str) -> None:
        site = self.context["jcredit_site"]
        today = dt.date.fromisoformat(self.settings["BUILD_DATE"])
        site_url = absolute_origin(self.settings)
        _ = functools.partial(self.env.globals["translate"], lang)
        prefix = LANG_PREFIX[lang]
        name = _(SITE_NAME)

        def meeting_name(meeting):
            committee = VOCABULARIES.label("committees", meeting.committee, lang)
            return _(MEETING_NAME) % {"number": meeting.number, "ordinal": ordinal(meeting.number), "committee": committee}

        def revision(methodology, version):
            title, _fallback = pick(methodology, lang, ("title",))
            if version is None:
                return _(ABOLITION) % {"id": methodology.id, "title": title}
            return _(REVISION) % {"id": methodology.id, "title": title, "version": version["version"]}

        write_file(self, prefix + "news/feed.atom",
                   news_feed(site, lang, f"{name}: {_(SECTIONS['news'])}", site_url, today))
        write_file(self, prefix + "methodologies/feed.atom",
                   methodology_feed(site, lang, f"{name}: {_(REVISIONS)}", site_url, revision, today))
        write_file(self, prefix + "meetings/meetings.ics",
                   meetings_calendar(site, lang, today, f"{name}: {_(CALENDAR)}", meeting_name, _(ONLINE), site_url))


def get_generators(pelican):
    return FeedGenerator


def register():
    signals.get_generators.connect(get_generators)
