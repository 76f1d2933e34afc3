"""What every request to the page shares: the server's settings, the frames offered and their campaign
rules, the memory for uploads, the photo store and the worker pool."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import CampaignClosed, FrameError
from ..frames.campaign import ANY_DAY, CampaignStatus, Phase, Verdict
from ..frames.campaign import verdict as campaign_verdict
from ..frames.model import Frame
from ..i18n import _
from . import words
from .errors import Refused
from .jobs import Look
from .language import speaking
from .pool import WorkerPool
from .store import PhotoStore
from .upload import Budget


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
    queue: int | None = None  # jobs admitted at most; None: framer.web.pool.QUEUE_PER_WORKER per worker
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

    def verdict(self, frame: Frame) -> Verdict:
        """Whether the page frames with `frame` today (or on the day the server was told to take as
        today), as its campaign says (framer.frames.campaign.verdict)."""
        return campaign_verdict(frame, self.config.on_date, self.config.ignore_window)

    def status(self, frame: Frame) -> CampaignStatus | None:
        """Where the frame's campaign stands today (or on the day the server was told to take as today)."""
        return self.verdict(frame).status

    def usable(self, frame: Frame) -> bool:
        return not self.verdict(frame).closed

    def check_open(self, frame: Frame, lang: str) -> None:
        """Refuse (CampaignClosed, worded in `lang`) to frame with `frame` after its campaign's end."""
        if not self.usable(frame):
            with speaking(lang):
                raise CampaignClosed(self.campaign_words(frame))

    def campaign_words(self, frame: Frame) -> str:
        """Where the frame's campaign stands, for a person on the page (the language in use)."""
        judged = self.verdict(frame)
        status = judged.status
        if status is None:
            return _(ANY_DAY).format(name=frame.title)
        if status.phase is Phase.AFTER:
            ended = words.CAMPAIGN_ENDED_ANYWAY if judged.anyway else words.CAMPAIGN_ENDED
            text = _(ended).format(frame=frame.title, span=status.span())
        else:
            text = status.message(frame.title)
        return f"{text} {judged.note}" if judged.note else text
