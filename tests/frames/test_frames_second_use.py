"""Every kind of frame works every time: the built-in one, one added by name, a PNG given as a path and a
frame folder, each used three times with one frame cache, in every command that frames with it.

A frame that declares no output size (every frame `frames add` made, any PNG) once broke from its second
use on: the cache held it, and reading it back failed (a traceback in apply, every photo of a batch
called "damaged", `framer serve` unable to start). Each test here starts with an empty cache of its
own, so that its first use fills it and the others read it.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageDraw

from framer.frames.registry import load_frame
from framer.web.app import create_app
from framer.web.service import Config
from helpers import DATA, TestClient, run

KINDS = ("built-in", "added", "png", "folder")
USES = 3


def vietnam_today() -> date:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def agency_frame(path: Path) -> Path:
    """A frame that is not round and not square (as most agencies' are not): a rounded-rectangle
    window in a portrait-shaped image, a banner at the bottom, no output size declared anywhere."""
    im = Image.new("RGBA", (900, 1100), (12, 70, 150, 255))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 900, 900, 1100), fill=(200, 30, 30, 255))
    draw.rounded_rectangle((130, 120, 770, 840), radius=70, fill=(0, 0, 0, 0))
    im.save(path)
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty frame cache for this test alone (the workers it starts use it too)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("FRAMER_CACHE", str(folder))
    return folder


@pytest.fixture(params=KINDS)
def frame(request: pytest.FixtureRequest, tmp_path: Path, own_frames: Path) -> list[str]:
    """The options that name a frame of each kind, with a date inside its campaign if it has one."""
    kind = request.param
    if kind == "built-in":
        return ["--frame", "dx-2023", "--date", "2023-10-05"]
    png = agency_frame(tmp_path / "khung.png")
    if kind == "png":
        return ["--frame", str(png)]
    today = vietnam_today()
    added = run(
        "frames",
        "add",
        png,
        "--name",
        "cds-test",
        "--starts",
        str(today - timedelta(days=3)),
        "--ends",
        str(today + timedelta(days=7)),
    )
    assert added.exit_code == 0, added.output
    if kind == "added":
        return ["--frame", "cds-test"]
    folder = tmp_path / "a frame folder"  # as handed over: a copy of a frame's folder, given by its path
    shutil.copytree(own_frames / "cds-test", folder)
    return ["--frame", str(folder)]


def prepared_files(cache: Path) -> dict[str, int]:
    """The prepared frames the cache holds, by name, with their inode: a file made again gets a new one."""
    return {p.name: p.stat().st_ino for p in cache.rglob("*.npy")}


def assert_no_fault_blamed_on_a_photo(output: str) -> None:
    assert "Traceback" not in output
    assert "damaged" not in output and "crashed" not in output and "unexpected" not in output


def test_apply_frames_one_photo_every_time(frame: list[str], cache: Path, tmp_path: Path) -> None:
    made = []
    for i in range(USES):
        out = tmp_path / f"me-{i}.jpg"
        result = run("apply", DATA / "grace_hopper.jpg", "-o", out, *frame)
        assert result.exit_code == 0, result.output
        assert_no_fault_blamed_on_a_photo(result.output)
        with Image.open(out) as im:
            made.append(im.tobytes())
        if i == 0:
            kept = prepared_files(cache)
            assert len(kept) == 1  # the first use kept the frame ...
    assert prepared_files(cache) == kept  # ... and the others read it back, never made it again
    assert made[1] == made[0] and made[2] == made[0]  # and it is the same frame every time


def test_a_batch_frames_every_photo_every_time(frame: list[str], cache: Path, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", photos / "hopper.jpg")
    shutil.copy(DATA / "astronaut.png", photos / "astronaut.png")
    for i in range(USES):
        out = tmp_path / f"framed-{i}"
        result = run("apply", photos, "-o", out, "--jobs", "2", *frame)  # two worker processes
        assert result.exit_code == 0, result.output
        assert_no_fault_blamed_on_a_photo(result.output)
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
            "astronaut.jpg",
            "hopper.jpg",
        ]
        if i == 0:
            kept = prepared_files(cache)
    assert len(kept) == 1 and prepared_files(cache) == kept


def test_frames_check_accepts_it_every_time(frame: list[str], cache: Path, tmp_path: Path) -> None:
    name = frame[1]
    for i in range(USES):
        result = run("frames", "check", name, "-o", tmp_path / f"check-{i}.png")
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        assert (tmp_path / f"check-{i}.png").stat().st_size > 0


def _serve_once(name: str, on: date | None) -> bytes:
    settled = load_frame(name, Path(os.environ["FRAMER_FRAMES"])).settled()
    with TestClient(create_app(Config([settled], workers=1, on_date=on))) as client:
        photo = (DATA / "grace_hopper.jpg").read_bytes()
        answer = client.post("/api/frame", files={"photo": ("me.jpg", photo, "image/jpeg")})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("image/")
        return answer.content


def test_serve_frames_a_photo_every_time(frame: list[str], cache: Path) -> None:
    on = date(2023, 10, 5) if "--date" in frame else None
    made = [_serve_once(frame[1], on) for _ in range(USES)]
    assert made[1] == made[0] and made[2] == made[0]
    assert len(prepared_files(cache)) == 1


def test_review_serve_frames_a_photo_again_every_time(
    frame: list[str], cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from framer.review.session import Hints, load
    from framer.web.review_app import create_review_app
    from framer.web.review_service import ReviewConfig

    monkeypatch.chdir(tmp_path)
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", photos / "hopper.jpg")
    result = run("apply", "photos", "-o", "framed", "--report", "report.jsonl", *frame)
    assert result.exit_code == 0, result.output
    for zoom in (1.1, 1.2):  # two starts of the live review, each framing the photo again
        hints = Hints(frame=frame[1], user_frames=Path(os.environ["FRAMER_FRAMES"]))
        batch = load(Path("report.jsonl"), Path("fixes.csv"), hints)
        with TestClient(create_review_app(ReviewConfig(batch, workers=1))) as client:
            saved = client.post("/api/adjust", json={"file": "hopper.jpg", "zoom": zoom})
            assert saved.status_code == 200, saved.text
    assert "1.2" in Path("fixes.csv").read_text(encoding="utf-8")
    assert len(prepared_files(cache)) == 1


# ---- a fault in the frame is the frame's, in one line --------------------------------------------------


def settled_then_spoiled(tmp_path: Path):  # -> Frame
    """A frame checked by a command (settled), whose image is then spoiled before the workers read it."""
    from framer.frames.model import Frame

    png = agency_frame(tmp_path / "khung.png")
    frame = Frame.bare(png).settled()
    png.write_bytes(b"\x89PNG\r\n\x1a\n but not a picture any more")
    return frame


@pytest.mark.parametrize("workers", [1, 2])
def test_a_frame_the_workers_cannot_prepare_is_never_blamed_on_a_photo(
    tmp_path: Path, cache: Path, workers: int
) -> None:
    from framer.batch import plan as batch
    from framer.batch.report import Report
    from framer.errors import FrameError

    frame = settled_then_spoiled(tmp_path)
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        shutil.copy(DATA / "grace_hopper.jpg", photos / name)
    todo = batch.plan([photos], tmp_path / "out", "jpg")
    report = Report()
    with pytest.raises(FrameError, match=r"khung\.png: not an image framer can use as a frame"):
        batch.run(todo, frame, None, batch.Settings(), report, workers=workers)
    assert report.total == 0  # no photo got a record: none was framed, none was failed


def test_serve_with_a_frame_its_workers_cannot_prepare_says_so_in_one_line(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from framer.cli.serve import serve
    from framer.frames.model import Frame

    settle = Frame.settled

    def settled_then_spoiled(self: Frame, window: object = None) -> Frame:
        done = settle(self, window)  # type: ignore[arg-type]
        Path(str(self.image_path)).write_bytes(b"spoiled after the check")
        return done

    monkeypatch.setattr(Frame, "settled", settled_then_spoiled)
    png = agency_frame(tmp_path / "khung.png")
    result = CliRunner().invoke(serve, ["--frame", str(png), "--port", "0", "--no-browser", "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "Error: " in result.output and "khung.png: not an image framer can use as a frame" in result.output
    assert "Traceback" not in result.output and "crashed" not in result.output


def test_publish_offers_it_every_time(frame: list[str], cache: Path, tmp_path: Path) -> None:
    published = []
    for i in range(USES):
        out = tmp_path / f"site-{i}"
        result = run("publish", out, "--frame", frame[1], "--ignore-window")
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        site = json.loads((out / "site.json").read_text(encoding="utf-8"))
        (offered,) = site["frames"]
        published.append((out / offered["image"]).read_bytes())
        if i == 0:
            kept = prepared_files(cache)
    assert len(kept) == 1 and prepared_files(cache) == kept  # read back from the cache, never made again
    assert published[1] == published[0] and published[2] == published[0]
