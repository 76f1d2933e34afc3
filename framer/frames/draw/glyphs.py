"""The font's glyphs at a size: their advances and ink, and each drawn rotated onto a coverage layer."""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
from PIL import Image, ImageDraw

from .font import font_at
from .measures import BAND_EDGES_EM, SIZE, SUPERSAMPLE


class Setter:
    """One font size: advances, ink, and rotated glyphs stamped into a float coverage layer."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.font = font_at(size * SUPERSAMPLE)
        self.cap = -self.font.getbbox("H", anchor="ls")[1] / SUPERSAMPLE
        # the scratch canvas large enough for any glyph rotated about its baseline (its coordinates are
        # kept: only the part of it that the glyph can reach is computed)
        self.half = int(size * 1.6)
        self.side = 2 * self.half * SUPERSAMPLE
        self._advances: dict[str, float] = {}
        self._inks: dict[str, tuple[np.ndarray, int, int]] = {}
        self._bboxes: dict[str, tuple[float, float, float, float] | None] = {}

    def advance(self, ch: str) -> float:
        if ch not in self._advances:
            self._advances[ch] = self.font.getlength(ch) / SUPERSAMPLE
        return self._advances[ch]

    def _ink(self, ch: str) -> tuple[np.ndarray, int, int]:
        """The glyph's ink (supersampled, unrotated) and where its origin is in that array: drawn at an
        integer position, so the same pixels as anywhere else."""
        if ch not in self._inks:
            px = self.size * SUPERSAMPLE
            box = self.font.getbbox(ch, anchor="ls")
            x0, y0, x1, y1 = math.floor(box[0]), math.floor(box[1]), math.ceil(box[2]), math.ceil(box[3])
            pad = px // 2 + 8  # the bbox's left edge is the pen's, not the ink's: room for a negative bearing
            ox, oy = pad - min(x0, 0), pad - min(y0, 0)
            img = Image.new("L", (ox + max(x1, 0) + pad, oy + max(y1, 0) + pad), 0)
            ImageDraw.Draw(img).text((ox, oy), ch, font=self.font, fill=255, anchor="ls")
            self._inks[ch] = (np.asarray(img) >= 128, ox, oy)
        return self._inks[ch]

    def ink_extent(self, ch: str) -> tuple[float, float]:
        """Left and right edge of the glyph's ink, relative to its origin."""
        ink, ox, _oy = self._ink(ch)
        cols = np.flatnonzero(ink.any(axis=0))
        if len(cols) == 0:  # a glyph with no ink (a space of some kind): its advance
            return 0.0, self.advance(ch)
        return (cols[0] - ox) / SUPERSAMPLE, (cols[-1] + 1 - ox) / SUPERSAMPLE

    def profile(self, ch: str) -> dict[float, tuple[float, float]]:
        """Per supersampled row of ink: height above the baseline -> left and right edge of the ink on
        that row, relative to the glyph's origin."""
        ink, ox, oy = self._ink(ch)
        edges: dict[float, tuple[float, float]] = {}
        for row in np.flatnonzero(ink.any(axis=1)):
            cols = np.flatnonzero(ink[row])
            edges[float((oy - row - 0.5) / SUPERSAMPLE)] = (
                float((cols[0] - ox) / SUPERSAMPLE),
                float((cols[-1] + 1 - ox) / SUPERSAMPLE),
            )
        return edges

    def _bbox(self, ch: str) -> tuple[float, float, float, float] | None:
        """The glyph's ink box (supersampled px from its origin, y down), None when it has no ink."""
        if ch not in self._bboxes:
            ink, ox, oy = self._ink(ch)
            rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
            self._bboxes[ch] = (
                (cols[0] - ox, rows[0] - oy, cols[-1] + 1 - ox, rows[-1] + 1 - oy) if len(rows) else None
            )
        return self._bboxes[ch]

    def stamp(
        self,
        layer: np.ndarray,
        ch: str,
        x: float,
        y: float,
        rot_cw: float,
        strength: float = 1.0,
        centre: float | None = None,
    ) -> None:
        """Draw `ch` rotated clockwise by `rot_cw` degrees so that the point on its baseline `centre` px
        right of its origin (default: half the advance) lands on (x, y). Max-combined into `layer`,
        scaled by `strength`.

        The glyph is drawn on a scratch canvas of side `side` around (x, y), rotated there with bicubic
        resampling and box-filtered down. Only the part of that canvas the glyph reaches (its ink, and its
        ink rotated) is computed, in the canvas's own coordinates: the same samples as rotating the whole
        canvas (checked pixel for pixel on the built-in frame) at a fifth of the cost."""
        box = self._bbox(ch)
        if box is None:  # a space
            return
        if centre is None:
            centre = self.advance(ch) / 2
        ss = SUPERSAMPLE
        ix, iy = math.floor(x) - self.half, math.floor(y) - self.half
        ax, ay = (x - ix) * ss, (y - iy) * ss  # the anchor in the scratch canvas
        tx = ax - centre * ss  # the glyph's origin there
        left, top, right, bottom = box
        # the ink, with room for the subpixel offset it is drawn at
        x0, y0, x1, y1 = tx + left - 4, ay + top - 4, tx + right + 4, ay + bottom + 4
        th = math.radians(rot_cw)
        c, s = math.cos(th), math.sin(th)
        xs, ys = [x0, x1], [y0, y1]
        for px, py in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
            xs.append(ax + c * (px - ax) - s * (py - ay))
            ys.append(ay + s * (px - ax) + c * (py - ay))
        # the part computed, on whole output pixels (multiples of ss) with room for the bicubic support
        cx0 = max(0, (math.floor(min(xs)) - 4) // ss * ss)
        cy0 = max(0, (math.floor(min(ys)) - 4) // ss * ss)
        cx1 = min(self.side, -(-(math.ceil(max(xs)) + 4) // ss) * ss)
        cy1 = min(self.side, -(-(math.ceil(max(ys)) + 4) // ss) * ss)
        if cx0 >= cx1 or cy0 >= cy1:
            return
        img = Image.new("L", (cx1 - cx0, cy1 - cy0), 0)
        ImageDraw.Draw(img).text((tx - cx0, ay - cy0), ch, font=self.font, fill=255, anchor="ls")
        img = img.rotate(-rot_cw, resample=Image.Resampling.BICUBIC, center=(ax - cx0, ay - cy0))
        cov = np.asarray(img.reduce(ss), dtype=np.float64) * (strength / 255.0)
        ox, oy = ix + cx0 // ss, iy + cy0 // ss
        h, w = cov.shape
        top, left = max(oy, 0), max(ox, 0)
        bottom, right = min(oy + h, SIZE), min(ox + w, SIZE)
        if top >= bottom or left >= right:
            return
        patch = cov[top - oy : bottom - oy, left - ox : right - ox]
        np.maximum(layer[top:bottom, left:right], patch, out=layer[top:bottom, left:right])


@functools.lru_cache(maxsize=128)
def setter_for(size: int) -> Setter:
    return Setter(size)


@functools.lru_cache(maxsize=4096)
def em_bands(ch: str) -> np.ndarray:
    """The glyph's ink as boxes, one per band of height (BAND_EDGES_EM), in em relative to its origin and
    baseline (v up): an (n, 4) array of u0, u1, v0, v1. From a rendering at 512 px, scaled to any size
    (planning tries many sizes; INK_PAD covers the difference)."""
    ref = 128
    setter = setter_for(ref)
    ink, ox, oy = setter._ink(ch)
    px = ref * SUPERSAMPLE
    heights = (oy - np.arange(ink.shape[0]) - 0.5) / px  # em above the baseline, per row
    edges = (-np.inf, *BAND_EDGES_EM, np.inf)
    boxes = []
    for lo, hi in itertools.pairwise(edges):
        rows = np.flatnonzero(ink.any(axis=1) & (heights >= lo) & (heights < hi))
        if len(rows) == 0:
            continue
        cols = np.flatnonzero(ink[rows].any(axis=0))
        boxes.append(
            ((cols[0] - ox) / px, (cols[-1] + 1 - ox) / px, (oy - rows[-1] - 1) / px, (oy - rows[0]) / px)
        )
    return np.array(boxes, dtype=np.float64).reshape(-1, 4)
