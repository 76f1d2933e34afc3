"""The frame's measures (frame px, font px, degrees), and where a point or the band's taper is at an angle.

Angles are in degrees, measured clockwise from 12 o'clock (image y points down).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

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
DATE_SIDE_EM = 0.095  # optical side bearing for the date (see Arc)
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
# --window-shape -> framer.frames.window.SHAPES
WINDOW_SHAPES = {"round": "circle", "square": "rounded rectangle"}


def point_at(radius: float, angle_deg: float) -> tuple[float, float]:
    a = math.radians(angle_deg)
    return CX + radius * math.sin(a), CY - radius * math.cos(a)


def _smoothstep(t: Any) -> Any:
    t = np.clip(t, 0, 1)
    return t * t * (3 - 2 * t)


def taper_at(phi: Any) -> Any:
    """The band's thickness factor `phi` degrees from 6 o'clock: 1 under the date, easing to 0 at the tips."""
    return 1 - _smoothstep((phi - RIBBON_HALF_DEG) / (RIBBON_TIP_DEG - RIBBON_HALF_DEG))
