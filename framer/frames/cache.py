"""Frames checked and scaled to their output size, kept between runs in the user's cache folder.

Every worker of every run needs the frame at the output size, and making it costs more than framing a
photo: the built-in 2048 px PNG takes 60 ms to decode and 90 ms to resample (Lanczos) into 1080 px, in
each worker, before its first photo. From the cache it takes under 20 ms (reading the frame's file to
know its SHA-256 included). Likewise the window a frame was settled with (Frame.settled: its image
decoded and checked), for which the process that plans a batch would otherwise decode the image again.
The cache is only ever a copy: it is keyed by the SHA-256 of the frame image's bytes with its windows
and size, any file that is not exactly what is expected is ignored (and made again), and a cache that
cannot be written costs nothing but the time. Only frames are kept there, never a photo.

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
from typing import TYPE_CHECKING

from ..core.geometry import Box
from ..errors import FrameError
from ..i18n import _

if TYPE_CHECKING:  # NumPy and the compositor are loaded only by the processes that prepare frames
    import numpy as np

    from ..core.compose import PreparedFrame
    from .model import Frame

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
    path = _path(_key(data, "settled", declared, given), ".json")
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
    _keep(_path(_key(data, "settled", declared, given), ".json"), body)


def _key(data: bytes, *what: object) -> str:
    key = hashlib.sha256(data)
    key.update(repr((VERSION, *what)).encode())
    return key.hexdigest()[:40]


def _path(key: str, suffix: str) -> Path | None:
    folder = cache_folder()
    return folder / "frames" / f"{key}{suffix}" if folder else None


def prepared_frame(frame: Frame, side: int | None) -> PreparedFrame:
    """`frame` (settled: its window known) scaled so its longer side is `side` px (default: the frame's
    output size; for a frame that declares none, the size of its image), from the cache when it holds
    it, else made and kept there. A cache file that cannot be used, whatever is wrong with it, is made
    again: the cache never stops a run. A frame that cannot be made is a FrameError, whatever the
    cause: the frame's fault in one line, never a photo's."""
    import numpy as np

    from ..core.compose import PreparedFrame

    side = side or frame.output_size  # None: the image's own size, on both paths (compose.output_size)
    data = frame.image_bytes()
    assert frame.window is not None, "a frame is settled before it is prepared"
    path = _path(_key(data, "prepared", frame.window, side), ".npy")
    if path is not None:
        try:
            cached = _load(path)
            made = _from_cache(cached, frame.window, side) if cached is not None else None
        except Exception:  # only ever a copy: whatever is wrong with it, it is made again, never fatal
            made = None
        if made is not None:
            return made
    try:
        image = frame.open_image()
        prepared = PreparedFrame.for_output(image, frame.window, side)
    except FrameError:
        raise
    except Exception as e:  # the frame's fault, said as such: never taken for a fault of the photos
        raise FrameError(
            _("{path}: the frame could not be prepared for framing ({detail})").format(
                path=frame.image_path, detail=f"{type(e).__name__}: {e}"
            )
        ) from e
    if path is not None:
        import io

        rgba = np.dstack([np.asarray(prepared.rgb), np.asarray(prepared.alpha)])
        buffer = io.BytesIO()
        np.save(buffer, np.array([image.width, image.height], dtype=np.uint32))  # the size it was scaled from
        np.save(buffer, rgba, allow_pickle=False)
        _keep(path, buffer.getvalue())
    return prepared


def _from_cache(cached: tuple[np.ndarray, np.ndarray], window: Box, side: int | None) -> PreparedFrame | None:
    """The prepared frame the cache holds, or None if it is not of the size `side` makes (the size rule
    is compose.output_size, the one PreparedFrame.for_output follows)."""
    from PIL import Image

    from ..core.compose import PreparedFrame, output_size

    (w, h), rgba = cached
    source = (int(w), int(h))
    size = (rgba.shape[1], rgba.shape[0])
    if min(source) < 1 or size != output_size(source, side):
        return None
    scaled = window.scaled(size[0] / source[0], size[1] / source[1])
    return PreparedFrame(Image.fromarray(rgba[..., :3]), Image.fromarray(rgba[..., 3]), scaled)


def _load(path: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """What `prepared_frame` kept at `path`, or None: missing, unreadable, or not exactly that."""
    import numpy as np

    try:
        with open(path, "rb") as f:
            header = np.load(f, allow_pickle=False)
            rgba = np.load(f, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if header.shape != (2,) or header.dtype != np.uint32 or rgba.dtype != np.uint8:
        return None
    if rgba.ndim != 3 or rgba.shape[2] != 4 or min(rgba.shape[:2]) < 1:
        return None
    return header, rgba


def _keep(path: Path | None, body: bytes) -> None:
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
