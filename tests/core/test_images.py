"""Decoding every kind of photo to upright RGB, encoding without metadata, atomic writes."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest
from PIL import Image, ImageOps

from framer.core.colour import to_rgb
from framer.core.detect import FaceDetector
from framer.core.images import decode_photo, encode, load_photo
from framer.errors import OutputError, PhotoError
from framer.files import write_atomic
from helpers import DATA

VARIANTS = [
    "grace_hopper.jpg",
    "hopper_exif3.jpg",
    "hopper_exif6.jpg",
    "hopper_exif8.jpg",
    "hopper_gray.jpg",
    "hopper_cmyk.jpg",
    "hopper_palette.gif",
    "hopper.webp",
    "hopper_12mp.jpg",
    "hopper_tiny.jpg",
    "astronaut.png",
    "astronaut_rgba.png",
    "astronaut_gray16.png",
    "astronaut_edge.jpg",
]


@pytest.mark.parametrize("name", VARIANTS)
def test_every_variant_decodes_upright_rgb_with_its_face(detector: FaceDetector, name: str) -> None:
    rgb = load_photo(DATA / name)
    assert rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3
    faces = detector(rgb)
    assert len(faces) == 1 and faces[0].upright


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_gives_the_upright_picture(orientation: int) -> None:
    upright = load_photo(DATA / "grace_hopper.jpg").astype(np.int16)
    rotated = load_photo(DATA / f"hopper_exif{orientation}.jpg").astype(np.int16)
    assert rotated.shape == upright.shape
    assert np.abs(rotated - upright).mean() < 4  # the same picture, give or take JPEG noise


@pytest.mark.parametrize(("fmt", "mode"), [("BMP", "RGB"), ("TIFF", "RGB"), ("TIFF", "I;16"), ("PNG", "LA")])
def test_other_containers_and_modes(tmp_path, detector: FaceDetector, fmt: str, mode: str) -> None:
    hopper = Image.open(DATA / "grace_hopper.jpg")
    im = (
        Image.fromarray(np.asarray(hopper.convert("L"), np.uint16) * 257)
        if mode == "I;16"
        else hopper.convert(mode)
    )
    path = tmp_path / f"hopper.{fmt.lower()}"
    im.save(path, fmt)
    faces = detector(load_photo(path))
    assert len(faces) == 1 and faces[0].upright


def test_sixteen_bit_keeps_its_tonal_range() -> None:
    deep = load_photo(DATA / "astronaut_gray16.png")
    eight = np.asarray(Image.open(DATA / "astronaut.png").convert("L"))
    assert np.abs(deep[..., 0].astype(int) - eight).max() <= 1
    assert deep.max() > 200  # not clipped to black or blown to white


def test_transparency_becomes_white_not_black() -> None:
    rgb = load_photo(DATA / "astronaut_rgba.png")
    assert (rgb[:, :40] == 255).all()


def test_float_images_in_zero_to_one_are_scaled() -> None:
    im = Image.fromarray(np.full((4, 4), 0.5, np.float32), mode="F")
    assert to_rgb(im).getpixel((0, 0)) == (128, 128, 128)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", r"the file is empty \(0 bytes\)"),
        (b"%PDF-1.4 this is a document", "not an image"),
        ((DATA / "grace_hopper.jpg").read_bytes()[:2000], "the file is incomplete"),
    ],
    ids=["empty", "pdf-named-jpg", "truncated-jpeg"],
)
def test_bad_files_get_a_plain_reason(tmp_path, content: bytes, reason: str) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(content)
    with pytest.raises(PhotoError, match=reason):
        load_photo(path)


@pytest.mark.parametrize("fmt", ["jpg", "png", "webp"])
def test_outputs_carry_no_metadata(fmt: str) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    im = Image.new("RGB", (32, 32), "red")
    im.info["exif"] = exif.tobytes()
    data = encode(im, fmt)
    out = Image.open(io.BytesIO(data))
    assert out.format == {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[fmt]
    assert not out.getexif()
    assert b"SecretCam" not in data and b"Exif" not in data


def test_atomic_write_never_replaces_without_overwrite(tmp_path) -> None:
    target = tmp_path / "out" / "a.jpg"
    write_atomic(target, b"first", overwrite=False)
    with pytest.raises(OutputError, match="already exists"):
        write_atomic(target, b"second", overwrite=False)
    assert target.read_bytes() == b"first"
    write_atomic(target, b"third", overwrite=True)
    assert target.read_bytes() == b"third"
    assert os.listdir(target.parent) == ["a.jpg"], "no temporary files left behind"


def test_a_photo_in_memory_decodes_as_the_same_file_on_disk() -> None:
    """An upload is decoded from its bytes, never written to disk: the same pixels, orientation and notes."""
    for name in ("hopper_exif6.jpg", "hopper_cmyk.jpg", "hopper_palette.gif"):
        on_disk, in_memory = decode_photo(DATA / name), decode_photo((DATA / name).read_bytes())
        assert in_memory.full_size == on_disk.full_size and in_memory.notes == on_disk.notes
        assert np.array_equal(in_memory.rgb, on_disk.rgb)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_jpeg_is_decoded_upright_exactly_as_pillow_turns_it(orientation: int) -> None:
    """JPEGs are decoded by libjpeg-turbo straight into an array and turned by framer itself: for every
    EXIF orientation, the same pixels as Pillow's decode turned by ImageOps.exif_transpose."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.open(DATA / "grace_hopper.jpg").save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    data = buffer.getvalue()
    expected = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB"))
    photo = decode_photo(data)
    assert photo.rgb.flags["C_CONTIGUOUS"] and photo.full_size == (expected.shape[1], expected.shape[0])
    assert np.array_equal(photo.rgb, expected)


def test_a_reduced_jpeg_decode_is_pillows_reduced_decode() -> None:
    """The quick decode picks the same DCT scale as Pillow's draft mode would, and the same pixels."""
    photo = decode_photo(DATA / "hopper_12mp.jpg", min_side=1080)
    with Image.open(DATA / "hopper_12mp.jpg") as im:
        im.draft("RGB", (1500, 2000))
        expected = np.asarray(ImageOps.exif_transpose(im).convert("RGB"))
    assert photo.reduction == 2 and photo.rgb.shape == expected.shape
    assert np.abs(photo.rgb.astype(int) - expected).max() <= 1


@pytest.mark.parametrize(
    "options",
    [{"progressive": True}, {"restart_marker_blocks": 4}, {"subsampling": 0}, {"subsampling": 1}],
    ids=["progressive", "restart markers", "4:4:4", "4:2:2"],
)
def test_every_kind_of_jpeg_decodes_to_pillows_pixels(options: dict) -> None:
    buffer = io.BytesIO()
    Image.open(DATA / "grace_hopper.jpg").save(buffer, "JPEG", quality=90, **options)
    data = buffer.getvalue()
    assert np.array_equal(decode_photo(data).rgb, np.asarray(Image.open(io.BytesIO(data)).convert("RGB")))
