"""`framer review` on a file that is not a framer report (issue 22, item 5): the placeholder of the
argument in the user's language, the file, a plain reason and where, and never Python's own words
(json's "Expecting value", csv's errors, a UnicodeDecodeError)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import DATA, run

CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Nhạc\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
# What Python, json and csv say, which must never reach a person.
PYTHONS_WORDS = (
    "Expecting",
    "Extra data",
    "delimiter",
    "char ",
    "column ",
    "codec",
    "decode",
    "invalid start byte",
    "Unicode",
    "JSONDecodeError",
    "field larger than field limit",
    "line contains NUL",
    "new-line character",
    "RecursionError",
    "recursion",
    "Traceback",
)
# file name -> (its bytes, the reason in Vietnamese, the reason in English)
NOT_REPORTS = {
    "nhac.ics": (CALENDAR.encode(), "dòng 1 không đúng định dạng JSON", "line 1 is not in JSON format"),
    "ghi-chu.txt": (
        "Danh sách ảnh cần gắn khung\n".encode(),
        "dòng 1 không đúng định dạng JSON",
        "line 1 is not in JSON format",
    ),
    "anh.png": (
        (DATA / "astronaut.png").read_bytes(),
        "dòng 1 không phải văn bản UTF-8",
        "line 1 is not UTF-8 text",
    ),
    "rong.jsonl": (b"", "tệp rỗng", "the file is empty"),
    "trang.jsonl": (b"\n  \n", "tệp rỗng", "the file is empty"),
    "package.json": (
        json.dumps({"name": "framer", "version": "1.0"}, indent=2).encode(),
        "dòng 1 không đúng định dạng JSON",
        "line 1 is not in JSON format",
    ),
    "cau-hinh.json": (b'{"name": "framer"}\n', "dòng 1: thiếu trường input", "line 1: input is missing"),
    "so.jsonl": (
        b"[1, 2]\n",
        "dòng 1: mỗi dòng phải là một đối tượng JSON",
        "line 1: a row must be a JSON object",
    ),
    "sau.jsonl": (b"[" * 100_000, "dòng 1 không đúng định dạng JSON", "line 1 is not in JSON format"),
    "danh-ba.csv": (
        "họ tên,số điện thoại\nAn,0912\n".encode(),
        "dòng 1 thiếu tên các cột của framer: ảnh gốc, bản gắn khung, mã trạng thái…",
        "line 1 lacks the names of framer's columns: input, output, status code…",
    ),
    "rong.csv": (b"", "tệp rỗng", "the file is empty"),
    "lon.csv": (
        ("input,status\n" + '"' + "x" * 200_000 + '",ok\n').encode(),
        "dòng 2 không đúng định dạng CSV",
        "line 2 is not in CSV format",
    ),
    "bang.csv": (
        "input,status\nảnh".encode() + b"\xff\n",
        "dòng 2 không phải văn bản UTF-8",
        "line 2 is not UTF-8 text",
    ),
}


def refused(tmp_path: Path, name: str, lang: str, *more: str) -> str:
    """What `framer review NAME` says, run in tmp_path; checked to be a refusal in framer's words."""
    (tmp_path / name).write_bytes(NOT_REPORTS[name][0])
    result = run("--lang", lang, "review", name, *more)
    assert result.exit_code == 2, result.output  # a usage error, as any argument framer cannot use
    assert not any(p.name.endswith(".html") for p in tmp_path.iterdir())
    for words in PYTHONS_WORDS:
        assert words not in result.output, (words, result.output)
    return result.output


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", NOT_REPORTS)
def test_the_file_and_the_reason_are_framers_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, lang: str
) -> None:
    monkeypatch.chdir(tmp_path)
    said = refused(tmp_path, name, lang, "-o", "review.html")
    if lang == "vi":
        assert f"Lỗi: BÁO_CÁO {name} không phải tệp báo cáo của framer ({NOT_REPORTS[name][1]}" in said, said
        english = ("REPORT", "Invalid value", "Giá trị không hợp lệ", "Error", "line", "not a framer")
    else:
        assert f"Error: REPORT {name} is not a framer report ({NOT_REPORTS[name][2]}" in said, said
        english = ("Invalid value",)
    for words in english:
        assert words not in said, (words, said)


def test_the_editors_example_word_for_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("nhac.ics").write_text(CALENDAR, encoding="utf-8")
    result = run("--lang", "vi", "review", "nhac.ics")
    assert result.exit_code == 2
    assert result.output.rstrip().splitlines()[-1] == (
        "Lỗi: BÁO_CÁO nhac.ics không phải tệp báo cáo của framer (dòng 1 không đúng định dạng JSON)."
    )
    assert "review [TÙY CHỌN] BÁO_CÁO" in result.output  # the usage line shows what BÁO_CÁO is


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_live_review_refuses_it_in_the_same_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.chdir(tmp_path)
    said = refused(tmp_path, "nhac.ics", lang, "--serve", "--no-browser", "--port", "0")
    if lang == "vi":
        assert "BÁO_CÁO nhac.ics không phải tệp báo cáo của framer (dòng 1 không đúng định dạng JSON)" in said
        assert "REPORT" not in said
    else:
        assert "REPORT nhac.ics is not a framer report (line 1 is not in JSON format)" in said
