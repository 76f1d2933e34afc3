"""One photo through the whole pipeline, judged by detecting the face again in the output."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

from framer.core.compose import PreparedFrame, _extend, render_portrait
from framer.core.detect import FaceDetector
from framer.core.geometry import Box, Placement, place_face
from framer.core.images import load_photo
from framer.core.pipeline import EDGES_FILLED, LOW_RESOLUTION, NO_FACE, SEVERAL_FACES, Adjust, frame_photo
from helpers import DATA, assert_face_placed, faces_in

# Every photo in tests/data but the cat: each has exactly one face.
PHOTOS = sorted(p.name for p in DATA.iterdir() if p.suffix in {".jpg", ".png", ".gif", ".webp"})
PHOTOS.remove("chelsea.png")


@pytest.mark.parametrize("name", PHOTOS)
def test_face_lands_in_the_window(detector: FaceDetector, frame: PreparedFrame, name: str) -> None:
    framed = frame_photo(load_photo(DATA / name), detector, frame)
    assert framed.image.size == frame.size and framed.image.mode == "RGB"
    assert framed.faces == 1 and framed.found_face
    assert_face_placed(detector, framed.image, frame.window)


def test_the_frame_is_on_top(detector: FaceDetector, frame: PreparedFrame) -> None:
    framed = frame_photo(load_photo(DATA / "grace_hopper.jpg"), detector, frame)
    out = np.asarray(framed.image).astype(int)
    opaque = np.asarray(frame.alpha) == 255
    assert np.abs(out[opaque] - np.asarray(frame.rgb).astype(int)[opaque]).max() <= 1


def test_tight_photo_is_filled_from_itself_not_with_bars(
    detector: FaceDetector, frame: PreparedFrame
) -> None:
    photo = load_photo(DATA / "astronaut_edge.jpg")  # the face 60 px from the left edge
    # Exactly the preferred look (no room to cover it): the window reaches past the photo's left edge.
    placement = place_face(detector(photo)[0], frame.size, frame.window)
    assert placement.shows_beyond(photo.shape[1], photo.shape[0], frame.window)

    canvas = render_portrait(photo, placement, frame.size).astype(float)
    edge = round(-placement.crop.x * placement.scale)  # where the photo's left edge lands
    assert 20 < edge < frame.size[0] // 2
    fill = canvas[:, : edge - 10]
    assert fill.std(axis=(0, 1)).max() > 2, "the fill is a flat bar"
    # No hard seam: neighbouring columns across the photo's edge differ no more than inside the photo.
    steps = np.abs(np.diff(canvas, axis=1)).mean(axis=(0, 2))
    assert steps[edge - 3 : edge + 3].max() < 3 * np.median(steps[edge + 20 : edge + 200]) + 2


def _detail(strip: np.ndarray) -> float:
    """How much fine detail a strip of canvas holds: the mean step between neighbouring pixels."""
    s = strip.astype(float)
    return float(np.abs(np.diff(s, axis=0)).mean() + np.abs(np.diff(s, axis=1)).mean())


def _columns(image: np.ndarray, rows: slice, edge: int, outward: int, start: int, end: int) -> np.ndarray:
    """The columns of `image` from `start` to `end` px out of `edge` (`outward` -1: leftwards)."""
    lo, hi = sorted((edge + outward * start, edge + outward * end))
    return image[rows, max(0, lo) : hi]


def test_the_fill_mirrors_the_photo_at_its_edge_then_fades_to_a_soft_wash(
    detector: FaceDetector, frame: PreparedFrame
) -> None:
    """Past the photo's edges: the photo's own pixels shown as they are right up to its edge, its
    texture carried on past it (mirrored: no seam, no stretched streaks), blurred more and more with
    the distance until only its colours are left."""
    photo = id_crop()  # too tight to cover the window: its left and right edges show
    placement = frame_photo(photo, detector, frame).placement
    canvas = render_portrait(photo, placement, frame.size)
    s, crop = placement.scale, placement.crop
    # The same view of the whole photo the crop was cut from: what the photo's own pixels look like.
    x, y = ID_CROP[:2]
    whole = Placement(s, Box(crop.x + x, crop.y + y, crop.w, crop.h))
    truth = render_portrait(load_photo(DATA / "grace_hopper.jpg"), whole, frame.size)
    side = max(frame.size)
    top, bottom = round(-crop.y * s) + 20, round((photo.shape[0] - crop.y) * s) - 20
    rows = slice(max(0, top), min(frame.size[1], bottom))
    for edge, outward in ((round(-crop.x * s), -1), (round((photo.shape[1] - crop.x) * s), 1)):
        strip = partial(_columns, canvas, rows, edge, outward)
        assert 10 < edge < frame.size[0] - 10
        photo_detail = _detail(_columns(truth, rows, edge, outward, -4, 0))
        assert _detail(strip(-4, 0)) > 0.8 * photo_detail, "the photo's edge is shown as it is"
        assert _detail(strip(0, 4)) > 0.5 * photo_detail, "its texture carries on past it"
        far = strip(round(0.06 * side), side)
        assert _detail(far) < 0.25 * photo_detail, "far out, only a soft wash"
        assert far.astype(float).std(axis=(0, 1)).max() > 2, "a wash of the photo's colours, not a bar"


def test_a_margin_the_frame_hides_is_not_blurred_and_nothing_visible_changes(
    detector: FaceDetector, frame: PreparedFrame
) -> None:
    """The blur is made only when some of it can be seen: skipping it changes no pixel of the output."""
    from framer.core.compose import lay_frame

    photo = load_photo(DATA / "hopper_12mp.jpg")
    placement = frame_photo(photo, detector, frame).placement
    # The photo covers the window, not the canvas's corners: the frame hides those.
    assert placement.crop.x < 0 and placement.crop.right > photo.shape[1]
    quick = render_portrait(photo, placement, frame.size, frame.shows_outside)
    full = render_portrait(photo, placement, frame.size)
    hidden = np.asarray(frame.alpha) == 255
    assert not np.array_equal(quick[hidden], full[hidden]), "the hidden margin was not left plain"
    assert np.array_equal(np.asarray(lay_frame(quick, frame)), np.asarray(lay_frame(full, frame)))


ID_CROP = (131, 50, 264, 352)  # x, y, w, h: her face is about 176 x 212 px at (176, 113): centred


def id_crop() -> np.ndarray:
    """A 3x4 ID-style crop of Grace Hopper, tight around her face (it fills 60 % of the photo's height)."""
    x, y, w, h = ID_CROP
    return load_photo(DATA / "grace_hopper.jpg")[y : y + h, x : x + w]


def landscape() -> np.ndarray:
    """A wide strip (about 2.7 : 1) cut from the astronaut's portrait around her face."""
    return load_photo(DATA / "astronaut.png")[18:207]


@pytest.mark.parametrize(
    "name, photo, most",
    [
        ("id crop", id_crop, 0.13),  # too tight to cover: a 62 % face still leaves some of the window
        ("face near an edge", lambda: load_photo(DATA / "astronaut_edge.jpg"), 0.02),
        ("landscape", landscape, 0.02),
    ],
)
def test_tight_photos_fill_the_window_with_their_own_pixels(
    detector: FaceDetector, frame: PreparedFrame, name: str, photo, most: float
) -> None:
    """Cover first: the face a little larger or off centre, within the tolerances, rather than the
    window filled with invented pixels; and the report says how much was invented."""
    image = photo()
    framed = frame_photo(image, detector, frame)
    preferred = place_face(detector(image)[0], frame.size, frame.window)
    before = frame.mask.invented(preferred, (image.shape[1], image.shape[0]))
    assert framed.invented <= most and framed.invented < before / 3, (framed.invented, before)
    assert (EDGES_FILLED in framed.warnings) == (framed.invented > 0.02)
    assert_face_placed(detector, framed.image, frame.window)


def test_no_face_is_framed_from_the_top_centre_and_flagged(
    detector: FaceDetector, frame: PreparedFrame
) -> None:
    photo = load_photo(DATA / "chelsea.png")
    framed = frame_photo(photo, detector, frame)
    assert framed.faces == 0 and framed.face is None and not framed.found_face
    assert framed.warnings == [NO_FACE]
    crop = framed.placement.crop
    assert crop.x >= 0 and crop.y >= 0 and crop.right <= photo.shape[1] and crop.bottom <= photo.shape[0]
    assert abs(crop.cx - photo.shape[1] / 2) < 1


def group_photo() -> np.ndarray:
    hopper = Image.open(DATA / "grace_hopper.jpg").convert("RGB")
    astronaut = Image.open(DATA / "astronaut.png").convert("RGB").resize((300, 300))
    group = Image.new("RGB", (1000, 600), (180, 180, 180))
    group.paste(astronaut, (20, 150))
    group.paste(hopper, (450, 0))
    return np.asarray(group)


def test_several_faces_frames_the_largest_and_says_so(detector: FaceDetector, frame: PreparedFrame) -> None:
    framed = frame_photo(group_photo(), detector, frame)
    assert framed.faces == 2 and SEVERAL_FACES in framed.warnings
    assert framed.face is not None and framed.face.x > 450  # Grace Hopper's, the larger face
    assert_face_placed(detector, framed.image, frame.window)


def test_a_person_can_pick_another_face(detector: FaceDetector, frame: PreparedFrame) -> None:
    framed = frame_photo(group_photo(), detector, frame, Adjust(face=1))
    assert framed.face is not None and framed.face.x < 300  # the astronaut
    assert_face_placed(detector, framed.image, frame.window)


def test_tiny_photo_is_enlarged_with_a_warning(detector: FaceDetector, frame: PreparedFrame) -> None:
    framed = frame_photo(load_photo(DATA / "hopper_tiny.jpg"), detector, frame)
    assert LOW_RESOLUTION in framed.warnings
    assert framed.placement.scale > 2.5


def test_zoom_and_shift_move_the_face_as_asked(detector: FaceDetector, frame: PreparedFrame) -> None:
    photo = load_photo(DATA / "grace_hopper.jpg")
    plain = faces_in(detector, frame_photo(photo, detector, frame).image)[0].box
    nudged = faces_in(
        detector, frame_photo(photo, detector, frame, Adjust(zoom=1.2, shift=(0.1, 0.0))).image
    )[0].box
    # The detector sees a face a few % larger or smaller depending on what surrounds it in the window.
    assert nudged.h / plain.h == pytest.approx(1.2, rel=0.12)
    assert nudged.cx - plain.cx == pytest.approx(0.1 * frame.window.w, abs=0.03 * frame.window.w)


def test_render_fast_path_is_a_plain_crop() -> None:
    photo = (np.arange(200 * 300 * 3) % 251).astype(np.uint8).reshape(200, 300, 3)
    p = Placement(1.0, Box(50, 40, 100, 100))
    assert np.array_equal(render_portrait(photo, p, (100, 100)), photo[40:140, 50:150])


@pytest.mark.parametrize("name", ["grace_hopper.jpg", "hopper_12mp.jpg", "hopper_exif6.jpg", "two"])
def test_an_editors_analysis_places_each_face_as_framing_would(
    detector: FaceDetector, frame: PreparedFrame, name: str, tmp_path
) -> None:
    """The web page drags and zooms from analyse()'s placements; the download is frame_file's. With
    the same face, zoom and shift, both must be the same placement."""
    from framer.core.geometry import nudge
    from framer.core.pipeline import analyse, frame_file
    from helpers import two_people

    source = two_people(tmp_path / "two.jpg") if name == "two" else DATA / name
    seen = analyse(source.read_bytes(), detector, frame)
    assert len(seen.placements) == len(seen.faces) == (2 if name == "two" else 1)
    assert max(seen.preview.shape[:2]) <= 1280
    assert seen.preview.shape[1] == pytest.approx(seen.full_size[0] * seen.preview_scale, abs=1)
    for face, adjust in [(0, Adjust()), (len(seen.faces) - 1, Adjust(zoom=1.3, shift=(0.05, -0.1)))]:
        adjust = Adjust(zoom=adjust.zoom, shift=adjust.shift, face=face)
        framed = frame_file(source, detector, frame, adjust)
        expected = nudge(seen.placements[face], frame.window, adjust.zoom, adjust.shift)
        assert framed.placement.scale == pytest.approx(expected.scale, rel=1e-6)
        got, want = framed.placement.crop, expected.crop
        assert [got.x, got.y, got.w, got.h] == pytest.approx([want.x, want.y, want.w, want.h], abs=0.01)


@settings(max_examples=60, deadline=None)
@given(size=st.tuples(st.integers(16, 2400), st.integers(16, 2400)), data=st.data())
@example(size=(1920, 1080), data=None)  # the frame that showed it: a wide 1920 x 1080 one
def test_the_fill_takes_any_canvas_and_any_part_of_it_for_the_photo(
    size: tuple[int, int], data: st.DataObject | None
) -> None:
    """Any canvas size (a 1920 x 1080 frame once made the blur's small copy one row short: every photo
    whose crop reached the canvas's bottom failed) and any rectangle of it showing the photo: the photo
    is left as it is, the rest is filled."""
    w, h = size
    if data is None:
        x0, y0, x1, y1 = 980, 0, 1760, 1080
    else:
        x0, y0 = data.draw(st.integers(0, w - 1)), data.draw(st.integers(0, h - 1))
        x1, y1 = data.draw(st.integers(x0 + 1, w)), data.draw(st.integers(y0 + 1, h))
    rng = np.random.default_rng(w * 7919 + h)
    visible = rng.integers(0, 256, (y1 - y0, x1 - x0, 3), dtype=np.uint8)
    canvas = _extend(visible, (x0, y0, x1, y1), (w, h))
    assert canvas.shape == (h, w, 3) and canvas.dtype == np.uint8
    assert np.array_equal(canvas[y0:y1, x0:x1], visible)
