"""Frames checked and scaled to their output size, kept between runs in the user's cache folder.

Every worker of every run needs the frame at the output size, and making it costs more than framing a
photo: the built-in 2048 px PNG takes 60 ms to decode and 90 ms to resample (Lanczos) into 1080 px, in
each worker, before its first photo. From the cache it takes under 20 ms (reading the frame's file to
know its SHA-256 included). Likewise the window a frame was settled with (Frame.settled: its image
decoded and checked), for which the process that plans a batch would otherwise decode the image again.
The cache is only ever a copy: it is keyed by the SHA-256 of the frame image's bytes with its windows
and size, any file that is not exactly what is expected is ignored (and made again), and a cache that
cannot be written costs nothing but the time. Only frames are kept there, never a photo.

Here: the folder, its files, and the settled windows; the scaled frames: framer.frames.prepared.

The folder: $FRAMER_CACHE, else $XDG_CACHE_HOME/framer, else ~/.cache/framer (%LOCALAPPDATA%\\framer on
Windows); FRAMER_CACHE=off turns it off.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from pathlib import Path

from ..core.geometry import Box

VERSION = 1  # of what is kept: bump when PreparedFrame.for_output makes other pixels
OFF = "off"


def cache_folder() -> Path | None:
    """Where prepared frames are kept (None: nowhere)."""
    given = os.environ.get("FRAMER_CACHE")
    if given:
        return None if given.lower() == OFF else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    return Path(base or Path.home() / ".cache") / "framer"


def known_settled(data: bytes, declared: Box | None, given: Box | None) -> Box | None:
    """The window a frame image of exactly these bytes was settled with, given these windows, if kept."""
    path = cache_path(cache_key(data, "settled", declared, given), ".json")
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            x, y, w, h = (float(v) for v in json.load(f)["window"])
    except Exception:  # unreadable, not JSON, not this shape (or nested past the parser): made again
        return None
    if not all(math.isfinite(v) for v in (x, y, w, h)) or min(w, h) <= 0:
        return None
    return Box(x, y, w, h)


def keep_settled(data: bytes, declared: Box | None, given: Box | None, window: Box) -> None:
    """Keep the window a frame image of these bytes was settled with (checked), given these windows."""
    body = json.dumps({"window": [window.x, window.y, window.w, window.h]}).encode()
    keep_file(cache_path(cache_key(data, "settled", declared, given), ".json"), body)


def cache_key(data: bytes, *what: object) -> str:
    """The name of what is kept for a frame image of these bytes, made with `what`."""
    key = hashlib.sha256(data)
    key.update(repr((VERSION, *what)).encode())
    return key.hexdigest()[:40]


def cache_path(key: str, suffix: str) -> Path | None:
    """Where the cache file named `key` is kept (None: the cache is off)."""
    folder = cache_folder()
    return folder / "frames" / f"{key}{suffix}" if folder else None


def keep_file(path: Path | None, body: bytes) -> None:
    """Write a cache file in one step (another process may be writing the same one); never fail."""
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, staged = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.replace(staged, path)
        except BaseException:
            os.unlink(staged)
            raise
    except OSError:
        pass
