"""Tell the truth: every message, report row and review card says what happened (the batch's side).

Each test is one class of mismatch between what framer said and what it did; each failed before the fix.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from helpers import DATA, run, two_people

DURING = ["--date", "2023-10-05", "--size", "360", "--jobs", "1"]


def rows(report: Path) -> dict[str, dict]:
    return {
        Path(r["input"]).name: r for r in map(json.loads, report.read_text(encoding="utf-8").splitlines())
    }


@pytest.fixture
def agency(tmp_path: Path) -> Path:
    """Photos that need a look: a cat (no face), two people, a broken file, and a plain portrait."""
    p = tmp_path / "photos"
    p.mkdir()
    shutil.copy(DATA / "chelsea.png", p / "meo.png")
    two_people(p / "hai-nguoi.jpg")
    (p / "hong.jpg").write_bytes(b"not a picture")
    shutil.copy(DATA / "grace_hopper.jpg", p / "hopper.jpg")
    return p


# 1. A re-run keeps the problems


def test_a_rerun_keeps_each_photos_problems_in_the_report_and_the_review(
    agency: Path, tmp_path: Path
) -> None:
    out, report, review = tmp_path / "out", tmp_path / "r.jsonl", tmp_path / "r.html"
    first = run("apply", agency, "-o", out, "--report", report, "--review", review, *DURING)
    assert first.exit_code == 1
    before = rows(report)

    again = run("apply", agency, "-o", out, "--report", report, "--review", review, *DURING)
    assert again.exit_code == 1, again.output  # the cat still has no face found: still a photo to check
    after = rows(report)
    for name in ("meo.png", "hai-nguoi.jpg"):
        assert after[name]["status"] == "skipped" and after[name]["warnings"][-1] == "up_to_date"
        for key in ("faces", "face", "crop", "face_number"):
            assert after[name][key] == before[name][key], (name, key)
        assert set(before[name]["warnings"]) <= set(after[name]["warnings"])
    assert "no_face" in after["meo.png"]["warnings"] and "several_faces" in after["hai-nguoi.jpg"]["warnings"]
    page = review.read_text(encoding="utf-8")
    assert re.search(r'data-group="no_face"[^>]*data-input="[^"]*meo\.png"', page)
    assert re.search(r'data-group="several_faces"[^>]*data-input="[^"]*hai-nguoi\.jpg"', page)
    assert re.search(r"no face found: framed from the top centre\s+1", again.output)


# 2. framer's own outputs are not inputs


def test_framers_own_output_folders_are_not_inputs(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    (photos / "van-phong").mkdir(parents=True)
    for name in ("an.jpg", "binh.jpg"):
        shutil.copy(DATA / "grace_hopper.jpg", photos / "van-phong" / name)
    assert run("apply", photos / "van-phong", *DURING).exit_code == 0  # writes photos/van-phong-framed/
    assert sorted(p.name for p in (photos / "van-phong-framed").glob("*.jpg")) == ["an.jpg", "binh.jpg"]

    everything = run("apply", photos, "-o", tmp_path / "out", *DURING)
    assert everything.exit_code == 0, everything.output
    assert "2 photos: 2 framed." in everything.output
    assert "Left out 2 pictures framer made itself" in everything.output
    assert not (tmp_path / "out" / "van-phong-framed").exists()


def test_a_photo_framed_beside_itself_is_not_taken_for_a_photo_later(tmp_path: Path) -> None:
    folder = tmp_path / "anh"
    folder.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", folder / "toi.jpg")
    assert run("apply", folder / "toi.jpg", *DURING).exit_code == 0
    later = run("apply", folder, "-o", tmp_path / "out", *DURING)
    assert "1 photo: 1 framed." in later.output and "Left out 1 picture framer made itself" in later.output


# 3. Rows in the inputs' order; no output named for a photo that has none


def test_report_rows_follow_the_inputs_and_failures_name_no_output(tmp_path: Path) -> None:
    p, report = tmp_path / "p", tmp_path / "r.jsonl"
    p.mkdir()
    names = [f"{i:02d}.jpg" for i in range(12)]
    for i, name in enumerate(names):
        if i % 4 == 1:
            (p / name).write_bytes(b"broken")  # fails at once, while its neighbours take longer
        else:
            shutil.copy(DATA / ("hopper_12mp.jpg" if i % 3 == 0 else "grace_hopper.jpg"), p / name)
    result = run("apply", p, "-o", tmp_path / "out", "--report", report, "--jobs", "2", *DURING[:-2])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [Path(r["input"]).name for r in lines] == names
    for r in lines:
        assert (r["output"] is None) == (r["status"] == "error"), r
        if r["output"]:
            assert Path(r["output"]).is_file()


# 4. --face tells the truth


def test_the_face_asked_for_is_the_one_said(tmp_path: Path) -> None:
    photo, report = two_people(tmp_path / "hai.jpg"), tmp_path / "r.jsonl"
    second = run("apply", photo, "--face", "2", "--report", report, *DURING)
    assert second.exit_code == 0, second.output
    row = rows(report)["hai.jpg"]
    assert row["face_number"] == 2 and row["faces"] == 2
    first, framed = row["face_boxes"]  # every face, numbered as --face numbers them: the largest first
    assert framed == row["face"] and first[2] * first[3] > framed[2] * framed[3]
    assert "face 2 of 2 was framed, as asked" in row_words(tmp_path, photo, "--face", "2", "--overwrite")
    assert "face 2 of 2 was framed, as asked" in second.output  # one photo: said on the terminal too

    beyond = run("apply", photo, "--face", "9", "--overwrite", "--report", report, *DURING)
    assert beyond.exit_code == 1
    assert rows(report)["hai.jpg"]["error"] == "face_beyond"
    assert "face 9 was asked for, but only 2 faces were found: choose from 1 to 2" in beyond.output


def test_a_face_number_beyond_those_found_in_an_adjust_file_is_a_reported_problem(tmp_path: Path) -> None:
    p, report = tmp_path / "p", tmp_path / "r.jsonl"
    p.mkdir()
    two_people(p / "hai.jpg")
    shutil.copy(DATA / "grace_hopper.jpg", p / "mot.jpg")
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("file,face\nhai.jpg,3\nmot.jpg,2\n", encoding="utf-8")
    result = run("apply", p, "-o", tmp_path / "out", "--adjust", fixes, "--report", report, *DURING)
    assert result.exit_code == 1
    got = rows(report)
    assert got["hai.jpg"]["error"] == "face_beyond" and got["hai.jpg"]["details"] == {"n": 3, "found": 2}
    assert "mot.jpg: face 2 was asked for, but only 1 face was found" in result.output


def row_words(tmp_path: Path, photo: Path, *args: str) -> str:
    """The CSV report's row in words for `photo` framed with `args`."""
    report = tmp_path / "words.csv"
    run("apply", photo, *args, "--report", report, *DURING)
    with report.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.DictReader(f))["in words"]


# 5. A second try beside the photo


def test_a_second_try_on_one_photo_says_what_happened_and_redoes_it_with_new_settings(tmp_path: Path) -> None:
    me = tmp_path / "me.jpg"
    shutil.copy(DATA / "grace_hopper.jpg", me)
    out = tmp_path / "me-framed.jpg"
    assert run("apply", me, *DURING).exit_code == 0
    first = out.read_bytes()

    same = run("apply", me, *DURING)
    assert same.exit_code == 0 and "is already framed with these settings: nothing to do" in same.output
    assert "another file" not in same.output

    closer = run("apply", me, "--zoom", "1.3", *DURING)
    assert closer.exit_code == 0, closer.output
    assert "in place of the one framed before with other settings" in closer.output
    assert out.read_bytes() != first
    again = run("apply", me, "--zoom", "1.3", *DURING)  # the same new settings: nothing to do now
    assert "nothing to do" in again.output and "in place of" not in again.output, again.output


# 6. -o NAME.jpg writes that file


@pytest.mark.parametrize(("name", "kind"), [("anh-dai-dien.jpg", "JPEG"), ("avatar.PNG", "PNG")])
def test_an_output_that_names_a_file_is_that_file(tmp_path: Path, name: str, kind: str) -> None:
    me = tmp_path / "me.jpg"
    shutil.copy(DATA / "grace_hopper.jpg", me)
    target = tmp_path / "for-zalo" / name
    result = run("apply", me, "-o", target, *DURING)
    assert result.exit_code == 0, result.output
    assert target.is_file() and not target.is_dir()
    with Image.open(target) as im:
        assert im.format == kind
    assert run("apply", me, "-o", target, *DURING).exit_code == 0  # again: already framed, not "a file"


def test_an_output_file_for_several_photos_is_refused(agency: Path, tmp_path: Path) -> None:
    result = run("apply", agency, "-o", tmp_path / "x.jpg", *DURING)
    assert result.exit_code == 2 and "give a folder" in result.output
    assert not (tmp_path / "x.jpg").exists()


# 7. One source of truth for the counts


def test_a_photo_with_no_face_is_not_summed_up_as_framed(tmp_path: Path) -> None:
    cat = tmp_path / "meo.png"
    shutil.copy(DATA / "chelsea.png", cat)
    result = run("apply", cat, *DURING)
    assert result.exit_code == 1
    assert "1 photo: 1 framed without a face found." in result.output
    assert re.search(r"^\s*framed, no face found \(please check\)\s+1\s*$", result.output, re.M)


# 9. The review page points to what a batch can do


def test_the_review_page_never_suggests_face_for_a_batch(agency: Path, tmp_path: Path) -> None:
    review = tmp_path / "r.html"
    run("apply", agency, "-o", tmp_path / "out", "--review", review, *DURING)
    page = review.read_text(encoding="utf-8")
    assert "--face" not in page and "--adjust" in page


# 10. Warnings are counted, failures are listed, even with -q


def test_warnings_are_grouped_and_failures_still_listed_when_quiet(tmp_path: Path) -> None:
    p = tmp_path / "p"
    p.mkdir()
    small = Image.open(DATA / "grace_hopper.jpg").resize((120, 140))
    for i in range(8):
        small.save(p / f"nho-{i}.jpg")  # each one low resolution
    (p / "hong.jpg").write_bytes(b"broken")
    loud = run("apply", p, "-o", tmp_path / "a", "--date", "2023-10-05", "--jobs", "1")  # at 1080 px
    assert loud.output.count("nho-") == 0, loud.output  # no line per warned photo...
    assert re.search(r"face enlarged a lot \(may look soft\)\s+8", loud.output)  # ...a count instead
    quiet = run("apply", p, "-o", tmp_path / "b", "-q", "--date", "2023-10-05", "--jobs", "1")
    assert quiet.exit_code == 1
    assert "hong.jpg: not an image" in quiet.output and "low resolution" not in quiet.output


# 15, 17. Reasons in the reader's language, in framer's own words


def test_reasons_are_worded_in_the_language_of_the_page_not_of_the_run(agency: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.jsonl"
    run("--lang", "en", "apply", agency, "-o", tmp_path / "out", "--report", report, *DURING)
    assert rows(report)["hong.jpg"]["error"] == "not_an_image"
    page = tmp_path / "vi.html"
    assert run("review", report, "-o", page, "--lang", "vi").exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "không phải tệp ảnh" in text
    assert "not an image" not in text


def test_no_library_words_reach_a_reason(tmp_path: Path) -> None:
    p, report = tmp_path / "p", tmp_path / "r.jsonl"
    p.mkdir()
    (p / "cut.jpg").write_bytes((DATA / "grace_hopper.jpg").read_bytes()[:3000])
    (p / "bad.png").write_bytes((DATA / "chelsea.png").read_bytes()[:60] + b"\0" * 400)
    result = run("apply", p, "-o", tmp_path / "out", "--report", report, *DURING)
    for words in (
        "bytes not processed",
        "truncated",
        "Errno",
        "BytesIO",
        "cannot identify",
        "broken data stream",
    ):
        assert words not in result.output, (words, result.output)
    assert {r["error"] for r in rows(report).values()} <= {"truncated", "damaged", "not_an_image"}


# 20. The CSV says it in words too


def test_a_vietnamese_csv_report_has_the_row_in_vietnamese_beside_the_codes(
    agency: Path, tmp_path: Path
) -> None:
    report = tmp_path / "bao-cao.csv"
    run("--lang", "vi", "apply", agency, "-o", tmp_path / "out", "--report", report, *DURING)
    with report.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    header, *body = table
    assert header[-1] == "diễn giải"
    broken = next(row for row in body if row[0].endswith("hong.jpg"))
    assert "error" in broken and "not_an_image" in broken  # the codes stay
    assert broken[-1].startswith("không gắn được khung")


# 11. User text is printed as it is written ----------------------------------------------------------------


def test_names_that_look_like_rich_markup_are_printed_as_they_are(tmp_path: Path) -> None:
    p = tmp_path / "p"
    p.mkdir()
    odd = p / "[bold]an[red]:cat:.jpg"
    odd.write_bytes(b"broken")
    result = run("apply", p, "-o", tmp_path / "[out]", *DURING)
    assert "[bold]an[red]:cat:.jpg: not an image" in result.output, result.output
