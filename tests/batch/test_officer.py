"""The IT officer's loop closes: an option means one thing, a file that is not framed is said and counted,
the summary speaks only of what was asked, and -q is quiet."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import DATA, run, snapshot, two_people

ANYWAY = "--ignore-window"  # the built-in frame's campaign is over: these tests are about other things


@pytest.mark.parametrize("name", ["out.gif", "avatar.heic", "me.tiff", "me.bmp"])
def test_an_output_name_framer_cannot_write_is_a_usage_error_that_creates_nothing(
    tmp_path: Path, name: str
) -> None:
    shutil.copy(DATA / "grace_hopper.jpg", tmp_path / "me.jpg")
    before = snapshot(tmp_path)
    result = run("apply", tmp_path / "me.jpg", "-o", tmp_path / name, ANYWAY)
    assert result.exit_code == 2, result.output
    assert ".jpg" in result.output and ".png" in result.output and ".webp" in result.output
    assert snapshot(tmp_path) == before and not (tmp_path / name).exists()


def test_a_folder_name_with_a_dot_is_still_a_folder(tmp_path: Path) -> None:
    shutil.copy(DATA / "grace_hopper.jpg", tmp_path / "me.jpg")
    result = run("apply", tmp_path / "me.jpg", "-o", tmp_path / "framed.2026", ANYWAY)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "framed.2026" / "me.jpg").is_file()


def test_a_single_photo_that_could_not_be_written_exits_1_and_leaves_the_file(tmp_path: Path) -> None:
    shutil.copy(DATA / "grace_hopper.jpg", tmp_path / "me.jpg")
    (tmp_path / "one.jpg").write_bytes(b"a file of someone else's")
    result = run("apply", tmp_path / "me.jpg", "-o", tmp_path / "one.jpg", ANYWAY)
    assert result.exit_code == 1, result.output
    assert (tmp_path / "one.jpg").read_bytes() == b"a file of someone else's"
    assert "--overwrite" in result.output


def test_an_empty_file_is_called_empty(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "empty.jpg").write_bytes(b"")
    shutil.copy(DATA / "grace_hopper.jpg", photos / "me.jpg")
    report = tmp_path / "report.jsonl"
    result = run("apply", photos, "-o", tmp_path / "out", "--report", report, ANYWAY)
    assert result.exit_code == 1
    assert "empty.jpg: the file is empty (0 bytes)" in result.output
    assert "not an image" not in result.output
    rows = {Path(r["input"]).name: r for r in map(json.loads, report.read_text().splitlines())}
    assert rows["empty.jpg"]["error"] == "empty"


def test_quiet_prints_nothing_for_a_clean_batch_nor_a_single_photos_warnings(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", photos / "a.jpg")
    shutil.copy(DATA / "astronaut.png", photos / "b.png")
    clean = run("apply", photos, "-o", tmp_path / "out", "-q", ANYWAY)
    assert clean.exit_code == 0 and clean.output == ""
    cat = run("apply", DATA / "chelsea.png", "-o", tmp_path / "cat.jpg", "-q", ANYWAY)
    assert cat.exit_code == 1  # no face: said by the exit code
    assert cat.output == ""
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a picture at all")
    failed = run("apply", broken, "-o", tmp_path / "b.jpg", "-q", ANYWAY)
    assert failed.exit_code == 1 and "broken.jpg" in failed.output  # a failure is said even with -q


def test_a_run_without_report_or_review_never_mentions_them(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    two_people(photos / "group.jpg")
    shutil.copy(DATA / "chelsea.png", photos / "cat.png")
    result = run("apply", photos, "-o", tmp_path / "out", ANYWAY)
    assert result.exit_code == 1
    assert "To check" in result.output
    assert "--report" not in result.output and "--review" not in result.output
    one = run("apply", photos / "group.jpg", "-o", tmp_path / "g.jpg", ANYWAY)
    assert "--report" not in one.output and "--review" not in one.output


# ---- corrections stay made -----------------------------------------------------------------------------


def group_batch(tmp_path: Path) -> tuple[Path, Path]:
    photos = tmp_path / "photos"
    photos.mkdir()
    two_people(photos / "group.jpg")
    shutil.copy(DATA / "grace_hopper.jpg", photos / "me.jpg")
    shutil.copy(DATA / "hopper_exif6.jpg", photos / "astro.jpg")
    return photos, tmp_path / "framed"


def digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_correction_stays_made_on_a_rerun_without_adjust(tmp_path: Path) -> None:
    photos, out = group_batch(tmp_path)
    (tmp_path / "fixes.csv").write_text("file,face\ngroup.jpg,2\n", encoding="utf-8")
    first = run("apply", photos, "-o", out, "--adjust", tmp_path / "fixes.csv", ANYWAY)
    assert first.exit_code == 0, first.output
    assert "several faces" not in first.output  # fixed: not left to check
    fixed = digest(out / "group.jpg")
    for _ in range(2):  # the second and third run, without --adjust
        again = run("apply", photos, "-o", out, ANYWAY)
        assert again.exit_code == 0, again.output
        assert digest(out / "group.jpg") == fixed  # never put back to its default
        assert "1 correction kept from" in again.output and "framer-adjust.csv" in again.output
        assert "several faces" not in again.output
        assert "All 3 photos are framed" in again.output


def test_a_second_adjust_file_adds_its_rows_and_reverts_none(tmp_path: Path) -> None:
    photos, out = group_batch(tmp_path)
    (tmp_path / "a.csv").write_text("file,face,zoom\ngroup.jpg,2,\nme.jpg,,1.2\n", encoding="utf-8")
    assert run("apply", photos, "-o", out, "--adjust", tmp_path / "a.csv", ANYWAY).exit_code == 0
    group, me = digest(out / "group.jpg"), digest(out / "me.jpg")
    (tmp_path / "b.csv").write_text("file,dx\nastro.jpg,0.05\n", encoding="utf-8")
    result = run(
        "apply", photos, "-o", out, "--adjust", tmp_path / "b.csv", "--report", tmp_path / "r.jsonl", ANYWAY
    )
    assert result.exit_code == 0, result.output
    assert digest(out / "group.jpg") == group and digest(out / "me.jpg") == me  # the earlier ones stand
    rows = {
        Path(r["input"]).name: r for r in map(json.loads, (tmp_path / "r.jsonl").read_text().splitlines())
    }
    assert "up_to_date" in rows["group.jpg"]["warnings"] and "up_to_date" not in rows["astro.jpg"]["warnings"]
    kept = (out / "framer-adjust.csv").read_text(encoding="utf-8")
    assert "group.jpg" in kept and "me.jpg" in kept and "astro.jpg" in kept  # one file, merged by photo
    (tmp_path / "c.csv").write_text("file,face\ngroup.jpg,1\n", encoding="utf-8")  # the latest row wins
    latest = run("apply", photos, "-o", out, "--adjust", tmp_path / "c.csv", ANYWAY)
    assert latest.exit_code == 0, latest.output
    assert digest(out / "group.jpg") != group  # face 1 again: framed anew
    assert "several faces" in latest.output  # a row with no correction is no look


def test_adjust_none_drops_them_sets_the_file_aside_and_says_so(tmp_path: Path) -> None:
    photos, out = group_batch(tmp_path)
    (tmp_path / "fixes.csv").write_text("file,face\ngroup.jpg,2\n", encoding="utf-8")
    run("apply", photos, "-o", out, "--adjust", tmp_path / "fixes.csv", ANYWAY)
    fixed = digest(out / "group.jpg")
    dropped = run("apply", photos, "-o", out, "--adjust", "none", ANYWAY)
    assert "Corrections dropped (--adjust none)" in dropped.output
    assert digest(out / "group.jpg") != fixed  # back to the largest face
    assert not (out / "framer-adjust.csv").exists()
    (aside,) = out.glob("framer-adjust.dropped-*.csv")  # set aside, never deleted
    assert "group.jpg" in aside.read_text(encoding="utf-8")
    assert "several faces" in dropped.output


def test_a_photo_marked_as_checked_leaves_to_check_and_the_summary_says_done(tmp_path: Path) -> None:
    photos, out = group_batch(tmp_path)
    first = run("apply", photos, "-o", out, ANYWAY)
    assert "several faces" in first.output and "All 3 photos" not in first.output
    (out / "framer-adjust.csv").write_text(
        "file,zoom,dx,dy,face,checked\ngroup.jpg,,,,,x\n", encoding="utf-8"
    )
    again = run("apply", photos, "-o", out, ANYWAY)
    assert again.exit_code == 0, again.output
    assert "To check" not in again.output and "All 3 photos are framed" in again.output


def test_a_window_largely_filled_in_is_to_check_until_someone_looks(tmp_path: Path) -> None:
    from PIL import Image

    photos = tmp_path / "photos"
    photos.mkdir()
    with Image.open(DATA / "grace_hopper.jpg") as im:
        im.crop((150, 120, 370, 380)).save(photos / "tight.jpg")  # cut at the chin and the hair
    shutil.copy(DATA / "hopper_exif6.jpg", photos / "me.jpg")
    out = tmp_path / "framed"
    report = tmp_path / "r.jsonl"
    first = run("apply", photos, "-o", out, "--report", report, ANYWAY)
    rows = {Path(r["input"]).name: r for r in map(json.loads, report.read_text().splitlines())}
    assert rows["tight.jpg"]["invented"] > 0.10
    assert "window largely filled in beyond the photo" in first.output
    (out / "framer-adjust.csv").write_text("file,checked\ntight.jpg,x\n", encoding="utf-8")
    again = run("apply", photos, "-o", out, ANYWAY)
    assert "window largely filled in" not in again.output and "All 2 photos are framed" in again.output
