"""The band at 6 o'clock: the date on it, and the theme line with it or alone."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...errors import FrameError
from ...i18n import _
from .arc import Arc, arc_sectors
from .glyphs import em_bands, setter_for
from .ink import away
from .measures import (
    BAND_GAP,
    BAND_LINE_GAP,
    BAND_REACH_DEG,
    BAND_SUB_ALONE,
    DATE_DEPTH_EM,
    DATE_MIN,
    DATE_PUNCT_AIR,
    DATE_SIDE_EM,
    DATE_SIZE,
    DATE_TRACK,
    DATE_WITH_SUBTITLE,
    INK_PAD,
    RIBBON_R0,
    RIBBON_R1,
    RIBBON_TIP_DEG,
    SUB_MIN,
    SUB_SIZE,
    SUB_TRACK,
    taper_at,
)


def _on_band(sectors: np.ndarray) -> bool:
    """Whether every sector lies on the band, BAND_GAP px inside its edges (where it tapers too)."""
    if len(sectors) == 0:
        return True
    phi = np.maximum(away(sectors[:, 0], 180), away(sectors[:, 1], 180))
    inner = RIBBON_R1 - (RIBBON_R1 - RIBBON_R0) * taper_at(phi)
    present = phi < RIBBON_TIP_DEG
    return bool(
        (present & (sectors[:, 2] >= inner + BAND_GAP) & (sectors[:, 3] <= RIBBON_R1 - BAND_GAP)).all()
    )


def plan_band(date_text: str, subtitle: str, notes: list[str]) -> tuple[Arc | None, Arc | None]:
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
            lambda base, size=size: Arc(subtitle, size, base, 180, SUB_TRACK, outward=False),
            (RIBBON_R0 + RIBBON_R1) / 2,
            low,
            high,
            "middle" if alone else "outer",
        )
        if sub is None:
            continue
        if alone:
            return None, sub
        room = arc_sectors([sub])[:, 2].min() - BAND_LINE_GAP
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


def _band_line(make: Any, base: float, low: float, high: float, where: str) -> Arc | None:
    """A line upright on the band (`make(base)` sets it), its ink between radii `low` and `high`: along
    `high` ("outer") or centred ("middle"); None when it does not fit there or off the band's full width."""
    arc = make(base)
    for _i in range(4):
        sectors = arc_sectors([arc])
        near, far = sectors[:, 2].min(), sectors[:, 3].max()
        if far - near > high - low:
            return None
        shift = high - far if where == "outer" else (low + high) / 2 - (near + far) / 2
        if abs(shift) < 0.5 and near >= low and far <= high:
            return arc if _on_band(sectors) else None
        base += shift  # the ink moves out with the baseline (upright at the bottom: its tops point in)
        arc = make(base)
    sectors = arc_sectors([arc])
    ok = sectors[:, 2].min() >= low and sectors[:, 3].max() <= high and _on_band(sectors)
    return arc if ok else None


def _date_at(text: str, size: int, base: float) -> Arc:
    return Arc(
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


def _plan_date(text: str, notes: list[str]) -> Arc:
    """The date alone on the band, upright at 6 o'clock, at the largest size whose ink stays on the band,
    clear of its edges: centred by its capitals (by its ink when that is what keeps it on the band).
    FrameError when even DATE_MIN is too large."""
    for size in range(DATE_SIZE, DATE_MIN - 1, -2):
        if not _may_fit_band(text, size, RIBBON_R1 - RIBBON_R0 - 2 * BAND_GAP):
            continue
        cap = setter_for(size).cap
        arc = _date_at(text, size, (RIBBON_R0 + RIBBON_R1) / 2 + cap / 2)
        if not _on_band(arc_sectors([arc])):
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
    boxes = [b for b in (em_bands(ch) for ch in text if ch != " ") if len(b)]
    if not boxes:
        return True
    v0, v1 = min(b[:, 2].min() for b in boxes), max(b[:, 3].max() for b in boxes)
    if (v1 - v0) * size + 2 * INK_PAD > depth:
        return False
    # each glyph's ink and the optical side bearings either side (kerning may take a little back), spaces
    ink = sum(b[:, 1].max() - b[:, 0].min() + 2 * DATE_SIDE_EM for b in boxes)
    width = 0.9 * size * ink + text.count(" ") * setter_for(size).advance(" ")
    spacing_r = RIBBON_R1 - BAND_GAP - 0.36 * size  # mid-capital, when the ink hugs the outer edge
    return math.degrees(width / spacing_r) / 2 <= BAND_REACH_DEG
