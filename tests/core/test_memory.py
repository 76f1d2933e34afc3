"""What a picture costs a worker in memory (issue 21): estimated from its header and refused over the
budget, decoded strip by strip, and a hard ceiling on every worker for what the estimate misses.

The big pictures are made here, row by row, never whole: a 9900 x 9900 16-bit grey PNG is a 190 KB file
that claims 98 MP (it took a worker 2.4 GB and 8 s to decode before); the pictures that only claim a size
carry a few rows of data, and are refused from their header before any decoding.
"""

from __future__ import annotations

import io
import json
import resource
import struct
import sys
import time
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from framer.core import pipeline
from framer.core.compose import PreparedFrame
from framer.core.detect import FaceDetector
from framer.core.images import DECODE_BUDGET, MB, WEB_DECODE_BUDGET, decode_cost, decode_photo, reduction
from framer.core.pipeline import within_memory
from framer.errors import PhotoError
from framer.frames.model import Frame
from framer.frames.registry import load_frame
from framer.web.app import create_app
from framer.web.service import Config, Service
from helpers import DATA, TestClient, run

SIDE = 9900  # 98 MP, just under the default --max-megapixels 100
HOPPER = (DATA / "grace_hopper.jpg").read_bytes()
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the ceiling is RLIMIT_AS, enforced on Linux")


def png(w: int, h: int, *, depth: int = 8, colour: int = 0, rows: int | None = None) -> bytes:
    """A black PNG of `w` x `h` px (PNG colour type `colour`: 0 grey, 3 palette, 6 RGBA), compressed row
    by row; with `rows`, only that many rows of data: a file that merely claims its size."""
    bands = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    row = bytes(1 + w * bands * depth // 8)
    z = zlib.compressobj(9)
    data = b"".join(z.compress(row) for _ in range(h if rows is None else rows)) + z.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    head = chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))
    palette = chunk(b"PLTE", bytes(range(12))) if colour == 3 else b""
    return b"\x89PNG\r\n\x1a\n" + head + palette + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def claiming(fmt: str, w: int, h: int) -> bytes:
    """A real 16 x 16 picture in `fmt` whose header is changed to claim `w` x `h` px."""
    buffer = io.BytesIO()
    if fmt == "webp":
        Image.new("RGB", (16, 16), (200, 100, 50)).save(buffer, "WEBP", lossless=True)
        data = bytearray(buffer.getvalue())
        assert data[12:16] == b"VP8L"  # the simple lossless format: 14 bits each for width - 1, height - 1
        rest = int.from_bytes(data[21:25], "little") & (0xF << 28)
        data[21:25] = ((w - 1) | (h - 1) << 14 | rest).to_bytes(4, "little")
    else:  # a progressive JPEG, "cmyk" or "rgb"
        mode = "CMYK" if fmt == "cmyk" else "RGB"
        Image.new(mode, (16, 16)).save(buffer, "JPEG", progressive=True, subsampling=0)
        data = bytearray(buffer.getvalue())
        sof = data.find(b"\xff\xc2")
        data[sof + 5 : sof + 9] = struct.pack(">HH", h, w)
    return bytes(data)


@pytest.fixture(scope="module")
def grey16(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tester's picture: `Image.new("I;16", (9900, 9900)).save(...)`, 190 KB."""
    path = tmp_path_factory.mktemp("big") / "grey16.png"
    path.write_bytes(png(SIDE, SIDE, depth=16))
    return path


def test_the_tester_s_picture_is_a_small_file_that_claims_98_megapixels(grey16: Path) -> None:
    assert grey16.stat().st_size < 250_000
    with Image.open(grey16) as im:
        assert (im.size, im.mode) == ((SIDE, SIDE), "I;16")


# --- the estimate, and the refusal from the header ------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "least", "most"),
    [
        (lambda: png(SIDE, SIDE, depth=16, rows=1), 2 * SIDE**2, 2.4 * SIDE**2),  # 16-bit grey: 2 bytes
        (lambda: png(SIDE, SIDE, colour=6, rows=1), 4 * SIDE**2, 4.4 * SIDE**2),  # RGBA: 4
        (lambda: png(SIDE, SIDE, colour=3, rows=1), SIDE**2, 1.4 * SIDE**2),  # palette: 1
        (lambda: claiming("webp", SIDE, SIDE), 16 * SIDE**2, 17 * SIDE**2),  # + libwebp's canvases
        (lambda: claiming("cmyk", SIDE, SIDE), 8 * SIDE**2, 8.2 * SIDE**2),  # every DCT coefficient, 2 bytes
        (lambda: claiming("rgb", SIDE, SIDE), 6 * SIDE**2, 6.2 * SIDE**2),  # progressive 4:4:4
    ],
    ids=["png-16-bit-grey", "png-rgba", "png-palette", "webp", "jpeg-progressive-cmyk", "jpeg-progressive"],
)
def test_a_picture_s_cost_is_estimated_from_its_header(make, least: float, most: float) -> None:  # type: ignore[no-untyped-def]
    with Image.open(io.BytesIO(make())) as im:
        cost = decode_cost(im, reduction(*im.size, 1080))
    assert least <= cost <= most


def test_a_baseline_jpeg_costs_only_its_reduced_pixels() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", SIDE, SIDE)
    with Image.open(io.BytesIO(bytes(data))) as im:
        assert decode_cost(im, 8) < 0.2 * SIDE**2  # libjpeg decodes it at 1/8, strip by strip


@pytest.mark.parametrize(
    ("data", "budget", "mb"),
    [
        (png(SIDE, SIDE, colour=6, rows=1), 256 * MB, 411),
        (png(SIDE, SIDE, colour=3, rows=1), 64 * MB, 130),
        (claiming("webp", SIDE, SIDE), WEB_DECODE_BUDGET, 1532),
    ],
    ids=["png-rgba", "png-palette", "webp"],
)
def test_a_picture_over_the_budget_is_refused_in_words_before_it_is_decoded(
    data: bytes, budget: int, mb: int
) -> None:
    started = time.perf_counter()
    with pytest.raises(PhotoError) as refused:
        decode_photo(data, min_side=1080, budget=budget)
    assert time.perf_counter() - started < 0.5
    assert refused.value.code == "too_costly" and refused.value.details == {"mb": mb, "limit": budget // MB}
    assert str(refused.value) == (
        f"the image would take {mb:,} MB of memory to decode, more than the {budget // MB:,} MB "
        "framer allows for one photo: choose a smaller copy"
    )


# --- decoding strip by strip ------------------------------------------------------------------------------


def test_a_deep_picture_decoded_strip_by_strip_is_scaled_as_a_whole() -> None:
    """A 16-bit picture taller than a strip, darker at the top: every strip is scaled by the picture's
    largest sample, as the whole picture was before, and reduced as Pillow reduces the whole."""
    ramp = (np.linspace(0, 40000, 3000)[:, None] * np.ones((1, 600))).astype(np.uint16)
    buffer = io.BytesIO()
    Image.fromarray(ramp).save(buffer, "PNG")
    whole = np.clip(np.rint(ramp.astype(np.float64) * 255 / 65535), 0, 255).astype(np.uint8)
    full = decode_photo(buffer.getvalue())
    assert full.rgb.shape == (3000, 600, 3) and np.array_equal(full.rgb[..., 0], whole)
    reduced = decode_photo(buffer.getvalue(), min_side=300)
    expected = np.asarray(Image.fromarray(whole).convert("RGB").reduce(2))
    assert reduced.reduction == 2 and np.array_equal(reduced.rgb, expected)


@pytest.mark.parametrize("mode", ["RGBA", "P", "LA"])
def test_a_reduced_decode_is_pillows_whole_picture_reduced(mode: str) -> None:
    """Transparency on white, palettes, grey with alpha: strip by strip, the same pixels as converting the
    whole picture and reducing it."""
    hopper = Image.open(DATA / "grace_hopper.jpg").convert("RGBA")
    hopper.putalpha(Image.linear_gradient("L").resize(hopper.size))
    im = hopper.convert(mode) if mode != "P" else hopper.convert("RGB").convert("P")
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    from framer.core.colour import to_rgb

    expected = np.asarray(to_rgb(Image.open(io.BytesIO(buffer.getvalue()))).reduce(2))
    photo = decode_photo(buffer.getvalue(), min_side=200)
    assert photo.reduction == 2 and np.array_equal(photo.rgb, expected)


def in_a_batch_worker(path: Path) -> dict[str, object]:
    """Run in a worker of framer apply (framer.batch.plan's pool, its ceiling set): decode `path` under a
    ceiling too low for it, as if the estimate had missed; then as the batch does; then a normal photo."""
    from framer.processes import vm_size

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = soft - vm_size()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm_size() + 64 * MB, hard))
    try:
        decode_photo(path, min_side=1080, budget=1 << 40)
        code = "decoded"
    except PhotoError as e:
        code = e.code
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    started = time.perf_counter()
    shape = decode_photo(path, min_side=1080).rgb.shape
    seconds = time.perf_counter() - started
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    return {
        "ceiling": ceiling,
        "code": code,
        "shape": shape,
        "grew": grew,
        "seconds": seconds,
        "next": decode_photo(HOPPER).rgb.shape,
    }


@linux_only
def test_a_98_mp_16_bit_png_costs_a_worker_its_estimate_and_a_ceiling_fails_only_that_photo(
    grey16: Path,
) -> None:
    from framer.batch.pool import _pool

    with _pool(1, load_frame("dx-2023").settled(), 540) as pool:
        found = pool.submit(in_a_batch_worker, grey16).result(timeout=60)
    with Image.open(grey16) as im:
        estimate = decode_cost(im, 8)
    assert found["shape"] == (1238, 1238, 3)  # 1/8: its shorter side still at least the output's
    assert found["grew"] <= estimate < 256 * MB  # it took 2.4 GB before: 9900 x 9900 in 64-bit floats
    assert found["seconds"] < 5  # 8 s before
    assert DECODE_BUDGET < found["ceiling"] <= DECODE_BUDGET + 600 * MB  # the worker's ceiling is set
    assert found["code"] == "out_of_memory"  # past a ceiling: that photo's failure, in words
    assert found["next"] == (600, 512, 3)  # and the worker goes on


def test_running_out_of_memory_anywhere_in_framing_is_the_photo_s_failure() -> None:
    for error in (MemoryError(), cv2.error("Insufficient memory")):
        if isinstance(error, cv2.error):
            error.code = cv2.Error.StsNoMem  # type: ignore[attr-defined]
        with pytest.raises(PhotoError) as failed, within_memory():
            raise error
        assert failed.value.code == "out_of_memory"
        assert str(failed.value).startswith("decoding the image took more memory than framer allows")
    other = cv2.error("bad argument")
    other.code = cv2.Error.StsBadArg  # type: ignore[attr-defined]
    with pytest.raises(cv2.error), within_memory():
        raise other


def test_a_finer_decode_over_the_budget_frames_the_reduced_one(
    detector: FaceDetector, frame: PreparedFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small face in a big picture asks for a finer decode; when that would cost more than the budget,
    the photo is framed from its reduced decode rather than refused."""
    photo = Image.new("RGB", (2400, 2400), (120, 130, 140))
    photo.paste(Image.open(DATA / "grace_hopper.jpg"), (900, 700))
    buffer = io.BytesIO()
    photo.save(buffer, "PNG", compress_level=1)
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as im:
        budget = decode_cost(im, reduction(*im.size, max(frame.size)))  # the reduced decode, no more
    decodes: list[object] = []

    def spy(*args: object, **kwargs: object) -> object:
        try:
            decoded = decode_photo(*args, **kwargs)  # type: ignore[arg-type]
        except PhotoError as e:
            decodes.append(e.code)
            raise
        decodes.append(decoded.reduction)
        return decoded

    monkeypatch.setattr(pipeline, "decode_photo", spy)
    framed = pipeline.frame_file(data, detector, frame, budget=budget)
    assert decodes == [4, "too_costly", 4]
    assert framed.found_face and framed.face_number == 1


# --- the two doors ----------------------------------------------------------------------------------------


def test_framer_apply_frames_big_pictures_within_budget_and_refuses_costlier_ones(
    grey16: Path, tmp_path: Path
) -> None:
    """In framer apply's workers: the 98 MP 16-bit PNG and a 48 MP phone JPEG are framed; an RGBA and a
    palette PNG that claim more than the budget (with the pixel limit raised for them) are refused."""
    phone = tmp_path / "phone48.jpg"
    Image.open(DATA / "grace_hopper.jpg").resize((6000, 8000), Image.Resampling.BILINEAR).save(
        phone, quality=80
    )
    rgba = tmp_path / "rgba.png"
    rgba.write_bytes(png(17000, 17000, colour=6, rows=1))  # 289 MP x 4 bytes
    palette = tmp_path / "palette.png"
    palette.write_bytes(png(33000, 33000, colour=3, rows=1))  # 1089 MP x 1 byte
    report = tmp_path / "report.jsonl"
    started = time.perf_counter()
    result = run(
        "apply", grey16, phone, rgba, palette, "-o", tmp_path / "out", "--jobs", "2",
        "--max-megapixels", "1100", "--ignore-window", "--report", report, "--lang", "en",
    )  # fmt: skip
    assert time.perf_counter() - started < 30
    assert result.exit_code == 1, result.output
    rows = {Path(r["input"]).name: r for r in map(json.loads, report.read_text().splitlines())}
    assert rows["grey16.png"]["status"] == "no_face" and rows["grey16.png"]["error"] is None
    assert rows["phone48.jpg"]["status"] == "ok" and rows["phone48.jpg"]["faces"] == 1
    assert (rows["rgba.png"]["error"], rows["palette.png"]["error"]) == ("too_costly", "too_costly")
    assert rows["rgba.png"]["details"] == {"mb": 1148, "limit": 1024}
    assert "the image would take 1,148 MB of memory to decode" in result.output  # as English writes it
    assert (tmp_path / "out" / "grey16.jpg").exists() and (tmp_path / "out" / "phone48.jpg").exists()


@pytest.fixture(scope="module")
def web() -> Iterator[TestClient]:
    dx: Frame = load_frame("dx-2023").settled()
    with TestClient(create_app(Config([dx], workers=1, on_date=date(2023, 10, 5)))) as client:
        yield client


def test_framer_serve_frames_the_98_mp_16_bit_png_quickly(web: TestClient, grey16: Path) -> None:
    started = time.perf_counter()
    framed = web.post("/api/frame", files={"photo": ("grey16.png", grey16.read_bytes(), "image/png")})
    assert framed.status_code == 200 and framed.headers["content-type"] == "image/jpeg"
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("fmt", ["webp", "cmyk"])
def test_framer_serve_refuses_a_picture_over_its_budget_in_words(web: TestClient, fmt: str) -> None:
    data = claiming(fmt, SIDE, SIDE)
    answer = web.post(
        "/api/photos", files={"photo": ("big", data, "image/jpeg")}, headers={"Accept-Language": "en"}
    )
    assert answer.status_code == 400 and answer.json()["code"] == "too_costly"
    assert answer.json()["error"].endswith(
        f"more than the {WEB_DECODE_BUDGET // MB} MB allowed for one photo. "
        "Choose a smaller copy of the photo."
    )


@linux_only
def test_framer_serve_s_workers_have_a_ceiling_and_outlive_an_allocation_past_it(web: TestClient) -> None:
    service: Service = web.app.state.service  # type: ignore[attr-defined]
    pool = service.workers
    soft, _ = web.portal.call(pool.run, resource.getrlimit, resource.RLIMIT_AS)
    assert soft != resource.RLIM_INFINITY and soft < 4 << 30  # so the next line allocates nothing
    executor = pool._executor
    with pytest.raises(MemoryError):
        web.portal.call(pool.run, np.empty, 8 << 30)  # refused by the ceiling, never touched
    assert pool._executor is executor  # the worker lived on: no new pool
    assert web.post("/api/frame", files={"photo": ("me.jpg", HOPPER, "image/jpeg")}).status_code == 200
