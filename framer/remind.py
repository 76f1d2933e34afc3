"""Calendar reminders for a campaign (RFC 5545), written with the icalendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from .campaign import Campaign

REMIND_AT = time(8, 0)  # the start of a working morning, in the campaign's time zone


def reminders(title: str, campaign: Campaign, now: datetime | None = None) -> bytes:
    """An .ics calendar with two events: put the framed picture on (first day), switch back (day after)."""
    zone = ZoneInfo(campaign.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//framer//campaign reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    switch_back = campaign.end + timedelta(days=1)
    for day, summary, description in (
        (
            campaign.start,
            f"Put on the framed profile picture: {title}",
            f"The campaign runs {campaign.start} to {campaign.end}. Upload your framed picture today.",
        ),
        (
            switch_back,
            f"Switch back to your usual profile picture: {title}",
            f"The campaign ended on {campaign.end}. You can put your usual picture back.",
        ),
    ):
        calendar.add_component(_event(day, zone, summary, description, campaign, now))
    calendar.add_missing_timezones()  # a VTIMEZONE for the TZID, as RFC 5545 asks
    return calendar.to_ical()


def _event(
    day: date, zone: ZoneInfo, summary: str, description: str, campaign: Campaign, now: datetime | None
) -> Event:
    start = datetime.combine(day, REMIND_AT, tzinfo=zone)
    event = Event()
    event.add("uid", f"framer-{campaign.start}-{campaign.end}-{day}@framer.invalid")
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
