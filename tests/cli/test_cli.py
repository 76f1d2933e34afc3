"""The command line, as a person uses it: exit codes, messages, and the files written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from helpers import DATA, run, snapshot

DURING = ["--date", "2023-10-05", "--size", "540", "--jobs", "1"]


def size_and_format(path: Path) -> tuple[tuple[int, int], str]:
    with Image.open(path) as im:
        return im.size, im.format


def says(output: str, label: str, n: int) -> bool:
    """Whether the summary table has the row `label` with the count `n`."""
    return re.search(rf"^\s*{re.escape(label)}\s+{n}\s*$", output, re.MULTILINE) is not None


def outputs(folder: Path) -> list[str]:
    """The pictures in `folder`, not framer's hidden bookkeeping."""
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
    )


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """An agency-like folder: photos at the top and in a sub-folder."""
    root = tmp_path / "photos"
    (root / "phong-ke-toan").mkdir(parents=True)
    shutil.copy(DATA / "grace_hopper.jpg", root / "hopper.jpg")
    shutil.copy(DATA / "astronaut.png", root / "phong-ke-toan" / "collins.png")
    shutil.copy(DATA / "hopper_exif6.jpg", root / "phong-ke-toan" / "sideways.jpg")
    return root


def test_one_photo_is_written_beside_it(tmp_path: Path) -> None:
    photo = tmp_path / "me.jpg"
    shutil.copy(DATA / "grace_hopper.jpg", photo)
    result = run("apply", photo, *DURING)
    assert result.exit_code == 0, result.output
    out = tmp_path / "me-framed.jpg"
    assert size_and_format(out) == ((540, 540), "JPEG")
    assert "Today is day 5 of 10" in result.output
    assert f"Wrote {out}" in result.output


def test_folder_keeps_its_sub_folders_and_inputs_are_untouched(photos: Path, tmp_path: Path) -> None:
    before = snapshot(photos)
    result = run("apply", photos, "-o", tmp_path / "framed", *DURING)
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path / "framed") == [
        "hopper.jpg",
        "phong-ke-toan/collins.jpg",
        "phong-ke-toan/sideways.jpg",
    ]
    assert snapshot(photos) == before
    assert "3 photos: 3 framed." in result.output


def test_folder_without_output_dir_is_mirrored_beside_it(photos: Path) -> None:
    result = run("apply", photos, *DURING)
    assert result.exit_code == 0, result.output
    assert (photos.parent / "photos-framed" / "phong-ke-toan" / "collins.jpg").is_file()


@pytest.mark.parametrize("fmt", ["png", "webp"])
def test_output_format(photos: Path, tmp_path: Path, fmt: str) -> None:
    result = run("apply", photos / "hopper.jpg", "-o", tmp_path / "out", "--format", fmt, *DURING)
    assert result.exit_code == 0, result.output
    assert size_and_format(tmp_path / "out" / f"hopper.{fmt}")[1] == fmt.upper()


def test_existing_outputs_are_kept_unless_overwrite(photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "framed"
    assert run("apply", photos, "-o", out, *DURING).exit_code == 0
    (out / "hopper.jpg").write_bytes(b"keep me")
    again = run("apply", photos, "-o", out, *DURING)
    assert again.exit_code == 1  # one photo was not framed: it needs a look
    assert (out / "hopper.jpg").read_bytes() == b"keep me"
    assert says(again.output, "skipped, up to date (already framed with these settings)", 2)
    assert says(again.output, "skipped, another file is in the way (--overwrite replaces it)", 1)
    forced = run("apply", photos, "-o", out, "--overwrite", *DURING)
    assert forced.exit_code == 0
    assert size_and_format(out / "hopper.jpg")[0] == (540, 540)


def test_report_has_one_json_line_per_input(photos: Path, tmp_path: Path) -> None:
    (photos / "cat.png").write_bytes((DATA / "chelsea.png").read_bytes())
    (photos / "broken.jpg").write_bytes(b"not really a jpeg")
    report = tmp_path / "report.jsonl"
    result = run("apply", photos, "-o", tmp_path / "framed", "--report", report, *DURING)
    assert result.exit_code == 1, result.output
    rows = {
        Path(r["input"]).name: r for r in map(json.loads, report.read_text(encoding="utf-8").splitlines())
    }
    assert set(rows) == {"hopper.jpg", "collins.png", "sideways.jpg", "cat.png", "broken.jpg"}
    for row in rows.values():
        assert set(row) == {
            "input",
            "output",
            "status",
            "faces",
            "face",
            "crop",
            "warnings",
            "error",
            "campaign",
            "made_from",
            "details",
            "face_number",
            "invented",
            "face_boxes",
        }
        assert row["campaign"] == {"start": "2023-10-01", "end": "2023-10-10", "timezone": "Asia/Ho_Chi_Minh"}
    hopper = rows["hopper.jpg"]
    assert hopper["status"] == "ok" and hopper["faces"] == 1 and hopper["error"] is None
    x, y, w, _ = hopper["face"]
    assert 150 < x < 210 and 100 < y < 150 and 150 < w < 210  # Grace Hopper's face, in her photo's pixels
    sideways = rows["sideways.jpg"]
    assert sideways["face"][2] < sideways["face"][3] * 1.2 and sideways["face"][1] < 300  # upright pixels
    assert rows["cat.png"]["status"] == "no_face" and rows["cat.png"]["face"] is None
    assert rows["broken.jpg"]["status"] == "error" and rows["broken.jpg"]["error"] == "not_an_image"
    assert rows["broken.jpg"]["output"] is None  # a photo that failed has no output to name
    assert "broken.jpg: not an image" in result.output
    assert re.search(r"no face found: framed from the top centre\s+1", result.output), result.output
    assert says(result.output, "failed", 1) and says(result.output, "framed, no face found (please check)", 1)
    assert "5 photos: 3 framed, 1 framed without a face found, 1 failed." in result.output


def test_after_the_campaign_it_refuses_with_exit_3(photos: Path, tmp_path: Path) -> None:
    result = run("apply", photos, "-o", tmp_path / "framed", "--date", "2023-10-11")
    assert result.exit_code == 3
    assert "2023-10-01 to 2023-10-10" in result.output and "--ignore-window" in result.output
    assert not (tmp_path / "framed").exists()
    anyway = run(
        "apply",
        photos / "hopper.jpg",
        "-o",
        tmp_path / "framed",
        "--date",
        "2023-10-11",
        "--ignore-window",
        "--size",
        "540",
    )
    assert anyway.exit_code == 0, anyway.output


def test_before_the_campaign_it_frames_and_says_when_to_publish(photos: Path, tmp_path: Path) -> None:
    result = run("apply", photos / "hopper.jpg", "-o", tmp_path, "--date", "2023-09-25", "--size", "540")
    assert result.exit_code == 0
    assert "starts in 6 days" in result.output and "from 2023-10-01" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shift", "0.1"], "two numbers separated by a comma"),
        (["--zoom", "9"], "--zoom"),
        (["--format", "gif"], "--format"),
        (["--date", "10/10/2023"], "--date"),
        (["--frame", "nope"], "No frame named 'nope'"),
    ],
)
def test_bad_arguments_are_usage_errors(photos: Path, args: list[str], message: str) -> None:
    result = run("apply", photos / "hopper.jpg", *DURING, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_nudges_are_for_one_photo(photos: Path) -> None:
    result = run("apply", photos, "--zoom", "1.2", *DURING)
    assert result.exit_code == 2
    assert "apply to one photo; for several, use --adjust" in result.output


def test_output_never_replaces_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", folder / "a.jpg")
    before = snapshot(folder)
    result = run("apply", folder, "-o", folder, "--overwrite", *DURING)
    assert result.exit_code == 1
    assert "would replace an input" in result.output
    assert snapshot(folder) == before


def test_same_stem_inputs_do_not_clash(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", folder / "a.jpg")
    shutil.copy(DATA / "astronaut.png", folder / "a.png")
    result = run("apply", folder, "-o", tmp_path / "out", *DURING)
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path / "out") == ["a.jpg.jpg", "a.png.jpg"]


def test_outputs_inside_the_input_folder_are_not_taken_as_inputs(photos: Path) -> None:
    first = run("apply", photos, "-o", photos / "framed", *DURING)
    assert first.exit_code == 0 and "3 photos: 3 framed." in first.output
    second = run("apply", photos, "-o", photos / "framed", *DURING)
    assert says(second.output, "skipped, up to date (already framed with these settings)", 3)


def test_every_command_has_help_with_an_example() -> None:
    for args in ([], ["apply"]):
        result = run(*args, "--help")
        assert result.exit_code == 0
        assert "framer apply" in result.output


def test_help_and_version_do_not_load_opencv_or_numpy(tmp_path: Path) -> None:
    code = (
        "import sys; from framer.cli.main import cli\n"
        "try: cli(['--version'])\nexcept SystemExit: pass\n"
        "assert 'cv2' not in sys.modules and 'numpy' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=tmp_path)


def test_the_process_that_plans_a_batch_does_not_load_opencv_or_numpy(photos: Path, tmp_path: Path) -> None:
    """Only the workers touch pixels: the planning process stays small and starts fast, even when it
    checks a report and a review page it will write (their modules must not pull the pixel code in)."""
    out = tmp_path / "out"
    args = ["apply", str(photos), "-o", str(out), *DURING, "--jobs", "2", "-q"]  # the last --jobs wins
    args += ["--report", str(tmp_path / "r.jsonl"), "--review", str(tmp_path / "review.html")]
    code = (
        "import sys; from framer.cli.main import cli\n"
        f"try: cli({args!r})\nexcept SystemExit as e: assert not e.code, e.code\n"
        "loaded = [m for m in ('cv2', 'numpy', 'simplejpeg') if m in sys.modules]\n"
        "assert not loaded, loaded"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(list(out.rglob("*.jpg"))) == 3


def test_python_dash_m_framer_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "framer", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0 and "framer" in done.stdout
