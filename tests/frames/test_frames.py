"""Frames as data: the built-in frame and the validation of frame.toml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from framer.errors import FrameError
from framer.frames.registry import builtin_names, load_frame


def test_builtin_frame_ships_with_the_package() -> None:
    assert "dx-2023" in builtin_names()
    dx = load_frame("dx-2023")
    assert dx.campaign is not None
    assert (dx.campaign.start, dx.campaign.end) == (date(2023, 10, 1), date(2023, 10, 10))
    assert dx.campaign.timezone == "Asia/Ho_Chi_Minh"
    assert dx.output_size == 1080


def test_builtin_frame_window_matches_its_alpha_channel() -> None:
    dx = load_frame("dx-2023")
    image = dx.open_image()
    assert image.size == (2048, 2048)
    hole = (np.asarray(image.getchannel("A")) < 128).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(hole, connectivity=4)
    assert n == 2, "exactly one transparent window, no stray specks"
    x, y, w, h = stats[1, :4]
    win = dx.window
    assert max(abs(x - win.x), abs(y - win.y), abs(w - win.w), abs(h - win.h)) <= 2
    assert 0.65 <= w / image.width <= 0.85, "a window large enough for a portrait"


def write_frame(folder: Path, toml: str) -> Path:
    folder.mkdir()
    im = Image.new("RGBA", (100, 100), (0, 0, 128, 255))
    im.paste((0, 0, 0, 0), (20, 20, 80, 80))
    im.save(folder / "frame.png")
    (folder / "frame.toml").write_text(toml, encoding="utf-8")
    return folder


GOOD = """
name = "mine"
image = "frame.png"
[window]
x = 20
y = 20
width = 60
height = 60
[campaign]
start = 2024-10-01
end = 2024-10-10
timezone = "Asia/Ho_Chi_Minh"
"""


def test_a_frame_folder_loads(tmp_path: Path) -> None:
    f = load_frame(write_frame(tmp_path / "mine", GOOD))
    assert f.name == "mine" and f.title == "mine" and f.window.w == 60
    assert f.campaign and f.campaign.end == date(2024, 10, 10)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("end = 2024-10-10", "end = 2024-13-10"), "not valid TOML"),
        (("end = 2024-10-10", 'end = "10/10/2024"'), "field 'campaign.end' must be a date"),
        (("end = 2024-10-10", "end = 2024-09-10"), "field 'campaign.end' (2024-09-10) is before"),
        (('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Hanoi City"'), "unknown time zone"),
        (("width = 60", "width = -1"), "positive width"),
        (("width = 60", 'width = "wide"'), "field 'window.width' must be a number"),
        (('image = "frame.png"', 'image = "missing.png"'), "field 'image' names 'missing.png'"),
        (('name = "mine"', ""), "field 'name' is missing"),
    ],
)
def test_malformed_metadata_names_the_file_and_field(tmp_path: Path, change: tuple, message: str) -> None:
    folder = write_frame(tmp_path / "bad", GOOD.replace(*change))
    with pytest.raises(FrameError) as e:
        load_frame(folder)
    assert message in str(e.value)
    assert "frame.toml" in str(e.value)


def test_unknown_frame_lists_the_builtin_ones() -> None:
    with pytest.raises(FrameError, match="dx-2023"):
        load_frame("no-such-frame")


def test_frame_without_transparency_is_refused(tmp_path: Path) -> None:
    folder = write_frame(tmp_path / "opaque", GOOD)
    Image.new("RGB", (100, 100), "navy").save(folder / "frame.png")
    with pytest.raises(FrameError, match="no transparency"):
        load_frame(folder).open_image()
