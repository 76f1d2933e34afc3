"""Adjust files as Excel saves them (the issue "Excel round trip: IT staff live in Excel"): Windows-1258
with `;` and decimal commas, UTF-16 "Unicode text" with tabs, UTF-8 with a byte-order mark, headers typed
by hand, names written decomposed; through the command line, on real bytes and real photos."""

from __future__ import annotations

import codecs
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image

from helpers import DATA, run

DURING = ["--date", "2023-10-05", "--size", "360", "--jobs", "1"]
NAME = "Nguyễn Thị Hồng.jpg"  # composed (NFC), as typed on Windows
TWO = "hai người.jpg"  # two faces: Grace Hopper (the larger, on the left) and Eileen Collins
HOPPER_WIDTH = 512  # grace_hopper.jpg's: where the second face's half of TWO begins


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def windows_1258(text: str) -> bytes:
    """`text` as Excel set to Vietnamese saves it: the letters Windows-1258 has whole (ê, ô, ơ, ư, ă, à,
    é...), and each other tone as a combining mark after its letter."""
    letters: list[str] = []
    for char in nfd(text):
        joined = unicodedata.normalize("NFC", (letters[-1] if letters else "") + char)
        try:
            joined.encode("cp1258")
        except UnicodeEncodeError:
            joined = ""
        if letters and len(joined) == 1 and unicodedata.combining(char):
            letters[-1] = joined
        else:
            letters.append(char)
    return "".join(letters).encode("cp1258")


def make_photos(folder: Path, name: str = NAME) -> Path:
    folder.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", folder / name)
    shutil.copy(DATA / "astronaut.png", folder / "collins.png")
    with Image.open(DATA / "grace_hopper.jpg") as left, Image.open(DATA / "astronaut.png") as right:
        both = Image.new("RGB", (left.width + right.width * left.height // right.height, left.height))
        both.paste(left.convert("RGB"))
        both.paste(right.convert("RGB").resize((both.width - left.width, left.height)), (left.width, 0))
        both.save(folder / TWO, quality=92)
    return folder


def framed(photos: Path, out: Path, *extra: str | Path) -> tuple[Result, dict[str, dict]]:
    """The run, and its JSON report's rows by photo name (in NFC)."""
    report = out.with_suffix(".jsonl")
    result = run("apply", photos, "-o", out, "--report", report, *extra, *DURING)
    rows = (
        [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
        if report.exists()
        else []
    )
    return result, {unicodedata.normalize("NFC", Path(r["input"]).name): r for r in rows}


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The report's rows without any adjustment."""
    tmp = tmp_path_factory.mktemp("plain")
    result, rows = framed(make_photos(tmp / "photos"), tmp / "out")
    assert result.exit_code == 0, result.output
    return rows


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    return make_photos(tmp_path / "photos")


def adjusted(photos: Path, tmp_path: Path, content: bytes) -> dict[str, dict]:
    """The report's rows of a run with the adjust file `content` (its exact bytes)."""
    fixes = tmp_path / "fixes.csv"
    fixes.write_bytes(content)
    result, rows = framed(photos, tmp_path / "out", "--adjust", fixes)
    assert result.exit_code == 0, result.output
    assert len(rows) == 3
    return rows


def assert_only_zoomed(rows: dict[str, dict], plain: dict[str, dict], name: str, zoom: float) -> None:
    """`name`'s crop is smaller by the zoom (its face bigger); every other photo is as without the file."""
    for photo, row in rows.items():
        if photo == name:
            assert row["crop"][2] == pytest.approx(plain[photo]["crop"][2] / zoom, abs=2)
        else:
            assert row["crop"] == plain[photo]["crop"], photo


def error_line(result: Result) -> str:
    """The one line saying what is wrong (the last of the output), with exit 2 and no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.rstrip("\n").splitlines()
    assert lines[-1].startswith("Error: ") and not any(line.startswith("Error") for line in lines[:-1])
    return lines[-1]


def test_windows_1258_with_semicolons_and_decimal_commas(photos: Path, tmp_path: Path, plain: dict) -> None:
    content = windows_1258(f"file;zoom;dx;dy;face\r\n{NAME};1,3;;;\r\n")
    assert b"Nguy\xea\xden Thi\xf2 H\xf4\xccng.jpg;1,3" in content  # the tones as combining marks
    assert_only_zoomed(adjusted(photos, tmp_path, content), plain, NAME, 1.3)


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_unicode_text_with_tabs(
    photos: Path, tmp_path: Path, plain: dict, bom: bytes, codec: str
) -> None:
    content = bom + f"file\tzoom\tdx\tdy\tface\r\n{NAME}\t1,3\t\t\t\r\n".encode(codec)
    assert_only_zoomed(adjusted(photos, tmp_path, content), plain, NAME, 1.3)


def test_utf8_with_a_bom_and_headers_as_people_type_them(photos: Path, tmp_path: Path, plain: dict) -> None:
    content = codecs.BOM_UTF8 + f'File , ZOOM ,Dx,dy,face\r\n{NAME},"1,3",,,\r\n'.encode()
    assert_only_zoomed(adjusted(photos, tmp_path, content), plain, NAME, 1.3)


@pytest.mark.parametrize(
    ("in_file", "on_disk"), [(nfd(NAME), NAME), (NAME, nfd(NAME))], ids=["file-nfd", "disk-nfd"]
)
def test_names_match_however_their_accents_are_written(
    tmp_path: Path, plain: dict, in_file: str, on_disk: str
) -> None:
    photos = make_photos(tmp_path / "photos", on_disk)
    content = f"file,zoom,dx,dy,face\n{in_file},1.3,,,\n".encode()
    assert_only_zoomed(adjusted(photos, tmp_path, content), plain, NAME, 1.3)


def test_a_header_with_only_file_and_face(photos: Path, tmp_path: Path, plain: dict) -> None:
    rows = adjusted(photos, tmp_path, f"file,face\n{TWO},2\n".encode())
    assert plain[TWO]["face"][0] < HOPPER_WIDTH < rows[TWO]["face"][0], "the second face, on the right"
    assert rows[TWO]["crop"] != plain[TWO]["crop"]
    assert {p: r["crop"] for p, r in rows.items() if p != TWO} == {
        p: r["crop"] for p, r in plain.items() if p != TWO
    }


def test_two_rows_for_one_photo_are_an_error_naming_both_lines(photos: Path, tmp_path: Path) -> None:
    fixes = tmp_path / "fixes.csv"
    # A note that spans two lines, then the same photo by its full path.
    fixes.write_text(
        f'file,zoom,dx,dy,face,note\n{NAME},1.2,,,,"called back\non Monday"\n{photos / NAME},1.1,,,,\n',
        encoding="utf-8",
    )
    result = run("apply", photos, "-o", tmp_path / "out", "--adjust", fixes, *DURING)
    assert f"Adjust file, lines 2 and 4 both adjust {photos / NAME}" in error_line(result)
    assert not (tmp_path / "out").exists()


def test_line_numbers_count_the_lines_of_a_cell_that_spans_lines(photos: Path, tmp_path: Path) -> None:
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(
        f'file,zoom,dx,dy,face,note\n{NAME},1.2,,,,"called back\non Monday"\ncollins.png,big,,,,\n',
        encoding="utf-8",
    )
    result = run("apply", photos, "-o", tmp_path / "out", "--adjust", fixes, *DURING)
    assert f"{fixes}, line 4: zoom must be a number, got 'big'" in error_line(result)


def test_a_header_without_file_is_an_error_naming_it(photos: Path, tmp_path: Path) -> None:
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(f"Photo;Zoom\r\n{NAME};1,3\r\n", encoding="utf-8")
    result = run("apply", photos, "-o", tmp_path / "out", "--adjust", fixes, *DURING)
    assert f"{fixes}, line 1: the header lacks the column file (" in error_line(result)


@pytest.mark.parametrize(
    "content",
    [b"file,zoom\n\x81\x8d.jpg,1.2\n", codecs.BOM_UTF16_LE + "file\tzoom\n".encode("utf-16-le") + b"x"],
    ids=["neither-utf8-nor-cp1258", "odd-utf16"],
)
def test_a_file_that_is_no_text_says_so(photos: Path, tmp_path: Path, content: bytes) -> None:
    fixes = tmp_path / "fixes.csv"
    fixes.write_bytes(content)
    result = run("apply", photos, "-o", tmp_path / "out", "--adjust", fixes, *DURING)
    assert f"{fixes}: not text in UTF-8, UTF-16 or Windows-1258" in error_line(result)
    assert "codec" not in result.output


def test_a_misspelt_column_is_an_error_not_a_silent_no_op(photos: Path, tmp_path: Path) -> None:
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(f"file,Zom,ghi chu\n{NAME},1.3,goi lai\n", encoding="utf-8")
    result = run("apply", photos, "-o", tmp_path / "out", "--adjust", fixes, *DURING)
    assert "the column 'zom' is not one framer reads: did you mean zoom?" in error_line(result)
