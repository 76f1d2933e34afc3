"""The parts of the frame that matter as convex polygons, and the polar sectors that bound them: how the
plan keeps texts, stars and the logo apart and inside the ring."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .measures import CX, CY, TEXT_GAP


@dataclass(frozen=True)
class Ink:
    """A part of the frame that matters: a text's glyph (one box per band of height), a star, the logo.
    `corners` is a convex polygon in frame px that contains its ink."""

    role: str  # "title", "subtitle", "date", "star", "logo"
    corners: tuple[tuple[float, float], ...]
    line: int = 0  # which line of the title (0: the outer one), which star


def sectors_of(polygons: np.ndarray) -> np.ndarray:
    """The polar sector around each convex polygon ((n, k, 2) frame px): an (n, 4) array of first and last
    angle (degrees, unwrapped around the polygon), nearest and farthest radius. Valid for polygons that
    do not contain the centre (all of ours lie in the ring)."""
    if len(polygons) == 0:
        return np.zeros((0, 4))
    d = polygons - np.array([CX, CY])
    ang = np.degrees(np.arctan2(d[..., 0], -d[..., 1]))
    ref = ang[:, :1]
    ang = ref + (ang - ref + 180) % 360 - 180
    far = np.hypot(d[..., 0], d[..., 1]).max(axis=1)
    # nearest: the distance from the centre to each edge (the foot of the perpendicular, or an end)
    a, b = d, np.roll(d, -1, axis=1)
    e = b - a
    t = np.clip(-(a * e).sum(axis=2) / np.maximum((e * e).sum(axis=2), 1e-12), 0, 1)
    foot = a + t[..., None] * e
    near = np.hypot(foot[..., 0], foot[..., 1]).min(axis=1)
    return np.column_stack([ang.min(axis=1), ang.max(axis=1), near, far])


def away(angle: Any, centre: float) -> Any:
    """How many degrees `angle` is from `centre`, either way round (0..180)."""
    return np.abs((angle - centre + 180) % 360 - 180)


def clash(a: np.ndarray, b: np.ndarray, gap: float = TEXT_GAP) -> bool:
    """Whether any sector of `a` comes within `gap` px of one of `b` (both from sectors_of)."""
    if len(a) == 0 or len(b) == 0:
        return False
    radial = (a[:, None, 2] < b[None, :, 3] + gap) & (b[None, :, 2] < a[:, None, 3] + gap)
    if not radial.any():
        return False
    mid_a, mid_b = (a[:, 0] + a[:, 1]) / 2, (b[:, 0] + b[:, 1]) / 2
    apart = np.abs((mid_a[:, None] - mid_b[None, :] + 180) % 360 - 180)
    half = (a[:, None, 1] - a[:, None, 0] + b[None, :, 1] - b[None, :, 0]) / 2
    r = np.maximum(np.minimum(a[:, None, 2], b[None, :, 2]), 1.0)
    angular = apart < half + np.degrees(gap / r)
    return bool((radial & angular).any())


def star_polygon(x: float, y: float, outer: float, rot_cw: float) -> np.ndarray:
    """The convex hull of a five-pointed star: the pentagon of its points."""
    return np.array(
        [
            (
                x + outer * math.sin(math.radians(rot_cw + 72 * i)),
                y - outer * math.cos(math.radians(rot_cw + 72 * i)),
            )
            for i in range(5)
        ]
    )
