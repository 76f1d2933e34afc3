"""Which frame a command takes when none is named: the one chosen with `framer frames use`, else the
campaign running today (of several, the one that started last), else the built-in one; and what a
person is told when the frame's campaign is over: the frames running or to come, before --ignore-window."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from PIL import Image, ImageDraw

from framer.frames.choice import BUILT_IN, CHOSEN, DEFAULT_FILE, RUNNING, choose
from helpers import DATA, run

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    return datetime.now(HANOI).date()


def frame_png(
    path: Path, colour: tuple[int, int, int] = (12, 70, 150), size: tuple[int, int] = (800, 800)
) -> Path:
    """A plain frame with an oval window, in `colour` (so that outputs tell frames apart)."""
    im = Image.new("RGBA", size, (*colour, 255))
    ImageDraw.Draw(im).ellipse((150, 120, size[0] - 150, size[1] - 180), fill=(0, 0, 0, 0))
    im.save(path)
    return path


def add(tmp_path: Path, name: str, starts: date | None, ends: date | None, *extra: str, **kw) -> None:
    png = frame_png(tmp_path / f"{name}.png", **kw)
    days = ["--starts", str(starts), "--ends", str(ends)] if starts and ends else []
    result = run("frames", "add", png, "--name", name, *days, *extra)
    assert result.exit_code == 0, result.output


def corner(path: Path) -> tuple[int, ...]:
    with Image.open(path) as im:
        return im.convert("RGB").getpixel((2, 2))


def test_with_no_frame_named_the_running_campaign_is_taken(tmp_path: Path) -> None:
    t = today()
    add(tmp_path, "cds-2026", t - timedelta(days=5), t + timedelta(days=5), colour=(200, 30, 30))
    result = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / "a.jpg")
    assert result.exit_code == 0, result.output  # not the ended built-in frame's exit 3
    assert "Frame: cds-2026, whose campaign is running." in result.output
    assert corner(tmp_path / "a.jpg")[0] > 150  # the red frame, not dx-2023's navy
    for i in range(2):  # and again, from the frame cache
        again = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / f"b{i}.jpg")
        assert again.exit_code == 0, again.output


def test_of_several_running_the_one_that_started_last_and_the_others_are_named(tmp_path: Path) -> None:
    t = today()
    add(tmp_path, "old-one", t - timedelta(days=20), t + timedelta(days=20))
    add(tmp_path, "new-one", t - timedelta(days=2), t + timedelta(days=2))
    add(tmp_path, "over", t - timedelta(days=9), t - timedelta(days=1))
    add(tmp_path, "any-day", None, None)
    choice = choose(None, Path(tmp_path / "my-frames"))
    assert (choice.frame.name, choice.how) == ("new-one", RUNNING)
    assert [f.name for f in choice.also_running] == ["old-one"]
    result = run("campaign")
    assert (
        "Frame: new-one, of the campaigns running the one that started last; also running: old-one"
        in result.output
    )


def test_a_campaign_is_running_by_its_own_time_zone(tmp_path: Path, own_frames: Path) -> None:
    """On Kiritimati (UTC+14) the next day has begun for most of the world's today."""
    kiritimati = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    add(tmp_path, "far-east", kiritimati, kiritimati + timedelta(days=3), "--timezone", "Pacific/Kiritimati")
    assert choose(None, own_frames).frame.name == "far-east"
    assert choose(None, own_frames, on=kiritimati - timedelta(days=1)).how == BUILT_IN  # --date


def test_with_nothing_running_the_builtin_frame_and_its_end_names_what_comes(tmp_path: Path) -> None:
    t = today()
    add(tmp_path, "cds-next", t + timedelta(days=30), t + timedelta(days=40))
    add(tmp_path, "cds-last", t - timedelta(days=40), t - timedelta(days=30))
    result = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / "a.jpg")
    assert result.exit_code == 3 and not (tmp_path / "a.jpg").exists()
    message = " ".join(result.output.split())
    assert "Ngày Chuyển đổi số quốc gia 10.10.2023 campaign ran" in message
    named = message.index("The campaign of the frame cds-next starts on")
    assert "in 30 days: use it with --frame cds-next" in message
    assert named < message.index("--ignore-window")  # what to use instead comes before framing anyway
    assert "cds-last" not in message  # over too: no use naming it


def test_an_ended_frame_named_by_hand_names_the_running_one(tmp_path: Path) -> None:
    t = today()
    add(tmp_path, "cds-2026", t - timedelta(days=1), t + timedelta(days=1))
    result = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / "a.jpg", "--frame", "dx-2023")
    assert result.exit_code == 3
    assert "The campaign of the frame cds-2026 is running: use it with --frame cds-2026." in result.output


def test_frames_use_keeps_a_default_until_auto_and_list_marks_it(tmp_path: Path, own_frames: Path) -> None:
    t = today()
    add(tmp_path, "running", t - timedelta(days=1), t + timedelta(days=1), colour=(200, 30, 30))
    add(tmp_path, "mine", None, None, colour=(20, 160, 40))
    used = run("frames", "use", "mine")
    assert used.exit_code == 0, used.output
    assert "framer now uses mine when no --frame is given" in used.output
    assert (own_frames / DEFAULT_FILE).is_file()
    for i in range(3):  # kept: the second and third commands take it too
        result = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / f"m{i}.jpg")
        assert result.exit_code == 0, result.output
        assert "Frame: mine (your default, chosen with framer frames use)." in result.output
        assert corner(tmp_path / f"m{i}.jpg")[1] > 120  # green: mine
    listed = run("frames", "list")
    assert any(line.split()[:2] == ["mine", "*"] for line in listed.output.splitlines())
    assert "your default (framer frames use)" in listed.output

    back = run("frames", "use", "--auto")
    assert back.exit_code == 0 and "framer uses running when no --frame is given" in back.output
    assert not (own_frames / DEFAULT_FILE).exists()
    assert choose(None, own_frames).how == RUNNING
    assert run("frames", "use", "--auto").exit_code == 0  # twice: nothing to forget, no error


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "No frame named 'nope'"),
        (["../x"], "No frame named '../x'"),
        ([], "give a frame's name, or --auto"),
        (["dx-2023", "--auto"], "give a frame's name, or --auto"),
    ],
)
def test_frames_use_refuses_what_is_not_a_frames_name(
    own_frames: Path, args: list[str], message: str
) -> None:
    result = run("frames", "use", *args)
    assert result.exit_code == 2 and message in result.output
    assert not (own_frames / DEFAULT_FILE).exists()


def test_a_default_that_is_gone_is_said_and_passed_over(tmp_path: Path, own_frames: Path) -> None:
    add(tmp_path, "mine", None, None)
    assert run("frames", "use", "mine").exit_code == 0
    removed = run("frames", "remove", "mine")
    assert "It was your default frame" in removed.output
    assert not (own_frames / DEFAULT_FILE).exists()
    add(tmp_path, "mine2", None, None)
    assert run("frames", "use", "mine2").exit_code == 0
    import shutil

    shutil.rmtree(own_frames / "mine2")  # by hand: the kept name leads nowhere
    choice = choose(None, own_frames)
    assert choice.how == BUILT_IN and any("mine2" in note for note in choice.notes)


def test_a_broken_frame_of_yours_never_stops_a_command_that_did_not_name_it(
    tmp_path: Path, own_frames: Path
) -> None:
    t = today()
    add(tmp_path, "good", t - timedelta(days=1), t + timedelta(days=1))
    (own_frames / "broken").mkdir()
    (own_frames / "broken" / "frame.toml").write_text("name = \n", encoding="utf-8")
    result = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / "a.jpg")
    assert result.exit_code == 0, result.output
    assert "Passed over your frame broken" in result.output
    listed = run("frames", "list")
    assert (
        listed.exit_code == 0 and "good" in listed.output and "Passed over your frame broken" in listed.output
    )
    named = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / "b.jpg", "--frame", "broken")
    assert named.exit_code == 2 and "frame.toml: not valid TOML" in named.output


def test_remind_takes_the_running_frame_and_its_days(tmp_path: Path) -> None:
    t = today()
    add(tmp_path, "cds-2026", t - timedelta(days=2), t + timedelta(days=8))
    ics = tmp_path / "nhac.ics"
    for _ in range(2):
        result = run("remind", "-o", ics)
        assert result.exit_code == 0, result.output
    events = sorted(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    days = [e.decoded("dtstart").astimezone(HANOI).date() for e in events]
    assert days == [t - timedelta(days=2), t + timedelta(days=9)]  # its first day, the day after its last


def test_remind_for_a_campaign_that_is_over_writes_nothing_unless_asked(tmp_path: Path) -> None:
    t = today()
    add(tmp_path, "cds-next", t + timedelta(days=3), t + timedelta(days=13))
    ics = tmp_path / "nhac.ics"
    refused = run("remind", "--frame", "dx-2023", "-o", ics)
    assert refused.exit_code == 3 and not ics.exists()
    assert "has ended" in refused.output and "Nothing was written" in refused.output
    assert "cds-next" in refused.output and "--ignore-window" in refused.output
    anyway = run("remind", "--frame", "dx-2023", "-o", ics, "--ignore-window")
    assert anyway.exit_code == 0 and ics.exists()
    before = run("remind", "--frame", "dx-2023", "-o", tmp_path / "b.ics", "--date", "2023-09-20")
    assert before.exit_code == 0, before.output


def test_frames_add_replace_changes_a_frame_in_place_every_time(tmp_path: Path, own_frames: Path) -> None:
    t = today()
    add(tmp_path, "cds", t + timedelta(days=10), t + timedelta(days=20), colour=(200, 30, 30))
    again = run("frames", "add", frame_png(tmp_path / "k.png"), "--name", "cds")
    assert again.exit_code == 2 and "--replace" in again.output
    for i, colour in enumerate([(20, 160, 40), (150, 20, 160)]):  # replaced twice: dates, image, size
        png = frame_png(tmp_path / f"k{i}.png", colour=colour)
        days = ["--starts", str(t - timedelta(days=1)), "--ends", str(t + timedelta(days=i))]
        result = run("frames", "add", png, "--name", "cds", *days, "--output-size", "600", "--replace")
        assert result.exit_code == 0, result.output
        assert "Replaced your frame cds" in result.output
        framed = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / f"r{i}.jpg", "--frame", "cds")
        assert framed.exit_code == 0, framed.output  # running now: the new dates
        with Image.open(tmp_path / f"r{i}.jpg") as im:
            assert im.size == (600, 600)
        assert corner(tmp_path / f"r{i}.jpg") == pytest.approx(colour, abs=12)
    assert sorted(p.name for p in own_frames.iterdir()) == ["cds"]  # nothing left aside


def test_replace_never_touches_a_builtin_frame_or_what_is_not_a_frame(
    tmp_path: Path, own_frames: Path
) -> None:
    png = frame_png(tmp_path / "k.png")
    builtin = run("frames", "add", png, "--name", "dx-2023", "--replace")
    assert builtin.exit_code == 2 and "built-in" in builtin.output
    (own_frames / "notes").mkdir(parents=True)
    (own_frames / "notes" / "todo.txt").write_text("mine")
    other = run("frames", "add", png, "--name", "notes", "--replace")
    assert other.exit_code == 2 and "is not a frame" in other.output
    assert (own_frames / "notes" / "todo.txt").read_text() == "mine"


def test_output_size_is_kept_and_used(tmp_path: Path, own_frames: Path) -> None:
    add(tmp_path, "small", None, None, "--output-size", "720")
    assert "output_size = 720" in (own_frames / "small" / "frame.toml").read_text(encoding="utf-8")
    for i in range(2):
        result = run("apply", DATA / "grace_hopper.jpg", "-o", tmp_path / f"s{i}.jpg", "--frame", "small")
        assert result.exit_code == 0, result.output
        with Image.open(tmp_path / f"s{i}.jpg") as im:
            assert im.size == (720, 720)


def test_the_kept_default_is_plain_text_in_the_frames_folder(own_frames: Path) -> None:
    assert run("frames", "use", "dx-2023").exit_code == 0
    assert 'frame = "dx-2023"' in (own_frames / DEFAULT_FILE).read_text(encoding="utf-8")
    assert choose(None, own_frames).how == CHOSEN
    (own_frames / DEFAULT_FILE).write_bytes(b"\xff\xfe not toml")  # spoiled by hand: no default, no crash
    assert choose(None, own_frames).how == BUILT_IN


def test_a_pipe_or_a_folder_where_the_default_is_kept_never_hangs_nor_stops_a_command(
    own_frames: Path,
) -> None:
    import os

    own_frames.mkdir(parents=True, exist_ok=True)
    os.mkfifo(own_frames / DEFAULT_FILE)
    assert choose(None, own_frames).how == BUILT_IN  # no writer on the other end: a plain read would hang
    os.unlink(own_frames / DEFAULT_FILE)
    (own_frames / DEFAULT_FILE).mkdir()
    assert choose(None, own_frames).how == BUILT_IN
