"""The photos people are editing, in memory only, for a few minutes.

The page uploads a photo once, then asks for framed versions of it as the person drags and zooms; the
photo's bytes wait here between requests, under an unguessable id (the id is the only way to reach a
photo: there is no list). Nothing is ever written to disk, and the store is bounded three ways, the
oldest photo going first: a number of photos, their total bytes, and minutes since each was sent.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

TOTAL_BYTES = 256_000_000  # about 50 phone photos of 5 MB


@dataclass(frozen=True)
class Photo:
    """An uploaded photo: its bytes and its preview, the name its framed copies are offered under, and
    the frame it was analysed for."""

    data: bytes
    preview: bytes
    stem: str
    frame: str
    added: float


class PhotoStore:
    """At most `count` photos totalling `total_bytes`, each kept `minutes`; the oldest dropped first."""

    def __init__(
        self,
        count: int,
        minutes: float,
        total_bytes: int = TOTAL_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.count, self.seconds, self.total_bytes, self.clock = count, minutes * 60, total_bytes, clock
        self._photos: OrderedDict[str, Photo] = OrderedDict()  # oldest first
        self._bytes = 0

    def add(self, data: bytes, preview: bytes, stem: str, frame: str) -> str:
        """Keep a photo; its id (secrets.token_urlsafe(24): 192 random bits)."""
        self.expire()
        size = len(data) + len(preview)
        while self._photos and (len(self._photos) >= self.count or self._bytes + size > self.total_bytes):
            self._drop(next(iter(self._photos)))
        photo_id = secrets.token_urlsafe(24)
        self._photos[photo_id] = Photo(data, preview, stem, frame, self.clock())
        self._bytes += size
        return photo_id

    def get(self, photo_id: str) -> Photo | None:
        """The photo kept under `photo_id`, or None when there is none (never was, or dropped)."""
        self.expire()
        return self._photos.get(photo_id)

    def __len__(self) -> int:
        return len(self._photos)

    @property
    def bytes(self) -> int:
        return self._bytes

    def expire(self) -> None:
        """Drop the photos kept longer than the store's minutes (also done by every add and get)."""
        cutoff = self.clock() - self.seconds
        while self._photos and next(iter(self._photos.values())).added <= cutoff:
            self._drop(next(iter(self._photos)))

    def _drop(self, photo_id: str) -> None:
        photo = self._photos.pop(photo_id)
        self._bytes -= len(photo.data) + len(photo.preview)
