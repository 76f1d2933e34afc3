r"""Draw a campaign frame in the built-in frame's style from a few words: pure (no files, no printing).

The built-in frame `dx-2023` is drawn by it too, pixel for pixel as it ships: its words are the `[design]`
table of its frame.toml, and `python -m framer.frames.draw FRAME_FOLDER` draws a folder's frame.png again.

Layout (2048 x 2048 px, centred on the square's centre)::

                        .  -  ~ ~ ~ ~ ~ ~ ~  -  .
                  .   *   T I T L E  (logo)  T I T L E   *  .      SAFE_R 1000: everything that matters
              .            the theme line, smaller            .     is inside (avatars are cut round)
           .        .-~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~-.        .
          :       /                                        \       :  the window: round (r 760) or a
          :      |          the window (transparent)         |      :  rounded square, a gold rim and a
          :       \                                        /       :  white hairline around it (to r 783)
           '.      '-~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~-'       .'
              '.  \\\\\\      1 0 . 1 0 . 2 0 2 7      //////  .'     the band: r 796-992 under the date,
                   ' - .   _   _   _   _   _   _   .  - '             tapering away 95 deg from 6 o'clock

- The title follows the top arc: 125 px, set smaller down to 100 px to fit one line, else on two lines
  (88 down to 64 px, broken at the most even word or where the title has a line break), else refused.
- The theme line sits just inside a one-line title. It goes on the band, under the date, when the title
  takes two lines, when the logo is at the top, or when it does not fit there; alone on the band when
  there is no date. A band that carries nothing is a slim swoosh.
- A logo sits at 12 o'clock on a white badge as deep as the ring; each title line is split around it.
- Faint streams of 1 and 0 orbit the window, hidden by angle around every text and the logo; they fill
  the corners, so the square picture looks finished too.

The texts are planned before a pixel is drawn (`plan`, cheap): every glyph's ink is a few boxes, one per
band of height, checked against SAFE_R, the rim, the band and the other texts. Then each glyph is
rendered SUPERSAMPLE times larger, rotated to its tangent and box-filtered down (`_Setter.stamp`).
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import re
import struct
import sys
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..core import colour as _colour  # noqa: F401 (loading it turns Pillow's size guard off: the logo is checked here)
from ..core.geometry import Box
from ..errors import FrameError
from ..i18n import _

if TYPE_CHECKING:
    from pathlib import Path

    from PIL.ImageFont import FreeTypeFont

# --- geometry (frame px) -----------------------------------------------------------------------------
SIZE = 2048
CX = CY = SIZE / 2  # the centre of the square (between pixels 1023 and 1024)
WINDOW_R = 760  # the round window's radius (0.371 of the side)
SQUARE_HALF = 600  # the square window's half side ...
SQUARE_CORNER = 216  # ... and its corners' radius: its rim's corners stay inside the round one's hairline
RIM_W = 12  # gold rim directly outside the window
HAIRLINE = (8, 11)  # a white hairline this far beyond the rim
RIM_OUTER = WINDOW_R + RIM_W + HAIRLINE[1]  # 783: no part of either window's rim reaches further out
SAFE_R = 1000  # everything legible stays inside this radius (the inscribed circle is 1024)
SUPERSAMPLE = 4  # glyph oversampling factor
DIGIT_SIZE = 30  # binary motif: font px ...
DIGIT_RING_GAP = 40  # ... and the distance between its orbits
SEED = 20231010

# --- text: sizes, spacing and where each line sits ------------------------------------------------------
TITLE_SIZE = 125  # font px, the largest; set smaller down to ...
TITLE_MIN_ONE_LINE = 100  # ... this on one line, then on two lines from ...
TITLE_MAX_TWO_LINES = 88  # ... this down to ...
TITLE_MIN_TWO_LINES = 64  # ... this (at 1080 px it is still a 34 px type)
TITLE_TRACK = 0.05  # extra spacing, in em
TITLE_ROOM_EM = 1.072  # the baseline sits this far inside SAFE_R: Vietnamese stacked capitals (Ỗ, Ẫ) reach
# 1.064 em; at 125 px this is the built-in's baseline, 866
TITLE_LINE_PITCH_EM = 1.25  # baseline to baseline of a two-line title (further when the ink needs it)
TITLE_INNER_GAP = 24  # px between a two-line title's ink and the rim's hairline, at least
TITLE_HALF_SPAN = 76.0  # degrees: a title line reaches this far from 12 o'clock (the band starts at 85)
SUB_SIZE = 47
SUB_MIN = 34
SUB_TRACK = 0.02
SUB_ROOM_EM = 0.98  # the theme's baseline sits this far (plus TITLE_SUB_GAP) under the title's: at 47 px
TITLE_SUB_GAP = 10  # under the built-in's 866 this is 810, its accents ~15 px under the title
SUB_HALF_SPAN = 72.0
DATE_SIZE = 184
DATE_MIN = 110
DATE_WITH_SUBTITLE = 136  # the date's largest size when the theme line shares the band
BAND_SUB_ALONE = 80  # the theme line's largest size alone on the band (no date)
DATE_TRACK = 0.0
DATE_SIDE_EM = 0.095  # optical side bearing for the date (see _Arc)
DATE_PUNCT_AIR = 1.3  # ... times this for the dots (the font's own ratio)
DATE_DEPTH_EM = 0.1  # how far into a curve or open side a gap is felt
TEXT_GAP = 3  # px between the (padded) ink boxes of two texts or a text and the logo: 6 px of ink apart
INNER_GAP = 12  # px between any text and the rim's hairline, at least
BAND_GAP = 12  # px between the date's ink and the band's edges, at least
LOGO_GAP = 16  # px between the logo's badge and a text, at least
BAND_LINE_GAP = 16  # px between the theme line and the date when they share the band
INK_PAD = 1.5  # px added around every planned ink box: rendering (hinting, resampling) may spread it
# a glyph's ink is planned as one box per band of height between these (em above the baseline): the
# dot under Ạ, the tail of Q and the accents over Ể are boxes of their own, not the whole glyph's width
BAND_EDGES_EM = (-0.05, 0.0, 0.25, 0.5, 0.75, 1.0)
MOTIF_CLEAR_DEG = 6  # the motif keeps this far (by angle) from a text's arc ...
MOTIF_BAND_CLEAR_DEG = 8  # ... and from the band's full width

# --- band, stars, logo ------------------------------------------------------------------------------------
RIBBON_R0, RIBBON_R1 = 796, 992  # the band's inner and outer radius
RIBBON_SLIM_R0 = 940  # the band's inner radius when it carries no text: a slim swoosh
RIBBON_HALF_DEG = 34  # full width this far either side of 6 o'clock ...
RIBBON_TIP_DEG = 95  # ... tapering to nothing here
BAND_REACH_DEG = 66  # no date fits on the band further than this from 6 o'clock (it is too thin there)
RIBBON_GOLD_W = 7
STAR_R = 32  # gold stars closing the title's arc (at TITLE_SIZE; in proportion for smaller titles)
STAR_GAP_DEG = 3.6  # between the title's arc and a star, at TITLE_SIZE on the built-in's radius ...
STAR_REF_R = 910.625  # ... this one (866 + half the cap height)
LOGO_PAD = 0.08  # the logo's white badge leaves this share of its height around the logo
LOGO_RING_W = 4  # px, the badge's gold ring
LOGO_MAX_SPINE = 1.0  # a wide logo's badge is a capsule, its straight part at most this many radii each way
MAX_LOGO_BYTES = 8_000_000  # a logo file, read whole
MAX_LOGO_SIDE = 4096  # px, a logo's longer side (from its header, before it is decoded)
LOGO_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")  # never one Pillow renders with another program
LOGO_FILE = "logo.png"  # the logo's file in a frame folder, named in [design]

FONT_FILE = "NotoSans-Bold.ttf"  # framer.builtin_frames/fonts: SIL OFL 1.1
FONT_NAME = "Noto Sans Bold"
# --window-shape -> framer.frames.window.SHAPES
WINDOW_SHAPES = {"round": "circle", "square": "rounded rectangle"}

RGB = tuple[int, int, int]
WHITE: RGB = (255, 255, 255)
GOLD: RGB = (240, 190, 70)
GOLD_LIGHT: RGB = (250, 215, 120)
FLAG_RED: RGB = (218, 37, 29)
FLAG_RED_DARK: RGB = (160, 20, 18)
DIGIT_OPACITY = 0.22  # the binary motif's (low) opacity
MIN_CONTRAST = 4.5  # WCAG AA for text


@dataclass(frozen=True)
class Design:
    """What a frame says and how it looks: the options of `framer frames new`."""

    title: str
    subtitle: str | None = None
    date_text: str | None = None
    colour: str = "blue"  # a palette's name (PALETTES), or "#RRGGBB": the background's main colour
    logo: bytes | None = None  # an image file's bytes (PNG with transparency, JPEG...), optional
    window_shape: str = "round"  # "round" (a circle, as dx-2023) or "square" (a rounded square)


@dataclass(frozen=True)
class Drawn:
    """A drawn frame: its image, its window, and what fitting the texts did."""

    image: Image.Image  # RGBA, SIZE x SIZE
    window: Box  # the transparent window's bounding box, frame px (as frame.toml's [window])
    shape: str  # "circle" or "rounded rectangle" (framer.frames.window.SHAPES)
    notes: list[str]  # what fitting did, in words (the title set smaller or on two lines, ...)
    layout: Layout


@dataclass(frozen=True)
class Palette:
    """The colours of a frame. `main` is the background near the window, darkening to `mid` and `deep`."""

    main: RGB
    mid: RGB
    deep: RGB
    band: RGB  # the band under the date ...
    band_tips: RGB  # ... deepening to this towards its tips
    band_edge: RGB  # the line along the band's inner edge
    accent: RGB  # the rim, the stars, the logo's ring
    title: RGB
    subtitle: RGB
    date: RGB  # the date, on the band
    digit: RGB  # the binary motif
    hairline: RGB = WHITE


PALETTES: dict[str, Palette] = {
    # Digital transformation: deep navy and royal blue, a flag-red band, white type, gold lines (dx-2023).
    "blue": Palette(
        main=(22, 72, 176),
        mid=(9, 33, 92),
        deep=(5, 16, 48),
        band=FLAG_RED,
        band_tips=FLAG_RED_DARK,
        band_edge=GOLD,
        accent=GOLD,
        title=WHITE,
        subtitle=GOLD_LIGHT,
        date=WHITE,
        digit=(120, 170, 255),
    ),
    # National Day (2/9), the Party's congresses, Tết: flag red and gold; a gold band, not a red one on red.
    "red": Palette(
        main=(184, 22, 28),
        mid=(118, 10, 16),
        deep=(58, 4, 8),
        band=(244, 196, 60),
        band_tips=(196, 140, 30),
        band_edge=(255, 236, 170),
        accent=(250, 204, 64),
        title=WHITE,
        subtitle=(255, 226, 130),
        date=(120, 8, 14),
        digit=(255, 170, 150),
    ),
    # The environment, health, the army, agriculture: forest green with the flag-red band.
    "green": Palette(
        main=(14, 112, 66),
        mid=(6, 62, 36),
        deep=(3, 30, 18),
        band=FLAG_RED,
        band_tips=FLAG_RED_DARK,
        band_edge=GOLD,
        accent=GOLD,
        title=WHITE,
        subtitle=GOLD_LIGHT,
        date=WHITE,
        digit=(140, 230, 170),
    ),
    # Education, science, the sea and islands: deep teal with the flag-red band.
    "teal": Palette(
        main=(0, 104, 116),
        mid=(0, 56, 66),
        deep=(0, 28, 34),
        band=FLAG_RED,
        band_tips=FLAG_RED_DARK,
        band_edge=GOLD,
        accent=GOLD,
        title=WHITE,
        subtitle=GOLD_LIGHT,
        date=WHITE,
        digit=(120, 220, 230),
    ),
    # Vietnamese Women's Day (20/10) and 8/3: magenta with a gold band (red would clash with it).
    "pink": Palette(
        main=(170, 24, 104),
        mid=(100, 10, 60),
        deep=(50, 4, 30),
        band=(244, 196, 60),
        band_tips=(196, 140, 30),
        band_edge=(255, 236, 170),
        accent=(250, 204, 64),
        title=WHITE,
        subtitle=(255, 226, 130),
        date=(96, 8, 54),
        digit=(255, 160, 210),
    ),
}
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


# --- colour ---------------------------------------------------------------------------------------------


def luminance(rgb: Sequence[float]) -> float:
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""
    lin = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: Sequence[float], b: Sequence[float]) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def background_at(palette: Palette, radius: float) -> RGB:
    """The background's colour at `radius` px from the centre (the radial gradient, before any motif)."""
    t = min(max((radius - WINDOW_R) / (SIZE * 0.72 - WINDOW_R), 0.0), 1.0) ** 0.8
    lo, hi = min(max(t * 2, 0.0), 1.0), min(max(t * 2 - 1, 0.0), 1.0)
    mixed = [m * (1 - lo) + d * lo for m, d in zip(palette.main, palette.mid, strict=True)]
    r, g, b = (round(c * (1 - hi) + e * hi) for c, e in zip(mixed, palette.deep, strict=True))
    return r, g, b


def band_at(palette: Palette, phi: float) -> RGB:
    """The band's colour `phi` degrees away from 6 o'clock (it deepens towards its tips)."""
    shade = (1 - _taper(phi)) * 0.8
    r, g, b = (
        round(c * (1 - shade) + t * shade) for c, t in zip(palette.band, palette.band_tips, strict=True)
    )
    return r, g, b


def palette_for(colour: str) -> tuple[Palette, list[str]]:
    """The palette for --colour: a name in PALETTES, or "#RRGGBB" with the rest derived from it. Also what
    was changed to keep the text readable, in words. FrameError for anything else."""
    key = colour.strip().lower()
    if key in PALETTES:
        return PALETTES[key], []
    if not HEX_COLOUR.fullmatch(key):
        raise FrameError(
            _("--colour {colour!r}: not a palette's name or a colour; use one of {names}, or #RRGGBB").format(
                colour=colour, names=", ".join(PALETTES)
            )
        )
    given: RGB = (int(key[1:3], 16), int(key[3:5], 16), int(key[5:7], 16))
    main, notes = given, []
    # White type must read on the lightest background behind it, the main colour: a light agency colour
    # is darkened (its hue kept) until it does, rather than the type changing colour.
    while contrast(WHITE, main) < MIN_CONTRAST + 0.1:
        main = (round(main[0] * 0.94), round(main[1] * 0.94), round(main[2] * 0.94))
    if main != given:
        notes.append(
            _("--colour {given} is darkened to {used} so that the white text on it stays readable").format(
                given=_hex(given), used=_hex(main)
            )
        )
    mid = (round(main[0] * 0.45), round(main[1] * 0.45), round(main[2] * 0.45))
    deep = (round(main[0] * 0.22), round(main[1] * 0.22), round(main[2] * 0.22))
    digit = (
        round(main[0] * 0.4 + 255 * 0.6),
        round(main[1] * 0.4 + 255 * 0.6),
        round(main[2] * 0.4 + 255 * 0.6),
    )
    subtitle = GOLD_LIGHT if contrast(GOLD_LIGHT, main) >= MIN_CONTRAST + 0.1 else WHITE
    if _reddish(main):  # a red band would vanish on a red background: a gold one, with dark type
        gold = PALETTES["red"]
        return (
            Palette(
                main,
                mid,
                deep,
                gold.band,
                gold.band_tips,
                gold.band_edge,
                gold.accent,
                WHITE,
                subtitle,
                deep,
                digit,
            ),
            notes,
        )
    return Palette(main, mid, deep, FLAG_RED, FLAG_RED_DARK, GOLD, GOLD, WHITE, subtitle, WHITE, digit), notes


def _reddish(rgb: RGB) -> bool:
    """Whether a colour is close enough to the flag's red that a red band on it would not stand out."""
    import colorsys

    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    hue = h * 360
    return s >= 0.35 and v >= 0.2 and (hue <= 40 or hue >= 300)


def _hex(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


# --- texts and the font -----------------------------------------------------------------------------------


@functools.cache
def _font_data() -> bytes:
    from .model import builtin_root

    return (builtin_root() / "fonts" / FONT_FILE).read_bytes()


@functools.lru_cache(maxsize=256)
def _font(px: int) -> FreeTypeFont:
    # BASIC layout: no dependency on libraqm, identical output everywhere; Vietnamese letters are all
    # precomposed in NFC and in the font, so no mark positioning is needed.
    return ImageFont.truetype(io.BytesIO(_font_data()), px, layout_engine=ImageFont.Layout.BASIC)


@functools.cache
def _covered() -> frozenset[int]:
    """The code points the font has a glyph for (its cmap)."""
    return _cmap_points(_font_data())


def _cmap_points(data: bytes) -> frozenset[int]:
    """The code points a TrueType font maps to a glyph other than .notdef (cmap format 4 or 12)."""
    (tables,) = struct.unpack_from(">H", data, 4)
    for i in range(tables):
        tag, _sum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            break
    else:
        return frozenset()
    (count,) = struct.unpack_from(">H", data, offset + 2)
    chosen: tuple[int, int] | None = None
    for i in range(count):
        platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
        (fmt,) = struct.unpack_from(">H", data, offset + sub)
        unicode = (platform, encoding) in ((3, 1), (3, 10), (0, 3), (0, 4), (0, 6))
        if unicode and fmt == 12:
            chosen = (12, offset + sub)
        elif unicode and fmt == 4 and chosen is None:
            chosen = (4, offset + sub)
    points: set[int] = set()
    if chosen is None:
        return frozenset()
    fmt, at = chosen
    if fmt == 12:
        (groups,) = struct.unpack_from(">I", data, at + 12)
        for g in range(groups):
            start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
            points.update(c for c in range(start, end + 1) if glyph + c - start)
        return frozenset(points)
    (seg2,) = struct.unpack_from(">H", data, at + 6)
    ends = at + 14
    starts = ends + seg2 + 2
    deltas = starts + seg2
    ranges = deltas + seg2
    for s in range(seg2 // 2):
        (end,) = struct.unpack_from(">H", data, ends + 2 * s)
        (start,) = struct.unpack_from(">H", data, starts + 2 * s)
        (delta,) = struct.unpack_from(">h", data, deltas + 2 * s)
        (range_offset,) = struct.unpack_from(">H", data, ranges + 2 * s)
        for c in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                glyph = (c + delta) & 0xFFFF
            else:
                (glyph,) = struct.unpack_from(">H", data, ranges + 2 * s + range_offset + 2 * (c - start))
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                points.add(c)
    return frozenset(points)


def clean_text(text: str, option: str, *, line_breaks: bool = False) -> str:
    """`text` as it is set: NFC (macOS terminals send NFD: decomposed accents), spaces collapsed, each
    line stripped; a line break kept only where `line_breaks` allows it (one, in the title). FrameError,
    naming `option`, for a character the font cannot draw (emoji, CJK, a control character)."""
    text = unicodedata.normalize("NFC", text)
    lines = [" ".join(line.split()) for line in re.split(r"\r\n|[\r\n\u2028\u2029]", text)]
    lines = [line for line in lines if line]
    if len(lines) > (2 if line_breaks else 1):
        raise FrameError(
            _("{option}: at most two lines (one line break)").format(option=option)
            if line_breaks
            else _("{option}: write it on one line").format(option=option)
        )
    covered = _covered()
    for line in lines:
        for ch in line:
            category = unicodedata.category(ch)
            if category[0] == "C" or category in ("Zl", "Zp"):
                raise FrameError(
                    _(
                        "{option}: the invisible character U+{code:04X} ({name}) cannot be drawn: remove it"
                    ).format(option=option, code=ord(ch), name=unicodedata.name(ch, "?"))
                )
            if ch != " " and (ord(ch) not in covered or category[0] == "M"):
                raise FrameError(
                    _(
                        "{option}: {char} (U+{code:04X}, {name}) is not in the frame's font ({font}), so it "
                        "cannot be drawn; use letters, digits and punctuation (Vietnamese is fine)"
                    ).format(
                        option=option, char=ch, code=ord(ch), name=unicodedata.name(ch, "?"), font=FONT_NAME
                    )
                )
    return "\n".join(lines)


# --- polar helpers ----------------------------------------------------------------------------------------
# Angles are in degrees, measured clockwise from 12 o'clock (image y points down).


def point_at(radius: float, angle_deg: float) -> tuple[float, float]:
    a = math.radians(angle_deg)
    return CX + radius * math.sin(a), CY - radius * math.cos(a)


def _smoothstep(t: Any) -> Any:
    t = np.clip(t, 0, 1)
    return t * t * (3 - 2 * t)


def _taper(phi: Any) -> Any:
    """The band's thickness factor `phi` degrees from 6 o'clock: 1 under the date, easing to 0 at the tips."""
    return 1 - _smoothstep((phi - RIBBON_HALF_DEG) / (RIBBON_TIP_DEG - RIBBON_HALF_DEG))


# --- glyphs -----------------------------------------------------------------------------------------------


class _Setter:
    """One font size: advances, ink, and rotated glyphs stamped into a float coverage layer."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.font = _font(size * SUPERSAMPLE)
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
def _setter(size: int) -> _Setter:
    return _Setter(size)


@functools.lru_cache(maxsize=4096)
def _em_bands(ch: str) -> np.ndarray:
    """The glyph's ink as boxes, one per band of height (BAND_EDGES_EM), in em relative to its origin and
    baseline (v up): an (n, 4) array of u0, u1, v0, v1. From a rendering at 512 px, scaled to any size
    (planning tries many sizes; INK_PAD covers the difference)."""
    ref = 128
    setter = _setter(ref)
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


class _Arc:
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
        self.setter = _setter(size)
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
            boxes = _em_bands(ch) * self.size
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


# --- ink as polygons, and the sectors that bound them -------------------------------------------------------


@dataclass(frozen=True)
class Ink:
    """A part of the frame that matters: a text's glyph (one box per band of height), a star, the logo.
    `corners` is a convex polygon in frame px that contains its ink."""

    role: str  # "title", "subtitle", "date", "star", "logo"
    corners: tuple[tuple[float, float], ...]
    line: int = 0  # which line of the title (0: the outer one), which star


def _sectors(polygons: np.ndarray) -> np.ndarray:
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


def _away(angle: Any, centre: float) -> Any:
    """How many degrees `angle` is from `centre`, either way round (0..180)."""
    return np.abs((angle - centre + 180) % 360 - 180)


def _clash(a: np.ndarray, b: np.ndarray, gap: float = TEXT_GAP) -> bool:
    """Whether any sector of `a` comes within `gap` px of one of `b` (both from _sectors)."""
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


def _star_polygon(x: float, y: float, outer: float, rot_cw: float) -> np.ndarray:
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


# --- the logo ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    """The logo's place: a white capsule (a circle when `spine` is 0) centred on 12 o'clock."""

    cy: float  # its centre's y, frame px (x is CX)
    radius: float  # half its height
    spine: float  # half the length of its straight part

    def polygon(self, steps: int = 24) -> np.ndarray:
        """A convex polygon around the capsule (its circular ends circumscribed, never cut)."""
        grow = 1 / math.cos(math.pi / steps)
        pts = []
        ends = range(steps // 2 + 1) if self.spine > 0 else range(steps // 2)  # a circle: no point twice
        for side, start in ((1, -90.0), (-1, 90.0)):
            for k in ends:
                a = math.radians(start + 180 * k / (steps // 2))
                pts.append(
                    (
                        CX + side * self.spine + self.radius * grow * math.cos(a),
                        self.cy + self.radius * grow * math.sin(a),
                    )
                )
        return np.array(pts)

    @property
    def far(self) -> float:
        """Its farthest point from the frame's centre."""
        return math.hypot(self.spine, CY - self.cy) + self.radius

    @property
    def near(self) -> float:
        """Its nearest point to the frame's centre."""
        return CY - self.cy - self.radius


def open_logo(data: bytes) -> Image.Image:
    """The logo in `data` as RGBA, trimmed to its visible part. FrameError naming --logo when it is not a
    readable image, claims more than MAX_LOGO_SIDE px (checked from its header, before decoding: a small
    file can claim a huge picture) or has nothing visible."""
    from PIL import UnidentifiedImageError

    if len(data) > MAX_LOGO_BYTES:
        raise FrameError(
            _("--logo: the file is larger than {limit} MB, too large for a logo").format(
                limit=MAX_LOGO_BYTES // 1_000_000
            )
        )
    try:
        with Image.open(io.BytesIO(data), formats=LOGO_FORMATS) as im:
            if max(im.size) > MAX_LOGO_SIDE:
                raise FrameError(
                    _(
                        "--logo: the image is {w} x {h} px; a logo may be at most {limit} px on its longer "
                        "side"
                    ).format(w=im.width, h=im.height, limit=MAX_LOGO_SIDE)
                )
            im.load()
            rgba = im.convert("RGBA")
    except UnidentifiedImageError:
        raise FrameError(
            _("--logo: not an image framer can read (a PNG with transparency is best)")
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise FrameError(_("--logo: not a readable image ({detail})").format(detail=e)) from None
    box = rgba.getchannel("A").point(lambda a: 255 if a >= 8 else 0).getbbox()
    if box is None:
        raise FrameError(_("--logo: the image is fully transparent: there is nothing to show"))
    return rgba.crop(box)


def _fit_logo(logo: Image.Image, badge: Badge) -> tuple[Image.Image, int, int]:
    """The logo scaled (keeping its aspect) so that every visible pixel lies inside the badge, less its
    padding and ring, and where it goes (top-left, frame px)."""
    alpha = np.asarray(logo.getchannel("A"), dtype=np.uint8)
    step = max(1, max(alpha.shape) // 256)  # the shape, not every pixel, decides the scale
    ys, xs = np.nonzero(alpha[::step, ::step] >= 8)
    w, h = logo.size
    u = (xs * step + step / 2) - w / 2  # from the logo's centre, in logo px
    v = (ys * step + step / 2) - h / 2
    room = badge.radius * (1 - 2 * LOGO_PAD) - LOGO_RING_W
    # scale k: every point (k u, k v) within `room` of the spine [-spine, spine] x {0}
    lo, hi = 0.0, 4 * badge.radius / max(w, h, 1)
    for _i in range(40):
        k = (lo + hi) / 2
        along = np.clip(k * u, -badge.spine, badge.spine)
        inside = np.hypot(k * u - along, k * v).max() <= room
        lo, hi = (k, hi) if inside else (lo, k)
    tw, th = max(1, round(w * lo)), max(1, round(h * lo))
    scaled = logo.resize((tw, th), Image.Resampling.LANCZOS)
    return scaled, round(CX - tw / 2), round(badge.cy - th / 2)


# --- the plan ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where everything goes, before a pixel is drawn (`plan`)."""

    window_shape: str  # "round" or "square"
    title_size: int
    title: tuple[_Arc, ...]  # one arc per line, or two for the outer line when the logo splits it
    subtitle: _Arc | None
    date: _Arc | None
    stars: tuple[tuple[float, float, float, float], ...]  # x, y, outer radius, rotation (clockwise)
    badge: Badge | None
    zones: tuple[tuple[float, float], ...]  # (centre, half width) in degrees: the motif keeps out
    notes: tuple[str, ...] = field(default=())
    band_inner: float = RIBBON_R0  # the band's inner radius under the date (a slim band carries nothing)

    @property
    def subtitle_on_top(self) -> bool:
        """Whether the theme line is under the title (else it is on the band, in the date's colour)."""
        return self.subtitle is not None and self.subtitle.outward

    def inks(self) -> list[Ink]:
        """Every part that matters, as convex polygons containing its ink."""
        out = []
        for role, arcs in (
            ("title", self.title),
            ("subtitle", _some(self.subtitle)),
            ("date", _some(self.date)),
        ):
            baselines = sorted({arc.base_r for arc in arcs}, reverse=True)
            for arc in arcs:
                line = baselines.index(arc.base_r)
                out += [Ink(role, _corners(q), line) for q in arc.polygons()]
        for n, (x, y, outer, rot) in enumerate(self.stars):
            out.append(Ink("star", _corners(_star_polygon(x, y, outer, rot)), n))
        if self.badge is not None:
            out.append(Ink("logo", _corners(self.badge.polygon())))
        return out

    def text_of(self, role: str) -> str:
        """The characters set for a role, in reading order, without the spaces where lines break."""
        arcs = {"title": self.title, "subtitle": _some(self.subtitle), "date": _some(self.date)}[role]
        return "".join(arc.text.replace(" ", "") for arc in arcs)


def _corners(polygon: np.ndarray) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in polygon)


def _some(arc: _Arc | None) -> tuple[_Arc, ...]:
    return () if arc is None else (arc,)


def _title_base(size: int) -> float:
    return SAFE_R - round(TITLE_ROOM_EM * size)


def _arc_sectors(arcs: Sequence[_Arc]) -> np.ndarray:
    polys = [arc.polygons() for arc in arcs]
    return _sectors(np.concatenate(polys)) if polys else np.zeros((0, 4))


def _in_ring(sectors: np.ndarray, inner: float) -> bool:
    """Whether every sector lies inside SAFE_R and at least `inner` px from the centre."""
    return bool(len(sectors) == 0 or ((sectors[:, 3] <= SAFE_R) & (sectors[:, 2] >= inner)).all())


def _on_band(sectors: np.ndarray) -> bool:
    """Whether every sector lies on the band, BAND_GAP px inside its edges (where it tapers too)."""
    if len(sectors) == 0:
        return True
    phi = np.maximum(_away(sectors[:, 0], 180), _away(sectors[:, 1], 180))
    inner = RIBBON_R1 - (RIBBON_R1 - RIBBON_R0) * _taper(phi)
    present = phi < RIBBON_TIP_DEG
    return bool(
        (present & (sectors[:, 2] >= inner + BAND_GAP) & (sectors[:, 3] <= RIBBON_R1 - BAND_GAP)).all()
    )


def _split_line(line: str, size: int) -> tuple[str, str] | None:
    """A line split in two at the word that makes the most even halves (None: it is one word)."""
    words = line.split(" ")
    if len(words) < 2:
        return None
    setter = _setter(size)
    widths = [sum(setter.advance(ch) for ch in w) for w in words]
    space = setter.advance(" ")
    k = min(
        range(1, len(words)),
        key=lambda k: abs(sum(widths[:k]) - sum(widths[k:]) + space * (2 * k - len(words))),
    )
    return " ".join(words[:k]), " ".join(words[k:])


def _line_arcs(line: str, size: int, base: float, badge: Badge | None) -> list[_Arc] | None:
    """One title line on its baseline: centred on 12 o'clock, or in two parts either side of the logo's
    badge; None when it is wider than TITLE_HALF_SPAN allows (or cannot be split)."""
    if badge is None:
        arc = _Arc(line, size, base, 0, TITLE_TRACK, outward=True)
        return [arc] if arc.span_deg / 2 <= TITLE_HALF_SPAN else None
    halves = _split_line(line, size)
    if halves is None:
        return None
    spacing_r = base + _setter(size).cap / 2
    # the gap either side of 12 o'clock: the badge's half width, seen from the line's middle; widened
    # until the ink clears the badge
    reach = badge.spine + badge.radius + LOGO_GAP
    gap = math.degrees(math.asin(min(reach / spacing_r, 1.0)))
    around = _sectors(badge.polygon()[None])
    spans = [_Arc(text, size, base, 0, TITLE_TRACK).span_deg for text in halves]
    for _i in range(40):
        if max(spans) + gap > TITLE_HALF_SPAN:
            return None
        left = _Arc(halves[0], size, base, -gap - spans[0] / 2, TITLE_TRACK, outward=True)
        right = _Arc(halves[1], size, base, gap + spans[1] / 2, TITLE_TRACK, outward=True)
        if not _clash(_arc_sectors([left, right]), around, LOGO_GAP):
            return [left, right]
        gap += math.degrees(4 / spacing_r)
    return None


def _title_arcs(lines: Sequence[str], size: int, badge: Badge | None) -> list[_Arc] | None:
    """The title's lines set at `size` from the outside in, each as far out as its ink allows (clear of
    SAFE_R and of the line above); None when one is too wide or the last comes too close to the rim."""
    arcs: list[_Arc] = []
    base = _title_base(size)
    inner = RIM_OUTER + (TITLE_INNER_GAP if len(lines) > 1 else INNER_GAP)
    for n, line in enumerate(lines):
        if n > 0:
            base = arcs[-1].base_r - round(TITLE_LINE_PITCH_EM * size)
        for _i in range(80):
            placed = _line_arcs(line, size, base, badge)
            if placed is None:
                return None
            sectors = _arc_sectors(placed)
            if sectors[:, 2].min() < inner:
                return None
            if (sectors[:, 3] <= SAFE_R).all() and not _clash(sectors, _arc_sectors(arcs)):
                break
            base -= 2  # pushed in while its ink pokes out of SAFE_R or touches the line above
        else:
            return None
        arcs += placed
    return arcs


def _fitting_sizes(lines: Sequence[str], sizes: range, badge: Badge | None) -> list[int]:
    """The sizes in `sizes` (largest first) at which no line is too wide for its arc, judged from the
    font's advances alone (cheap): the rest of the plan is tried only at these."""
    out = []
    for size in sizes:
        setter = _setter(size)
        track = TITLE_TRACK * size
        base = _title_base(size)
        for line in lines:
            width = sum(setter.advance(ch) for ch in line) + track * (len(line) - 1)
            if badge is not None:  # the badge's width is taken from the line
                width += 2 * (badge.spine + badge.radius + LOGO_GAP)
            if math.degrees(width / (base + setter.cap / 2)) / 2 > TITLE_HALF_SPAN:
                break
            base -= round(TITLE_LINE_PITCH_EM * size)
        else:
            out.append(size)
    return out


def _badge_for(logo: Image.Image | None) -> Badge | None:
    """The logo's badge: a crest at 12 o'clock as deep as the ring, a capsule as long as the logo is wide,
    as large as fits between the rim and SAFE_R."""
    if logo is None:
        return None
    near, far = RIM_OUTER + INNER_GAP + 2, SAFE_R - 2
    aspect = logo.width / logo.height
    stretch = min(max(aspect - 1.0, 0.0) * 0.8, LOGO_MAX_SPINE)  # the straight part, in radii
    radius = (far - near) / 2
    # a capsule's ends reach further out than its middle: smaller until they are inside SAFE_R
    while math.hypot(stretch * radius, near + radius) + radius > far:
        radius -= 0.5
    return Badge(CY - (near + radius), radius, stretch * radius)


def plan(design: Design, logo: Image.Image | None = None) -> Layout:
    """Where the texts, stars and logo go for `design` (`logo` as open_logo gives it): fitted inside
    SAFE_R, off the window's rim, the band's edges and each other. FrameError, naming the option, for a
    text that cannot be fitted."""
    if design.window_shape not in WINDOW_SHAPES:
        raise FrameError(
            _("--window-shape {shape!r}: use one of {shapes}").format(
                shape=design.window_shape, shapes=", ".join(WINDOW_SHAPES)
            )
        )
    title = clean_text(design.title, "--title", line_breaks=True)
    if not title:
        raise FrameError(_("--title is empty: the frame needs a title"))
    subtitle = clean_text(design.subtitle, "--subtitle") if design.subtitle else ""
    date_text = clean_text(design.date_text, "--date-text") if design.date_text else ""
    notes: list[str] = []
    badge = _badge_for(logo)
    arcs, size = _plan_title(title, badge, notes)
    sub = None
    if subtitle and date_text and badge is None and len(arcs) == 1:
        sub = _plan_subtitle(subtitle, arcs)
    on_band = bool(subtitle) and sub is None
    if on_band:
        if not date_text:
            notes.append(_("--subtitle is set on the band, as there is no date"))
        elif badge is not None:
            notes.append(_("--subtitle is set on the band under the date: the logo is at the top"))
        elif len(arcs) > 1:
            notes.append(_("--subtitle is set on the band under the date: the title takes two lines"))
        else:
            notes.append(_("--subtitle is set on the band under the date: it does not fit under the title"))
    date, band_sub = _plan_band(date_text, subtitle if on_band else "", notes)
    sub = sub or band_sub
    largest = BAND_SUB_ALONE if on_band and not date_text else SUB_SIZE
    if sub is not None and sub.size < largest:
        notes.append(
            _("--subtitle is set at {size} px instead of {full} px to fit").format(
                size=sub.size, full=largest
            )
        )
    stars = _stars(arcs, size)
    zones = [((a.ends[0] + a.ends[1]) / 2, a.span_deg / 2 + MOTIF_CLEAR_DEG) for a in [*arcs, *_some(sub)]]
    if badge is not None:
        half = math.degrees(math.asin(min((badge.spine + badge.radius) / badge.near, 1.0)))
        zones.append((0.0, half + MOTIF_CLEAR_DEG))
    zones.append((180.0, RIBBON_HALF_DEG + MOTIF_BAND_CLEAR_DEG))
    if date is not None:
        zones.append((180.0, date.span_deg / 2 + MOTIF_CLEAR_DEG))
    band_inner = RIBBON_R0 if date is not None or (sub is not None and not sub.outward) else RIBBON_SLIM_R0
    return Layout(
        design.window_shape,
        size,
        tuple(arcs),
        sub,
        date,
        tuple(stars),
        badge,
        tuple(zones),
        tuple(notes),
        band_inner,
    )


def _plan_title(title: str, badge: Badge | None, notes: list[str]) -> tuple[list[_Arc], int]:
    """The title's lines at the largest size that fits: one line, else two (broken at the most even word,
    or where the title has a line break). FrameError when even two lines at their smallest do not fit."""
    forced = title.split("\n") if "\n" in title else None
    options: list[tuple[list[str], range]] = []
    two = range(TITLE_MAX_TWO_LINES, TITLE_MIN_TWO_LINES - 1, -1)
    if forced is None:
        options.append(([title], range(TITLE_SIZE, TITLE_MIN_ONE_LINE - 1, -1)))
        words = title.split(" ")
        breaks = [[" ".join(words[:k]), " ".join(words[k:])] for k in range(1, len(words))]
        # the breaks that let the largest type first (the outer line has the longer arc)
        ranked = sorted(((_fitting_sizes(b, two, badge)[:1] or [0])[0], -i, b) for i, b in enumerate(breaks))
        options += [(b, two) for best, _i, b in reversed(ranked) if best][:4]
    else:
        options.append((forced, two))
    if badge is not None and any(" " not in line for line in (forced or [title])):
        # the logo sits between two words of every line of the title
        raise FrameError(
            _("--logo sits at the top between the words of the title, and --title has one word")
            if forced is None
            else _(
                "--logo sits at the top between the words of each line of the title: one line has one word"
            )
        )
    for lines, sizes in options:
        for size in _fitting_sizes(lines, sizes, badge):
            arcs = _title_arcs(lines, size, badge)
            if arcs is not None:
                if len(lines) == 2:
                    notes.append(_("--title is set on two lines, at {size} px").format(size=size))
                elif size < TITLE_SIZE:
                    notes.append(
                        _("--title is set at {size} px instead of {full} px to fit").format(
                            size=size, full=TITLE_SIZE
                        )
                    )
                return arcs, size
    raise FrameError(
        _("--title is too long for the frame ({n} characters), even on two lines: shorten it").format(
            n=len(title.replace("\n", " "))
        )
    )


def _plan_subtitle(text: str, title: Sequence[_Arc]) -> _Arc | None:
    """The theme line just inside a one-line title, at the largest size that fits (None: none does)."""
    above = _arc_sectors(title)
    lowest = min(arc.base_r for arc in title)
    for size in range(SUB_SIZE, SUB_MIN - 1, -1):
        base = lowest - TITLE_SUB_GAP - round(SUB_ROOM_EM * size)
        for _i in range(40):  # pushed in while it touches the title
            arc = _Arc(text, size, base, 0, SUB_TRACK, outward=True)
            if arc.span_deg / 2 > SUB_HALF_SPAN:
                break
            sectors = _arc_sectors([arc])
            if sectors[:, 2].min() < RIM_OUTER + INNER_GAP:
                break
            if not _clash(sectors, above):
                return arc
            base -= 2
    return None


def _plan_band(date_text: str, subtitle: str, notes: list[str]) -> tuple[_Arc | None, _Arc | None]:
    """The date, and the theme line when it goes there, on the band: the theme along its outer edge, the
    date (smaller then) centred in the rest. FrameError when they do not fit."""
    if not subtitle:
        return (_plan_date(date_text, notes) if date_text else None), None
    if date_text and not _may_fit_band(date_text, DATE_MIN, RIBBON_R1 - RIBBON_R0 - 2 * BAND_GAP):
        raise _date_too_long(date_text)
    alone = not date_text
    for size in range(BAND_SUB_ALONE if alone else SUB_SIZE, SUB_MIN - 1, -1):
        low, high = RIBBON_R0 + BAND_GAP, RIBBON_R1 - BAND_GAP
        sub = _band_line(
            lambda base, size=size: _Arc(subtitle, size, base, 180, SUB_TRACK, outward=False),
            (RIBBON_R0 + RIBBON_R1) / 2,
            low,
            high,
            "middle" if alone else "outer",
        )
        if sub is None:
            continue
        if alone:
            return None, sub
        room = _arc_sectors([sub])[:, 2].min() - BAND_LINE_GAP
        for date_size in range(DATE_WITH_SUBTITLE, DATE_MIN - 1, -2):
            if not _may_fit_band(date_text, date_size, room - low):
                continue
            date = _band_line(
                lambda base, date_size=date_size: _date_at(date_text, date_size, base),
                (low + room) / 2,
                low,
                room,
                "middle",
            )
            if date is not None:
                notes.append(
                    _("--date-text is set at {size} px instead of {full} px to fit").format(
                        size=date_size, full=DATE_SIZE
                    )
                )
                return date, sub
    raise FrameError(
        _(
            "--subtitle ({n} characters) does not fit on the band with the date: shorten it, or the title"
        ).format(n=len(subtitle))
        if date_text
        else _("--subtitle is too long for the band ({n} characters): shorten it").format(n=len(subtitle))
    )


def _band_line(make: Any, base: float, low: float, high: float, where: str) -> _Arc | None:
    """A line upright on the band (`make(base)` sets it), its ink between radii `low` and `high`: along
    `high` ("outer") or centred ("middle"); None when it does not fit there or off the band's full width."""
    arc = make(base)
    for _i in range(4):
        sectors = _arc_sectors([arc])
        near, far = sectors[:, 2].min(), sectors[:, 3].max()
        if far - near > high - low:
            return None
        shift = high - far if where == "outer" else (low + high) / 2 - (near + far) / 2
        if abs(shift) < 0.5 and near >= low and far <= high:
            return arc if _on_band(sectors) else None
        base += shift  # the ink moves out with the baseline (upright at the bottom: its tops point in)
        arc = make(base)
    sectors = _arc_sectors([arc])
    ok = sectors[:, 2].min() >= low and sectors[:, 3].max() <= high and _on_band(sectors)
    return arc if ok else None


def _date_at(text: str, size: int, base: float) -> _Arc:
    return _Arc(
        text,
        size,
        base,
        180,
        DATE_TRACK,
        outward=False,
        optical_side_em=DATE_SIDE_EM,
        punct_air=DATE_PUNCT_AIR,
        depth_em=DATE_DEPTH_EM,
    )


def _plan_date(text: str, notes: list[str]) -> _Arc:
    """The date alone on the band, upright at 6 o'clock, at the largest size whose ink stays on the band,
    clear of its edges: centred by its capitals (by its ink when that is what keeps it on the band).
    FrameError when even DATE_MIN is too large."""
    for size in range(DATE_SIZE, DATE_MIN - 1, -2):
        if not _may_fit_band(text, size, RIBBON_R1 - RIBBON_R0 - 2 * BAND_GAP):
            continue
        cap = _setter(size).cap
        arc = _date_at(text, size, (RIBBON_R0 + RIBBON_R1) / 2 + cap / 2)
        if not _on_band(_arc_sectors([arc])):
            centred = _band_line(
                lambda base, size=size: _date_at(text, size, base),
                arc.base_r,
                RIBBON_R0 + BAND_GAP,
                RIBBON_R1 - BAND_GAP,
                "middle",
            )
            if centred is None:
                continue
            arc = centred
        if size < DATE_SIZE:
            notes.append(
                _("--date-text is set at {size} px instead of {full} px to fit").format(
                    size=size, full=DATE_SIZE
                )
            )
        return arc
    raise _date_too_long(text)


def _date_too_long(text: str) -> FrameError:
    return FrameError(
        _("--date-text is too long for the band ({n} characters): shorten it").format(n=len(text))
    )


def _may_fit_band(text: str, size: int, depth: float) -> bool:
    """Whether `text` at `size` may fit on the band in `depth` px, judged from its glyphs' ink boxes alone
    (no spacing, no arc: a lower bound): a quick no before the date's optical spacing is worked out."""
    boxes = [b for b in (_em_bands(ch) for ch in text if ch != " ") if len(b)]
    if not boxes:
        return True
    v0, v1 = min(b[:, 2].min() for b in boxes), max(b[:, 3].max() for b in boxes)
    if (v1 - v0) * size + 2 * INK_PAD > depth:
        return False
    # each glyph's ink and the optical side bearings either side (kerning may take a little back), spaces
    ink = sum(b[:, 1].max() - b[:, 0].min() + 2 * DATE_SIDE_EM for b in boxes)
    width = 0.9 * size * ink + text.count(" ") * _setter(size).advance(" ")
    spacing_r = RIBBON_R1 - BAND_GAP - 0.36 * size  # mid-capital, when the ink hugs the outer edge
    return math.degrees(width / spacing_r) / 2 <= BAND_REACH_DEG


def _stars(arcs: Sequence[_Arc], size: int) -> list[tuple[float, float, float, float]]:
    """Two gold stars closing the title at either end, beside the line that reaches furthest on that side
    (a title split around the logo may reach further on one side than on the other)."""
    outer = STAR_R * size / TITLE_SIZE
    stars = []
    for side in (-1, 1):
        arc = min(arcs, key=lambda a: a.ends[0]) if side < 0 else max(arcs, key=lambda a: a.ends[1])
        radius = arc.base_r + arc.setter.cap / 2
        gap = STAR_GAP_DEG * (size / TITLE_SIZE) * (STAR_REF_R / radius)
        ang = (arc.ends[0] - gap) if side < 0 else (arc.ends[1] + gap)
        stars.append((*point_at(radius, ang), outer, ang))
    return stars


# --- painting ---------------------------------------------------------------------------------------------


def _pixel_offsets() -> tuple[np.ndarray, np.ndarray]:
    """The top-left quadrant's pixel centres relative to the centre (dx, dy: both negative)."""
    ys, xs = np.mgrid[0 : SIZE // 2, 0 : SIZE // 2].astype(np.float64)
    return xs + 0.5 - CX, ys + 0.5 - CY


def _mirrored(quadrant: np.ndarray) -> np.ndarray:
    """A whole image from its top-left quadrant, for anything symmetric about both axes: the pixel
    centres' offsets from the centre are mirror images to the last bit, so the values are too."""
    h, w = quadrant.shape[:2]
    full = np.empty((2 * h, 2 * w, *quadrant.shape[2:]), dtype=quadrant.dtype)
    full[:h, :w] = quadrant
    full[:h, w:] = quadrant[:, ::-1]
    full[h:] = full[:h][::-1]
    return full


def _edge_distance(shape: str) -> tuple[np.ndarray, np.ndarray, float]:
    """The radius of every pixel centre, the measure the window's edge is drawn with (the radius for a
    round window, the signed distance from its edge for a square one) and where on that measure the
    edge lies."""
    dx, dy = _pixel_offsets()
    r = np.hypot(dx, dy)
    if shape == "round":
        full = _mirrored(r)
        return full, full, float(WINDOW_R)
    inner = SQUARE_HALF - SQUARE_CORNER
    qx, qy = np.abs(dx) - inner, np.abs(dy) - inner
    d = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0)) + np.minimum(np.maximum(qx, qy), 0) - SQUARE_CORNER
    return _mirrored(r), _mirrored(d), 0.0


def window_box(shape: str) -> Box:
    """The window's bounding box, frame px: where its alpha is under half."""
    half = WINDOW_R if shape == "round" else SQUARE_HALF
    return Box(float(math.floor(CX - half)), float(math.floor(CY - half)), 2.0 * half, 2.0 * half)


def _ring_mask(r: np.ndarray, r0: float, r1: float) -> np.ndarray:
    """Anti-aliased annulus r0 <= r < r1 (coverage 0..1)."""
    return np.clip(r - r0 + 0.5, 0, 1) * np.clip(r1 - r + 0.5, 0, 1)


def _blend(
    canvas: np.ndarray, idx: np.ndarray, colour: Any, coverage: np.ndarray, opacity: float = 1.0
) -> None:
    """Paint `colour` (an RGB triple, or one per pixel) over the float canvas's pixels `idx` (flat
    indices) with `coverage` (one per pixel). Pixels left out are those with no coverage: painting them
    would change nothing."""
    flat = canvas.reshape(-1, 3)
    a = (coverage * opacity)[..., None]
    part = flat[idx]
    part *= 1 - a
    part += a * np.asarray(colour, dtype=np.float64)
    flat[idx] = part


def _blend_layer(canvas: np.ndarray, colour: Any, layer: np.ndarray, opacity: float = 1.0) -> None:
    idx = np.flatnonzero(layer)
    _blend(canvas, idx, colour, layer.ravel()[idx], opacity)


def _theta(idx: np.ndarray) -> np.ndarray:
    """The angle of the pixels `idx` (flat indices), degrees clockwise from 12 o'clock."""
    ys, xs = np.divmod(idx, SIZE)
    dx, dy = xs.astype(np.float64) + 0.5 - CX, ys.astype(np.float64) + 0.5 - CY
    return np.degrees(np.arctan2(dx, -dy)) % 360.0


def _paint_background(canvas: np.ndarray, palette: Palette) -> None:
    """Radial gradient: the main colour near the portrait to the deepest in the corners."""
    dx, dy = _pixel_offsets()
    r = np.hypot(dx, dy)
    t = np.clip((r - WINDOW_R) / (SIZE * 0.72 - WINDOW_R), 0, 1) ** 0.8
    lo = np.clip(t * 2, 0, 1)[..., None]
    hi = np.clip(t * 2 - 1, 0, 1)[..., None]
    quadrant = np.asarray(palette.main, float) * (1 - lo) + np.asarray(palette.mid, float) * lo
    quadrant = quadrant * (1 - hi) + np.asarray(palette.deep, float) * hi
    canvas[:] = _mirrored(quadrant)


def _motif_visibility(radius: float, angle: float, zones: Sequence[tuple[float, float]]) -> float:
    """How visible a binary digit may be at a position: hidden near the texts, the logo and the band."""
    if radius > SAFE_R + 10:  # corners: free to show it
        return 1.0
    a = angle % 360
    for centre, half in zones:
        d = abs(a - centre) % 360
        if min(d, 360 - d) < half:
            return 0.0
    return 0.8


def _paint_motif(canvas: np.ndarray, layout: Layout, palette: Palette, edge: np.ndarray, at: float) -> None:
    """Streams of faint 1/0 digits orbiting the window, fading like comet tails."""
    rng = np.random.default_rng(SEED)
    setter = _setter(DIGIT_SIZE)
    layer = np.zeros((SIZE, SIZE), dtype=np.float64)
    step = DIGIT_SIZE * 0.78
    first = WINDOW_R + 45
    if layout.window_shape != "round":  # the orbits come in as far as the square's sides allow
        first -= DIGIT_RING_GAP * math.ceil((WINDOW_R - SQUARE_HALF) / DIGIT_RING_GAP)
    for ring_r in np.arange(first, SIZE * 0.72, DIGIT_RING_GAP):
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
                vis = _motif_visibility(ring_r, ang, layout.zones)
                if vis == 0:
                    continue
                x, y = point_at(ring_r, ang)
                if ring_r < WINDOW_R + 45 and edge[int(y), int(x)] < at + RIM_W + HAIRLINE[1] + DIGIT_SIZE:
                    continue  # (square window only) too close to its rim
                strength = vis * (0.25 + 0.75 * (j + 1) / run)  # bright head
                setter.stamp(layer, "1" if bits[j] else "0", x, y, ang, strength)
            k += run
    _blend_layer(canvas, palette.digit, layer, DIGIT_OPACITY)


def _paint_rim(canvas: np.ndarray, edge: np.ndarray, at: float, palette: Palette) -> None:
    """Gold rim hugging the window, then a hairline of translucent white that fades out where the band's
    own edge takes over."""
    flat = edge.ravel()
    idx = np.flatnonzero((flat > at - 3.5) & (flat < at + RIM_W + 1.5))
    _blend(canvas, idx, palette.accent, _ring_mask(flat[idx], at - 2, at + RIM_W))
    lo, hi = at + RIM_W + HAIRLINE[0], at + RIM_W + HAIRLINE[1]
    idx = np.flatnonzero((flat > lo - 1.5) & (flat < hi + 1.5))
    hairline = _ring_mask(flat[idx], lo, hi)
    phi = np.abs(_theta(idx) - 180)
    _blend(canvas, idx, palette.hairline, hairline * (1 - _taper(phi)), 0.55)


def _paint_band(canvas: np.ndarray, r: np.ndarray, palette: Palette, inner: float) -> None:
    """The swoosh along the bottom edge: full width under the date, tapering to nothing towards 3 and 9
    o'clock, with a line along its inner edge."""
    top = int(CY - RIBBON_R1 * math.cos(math.radians(180 - RIBBON_TIP_DEG))) - 2  # where its tips end
    part = r[top:].ravel()
    idx = np.flatnonzero((part > inner - RIBBON_GOLD_W - 1.5) & (part < RIBBON_R1 + 1.5))
    rr = part[idx]
    idx = idx + top * SIZE
    taper = _taper(np.abs(_theta(idx) - 180))
    fade = 1 - taper
    inner_r = RIBBON_R1 - (RIBBON_R1 - inner) * taper
    present = (taper > 0) * np.clip(RIBBON_R1 - rr + 0.5, 0, 1)
    edge = present * np.clip(rr - (inner_r - RIBBON_GOLD_W * taper) + 0.5, 0, 1)
    band = present * np.clip(rr - inner_r + 0.5, 0, 1)
    shade = fade[..., None] * 0.8  # deepen the band towards the tips
    colour = np.asarray(palette.band, float) * (1 - shade) + np.asarray(palette.band_tips, float) * shade
    _blend(canvas, idx, palette.band_edge, edge)
    _blend(canvas, idx, colour, band)


def _paint_texts(canvas: np.ndarray, layout: Layout, palette: Palette) -> None:
    layer = np.zeros((SIZE, SIZE), dtype=np.float64)
    for arcs, colour in (
        (layout.title, palette.title),
        (_some(layout.subtitle), palette.subtitle if layout.subtitle_on_top else palette.date),
        (_some(layout.date), palette.date),
    ):
        if not arcs:
            continue
        layer[:] = 0
        for arc in arcs:
            arc.draw(layer)
        _blend_layer(canvas, colour, layer)


def text_coverage(layout: Layout) -> dict[str, np.ndarray]:
    """Each text's coverage (0..1, SIZE x SIZE) as it is painted: for checking the plan against the ink."""
    out = {}
    for role, arcs in (
        ("title", layout.title),
        ("subtitle", _some(layout.subtitle)),
        ("date", _some(layout.date)),
    ):
        if arcs:
            layer = np.zeros((SIZE, SIZE), dtype=np.float64)
            for arc in arcs:
                arc.draw(layer)
            out[role] = layer
    return out


def _paint_stars(canvas: np.ndarray, layout: Layout, palette: Palette) -> None:
    """The gold stars closing the ends of the title."""
    ss = SUPERSAMPLE
    layer = np.zeros((SIZE, SIZE), dtype=np.float64)
    for x, y, outer, ang in layout.stars:
        half = math.ceil(outer) + 4
        x0, y0 = math.floor(x) - half, math.floor(y) - half
        img = Image.new("L", (2 * half * ss, 2 * half * ss), 0)
        ImageDraw.Draw(img).polygon(_star_points((x - x0) * ss, (y - y0) * ss, outer * ss, ang), fill=255)
        cov = np.asarray(img.reduce(ss), dtype=np.float64) / 255.0
        h, w = cov.shape
        np.maximum(layer[y0 : y0 + h, x0 : x0 + w], cov, out=layer[y0 : y0 + h, x0 : x0 + w])
    _blend_layer(canvas, palette.accent, layer)


def _star_points(
    cx: float, cy: float, outer: float, rot_cw: float, inner_ratio: float = 0.382
) -> list[tuple[float, float]]:
    """Vertices of a five-pointed star, first point rotated `rot_cw` from up."""
    pts = []
    for i in range(10):
        rad = outer if i % 2 == 0 else outer * inner_ratio
        a = math.radians(rot_cw + 36 * i)
        pts.append((cx + rad * math.sin(a), cy - rad * math.cos(a)))
    return pts


def _paint_logo(canvas: np.ndarray, badge: Badge, logo: Image.Image, palette: Palette) -> None:
    """The logo on a white badge with a ring of the accent colour: any logo reads on it, and a logo on a
    white ground (a JPEG) melts into it."""
    ss = SUPERSAMPLE
    x0, y0 = math.floor(CX - badge.spine - badge.radius) - 2, math.floor(badge.cy - badge.radius) - 2
    x1, y1 = math.ceil(CX + badge.spine + badge.radius) + 2, math.ceil(badge.cy + badge.radius) + 2
    for inset, colour in ((0.0, palette.accent), (LOGO_RING_W, WHITE)):
        img = Image.new("L", ((x1 - x0) * ss, (y1 - y0) * ss), 0)
        rad = badge.radius - inset
        box = (
            (CX - badge.spine - rad - x0) * ss,
            (badge.cy - rad - y0) * ss,
            (CX + badge.spine + rad - x0) * ss,
            (badge.cy + rad - y0) * ss,
        )
        ImageDraw.Draw(img).rounded_rectangle(box, radius=rad * ss, fill=255)
        layer = np.zeros((SIZE, SIZE), dtype=np.float64)
        layer[y0:y1, x0:x1] = np.asarray(img.reduce(ss), dtype=np.float64) / 255.0
        _blend_layer(canvas, colour, layer)
    scaled, lx, ly = _fit_logo(logo, badge)
    rgba = np.asarray(scaled, dtype=np.float64)
    a = rgba[..., 3:] / 255.0
    region = canvas[ly : ly + scaled.height, lx : lx + scaled.width]
    region *= 1 - a
    region += a * rgba[..., :3]


def _paint(layout: Layout, palette: Palette, logo: Image.Image | None) -> Image.Image:
    r, edge, at = _edge_distance(layout.window_shape)
    canvas = np.empty((SIZE, SIZE, 3), dtype=np.float64)
    _paint_background(canvas, palette)
    _paint_motif(canvas, layout, palette, edge, at)
    _paint_rim(canvas, edge, at, palette)
    _paint_band(canvas, r, palette, layout.band_inner)
    _paint_texts(canvas, layout, palette)
    _paint_stars(canvas, layout, palette)
    if layout.badge is not None and logo is not None:
        _paint_logo(canvas, layout.badge, logo, palette)
    # the colour under the window is the rim's, so resampling the frame never bleeds dark into the photo
    canvas[edge < at - 2] = palette.accent
    rgb = np.clip(np.rint(canvas), 0, 255).astype(np.uint8)
    alpha = np.rint(np.clip(edge - at + 0.5, 0, 1) * 255).astype(np.uint8)
    return Image.fromarray(np.dstack([rgb, alpha]), "RGBA")


def draw_frame(design: Design) -> Drawn:
    """Draw `design`: a 2048 px RGBA frame with its window. FrameError, naming the option at fault
    (--title, --subtitle, --date-text, --colour, --logo, --window-shape), when it cannot be drawn."""
    palette, colour_notes = palette_for(design.colour)
    logo = open_logo(design.logo) if design.logo is not None else None
    layout = plan(design, logo)
    image = _paint(layout, palette, logo)
    shape = layout.window_shape
    return Drawn(image, window_box(shape), WINDOW_SHAPES[shape], [*layout.notes, *colour_notes], layout)


# --- the [design] table of frame.toml ----------------------------------------------------------------------

DESIGN_KEYS = ("title", "subtitle", "date_text", "colour", "window_shape", "logo")


def design_table(design: Design) -> dict[str, str]:
    """The [design] table of a frame.toml for `design` (its logo as the file LOGO_FILE beside it)."""
    table = {"title": design.title}
    if design.subtitle:
        table["subtitle"] = design.subtitle
    if design.date_text:
        table["date_text"] = design.date_text
    table["colour"] = design.colour
    table["window_shape"] = design.window_shape
    if design.logo is not None:
        table["logo"] = LOGO_FILE
    return table


def design_from_table(table: dict[str, Any], logo: bytes | None = None) -> Design:
    """The design a [design] table describes; `logo`: the bytes of the file its `logo` names (the caller
    reads it from the frame's folder). FrameError for a table that is not one."""
    unknown = sorted(set(table) - set(DESIGN_KEYS))
    if unknown:
        raise FrameError(
            _("[design]: unknown field {field!r} (fields: {fields})").format(
                field=unknown[0], fields=", ".join(DESIGN_KEYS)
            )
        )
    for key, value in table.items():
        if not isinstance(value, str):
            raise FrameError(_("[design]: field {field!r} must be a text").format(field=key))
    if "title" not in table:
        raise FrameError(_("[design]: field 'title' is missing"))
    if "logo" in table and logo is None:
        raise FrameError(
            _("[design]: field 'logo' names {name!r}, which was not given").format(name=table["logo"])
        )
    if logo is not None and "logo" not in table:
        raise ValueError("a logo was given for a [design] table that names none")
    return Design(
        title=table["title"],
        subtitle=table.get("subtitle"),
        date_text=table.get("date_text"),
        colour=table.get("colour", "blue"),
        logo=logo,
        window_shape=table.get("window_shape", "round"),
    )


def _redraw(folder: Path) -> tuple[Drawn, dict[str, Any]]:
    """Draw the frame of a frame folder again from its frame.toml's [design]; also its [window]."""
    with open(folder / "frame.toml", "rb") as f:
        meta = tomllib.load(f)
    table = meta.get("design")
    if not isinstance(table, dict):
        raise FrameError(
            _("{path}: no [design] table to draw the frame from").format(path=folder / "frame.toml")
        )
    logo = None
    if "logo" in table:
        name = str(table["logo"])
        if "/" in name or "\\" in name or name.startswith("."):
            raise FrameError(_("[design]: field 'logo' must name a file in the frame's folder"))
        logo = (folder / name).read_bytes()
    return draw_frame(design_from_table(table, logo)), meta.get("window", {})


def main(argv: Sequence[str] | None = None) -> int:
    """python -m framer.frames.draw FRAME_FOLDER: draw FRAME_FOLDER/frame.png again from its [design]."""
    from pathlib import Path

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m framer.frames.draw FRAME_FOLDER", file=sys.stderr)
        return 2
    folder = Path(args[0])
    try:
        drawn, declared = _redraw(folder)
    except (FrameError, OSError, tomllib.TOMLDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    out = folder / "frame.png"
    tmp = folder / ".frame.png.drawing"
    drawn.image.save(tmp, "PNG", optimize=True)
    tmp.replace(out)
    w = drawn.window
    print(f"wrote {out}: {SIZE}x{SIZE}")
    for note in drawn.notes:
        print(note)
    print(f"window: shape={drawn.shape} x={w.x:g} y={w.y:g} width={w.w:g} height={w.h:g}")
    found = {k: declared.get(k) for k in ("x", "y", "width", "height")}
    if found != {"x": w.x, "y": w.y, "width": w.w, "height": w.h}:
        print(f"frame.toml's [window] says {found}: change it to the window above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
