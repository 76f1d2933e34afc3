"""framer in Vietnamese, read as a person reads it: placeholders in the user's words and the same in the
usage line and the help, Click's errors as sentences, dates and numbers as Vietnamese writes them, a
classifier on every count, one word for one thing."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner, Result
from icalendar import Calendar
from PIL import Image

from framer.cli.catalog import po_files
from framer.cli.main import cli
from framer.i18n import number, percent, translation
from helpers import DATA

# The variables that choose the language: each run sets its own and gets the others back afterwards
# (--lang sets LANGUAGE for the rest of the process).
NO_LOCALE = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
VI_LOCALE = {**NO_LOCALE, "LANG": "vi_VN.UTF-8"}


def run(*args: str | Path, locale: dict[str, str | None] = NO_LOCALE) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=locale, prog_name="framer")


def vi(*args: str | Path) -> Result:
    """framer with --lang vi (after the command's name, where a person puts it), under no locale."""
    return run(*args, "--lang", "vi")


def commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The command line of every command: (), ("apply",), ("frames", "list"), ..."""
    yield path
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def vi_catalog() -> list[tuple[str, str]]:
    """(msgid, translation) for every message of the Vietnamese catalog."""
    (po,) = [po for po in po_files() if po.parent.parent.name == "vi"]
    with po.open("rb") as f:
        catalog = read_po(f)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        pairs += [(msgid, s) for s in strings if s]
    return pairs


# --- 1. Placeholders: in Vietnamese, and the same words in the usage line and in the help -------------

# Click's own English placeholders: its type names as metavars (STRING is TEXT, IntRange INTEGER RANGE,
# Path FILE/DIRECTORY/PATH, ...), its usage pieces, and a date format as strptime writes it.
CLICK_PLACEHOLDERS = [
    "TEXT",
    "INTEGER",
    "FLOAT",
    "RANGE",
    "BOOLEAN",
    "UUID",
    "FILE",
    "FILENAME",
    "DIRECTORY",
    "PATH",
    "DATETIME",
    "CHOICE",
    "OPTIONS",
    "COMMAND",
    "ARGS",
    "YYYY",
    "%Y",
]


def help_of(path: tuple[str, ...]) -> str:
    result = run(*path, "--lang", "vi", "--help")  # --help answers at once: --lang comes first
    assert result.exit_code == 0, result.output
    return result.output


def upper_words(text: str) -> set[str]:
    """The words written in capitals (placeholders, acronyms), of two letters or more."""
    return {w for w in re.findall(r"\w+", text) if w.isupper() and sum(c.isalpha() for c in w) >= 2}


def placeholders(path: tuple[str, ...], lang: str, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The words of the usage line and of every option's placeholder of a command, in `lang`."""
    monkeypatch.setenv("LANGUAGE", lang)
    command = command_at(path)
    ctx = click.Context(command, info_name=" ".join(("framer", *path)))
    pieces = list(command.collect_usage_pieces(ctx))
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and not param.is_flag:
            pieces.append(param.make_metavar(ctx))
    monkeypatch.delenv("LANGUAGE")
    return upper_words(" ".join(pieces))


@pytest.mark.parametrize("path", list(commands()), ids=lambda p: " ".join(("framer", *p)))
def test_help_has_no_english_placeholder(path: tuple[str, ...]) -> None:
    text = help_of(path)
    english = [w for w in CLICK_PLACEHOLDERS if re.search(rf"(?<![\w%]){re.escape(w)}\b", text)]
    assert not english, f"English placeholders {english} in:\n{text}"
    assert "Cách dùng:" in text


@pytest.mark.parametrize("path", list(commands()), ids=lambda p: " ".join(("framer", *p)))
def test_help_names_placeholders_as_the_usage_line_does(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = help_of(path)
    english, vietnamese = placeholders(path, "en", monkeypatch), placeholders(path, "vi", monkeypatch)
    assert vietnamese, text
    # A placeholder the usage line says in Vietnamese is never named in English in the help ("REPORT là
    # tệp" under a usage line that says BÁO_CÁO).
    renamed = english - vietnamese
    stale = sorted(w for w in renamed if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))
    assert not stale, f"the help names {stale}, which the usage line calls {sorted(vietnamese)}:\n{text}"
    # A Vietnamese placeholder in the command's description is one of the usage line's.
    description = command_at(path).help
    said = translation("vi").gettext(inspect.cleandoc(description)) if description else ""
    named = {w for w in upper_words(said) if "_" in w or not w.isascii()}
    assert named <= vietnamese, f"{sorted(named - vietnamese)} is not in the usage line: {sorted(vietnamese)}"


def test_review_help_names_its_report_as_the_usage_line_does() -> None:
    text = help_of(("review",))
    assert "framer review [TÙY CHỌN] BÁO_CÁO" in text
    assert "BÁO_CÁO là tệp" in text and "REPORT" not in text


def test_number_types_and_ranges_in_words() -> None:
    text = help_of(("apply",))
    assert "--quality SỐ_NGUYÊN" in text and "--zoom SỐ" in text
    assert "từ 1 đến 100" in re.sub(r"\s+", " ", text)  # Click's 1<=x<=100
    assert "từ 1 trở lên" in re.sub(r"\s+", " ", text)  # x>=1
    assert "<=x" not in text and "x>=" not in text
    assert "--date NĂM-THÁNG-NGÀY" in text


# --- 2. A bad date, in words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("campaign", "--date", "05/10/2023"),
        ("frames", "list", "--date", "5 Oct 2023"),
        ("apply", DATA / "grace_hopper.jpg", "--date", "2023/10/05"),
        ("frames", "add", DATA / "grace_hopper.jpg", "--name", "x", "--starts", "01-10-2024"),
    ],
    ids=["campaign", "frames list", "apply", "frames add"],
)
def test_a_bad_date_is_told_in_words(args: tuple[str | Path, ...]) -> None:
    result = vi(*args)
    assert result.exit_code == 2
    assert "ngày phải viết dạng NĂM-THÁNG-NGÀY, ví dụ 2023-10-05" in result.output, result.output
    assert "%" not in result.output and "định dạng" not in result.output

    english = run(*args, "--lang", "en")
    assert "write the date as YYYY-MM-DD, for example 2023-10-05" in english.output, english.output


def test_a_day_that_is_not_on_the_calendar() -> None:
    result = vi("campaign", "--date", "2023-02-30")
    assert result.exit_code == 2
    assert "không có ngày “2023-02-30” trên lịch" in result.output, result.output


# --- 3. Click's errors, as sentences --------------------------------------------------------------------

TITLE_CASED = re.compile(r"Đường Dẫn|Thư Mục|\bTệp '")  # Click's .title() on its translated type name


def error_line(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.startswith(("Lỗi:", "Error:"))]
    assert lines, result.output
    return lines[-1]


def test_a_missing_path_is_a_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    photo = vi("apply", "anh.jpg")
    report = vi("review", "bao-cao.jsonl")
    folder = vi("review", ".")
    assert photo.exit_code == report.exit_code == folder.exit_code == 2
    assert error_line(photo) == (
        "Lỗi: Giá trị không hợp lệ cho 'ẢNH_HOẶC_THƯ_MỤC...': "
        "không tìm thấy tệp hay thư mục nào tên “anh.jpg”"
    )
    assert error_line(report).endswith(": không tìm thấy tệp “bao-cao.jsonl”")
    assert "'BÁO_CÁO'" in error_line(report)
    assert error_line(folder).endswith(": “.” là thư mục, không phải tệp")
    for result in (photo, report, folder):
        assert not TITLE_CASED.search(result.output), result.output
    assert error_line(run("apply", "anh.jpg", "--lang", "en")).endswith(
        ": there is no file or folder 'anh.jpg'"
    )


def test_a_bad_number_is_a_sentence() -> None:
    photo = DATA / "grace_hopper.jpg"
    word = vi("apply", photo, "--quality", "abc")
    assert word.exit_code == 2
    assert error_line(word) == "Lỗi: Giá trị không hợp lệ cho '--quality': “abc” không phải là số nguyên"
    assert "integer" not in word.output and "range" not in word.output

    high = vi("apply", photo, "--quality", "200")
    assert error_line(high).endswith(": 200 nằm ngoài giới hạn cho phép (từ 1 đến 100).")
    low = vi("apply", photo, "--face", "0")
    assert error_line(low).endswith(": 0 nằm ngoài giới hạn cho phép (từ 1 trở lên).")

    comma = vi("apply", photo, "--zoom", "1,1")
    assert "float" not in comma.output
    assert error_line(comma).endswith(": “1,1” không phải là số: số thập phân viết bằng dấu chấm, ví dụ 1.5")
    assert error_line(run("apply", photo, "--quality", "abc", "--lang", "en")).endswith(
        ": 'abc' is not a whole number"
    )


def test_a_mistyped_option_or_command_is_a_question() -> None:
    # A mistyped option stops Click before --lang is read: the locale says Vietnamese.
    option = run("apply", "--fra", "x", locale=VI_LOCALE)
    assert option.exit_code == 2
    assert error_line(option) == (
        "Lỗi: Không có tùy chọn '--fra'. Có phải ý bạn là '--face', '--format' hay '--frame' không?"
    )
    command = run("aply", locale=VI_LOCALE)
    assert error_line(command) == "Lỗi: Không có lệnh 'aply'. Có phải ý bạn là 'apply' không?"
    english = run("apply", "--fra", "x")
    assert error_line(english).endswith("Did you mean '--face', '--format' or '--frame'?")


def test_a_missing_argument_is_a_sentence() -> None:
    result = vi("apply")
    assert error_line(result) == "Lỗi: Thiếu tham số 'ẢNH_HOẶC_THƯ_MỤC...'."


def test_a_wrong_choice_is_a_sentence() -> None:
    result = vi("apply", DATA / "grace_hopper.jpg", "--format", "gif")
    assert error_line(result).endswith(": 'gif' không có trong các lựa chọn: 'jpg', 'png', 'webp'.")


# --- 4. Numbers, counts, terms ---------------------------------------------------------------------------


def test_a_decimal_number_in_the_users_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "vi")
    assert number(8.76) == "8,8"
    assert percent(0.126, 1) == "12,6 %"
    assert percent(0.12) == "12 %"
    assert number(2.0, trim=True) == "2" and number(-0.04) == "0,0"
    monkeypatch.setenv("LANGUAGE", "en")
    assert number(8.76) == "8.8" and percent(0.126, 1) == "12.6 %"


def test_a_share_framer_prints_has_a_decimal_comma(tmp_path: Path) -> None:
    # A frame whose only transparency is one pixel: its share is told as "less than 0.1 %".
    speck = tmp_path / "dom.png"
    frame = Image.new("RGBA", (200, 200), (200, 0, 0, 255))
    frame.putpixel((100, 100), (0, 0, 0, 0))
    frame.save(speck)
    result = vi("frames", "check", speck, "-o", tmp_path / "xem.png")
    assert result.exit_code == 2
    assert "dưới 0,1 %" in result.output, result.output
    assert not re.search(r"\d\.\d+ ?%", result.output), result.output


def test_a_count_has_a_classifier(tmp_path: Path) -> None:
    photos = tmp_path / "anh"
    photos.mkdir()
    (photos / "hong.jpg").write_bytes(b"")
    result = vi("apply", photos, "-o", tmp_path / "ra", "--date", "2023-10-05", "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert "1 ảnh không gắn được khung" in result.output, result.output
    assert not re.search(r"\d+ lỗi", result.output), result.output
    # ... and in every message: a count placeholder is never followed by "lỗi" (errors).
    counted = [(i, s) for i, s in vi_catalog() if re.search(r"\{(n|count|total|done)\} lỗi", s)]
    assert not counted, counted


OUTPUT_WORDS = ["bản đã gắn khung", "đầu ra"]  # the output is "bản gắn khung", everywhere
ARGUMENT_WORDS = ["đối số"]  # an argument is a "tham số", everywhere


def test_one_term_for_the_output() -> None:
    others = [(i, s) for i, s in vi_catalog() if any(w in s.lower() for w in OUTPUT_WORDS + ARGUMENT_WORDS)]
    assert not others, others
    text = help_of(("apply",))
    assert "bản gắn khung" in text and "bản đã gắn khung" not in text
    shown = vi("frames", "show", "dx-2023")
    assert "bản gắn khung" in shown.output and "đầu ra" not in shown.output, shown.output


def test_the_reminders_say_what_to_do(tmp_path: Path) -> None:
    target = tmp_path / "nhac-viec.ics"
    result = vi("remind", "--frame", "dx-2023", "-o", target, "--date", "2023-09-25")
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical(target.read_bytes())
    titles = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert titles[0].startswith("Đặt ảnh có khung làm ảnh đại diện: ")
    assert titles[1].startswith("Đổi lại ảnh đại diện thường dùng: ")
    assert not [t for t in titles if t.startswith("Thay ")]  # "replace", not "put on"
