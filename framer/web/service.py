"""What every request to the page shares: the server's settings, the frames offered and their campaign
rules, the memory for uploads, the photo store and the worker pool."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import CampaignClosed, FrameError
from ..frames.campaign import CampaignStatus, Phase
from ..frames.model import Frame
from ..i18n import _
from . import words
from .errors import Refused
from .jobs import Look
from .language import speaking
from .pool import WorkerPool
from .store import PhotoStore
from .upload import Budget

# Jobs admitted per worker, running or waiting. A queue holds a couple of seconds of work at most (a 12 MP
# photo takes a worker about 0.2 s): past that, "busy, try again in a moment" is the better answer. At 8
# a room of 16 people uploading at once on a 2-core machine are all framed.
QUEUE_PER_WORKER = 8


@dataclass(frozen=True)
class Config:
    """How `framer serve` runs the page."""

    frames: Sequence[Frame]  # settled (Frame.settled); the first is the page's default
    workers: int = 1
    max_upload_mb: int = 25
    on_date: date | None = None  # the campaign judged as of this day; None: today in its time zone
    ignore_window: bool = False  # frame even after a campaign's end
    max_photos: int = 32  # photos kept for editing at once
    keep_minutes: float = 15  # how long each is kept
    queue: int | None = None  # jobs admitted at most; None: QUEUE_PER_WORKER per worker
    hosts: frozenset[str] | None = None  # the Host names answered (framer.web.origin); None: any

    @property
    def upload_limit(self) -> int:
        return self.max_upload_mb * 1_000_000


@dataclass
class Service:
    """The page's shared state. The pool and the frames' looks exist once the app has started."""

    config: Config
    frames: dict[str, Frame]
    store: PhotoStore
    uploads: Budget = field(default_factory=Budget)  # memory for the uploads being received
    looks: dict[str, Look] = field(default_factory=dict)
    pool: WorkerPool | None = None

    @classmethod
    def from_config(cls, config: Config) -> Service:
        """The service for `config` (FrameError when two different frames offered have one name)."""
        if not config.frames:
            raise ValueError("no frame to offer")
        frames: dict[str, Frame] = {}
        for frame in config.frames:
            if frames.setdefault(frame.name, frame) != frame:
                raise FrameError(
                    _("two frames offered are both named {name}: offer one of them").format(name=frame.name)
                )
        return cls(config, frames, PhotoStore(config.max_photos, config.keep_minutes))

    @property
    def default(self) -> Frame:
        return self.config.frames[0]

    @property
    def workers(self) -> WorkerPool:
        assert self.pool is not None, (
            "the app has not started (run it under a server, or TestClient as a with block)"
        )
        return self.pool

    def frame(self, name: str | None) -> Frame:
        """The offered frame named `name` (the default one for None or ""), else Refused unknown_frame."""
        if not name:
            return self.default
        if name not in self.frames:
            raise Refused(400, "unknown_frame", name=name)
        return self.frames[name]

    def status(self, frame: Frame) -> CampaignStatus | None:
        """Where the frame's campaign stands today (or on the day the server was told to take as today)."""
        if frame.campaign is None:
            return None
        return frame.campaign.status(self.config.on_date or frame.campaign.today())

    def usable(self, frame: Frame) -> bool:
        status = self.status(frame)
        return status is None or status.phase is not Phase.AFTER or self.config.ignore_window

    def check_open(self, frame: Frame, lang: str) -> None:
        """Refuse (CampaignClosed, worded in `lang`) to frame with `frame` after its campaign's end."""
        if not self.usable(frame):
            with speaking(lang):
                raise CampaignClosed(self.campaign_words(frame))

    def campaign_words(self, frame: Frame) -> str:
        """Where the frame's campaign stands, for a person on the page (the language in use)."""
        status = self.status(frame)
        if status is None:
            return _("The frame {name} has no campaign: it can be used on any day.").format(name=frame.title)
        if status.phase is Phase.AFTER:
            c = status.campaign
            span = c.span()
            ended = words.CAMPAIGN_ENDED_ANYWAY if self.config.ignore_window else words.CAMPAIGN_ENDED
            text = _(ended).format(frame=frame.title, span=span)
        else:
            text = status.message(frame.title)
        extra = frame.messages.get(status.phase.value)
        return f"{text} {extra}" if extra else text
