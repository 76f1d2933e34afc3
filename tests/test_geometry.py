"""Placement geometry: for any photo, face and window, the face lands inside the window, centred."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from framer.geometry import (
    EYE_LINE,
    FACE_SHARE,
    SHARP_UPSCALE,
    Box,
    Face,
    Placement,
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
