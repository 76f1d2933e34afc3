"""The title fitted on the top arc (one line, else two; split around the logo), the theme line under it,
and the stars closing it."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...errors import FrameError
from ...i18n import _
from .arc import Arc, arc_sectors
from .glyphs import setter_for
from .ink import clash, sectors_of
from .logo import Badge
from .measures import (
    INNER_GAP,
    LOGO_GAP,
    RIM_OUTER,
    SAFE_R,
    STAR_GAP_DEG,
    STAR_R,
    STAR_REF_R,
    SUB_HALF_SPAN,
    SUB_MIN,
    SUB_ROOM_EM,
    SUB_SIZE,
    SUB_TRACK,
    TITLE_HALF_SPAN,
    TITLE_INNER_GAP,
    TITLE_LINE_PITCH_EM,
    TITLE_MAX_TWO_LINES,
    TITLE_MIN_ONE_LINE,
    TITLE_MIN_TWO_LINES,
    TITLE_ROOM_EM,
    TITLE_SIZE,
    TITLE_SUB_GAP,
    TITLE_TRACK,
    point_at,
)


def _title_base(size: int) -> float:
    return SAFE_R - round(TITLE_ROOM_EM * size)


def _split_line(line: str, size: int) -> tuple[str, str] | None:
    """A line split in two at the word that makes the most even halves (None: it is one word)."""
    words = line.split(" ")
    if len(words) < 2:
        return None
    setter = setter_for(size)
    widths = [sum(setter.advance(ch) for ch in w) for w in words]
    space = setter.advance(" ")
    k = min(
        range(1, len(words)),
        key=lambda k: abs(sum(widths[:k]) - sum(widths[k:]) + space * (2 * k - len(words))),
    )
    return " ".join(words[:k]), " ".join(words[k:])


def _line_arcs(line: str, size: int, base: float, badge: Badge | None) -> list[Arc] | None:
    """One title line on its baseline: centred on 12 o'clock, or in two parts either side of the logo's
    badge; None when it is wider than TITLE_HALF_SPAN allows (or cannot be split)."""
    if badge is None:
        arc = Arc(line, size, base, 0, TITLE_TRACK, outward=True)
        return [arc] if arc.span_deg / 2 <= TITLE_HALF_SPAN else None
    halves = _split_line(line, size)
    if halves is None:
        return None
    spacing_r = base + setter_for(size).cap / 2
    # the gap either side of 12 o'clock: the badge's half width, seen from the line's middle; widened
    # until the ink clears the badge
    reach = badge.spine + badge.radius + LOGO_GAP
    gap = math.degrees(math.asin(min(reach / spacing_r, 1.0)))
    around = sectors_of(badge.polygon()[None])
    spans = [Arc(text, size, base, 0, TITLE_TRACK).span_deg for text in halves]
    for _i in range(40):
        if max(spans) + gap > TITLE_HALF_SPAN:
            return None
        left = Arc(halves[0], size, base, -gap - spans[0] / 2, TITLE_TRACK, outward=True)
        right = Arc(halves[1], size, base, gap + spans[1] / 2, TITLE_TRACK, outward=True)
        if not clash(arc_sectors([left, right]), around, LOGO_GAP):
            return [left, right]
        gap += math.degrees(4 / spacing_r)
    return None


def _title_arcs(lines: Sequence[str], size: int, badge: Badge | None) -> list[Arc] | None:
    """The title's lines set at `size` from the outside in, each as far out as its ink allows (clear of
    SAFE_R and of the line above); None when one is too wide or the last comes too close to the rim."""
    arcs: list[Arc] = []
    base = _title_base(size)
    inner = RIM_OUTER + (TITLE_INNER_GAP if len(lines) > 1 else INNER_GAP)
    for n, line in enumerate(lines):
        if n > 0:
            base = arcs[-1].base_r - round(TITLE_LINE_PITCH_EM * size)
        for _i in range(80):
            placed = _line_arcs(line, size, base, badge)
            if placed is None:
                return None
            sectors = arc_sectors(placed)
            if sectors[:, 2].min() < inner:
                return None
            if (sectors[:, 3] <= SAFE_R).all() and not clash(sectors, arc_sectors(arcs)):
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
        setter = setter_for(size)
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


def plan_title(title: str, badge: Badge | None, notes: list[str]) -> tuple[list[Arc], int]:
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


def plan_subtitle(text: str, title: Sequence[Arc]) -> Arc | None:
    """The theme line just inside a one-line title, at the largest size that fits (None: none does)."""
    above = arc_sectors(title)
    lowest = min(arc.base_r for arc in title)
    for size in range(SUB_SIZE, SUB_MIN - 1, -1):
        base = lowest - TITLE_SUB_GAP - round(SUB_ROOM_EM * size)
        for _i in range(40):  # pushed in while it touches the title
            arc = Arc(text, size, base, 0, SUB_TRACK, outward=True)
            if arc.span_deg / 2 > SUB_HALF_SPAN:
                break
            sectors = arc_sectors([arc])
            if sectors[:, 2].min() < RIM_OUTER + INNER_GAP:
                break
            if not clash(sectors, above):
                return arc
            base -= 2
    return None


def stars_for(arcs: Sequence[Arc], size: int) -> list[tuple[float, float, float, float]]:
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
