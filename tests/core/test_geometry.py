"""Placement geometry: for any photo, face and window, the face lands inside the window, centred."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framer.core.geometry import (
    COVER_EYE_LINE,
    COVER_FACE_SHARE,
    COVER_SHIFT,
    EYE_LINE,
    EYE_POSITION,
    FACE_SHARE,
    SHARP_UPSCALE,
    Box,
    Face,
    Placement,
    WindowMask,
    anchor,
    nudge,
    place_face,
    place_without_face,
)

sizes = st.integers(min_value=8, max_value=20_000)


@st.composite
def photo_and_face(draw: st.DrawFn) -> tuple[tuple[int, int], Face]:
    pw, ph = draw(sizes), draw(sizes)
    w = draw(st.floats(min_value=2, max_value=pw))
    h = draw(st.floats(min_value=2, max_value=ph))
    # The face box may even poke past the photo's edge, as detections near an edge do.
    x = draw(st.floats(min_value=-w / 2, max_value=pw - w / 2))
    y = draw(st.floats(min_value=-h / 2, max_value=ph - h / 2))
    eye = draw(st.one_of(st.none(), st.floats(min_value=y - h, max_value=y + 2 * h)))
    return (pw, ph), Face(Box(x, y, w, h), eye)


@st.composite
def canvas_and_window(draw: st.DrawFn) -> tuple[tuple[int, int], Box]:
    cw, ch = draw(st.integers(64, 4096)), draw(st.integers(64, 4096))
    ww = draw(st.floats(min_value=16, max_value=cw))
    wh = draw(st.floats(min_value=16, max_value=ch))
    wx = draw(st.floats(min_value=0, max_value=cw - ww))
    wy = draw(st.floats(min_value=0, max_value=ch - wh))
    return (cw, ch), Box(wx, wy, ww, wh)


def inside_ellipse(x: float, y: float, window: Box) -> bool:
    return ((x - window.cx) / (window.w / 2)) ** 2 + ((y - window.cy) / (window.h / 2)) ** 2 <= 1 + 1e-9


@given(photo_and_face(), canvas_and_window())
def test_face_lands_centred_inside_the_window(pf: tuple, cw: tuple) -> None:
    (_, face), (canvas, window) = pf, cw
    placed = place_face(face, canvas, window).to_canvas(face.box)

    assert math.isclose(placed.cx, window.cx, rel_tol=1e-9, abs_tol=1e-6 * window.w)
    # Inside even a round or oval window: every corner of the face box is within the inscribed ellipse.
    for x in (placed.x, placed.right):
        for y in (placed.y, placed.bottom):
            assert inside_ellipse(x, y, window), (placed, window)


@given(photo_and_face(), canvas_and_window())
def test_face_is_sized_to_the_window(pf: tuple, cw: tuple) -> None:
    (_, face), (canvas, window) = pf, cw
    placed = place_face(face, canvas, window).to_canvas(face.box)
    # 45 % of the window's height, unless the box is so wide that it would not fit the window's width.
    assert placed.h <= FACE_SHARE * window.h * (1 + 1e-9)
    if face.box.w / face.box.h <= window.w / window.h:
        assert math.isclose(placed.h, FACE_SHARE * window.h, rel_tol=1e-9)


@given(photo_and_face(), canvas_and_window())
def test_crop_covers_exactly_the_canvas(pf: tuple, cw: tuple) -> None:
    (_, face), (canvas, window) = pf, cw
    p = place_face(face, canvas, window)
    whole = p.to_canvas(p.crop)
    assert math.isclose(whole.x, 0, abs_tol=1e-6 * canvas[0]) and math.isclose(
        whole.y, 0, abs_tol=1e-6 * canvas[1]
    )
    assert math.isclose(whole.w, canvas[0], rel_tol=1e-9) and math.isclose(whole.h, canvas[1], rel_tol=1e-9)


def test_eyes_sit_a_little_above_the_middle() -> None:
    window = Box(100, 100, 800, 800)
    face = Face(Box(40, 60, 100, 120), eye_y=110)
    p = place_face(face, (1000, 1000), window)
    eye_on_canvas = (110 - p.crop.y) * p.scale
    assert math.isclose(eye_on_canvas, window.y + EYE_LINE * window.h)
    assert eye_on_canvas < window.cy


@given(
    photo_and_face(),
    canvas_and_window(),
    st.floats(min_value=0.3, max_value=3.0),
    st.floats(-1, 1),
    st.floats(-1, 1),
)
def test_nudge_zooms_about_the_anchor_and_shifts_by_window_fractions(
    pf: tuple, cw: tuple, zoom: float, dx: float, dy: float
) -> None:
    (_, face), (canvas, window) = pf, cw
    base = place_face(face, canvas, window)
    moved = nudge(base, window, zoom, (dx, dy))
    before, after = base.to_canvas(face.box), moved.to_canvas(face.box)
    assert math.isclose(after.h, before.h * zoom, rel_tol=1e-9)
    assert math.isclose(after.cx, window.cx + dx * window.w, rel_tol=1e-9, abs_tol=1e-6 * window.w)


def test_nudge_without_change_is_identity() -> None:
    window = Box(50, 50, 400, 400)
    p = place_face(Face(Box(10, 20, 30, 40)), (500, 500), window)
    q = nudge(p, window)
    assert q.scale == p.scale
    assert (q.crop.x, q.crop.y, q.crop.w, q.crop.h) == pytest.approx((p.crop.x, p.crop.y, p.crop.w, p.crop.h))


@given(sizes, sizes, st.integers(64, 4096), st.integers(64, 4096))
def test_no_face_fallback_stays_inside_the_photo_at_the_top_centre(
    pw: int, ph: int, cw: int, ch: int
) -> None:
    p = place_without_face((pw, ph), (cw, ch))
    c = p.crop
    tol = 1e-6 * max(pw, ph)
    assert c.x >= -tol and c.y >= -tol and c.right <= pw + tol and c.bottom <= ph + tol
    assert math.isclose(c.cx, pw / 2, abs_tol=tol)
    assert c.cy <= ph / 2 + tol  # never below the middle: heads are at the top of portraits
    assert math.isclose(c.w / c.h, cw / ch, rel_tol=1e-9)
    assert not p.shows_beyond(pw, ph, Box(0, 0, cw, ch))


def test_small_faces_are_reported_soft() -> None:
    window = Box(0, 0, 800, 800)
    face_px = FACE_SHARE * window.h / (SHARP_UPSCALE * 1.1)  # needs more than SHARP_UPSCALE
    assert place_face(Face(Box(0, 0, face_px, face_px)), (800, 800), window).is_soft
    assert not place_face(Face(Box(0, 0, 400, 400)), (800, 800), window).is_soft


@given(photo_and_face(), canvas_and_window())
def test_fill_is_needed_only_when_the_window_reaches_past_the_photo(pf: tuple, cw: tuple) -> None:
    (photo, face), (canvas, window) = pf, cw
    p = place_face(face, canvas, window)
    seen = p.to_photo(window)
    assume(min(abs(seen.x), abs(seen.y), abs(seen.right - photo[0]), abs(seen.bottom - photo[1])) > 1)
    beyond = seen.x < 0 or seen.y < 0 or seen.right > photo[0] or seen.bottom > photo[1]
    assert p.shows_beyond(*photo, window) == beyond


def test_anchor_is_on_the_eye_line() -> None:
    assert anchor(Box(0, 100, 200, 400)) == (100, 100 + EYE_LINE * 400)


def test_face_box_must_have_a_size() -> None:
    with pytest.raises(ValueError, match="positive size"):
        place_face(Face(Box(0, 0, 0, 10)), (100, 100), Box(0, 0, 100, 100))


def test_placement_maps_photo_to_canvas() -> None:
    p = Placement(2.0, Box(10, 20, 50, 50))
    assert p.to_canvas(Box(10, 20, 5, 5)) == Box(0, 0, 10, 10)
    assert p.to_photo(Box(0, 0, 10, 10)) == Box(10, 20, 5, 5)


# --- Cover first: within tolerances, the photo's own pixels fill the window's shape -------------------


@st.composite
def covering_case(draw: st.DrawFn) -> tuple[tuple[int, int], Face, tuple[int, int], Box, np.ndarray]:
    """A photo, a face of ordinary shape in it, a small canvas and a window that is a box or an oval,
    with the frame's alpha (0 where the photo shows) drawn for it."""
    pw, ph = draw(st.integers(40, 3000)), draw(st.integers(40, 3000))
    h = draw(st.floats(min_value=10, max_value=ph))
    w = h * draw(st.floats(0.6, 0.9))
    assume(w <= pw)
    x = draw(st.floats(min_value=-w / 4, max_value=pw - 3 * w / 4))
    y = draw(st.floats(min_value=-h / 4, max_value=ph - 3 * h / 4))
    eye = draw(st.one_of(st.none(), st.floats(min_value=y + 0.25 * h, max_value=y + 0.55 * h)))
    cw, ch = draw(st.integers(80, 320)), draw(st.integers(80, 320))
    wh = draw(st.floats(min_value=40, max_value=ch))
    ww = min(cw, wh * draw(st.floats(0.75, 1.33)))
    assume(0.75 <= ww / wh <= 1.33)
    window = Box(draw(st.floats(0, cw - ww)), draw(st.floats(0, ch - wh)), ww, wh)
    ys, xs = np.mgrid[0:ch, 0:cw] + 0.5
    inside = (xs >= window.x) & (xs <= window.right) & (ys >= window.y) & (ys <= window.bottom)
    if draw(st.booleans()):  # an oval window, as the round ones are
        inside = ((xs - window.cx) / (ww / 2)) ** 2 + ((ys - window.cy) / (wh / 2)) ** 2 <= 1
    assume(inside.sum() > 50)
    alpha = np.where(inside, 0, 255).astype(np.uint8)
    return (pw, ph), Face(Box(x, y, w, h), eye), (cw, ch), window, alpha


def seen_share(alpha: np.ndarray, s: float, x0: float, y0: float, photo: tuple[int, int]) -> float:
    """Brute force: the share of the window's area (its pixels, each counted by how much of it) that the
    photo, scaled by `s` with its top-left corner at canvas (x0, y0), covers."""
    ys, xs = np.nonzero(alpha < 128)
    x1, y1 = x0 + photo[0] * s, y0 + photo[1] * s
    across = np.clip(np.minimum(xs + 1, x1) - np.maximum(xs, x0), 0, 1)
    down = np.clip(np.minimum(ys + 1, y1) - np.maximum(ys, y0), 0, 1)
    return float((across * down).mean())


def eye_of(face: Face) -> float:
    return face.eye_y if face.eye_y is not None else face.box.y + EYE_POSITION * face.box.h


@settings(max_examples=150, deadline=None)
@given(covering_case())
def test_covering_stays_within_the_tolerances_and_no_placement_within_them_covers_more(case: tuple) -> None:
    photo, face, canvas, window, alpha = case
    p = place_face(face, canvas, window, photo, WindowMask.from_alpha(alpha, window))
    placed = p.to_canvas(face.box)
    eye = (eye_of(face) - p.crop.y) * p.scale
    tol = 1e-6 * window.h
    assert COVER_FACE_SHARE[0] * window.h - tol <= placed.h <= COVER_FACE_SHARE[1] * window.h + tol
    assert abs(placed.cx - window.cx) <= COVER_SHIFT * window.w + tol
    assert (
        window.y + COVER_EYE_LINE[0] * window.h - tol <= eye <= window.y + COVER_EYE_LINE[1] * window.h + tol
    )

    got = seen_share(alpha, p.scale, -p.crop.x * p.scale, -p.crop.y * p.scale, photo)
    best = 0.0
    fb = face.box
    for share in np.linspace(*COVER_FACE_SHARE, 6):
        s = share * window.h / fb.h
        for fx in np.linspace(window.cx - COVER_SHIFT * window.w, window.cx + COVER_SHIFT * window.w, 5):
            for e in np.linspace(*COVER_EYE_LINE, 5):
                fy = window.y + e * window.h
                best = max(best, seen_share(alpha, s, fx - fb.cx * s, fy - eye_of(face) * s, photo))
    assert got >= best - 0.03, (got, best)


@settings(max_examples=100, deadline=None)
@given(covering_case())
def test_the_preferred_look_wins_unchanged_when_it_covers(case: tuple) -> None:
    photo, face, canvas, window, alpha = case
    preferred = place_face(face, canvas, window)
    big = (photo[0] * 4 + 10_000, photo[1] * 4 + 10_000)  # the same face with plenty of photo around it
    shifted = Face(
        Box(face.box.x + 5_000, face.box.y + 5_000, face.box.w, face.box.h),
        None if face.eye_y is None else face.eye_y + 5_000,
    )
    mask = WindowMask.from_alpha(alpha, window)
    for ph, f, ref in [(photo, face, preferred), (big, shifted, place_face(shifted, canvas, window))]:
        covers = seen_share(alpha, ref.scale, -ref.crop.x * ref.scale, -ref.crop.y * ref.scale, ph) == 1
        if covers:
            assert place_face(f, canvas, window, ph, mask) == ref
            assert mask.invented(ref, ph) == pytest.approx(0, abs=1e-9)


def test_a_tight_crop_is_covered_by_a_larger_face_a_little_off_centre() -> None:
    """An ID photo cut close around the face: the preferred look leaves much of the window beyond the
    photo; covering takes the face larger (within 65 %) instead."""
    window = Box(100, 100, 800, 800)
    face = Face(Box(20, 40, 160, 200))
    photo = (200, 300)
    mask = WindowMask.box_of(window)
    preferred = place_face(face, (1000, 1000), window)
    covering = place_face(face, (1000, 1000), window, photo, mask)
    assert mask.invented(covering, photo) < mask.invented(preferred, photo) - 0.2
    assert covering.to_canvas(face.box).h == pytest.approx(COVER_FACE_SHARE[1] * window.h)


def test_the_editors_zoom_is_the_geometrys() -> None:
    """The zoom a person may ask for is defined once (geometry.ZOOM_RANGE, which --zoom, the adjust file
    and the API read); the editor's slider, in JavaScript, says the same numbers."""
    import re
    from pathlib import Path

    import framer.web
    from framer.core.geometry import ZOOM_RANGE

    editor = (Path(framer.web.__file__).parent / "static" / "editor.js").read_text(encoding="utf-8")
    said = {
        name: float(value) for name, value in re.findall(r"const (ZOOM_MIN|ZOOM_MAX) = ([0-9.]+);", editor)
    }
    assert (said["ZOOM_MIN"], said["ZOOM_MAX"]) == ZOOM_RANGE
