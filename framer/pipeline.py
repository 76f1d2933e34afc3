"""One photo, start to finish, in memory: detect, place, render, lay the frame. No files, no printing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from .compose import PreparedFrame, lay_frame, render_portrait
from .geometry import Box, Face, Placement, nudge, place_face, place_without_face

Detector = Callable[[np.ndarray], list[Face]]

# Warning codes: stable, machine-readable (the report keeps them as they are); the CLI words them.
NO_FACE = "no_face"
SEVERAL_FACES = "several_faces"
LOW_RESOLUTION = "low_resolution"
EDGES_FILLED = "edges_filled"


@dataclass(frozen=True)
class Adjust:
    """A person's corrections for one photo: size, nudge, and which face (0 = the largest)."""

    zoom: float = 1.0
    shift: tuple[float, float] = (0.0, 0.0)
    face: int = 0


@dataclass
class Framed:
    """The framed picture and what was decided to make it (boxes in the upright photo's pixels)."""

    image: Image.Image
    faces: int
    face: Box | None
    placement: Placement
    warnings: list[str] = field(default_factory=list)

    @property
    def found_face(self) -> bool:
        return self.face is not None


def frame_photo(
    photo: np.ndarray, detector: Detector, frame: PreparedFrame, adjust: Adjust = Adjust()
) -> Framed:
    """Put `frame` on `photo` (upright RGB) with its most prominent face in the frame's window."""
    ph, pw = photo.shape[:2]
    faces = detector(photo)
    warnings: list[str] = []
    if faces:
        if len(faces) > 1:
            warnings.append(SEVERAL_FACES)
        face = faces[min(adjust.face, len(faces) - 1)]
        placement = place_face(face, frame.size, frame.window)
    else:
        warnings.append(NO_FACE)
        placement = place_without_face((pw, ph), frame.size)
    placement = nudge(placement, frame.window, adjust.zoom, adjust.shift)
    if faces and placement.is_soft:
        warnings.append(LOW_RESOLUTION)
    if placement.shows_beyond(pw, ph, frame.window):  # the fill shows through the window
        warnings.append(EDGES_FILLED)
    portrait = render_portrait(photo, placement, frame.size)
    return Framed(
        image=lay_frame(portrait, frame),
        faces=len(faces),
        face=face.box if faces else None,
        placement=placement,
        warnings=warnings,
    )
