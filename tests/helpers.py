"""Helpers for the tests: where the real photos are, and an independent check of where a face landed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
from click.testing import CliRunner, Result
from PIL import Image

from framer.core.detect import FaceDetector
from framer.core.geometry import Box, Face

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
