"""The frame and campaign commands: frames list/show/check/add, campaign, remind."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from icalendar import Calendar
from PIL import Image, ImageDraw

from helpers import DATA, run


def agency_frame(
    path: Path,
    size: tuple[int, int] = (1600, 2000),
    window: tuple[int, int, int, int] = (300, 200, 1000, 1000),
) -> Path:
    """A frame as an agency might make it: opaque artwork, an oval window placed high, a banner below."""
    im = Image.new("RGBA", size, (10, 60, 140, 255))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, size[1] - 400, size[0], size[1]), fill=(200, 20, 30, 255))
    x, y, w, h = window
    draw.ellipse((x, y, x + w - 1, y + h - 1), fill=(0, 0, 0, 0))
    im.save(path)
    return path


def test_campaign_says_where_today_stands() -> None:
    assert "starts in 3 days" in run("campaign", "--date", "2023-09-28").output
    assert "Today is the last day (10 of 10)" in run("campaign", "--date", "2023-10-10").output
    after = run("campaign", "--date", "2023-10-11")
    assert after.exit_code == 0 and "has ended" in after.output


def test_remind_writes_two_events_in_vietnams_time_zone(tmp_path: Path) -> None:
    ics = tmp_path / "nhac.ics"
    result = run("remind", "-o", ics, "--date", "2023-09-25")  # a week before the campaign
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical(ics.read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 2
    starts = [e.decoded("dtstart") for e in events]
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    assert [s.astimezone(hanoi).date() for s in starts] == [date(2023, 10, 1), date(2023, 10, 11)]
    assert starts[0].astimezone(hanoi).hour == 8
    assert starts[0] == datetime(2023, 10, 1, 1, 0, tzinfo=ZoneInfo("UTC"))  # 08:00 in Hanoi is 01:00 UTC
    assert "Put on" in str(events[0]["summary"]) and "Switch back" in str(events[1]["summary"])
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert all(e.walk("VALARM") for e in events)


def test_frames_list_shows_builtin_and_own_frames(tmp_path: Path) -> None:
    png = agency_frame(tmp_path / "khung.png")
    assert (
        run(
            "frames", "add", png, "--name", "so-tt-2024", "--starts", "2024-10-01", "--ends", "2024-10-10"
        ).exit_code
        == 0
    )
    result = run("frames", "list", "--date", "2024-10-03")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.split()[:2] == ["dx-2023", "built-in"] and "ended 2023-10-10" in line for line in lines)
    # running that day: the frame framer takes when no --frame is given, marked
    assert any(line.split()[:3] == ["so-tt-2024", "*", "yours"] and "day 3 of 10" in line for line in lines)
    assert "* the frame used when no --frame is given: its campaign is running today" in result.output


def test_frames_add_finds_the_window_and_the_frame_can_be_used(tmp_path: Path, own_frames: Path) -> None:
    png = agency_frame(tmp_path / "khung.png")
    result = run("frames", "add", png, "--name", "so-tt", "--title", "Sở Thông tin và Truyền thông")
    assert result.exit_code == 0, result.output
    toml = (own_frames / "so-tt" / "frame.toml").read_text(encoding="utf-8")
    assert 'title = "Sở Thông tin và Truyền thông"' in toml
    assert "x = 300" in toml and "y = 200" in toml and "width = 1000" in toml and "height = 1000" in toml
    assert "[campaign]" not in toml
    show = run("frames", "show", "so-tt")
    assert "window:   x=300 y=200 width=1000 height=1000 (declared" in show.output
    assert "campaign: none" in show.output

    out = tmp_path / "out"
    framed = run("apply", DATA / "grace_hopper.jpg", "-o", out, "--frame", "so-tt", "--jobs", "1")
    assert framed.exit_code == 0, framed.output
    with Image.open(out / "grace_hopper.jpg") as im:
        assert im.size == (1600, 2000)  # the frame's own size and shape


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "Sở TT"], "use lower-case letters, digits and hyphens"),
        (["--name", "dx-2023"], "already exists"),
        (["--name", "x", "--starts", "2024-10-10", "--ends", "2024-10-01"], "is before --starts"),
        (["--name", "x", "--starts", "2024-10-10"], "give both --starts and --ends"),
        (
            ["--name", "x", "--starts", "2024-10-01", "--ends", "2024-10-10", "--timezone", "Hanoi"],
            "not a known time zone",
        ),
    ],
)
def test_frames_add_refuses_bad_input(
    tmp_path: Path, own_frames: Path, args: list[str], message: str
) -> None:
    result = run("frames", "add", agency_frame(tmp_path / "k.png"), *args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not (own_frames / "x").exists()


def test_frame_without_transparency_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    flat = tmp_path / "flat.png"
    Image.new("RGB", (1200, 1200), "navy").save(flat)
    result = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / "out", "--frame", flat)
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "no transparency" in errors[0]


def test_frame_toml_with_a_bad_date_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    agency_frame(folder / "frame.png")
    (folder / "frame.toml").write_text(
        'name = "bad"\nimage = "frame.png"\n'
        '[campaign]\nstart = 2024-10-01\nend = "10/10/2024"\ntimezone = "Asia/Ho_Chi_Minh"\n',
        encoding="utf-8",
    )
    result = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / "out", "--frame", folder)
    assert result.exit_code == 2
    assert "frame.toml: field 'campaign.end' must be a date" in result.output
    assert "Traceback" not in result.output


def test_frames_check_writes_a_preview_and_notes(tmp_path: Path) -> None:
    png = agency_frame(tmp_path / "khung.png", size=(900, 900), window=(200, 100, 500, 500))
    preview = tmp_path / "check.png"
    result = run("frames", "check", png, "-o", preview)
    assert result.exit_code == 0, result.output
    assert "window: x=200 y=100 width=500 height=500, found from the transparency (circle)" in result.output
    assert "smaller than the 1080 px output" in result.output
    with Image.open(preview) as im:
        assert im.width > 1080 and im.height == 1080
        red = np.asarray(im.convert("RGB"))[..., 0] > 200
        assert red.any()  # the window's outline


def test_apply_with_a_png_frame_and_an_explicit_window(tmp_path: Path) -> None:
    png = agency_frame(tmp_path / "khung.png")
    out = tmp_path / "out"
    result = run(
        "apply",
        DATA / "grace_hopper.jpg",
        "-o",
        out,
        "--frame",
        png,
        "--window",
        "300,200,1000,1000",
        "--size",
        "800",
        "--jobs",
        "1",
        "--preview",
    )
    assert result.exit_code == 0, result.output
    with Image.open(out / "grace_hopper.jpg") as im:
        assert im.size == (640, 800)
    with Image.open(out / "grace_hopper.avatar176.png") as avatar:
        assert avatar.size == (176, 176) and avatar.mode == "RGBA"
        assert avatar.getpixel((0, 0))[3] == 0 and avatar.getpixel((88, 88))[3] == 255
