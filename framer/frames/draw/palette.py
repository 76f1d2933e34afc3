"""The frame's colours: the palettes, a palette from any colour, and the contrast of text on them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import FrameError
from ...i18n import _
from .measures import SIZE, WINDOW_R, taper_at

RGB = tuple[int, int, int]
WHITE: RGB = (255, 255, 255)
GOLD: RGB = (240, 190, 70)
GOLD_LIGHT: RGB = (250, 215, 120)
FLAG_RED: RGB = (218, 37, 29)
FLAG_RED_DARK: RGB = (160, 20, 18)
DIGIT_OPACITY = 0.22  # the binary motif's (low) opacity
MIN_CONTRAST = 4.5  # WCAG AA for text


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


def _red_band(main: RGB, mid: RGB, deep: RGB, digit: RGB) -> Palette:
    """A palette with the flag-red band and gold lines, white type."""
    return Palette(
        main, mid, deep, band=FLAG_RED, band_tips=FLAG_RED_DARK, band_edge=GOLD, accent=GOLD,
        title=WHITE, subtitle=GOLD_LIGHT, date=WHITE, digit=digit,
    )  # fmt: skip


def _gold_band(main: RGB, mid: RGB, deep: RGB, date: RGB, digit: RGB) -> Palette:
    """A palette with a gold band (a red one would not stand out on it), white type, the date in `date`."""
    return Palette(
        main, mid, deep, band=(244, 196, 60), band_tips=(196, 140, 30), band_edge=(255, 236, 170),
        accent=(250, 204, 64), title=WHITE, subtitle=(255, 226, 130), date=date, digit=digit,
    )  # fmt: skip


PALETTES: dict[str, Palette] = {
    # Digital transformation: deep navy and royal blue, a flag-red band, white type, gold lines (dx-2023).
    "blue": _red_band((22, 72, 176), (9, 33, 92), (5, 16, 48), digit=(120, 170, 255)),
    # National Day (2/9), the Party's congresses, Tết: flag red and gold; a gold band, not a red one on red.
    "red": _gold_band((184, 22, 28), (118, 10, 16), (58, 4, 8), date=(120, 8, 14), digit=(255, 170, 150)),
    # The environment, health, the army, agriculture: forest green with the flag-red band.
    "green": _red_band((14, 112, 66), (6, 62, 36), (3, 30, 18), digit=(140, 230, 170)),
    # Education, science, the sea and islands: deep teal with the flag-red band.
    "teal": _red_band((0, 104, 116), (0, 56, 66), (0, 28, 34), digit=(120, 220, 230)),
    # Vietnamese Women's Day (20/10) and 8/3: magenta with a gold band (red would clash with it).
    "pink": _gold_band((170, 24, 104), (100, 10, 60), (50, 4, 30), date=(96, 8, 54), digit=(255, 160, 210)),
}
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


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
    shade = (1 - taper_at(phi)) * 0.8
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
