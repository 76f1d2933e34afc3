"""The frame and campaign commands tell the truth: advice the command can follow, the campaign's title,
names where names are typed, user text printed as written, and a way to remove a frame one added."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image, ImageDraw

from framer.frames.campaign import Campaign
from helpers import run

DX_TITLE = "Ngày Chuyển đổi số quốc gia 10.10.2023"  # frames/dx-2023/frame.toml
DX_SPAN = "2023-10-01 to 2023-10-10 (Vietnam time)"


def lines(result: Result) -> list[str]:
    return result.output.splitlines()


def one_window(path: Path) -> Path:
    """A 900 x 900 frame with one round window at 200,100, 500 px across."""
    im = Image.new("RGBA", (900, 900), (10, 60, 140, 255))
    ImageDraw.Draw(im).ellipse((200, 100, 699, 599), fill=(0, 0, 0, 0))
    im.save(path)
    return path


def two_windows(path: Path) -> Path:
    """A 1200 x 800 frame with two transparent holes of the same size: framer cannot pick one."""
    im = Image.new("RGBA", (1200, 800), (10, 60, 140, 255))
    draw = ImageDraw.Draw(im)
    draw.rectangle((100, 200, 499, 599), fill=(0, 0, 0, 0))
    draw.rectangle((700, 200, 1099, 599), fill=(0, 0, 0, 0))
    im.save(path)
    return path


def add(png: Path, name: str, *args: str) -> Result:
    result = run("frames", "add", png, "--name", name, *args)
    assert result.exit_code == 0, result.output
    return result


# 1 and 2: campaign messages give advice that fits the command, and call the campaign by its title


def test_campaign_after_the_end_points_to_apply_not_to_an_option_it_lacks() -> None:
    result = run("campaign", "--lang", "en", "--date", "2023-10-11")
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        f"The {DX_TITLE} campaign ran {DX_SPAN} and has ended. "
        "To frame with it anyway, run framer apply with --ignore-window."
    ]
    assert "add --ignore-window" not in result.output


def test_the_message_for_apply_still_says_to_add_ignore_window() -> None:
    dx = Campaign(date(2023, 10, 1), date(2023, 10, 10), "Asia/Ho_Chi_Minh")
    ended = dx.status(date(2023, 10, 11))
    assert ended.message(DX_TITLE, ignore_window=True) == (
        f"The {DX_TITLE} campaign ran {DX_SPAN} and has ended. To frame anyway, add --ignore-window."
    )
    assert "add --ignore-window" not in ended.message(DX_TITLE, ignore_window=False)
    assert ended.framing_anyway(DX_TITLE) == (
        f"The {DX_TITLE} campaign has ended; framing anyway (--ignore-window)."
    )


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (
            "2023-09-28",
            f"The {DX_TITLE} campaign runs {DX_SPAN}; it starts in 3 days. "
            "Publish your framed picture from 2023-10-01.",
        ),
        (
            "2023-10-04",
            f"Today is day 4 of 10 of the {DX_TITLE} campaign ({DX_SPAN}). "
            "Switch back to your usual picture on 2023-10-11.",
        ),
        (
            "2023-10-10",
            f"Today is the last day (10 of 10) of the {DX_TITLE} campaign ({DX_SPAN}). "
            "Switch back to your usual picture on 2023-10-11.",
        ),
    ],
)
def test_campaign_messages_use_the_frames_title_not_its_name(on: str, expected: str) -> None:
    result = run("campaign", "--lang", "en", "--date", on)
    assert result.exit_code == 0, result.output
    assert lines(result) == [expected]
    assert "dx-2023" not in result.output


def test_a_users_frame_campaign_is_called_by_its_title(tmp_path: Path) -> None:
    add(
        one_window(tmp_path / "k.png"),
        "so-tt-2024",
        "--title",
        "Ngày Chuyển đổi số 2024 [Sở TT]",
        "--starts",
        "2024-10-01",
        "--ends",
        "2024-10-10",
    )
    result = run("campaign", "--lang", "en", "--frame", "so-tt-2024", "--date", "2024-10-12")
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        "The Ngày Chuyển đổi số 2024 [Sở TT] campaign ran 2024-10-01 to 2024-10-10 (Vietnam time) "
        "and has ended. To frame with it anyway, run framer apply with --ignore-window."
    ]


# 3: frames check takes a frame's name, as frames show, apply and campaign do


def test_frames_check_takes_a_builtin_frames_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("frames", "check", "--lang", "en", "dx-2023")
    assert result.exit_code == 0, result.output
    assert lines(result)[-1] == "Preview: dx-2023-check.png"
    assert "window: x=264 y=264 width=1520 height=1520, declared in frame.toml (circle)" in result.output
    with Image.open(tmp_path / "dx-2023-check.png") as im:
        assert im.format == "PNG" and im.height == 1080


def test_frames_check_takes_a_users_frames_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add(one_window(tmp_path / "k.png"), "so-tt")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run("frames", "check", "--lang", "en", "so-tt")
    assert result.exit_code == 0, result.output
    assert lines(result)[-1] == "Preview: so-tt-check.png"
    assert (here / "so-tt-check.png").is_file()


def test_frames_check_of_an_unknown_name_lists_the_frames(tmp_path: Path) -> None:
    result = run("frames", "check", "--lang", "en", "no-such-frame")
    assert result.exit_code == 2
    assert lines(result) == [
        "Error: No frame named 'no-such-frame' (frames: dx-2023; or give a frame PNG or folder)"
    ]


# 4: the two-windows error's advice, --window, is an option of every command that shows it


def test_frames_check_takes_the_window_the_two_windows_error_asks_for(tmp_path: Path) -> None:
    png = two_windows(tmp_path / "two.png")
    preview = tmp_path / "preview.png"
    ambiguous = run("frames", "check", "--lang", "en", png, "-o", preview)
    assert ambiguous.exit_code == 2
    assert "name it with --window X,Y,W,H" in ambiguous.output and not preview.exists()
    result = run("frames", "check", "--lang", "en", png, "--window", "100,200,400,400", "-o", preview)
    assert result.exit_code == 0, result.output
    assert lines(result)[:2] == [
        "image: 1200 x 800 px, with transparency",
        "window: x=100 y=200 width=400 height=400, given with --window, 17 % of the frame",
    ]
    assert lines(result)[-1] == f"Preview: {preview}"
    assert preview.is_file()


def test_frames_check_refuses_a_window_off_the_image(tmp_path: Path) -> None:
    png = two_windows(tmp_path / "two.png")
    result = run(
        "frames", "check", "--lang", "en", png, "--window", "1000,200,400,400", "-o", tmp_path / "p.png"
    )
    assert result.exit_code == 2
    assert lines(result) == [
        "Error: --window: the window x=1000 y=200 width=400 height=400 does not lie inside "
        f"the frame image {png} (1200 x 800 px)"
    ]
    assert not (tmp_path / "p.png").exists()


def test_frames_add_writes_the_given_window(tmp_path: Path, own_frames: Path) -> None:
    png = two_windows(tmp_path / "two.png")
    ambiguous = run("frames", "add", "--lang", "en", png, "--name", "two")
    assert ambiguous.exit_code == 2 and "name it with --window X,Y,W,H" in ambiguous.output
    assert not (own_frames / "two").exists()

    result = run("frames", "add", "--lang", "en", png, "--name", "two", "--window", "700,200,400.5,400")
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        f"Added two in {own_frames / 'two'}. Use it with: framer apply PHOTOS --frame two"
    ]
    toml = (own_frames / "two" / "frame.toml").read_text(encoding="utf-8").splitlines()
    assert toml[4:] == [
        "[window]  # given with --window to framer frames add",
        "x = 700",
        "y = 200",
        "width = 400.5",
        "height = 400",
    ]
    show = run("frames", "show", "--lang", "en", "two")
    assert show.exit_code == 0, show.output
    assert "window:   x=700 y=200 width=400.5 height=400 (declared, rectangle)" in lines(show)


@pytest.mark.parametrize(
    ("window", "fault"),
    [
        (
            "1000,200,400,400",
            "Error: --window: the window x=1000 y=200 width=400 height=400 does not lie inside the "
            "frame image {png} (1200 x 800 px)",
        ),
        (
            "0,0,1200,800",
            "Error: --window: the window x=0 y=0 width=1200 height=800 is mostly opaque in the frame image "
            "{png} (only 33 % of it is transparent): the portrait would be hidden",
        ),
    ],
)
def test_frames_add_checks_the_given_window_as_apply_does(
    tmp_path: Path, own_frames: Path, window: str, fault: str
) -> None:
    png = two_windows(tmp_path / "two.png")
    result = run("frames", "add", "--lang", "en", png, "--name", "two", "--window", window)
    assert result.exit_code == 2
    assert lines(result) == [fault.format(png=png)]
    assert not (own_frames / "two").exists()


def test_frames_show_takes_the_window_too(tmp_path: Path) -> None:
    png = two_windows(tmp_path / "two.png")
    result = run("frames", "show", "--lang", "en", png, "--window", "100,200,400,400")
    assert result.exit_code == 0, result.output
    assert "window:   x=100 y=200 width=400 height=400 (given with --window)" in lines(result)


# 5: framer frames remove


def test_frames_remove_removes_your_frame_and_says_what(tmp_path: Path, own_frames: Path) -> None:
    png = one_window(tmp_path / "k.png")
    before = png.read_bytes()
    add(png, "so-tt-2024")
    add(png, "keep-me")
    result = run("frames", "remove", "--lang", "en", "so-tt-2024")
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        f"Removed your frame so-tt-2024: deleted {own_frames / 'so-tt-2024'} and the 2 files in it."
    ]
    assert sorted(p.name for p in own_frames.iterdir()) == ["keep-me"]  # nothing left aside
    assert png.read_bytes() == before  # the PNG it was added from is untouched
    listed = run("frames", "list", "--lang", "en")
    assert "so-tt-2024" not in listed.output and "keep-me" in listed.output
    again = run("frames", "remove", "--lang", "en", "so-tt-2024")
    assert again.exit_code == 2
    assert lines(again) == [
        f"Error: No frame of yours named 'so-tt-2024' (yours: keep-me; your frames folder: {own_frames})"
    ]


def test_frames_remove_refuses_a_builtin_frame(tmp_path: Path) -> None:
    add(one_window(tmp_path / "k.png"), "so-tt")
    result = run("frames", "remove", "--lang", "en", "dx-2023")
    assert result.exit_code == 2
    assert lines(result) == [
        "Error: dx-2023 is a built-in frame: it cannot be removed; framer frames remove removes only "
        "your own frames (yours: so-tt)"
    ]
    assert run("frames", "show", "dx-2023").exit_code == 0


@pytest.mark.parametrize("name", ["nope", "..", "../my-frames", ".", "so-tt/", ""])
def test_frames_remove_of_anything_but_your_frames_name_is_refused(
    tmp_path: Path, own_frames: Path, name: str
) -> None:
    add(one_window(tmp_path / "k.png"), "so-tt")
    result = run("frames", "remove", "--lang", "en", name)
    assert result.exit_code == 2
    assert lines(result) == [
        f"Error: No frame of yours named {name!r} (yours: so-tt; your frames folder: {own_frames})"
    ]
    assert sorted(p.name for p in (own_frames / "so-tt").iterdir()) == ["frame.png", "frame.toml"]


def test_frames_remove_with_no_frames_of_yours_says_so(own_frames: Path) -> None:
    result = run("frames", "remove", "--lang", "en", "so-tt")
    assert result.exit_code == 2
    assert lines(result) == [
        f"Error: No frame of yours named 'so-tt' (yours: none; your frames folder: {own_frames})"
    ]


def test_frames_remove_never_follows_a_link_out_of_the_frames_folder(
    tmp_path: Path, own_frames: Path
) -> None:
    add(one_window(tmp_path / "k.png"), "so-tt")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep me", encoding="utf-8")
    (own_frames / "so-tt" / "notes").symlink_to(victim)  # a link inside the frame's folder
    (own_frames / "so-tt" / "keep.txt").symlink_to(victim / "keep.txt")
    result = run("frames", "remove", "--lang", "en", "so-tt")
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        f"Removed your frame so-tt: deleted {own_frames / 'so-tt'} and the 4 files in it."
    ]
    assert not os.path.lexists(own_frames / "so-tt")
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "keep me"


def test_frames_remove_of_a_linked_frame_removes_only_the_link(tmp_path: Path, own_frames: Path) -> None:
    shared = tmp_path / "shared"
    add(one_window(tmp_path / "k.png"), "shared")
    (own_frames / "shared").rename(shared)  # a frame folder kept elsewhere, linked into the frames folder
    (own_frames / "linked").symlink_to(shared)
    assert run("frames", "show", "linked").exit_code == 0
    result = run("frames", "remove", "--lang", "en", "linked")
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        f"Removed your frame linked: deleted the link {own_frames / 'linked'} "
        f"({shared}, where it led, is untouched)."
    ]
    assert not os.path.lexists(own_frames / "linked")
    assert sorted(p.name for p in shared.iterdir()) == ["frame.png", "frame.toml"]


def test_frames_remove_has_help_with_an_example() -> None:
    result = run("frames", "remove", "--help")
    assert result.exit_code == 0
    assert "framer frames remove so-tt-2024" in result.output
    assert "remove" in run("frames", "--help").output


# 6: what comes from a frame is printed as it is written, never read as markup


def test_frames_list_prints_titles_as_written(tmp_path: Path) -> None:
    png = one_window(tmp_path / "k.png")
    add(png, "brackets", "--title", "Khung [window] [bold]2024[/bold] \\")
    add(png, "emoji", "--title", "Mèo :cat: 2024")
    result = run("frames", "list", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in lines(result) if line.split()}
    assert rows["brackets"].rstrip().endswith("Khung [window] [bold]2024[/bold] \\")
    assert rows["emoji"].rstrip().endswith("Mèo :cat: 2024")


def test_frames_list_prints_a_hand_made_frames_name_as_written(tmp_path: Path, own_frames: Path) -> None:
    folder = own_frames / "hand-made"
    folder.mkdir(parents=True)
    one_window(folder / "frame.png")
    (folder / "frame.toml").write_text(
        'name = "[red]hand[/red]-made"\ntitle = "[link=http://x]t[/link]"\nimage = "frame.png"\n',
        encoding="utf-8",
    )
    result = run("frames", "list", "--lang", "en")
    assert result.exit_code == 0, result.output
    row = next(line for line in lines(result) if "hand" in line)
    assert row.split()[:2] == ["[red]hand[/red]-made", "yours"]
    assert row.rstrip().endswith("[link=http://x]t[/link]")
