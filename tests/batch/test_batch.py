"""A whole folder: parallel workers, re-runs that redo only what changed, interruptions, fix-ups."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from framer.files import system_temp
from helpers import DATA, run, stale_staging

DURING = ["--date", "2023-10-05", "--size", "360"]
PORTRAITS = ["grace_hopper.jpg", "astronaut.png", "hopper_exif6.jpg", "hopper_gray.jpg", "hopper.webp"]


def pictures(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im, dtype=int)


def report_rows(path: Path) -> dict[str, dict]:
    return {Path(r["input"]).name: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    (root / "sub").mkdir(parents=True)
    for i, name in enumerate(PORTRAITS):
        shutil.copy(DATA / name, (root / "sub" if i % 2 else root) / name)
    return root


def test_parallel_workers_make_the_same_pictures(photos: Path, tmp_path: Path) -> None:
    one = run("apply", photos, "-o", tmp_path / "one", "--jobs", "1", *DURING)
    two = run("apply", photos, "-o", tmp_path / "two", "--jobs", "2", *DURING)
    assert one.exit_code == two.exit_code == 0, two.output
    a, b = pictures(tmp_path / "one"), pictures(tmp_path / "two")
    assert [p.relative_to(tmp_path / "one") for p in a] == [p.relative_to(tmp_path / "two") for p in b]
    for x, y in zip(a, b, strict=True):
        assert np.abs(pixels(x) - pixels(y)).max() <= 2


def test_rerun_redoes_only_what_changed(photos: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "framed", tmp_path / "report.jsonl"
    assert run("apply", photos, "-o", out, "--jobs", "1", *DURING).exit_code == 0

    again = run("apply", photos, "-o", out, "--jobs", "1", "--report", report, *DURING)
    assert again.exit_code == 0
    assert "5 photos: 5 skipped." in again.output
    assert {r["status"] for r in report_rows(report).values()} == {"skipped"}

    changed = photos / "grace_hopper.jpg"
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))  # a new version of one photo
    third = run("apply", photos, "-o", out, "--jobs", "1", "--report", report, *DURING)
    rows = report_rows(report)
    assert rows["grace_hopper.jpg"]["status"] == "ok"
    assert sorted(n for n, r in rows.items() if r["status"] == "skipped") == sorted(
        set(PORTRAITS) - {changed.name}
    )
    assert "1 framed, 4 skipped" in third.output

    # New settings: every output framer made is redone (replaced), without --overwrite.
    bigger = run("apply", photos, "-o", out, "--jobs", "1", *DURING, "--size", "400")
    assert "5 framed" in bigger.output
    assert {pixels(p).shape for p in pictures(out)} == {(400, 400, 3)}


def test_files_framer_did_not_make_are_never_replaced(photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "framed"
    out.mkdir()
    (out / "grace_hopper.jpg").write_bytes(b"someone's own file")
    result = run("apply", photos, "-o", out, "--jobs", "1", *DURING)
    assert (out / "grace_hopper.jpg").read_bytes() == b"someone's own file"
    assert "skipped, another file is in the way (--overwrite replaces it)" in result.output


def test_csv_report_opens_in_a_spreadsheet_with_vietnamese_names(tmp_path: Path) -> None:
    folder = tmp_path / "ảnh"
    folder.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", folder / "Nguyễn Thị Hồng.jpg")
    (folder / "hỏng.jpg").write_bytes(b"")
    report = tmp_path / "báo cáo.csv"
    result = run("apply", folder, "-o", tmp_path / "out", "--report", report, "--jobs", "1", *DURING)
    assert result.exit_code == 1
    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so Excel reads UTF-8"
    with report.open(encoding="utf-8-sig", newline="") as f:
        rows = {Path(r["input"]).name: r for r in csv.DictReader(f)}
    assert rows["Nguyễn Thị Hồng.jpg"]["status code"] == "ok"
    assert rows["Nguyễn Thị Hồng.jpg"]["face"].startswith("x=")  # x=…, y=…, width …, height …
    assert rows["hỏng.jpg"]["status code"] == "error" and rows["hỏng.jpg"]["error code"] == "empty"
    assert "the file is empty (0 bytes)" in rows["hỏng.jpg"]["in words"]  # the codes, and the row in words


def test_adjust_file_corrects_one_photo_and_rerun_redoes_only_it(photos: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "framed", tmp_path / "report.jsonl"
    assert run("apply", photos, "-o", out, "--jobs", "1", *DURING).exit_code == 0
    before = (out / "grace_hopper.jpg").read_bytes()
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("file,zoom,dx,dy,face\ngrace_hopper.jpg,1.3,,0.05,\n", encoding="utf-8")
    result = run("apply", photos, "-o", out, "--adjust", fixes, "--report", report, "--jobs", "1", *DURING)
    assert result.exit_code == 0, result.output
    rows = report_rows(report)
    assert rows["grace_hopper.jpg"]["status"] == "ok"
    assert sum(r["status"] == "skipped" for r in rows.values()) == 4
    assert (out / "grace_hopper.jpg").read_bytes() != before
    # The crop is smaller by the zoom: the face is bigger in the output.
    plain = run(
        "apply",
        photos / "grace_hopper.jpg",
        "-o",
        tmp_path / "plain",
        "--report",
        tmp_path / "p.jsonl",
        "--jobs",
        "1",
        *DURING,
    )
    assert plain.exit_code == 0
    zoomed_w = rows["grace_hopper.jpg"]["crop"][2]
    plain_w = report_rows(tmp_path / "p.jsonl")["grace_hopper.jpg"]["crop"][2]
    assert zoomed_w == pytest.approx(plain_w / 1.3, abs=2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("zoom,dx\n1.2,0.1\n", "lacks the column file"),
        ("file,zoom,dx,dy,face\ngrace_hopper.jpg,big,,,\n", "line 2: zoom must be a number"),
        ("file,zoom,dx,dy,face\ngrace_hopper.jpg,9,,,\n", "zoom must be between 0.3 and 3"),
        ("file,zoom,dx,dy,face\nnobody.jpg,1.1,,,\n", "line 2: no photo in this run matches 'nobody.jpg'"),
    ],
)
def test_bad_adjust_files_are_usage_errors(photos: Path, tmp_path: Path, content: str, message: str) -> None:
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(content, encoding="utf-8")
    result = run("apply", photos, "-o", tmp_path / "out", "--adjust", fixes, "--jobs", "1", *DURING)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "out").exists()


def many_photos(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        shutil.copy(DATA / PORTRAITS[i % len(PORTRAITS)], folder / f"{i:03d}{Path(PORTRAITS[i % 5]).suffix}")
    return folder


@contextmanager
def running(args: list[str | Path], cwd: Path) -> Iterator[subprocess.Popen[str]]:
    """`framer apply ARGS` in the background, in its own process group; never left behind."""
    process = subprocess.Popen(
        [sys.executable, "-m", "framer", "apply", *map(str, args)],
        cwd=cwd,  # away from the source tree: the installed framer is what runs
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a "power cut" can take the workers too
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def wait_for_outputs(folder: Path, n: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while len(pictures(folder)) < n if folder.exists() else True:
        assert process.poll() is None, f"finished before it could be interrupted: {process.communicate()}"
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_killed_run_leaves_no_partial_picture_and_rerun_completes(tmp_path: Path) -> None:
    photos = many_photos(tmp_path / "photos", 40)
    out = tmp_path / "framed"
    args = [photos, "-o", out, "--jobs", "2", *DURING, "--size", "720"]
    with running(args, tmp_path) as process:
        wait_for_outputs(out, 4, process)
        os.killpg(process.pid, signal.SIGKILL)  # like a power cut: the parent and its workers, no clean-up
        process.wait()
    done = pictures(out)
    assert 4 <= len(done) < 40
    if system_temp().stat().st_dev == out.stat().st_dev:  # unfinished files are staged outside the output
        assert not [p for p in out.rglob("*") if p.name.endswith(".part")], "an unfinished file in the output"
    left = [p for folder in stale_staging(system_temp(), out) for p in folder.rglob("*.part")]
    assert all(p.stat().st_mode & 0o077 == 0 for p in left), "a staged portrait others can read"
    for picture in done:
        with Image.open(picture) as im:
            im.load()  # every picture that exists is whole

    again = subprocess.run(
        [sys.executable, "-m", "framer", "apply", *map(str, args)], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert f"40 photos: {40 - len(done)} framed, {len(done)} skipped." in again.stderr
    assert len(pictures(out)) == 40
    assert not [p for p in out.rglob("*.part")], "temporary files of the killed run are cleaned up"
    assert not stale_staging(system_temp(), out), "the killed run's staging folders are removed"


def test_workers_never_outlive_a_killed_run(tmp_path: Path) -> None:
    """kill -9 of the run alone (not its workers): the workers see their parent gone and end."""
    photos = many_photos(tmp_path / "photos", 40)
    out = tmp_path / "framed"
    with running([photos, "-o", out, "--jobs", "2", *DURING, "--size", "720"], tmp_path) as process:
        wait_for_outputs(out, 2, process)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)  # any process left in the run's group?
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("worker processes outlived the run they worked for")


def test_ctrl_c_stops_cleanly_with_the_summary_so_far(tmp_path: Path) -> None:
    photos = many_photos(tmp_path / "photos", 40)
    out = tmp_path / "framed"
    with running([photos, "-o", out, "--jobs", "2", *DURING, "--size", "720"], tmp_path) as process:
        wait_for_outputs(out, 3, process)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Stopped:" in stderr and "Traceback" not in stderr
    for picture in pictures(out):
        with Image.open(picture) as im:
            im.load()


def test_review_page_from_a_run_and_from_its_report(photos: Path, tmp_path: Path) -> None:
    shutil.copy(DATA / "chelsea.png", photos / "cat.png")
    report, page = tmp_path / "report.jsonl", tmp_path / "review.html"
    result = run(
        "apply", photos, "-o", tmp_path / "out", "--report", report, "--review", page, "--jobs", "1", *DURING
    )
    assert result.exit_code == 1  # the cat has no face
    assert f"Review page: {page}" in result.output
    html = page.read_text(encoding="utf-8")
    groups = re.findall(r'<section id="[^"]+" class="[^"]*" data-group="([^"]+)"', html)
    assert groups[0] == "no_face" and groups[-1] == "ok"
    assert html.count('<figure class="card') == 6

    again = run("review", report, "-o", tmp_path / "again.html")
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == html


def test_review_of_something_that_is_not_a_report(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.jsonl"
    bogus.write_text('{"hello": 1}\n', encoding="utf-8")
    result = run("review", bogus, "-o", tmp_path / "r.html")
    assert result.exit_code == 2
    assert "not a framer report" in result.output


def test_a_photo_that_kills_its_worker_does_not_stop_the_batch(photos: Path, tmp_path: Path) -> None:
    from framer.batch import plan as batch
    from framer.batch.report import Report
    from framer.frames.registry import load_frame
    from helpers import crash_on_marked_photos

    shutil.copy(DATA / "grace_hopper.jpg", photos / "crash-me.jpg")
    jobs = batch.plan([photos], tmp_path / "out", "jpg")
    report = Report(keep=True)
    batch.run(
        jobs, load_frame("dx-2023"), 360, batch.Settings(), report, workers=2, work=crash_on_marked_photos
    )
    assert report.records is not None
    by_name = {Path(r.input).name: r for r in report.records}
    assert set(by_name) == {*PORTRAITS, "crash-me.jpg"}, "every photo has exactly one record"
    assert len(report.records) == len(by_name)
    assert by_name["crash-me.jpg"].status == "error"
    assert by_name["crash-me.jpg"].error == "crashed"
    assert "crashed the image decoder" in (by_name["crash-me.jpg"].reason() or "")
    assert all(r.status == "ok" for n, r in by_name.items() if n != "crash-me.jpg")
