"""Reports and review pages that can be trusted: no formula in a spreadsheet, names that are not UTF-8,
reports written in one step, and reports read back only when they are what they claim to be."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from framer.batch.adjust import read_adjustments
from framer.batch.cells import sheet_cell, sheet_text
from framer.batch.record import Record
from framer.batch.report_file import ReportFile, read_records
from framer.review.sheet import build_review
from helpers import DATA, Page, run, stand_in_output

DURING = ["--date", "2023-10-05", "--size", "360", "--jobs", "1"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# As an old zip tool writes Nguyễn: the bytes are not UTF-8; Python holds them as surrogate escapes.
LATIN1 = os.fsdecode(b"Nguy\xe1n\xff.jpg")
LATIN1_SHOWN = "Nguy\\xe1n\\xff.jpg"
CAMPAIGN = {"start": "2023-10-01", "end": "2023-10-10", "timezone": "Asia/Ho_Chi_Minh"}


def csv_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_report(path: Path, records: list[Record]) -> None:
    with ReportFile(path) as report:
        for record in records:
            report.write(record)


# --- 1. no cell a spreadsheet would run --------------------------------------------------------------

FORMULA_NAMES = [
    "=cmd|' /C calc'!A0.jpg",
    "+84 912.jpg",
    "-an.jpg",
    "@SUM(A1).jpg",
    "\tbinh.jpg",
    "\rchi.jpg",
    "'=quoted already.jpg",  # a name that really starts with a quote and a trigger
    "''+two quotes.jpg",
    "'just a quote.jpg",
    "plain.jpg",
]


def tricky_records() -> list[Record]:
    return [
        Record(
            name,
            f"=out/{name}",
            "ok",
            1,
            [-3, 4, 5, 6],
            [-54, -95, 635, 635],
            ["edges_filled"],
            error=f"-{name}",
            campaign=CAMPAIGN,
        )
        for name in FORMULA_NAMES
    ]


@pytest.mark.parametrize("text", [*FORMULA_NAMES, "", "'", "''", "-54 -95 635 635", "'-", "a=b"])
def test_the_quote_against_formulas_is_undone_exactly(text: str) -> None:
    cell = sheet_cell(text)
    assert not cell.startswith(TRIGGERS)
    assert sheet_text(cell) == text


@pytest.mark.parametrize("typed", ["-0.05", "+1", "'plain.jpg", "''", "=x.jpg"])
def test_reading_a_cell_typed_by_hand_takes_nothing_off(typed: str) -> None:
    assert sheet_text(typed) == typed


def test_the_csv_report_has_no_formula_and_reads_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    write_report(path, tricky_records())
    rows = csv_cells(path)
    for row in rows:
        for cell in row:
            assert not cell.startswith(TRIGGERS), cell
    # A name that starts like a formula keeps the quote; framer's own cells never need one.
    assert rows[1][0] == "'=cmd|' /C calc'!A0.jpg" and rows[1][5] == "x=-54, y=-95, width 635, height 635"
    assert read_records(path) == tricky_records()
    # The JSON Lines report is not for spreadsheets: it keeps the true names.
    jsonl = tmp_path / "report.jsonl"
    write_report(jsonl, tricky_records())
    assert [
        json.loads(line)["input"] for line in jsonl.read_text(encoding="utf-8").splitlines()
    ] == FORMULA_NAMES
    assert read_records(jsonl) == tricky_records()


def test_names_pasted_from_the_csv_report_into_an_adjust_file_are_the_true_names(tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    write_report(report, tricky_records())
    pasted = [row[0] for row in csv_cells(report)[1:]]
    adjust = tmp_path / "fixes.csv"
    with adjust.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "zoom", "dx", "dy", "face"])
        writer.writerows([name, "", "'-0.05", "-0.1", ""] for name in pasted)
        writer.writerow(["-typed by hand.jpg", "", "", "", ""])
    rows = read_adjustments(adjust)
    assert [r.file for r in rows] == [*FORMULA_NAMES, "-typed by hand.jpg"]
    assert rows[0].adjust.shift == (-0.05, -0.1)


@pytest.fixture
def formula_photos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Photos whose names, as given on the command line, start like formulas; the current directory."""
    photos = tmp_path / "photos"
    (photos / "=cmd|' ").mkdir(parents=True)
    shutil.copy(DATA / "grace_hopper.jpg", photos / "=cmd|' " / "C calc'!A0.jpg")
    shutil.copy(DATA / "astronaut.png", photos / "+84.png")
    shutil.copy(DATA / "hopper.webp", photos / "@me.webp")
    monkeypatch.chdir(photos)
    return photos


def test_apply_writes_a_csv_a_spreadsheet_cannot_run_and_takes_its_names_back(
    formula_photos: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.csv"
    first = run(
        "apply", "=cmd|' ", "+84.png", "@me.webp", "-o", tmp_path / "out", "--report", report, *DURING
    )
    assert first.exit_code == 0, first.output
    rows = csv_cells(report)
    assert all(not cell.startswith(TRIGGERS) for row in rows for cell in row), rows
    cells = {sheet_text(row[0]): row for row in rows[1:]}
    assert set(cells) == {"=cmd|' /C calc'!A0.jpg", "+84.png", "@me.webp"}

    page = tmp_path / "review.html"
    assert run("review", report, "-o", page).exit_code == 0
    assert {c.attrs["data-input"] for c in Page(page.read_text(encoding="utf-8")).cards} == set(cells)

    # An officer copies the name, quote and all, from the report into the adjust file.
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(f'file,zoom,dx,dy,face\n"{cells["+84.png"][0]}",1.2,,,\n', encoding="utf-8")
    again = run(
        "apply", "=cmd|' ", "+84.png", "@me.webp", "-o", tmp_path / "out", "--report", report,
        "--adjust", fixes, *DURING,
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    statuses = {r.input: r.status for r in read_records(report)}
    assert statuses == {"=cmd|' /C calc'!A0.jpg": "skipped", "+84.png": "ok", "@me.webp": "skipped"}


# --- 2. names that are not UTF-8, and reports written in one step ------------------------------------


@pytest.fixture
def latin1(tmp_path: Path) -> Path:
    """A file named with bytes that are not UTF-8 (where the file system allows it: not macOS)."""
    try:
        (tmp_path / LATIN1).write_bytes(b"")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return tmp_path / LATIN1


def test_a_name_that_is_not_utf8_leads_back_from_the_jsonl_and_is_legible_in_the_csv(
    tmp_path: Path, latin1: Path
) -> None:
    photo = latin1
    records = [Record(str(photo), str(tmp_path / "out" / LATIN1), "error", error=f"{LATIN1}: damaged")]
    jsonl, table = tmp_path / "report.jsonl", tmp_path / "report.csv"
    write_report(jsonl, records)
    write_report(table, records)
    line = jsonl.read_bytes().decode("utf-8")
    assert os.path.exists(json.loads(line)["input"])  # the exact name, so the exact file
    assert read_records(jsonl) == records
    row = csv_cells(table)[1]
    assert row[0] == os.path.join(tmp_path, LATIN1_SHOWN) and row[7] == f"{LATIN1_SHOWN}: damaged"


def test_the_review_page_shows_such_names_and_still_finds_their_outputs(tmp_path: Path, latin1: Path) -> None:
    stand_in_output(DATA / "grace_hopper.jpg", tmp_path / "framed" / LATIN1)
    records = [Record(f"photos/{LATIN1}", f"framed/{LATIN1}", "ok", 1)]
    html = build_review(records, base_dir=tmp_path)
    html.encode("utf-8")  # no surrogate left
    card = Page(html).cards[0]
    assert card.name == LATIN1_SHOWN and card.img is not None
    write_report(tmp_path / "report.jsonl", records)
    assert build_review(read_records(tmp_path / "report.jsonl"), base_dir=tmp_path) == html


def test_apply_and_review_with_a_name_that_is_not_utf8(tmp_path: Path, latin1: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", photos / LATIN1)
    out, jsonl, table = tmp_path / "out", tmp_path / "r.jsonl", tmp_path / "r.csv"
    page = tmp_path / "review.html"
    result = run("apply", photos, "-o", out, "--report", jsonl, "--review", page, *DURING)
    assert result.exit_code == 0, result.output
    row = json.loads(jsonl.read_text(encoding="utf-8"))
    assert Path(row["input"]) == photos / LATIN1 and Path(row["output"]).exists()
    card = Page(page.read_text(encoding="utf-8")).cards[0]
    assert card.name == LATIN1_SHOWN and card.img is not None

    again = run("apply", photos, "-o", out, "--report", table, "--overwrite", *DURING)
    assert again.exit_code == 0, again.output
    assert csv_cells(table)[1][0].endswith(LATIN1_SHOWN)
    assert run("review", jsonl, "-o", tmp_path / "again.html").exit_code == 0
    assert Page((tmp_path / "again.html").read_text(encoding="utf-8")).cards[0].img is not None


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_report_appears_whole_when_closed_and_not_before(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"report{suffix}"
    path.write_text("the last run's report\n", encoding="utf-8")
    report = ReportFile(path)
    report.write(tricky_records()[0])
    assert path.read_text(encoding="utf-8") == "the last run's report\n"
    assert [n for n in os.listdir(tmp_path) if not n.startswith(".")] == [path.name]  # nothing half-made
    report.close()
    assert read_records(path) == tricky_records()[:1]


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_a_run_cut_short_still_leaves_the_rows_it_wrote(tmp_path: Path, error: type[BaseException]) -> None:
    path = tmp_path / "report.jsonl"
    with pytest.raises(error), ReportFile(path) as report:
        report.write(tricky_records()[0])
        raise error
    assert read_records(path) == tricky_records()[:1]


def test_a_row_that_could_not_be_written_leaves_the_last_report_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "report.jsonl"
    path.write_text("the last run's report\n", encoding="utf-8")

    class FullDisk:
        def __init__(self, file: object) -> None:
            self.file = file

        def write(self, text: str) -> None:
            self.file.write(text[:10])  # half a row, then the disk is full
            raise OSError(28, "No space left on device")

        def flush(self) -> None:
            self.file.flush()

    with pytest.raises(OSError), ReportFile(path) as report:
        report.write(tricky_records()[0])
        report._file = FullDisk(report._file)
        report.write(tricky_records()[1])
    assert path.read_text(encoding="utf-8") == "the last run's report\n"


def _review_in_a_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`framer review` in its own process, so that a hang is a failure and not a stuck test run."""
    return subprocess.run(
        [sys.executable, "-m", "framer", "--lang", "en", "review", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_where_an_output_should_be_gets_a_cannot_be_opened_card(tmp_path: Path) -> None:
    (tmp_path / "framed").mkdir()
    os.mkfifo(tmp_path / "framed" / "pipe.jpg")
    report = tmp_path / "report.jsonl"
    write_report(report, [Record("photos/pipe.jpg", str(tmp_path / "framed" / "pipe.jpg"), "ok", 1)])
    done = _review_in_a_process(report, "-o", tmp_path / "review.html")
    assert done.returncode == 0, done.stderr
    card = Page((tmp_path / "review.html").read_text(encoding="utf-8")).cards[0]
    assert (card.attrs["data-thumb"], card.placeholder) == ("unreadable", "Output cannot be opened")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_as_the_report_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "report.jsonl")
    done = _review_in_a_process(tmp_path / "report.jsonl", "-o", tmp_path / "review.html")
    assert done.returncode == 2 and "not a framer report" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


# --- 3. a report is read only when it is one ---------------------------------------------------------

GOOD = {"input": "photos/an.jpg", "output": "framed/an.jpg", "status": "ok", "faces": 1}


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({**GOOD, "warnings": 5}, "warnings"),
        ({**GOOD, "warnings": ["ok", 3]}, "warnings"),
        ({**GOOD, "faces": "x"}, "faces"),
        ({**GOOD, "faces": True}, "faces"),
        ({**GOOD, "faces": -1}, "faces"),
        ({**GOOD, "face": [1, 2]}, "face"),
        ({**GOOD, "crop": [1, 2, 3, "4"]}, "crop"),
        ({**GOOD, "input": None}, "input"),
        ({**GOOD, "input": "\ud800.jpg"}, "input"),  # a lone surrogate no file name can hold
        ({**GOOD, "output": 7}, "output"),
        ({**GOOD, "status": ["ok"]}, "status"),
        ({**GOOD, "error": {}}, "error"),
        ({**GOOD, "campaign": "2023"}, "campaign"),
        ({"output": None, "status": "ok"}, "input"),
        ([1, 2], "JSON object"),
        (5, "JSON object"),
    ],
)
def test_a_field_of_the_wrong_type_is_named_with_its_line(tmp_path: Path, line: object, field: str) -> None:
    path = tmp_path / "report.jsonl"
    path.write_text(json.dumps(GOOD) + "\n\n" + json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^line 3: .*{field}") as caught:
        read_records(path)
    assert type(caught.value) is ValueError


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'{"input": "a.jpg", "output": null, "status": "ok"}\nnot json\n', "line 2 is not in JSON format"),
        (
            b'{"input": "a.jpg", "output": null, "status": "ok"}\n{"input": "Nguy\xe1n"}\n',
            "line 2 is not UTF-8 text",
        ),
        (b"[" * 100_000, "line 1 is not in JSON format"),
    ],
)
def test_a_file_that_is_not_json_lines_is_named_with_its_line(
    tmp_path: Path, data: bytes, words: str
) -> None:
    path = tmp_path / "report.jsonl"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=f"^{words}"):
        read_records(path)


def test_fields_from_a_newer_version_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "report.jsonl"
    path.write_text(json.dumps({**GOOD, "mood": "happy", "faces": 2}) + "\n", encoding="utf-8")
    assert read_records(path) == [Record("photos/an.jpg", "framed/an.jpg", "ok", 2)]


@pytest.mark.parametrize(
    ("column", "cell"), [("faces", "x"), ("face", "1 2"), ("crop", "1 2 3 four"), ("campaign", "soon")]
)
def test_a_csv_cell_that_does_not_read_is_named_with_its_line(tmp_path: Path, column: str, cell: str) -> None:
    path = tmp_path / "report.csv"
    write_report(path, tricky_records()[:2])
    rows = csv_cells(path)
    rows[2][rows[0].index(column)] = cell
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(ValueError, match=rf"^line 3: {column} must be"):
        read_records(path)


def test_review_of_a_report_with_wrong_types_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "report.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "warnings": 5}) + "\n", encoding="utf-8")
    result = run("--lang", "en", "review", path, "-o", tmp_path / "review.html")
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert "not a framer report (line 2: warnings must be a list of texts, not 5)" in result.output
    assert not (tmp_path / "review.html").exists()
