"""Render the built-in ``dx-2023`` avatar frame (``frame.png``).

Frame for Vietnam's National Digital Transformation Day, 10 October 2023
(Ngày Chuyển đổi số quốc gia, theme "Khai thác dữ liệu số để tạo ra giá trị").
It is an original design in the spirit of the campaign's identity: deep navy
and royal blue, a flag-red accent, white type and a thin gold line.

Layout (2048 x 2048 master, everything centred on the square's centre)::

    r <  WINDOW_R          transparent round window (alpha 0) for the portrait
    WINDOW_R .. +RIM       gold rim hugging the window, then a thin white line
    top of the ring        "NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA" set on an outward arc
                           between two small gold stars, the theme as a
                           smaller gold arc just inside it
    bottom of the ring     red swoosh (full width under the date, tapering
                           towards 3 and 9 o'clock) carrying "10.10.2023",
                           the largest and most legible element
    background             navy radial gradient with faint streams of 1 and 0
                           orbiting the portrait; it also fills the corners so
                           the square version looks finished

Every legible element stays inside SAFE_R (< 1024), i.e. inside the square's
inscribed circle, because social networks crop avatars to a circle.

Text is set glyph by glyph: each glyph is rendered SUPERSAMPLE times larger,
rotated to its tangent and box-filtered down, with positions taken from the
font's advance widths plus a fixed tracking, so spacing is even along the arc.
The binary motif uses a seeded RNG, so the output is deterministic.

Re-render (from the repository root, with Pillow and numpy installed)::

    python frames/dx-2023/draw.py

The script writes ``frame.png`` next to itself and prints the window's bounding
box, which must match ``[window]`` in ``frame.toml``. The font is the vendored
``frames/fonts/NotoSans-Bold.ttf`` (SIL OFL 1.1).
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT_PATH = HERE.parent / "fonts" / "NotoSans-Bold.ttf"
OUT_PATH = HERE / "frame.png"

# --- geometry (master pixels) ------------------------------------------------
SIZE = 2048
CX = CY = SIZE / 2  # centre of the square (between pixels 1023/1024)
WINDOW_R = 760  # transparent window radius (0.371 of the side)
RIM_W = 12  # gold rim directly outside the window
SAFE_R = 1000  # legible content stays inside this radius
SUPERSAMPLE = 4  # glyph oversampling factor
DIGIT_SIZE = 30  # binary motif: font px ...
DIGIT_RING_GAP = 40  # ... and distance between its orbits
SEED = 20231010

# --- palette -----------------------------------------------------------------
NAVY_DEEP = (5, 16, 48)
NAVY = (9, 33, 92)
ROYAL = (22, 72, 176)
RED = (218, 37, 29)  # flag red
RED_DARK = (160, 20, 18)
GOLD = (240, 190, 70)
GOLD_LIGHT = (250, 215, 120)
WHITE = (255, 255, 255)
DIGIT = (120, 170, 255)  # binary motif colour ...
DIGIT_OPACITY = 0.22  # ... and its (low) opacity

# --- text --------------------------------------------------------------------
TITLE = "NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA"
THEME = "Khai thác dữ liệu số để tạo ra giá trị"
DATE = "10.10.2023"

TITLE_SIZE = 125  # font px
TITLE_TRACK = 0.05  # extra spacing, in em
TITLE_BASE_R = 866  # baseline radius (accents reach ~1.04 em above)
THEME_SIZE = 47
THEME_TRACK = 0.02
THEME_BASE_R = 810  # dots under "ạ ị" stay ~16 px off the rim's white
# line (r 783), accents ~15 px under the title
DATE_SIZE = 184
DATE_TRACK = 0.0
DATE_SIDE_EM = 0.095  # optical side bearing for the date (see ArcText)
DATE_PUNCT_AIR = 1.3  # ... times this for the dots (the font's own ratio)
DATE_DEPTH_EM = 0.1  # how far into a curve or open side a gap is felt
RIBBON_R0, RIBBON_R1 = 796, 992  # red ribbon's inner/outer radius
RIBBON_HALF_DEG = 34  # full-thickness half-span around 6 o'clock
RIBBON_TIP_DEG = 95  # the swoosh tapers to nothing here
RIBBON_GOLD_W = 7
STAR_R = 32  # gold stars closing the title arc
STAR_GAP_DEG = 3.6


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def load_font(size: float) -> ImageFont.FreeTypeFont:
    # BASIC layout: no dependency on libraqm, identical output everywhere.
    return ImageFont.truetype(str(FONT_PATH), size, layout_engine=ImageFont.Layout.BASIC)


# --- polar helpers -------------------------------------------------------------
# Angles are in degrees, measured clockwise from 12 o'clock (image y points down).


def polar_grid() -> tuple[np.ndarray, np.ndarray]:
    """Radius and angle of every pixel centre, relative to the image centre."""
    ys, xs = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    dx, dy = xs + 0.5 - CX, ys + 0.5 - CY
    r = np.hypot(dx, dy)
    theta = np.degrees(np.arctan2(dx, -dy)) % 360.0
    return r, theta


def point_at(radius: float, angle_deg: float) -> tuple[float, float]:
    a = math.radians(angle_deg)
    return CX + radius * math.sin(a), CY - radius * math.cos(a)


def ring_mask(r: np.ndarray, r0: float, r1: float) -> np.ndarray:
    """Anti-aliased annulus r0 <= r < r1 (coverage 0..1)."""
    return np.clip(r - r0 + 0.5, 0, 1) * np.clip(r1 - r + 0.5, 0, 1)


def smoothstep(t: np.ndarray) -> np.ndarray:
    t = np.clip(t, 0, 1)
    return t * t * (3 - 2 * t)


def blend(canvas: np.ndarray, color, coverage: np.ndarray, opacity: float = 1.0) -> None:
    """Paint `color` (an RGB triple or an HxWx3 array) over the float canvas."""
    a = (coverage * opacity)[..., None]
    canvas *= 1 - a
    canvas += a * np.asarray(color, dtype=np.float64)


# --- glyph rendering -----------------------------------------------------------


class GlyphSetter:
    """Stamps rotated glyphs of one font size into a float coverage layer."""

    def __init__(self, size: float):
        self.size = size
        self.font = load_font(size * SUPERSAMPLE)
        self.cap = -self.font.getbbox("H", anchor="ls")[1] / SUPERSAMPLE
        # scratch canvas large enough for any glyph rotated about its baseline
        self.half = int(size * 1.6)
        self.side = 2 * self.half * SUPERSAMPLE

    def advance(self, ch: str) -> float:
        return self.font.getlength(ch) / SUPERSAMPLE

    def _ink(self, ch: str) -> tuple[np.ndarray, int]:
        """The glyph's ink (supersampled, unrotated) and its origin's offset."""
        pad = self.side // 4
        img = Image.new("L", (self.side, self.side), 0)
        ImageDraw.Draw(img).text((pad, self.side - pad), ch, font=self.font, fill=255, anchor="ls")
        return np.asarray(img) >= 128, pad

    def ink_extent(self, ch: str) -> tuple[float, float]:
        """Left and right edge of the glyph's ink, relative to its origin."""
        ink, pad = self._ink(ch)
        cols = np.flatnonzero(ink.any(axis=0))
        return (cols[0] - pad) / SUPERSAMPLE, (cols[-1] + 1 - pad) / SUPERSAMPLE

    def profile(self, ch: str) -> dict[float, tuple[float, float]]:
        """Per supersampled row of ink: height above the baseline -> left and
        right edge of the ink on that row, relative to the glyph's origin."""
        ink, pad = self._ink(ch)
        base = self.side - pad
        edges = {}
        for row in np.flatnonzero(ink.any(axis=1)):
            cols = np.flatnonzero(ink[row])
            edges[(base - row - 0.5) / SUPERSAMPLE] = (
                (cols[0] - pad) / SUPERSAMPLE,
                (cols[-1] + 1 - pad) / SUPERSAMPLE,
            )
        return edges

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
        """Draw `ch` rotated clockwise by `rot_cw` degrees so that the point on
        its baseline `centre` px right of its origin (default: half the
        advance) lands on (x, y). Max-combined into `layer`, scaled by `strength`."""
        if ch == " ":
            return
        if centre is None:
            centre = self.advance(ch) / 2
        ss = SUPERSAMPLE
        ix, iy = math.floor(x) - self.half, math.floor(y) - self.half
        ax, ay = (x - ix) * ss, (y - iy) * ss  # anchor in the scratch canvas
        img = Image.new("L", (self.side, self.side), 0)
        ImageDraw.Draw(img).text((ax - centre * ss, ay), ch, font=self.font, fill=255, anchor="ls")
        img = img.rotate(-rot_cw, resample=Image.Resampling.BICUBIC, center=(ax, ay))
        cov = np.asarray(img.reduce(ss), dtype=np.float64) * (strength / 255.0)
        h, w = cov.shape
        y0, x0 = max(iy, 0), max(ix, 0)
        y1, x1 = min(iy + h, SIZE), min(ix + w, SIZE)
        if y0 >= y1 or x0 >= x1:
            return
        patch = cov[y0 - iy : y1 - iy, x0 - ix : x1 - ix]
        np.maximum(layer[y0:y1, x0:x1], patch, out=layer[y0:y1, x0:x1])


class ArcText:
    """A line of text laid out along a circle, centred on an angle.

    outward=True: glyph tops point away from the centre (text over the top).
    outward=False: tops point to the centre (text under the bottom, upright).
    Glyphs advance by their advance width plus tracking, measured at mid cap
    height, so the gaps look even on the curve.

    With `optical_side_em`, spacing is optical instead: Noto's figures are
    tabular, and their fixed advances leave holes in "10.10.2023". Each glyph
    gets that side bearing on both sides (punctuation `punct_air` times more,
    as in the font, where "." has 57 units a side and figures 36-53), and
    every pair is kerned so that the white between the two equals the sum of
    their side bearings: the gap is measured row by row over the rows where
    both glyphs have ink (so a "." is spaced against the foot of a "1"'s stem,
    not against its flag), each row counting at most `depth_em` more than the
    narrowest row (so a "3"'s open side or a "0"'s curve pulls its neighbour
    in a little, not all the way), and with each row widened or narrowed as the
    arc spreads or bunches it at that height.
    """

    def __init__(
        self,
        text,
        size,
        base_r,
        centre_deg,
        track_em,
        outward=True,
        optical_side_em=None,
        punct_air=1.0,
        depth_em=0.1,
    ):
        self.text = nfc(text)
        self.setter = GlyphSetter(size)
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
        pa, pb = self.setter.profile(a), self.setter.profile(b)
        rows = sorted(set(pa) & set(pb))
        if not rows:
            return 0.0
        # origin-to-origin distance along the spacing circle without kerning
        pitch0 = (self.advances[i] + self.advances[i + 1]) / 2 + self.track
        shift = pitch0 + self.centres[i] - self.centres[i + 1]
        flat = np.array([pb[h][0] + shift - pa[h][1] for h in rows])
        # a row h above the baseline lies on radius base_r +- h: the arc
        # stretches (or shrinks) the distance between the glyphs there
        h = np.array(rows)
        radius = self.base_r + h if self.outward else self.base_r - h
        stretch = radius / self.spacing_r - 1
        kern = 0.0
        for _ in range(4):  # the stretch depends on the kerned pitch
            gap = flat + kern + (pitch0 + kern) * stretch
            optical = np.minimum(gap, gap.min() + depth).mean()
            kern += target - optical
        return kern

    @property
    def span_deg(self) -> float:
        total = sum(self.advances) + self.track * (len(self.text) - 1) + sum(self.kerns)
        return math.degrees(total / self.spacing_r)

    def draw(self, layer: np.ndarray) -> None:
        direction = 1 if self.outward else -1  # reading direction, clockwise degrees
        start = self.centre_deg - direction * self.span_deg / 2
        pos = 0.0
        kerns = [*self.kerns, 0.0]
        for ch, adv, centre, kern in zip(self.text, self.advances, self.centres, kerns, strict=True):
            ang = start + direction * math.degrees((pos + adv / 2) / self.spacing_r)
            x, y = point_at(self.base_r, ang)
            self.setter.stamp(layer, ch, x, y, ang if self.outward else ang - 180, centre=centre)
            pos += adv + self.track + kern


def title_text() -> ArcText:
    return ArcText(TITLE, TITLE_SIZE, TITLE_BASE_R, 0, TITLE_TRACK, outward=True)


def theme_text() -> ArcText:
    return ArcText(THEME, THEME_SIZE, THEME_BASE_R, 0, THEME_TRACK, outward=True)


def date_text() -> ArcText:
    # vertically centred in the ribbon: baseline = ribbon middle + half cap
    cap = GlyphSetter(DATE_SIZE).cap
    base_r = (RIBBON_R0 + RIBBON_R1) / 2 + cap / 2
    return ArcText(
        DATE,
        DATE_SIZE,
        base_r,
        180,
        DATE_TRACK,
        outward=False,
        optical_side_em=DATE_SIDE_EM,
        punct_air=DATE_PUNCT_AIR,
        depth_em=DATE_DEPTH_EM,
    )


# --- layers ---------------------------------------------------------------------


def draw_background(canvas, r):
    """Radial gradient: royal blue near the portrait to deep navy in the corners."""
    t = np.clip((r - WINDOW_R) / (SIZE * 0.72 - WINDOW_R), 0, 1) ** 0.8
    lo = np.clip(t * 2, 0, 1)[..., None]
    hi = np.clip(t * 2 - 1, 0, 1)[..., None]
    canvas[:] = np.asarray(ROYAL, float) * (1 - lo) + np.asarray(NAVY, float) * lo
    canvas[:] = canvas * (1 - hi) + np.asarray(NAVY_DEEP, float) * hi


def motif_visibility(radius: float, angle: float, title_span: float) -> float:
    """How visible a binary digit may be at a position (keeps the text clear)."""
    if radius > SAFE_R + 10:  # corners: free to show it
        return 1.0
    a = angle % 360
    near_title = min(a, 360 - a) < title_span / 2 + 6
    near_ribbon = abs(a - 180) < RIBBON_HALF_DEG + 8
    return 0.0 if near_title or near_ribbon else 0.8


def draw_binary_motif(canvas, title_span):
    """Streams of faint 1/0 digits orbiting the window, fading like comet tails."""
    rng = np.random.default_rng(SEED)
    setter = GlyphSetter(DIGIT_SIZE)
    layer = np.zeros((SIZE, SIZE), dtype=np.float64)
    step = DIGIT_SIZE * 0.78
    for ring_r in np.arange(WINDOW_R + 45, SIZE * 0.72, DIGIT_RING_GAP):
        n_slots = int(2 * math.pi * ring_r // step)
        slot_deg = 360.0 / n_slots
        phase = rng.uniform(0, slot_deg)
        k = 0
        while k < n_slots:
            k += int(rng.integers(4, 22))  # gap between streams
            run = int(rng.integers(6, 20))  # stream length
            bits = rng.integers(0, 2, size=run)
            for j in range(min(run, n_slots - k)):
                ang = phase + (k + j) * slot_deg
                vis = motif_visibility(ring_r, ang, title_span)
                if vis == 0:
                    continue
                strength = vis * (0.25 + 0.75 * (j + 1) / run)  # bright head
                x, y = point_at(ring_r, ang)
                setter.stamp(layer, "1" if bits[j] else "0", x, y, ang, strength)
            k += run
    blend(canvas, DIGIT, layer, opacity=DIGIT_OPACITY)


def ribbon_taper(theta: np.ndarray) -> np.ndarray:
    """Ribbon thickness factor: 1 under the date, easing to 0 at the tips."""
    phi = np.abs(theta - 180)  # degrees away from 6 o'clock
    return 1 - smoothstep((phi - RIBBON_HALF_DEG) / (RIBBON_TIP_DEG - RIBBON_HALF_DEG))


def draw_rim(canvas, r, theta):
    """Gold rim hugging the window, then a hairline of translucent white that
    fades out where the ribbon's own gold edge takes over."""
    blend(canvas, GOLD, ring_mask(r, WINDOW_R - 2, WINDOW_R + RIM_W))
    hairline = ring_mask(r, WINDOW_R + RIM_W + 8, WINDOW_R + RIM_W + 11)
    blend(canvas, WHITE, hairline * (1 - ribbon_taper(theta)), 0.55)


def draw_ribbon(canvas, r, theta):
    """Red swoosh along the bottom edge: full width under the date, tapering to
    nothing towards 3 and 9 o'clock, with a gold line along its inner edge."""
    taper = ribbon_taper(theta)
    fade = 1 - taper
    inner_r = RIBBON_R1 - (RIBBON_R1 - RIBBON_R0) * taper
    present = (taper > 0) * np.clip(RIBBON_R1 - r + 0.5, 0, 1)
    gold = present * np.clip(r - (inner_r - RIBBON_GOLD_W * taper) + 0.5, 0, 1)
    red = present * np.clip(r - inner_r + 0.5, 0, 1)
    shade = fade[..., None] * 0.8  # deepen the red towards the tips
    red_color = np.asarray(RED, float) * (1 - shade) + np.asarray(RED_DARK, float) * shade
    blend(canvas, GOLD, gold)
    blend(canvas, red_color, red)


def star_points(cx, cy, outer, rot_cw, inner_ratio=0.382):
    """Vertices of a five-pointed star, first point rotated `rot_cw` from up."""
    pts = []
    for i in range(10):
        rad = outer if i % 2 == 0 else outer * inner_ratio
        a = math.radians(rot_cw + 36 * i)
        pts.append((cx + rad * math.sin(a), cy - rad * math.cos(a)))
    return pts


def draw_stars(canvas, title_span):
    """Two small gold stars closing the ends of the title arc."""
    ss = SUPERSAMPLE
    layer = np.zeros((SIZE, SIZE), dtype=np.float64)
    radius = TITLE_BASE_R + GlyphSetter(TITLE_SIZE).cap / 2
    for side in (-1, 1):
        ang = side * (title_span / 2 + STAR_GAP_DEG)
        x, y = point_at(radius, ang)
        half = STAR_R + 4
        x0, y0 = math.floor(x) - half, math.floor(y) - half
        img = Image.new("L", (2 * half * ss, 2 * half * ss), 0)
        pts = star_points((x - x0) * ss, (y - y0) * ss, STAR_R * ss, ang)
        ImageDraw.Draw(img).polygon(pts, fill=255)
        cov = np.asarray(img.reduce(ss), dtype=np.float64) / 255.0
        h, w = cov.shape
        np.maximum(layer[y0 : y0 + h, x0 : x0 + w], cov, out=layer[y0 : y0 + h, x0 : x0 + w])
    blend(canvas, GOLD, layer)


def draw_text(canvas):
    layer = np.zeros((SIZE, SIZE), dtype=np.float64)
    for arc, color in ((title_text(), WHITE), (theme_text(), GOLD_LIGHT), (date_text(), WHITE)):
        layer[:] = 0
        arc.draw(layer)
        blend(canvas, color, layer)


def window_alpha(r: np.ndarray) -> np.ndarray:
    """0 inside the window, 255 outside, with a one-pixel anti-aliased edge."""
    return np.clip(r - WINDOW_R + 0.5, 0, 1) * 255


def window_box() -> tuple[int, int, int, int]:
    """(x, y, width, height) of the window's bounding box in master pixels."""
    return math.floor(CX - WINDOW_R), math.floor(CY - WINDOW_R), 2 * WINDOW_R, 2 * WINDOW_R


def render() -> Image.Image:
    r, theta = polar_grid()
    canvas = np.zeros((SIZE, SIZE, 3), dtype=np.float64)
    draw_background(canvas, r)
    draw_binary_motif(canvas, title_text().span_deg)
    draw_rim(canvas, r, theta)
    draw_ribbon(canvas, r, theta)
    draw_text(canvas)
    draw_stars(canvas, title_text().span_deg)
    # colour under the window = rim colour, so resampling never bleeds dark
    canvas[r < WINDOW_R - 2] = GOLD
    rgb = np.clip(np.rint(canvas), 0, 255).astype(np.uint8)
    alpha = np.rint(window_alpha(r)).astype(np.uint8)
    return Image.fromarray(np.dstack([rgb, alpha]), "RGBA")


def main() -> None:
    image = render()
    image.save(OUT_PATH, optimize=True)
    x, y, w, h = window_box()
    print(f"wrote {OUT_PATH.name}: {SIZE}x{SIZE}")
    print(f"window: shape=circle x={x} y={y} width={w} height={h}")


if __name__ == "__main__":
    main()
