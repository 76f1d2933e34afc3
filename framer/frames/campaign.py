"""The campaign window a frame belongs to, judged by the date in the campaign's own time zone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Protocol
from zoneinfo import ZoneInfo

from ..i18n import N_, _, day, ngettext, zone

# The sentences about a campaign, as templates: worded here for the command line, and handed as they are
# to the phone's page (framer.web.site), which fills them in on the phone's own clock.
SPAN = N_("{start} to {end} ({timezone})")  # {timezone}: its name for people (i18n.zone), never its id
SHORT_SPAN = N_("{start}\u2013{end} ({timezone})")  # in a table's or a spreadsheet's cell
TOMORROW = N_("tomorrow")
IN_DAYS = ("in {n} day", "in {n} days")  # ngettext: see `message`
BEFORE = N_("The {frame} campaign runs {span}; it starts {when}. Publish your framed picture from {start}.")
DURING = N_("Today is day {n} of {length} of the {frame} campaign ({span}).")
LAST_DAY = N_("Today is the last day ({n} of {length}) of the {frame} campaign ({span}).")
SWITCH_BACK = N_("Switch back to your usual picture on {date}.")
ANY_DAY = N_("The frame {name} has no campaign: it can be used on any day.")


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

    def span(self, short: bool = False) -> str:
        """The campaign's days and time zone, as people read them: "01/10/2023 to 10/10/2023 (giờ Việt
        Nam)"; `short`: the days joined by an en dash, for a table's cell."""
        return _(SHORT_SPAN if short else SPAN).format(
            start=day(self.start), end=day(self.end), timezone=self.zone()
        )

    def zone(self) -> str:
        """Its time zone's name for people (framer.i18n.zone), in the language in use."""
        return zone(self.timezone, self.start)

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

    def message(self, title: str, *, ignore_window: bool = True, instead: list[str] | None = None) -> str:
        """One or more plain sentences for the person running framer, in their language. `title` is the
        frame's title (Frame.title: what the campaign is called, not the frame's short name).
        After the campaign's end: `instead`, sentences naming the frames running or to come (see
        framer.frames.choice.elsewhere), come before the advice to frame anyway, which is to add
        --ignore-window when the command that shows it has it (`ignore_window`), else to run framer
        apply with it."""
        c = self.campaign
        span = self.span()
        if self.phase is Phase.BEFORE:
            n = self.days_to_start
            when = _(TOMORROW) if n == 1 else ngettext("in {n} day", "in {n} days", n).format(n=n)
            return _(BEFORE).format(frame=title, span=span, when=when, start=day(c.start))
        if self.phase is Phase.DURING:
            today = _(LAST_DAY) if self.on == c.end else _(DURING)
            return (
                today.format(n=self.day_number, length=self.length, frame=title, span=span)
                + " "
                + _(SWITCH_BACK).format(date=day(self.switch_back))
            )
        if ignore_window:
            anyway = _("To frame anyway, add --ignore-window.")
        else:
            anyway = _("To frame with it anyway, run framer apply with --ignore-window.")
        return " ".join([self.ended(title), *(instead or []), anyway])

    def ended(self, title: str) -> str:
        """The sentence that says the campaign is over."""
        return _("The {frame} campaign ran {span} and has ended.").format(frame=title, span=self.span())

    def span(self) -> str:
        """The campaign's days, as people read them."""
        return self.campaign.span()

    def framing_anyway(self, title: str) -> str:
        """What framer apply --ignore-window says after the campaign's end: it frames all the same."""
        # {name} is the title: the message's words are the ones translated already
        return _("The {name} campaign has ended; framing anyway (--ignore-window).").format(name=title)


class Campaigned(Protocol):
    """What the verdict reads of a frame (framer.frames.model.Frame)."""

    @property
    def title(self) -> str: ...
    @property
    def campaign(self) -> Campaign | None: ...
    @property
    def messages(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class Verdict:
    """Whether a frame frames photos on a day, as its campaign says, and the words for it: every command
    and the page decide it here (see `verdict`)."""

    title: str  # the frame's title
    status: CampaignStatus | None  # None: the frame has no campaign, and frames on any day
    closed: bool  # the campaign has ended and framing is not to go on: refuse
    note: str | None  # the frame's own words for where the day stands (frame.toml), if any

    @property
    def anyway(self) -> bool:
        """The campaign has ended, and framing goes on all the same (--ignore-window)."""
        return self.status is not None and self.status.phase is Phase.AFTER and not self.closed

    def said(self, instead: Sequence[str] = (), *, can_ignore: bool = True) -> str | None:
        """The command line's sentences about it: none without a campaign; after its end, that it is
        over, then `instead` (the frames to use instead, framer.frames.choice.elsewhere) and the advice to
        frame anyway (with --ignore-window `can_ignore`, the command saying it takes it; else with framer
        apply), or that framing goes on anyway; else where the day stands in the campaign."""
        if self.status is None:
            return None
        if self.anyway:
            return self.status.framing_anyway(self.title)
        return self.status.message(self.title, ignore_window=can_ignore, instead=list(instead))


def verdict(frame: Campaigned, on: date | None, ignore_window: bool) -> Verdict:
    """Where `on` (default: today, in the campaign's time zone) stands in `frame`'s campaign, and whether
    it frames then: not after the campaign's end, unless `ignore_window`."""
    if frame.campaign is None:
        return Verdict(frame.title, None, closed=False, note=None)
    status = frame.campaign.status(on or frame.campaign.today())
    closed = status.phase is Phase.AFTER and not ignore_window
    return Verdict(frame.title, status, closed, frame.messages.get(status.phase.value))
