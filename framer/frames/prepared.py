"""Frames scaled to their output size for the workers, kept between runs (framer.frames.cache)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.geometry import Box
from ..errors import FrameError
from ..i18n import _
from .cache import cache_key, cache_path, keep_file

if TYPE_CHECKING:  # NumPy and the compositor are loaded only by the processes that prepare frames
    import numpy as np

    from ..core.compose import PreparedFrame
    from .model import Frame


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
    path = cache_path(cache_key(data, "prepared", frame.window, side), ".npy")
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
        keep_file(path, buffer.getvalue())
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
