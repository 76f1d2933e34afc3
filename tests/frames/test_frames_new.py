"""`framer frames new`: this year's frame in a minute, drawn in the built-in frame's style, usable at once
by every command, drawn again from its folder as it was, changed with --replace; bad input refused in
one line before anything is drawn or written."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from framer.core.detect import FaceDetector
from framer.frames.draw.design import design_from_table
from framer.frames.draw.paint import draw_frame
from framer.frames.registry import load_frame
from helpers import DATA, assert_face_placed, run

ISSUE = [  # the texts the issue checks a new frame with
    "--title",
    "NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA",
    "--subtitle",
    "Chuyển đổi số: nhanh hơn, hiệu quả hơn, gần dân hơn",
    "--date-text",
    "10.10.2027",
    "--starts",
    "2027-10-01",
    "--ends",
    "2027-10-10",
]


def test_a_new_frame_is_checked_used_twice_and_drawn_again_as_it_was(
    tmp_path: Path, own_frames: Path, detector: FaceDetector
) -> None:
    made = run("frames", "new", "dx-test", *ISSUE)
    assert made.exit_code == 0, made.output
    assert "Added dx-test" in made.output and "framer frames check dx-test" in made.output
    folder = own_frames / "dx-test"
    meta = tomllib.loads((folder / "frame.toml").read_text(encoding="utf-8"))
    assert meta["output_size"] == 1080 and meta["campaign"]["start"].isoformat() == "2027-10-01"
    assert meta["window"] == {"shape": "circle", "x": 264, "y": 264, "width": 1520, "height": 1520}
    assert meta["design"]["subtitle"] == "Chuyển đổi số: nhanh hơn, hiệu quả hơn, gần dân hơn"

    check = run("frames", "check", "dx-test", "-o", tmp_path / "check.png")
    assert check.exit_code == 0, check.output
    assert "warning" not in check.output  # nothing small, nothing cut by the round view

    frame = load_frame("dx-test", own_frames).settled()
    for i in range(2):  # usable at once, and again (the frame cache)
        out = tmp_path / f"me-{i}.jpg"
        framed = run(
            "apply", DATA / "grace_hopper.jpg", "-o", out, "--frame", "dx-test", "--date", "2027-10-03"
        )
        assert framed.exit_code == 0, framed.output
        with Image.open(out) as im:
            assert im.size == (1080, 1080)
            assert_face_placed(detector, im, frame.window.scaled(1080 / 2048, 1080 / 2048))

    again = draw_frame(design_from_table(meta["design"]))  # what python -m framer.frames.draw FOLDER draws
    with Image.open(folder / "frame.png") as im:
        assert im.tobytes() == again.image.tobytes()  # the same frame, pixel for pixel


def jpeg_logo(path: Path) -> Path:
    """An emblem on a white square, as a JPEG (no transparency: framer keeps it as a PNG all the same)."""
    im = Image.new("RGB", (300, 300), "white")
    ImageDraw.Draw(im).ellipse((20, 20, 280, 280), fill=(200, 20, 20))
    ImageDraw.Draw(im).regular_polygon((150, 150, 90), 5, fill=(250, 210, 40))
    im.save(path, quality=90)
    return path


def test_replace_draws_a_frame_in_place_of_one_added_with_a_logo_and_a_square_window(
    tmp_path: Path, own_frames: Path
) -> None:
    png = tmp_path / "official.png"
    official = Image.new("RGBA", (800, 800), (10, 60, 140, 255))
    ImageDraw.Draw(official).ellipse((100, 100, 699, 699), fill=(0, 0, 0, 0))
    official.save(png)
    assert run("frames", "add", png, "--name", "so-yt").exit_code == 0
    refused = run("frames", "new", "so-yt", *ISSUE)
    assert refused.exit_code == 2 and "--replace" in refused.output
    new = ["--title", "SỞ Y TẾ TỈNH BẮC NINH", "--starts", "2027-03-01", "--ends", "2027-03-05"]
    logo = jpeg_logo(tmp_path / "logo.jpg")
    again = run(
        "frames",
        "new",
        "so-yt",
        *new,
        "--logo",
        logo,
        "--window-shape",
        "square",
        "--colour",
        "#0a7a4a",
        "--replace",
    )
    assert again.exit_code == 0, again.output
    assert "Replaced your frame so-yt" in again.output
    folder = own_frames / "so-yt"
    with Image.open(folder / "logo.png") as kept:
        assert kept.format == "PNG"  # as its name says
    frame = load_frame("so-yt", own_frames)
    assert frame.campaign is not None and frame.campaign.start.isoformat() == "2027-03-01"
    assert frame.window_shape == "rounded rectangle"
    framed = run(
        "apply",
        DATA / "grace_hopper.jpg",
        "-o",
        tmp_path / "a.jpg",
        "--frame",
        "so-yt",
        "--date",
        "2027-03-02",
    )
    assert framed.exit_code == 0, framed.output
    assert sorted(p.name for p in own_frames.iterdir()) == ["so-yt"]  # nothing left aside


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dx-2023", *ISSUE], "a built-in frame by that name already exists"),
        (["Tên Khung", *ISSUE], "use lower-case letters, digits and hyphens"),
        (["x", *ISSUE, "--colour", "chartreuse-ish"], "--colour 'chartreuse-ish'"),
        (["x", *ISSUE, "--title", "MỘT HAI BA " * 30], "--title is too long for the frame"),
        (["x", *ISSUE, "--title", "Ngày hội 🎉"], "is not in the frame's font"),
        (["x", *ISSUE[:-4]], "Missing option '--starts'"),
        (["x", *ISSUE, "--ends", "2027-09-01"], "--ends 2027-09-01 is before --starts 2027-10-01"),
    ],
)
def test_bad_input_is_one_line_and_nothing_is_written(
    own_frames: Path, args: list[str], message: str
) -> None:
    result = run("frames", "new", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert (
        not (own_frames / "x").exists() and not list(own_frames.glob(".*")) if own_frames.exists() else True
    )


def test_a_logo_that_is_not_a_picture_is_refused(tmp_path: Path, own_frames: Path) -> None:
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"this is not a picture" * 10)
    result = run("frames", "new", "x", *ISSUE, "--logo", fake)
    assert result.exit_code == 2 and "--logo: not an image framer can read" in result.output
    assert not (own_frames / "x").exists()
    big = io.BytesIO()
    Image.new("RGB", (5000, 10), "white").save(big, "PNG")
    (tmp_path / "wide.png").write_bytes(big.getvalue())
    wide = run("frames", "new", "x", *ISSUE, "--logo", tmp_path / "wide.png")
    assert wide.exit_code == 2 and "at most 4096 px" in wide.output
