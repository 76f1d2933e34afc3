"""One photo, start to finish, in memory: detect, place, render, lay the frame. No files, no printing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from math import ceil
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ..errors import PhotoError
from ..reasons import Warn
from .compose import PreparedFrame, lay_frame, render_portrait, resize
from .geometry import NO_ADJUST, Adjust, Box, Face, Placement, nudge, place_face, place_without_face
from .images import DECODE_BUDGET, MAX_PIXELS, decode_photo

Detector = Callable[[np.ndarray], list[Face]]

# A reduced decode enlarged by less than this looks the same at the output's size: decoding again with
# more detail (a second, full-size decode of a 12 MP photo: 3x the first) is kept for larger factors.
REDECODE_ABOVE = 1.5

# Warning codes: stable, machine-readable (the report keeps them as they are); the CLI words them.
NO_FACE, SEVERAL_FACES = Warn.NO_FACE, Warn.SEVERAL_FACES  # the warnings framing a photo may give
LOW_RESOLUTION, EDGES_FILLED = Warn.LOW_RESOLUTION, Warn.EDGES_FILLED
EDGES_FILLED_ABOVE = 0.02  # a share of the window invented that a person might notice


@dataclass
class Framed:
    """The framed picture and what was decided to make it, in the upright photo's full-resolution pixels."""

    image: Image.Image
    faces: int
    face: Box | None
    placement: Placement
    warnings: list[str] = field(default_factory=list)
    face_number: int | None = None  # which face was placed, 1 = the largest
    invented: float = 0.0  # the share of the window's shape beyond the photo, filled rather than seen
    boxes: list[Box] = field(default_factory=list)  # every face found, largest first

    @property
    def found_face(self) -> bool:
        return self.face is not None


@dataclass(frozen=True)
class Plan:
    """Where the photo goes, decided on the decoded pixels (which may be a reduced decode)."""

    faces: list[Face]  # largest first
    face: Face | None  # the one placed
    placement: Placement

    @property
    def face_number(self) -> int | None:
        """Which face was placed, 1 = the largest."""
        return self.faces.index(self.face) + 1 if self.face is not None else None


def plan_photo(
    photo: np.ndarray, detector: Detector, frame: PreparedFrame, adjust: Adjust = NO_ADJUST
) -> Plan:
    """Find the faces in `photo` (upright RGB) and place the chosen one in the frame's window (PhotoError
    when the face asked for by number is not among those found)."""
    faces = detector(photo)
    if adjust.face >= max(len(faces), 1):  # a face asked for by number that is not there: say so
        if not faces:
            raise PhotoError("face_none", n=adjust.face + 1)
        raise PhotoError("face_beyond", n=adjust.face + 1, found=len(faces))
    if not faces:
        placement = place_without_face((photo.shape[1], photo.shape[0]), frame.size)
        return Plan(faces, None, nudge(placement, frame.window, adjust.zoom, adjust.shift))
    face = faces[adjust.face]
    placement = place_face(face, frame.size, frame.window, (photo.shape[1], photo.shape[0]), frame.mask)
    return Plan(faces, face, nudge(placement, frame.window, adjust.zoom, adjust.shift))


def finish(photo: np.ndarray, plan: Plan, frame: PreparedFrame, reduction: float = 1.0) -> Framed:
    """Render `plan` on `photo` and lay the frame; `reduction` is full-resolution px per `photo` px."""
    ph, pw = photo.shape[:2]
    p = plan.placement
    full = Placement(p.scale / reduction, p.crop.scaled(reduction))
    warnings: list[str] = []
    if len(plan.faces) > 1:
        warnings.append(SEVERAL_FACES)
    if plan.face is None:
        warnings.append(NO_FACE)
    elif full.is_soft:
        warnings.append(LOW_RESOLUTION)
    invented = frame.mask.invented(p, (pw, ph))
    if invented > EDGES_FILLED_ABOVE:  # enough of the fill shows through the window to notice
        warnings.append(EDGES_FILLED)
    return Framed(
        image=lay_frame(render_portrait(photo, p, frame.size, frame.shows_outside), frame),
        faces=len(plan.faces),
        face=plan.face.box.scaled(reduction) if plan.face else None,
        placement=full,
        warnings=warnings,
        face_number=plan.face_number,
        invented=round(invented, 3),
        boxes=[f.box.scaled(reduction) for f in plan.faces],
    )


def frame_photo(
    photo: np.ndarray, detector: Detector, frame: PreparedFrame, adjust: Adjust = NO_ADJUST
) -> Framed:
    """Put `frame` on `photo` (upright RGB) with its most prominent face in the frame's window."""
    return finish(photo, plan_photo(photo, detector, frame, adjust), frame)


def frame_file(
    path: Path | bytes,
    detector: Detector,
    frame: PreparedFrame,
    adjust: Adjust = NO_ADJUST,
    max_pixels: int = MAX_PIXELS,
    budget: int = DECODE_BUDGET,
) -> Framed:
    """Decode `path` (a file, or its bytes) no larger than the output needs, then frame it.

    A photo is first decoded reduced (its shorter side still at least the output's size), which is
    enough for almost every portrait. When the face turns out to be small in the photo, so the reduced
    pixels would be enlarged visibly (more than REDECODE_ABOVE), it is decoded again with as much detail
    as the output can use, unless that would cost more memory than `budget` (images.decode_cost): the
    reduced pixels are then framed after all.
    """
    photo = decode_photo(path, min_side=max(frame.size), max_pixels=max_pixels, budget=budget)
    plan = plan_photo(photo.rgb, detector, frame, adjust)
    if photo.reduction > 1 and plan.placement.scale > REDECODE_ABOVE:
        side, width = ceil(min(photo.rgb.shape[:2]) * plan.placement.scale), photo.rgb.shape[1]
        del photo  # the reduced pixels are done with: the finer decode of a 99 MP photo is big enough alone
        try:
            photo = decode_photo(path, min_side=side, max_pixels=max_pixels, budget=budget)
            plan = _scaled(plan, photo.rgb.shape[1] / width)
        except PhotoError as e:  # refused from its header, as a rule: the reduced decode once more
            if e.code not in ("too_costly", "out_of_memory"):
                raise
            photo = decode_photo(path, min_side=max(frame.size), max_pixels=max_pixels, budget=budget)
    framed = finish(photo.rgb, plan, frame, photo.reduction)
    framed.warnings += photo.notes
    return framed


@dataclass(frozen=True)
class Analysis:
    """What an editor needs to let a person place a photo by hand, as `frame_file` would place it: the
    faces found and where each would go, in the upright photo's full-resolution pixels, and a small copy
    of the photo to show while dragging (its pixels are `preview_scale` times the full ones)."""

    full_size: tuple[int, int]
    faces: list[Box]  # largest first
    placements: list[Placement]  # where each face would go (one placement, from the top centre, if none)
    warnings: list[str]
    preview: np.ndarray
    preview_scale: float


def analyse(
    source: Path | bytes,
    detector: Detector,
    frame: PreparedFrame,
    max_pixels: int = MAX_PIXELS,
    preview_side: int = 1280,
    budget: int = DECODE_BUDGET,
) -> Analysis:
    """Decode `source`, find its faces and place each one in the frame's window, for an editor; the
    placement of face N, nudged with the person's zoom and shift, is what `frame_file` renders."""
    photo = decode_photo(source, min_side=max(frame.size), max_pixels=max_pixels, budget=budget)
    r = photo.reduction
    faces = detector(photo.rgb)
    h, w = photo.rgb.shape[:2]
    if faces:
        placements = [place_face(face, frame.size, frame.window, (w, h), frame.mask) for face in faces]
    else:
        placements = [place_without_face((w, h), frame.size)]
    k = min(1.0, preview_side / max(w, h))
    small = resize(photo.rgb, (max(1, round(w * k)), max(1, round(h * k)))) if k < 1 else photo.rgb
    warnings: list[str] = [SEVERAL_FACES] if len(faces) > 1 else [] if faces else [NO_FACE]
    return Analysis(
        full_size=photo.full_size,
        faces=[f.box.scaled(r) for f in faces],
        placements=[Placement(p.scale / r, p.crop.scaled(r)) for p in placements],
        warnings=warnings + list(photo.notes),
        preview=small,
        preview_scale=small.shape[1] / photo.full_size[0],
    )


def _scaled(plan: Plan, r: float) -> Plan:
    """`plan` for the same photo decoded `r` times larger."""

    def face(f: Face) -> Face:
        return Face(
            f.box.scaled(r),
            None if f.eye_y is None else f.eye_y * r,
            None if f.mouth_y is None else f.mouth_y * r,
            f.score,
        )

    p = plan.placement
    return Plan(
        [face(f) for f in plan.faces],
        face(plan.face) if plan.face else None,
        Placement(p.scale / r, p.crop.scaled(r)),
    )


@contextmanager
def within_memory() -> Iterator[None]:
    """Framing one photo: running out of memory in it (past its worker's ceiling, framer.processes.
    limit_memory, or the host's) is that photo's failure, "out_of_memory", never its worker's end."""
    try:
        yield
    except MemoryError:
        raise PhotoError("out_of_memory") from None
    except cv2.error as e:  # OpenCV says it in its own exception
        if e.code != cv2.Error.StsNoMem:
            raise
        raise PhotoError("out_of_memory") from None
