"""The CSV report as a person reads it, in Vietnamese and in English (issue 22, item 6): code columns
that say they hold codes, the campaign, boxes, an error's values and the share filled in written in the
language's way, no quote before a number, each thing said once; read back in any language, as the CSV
of earlier versions is; the JSON Lines report unchanged."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from framer.batch.record import Record
from framer.batch.report_file import ReportFile, looks_like_report, read_records
from helpers import DATA, run, two_people

DURING = ["--date", "2023-10-05", "--size", "360", "--jobs", "1"]
CAMPAIGN = {"start": "2023-10-01", "end": "2023-10-10", "timezone": "Asia/Ho_Chi_Minh"}
SPAN = {"vi": "01/10/2023\u201310/10/2023 (giờ Việt Nam)", "en": "2023-10-01\u20132023-10-10 (Vietnam time)"}
HEADERS = {
    "vi": {
        "status": "mã trạng thái",
        "warnings": "mã cảnh báo",
        "error": "mã lỗi",
        "invented": "tỉ lệ được tạo thêm (%)",
        "campaign": "chiến dịch",
        "crop": "vùng cắt",
        "face": "khuôn mặt",
        "details": "chi tiết",
        "in words": "diễn giải",
    },
    "en": {
        "status": "status code",
        "warnings": "warning codes",
        "error": "error code",
        "invented": "share filled in beyond the photo (%)",
        "campaign": "campaign",
        "crop": "crop",
        "face": "face",
        "details": "details",
        "in words": "in words",
    },
}
BOX = {
    "vi": re.compile(r"x=-?[\d.]+, y=-?[\d.]+, rộng [\d.]+, cao [\d.]+"),
    "en": re.compile(r"x=-?[\d,]+, y=-?[\d,]+, width [\d,]+, height [\d,]+"),
}
FRAMED = {"vi": "đã gắn khung", "en": "framed"}
NO_FACE = {"vi": "không tìm thấy khuôn mặt", "en": "no face found"}


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, records: list[Record], lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setenv("LANGUAGE", lang)
        with ReportFile(path) as report:
            for record in records:
                report.write(record)


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real batch: a portrait whose crop goes beyond the photo, two people, a cat, an empty file."""
    folder = tmp_path_factory.mktemp("csv") / "photos"
    folder.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", folder / "Nguyễn Thị Hồng.jpg")
    two_people(folder / "group.jpg")
    shutil.copy(DATA / "chelsea.png", folder / "cat.png")
    (folder / "empty.jpg").write_bytes(b"")
    return folder


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_run_writes_a_csv_a_person_reads_in_their_language(photos: Path, tmp_path: Path, lang: str) -> None:
    report = tmp_path / "report.csv"
    result = run("--lang", lang, "apply", photos, "-o", tmp_path / "out", "--report", report, *DURING)
    assert result.exit_code == 1, result.output  # the cat has no face, the empty file fails
    words = HEADERS[lang]
    rows = {Path(r[next(iter(r))]).name: r for r in table(report)}
    header = list(next(iter(rows.values())))
    for label in words.values():
        assert label in header, (label, header)
    assert not {"status", "warnings", "error", "invented", "trạng thái", "cảnh báo", "lỗi"} & set(header)

    # The codes stay the report's stable codes, whatever the language.
    assert {name: r[words["status"]] for name, r in rows.items()} == {
        "Nguyễn Thị Hồng.jpg": "ok",
        "group.jpg": "ok",
        "cat.png": "no_face",
        "empty.jpg": "error",
    }
    assert rows["group.jpg"][words["warnings"]] == "several_faces"
    assert rows["empty.jpg"][words["error"]] == "empty"

    for name, row in rows.items():
        assert row[words["campaign"]] == SPAN[lang], name
        for cell in row.values():
            assert not cell.startswith(("'", "=", "+", "-", "@")), (name, cell)  # no quote, nothing to run
            assert "{" not in cell and "Asia/" not in cell and ".." not in cell, (name, cell)
    hopper = rows["Nguyễn Thị Hồng.jpg"]
    assert BOX[lang].fullmatch(hopper[words["crop"]]) and BOX[lang].fullmatch(hopper[words["face"]])
    assert "x=-" in hopper[words["crop"]]  # the crop goes beyond the photo: a negative x, and no quote
    assert re.fullmatch(r"\d+([.,]\d+)?", hopper[words["invented"]])
    assert rows["empty.jpg"][words["invented"]] == ""

    # Each thing said once: "framed" and "no face found" are not said twice.
    cat, group = rows["cat.png"][words["in words"]], rows["group.jpg"][words["in words"]]
    assert cat.count(NO_FACE[lang]) == 1 and cat.count(FRAMED[lang]) == 1, cat
    assert group.count(FRAMED[lang]) == 1, group
    assert hopper[words["in words"]] == FRAMED[lang]

    # Read back as it was written, in either language.
    for reader in ("vi", "en"):
        back = run("--lang", reader, "review", report, "-o", tmp_path / f"{reader}.html")
        assert back.exit_code == 0, back.output
    records = read_records(report)
    assert {r.status for r in records} == {"ok", "no_face", "error"}
    assert all(r.campaign == CAMPAIGN for r in records)
    assert next(r for r in records if r.input.endswith("group.jpg")).warnings == ["several_faces"]


def test_the_csv_says_what_the_json_lines_say_and_reads_back_the_same(
    photos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jsonl = tmp_path / "report.jsonl"
    result = run("--lang", "vi", "apply", photos, "-o", tmp_path / "out", "--report", jsonl, *DURING)
    assert result.exit_code == 1, result.output
    # The JSON Lines keep their keys, codes and raw values, whatever the language.
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    hopper = next(line for line in lines if line["input"].endswith("Hồng.jpg"))
    assert hopper["status"] == "ok" and hopper["campaign"] == CAMPAIGN
    assert isinstance(hopper["crop"], list) and hopper["crop"][0] < 0
    assert isinstance(hopper["invented"], float)
    assert next(line for line in lines if line["input"].endswith("empty.jpg"))["error"] == "empty"

    records = read_records(jsonl)
    for lang in ("vi", "en"):
        path = tmp_path / f"report-{lang}.csv"
        write_csv(path, records, lang, monkeypatch)
        assert read_records(path) == records
        monkeypatch.setenv("LANGUAGE", "en" if lang == "vi" else "vi")  # read in the other language
        assert read_records(path) == records
        monkeypatch.delenv("LANGUAGE")


ERRORS = [
    Record(
        "big.jpg",
        None,
        "error",
        error="too_large",
        details={"w": 60000, "h": 40000, "mp": 2400, "limit": 120},
    ),
    Record("locked.jpg", None, "error", error="cannot_read", details={"reason": "EACCES"}),
    Record("two.jpg", None, "error", error="face_beyond", details={"n": 3, "found": 2}),
    Record("odd.jpg", None, "error", error="unexpected", details={"detail": "ValueError: 3; x: y"}),
    Record(
        "stop.jpg", None, "error", error="write_stopped", details={"path": "out/a; b.jpg", "reason": "ENOSPC"}
    ),
]
DETAILS = {
    "vi": [
        "rộng (px): 60.000; cao (px): 40.000; megapixel: 2.400; giới hạn: 120",
        "lý do: không có quyền truy cập",
        "khuôn mặt được yêu cầu: 3; số khuôn mặt tìm thấy: 2",
        "chi tiết: ValueError: 3; x: y",
        "lý do: ổ đĩa đã đầy; đường dẫn: out/a; b.jpg",
    ],
    "en": [
        "width (px): 60,000; height (px): 40,000; megapixels: 2,400; limit: 120",
        "reason: permission denied",
        "face asked for: 3; faces found: 2",
        "detail: ValueError: 3; x: y",
        "reason: the disk is full; path: out/a; b.jpg",
    ],
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_errors_values_are_words_and_numbers_not_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    path = tmp_path / "report.csv"
    write_csv(path, ERRORS, lang, monkeypatch)
    rows = table(path)
    assert [r[HEADERS[lang]["details"]] for r in rows] == DETAILS[lang]
    said = rows[0][HEADERS[lang]["in words"]]
    assert said.count("60.000" if lang == "vi" else "60,000") == 1  # the row in words says it once too
    assert read_records(path) == ERRORS


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_numbers_dates_and_zones_in_the_languages_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    records = [
        Record("a.jpg", "a.jpg", "ok", 1, [1200, -5, 1000, 1000], [-1234, -96, 2745, 2745], invented=0.126),
        Record("b.jpg", "b.jpg", "ok", 1, invented=0.0, campaign={**CAMPAIGN, "timezone": "Asia/Saigon"}),
        Record("c.jpg", "c.jpg", "ok", 1, campaign={**CAMPAIGN, "timezone": "Etc/GMT-7"}),
        Record("d.jpg", "d.jpg", "ok", 1, campaign={**CAMPAIGN, "timezone": "UTC"}),
        Record("e.jpg", "e.jpg", "ok", 1, campaign={**CAMPAIGN, "timezone": "America/New_York"}),
    ]
    path = tmp_path / "report.csv"
    write_csv(path, records, lang, monkeypatch)
    words = HEADERS[lang]
    rows = table(path)
    if lang == "vi":
        assert rows[0][words["face"]] == "x=1.200, y=-5, rộng 1.000, cao 1.000"
        assert rows[0][words["crop"]] == "x=-1.234, y=-96, rộng 2.745, cao 2.745"
        assert rows[0][words["invented"]] == "12,6"
        assert rows[2][words["campaign"]] == "01/10/2023\u201310/10/2023 (UTC+7)"
    else:
        assert rows[0][words["face"]] == "x=1,200, y=-5, width 1,000, height 1,000"
        assert rows[0][words["crop"]] == "x=-1,234, y=-96, width 2,745, height 2,745"
        assert rows[0][words["invented"]] == "12.6"
        assert rows[2][words["campaign"]] == "2023-10-01\u20132023-10-10 (UTC+7)"
    assert rows[1][words["invented"]] == "0" and rows[1][words["campaign"]] == SPAN[lang]
    back = read_records(path)
    assert back[0] == records[0] and back[2:] == records[2:]
    assert back[1].campaign == CAMPAIGN  # Asia/Saigon is another name of Asia/Ho_Chi_Minh


# The CSV of earlier versions: headers without "code", boxes as "x y w h" (a quote before a minus),
# the campaign as "start..end id", JSON details, the share filled in from 0 to 1.
OLD_VI = (
    "\ufeffảnh gốc,bản gắn khung,trạng thái,số khuôn mặt,khuôn mặt,vùng cắt,cảnh báo,lỗi,chiến dịch,"
    "làm từ ảnh,chi tiết,số thứ tự khuôn mặt,phần được tạo thêm,vị trí các khuôn mặt,diễn giải\r\n"
    "p/hopper.jpg,out/hopper.jpg,ok,1,176 113 176 212,'-39 -77 605 605,,,"
    "2023-10-01..2023-10-10 Asia/Ho_Chi_Minh,,,1,0.126,176 113 176 212,đã gắn khung\r\n"
    'p/big.jpg,,error,0,,,,too_large,2023-10-01..2023-10-10 Asia/Ho_Chi_Minh,,"{""w"": 60000, '
    '""h"": 40000, ""mp"": 2400, ""limit"": 120}",,,,không gắn được khung; ảnh quá lớn\r\n'
)
OLD_EN = (
    "input,output,status,faces,face,crop,warnings,error,campaign,made from,details,face number,invented,"
    "face boxes,in words\r\n"
    "p/group.jpg,out/group.jpg,ok,2,176 123 180 205,'-22 -74 575 575,several_faces; edges_filled,,"
    "2023-10-01..2023-10-10 Asia/Ho_Chi_Minh,,,1,0.05,176 123 180 205; 616 190 52 60,framed\r\n"
)
OLD_RECORDS = {
    "vi": [
        Record(
            "p/hopper.jpg", "out/hopper.jpg", "ok", 1, [176, 113, 176, 212], [-39, -77, 605, 605],
            campaign=CAMPAIGN, face_number=1, invented=0.126, face_boxes=[[176, 113, 176, 212]],
        ),
        Record(
            "p/big.jpg", None, "error", error="too_large", campaign=CAMPAIGN,
            details={"w": 60000, "h": 40000, "mp": 2400, "limit": 120},
        ),
    ],
    "en": [
        Record(
            "p/group.jpg", "out/group.jpg", "ok", 2, [176, 123, 180, 205], [-22, -74, 575, 575],
            ["several_faces", "edges_filled"], campaign=CAMPAIGN, face_number=1, invented=0.05,
            face_boxes=[[176, 123, 180, 205], [616, 190, 52, 60]],
        ),
    ],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_csv_report_of_an_earlier_version_still_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes((OLD_VI if lang == "vi" else OLD_EN).encode("utf-8"))
    for reader in ("vi", "en"):
        monkeypatch.setenv("LANGUAGE", reader)
        assert read_records(path) == OLD_RECORDS[lang]
    assert looks_like_report(path.read_bytes()[:4096])  # a new run's report may replace it
    # Written again (framer review --serve rewrites the report), it is in this version's words.
    write_csv(path, OLD_RECORDS[lang], lang, monkeypatch)
    assert read_records(path) == OLD_RECORDS[lang]
    assert looks_like_report(path.read_bytes()[:4096])
    assert HEADERS[lang]["status"] in path.read_text(encoding="utf-8-sig").splitlines()[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_thing_is_said_once_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    records = [
        Record("cat.png", "cat.jpg", "no_face", warnings=["no_face", "edges_filled"]),
        Record("group.jpg", "group.jpg", "ok", 2, warnings=["edges_filled", "several_faces"]),
        Record("again.jpg", "again.jpg", "ok", 1, warnings=["reframed"]),
        Record("same.jpg", "same.jpg", "skipped", 1, warnings=["up_to_date"]),
        Record("empty.jpg", None, "error", error="empty"),
    ]
    path = tmp_path / "report.csv"
    write_csv(path, records, lang, monkeypatch)
    said = [r[HEADERS[lang]["in words"]] for r in table(path)]
    if lang == "vi":
        assert said[0].startswith("không tìm thấy khuôn mặt: đã gắn khung theo phần giữa phía trên")
        assert said[0].count("không tìm thấy khuôn mặt") == 1 and said[0].count("đã gắn khung") == 1
        assert said[1].startswith("nhiều khuôn mặt: đã gắn khung theo khuôn mặt lớn nhất; ")
        assert said[1].count("đã gắn khung") == 1
        assert said[2].startswith("đã gắn khung lại") and said[2].count("đã gắn khung") == 1
        assert said[4] == "không gắn được khung; tệp rỗng (0 byte)"
    else:
        assert said[0].startswith("no face found: framed from the top centre")
        assert said[0].count("no face found") == 1 and said[0].count("framed") == 1
        assert said[1].startswith("several faces: the largest one was framed; ")
        assert said[1].count("framed") == 1
        assert said[2].startswith("framed again") and said[2].count("framed") == 1
        assert said[4] == "not framed; the file is empty (0 bytes)"
    assert all(len(set(s.split("; "))) == len(s.split("; ")) for s in said)
    assert read_records(path) == records
