r"""A frame's window, found from its alpha channel: no measuring by hand.

A pixel is *transparent* when its alpha is below 128, so a soft edge (anti-aliased or feathered over tens
of pixels) counts half-way: the window's box is where the alpha crosses 50 %, to the pixel. The transparent
pixels form regions (4-connected); one of them is the window, the others are ignored.

Which region is the window (blank: transparent, `#`: opaque artwork, `. * <3`: specks, decorative holes)::

    +------------------------+       +------------------------+
    |      ############      |       |                        |
    |   #####        #####   |       |         window         |
    |  ###    window    ###  |       |                        |
    |  ###              ###  |       |########################|
    |   #####        ##*##   |       |### * *  banner  <3  ###|
    |      #####.######      |       +------------------------+
    +------------------------+
     a round badge: the window is      a banner-only frame: no hole is
     the hole in it, smaller than      large enough, so the region that
     the transparent outside           touches the border is the window

1. Regions under MIN_WINDOW (2 %) of the frame's area are never the window: specks, anti-aliasing dust,
   decorative holes (stars, letters, a heart in the banner).
2. The window is the largest *interior* hole, one that does not touch the image border. Size alone is not
   enough: the transparent outside of a round badge (its corners, or a margin all around) touches the border
   and can be larger than the window itself, but it is never where the portrait goes, while a hole is
   surrounded by artwork by construction, which is what a window is.
3. Exception: a border-touching region at least DOMINANT (10) times the hole's area that does not enclose it
   (its box does not contain the hole's box) is the window: the hole is then a cut-out in a banner, and the
   big open area above the banner is where the portrait goes.
4. Without an interior hole, the largest border-touching region is the window (a banner-only frame, a
   frame open at the top).
5. A second region of the same kind (interior, or border-touching) at least half the window's area makes the
   frame ambiguous (two windows, or one split in two by artwork): FrameError, rather than a silent guess.

The shape is read from the window's pixels in its box: a full box is a rectangle; one that matches the
inscribed ellipse is a circle or an ellipse; one that matches a box with rounded corners (their radius
estimated from the missing area) is a rounded rectangle; anything else (an arch, a heart, a hexagon) is
"other".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ..core.geometry import Box
from ..errors import FrameError
from ..i18n import N_, _, ngettext, percent, worded

MIN_WINDOW = 0.02  # a window is at least this share of the frame's area
SPECK = 0.005  # a region under this share of the frame's area is a speck
DOMINANT = 10  # a border-touching region this many times a hole's area (and not around it) wins
RIVAL = 0.5  # a second region of this share of the window's area makes the frame ambiguous
MATCH = 0.98  # intersection over union for a shape to count as a circle, an ellipse, a rounded rectangle
ROUND_CORNER = 0.06  # a corner radius under this share of the shorter side is a square corner
SHAPE_GRID = 256  # the window's pixels are compared with a shape on this grid (its box, normalised)

SHAPES = ("circle", "ellipse", "rectangle", "rounded rectangle", "other")
# The shapes in words for people (SHAPES themselves are values, as in frame.toml): see shape_name.
SHAPE_NAMES = {
    "circle": N_("circle"),
    "ellipse": N_("ellipse"),
    "rectangle": N_("rectangle"),
    "rounded rectangle": N_("rounded rectangle"),
    "other": N_("other"),
}


def shape_name(shape: str) -> str:
    """A window shape in the user's language (a shape framer does not know, as it is)."""
    return worded(SHAPE_NAMES, shape)


@dataclass(frozen=True)
class FoundWindow:
    """The transparent region a portrait should fill."""

    box: Box  # in the frame image's pixels: the window's bounding box
    shape: str  # one of SHAPES
    share: float  # window area / frame area
    ignored: int  # how many other transparent regions (specks, decorative holes, corners) were ignored


@dataclass(frozen=True)
class _Region:
    label: int
    x: int
    y: int
    w: int
    h: int
    area: int
    open: bool  # touches the image border

    def encloses(self, other: _Region) -> bool:
        """Whether this region's box contains `other`'s box."""
        return (
            self.x <= other.x
            and self.y <= other.y
            and self.x + self.w >= other.x + other.w
            and self.y + self.h >= other.y + other.h
        )


def find_window(alpha: np.ndarray, name: str = "frame") -> FoundWindow:
    """The transparent region a portrait should fill, in a frame's alpha channel (2-D, uint8; a strided
    view such as `rgba[..., 3]` will do).

    The window is the largest interior hole of at least 2 % of the frame; border-touching regions (the
    transparent outside of a badge, the open top of a banner-only frame) only when no such hole exists, or
    when one is ten times a hole that it does not surround (see the module's docstring for the sketch).
    Every other transparent region is ignored and counted.

    Raises FrameError, with a one-line message that starts with `name` and says what was found, when no
    region can be the window (a fully opaque image, only specks) or when two can (two similar holes).
    """
    if alpha.ndim != 2 or alpha.size == 0:
        raise ValueError(f"alpha must be a non-empty 2-D array, got shape {alpha.shape}")
    if alpha.dtype != np.uint8:
        raise ValueError(f"alpha must be uint8 (0 = transparent, 255 = opaque), got {alpha.dtype}")
    total = alpha.size

    # 1 where transparent: alpha <= 127, i.e. below the 50 % level.
    mask = cv2.threshold(alpha, 127, 1, cv2.THRESH_BINARY_INV)[1]
    labels, areas, regions = _regions(mask)
    if len(areas) == 0:
        raise _nothing_transparent(alpha, name)
    window = _choose(regions)  # rules 1 to 4 of the module's docstring
    if window is None:
        raise _too_small(areas, total, name)
    rivals = [  # rule 5
        r for r in regions if r is not window and r.open == window.open and r.area >= RIVAL * window.area
    ]
    if rivals:
        raise _ambiguous(window, rivals, total, name)

    x, y, w, h = window.x, window.y, window.w, window.h
    step = max(1, min(w, h) // (2 * SHAPE_GRID))  # every pixel is not needed to tell the shape
    inside = labels[y : y + h : step, x : x + w : step] == window.label
    return FoundWindow(
        box=Box(float(x), float(y), float(w), float(h)),
        shape=_shape(inside, w, h, window.area),
        share=window.area / total,
        ignored=len(areas) - 1,
    )


def _nothing_transparent(alpha: np.ndarray, name: str) -> FrameError:
    """No pixel of `alpha` is more than half transparent."""
    lowest = int(alpha.min())
    if lowest == 255:
        return FrameError(_("{name}: no transparent window: the image is fully opaque").format(name=name))
    return FrameError(
        _(
            "{name}: no transparent window: no pixel is more than half transparent "
            "(the lowest alpha is {lowest} of 255)"
        ).format(name=name, lowest=lowest)
    )


def _too_small(areas: np.ndarray, total: int, name: str) -> FrameError:
    """No transparent region (of these `areas`, in px of `total`) is large enough to be the window."""
    largest = int(areas.max())
    # TRANSLATORS: an optional part of "the largest transparent region is 0.1 % of the frame{speck}"
    what = _(" (a speck)") if largest < SPECK * total else ""
    others = ""
    if len(areas) > 1:
        # TRANSLATORS: an optional part of "... of the frame{speck}{others}; a window must be ..."
        others = ngettext(
            ", one of {n} transparent region", ", one of {n} transparent regions", len(areas)
        ).format(n=len(areas))
    return FrameError(
        _(
            "{name}: no transparent window: the largest transparent region is "
            "{share} of the frame{speck}{others}; a window must be at least {minimum}"
        ).format(
            name=name,
            share=_percent(largest / total),
            speck=what,
            others=others,
            minimum=_percent(MIN_WINDOW),
        )
    )


def _ambiguous(window: _Region, rivals: list[_Region], total: int, name: str) -> FrameError:
    """Regions of the window's kind nearly as large as it (`rivals`): which one is the window is a guess."""
    pair = sorted([window, *rivals], key=lambda r: -r.area)[:2]
    n = len(rivals) + 1
    if window.open:
        message = ngettext(
            "{name}: no single window: {n} transparent region open to the border of similar size "
            "({share1} at x={x1}, y={y1} and {share2} at x={x2}, y={y2}); "
            "framer fills one window: name it with --window X,Y,W,H",
            "{name}: no single window: {n} transparent regions open to the border of similar size "
            "({share1} at x={x1}, y={y1} and {share2} at x={x2}, y={y2}); "
            "framer fills one window: name it with --window X,Y,W,H",
            n,
        )
    else:
        message = ngettext(
            "{name}: no single window: {n} transparent hole of similar size "
            "({share1} at x={x1}, y={y1} and {share2} at x={x2}, y={y2}); "
            "framer fills one window: name it with --window X,Y,W,H",
            "{name}: no single window: {n} transparent holes of similar size "
            "({share1} at x={x1}, y={y1} and {share2} at x={x2}, y={y2}); "
            "framer fills one window: name it with --window X,Y,W,H",
            n,
        )
    return FrameError(
        message.format(
            name=name,
            n=n,
            share1=_percent(pair[0].area / total),
            x1=pair[0].x,
            y1=pair[0].y,
            share2=_percent(pair[1].area / total),
            x2=pair[1].x,
            y2=pair[1].y,
        )
    )


def _regions(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[_Region]]:
    """Label the transparent regions of `mask` (4-connected): the labels, every region's area (region i
    has label i + 1), and the regions that may be a window (at least MIN_WINDOW of the area), with their
    boxes.

    Labelling alone (cv2.connectedComponents) and counting areas with numpy, then boxing only the few
    large regions, takes half the time of cv2.connectedComponentsWithStats, whose per-pixel statistics
    dominate its cost: 3000 x 3000 px in about 40 ms instead of 70 ms.
    """
    count, labels = cv2.connectedComponents(mask, connectivity=4, ltype=cv2.CV_32S)
    # Counted a band of rows at a time: np.bincount copies its input to 64-bit integers, and a copy of a
    # whole 3000 x 3000 image (72 MB) costs more than the counting.
    areas = np.zeros(count, dtype=np.int64)
    rows = max(1, 2**18 // mask.shape[1])
    for top in range(0, mask.shape[0], rows):
        areas += np.bincount(labels[top : top + rows].ravel(), minlength=count)
    areas = areas[1:]
    edges = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    on_border = set(np.unique(edges).tolist())
    regions = []
    for i in np.flatnonzero(areas >= MIN_WINDOW * mask.size):
        label = int(i) + 1
        x, y, w, h = cv2.boundingRect((labels == label).view(np.uint8))
        regions.append(_Region(label, x, y, w, h, int(areas[i]), label in on_border))
    return labels, areas, regions


def _choose(regions: list[_Region]) -> _Region | None:
    """The window among the large transparent regions (see the module's docstring), or None."""
    holes = [r for r in regions if not r.open]
    open_ = [r for r in regions if r.open]
    if holes:
        hole = max(holes, key=lambda r: r.area)
        beside = [r for r in open_ if not r.encloses(hole) and r.area >= DOMINANT * hole.area]
        return max(beside, key=lambda r: r.area) if beside else hole
    return max(open_, key=lambda r: r.area) if open_ else None


def _shape(inside: np.ndarray, w: int, h: int, area: int) -> str:
    """The shape of a `w` x `h` px window of `area` px from its pixels (`inside`, a boolean array over its
    bounding box, perhaps subsampled)."""
    # The radius of four round corners that would leave out as much of the box as is missing.
    radius = min(math.sqrt(max(w * h - area, 0) / (4 - math.pi)), min(w, h) / 2)
    if radius < ROUND_CORNER * min(w, h):
        return "rectangle"
    n = SHAPE_GRID
    grid = cv2.resize(inside.astype(np.float32), (n, n), interpolation=cv2.INTER_AREA) >= 0.5
    c = (np.arange(n) + 0.5) / n * 2 - 1  # pixel centres, -1 .. 1 across the box
    u, v = np.abs(c)[np.newaxis, :], np.abs(c)[:, np.newaxis]
    ellipse = u**2 + v**2 <= 1
    if _overlap(grid, ellipse) >= MATCH:
        return "circle" if abs(w - h) <= 0.03 * max(w, h) else "ellipse"
    rx, ry = 2 * radius / w, 2 * radius / h  # the corner radius across and down, in grid units
    cx, cy = np.maximum(u - (1 - rx), 0) / rx, np.maximum(v - (1 - ry), 0) / ry
    rounded = cx**2 + cy**2 <= 1
    if _overlap(grid, rounded) >= MATCH:
        return "rounded rectangle"
    return "other"


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two boolean masks."""
    return float(np.count_nonzero(a & b)) / max(int(np.count_nonzero(a | b)), 1)


def _percent(share: float) -> str:
    """A share as a percentage for people: "2 %", "45.3 %", "less than 0.1 %"."""
    if share < 0.001:
        return _("less than 0.1 %")
    return percent(share, 1, trim=True)
