"""Face detection on the real photos."""

from __future__ import annotations

import hashlib
from importlib.resources import files

import numpy as np
import pytest
from PIL import Image

from framer.core.detect import MODEL_NAME, MODEL_SHA256, FaceDetector
from helpers import DATA


def test_vendored_model_is_the_published_yunet_2023mar() -> None:
    data = (files("framer") / "models" / MODEL_NAME).read_bytes()
    assert len(data) == 232_589
    assert hashlib.sha256(data).hexdigest() == MODEL_SHA256


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Boxes measured once by eye on the originals: the face, forehead to chin.
        ("astronaut.png", (178, 63, 92, 112)),
        ("grace_hopper.jpg", (178, 123, 176, 211)),
    ],
)
def test_finds_the_face_on_real_photos(detector: FaceDetector, name: str, expected: tuple) -> None:
    faces = detector(np.asarray(Image.open(DATA / name).convert("RGB")))
    assert len(faces) == 1
    box = faces[0].box
    x, y, w, h = expected
    assert abs(box.x - x) < 0.1 * w and abs(box.y - y) < 0.1 * h
    assert abs(box.w - w) < 0.15 * w and abs(box.h - h) < 0.15 * h
    assert faces[0].upright
    assert box.y < faces[0].eye_y < box.cy, "eyes in the upper half of the face box"


def test_no_face_on_a_cat(detector: FaceDetector) -> None:
    assert detector(np.asarray(Image.open(DATA / "chelsea.png").convert("RGB"))) == []


def test_boxes_are_in_the_photos_own_pixels_at_any_size(detector: FaceDetector) -> None:
    """The 12 MP copy is found at the same place as the original, scaled: no detection-size leak."""
    small = detector(np.asarray(Image.open(DATA / "grace_hopper.jpg").convert("RGB")))[0].box
    big = detector(np.asarray(Image.open(DATA / "hopper_12mp.jpg").convert("RGB")))[0].box
    s = 3000 / 512  # hopper_12mp enlarges the photo to 3000 px wide, centred on a 4000 px tall canvas
    offset_y = (4000 - 600 * s) / 2
    assert abs(big.cx - small.cx * s) < 0.05 * big.w
    assert abs(big.cy - (small.cy * s + offset_y)) < 0.05 * big.h
    assert abs(big.h - small.h * s) < 0.1 * big.h


def test_several_faces_come_largest_first(detector: FaceDetector) -> None:
    hopper = Image.open(DATA / "grace_hopper.jpg").convert("RGB")
    astronaut = Image.open(DATA / "astronaut.png").convert("RGB").resize((256, 256))
    group = Image.new("RGB", (900, 600), (200, 200, 200))
    group.paste(astronaut, (20, 150))
    group.paste(hopper, (350, 0))
    faces = detector(np.asarray(group))
    assert len(faces) == 2
    assert faces[0].box.x > 350 and faces[1].box.x < 300
    assert faces[0].box.h > faces[1].box.h


def test_a_small_face_in_a_big_photo_is_found(detector: FaceDetector) -> None:
    """A face about 2 % of a big photo's side (300 px in a 99 MP panorama) is under YuNet's smallest at
    the usual 640 px look: the detector looks once more with more detail rather than miss it."""
    hopper = Image.open(DATA / "grace_hopper.jpg").convert("RGB")  # her face is about 212 px tall
    big = Image.new("RGB", (8000, 5000), (96, 110, 140))
    big.paste(hopper.resize((hopper.width * 3 // 4, hopper.height * 3 // 4)), (5200, 1800))
    pixels = np.asarray(big)
    assert detector.detect_at(pixels, 640) == []  # the usual look misses it
    faces = detector(pixels)
    assert len(faces) == 1 and 5200 < faces[0].box.cx < 5200 + hopper.width


def test_a_box_centred_off_the_picture_is_never_a_face(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a sliver (2400 x 36, shown to the model as 640 x 10), YuNet sometimes returns boxes with a
    score of 1.0 far outside the picture (seen in CI: y = -124, h = 81 on a 36 px tall photo); such a box
    is dropped, whatever the model says, as the page's port drops it. A face cut by the edge is kept."""

    class Model:  # what YuNet said, in the copy's pixels (640 x 10)
        def setInputSize(self, size: tuple[int, int]) -> None:
            pass

        def detect(self, image: np.ndarray) -> tuple[int, np.ndarray]:
            return 1, np.array([off_picture, cut_by_the_edge], np.float32)

    off_picture = [271.7, -34.5, 13.0, 22.5, *([0.0] * 10), 1.0]
    cut_by_the_edge = [300.0, -4.0, 8.0, 12.0, *([0.0] * 10), 0.9]  # centred at y = 2: on the picture
    detector = FaceDetector()
    monkeypatch.setattr(detector, "_net", Model())
    (kept,) = detector.detect_at(np.zeros((36, 2400, 3), np.uint8), 640)
    assert kept.score == pytest.approx(0.9)
