"""Frames scaled for output are kept between runs (framer.frames.cache): always the same pixels as made
afresh, never another frame's, and a cache that is damaged or cannot be written costs nothing but time."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from framer.core.compose import PreparedFrame
from framer.frames.model import Frame
from framer.frames.prepared import prepared_frame
from framer.frames.registry import load_frame


def _fresh(frame: Frame, side: int) -> PreparedFrame:
    return PreparedFrame.for_output(frame.open_image(), frame.window, side)


def _same(a: PreparedFrame, b: PreparedFrame) -> bool:
    return (
        a.window == b.window
        and np.array_equal(np.asarray(a.rgb), np.asarray(b.rgb))
        and np.array_equal(np.asarray(a.alpha), np.asarray(b.alpha))
    )


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FRAMER_CACHE", str(folder))
    return folder


def test_a_cached_frame_is_the_frame_made_afresh_without_decoding_it(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = load_frame("dx-2023").settled()
    first = prepared_frame(frame, 540)
    assert _same(first, _fresh(frame, 540)) and len(list(cache.rglob("*.npy"))) == 1

    def no_decoding(self: Frame) -> Image.Image:
        raise AssertionError("decoded again")

    monkeypatch.setattr(Frame, "open_image", no_decoding)
    assert _same(prepared_frame(frame, 540), first)


def test_each_size_and_each_version_of_a_frame_is_its_own(cache: Path, tmp_path: Path) -> None:
    """A frame's PNG edited in place is never shown from the cache as it was."""
    folder = tmp_path / "mine"
    shutil.copytree(load_frame("dx-2023").image_path.parent, folder)
    frame = load_frame(str(folder)).settled()
    old = prepared_frame(frame, 540)
    assert _same(prepared_frame(frame, 300), _fresh(frame, 300))
    image = Image.open(frame.image_path).convert("RGBA")
    image.paste((0, 160, 0, 255), (0, 0, image.width, 200))  # a green band across the top
    image.save(frame.image_path)
    new = prepared_frame(load_frame(str(folder)).settled(), 540)
    assert not _same(new, old) and _same(new, _fresh(frame, 540))
    assert np.asarray(new.rgb)[10, 270].tolist() == [0, 160, 0]


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[:1000]),  # cut short
        lambda p: p.write_bytes(b"\x93NUMPY garbage" * 100),
        lambda p: np.save(p, np.zeros((4, 4), dtype=np.uint8)),  # an array of another shape
        lambda p: p.write_bytes(b""),
    ],
)
def test_a_damaged_cache_file_is_made_again(cache: Path, damage) -> None:
    frame = load_frame("dx-2023").settled()
    prepared_frame(frame, 540)
    (path,) = cache.rglob("*.npy")
    damage(path)
    assert _same(prepared_frame(frame, 540), _fresh(frame, 540))
    assert _same(prepared_frame(frame, 540), _fresh(frame, 540))  # and kept right this time


def test_a_cache_that_cannot_be_written_or_is_off_costs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = load_frame("dx-2023").settled()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("FRAMER_CACHE", str(blocked))
    assert _same(prepared_frame(frame, 540), _fresh(frame, 540))
    assert blocked.read_text() == "not a folder"
    monkeypatch.setenv("FRAMER_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert _same(prepared_frame(frame, 540), _fresh(frame, 540))
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_a_frame_settled_once_is_known_without_decoding_and_a_bad_one_never(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import framer.frames.model as frames

    first = load_frame("dx-2023").settled()
    opaque = tmp_path / "opaque.png"
    Image.new("RGBA", (400, 400), (10, 20, 30, 255)).save(opaque)
    for _ in range(2):  # refused each time: a frame that failed its checks is never kept as settled
        with pytest.raises(frames.FrameError):
            Frame.bare(opaque).settled()

    def no_decoding(path, data) -> Image.Image:
        raise AssertionError("decoded again")

    monkeypatch.setattr(frames, "_decode", no_decoding)
    assert load_frame("dx-2023").settled() == first
    given = frames.Box(300, 300, 1400, 1400)  # --window: settled (checked) anew, then known too
    with pytest.raises(AssertionError, match="decoded again"):
        load_frame("dx-2023").settled(given)


@pytest.mark.parametrize(
    "damage",
    [
        b"[" * 100_000,  # nested past the JSON parser's depth
        b'{"window": [1, 2, "x", 4]}',
        b'{"window": [0, 0, -5, 10]}',
        b'{"window": {"x": 1}}',
        b"\xff\xfe",
        b"",
    ],
)
def test_a_damaged_settled_window_is_settled_again(cache: Path, damage: bytes) -> None:
    first = load_frame("dx-2023").settled()
    (path,) = cache.rglob("*.json")
    path.write_bytes(damage)
    for _ in range(2):  # settled again from the image, and kept right again
        assert load_frame("dx-2023").settled() == first
