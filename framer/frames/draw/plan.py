"""Where everything goes, before a pixel is drawn: the texts fitted, the stars and the logo placed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ...errors import FrameError
from ...i18n import _
from .arc import Arc, some
from .band import plan_band
from .design import Design
from .font import clean_text
from .ink import Ink, star_polygon
from .logo import Badge, badge_for
from .measures import (
    BAND_SUB_ALONE,
    MOTIF_BAND_CLEAR_DEG,
    MOTIF_CLEAR_DEG,
    RIBBON_HALF_DEG,
    RIBBON_R0,
    RIBBON_SLIM_R0,
    SUB_SIZE,
    WINDOW_SHAPES,
)
from .title import plan_subtitle, plan_title, stars_for


@dataclass(frozen=True)
class Layout:
    """Where everything goes, before a pixel is drawn (`plan`)."""

    window_shape: str  # "round" or "square"
    title_size: int
    title: tuple[Arc, ...]  # one arc per line, or two for the outer line when the logo splits it
    subtitle: Arc | None
    date: Arc | None
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
            ("subtitle", some(self.subtitle)),
            ("date", some(self.date)),
        ):
            baselines = sorted({arc.base_r for arc in arcs}, reverse=True)
            for arc in arcs:
                line = baselines.index(arc.base_r)
                out += [Ink(role, _corners(q), line) for q in arc.polygons()]
        for n, (x, y, outer, rot) in enumerate(self.stars):
            out.append(Ink("star", _corners(star_polygon(x, y, outer, rot)), n))
        if self.badge is not None:
            out.append(Ink("logo", _corners(self.badge.polygon())))
        return out

    def text_of(self, role: str) -> str:
        """The characters set for a role, in reading order, without the spaces where lines break."""
        arcs = {"title": self.title, "subtitle": some(self.subtitle), "date": some(self.date)}[role]
        return "".join(arc.text.replace(" ", "") for arc in arcs)


def _corners(polygon: np.ndarray) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in polygon)


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
    badge = badge_for(logo)
    arcs, size = plan_title(title, badge, notes)
    sub = None
    if subtitle and date_text and badge is None and len(arcs) == 1:
        sub = plan_subtitle(subtitle, arcs)
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
    date, band_sub = plan_band(date_text, subtitle if on_band else "", notes)
    sub = sub or band_sub
    largest = BAND_SUB_ALONE if on_band and not date_text else SUB_SIZE
    if sub is not None and sub.size < largest:
        notes.append(
            _("--subtitle is set at {size} px instead of {full} px to fit").format(
                size=sub.size, full=largest
            )
        )
    stars = stars_for(arcs, size)
    zones = [((a.ends[0] + a.ends[1]) / 2, a.span_deg / 2 + MOTIF_CLEAR_DEG) for a in [*arcs, *some(sub)]]
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
