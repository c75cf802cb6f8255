"""The iCalendar file of upcoming committee meetings (RFC 5545), one per language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar

from site_pages.routes import url_for
from site_pages.theme import online_only, pick

TOKYO = ZoneInfo("Asia/Tokyo")
UID_DOMAIN = "japancredit.go.jp"  # the same on every host, so calendars update events in place


def upcoming(site, today: dt.date) -> list:
    return sorted((m for m in site.all("meetings") if m.date >= today), key=lambda m: (m.date, m.id))


def meetings_calendar(site, lang: str, today: dt.date, name: str, meeting_name, online_label: str,
                      site_url: str) -> bytes:
    """`meeting_name(meeting)` words an event's summary in `lang`; `site_url` is the public
    address (scheme and host) each event's URL, the meeting's page, starts with."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//J-Credit Scheme Secretariat//Committee meetings//" + lang.upper())
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    stamp = dt.datetime.combine(today, dt.time(), TOKYO)  # the build date: reproducible files
    for meeting in upcoming(site, today):
        event = icalendar.Event()
        event.add("uid", f"{meeting.id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("summary", meeting_name(meeting))
        start, end = _times(meeting)
        event.add("dtstart", start)
        event.add("dtend", end)
        venue, untranslated = pick(meeting, lang, ("venue",))
        where = [venue] if venue and not (untranslated and online_only(venue)) else []
        if meeting.get("online") and online_label.lower() not in (venue or "").lower():
            where.append(online_label)
        if where:
            event.add("location", " / ".join(where))
        agenda, _ = pick(meeting, lang, ("agenda",))
        event.add("description", "\n".join(f"{i}. {item}" for i, item in enumerate(agenda or [], 1)))
        event.add("url", site_url + url_for(meeting.url_path, lang))  # RFC 5545: an absolute URI
        calendar.add_component(event)
    if calendar.walk("VEVENT"):
        calendar.add_missing_timezones()
    else:  # RFC 5545 requires one component at least: with no meeting ahead, the time zone
        calendar.add_component(icalendar.Timezone.from_tzid("Asia/Tokyo"))
    return calendar.to_ical()


def _times(meeting):
    """A timed event when the meeting's hours are known, else an all-day event."""
    hours = meeting.get("time")
    if not hours:
        return meeting.date, meeting.date + dt.timedelta(days=1)
    start_text, _, end_text = hours.partition("-")
    start = dt.datetime.combine(meeting.date, dt.time.fromisoformat(start_text), TOKYO)
    end = (dt.datetime.combine(meeting.date, dt.time.fromisoformat(end_text), TOKYO) if end_text
           else start + dt.timedelta(hours=2))
    return start, end
