"""Helpers for the tests: where the real photos are, and an independent check of where a face landed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
from click.testing import CliRunner, Result
from PIL import Image, ImageOps

from framer.core.detect import FaceDetector
from framer.core.geometry import Box, Face

with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2; httpx is what the project has
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient  # noqa: F401 (for the tests of the web apps)

ROOT = Path(__file__).resolve().parent.parent  # the repository
DATA = Path(__file__).parent / "data"
TEST_SIZE = 540  # half the default output: the same geometry, a quarter of the pixels


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under `folder`: its content's hash, modification time and mode (to prove nothing
    touched the originals)."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
            p.stat().st_mode,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def two_people(path: Path) -> Path:
    """A real photo of two people: Grace Hopper (the larger face, face 1) beside the astronaut."""
    with Image.open(DATA / "grace_hopper.jpg") as left, Image.open(DATA / "astronaut.png") as right:
        height = left.height
        width = right.width * height // right.height // 2
        both = Image.new("RGB", (left.width + width, height), "white")
        both.paste(left.convert("RGB"))
        small = right.convert("RGB").resize((width, height // 2))
        both.paste(small, (left.width, height // 4))
        both.save(path, quality=92)
    return path


def run(*args: str | Path) -> Result:
    """`framer ARGS` in this process, as a person types it (exit code, output, files written)."""
    from framer.cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def error_lines(result: Result) -> list[str]:
    """The lines of a command's output that say what went wrong ("Error: ...")."""
    return [line for line in result.output.splitlines() if line.startswith("Error:")]


def stale_staging(*hosts: Path) -> list[Path]:
    """framer's staging folders under `hosts` whose process is gone (their lock is free)."""
    from framer.files import STAGING_PREFIX, try_lock

    stale = []
    for host in hosts:
        for folder in host.glob(STAGING_PREFIX + "*"):
            lock = folder / ".lock"
            if not lock.exists():
                stale.append(folder)
                continue
            fd = os.open(lock, os.O_RDWR)
            try:
                if try_lock(fd):
                    stale.append(folder)
            finally:
                os.close(fd)
    return stale


def faces_in(detector: FaceDetector, image: Image.Image | np.ndarray) -> list[Face]:
    """Faces an independent look at an output finds (largest first)."""
    return detector(np.asarray(image.convert("RGB")) if isinstance(image, Image.Image) else image)


def assert_face_placed(detector: FaceDetector, image: Image.Image, window: Box) -> None:
    """The largest face in `image` is upright, within the placement's tolerances (face 40-65 % of the
    window's height, centre within 8 % of its width, eyes 35-50 % down), with a margin for a detector
    seeing the face a little differently in the output."""
    found = faces_in(detector, image)
    assert found, "no face in the output"
    face = found[0]
    assert face.upright, "the face in the output is not upright"
    box = face.box
    assert abs(box.cx - window.cx) < 0.10 * window.w, f"face centre {box.cx:.0f} vs window {window.cx:.0f}"
    assert 0.35 < box.h / window.h < 0.72, f"face is {box.h / window.h:.0%} of the window's height"
    assert window.y < box.y and box.bottom < window.bottom
    assert window.y + 0.3 * window.h < face.eye_y < window.y + 0.55 * window.h, "eyes not near the middle"


def crash_on_marked_photos(task):
    """Frame like a worker does, but die outright (as a native decoder crash would) on photos whose name
    contains "crash". Lives here so that worker processes can import it."""
    import os

    from framer.batch import worker

    if "crash" in task.job.source.name:
        os._exit(3)
    return worker.work(task)


# --- the browser the page tests drive: Debian's chromium, never Playwright's own download ----------

CHROMIUM = Path("/usr/bin/chromium")
REQUIRED = os.environ.get("FRAMER_REQUIRE_BROWSER") == "1"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium); never `playwright install`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install '.[test]')"
    return None


# --- the review page, read as the tests look at it --------------------------------------------------


@dataclass
class Card:
    attrs: dict[str, str]
    img: dict[str, str] | None = None
    placeholder: str = ""
    name: str = ""
    folder: str = ""
    reasons: list[str] = field(default_factory=list)
    svg: dict[str, str] | None = None  # the faces' numbers drawn over the picture
    rects: list[dict[str, str]] = field(default_factory=list)
    numbers: list[tuple[dict[str, str], str]] = field(default_factory=list)


class Page(HTMLParser):
    """The parts of the review page the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[Card] = []
        self.headings: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._into: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        classes = a.get("class", "").split()
        if tag == "figure" and "card" in classes:
            self.cards.append(Card(a))
        elif tag == "img" and self.cards:
            self.cards[-1].img = a
        elif tag == "svg" and self.cards:
            self.cards[-1].svg = a
        elif tag == "rect" and self.cards:
            self.cards[-1].rects.append(a)
        elif tag == "text" and self.cards:
            self.cards[-1].numbers.append((a, ""))
            self._into = "text"
        elif tag == "h2":
            self.headings.append("")
            self._into = "h2"
        elif tag == "li" and self.cards:
            self.cards[-1].reasons.append("")
            self._into = "li"
        elif "placeholder" in classes or "name" in classes or "folder" in classes:
            self._into = next(c for c in ("placeholder", "name", "folder") if c in classes)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "li", "span", "div", "text"):
            self._into = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._into == "h2":
            self.headings[-1] += data
        elif self._into == "li":
            self.cards[-1].reasons[-1] += data
        elif self._into == "text":
            attrs, text = self.cards[-1].numbers[-1]
            self.cards[-1].numbers[-1] = (attrs, text + data)
        elif self._into in ("placeholder", "name", "folder"):
            card = self.cards[-1]
            setattr(card, self._into, getattr(card, self._into) + data)


def stand_in_output(src: Path, dst: Path) -> None:
    """A square JPEG made from a real photo, standing in for a framed output."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(src) as im:
        ImageOps.fit(ImageOps.exif_transpose(im).convert("RGB"), (360, 360)).save(dst, quality=90)


# --- a batch framed for the live review ----------------------------------------------------------

ON = ("--date", "2023-10-05")  # within the built-in frame's campaign


def make_batch(folder: Path, *extra: str) -> Path:
    """photos/ (two people, a cat, a portrait in a sub-folder) framed into framed/ with a report."""
    photos = folder / "photos"
    (photos / "sub").mkdir(parents=True)
    two_people(photos / "group.jpg")
    shutil.copy(DATA / "chelsea.png", photos / "cat.png")
    shutil.copy(DATA / "grace_hopper.jpg", photos / "sub" / "hopper.jpg")
    result = run(
        "apply", "photos", "-o", "framed", "--report", "report.jsonl", "--size", str(TEST_SIZE), *ON, *extra
    )
    assert result.exit_code in (0, 1), result.output
    return folder / "report.jsonl"


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def rerun(*extra: str) -> list[dict]:
    """framer apply again, as the batch was run, with the adjust file: its report's rows."""
    result = run(
        "apply",
        "photos",
        "-o",
        "framed",
        "--report",
        "again.jsonl",
        "--size",
        str(TEST_SIZE),
        *ON,
        "--adjust",
        "FIXES.csv",
        *extra,
    )
    assert result.exit_code in (0, 1), result.output
    return [json.loads(line) for line in Path("again.jsonl").read_text().splitlines()]
