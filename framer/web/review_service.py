"""What every request to the review page shares: the batch under review, the server's settings, the
worker pool and the frame's look (once the app has started), and the originals' previews in hand."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass

from ..review.session import Batch
from . import jobs
from .pool import WorkerPool


@dataclass
class ReviewConfig:
    """How `framer review --serve` runs the page."""

    batch: Batch
    workers: int = 1
    token: str | None = None  # required on every request when set (a host other than loopback)
    lang: str | None = None  # the page's language unless a request asks (?lang=); None: the browser's
    hosts: tuple[str, ...] = ()  # the Host headers answered (on loopback: a page of another site whose
    # name was made to lead to 127.0.0.1 must not read the photos); empty: any


class ReviewState:
    """The review page's shared state. The pool and the frame's look exist once the app has started."""

    def __init__(self, config: ReviewConfig) -> None:
        self.config = config
        self.batch = config.batch
        self.pool: WorkerPool | None = None
        self.look: jobs.Look | None = None
        self.previews: OrderedDict[int, bytes] = OrderedDict()
        self.saving = asyncio.Lock()  # one change of the adjust file at a time

    @property
    def workers(self) -> WorkerPool:
        assert self.pool is not None, "the app has not started"
        return self.pool
