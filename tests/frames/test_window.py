"""Finding a frame's window from its alpha channel, on synthetic frames: every window shape, centred or not,
square and not, 1000 to 3000 px, hard, anti-aliased and feathered edges, specks and decorative holes."""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framer.core.geometry import Box
from framer.errors import FrameError
from framer.frames.registry import load_frame
from framer.frames.window import find_window

# Geometry is in the Box convention: pixel (i, j) covers [i, i + 1) x [j, j + 1). OpenCV puts pixel centres
# at whole coordinates, hence the half pixel in `_at`. Shapes are drawn with sub-pixel precision.
SHIFT = 4
ONE = 1 << SHIFT

Case = tuple[np.ndarray, Box, str, int]  # alpha, the true window, its shape, how many regions to ignore


def opaque(w: int, h: int) -> np.ndarray:
    return np.full((h, w), 255, np.uint8)


def _at(x: float, y: float) -> tuple[int, int]:
    return round((x - 0.5) * ONE), round((y - 0.5) * ONE)


def ellipse(a: np.ndarray, box: Box, value: int = 0) -> None:
    """An anti-aliased filled ellipse inscribed in `box`."""
    axes = (round(box.w / 2 * ONE), round(box.h / 2 * ONE))
    cv2.ellipse(a, _at(box.cx, box.cy), axes, 0, 0, 360, value, -1, cv2.LINE_AA, SHIFT)


def rectangle(a: np.ndarray, box: Box, value: int = 0) -> None:
    x, y, w, h = (int(v) for v in (box.x, box.y, box.w, box.h))
    a[y : y + h, x : x + w] = value


def rounded(a: np.ndarray, box: Box, r: int) -> None:
    """A rectangle with anti-aliased round corners of radius `r` (whole pixels)."""
    x, y, w, h = (int(v) for v in (box.x, box.y, box.w, box.h))
    a[y + r : y + h - r, x : x + w] = 0
    a[y : y + h, x + r : x + w - r] = 0
    for cx, cy in ((x + r, y + r), (x + w - r, y + r), (x + r, y + h - r), (x + w - r, y + h - r)):
        ellipse(a, Box(cx - r, cy - r, 2 * r, 2 * r))


def arch(a: np.ndarray, box: Box) -> None:
    """A rectangle topped by a half circle as wide as it."""
    x, y, w, h = (int(v) for v in (box.x, box.y, box.w, box.h))
    a[y + w // 2 : y + h, x : x + w] = 0
    ellipse(a, Box(x, y, w, w))


def supersampled(w: int, h: int, draw: Callable[[np.ndarray], None], factor: int = 4) -> np.ndarray:
    """Draw hard-edged at `factor` times the size, then shrink: anti-aliasing by area."""
    big = opaque(w * factor, h * factor)
    draw(big)
    return cv2.resize(big, (w, h), interpolation=cv2.INTER_AREA)


def blurred(a: np.ndarray, ramp: float) -> np.ndarray:
    """A Gaussian feather: the alpha ramps from about 0 to 255 over `ramp` px around the edge."""
    return cv2.GaussianBlur(a, (0, 0), ramp / 6)


def ramped(a: np.ndarray, ramp: float) -> np.ndarray:
    """A linear feather: the alpha ramps from 0 to 255 over exactly `ramp` px, centred on the edge."""
    hole = (a < 128).astype(np.uint8)
    outside = cv2.distanceTransform(1 - hole, cv2.DIST_L2, cv2.DIST_MASK_5)  # opaque px: to the hole
    inside = cv2.distanceTransform(hole, cv2.DIST_L2, cv2.DIST_MASK_5)  # hole px: to the artwork
    signed = np.where(hole > 0, 0.5 - inside, outside - 0.5)  # px from the edge, artwork side positive
    return np.clip(np.rint(127.5 + 255 * signed / ramp), 0, 255).astype(np.uint8)


def sprinkle(a: np.ndarray, rng: np.random.Generator, count: int, radius: int = 10) -> int:
    """Up to `count` hard transparent dots 1 to 2 x `radius` + 1 px wide in the opaque artwork, none touching
    anything transparent or each other; returns how many."""
    return _scatter(a, rng, count, lambda x, y, r: cv2.circle(a, (x, y), r, 0, -1, cv2.LINE_8), 0, radius)


def stars(a: np.ndarray, rng: np.random.Generator, count: int, share: float = 0.003) -> int:
    """Up to `count` transparent five-pointed stars of up to `share` of the frame's area; how many."""
    big = math.sqrt(share * a.size / 1.3)  # a star of outer radius r covers about 1.3 r^2

    def star(x: int, y: int, r: int) -> None:
        angles = -math.pi / 2 + np.arange(10) * math.pi / 5
        radii = np.where(np.arange(10) % 2 == 0, r, 0.45 * r)
        points = np.stack([x + radii * np.cos(angles), y + radii * np.sin(angles)], axis=1)
        cv2.fillPoly(a, [np.rint(points).astype(np.int32)], 0, cv2.LINE_8)

    return _scatter(a, rng, count, star, int(big / 2), int(big))


def _scatter(
    a: np.ndarray,
    rng: np.random.Generator,
    count: int,
    draw: Callable[[int, int, int], object],
    low: int,
    high: int,
) -> int:
    h, w = a.shape
    placed = 0
    for _ in range(50 * count):
        if placed == count:
            break
        r = int(rng.integers(low, high + 1))
        x, y = int(rng.integers(r + 1, w - r - 1)), int(rng.integers(r + 1, h - r - 1))
        m = r + 3  # a gap of 2 px at least: the dot is its own region
        if a[max(y - m, 0) : y + m + 1, max(x - m, 0) : x + m + 1].min() < 255:
            continue
        draw(x, y, r)
        placed += 1
    return placed


# ---- The cases: each builds (alpha, true window, shape, ignored) when it runs.


def round_1000() -> Case:
    a, win = opaque(1000, 1000), Box(120, 120, 760, 760)
    ellipse(a, win)
    return a, win, "circle", 0


def round_supersampled_1000() -> Case:
    win = Box(150.25, 99.5, 700.5, 700.5)
    a = supersampled(1000, 1000, lambda big: ellipse(big, win.scaled(4)))
    return a, win, "circle", 0


def round_badge_transparent_corners_1200() -> Case:
    # A round badge slightly larger than the canvas: its four transparent corners are regions of their own,
    # each touching the border.
    a, win = np.zeros((1200, 1200), np.uint8), Box(170, 170, 860, 860)
    ellipse(a, Box(-10, -10, 1220, 1220), 255)
    ellipse(a, win)
    return a, win, "circle", 4


def small_window_in_badge_with_wide_margin_2000() -> Case:
    # The transparent margin around the badge is ten times the window's area, but it encloses it.
    a, win = np.zeros((2000, 2000), np.uint8), Box(750, 600, 500, 500)
    ellipse(a, Box(200, 200, 1600, 1600), 255)
    ellipse(a, win)
    return a, win, "circle", 1


def oval_high_with_banner_below_2000() -> Case:
    a, win = opaque(2000, 2000), Box(400, 120, 1200, 1380)
    ellipse(a, win)
    rng = np.random.default_rng(1)
    ignored = stars(a, rng, 3) + sprinkle(a, rng, 30)
    return a, win, "ellipse", ignored


def oval_1600x2000() -> Case:
    a, win = opaque(1600, 2000), Box(250, 300, 1100, 1300)
    ellipse(a, win)
    return a, win, "ellipse", 0


def rounded_left_of_centre_2400x1260() -> Case:
    a, win = opaque(2400, 1260), Box(100, 130, 1000, 1000)
    rounded(a, win, 140)
    return a, win, "rounded rectangle", 0


def rounded_soft_1600x2000() -> Case:
    a, win = opaque(1600, 2000), Box(200, 160, 1200, 1400)
    rounded(a, win, 200)
    return blurred(a, 20), win, "rounded rectangle", 0


def rectangle_off_centre_3000() -> Case:
    a, win = opaque(3000, 3000), Box(300, 250, 2000, 2200)
    rectangle(a, win)
    return a, win, "rectangle", 0


def rectangle_with_specks_2400x1260() -> Case:
    a, win = opaque(2400, 1260), Box(1200, 100, 1100, 1060)
    rectangle(a, win)
    rng = np.random.default_rng(2)
    ignored = stars(a, rng, 4) + sprinkle(a, rng, 40)
    return a, win, "rectangle", ignored


def arch_1500x2000() -> Case:
    a, win = opaque(1500, 2000), Box(250, 150, 1000, 1400)
    arch(a, win)
    return a, win, "other", 0


def soft_circle_with_specks_3000() -> Case:
    a, win = opaque(3000, 3000), Box(450, 300, 2100, 2100)
    ellipse(a, win)
    a = ramped(a, 60)
    rng = np.random.default_rng(3)
    ignored = stars(a, rng, 4) + sprinkle(a, rng, 48)
    return a, win, "circle", ignored


def soft_ellipse_2400x1260() -> Case:
    a, win = opaque(2400, 1260), Box(300, 100, 900, 1060)
    ellipse(a, win)
    return ramped(a, 40), win, "ellipse", 0


def soft_arch_1000() -> Case:
    a, win = opaque(1000, 1000), Box(250, 80, 500, 700)
    arch(a, win)
    return blurred(a, 30), win, "other", 0


def banner_only_1080() -> Case:
    # No hole at all: the whole top is transparent, the banner below carries stars and dots.
    a, win = opaque(1080, 1080), Box(0, 0, 1080, 810)
    rectangle(a, win)
    rng = np.random.default_rng(4)
    ignored = stars(a, rng, 3) + sprinkle(a, rng, 12, radius=5)
    return a, win, "rectangle", ignored


def banner_with_large_cut_out_1080() -> Case:
    # The cut-out in the banner is a hole of 3 % of the frame, but the open top is 25 times larger.
    a, win = opaque(1080, 1080), Box(0, 0, 1080, 810)
    rectangle(a, win)
    ellipse(a, Box(435, 840, 210, 210))
    return a, win, "rectangle", 1


def window_open_at_the_top_1200x1500() -> Case:
    # A "pop-out" frame: the window reaches the top edge, so the head can stand out of the artwork.
    a, win = opaque(1200, 1500), Box(200, 0, 800, 1000)
    rectangle(a, win)
    rng = np.random.default_rng(5)
    return a, win, "rectangle", sprinkle(a, rng, 20)


CASES: dict[str, Callable[[], Case]] = {
    f.__name__.replace("_", "-"): f
    for f in (
        round_1000,
        round_supersampled_1000,
        round_badge_transparent_corners_1200,
        small_window_in_badge_with_wide_margin_2000,
        oval_high_with_banner_below_2000,
        oval_1600x2000,
        rounded_left_of_centre_2400x1260,
        rounded_soft_1600x2000,
        rectangle_off_centre_3000,
        rectangle_with_specks_2400x1260,
        arch_1500x2000,
        soft_circle_with_specks_3000,
        soft_ellipse_2400x1260,
        soft_arch_1000,
        banner_only_1080,
        banner_with_large_cut_out_1080,
        window_open_at_the_top_1200x1500,
    )
}


def assert_near(found: Box, truth: Box, size: tuple[int, int], tolerance: float) -> None:
    """Every side of `found` within `tolerance` of the frame's width (x) or height (y) of `truth`."""
    w, h = size
    errors = {
        "left": (found.x - truth.x) / w,
        "right": (found.right - truth.right) / w,
        "top": (found.y - truth.y) / h,
        "bottom": (found.bottom - truth.bottom) / h,
    }
    worst = max(errors, key=lambda k: abs(errors[k]))
    assert abs(errors[worst]) <= tolerance, f"{worst} off by {errors[worst]:.2%}: found {found}, true {truth}"


@pytest.mark.parametrize("build", CASES.values(), ids=CASES.keys())
def test_window_is_found(build: Callable[[], Case]) -> None:
    alpha, truth, shape, ignored = build()
    found = find_window(alpha)
    size = (alpha.shape[1], alpha.shape[0])
    assert_near(found.box, truth, size, 0.005)
    assert found.shape == shape
    assert found.ignored == ignored
    assert 0.02 <= found.share <= truth.w * truth.h / alpha.size + 0.005


def test_feathered_edge_gives_the_box_at_half_alpha() -> None:
    # A 60 px linear ramp: 30 px of it inside the true edge, 30 px outside; the box is at the middle.
    a, win = opaque(1500, 1500), Box(300, 200, 900, 1000)
    ellipse(a, win)
    soft = ramped(a, 60)
    assert soft[750, 300 - 20] > 200 and soft[750, 300 + 20] < 55, "the edge is a 60 px ramp"
    assert_near(find_window(soft).box, win, (1500, 1500), 0.001)


def test_builtin_frame_window_is_found_as_its_metadata_says() -> None:
    dx = load_frame("dx-2023")
    rgba = np.asarray(dx.open_image())
    found = find_window(rgba[..., 3], "dx-2023")  # a strided, read-only view of the alpha
    assert (found.box, found.shape, found.ignored) == (dx.window, dx.window_shape, 0)


def test_share_is_the_window_area() -> None:
    a, win = opaque(1600, 2000), Box(250, 300, 1100, 1300)
    ellipse(a, win)
    assert find_window(a).share == pytest.approx(math.pi / 4 * win.w * win.h / a.size, rel=0.005)


def test_agrees_with_connected_components_with_stats() -> None:
    """The labelling shortcut finds the same region as OpenCV's statistics would."""
    a, _, _, _ = oval_high_with_banner_below_2000()
    n, _, stats, _ = cv2.connectedComponentsWithStats((a < 128).astype(np.uint8), connectivity=4)
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    found = find_window(a)
    assert found.box == Box(*(float(v) for v in stats[largest, :4]))
    assert found.share == stats[largest, cv2.CC_STAT_AREA] / a.size
    assert found.ignored == n - 2


def test_a_region_touching_the_border_only_through_a_corner_pixel() -> None:
    # 4-connectivity: a hole that meets the frame's border diagonally is still one region.
    a = opaque(1000, 1000)
    rectangle(a, Box(100, 100, 600, 600))
    a[99, 99] = 0  # diagonal neighbour only: a separate speck
    found = find_window(a)
    assert found.box == Box(100, 100, 600, 600)
    assert found.ignored == 1


def test_two_windows_of_similar_size_are_refused() -> None:
    a = opaque(2400, 1260)
    rectangle(a, Box(200, 230, 800, 800))
    rectangle(a, Box(1400, 230, 780, 780))
    with pytest.raises(FrameError) as e:
        find_window(a, "couple.png")
    assert str(e.value) == (
        "couple.png: no single window: 2 transparent holes of similar size "
        "(21.2 % at x=200, y=230 and 20.1 % at x=1400, y=230); "
        "framer fills one window: name it with --window X,Y,W,H"
    )


def test_a_second_hole_much_smaller_than_the_window_is_ignored() -> None:
    a, win = opaque(2000, 2000), Box(300, 200, 1400, 1400)
    ellipse(a, win)
    ellipse(a, Box(80, 1700, 200, 200))  # a 4 % hole below the window
    found = find_window(a)
    assert_near(found.box, win, (2000, 2000), 0.001)
    assert found.ignored == 1


def test_fully_opaque_frame_is_refused() -> None:
    with pytest.raises(FrameError) as e:
        find_window(opaque(1200, 1200), "frame.png")
    assert str(e.value) == "frame.png: no transparent window: the image is fully opaque"


def test_a_translucent_veil_is_not_a_window() -> None:
    a = opaque(1200, 1200)
    ellipse(a, Box(200, 200, 800, 800), 200)  # 22 % transparent at most
    with pytest.raises(FrameError) as e:
        find_window(a, "frame.png")
    assert str(e.value) == (
        "frame.png: no transparent window: no pixel is more than half transparent "
        "(the lowest alpha is 200 of 255)"
    )


def test_only_specks_are_refused() -> None:
    a = opaque(1000, 1000)
    rng = np.random.default_rng(6)
    count = sprinkle(a, rng, 30)
    with pytest.raises(FrameError) as e:
        find_window(a, "frame.png")
    assert str(e.value) == (
        "frame.png: no transparent window: the largest transparent region is less than 0.1 % of the frame "
        f"(a speck), one of {count} transparent regions; a window must be at least 2 %"
    )


def test_a_hole_too_small_for_a_portrait_is_refused() -> None:
    a = opaque(1000, 1000)
    rectangle(a, Box(400, 400, 120, 100))
    with pytest.raises(FrameError) as e:
        find_window(a)
    assert str(e.value) == (
        "frame: no transparent window: the largest transparent region is 1.2 % of the frame; "
        "a window must be at least 2 %"
    )


@pytest.mark.parametrize(
    "alpha",
    [np.zeros((10, 10, 4), np.uint8), np.zeros((10, 10), np.float32), np.zeros((0, 10), np.uint8)],
    ids=["rgba", "float", "empty"],
)
def test_only_a_2d_uint8_alpha_is_accepted(alpha: np.ndarray) -> None:
    with pytest.raises(ValueError):
        find_window(alpha)


@st.composite
def random_frames(draw: st.DrawFn) -> tuple[np.ndarray, Box, str, int]:
    fw, fh = draw(st.integers(400, 1000)), draw(st.integers(400, 1000))
    kind = draw(st.sampled_from(["ellipse", "rectangle"]))
    # Any size from 5 % of the frame's width and height, as long as the window is over 3 % of its area.
    sw = draw(st.floats(0.05, 0.95))
    sh = draw(st.floats(min(0.95, max(0.05, 0.04 / sw)), 0.95))
    w, h = round(sw * fw), round(sh * fh)
    x, y = draw(st.integers(1, fw - w - 1)), draw(st.integers(1, fh - h - 1))
    win = Box(x, y, w, h)
    a = opaque(fw, fh)
    (ellipse if kind == "ellipse" else rectangle)(a, win)
    ramp = draw(st.sampled_from([0, 0, 10, 30]))
    # A feather wider than the window, or than the artwork between it and the border, changes their shape.
    if ramp and min(w, h) >= 8 * ramp and min(x, y, fw - x - w, fh - y - h) >= ramp:
        a = blurred(a, ramp)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ignored = stars(a, rng, draw(st.integers(0, 3))) + sprinkle(a, rng, draw(st.integers(0, 40)), 6)
    return a, win, kind, ignored


@settings(max_examples=40, deadline=None)
@given(random_frames())
def test_any_window_is_found_within_one_percent(frame: tuple[np.ndarray, Box, str, int]) -> None:
    alpha, truth, kind, ignored = frame
    found = find_window(alpha)
    assert_near(found.box, truth, (alpha.shape[1], alpha.shape[0]), 0.01)
    assert found.ignored == ignored
    if min(truth.w, truth.h) >= 150:
        expected = {"ellipse", "circle"} if kind == "ellipse" else {"rectangle"}
        assert found.shape in expected
