"""What the worker processes do for the page: analyse a photo, render it framed, describe a frame.

Each worker builds its detector and the prepared frame of every frame offered once (`start`), then runs
these functions on photos' bytes, which never leave memory. Their results are small, picklable and
plain (lists of numbers, encoded images), so the server's own process never imports OpenCV or NumPy:
those are imported here, inside the functions, in the workers only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.geometry import Adjust
from ..errors import FrameError

if TYPE_CHECKING:
    from ..core.compose import PreparedFrame
    from ..core.detect import FaceDetector
    from ..frames.model import Frame

PREVIEW_SIDE = 1280  # px, the preview's longer side: sharp on a phone's screen, light to send
PREVIEW_QUALITY = 85


@dataclass(frozen=True)
class Analysed:
    """A photo as the page needs it to let a person place it (see pipeline.Analysis), in the upright
    photo's full-resolution pixels."""

    size: tuple[int, int]
    faces: list[list[float]]  # [x, y, w, h], largest first
    placements: list[tuple[float, list[float]]]  # (scale, crop [x, y, w, h]) for each face
    warnings: list[str]
    preview: bytes  # JPEG
    preview_scale: float  # preview px per full-resolution px


@dataclass(frozen=True)
class Rendered:
    """A framed picture, encoded, and what framing it found."""

    data: bytes
    faces: int
    warnings: list[str]


@dataclass(frozen=True)
class Look:
    """A frame as the page draws it: its size and window at output size, and its image as a PNG."""

    size: tuple[int, int]
    window: list[float]  # [x, y, w, h]
    png: bytes


_offered: dict[str, PreparedFrame] = {}  # the frames this worker frames with, by name, prepared once
_cannot: FrameError | None = None  # why this worker has no frames (said by every job it is given)


def start(frames: list[Frame], parent: int) -> None:
    """In each worker process: a worker of `parent`, the server (framer.processes: one OpenCV thread,
    Ctrl-C left to the server, gone when it is), with the detector and frames built once, and a ceiling
    on its memory. A frame that cannot be prepared leaves the worker alive (a dead
    one would be taken for a photo that crashed it): its jobs raise the frame's error instead."""
    from ..core.detect import shared_detector
    from ..core.images import WEB_DECODE_BUDGET
    from ..frames.prepared import prepared_frame
    from ..processes import become_worker, limit_memory

    global _cannot
    become_worker(parent)
    try:
        shared_detector()  # made now, not on the first photo
        _offered.update({frame.name: prepared_frame(frame, frame.output_size) for frame in frames})
    except FrameError as e:
        _cannot = FrameError(str(e))  # plain: its words are all that cross back to the server
    limit_memory(WEB_DECODE_BUDGET)


def _started() -> tuple[FaceDetector, dict[str, PreparedFrame]]:
    """This worker's detector and frames."""
    from ..core.detect import shared_detector

    if _cannot is not None:
        raise _cannot
    assert _offered, "worker not started"
    return shared_detector(), _offered


def ready() -> bool:
    """Nothing: a job that returns once a worker is started (the pool is warmed up with these)."""
    _started()
    return True


def analyse(data: bytes, frame: str) -> Analysed:
    """The faces in the photo `data` and where each would go in `frame`, and a preview (PhotoError)."""
    from PIL import Image

    from ..core.images import WEB_DECODE_BUDGET, encode
    from ..core.pipeline import LOW_RESOLUTION, analyse, within_memory

    detector, offered = _started()
    with within_memory():
        found = analyse(data, detector, offered[frame], preview_side=PREVIEW_SIDE, budget=WEB_DECODE_BUDGET)
    warnings = list(found.warnings)
    if found.faces and found.placements[0].is_soft:
        warnings.append(LOW_RESOLUTION)
    return Analysed(
        size=found.full_size,
        faces=[_numbers(f.x, f.y, f.w, f.h) for f in found.faces],
        placements=[(p.scale, _numbers(p.crop.x, p.crop.y, p.crop.w, p.crop.h)) for p in found.placements],
        warnings=warnings,
        preview=encode(Image.fromarray(found.preview), "jpg", PREVIEW_QUALITY),
        preview_scale=found.preview_scale,
    )


def render(data: bytes, frame: str, adjust: Adjust, fmt: str) -> Rendered:
    """The photo `data` framed with `frame`, placed as `adjust` says, encoded as `fmt` (PhotoError)."""
    from ..core.images import WEB_DECODE_BUDGET, encode
    from ..core.pipeline import frame_file, within_memory

    detector, offered = _started()
    with within_memory():
        framed = frame_file(data, detector, offered[frame], adjust, budget=WEB_DECODE_BUDGET)
        return Rendered(encode(framed.image, fmt), framed.faces, framed.warnings)


def describe(frame: str) -> Look:
    """The frame `frame` at its output size: what the page draws over the photo."""
    from PIL import Image

    from ..core.images import encode

    prepared = _started()[1][frame]
    rgba = Image.merge("RGBA", (*prepared.rgb.split(), prepared.alpha))
    w = prepared.window
    return Look(prepared.size, _numbers(w.x, w.y, w.w, w.h), encode(rgba, "png"))


def _numbers(*values: float) -> list[float]:
    """Pixel values for JSON: plain floats, to a hundredth of a pixel."""
    return [round(float(v), 2) for v in values]
