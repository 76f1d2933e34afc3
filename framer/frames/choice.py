"""Which frame a command uses when none is named: the one chosen by hand, else the campaign running today.

    --frame NAME given                    that frame, whatever its campaign
    framer frames use NAME (kept)         that frame
    a campaign running today              its frame; of several, the one that started last
    none running                          the built-in frame (DEFAULT_FRAME)

"Today" is each campaign's own date in its time zone, or the date given with --date. The choice made
by hand is kept in the user's frames folder (DEFAULT_FILE), beside their frames; a name there that is no
longer a frame is said and passed over. The user's frames that cannot be read are passed over too, and
said: a broken frame never stops a command that did not name it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from ..errors import FrameError
from ..files import write_atomic
from ..i18n import _, day, ngettext
from .campaign import CampaignStatus, Phase
from .metadata import parse_frame, toml_string
from .model import Frame, read_regular
from .registry import DEFAULT_FRAME, all_frames, builtin_names, load_frame, removable_names

DEFAULT_FILE = "default.toml"  # in the user's frames folder; a "." keeps it from ever being a frame's name


class How(StrEnum):
    """How the frame a command uses was taken."""

    GIVEN = "given"  # --frame
    CHOSEN = "chosen"  # framer frames use
    RUNNING = "running"  # its campaign is running
    BUILT_IN = "built-in"  # nothing else: the built-in frame


GIVEN, CHOSEN, RUNNING, BUILT_IN = How


@dataclass(frozen=True)
class Choice:
    """The frame a command uses, how it was taken (GIVEN, CHOSEN, RUNNING, BUILT_IN), and what else the
    person should hear of: the other frames running today, a kept choice that is gone, frames passed over."""

    frame: Frame
    how: How
    also_running: list[Frame] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    among: int = 1  # how many frames it was chosen from

    def said(self) -> list[str]:
        """What to tell the person about the choice (nothing when they named the frame or nothing runs)."""
        lines = list(self.notes)
        name = self.frame.name
        if self.how == CHOSEN:
            lines.append(_("Frame: {name} (your default, chosen with framer frames use).").format(name=name))
        elif self.how == RUNNING and self.also_running:
            others = ", ".join(f.name for f in self.also_running)
            lines.append(
                _(
                    "Frame: {name}, of the campaigns running the one that started last; also running: "
                    "{others} (choose one with --frame)."
                ).format(name=name, others=others)
            )
        elif self.how == RUNNING and self.among > 1:  # a choice was made: say which, and why
            lines.append(_("Frame: {name}, whose campaign is running.").format(name=name))
        return lines


def status_on(frame: Frame, on: date | None) -> CampaignStatus | None:
    """Where `on` (default: today in the campaign's time zone) stands in `frame`'s campaign, if it has one."""
    if frame.campaign is None:
        return None
    return frame.campaign.status(on or frame.campaign.today())


def running(frames: list[Frame], on: date | None) -> list[Frame]:
    """The frames whose campaign runs on `on` (each on its own today by default), the latest start first
    (then the user's own before a built-in one, then by name)."""
    found = []
    for frame in frames:
        status = status_on(frame, on)
        if status is not None and status.phase is Phase.DURING:
            found.append((status.campaign.start, frame))
    found.sort(key=lambda pair: (pair[0], pair[1].origin != "built-in", pair[1].name), reverse=True)
    return [frame for _start, frame in found]


def choose(name: str | None, user_dir: Path | None, on: date | None = None) -> Choice:
    """The frame to use: `name` (--frame) if given, else the default (see the module's docstring).
    FrameError when the frame named cannot be loaded."""
    if name is not None:
        return Choice(load_frame(name, user_dir), GIVEN)
    notes: list[str] = []
    kept = kept_default(user_dir)
    frames = all_frames(user_dir, notes)
    if kept is not None:
        found = [f for f in frames if f.name == kept]
        if found:
            return Choice(found[0], CHOSEN, notes=notes)
        notes.append(
            _(
                "Your default frame {name} (framer frames use) is no longer one of your frames: "
                "it is passed over."
            ).format(name=kept)
        )
    now = running(frames, on)
    if now:
        return Choice(now[0], RUNNING, also_running=now[1:], notes=notes, among=len(frames))
    return Choice(load_frame(DEFAULT_FRAME, user_dir), BUILT_IN, notes=notes)


def elsewhere(frame: Frame, user_dir: Path | None, on: date | None) -> list[str]:
    """Sentences naming the frames other than `frame` whose campaign is running or yet to come, for
    whoever is told that `frame`'s campaign has ended: what to use instead of --ignore-window."""
    frames = all_frames(user_dir)
    lines = []
    for other in running(frames, on):
        if other.name != frame.name:
            lines.append(
                _("The campaign of the frame {name} is running: use it with --frame {name}.").format(
                    name=other.name
                )
            )
    coming = []
    for other in frames:
        status = status_on(other, on)
        if other.name != frame.name and status is not None and status.phase is Phase.BEFORE:
            coming.append((status.campaign.start, other.name, status.days_to_start))
    for start, name, days in sorted(coming):
        lines.append(
            ngettext(
                "The campaign of the frame {name} starts on {date}, in {n} day: use it with --frame {name}.",
                "The campaign of the frame {name} starts on {date}, in {n} days: use it with --frame {name}.",
                days,
            ).format(name=name, date=day(start), n=days)
        )
    return lines


def kept_default(user_dir: Path | None) -> str | None:
    """The frame's name kept by framer frames use, if any (a file that cannot be read keeps none)."""
    if user_dir is None:
        return None
    path = user_dir / DEFAULT_FILE
    if not path.exists():
        return None
    try:  # a regular file, small (a pipe put there must not hang every command)
        value = tomllib.loads(read_regular(path, 10_000).decode("utf-8")).get("frame")
    except (FrameError, ValueError):  # unreadable, not a file, too large, not TOML, not UTF-8
        return None
    return value if isinstance(value, str) and value else None


def keep_default(user_dir: Path, name: str | None) -> None:
    """Keep `name` as the frame used when none is named (None: go back to the running campaign's).
    FrameError when `name` is not a frame's name (built-in or the user's: never a path)."""
    path = user_dir / DEFAULT_FILE
    if name is None:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as e:
            raise FrameError(
                _("cannot remove {path} ({detail})").format(path=path, detail=e.strerror or e)
            ) from None
        return
    known = builtin_names() + removable_names(user_dir)
    if name not in known:
        raise FrameError(
            _("no frame named {name!r} (frames: {known})").format(name=name, known=", ".join(known))
        )
    if name not in builtin_names():
        parse_frame(user_dir / name, origin="yours")  # a frame that cannot be read is not kept
    body = (
        "# The frame framer uses when no --frame is given (framer frames use; --auto removes this file)\n"
        f"frame = {toml_string(name)}\n"
    )
    try:
        user_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(path, body.encode("utf-8"), overwrite=True)
    except OSError as e:
        raise FrameError(
            _("cannot write {path} ({detail})").format(path=path, detail=e.strerror or e)
        ) from None
