"""The frame painted from its plan, and `draw_frame`: a design drawn, from its words to its pixels."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from ...core.geometry import Box
from .arc import some
from .design import Design
from .glyphs import setter_for
from .logo import Badge, fit_logo, open_logo
from .measures import (
    CX,
    CY,
    DIGIT_RING_GAP,
    DIGIT_SIZE,
    HAIRLINE,
    LOGO_RING_W,
    RIBBON_GOLD_W,
    RIBBON_R1,
    RIBBON_TIP_DEG,
    RIM_W,
    SAFE_R,
    SEED,
    SIZE,
    SQUARE_CORNER,
    SQUARE_HALF,
    SUPERSAMPLE,
    WINDOW_R,
    WINDOW_SHAPES,
    point_at,
    taper_at,
)
from .palette import DIGIT_OPACITY, WHITE, Palette, palette_for
from .plan import Layout, plan


@dataclass(frozen=True)
class Drawn:
    """A drawn frame: its image, its window, and what fitting the texts did."""

    image: Image.Image  # RGBA, SIZE x SIZE
    window: Box  # the transparent window's bounding box, frame px (as frame.toml's [window])
    shape: str  # "circle" or "rounded rectangle" (framer.frames.window.SHAPES)
    notes: list[str]  # what fitting did, in words (the title set smaller or on two lines, ...)
    layout: Layout


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
    setter = setter_for(DIGIT_SIZE)
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
    _blend(canvas, idx, palette.hairline, hairline * (1 - taper_at(phi)), 0.55)


def _paint_band(canvas: np.ndarray, r: np.ndarray, palette: Palette, inner: float) -> None:
    """The swoosh along the bottom edge: full width under the date, tapering to nothing towards 3 and 9
    o'clock, with a line along its inner edge."""
    top = int(CY - RIBBON_R1 * math.cos(math.radians(180 - RIBBON_TIP_DEG))) - 2  # where its tips end
    part = r[top:].ravel()
    idx = np.flatnonzero((part > inner - RIBBON_GOLD_W - 1.5) & (part < RIBBON_R1 + 1.5))
    rr = part[idx]
    idx = idx + top * SIZE
    taper = taper_at(np.abs(_theta(idx) - 180))
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
        (some(layout.subtitle), palette.subtitle if layout.subtitle_on_top else palette.date),
        (some(layout.date), palette.date),
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
        ("subtitle", some(layout.subtitle)),
        ("date", some(layout.date)),
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
    scaled, lx, ly = fit_logo(logo, badge)
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
