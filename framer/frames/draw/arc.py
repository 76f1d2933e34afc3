"""A line of text laid out along a circle (Arc), and the polar sectors its ink lies in."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

import numpy as np

from .glyphs import em_bands, setter_for
from .ink import sectors_of
from .measures import INK_PAD, point_at


class Arc:
    """A line of text laid out along a circle, centred on an angle.

    outward=True: glyph tops point away from the centre (text over the top).
    outward=False: tops point to the centre (text under the bottom, upright).
    Glyphs advance by their advance width plus tracking, measured at mid cap height, so the gaps look
    even on the curve.

    With `optical_side_em`, spacing is optical instead: Noto's figures are tabular, and their fixed
    advances leave holes in "10.10.2023". Each glyph gets that side bearing on both sides (punctuation
    `punct_air` times more, as in the font, where "." has 57 units a side and figures 36-53), and every
    pair is kerned so that the white between the two equals the sum of their side bearings: the gap is
    measured row by row over the rows where both glyphs have ink (so a "." is spaced against the foot of a
    "1"'s stem, not against its flag), each row counting at most `depth_em` more than the narrowest row
    (so a "3"'s open side or a "0"'s curve pulls its neighbour in a little, not all the way), and with
    each row widened or narrowed as the arc spreads or bunches it at that height.
    """

    def __init__(
        self,
        text: str,
        size: int,
        base_r: float,
        centre_deg: float,
        track_em: float,
        outward: bool = True,
        optical_side_em: float | None = None,
        punct_air: float = 1.0,
        depth_em: float = 0.1,
    ) -> None:
        self.text = text
        self.size = size
        self.setter = setter_for(size)
        self.base_r = base_r
        self.centre_deg = centre_deg
        self.outward = outward
        self.track = track_em * size
        cap = self.setter.cap
        self.spacing_r = base_r + cap / 2 if outward else base_r - cap / 2
        self.kerns = [0.0] * (len(self.text) - 1)  # extra space after each glyph
        if optical_side_em is None:
            self.advances = [self.setter.advance(ch) for ch in self.text]
            self.centres = [adv / 2 for adv in self.advances]
        else:
            sides = [
                optical_side_em * size * (punct_air if unicodedata.category(ch).startswith("P") else 1.0)
                for ch in self.text
            ]
            inks = [self.setter.ink_extent(ch) for ch in self.text]
            self.advances = [right - left + 2 * side for (left, right), side in zip(inks, sides, strict=True)]
            self.centres = [(left + right) / 2 for left, right in inks]
            self.kerns = [
                self._optical_kern(i, sides[i] + sides[i + 1], depth_em * size)
                for i in range(len(self.text) - 1)
            ]

    def _optical_kern(self, i: int, target: float, depth: float) -> float:
        """Kern between glyphs i and i+1 that makes their optical gap `target`."""
        a, b = self.text[i], self.text[i + 1]
        if " " in (a, b):
            return 0.0
        pa, pb = self.setter.profile(a), self.setter.profile(b)
        rows = sorted(set(pa) & set(pb))
        if not rows:
            return 0.0
        # origin-to-origin distance along the spacing circle without kerning
        pitch0 = (self.advances[i] + self.advances[i + 1]) / 2 + self.track
        shift = pitch0 + self.centres[i] - self.centres[i + 1]
        flat = np.array([pb[h][0] + shift - pa[h][1] for h in rows])
        # a row h above the baseline lies on radius base_r +- h: the arc stretches (or shrinks) the
        # distance between the glyphs there
        h = np.array(rows)
        radius = self.base_r + h if self.outward else self.base_r - h
        stretch = radius / self.spacing_r - 1
        kern = 0.0
        for _i in range(4):  # the stretch depends on the kerned pitch
            gap = flat + kern + (pitch0 + kern) * stretch
            optical = np.minimum(gap, gap.min() + depth).mean()
            kern += target - optical
        return float(kern)

    @property
    def span_deg(self) -> float:
        total = sum(self.advances) + self.track * (len(self.text) - 1) + sum(self.kerns)
        return math.degrees(total / self.spacing_r)

    @property
    def ends(self) -> tuple[float, float]:
        """The arc's first and last angle, clockwise (degrees, on the spacing circle)."""
        return self.centre_deg - self.span_deg / 2, self.centre_deg + self.span_deg / 2

    def glyphs(self) -> list[tuple[str, float, float, float, float, float]]:
        """Every glyph as it is set: character, anchor x, y, rotation (clockwise), centre, angle."""
        direction = 1 if self.outward else -1  # reading direction, clockwise degrees
        start = self.centre_deg - direction * self.span_deg / 2
        pos = 0.0
        placed = []
        kerns = [*self.kerns, 0.0]
        for ch, adv, centre, kern in zip(self.text, self.advances, self.centres, kerns, strict=True):
            ang = start + direction * math.degrees((pos + adv / 2) / self.spacing_r)
            x, y = point_at(self.base_r, ang)
            placed.append((ch, x, y, ang if self.outward else ang - 180, centre, ang))
            pos += adv + self.track + kern
        return placed

    def draw(self, layer: np.ndarray) -> None:
        for ch, x, y, rot, centre, _ang in self.glyphs():
            self.setter.stamp(layer, ch, x, y, rot, centre=centre)

    def polygons(self) -> np.ndarray:
        """The ink boxes of every glyph, as they lie on the frame: an (n, 4, 2) array of corners (px)."""
        quads = []
        for ch, x, y, rot, centre, _ang in self.glyphs():
            boxes = em_bands(ch) * self.size
            if len(boxes) == 0:
                continue
            u0, u1 = boxes[:, 0] - centre - INK_PAD, boxes[:, 1] - centre + INK_PAD
            v0, v1 = boxes[:, 2] - INK_PAD, boxes[:, 3] + INK_PAD
            th = math.radians(rot)
            right = np.array([math.cos(th), math.sin(th)])
            up = np.array([math.sin(th), -math.cos(th)])
            anchor = np.array([x, y])
            corners = [
                anchor + u[:, None] * right + v[:, None] * up
                for u, v in ((u0, v0), (u1, v0), (u1, v1), (u0, v1))
            ]
            quads.append(np.stack(corners, axis=1))
        return np.concatenate(quads) if quads else np.zeros((0, 4, 2))


def some(arc: Arc | None) -> tuple[Arc, ...]:
    """An arc that may be None as a tuple of none or one."""
    return () if arc is None else (arc,)


def arc_sectors(arcs: Sequence[Arc]) -> np.ndarray:
    """The polar sectors around every glyph's ink of `arcs` (ink.sectors_of)."""
    polys = [arc.polygons() for arc in arcs]
    return sectors_of(np.concatenate(polys)) if polys else np.zeros((0, 4))
