"""Calendar reminders for a campaign (RFC 5545), written with the icalendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from ..i18n import _, long_day
from .campaign import Campaign

REMIND_AT = time(8, 0)  # the start of a working morning, in the campaign's time zone

PRODID = "-//framer//campaign reminders//EN"


def reminders(title: str, campaign: Campaign, now: datetime | None = None) -> bytes:
    """An .ics calendar with two events: put the framed picture on (first day), switch back (day after)."""
    zone = ZoneInfo(campaign.timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    switch_back = campaign.end + timedelta(days=1)
    start, end = long_day(campaign.start), long_day(campaign.end)  # a calendar has room for words
    for when, summary, description in (
        (
            campaign.start,
            _("Put on the framed profile picture: {title}").format(title=title),
            _("The campaign runs {start} to {end}. Upload your framed picture today.").format(
                start=start, end=end
            ),
        ),
        (
            switch_back,
            _("Switch back to your usual profile picture: {title}").format(title=title),
            _("The campaign ended on {end}. You can put your usual picture back.").format(end=end),
        ),
    ):
        calendar.add_component(_event(when, zone, summary, description, campaign, now))
    calendar.add_missing_timezones()  # a VTIMEZONE for the TZID, as RFC 5545 asks
    return calendar.to_ical()


def _event(
    when: date, zone: ZoneInfo, summary: str, description: str, campaign: Campaign, now: datetime | None
) -> Event:
    start = datetime.combine(when, REMIND_AT, tzinfo=zone)
    event = Event()
    event.add("uid", f"framer-{campaign.start}-{campaign.end}-{when}@framer.invalid")
    event.add("dtstamp", now or datetime.now(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=15))
    event.add("summary", summary)
    event.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event


def looks_like_reminders(head: bytes) -> bool:
    """Whether a file that starts with `head` is a calendar framer wrote (a new one replaces it)."""
    return b"PRODID:" + PRODID.encode() in head
