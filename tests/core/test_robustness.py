"""Bad and odd input: every file gets a plain reason or a picture, the batch goes on, nothing is lost."""

from __future__ import annotations

import errno
import json
import os
import random
import re
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from framer import files
from framer.core.images import decode_photo
from framer.errors import PhotoError
from helpers import DATA, run, snapshot

DURING = ["--date", "2023-10-05", "--size", "360", "--jobs", "1"]


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_claiming(50_000, 50_000))
    assert bomb.stat().st_size < 200
    said = r"50,000 x 50,000 px \(2,500 megapixels\), more than the limit of 100"
    with pytest.raises(PhotoError, match=said):
        decode_photo(bomb)


def test_the_pixel_limit_is_the_users_to_set(tmp_path: Path) -> None:
    result = run(
        "apply",
        DATA / "hopper_12mp.jpg",
        "-o",
        tmp_path,
        "--max-megapixels",
        "5",
        "--report",
        tmp_path / "r.jsonl",
        *DURING,
    )
    assert result.exit_code == 1
    assert "12 megapixels), more than the limit of 5 megapixels" in result.output


@pytest.mark.parametrize("size", [(1, 1), (8000, 20), (20, 8000)], ids=["1x1", "8000x20", "20x8000"])
def test_extreme_sizes_are_framed_without_a_fuss(tmp_path: Path, size: tuple[int, int]) -> None:
    odd = tmp_path / "odd.png"
    Image.new("RGB", size, (120, 90, 60)).save(odd)
    result = run("apply", odd, "-o", tmp_path / "out", *DURING)
    assert result.exit_code == 1  # framed, but no face to place: flagged
    with Image.open(tmp_path / "out" / "odd.jpg") as im:
        assert im.size == (360, 360)


def test_animated_pictures_use_the_first_frame_and_say_so(tmp_path: Path) -> None:
    hopper = Image.open(DATA / "grace_hopper.jpg").convert("RGB")
    gif = tmp_path / "wave.gif"
    hopper.save(gif, save_all=True, append_images=[hopper.rotate(10), hopper.rotate(20)], duration=200)
    photo = decode_photo(gif)
    assert photo.notes == ("animated",)
    result = run("apply", gif, "-o", tmp_path / "out", *DURING)
    assert result.exit_code == 0
    assert re.search(r"animated pictures \(the first frame was used\)\s+1", result.output), result.output


def test_iphone_heic_photos_are_read(tmp_path: Path, detector) -> None:
    heic = tmp_path / "IMG_0001.HEIC"
    pillow_heif.from_pillow(Image.open(DATA / "grace_hopper.jpg")).save(heic, quality=80)
    photo = decode_photo(heic)
    assert photo.rgb.shape[:2] == (600, 512)
    assert len(detector(photo.rgb)) == 1


def test_a_broken_colour_profile_does_not_stop_the_photo(tmp_path: Path) -> None:
    path = tmp_path / "odd-profile.jpg"
    Image.open(DATA / "grace_hopper.jpg").save(path, icc_profile=b"not really a profile" * 10)
    photo = decode_photo(path)
    assert photo.notes == ("colour_profile_ignored",)
    assert photo.rgb.shape == (600, 512, 3)


def test_an_srgb_profile_changes_nothing(tmp_path: Path) -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = tmp_path / "tagged.png"
    Image.open(DATA / "grace_hopper.jpg").save(path, icc_profile=srgb)
    assert np.array_equal(
        decode_photo(path).rgb, np.asarray(Image.open(DATA / "grace_hopper.jpg").convert("RGB"))
    )


@pytest.mark.parametrize("mode", ["I", "F"])
def test_32_bit_images(tmp_path: Path, mode: str, detector) -> None:
    gray = np.asarray(Image.open(DATA / "grace_hopper.jpg").convert("L"), np.float64)
    values = gray * 65535 / 255 if mode == "I" else gray / 255
    path = tmp_path / f"deep-{mode}.tiff"
    Image.fromarray(values.astype(np.int32 if mode == "I" else np.float32), mode).save(path)
    photo = decode_photo(path)
    assert photo.rgb.max() > 200 and len(detector(photo.rgb)) == 1


def test_palette_transparency_becomes_white(tmp_path: Path) -> None:
    im = Image.new("P", (40, 40), 1)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    im.info["transparency"] = 1
    path = tmp_path / "p.png"
    im.save(path, transparency=1)
    assert (decode_photo(path).rgb == 255).all()


def corrupt_variants(seed: int) -> list[tuple[str, bytes]]:
    """Truncations, bit flips and wrong headers of real files: the damage a failed copy does."""
    rng = random.Random(seed)
    out = []
    for name in [
        "grace_hopper.jpg",
        "astronaut.png",
        "hopper.webp",
        "hopper_palette.gif",
        "hopper_exif6.jpg",
    ]:
        data = (DATA / name).read_bytes()
        for cut in (0, 8, 30, 200, len(data) // 3, len(data) - 10):
            out.append((f"{name}-cut{cut}", data[:cut]))
        for i in range(4):
            flipped = bytearray(data)
            for _ in range(1 + i * 8):
                pos = rng.randrange(len(flipped))
                flipped[pos] ^= 1 << rng.randrange(8)
            out.append((f"{name}-flip{i}", bytes(flipped)))
        out.append((f"{name}-header-only", data[:64]))
        out.append((f"{name}-zeros-after-header", data[:100] + b"\0" * 5000))
    out.append(("pdf.jpg", b"%PDF-1.7\n" + os.urandom(2000)))
    out.append(("html.png", b"<!DOCTYPE html><html></html>"))
    return out


@pytest.mark.parametrize(
    ("name", "data"), corrupt_variants(seed=20231010), ids=lambda v: v if isinstance(v, str) else ""
)
def test_damaged_files_decode_or_get_a_plain_reason(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        photo = decode_photo(path, min_side=360)
    except PhotoError as e:
        assert str(e) and "Traceback" not in str(e)
    else:
        assert photo.rgb.dtype == np.uint8 and photo.rgb.ndim == 3


@pytest.fixture
def zoo(tmp_path: Path) -> Path:
    """Good portraits mixed with bad and odd files, the way an agency's folder looks."""
    folder = tmp_path / "ảnh nhân viên"
    (folder / "phòng 2").mkdir(parents=True)
    shutil.copy(DATA / "grace_hopper.jpg", folder / "Nguyễn Văn An 😀.jpg")
    shutil.copy(DATA / "hopper_exif8.jpg", folder / "phòng 2" / "Trần Thị Bình.jpg")
    shutil.copy(DATA / "astronaut.png", folder / "phòng 2" / "astronaut.png")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "report.pdf.jpg").write_bytes(b"%PDF-1.4\n%bad")
    (folder / "half.jpg").write_bytes((DATA / "grace_hopper.jpg").read_bytes()[:5000])
    (folder / "bomb.png").write_bytes(png_claiming(40_000, 40_000))
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # a symlink loop: not followed
    return folder


def test_a_zoo_of_bad_files_never_stops_the_batch_nor_touches_an_original(zoo: Path, tmp_path: Path) -> None:
    before = snapshot(zoo)
    report = tmp_path / "report.jsonl"
    result = run("apply", zoo, "-o", tmp_path / "out", "--report", report, *DURING)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert snapshot(zoo) == before, "inputs are byte-for-byte, time stamp and mode unchanged"
    rows = {
        Path(r["input"]).name: r for r in map(json.loads, report.read_text(encoding="utf-8").splitlines())
    }
    assert {n for n, r in rows.items() if r["status"] == "ok"} == {
        "Nguyễn Văn An 😀.jpg",
        "Trần Thị Bình.jpg",
        "astronaut.png",
    }
    codes = {n: r["error"] for n, r in rows.items() if r["status"] == "error"}
    assert codes == {
        "empty.jpg": "empty",
        "report.pdf.jpg": "not_an_image",
        "half.jpg": "truncated",
        "bomb.png": "too_large",
    }
    assert rows["bomb.png"]["details"]["limit"] == 100  # the values its words name, kept with the code
    said = {
        "empty.jpg": "the file is empty (0 bytes)",
        "report.pdf.jpg": "not an image",
        "half.jpg": "the file is incomplete",
        "bomb.png": "more than the limit of 100 megapixels",
    }
    for name, words in said.items():
        assert re.search(rf"{re.escape(name)}: [^\n]*{re.escape(words)}", result.output), (
            name,
            result.output,
        )
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name.startswith((".empty", ".half", ".bomb"))]


def test_outputs_carry_nothing_private_from_the_input(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-0042"  # BodySerialNumber
    gps = {1: "N", 2: (21.0, 1.0, 40.0), 3: "E", 4: (105.0, 50.0, 4.0)}
    exif[0x8825] = gps
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>secret-xmp</rdf:Description></x:xmpmeta>'
    src = tmp_path / "private.jpg"
    Image.open(DATA / "grace_hopper.jpg").save(
        src, exif=exif.tobytes(), xmp=xmp, comment=b"a private comment"
    )
    for fmt in ("jpg", "png", "webp"):
        out = tmp_path / fmt
        assert run("apply", src, "-o", out, "--format", fmt, *DURING).exit_code == 0
        data = (out / f"private.{fmt}").read_bytes()
        for secret in (b"PhoneMaker", b"SERIAL-0042", b"secret-xmp", b"a private comment", b"Exif", b"GPS"):
            assert secret not in data, (fmt, secret)


def test_a_full_disk_stops_with_a_clear_message_and_keeps_what_was_done(
    zoo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = files.write_atomic
    written = []

    def filling_up(path: Path, data: bytes, **kw: object) -> None:
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(path, data, **kw)  # type: ignore[arg-type]
        written.append(path)

    monkeypatch.setattr("framer.batch.worker.write_atomic", filling_up)
    result = run("apply", zoo, "-o", tmp_path / "out", *DURING)
    assert result.exit_code == 1
    assert "the disk is full. Stopped; the photos framed so far are kept" in result.output
    assert "Stopped:" in result.output  # the summary so far
    assert len(written) == 1
    with Image.open(written[0]) as im:
        im.load()


def test_an_output_folder_that_cannot_be_written_stops_at_once(
    zoo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(path: Path, data: bytes, **kw: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr("framer.batch.worker.write_atomic", refused)
    result = run("apply", zoo, "-o", tmp_path / "out", *DURING)
    assert result.exit_code == 1
    assert "permission denied. Stopped" in result.output
    assert result.output.count("Error:") == 1


def test_decoding_never_leaves_pillow_bomb_warnings(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    Image.new("L", (12_000, 8_000)).save(big)  # 96 MP: over Pillow's own warning level, under ours
    assert decode_photo(big, max_pixels=100_000_000).rgb.shape == (8000, 12000, 3)


def test_a_folder_that_cannot_be_opened_is_reported_not_skipped(
    zoo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Running as root, permissions cannot lock a folder: make the OS refuse it instead.
    locked = zoo / "phòng 2"
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    report = tmp_path / "report.jsonl"
    result = run("apply", zoo, "-o", tmp_path / "out", "--report", report, *DURING)
    assert result.exit_code == 1
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    (row,) = [r for r in rows if r["input"] == str(locked)]
    assert row["status"] == "error" and row["output"] is None
    assert row["error"] == "folder_unreadable" and row["details"] == {"reason": "EACCES"}
    assert "cannot open this folder (permission denied); the photos in it were not framed" in result.output
    assert "Nguyễn Văn An 😀.jpg" in {Path(r["input"]).name for r in rows if r["status"] == "ok"}


def test_framer_makes_no_network_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"framer tried to connect to the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = run(
        "apply",
        DATA / "grace_hopper.jpg",
        "-o",
        tmp_path / "out",
        "--report",
        tmp_path / "r.csv",
        "--review",
        tmp_path / "r.html",
        "--preview",
        *DURING,
    )
    assert result.exit_code == 0, result.output
