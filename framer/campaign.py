"""The campaign window a frame belongs to, judged by the date in the campaign's own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo


class Phase(Enum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


@dataclass(frozen=True)
class Campaign:
    """A campaign from `start` to `end`, both days included, in time zone `timezone` (an IANA name)."""

    start: date
    end: date
    timezone: str

    def as_record(self) -> dict[str, str]:
        """The campaign as the report writes it."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "timezone": self.timezone}

    def today(self, now: datetime | None = None) -> date:
        """The date it is now where the campaign runs."""
        return (now or datetime.now(tz=ZoneInfo("UTC"))).astimezone(ZoneInfo(self.timezone)).date()

    def status(self, on: date) -> CampaignStatus:
        """Where `on` stands relative to the campaign."""
        if on < self.start:
            return CampaignStatus(self, on, Phase.BEFORE)
        if on > self.end:
            return CampaignStatus(self, on, Phase.AFTER)
        return CampaignStatus(self, on, Phase.DURING)


@dataclass(frozen=True)
class CampaignStatus:
    campaign: Campaign
    on: date
    phase: Phase

    @property
    def days_to_start(self) -> int:
        return (self.campaign.start - self.on).days

    @property
    def day_number(self) -> int:
        """1 on the first day of the campaign."""
        return (self.on - self.campaign.start).days + 1

    @property
    def length(self) -> int:
        return (self.campaign.end - self.campaign.start).days + 1

    @property
    def switch_back(self) -> date:
        """The first day after the campaign: when people put their usual picture back."""
        return self.campaign.end + timedelta(days=1)

    def message(self, frame_name: str) -> str:
        """One or two plain sentences for the person running framer."""
        c = self.campaign
        span = f"{c.start:%Y-%m-%d} to {c.end:%Y-%m-%d} ({c.timezone})"
        if self.phase is Phase.BEFORE:
            days = "tomorrow" if self.days_to_start == 1 else f"in {self.days_to_start} days"
            return (
                f"The {frame_name} campaign runs {span}; it starts {days}. "
                f"Publish your framed picture from {c.start:%Y-%m-%d}."
            )
        if self.phase is Phase.DURING:
            last = " (the last day)" if self.on == c.end else ""
            return (
                f"Today is day {self.day_number} of {self.length}{last} "
                f"of the {frame_name} campaign ({span}). "
                f"Switch back to your usual picture on {self.switch_back:%Y-%m-%d}."
            )
        return f"The {frame_name} campaign ran {span} and has ended. To frame anyway, add --ignore-window."
