"""Trust: nothing lost, nothing overwritten, nothing let in, nothing hangs (the batch's side).

Each test is one class of failure an adversarial tester found; each failed on the code before the fix.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framer.batch import journal
from framer.batch.names import folded
from framer.batch.plan import distinct_outputs
from framer.batch.tasks import Job, preview_path
from helpers import DATA, ROOT, error_lines, run, snapshot, stale_staging

DURING = ["--date", "2023-10-05", "--size", "360", "--jobs", "1"]


def rows(report: Path) -> list[dict]:
    return [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]


def by_name(report: Path) -> dict[str, dict]:
    return {Path(r["input"]).name: r for r in rows(report)}


def pictures(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name[0] != ".")


def framer(*args: str | Path, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "framer", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


# 1. Two inputs, one output name


def test_inputs_with_one_name_get_distinct_outputs_whatever_the_order(tmp_path: Path) -> None:
    p = tmp_path / "p"
    (p / "a").mkdir(parents=True)
    (p / "b").mkdir()
    for name, photo in [
        ("an.jpg", "grace_hopper.jpg"),
        ("an.JPG", "hopper_gray.jpg"),
        ("an.png", "astronaut.png"),
    ]:
        shutil.copy(DATA / photo, p / name)
    shutil.copy(DATA / "grace_hopper.jpg", p / "a" / "an.jpg")
    shutil.copy(DATA / "astronaut.png", p / "b" / "an.jpg")
    out, report = tmp_path / "out", tmp_path / "r.jsonl"
    given = [p / "an.jpg", p / "an.JPG", p / "an.png", p / "a" / "an.jpg", p / "b" / "an.jpg"]

    first = run("apply", *given, "-o", out, "--report", report, *DURING)
    assert first.exit_code == 0, first.output
    names = [r["output"] for r in rows(report)]
    assert len({n.casefold() for n in names}) == 5, names  # distinct even where case does not count
    assert all(Path(n).is_file() for n in names)
    assert all("renamed" in r["warnings"] for r in rows(report))
    made = {r["input"]: r["output"] for r in rows(report)}

    shutil.rmtree(out)
    again = run("apply", *reversed(given), "-o", out, "--report", report, *DURING)
    assert again.exit_code == 0, again.output
    assert {r["input"]: r["output"] for r in rows(report)} == made  # the same names in any order

    typed_otherwise = [given[3].resolve(), Path(os.path.relpath(given[4])), *given[:3]]
    assert run("apply", *typed_otherwise, "-o", out, "--report", report, *DURING).exit_code == 0
    assert {os.path.realpath(r["input"]): r["output"] for r in rows(report)} == {
        os.path.realpath(k): v for k, v in made.items()
    }  # however the paths are typed

    third = run("apply", *given, "-o", out, "--report", report, *DURING)
    assert "5 photos: 5 skipped." in third.output
    assert {r["warnings"][-1] for r in rows(report)} == {"up_to_date"}


name_part = st.sampled_from(["an", "AN", "An", "a\u0301nh", "\u00e1nh", "x", "an.avatar176", "an-2.jpg"])
extension = st.sampled_from([".jpg", ".JPG", ".png", ".jpeg", ".webp"])
photo_paths = st.lists(
    st.tuples(st.sampled_from(["", "a/", "b/", "A/"]), name_part, extension).map("".join),
    min_size=1,
    max_size=12,
    unique=True,
)


@given(photo_paths, st.booleans(), st.sampled_from(["jpg", "png"]), st.randoms(use_true_random=False))
def test_output_names_are_distinct_and_the_same_in_any_order(
    paths: list[str], preview: bool, fmt: str, rnd: random.Random
) -> None:
    """Property: whatever the inputs, no two files written share a name (as Windows or macOS compare
    names), and the names do not depend on the order the inputs were given in."""
    root = Path("/out")

    def named(order: list[str]) -> dict[str, Path]:
        jobs = [Job(Path("/in", p), root / Path(p).parent / f"{Path(p).stem}.{fmt}", root) for p in order]
        return {str(j.source): j.output for j in distinct_outputs(jobs, fmt, preview)}

    first = named(paths)
    written = [o for o in first.values()] + ([preview_path(o) for o in first.values()] if preview else [])
    assert len({folded(w) for w in written}) == len(written)
    shuffled = paths[:]
    rnd.shuffle(shuffled)
    assert named(shuffled) == first


# 2. The journal trusts only the files framer placed


def test_a_write_that_failed_is_never_taken_for_framers_work(tmp_path: Path) -> None:
    p, out, report = tmp_path / "p", tmp_path / "out", tmp_path / "r.jsonl"
    p.mkdir()
    out.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    (out / "an.jpg").symlink_to(tmp_path / "nowhere.jpg")  # dangling: the output cannot be placed there
    blocked = run("apply", p, "-o", out, "--report", report, "--quality", "70", *DURING)
    assert blocked.exit_code == 1, blocked.output  # not framed: it needs a look (issue 20)
    assert by_name(report)["an.jpg"]["warnings"] == ["output_exists"]
    assert not (tmp_path / "nowhere.jpg").exists()

    (out / "an.jpg").unlink()
    (out / "an.jpg").write_text("my notes", encoding="utf-8")  # someone else's file now stands there
    again = run("apply", p, "-o", out, "--report", report, "--quality", "70", *DURING)
    assert by_name(report)["an.jpg"]["warnings"] == ["output_exists"], again.output
    assert (out / "an.jpg").read_text(encoding="utf-8") == "my notes"


def test_an_output_changed_by_hand_is_no_longer_framers(tmp_path: Path) -> None:
    p, out, report = tmp_path / "p", tmp_path / "out", tmp_path / "r.jsonl"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    assert run("apply", p, "-o", out, *DURING).exit_code == 0
    edited = (out / "an.jpg").read_bytes()[:-10] + b"0123456789"  # the same size, retouched
    st = (out / "an.jpg").stat()
    (out / "an.jpg").write_bytes(edited)
    os.utime(out / "an.jpg", ns=(st.st_atime_ns, st.st_mtime_ns))
    run("apply", p, "-o", out, "--quality", "80", "--report", report, *DURING)
    assert by_name(report)["an.jpg"]["warnings"] == ["output_exists"]
    assert (out / "an.jpg").read_bytes() == edited


def test_a_copied_output_folder_is_still_framers(tmp_path: Path) -> None:
    p, out, report = tmp_path / "p", tmp_path / "out", tmp_path / "r.jsonl"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    assert run("apply", p, "-o", out, *DURING).exit_code == 0
    shutil.copytree(out, tmp_path / "copy")  # new inodes and times, the same bytes
    run("apply", p, "-o", tmp_path / "copy", "--report", report, *DURING)
    assert by_name(report)["an.jpg"]["warnings"][-1] == "up_to_date"


# 3. Previews follow the outputs' rules


def test_a_preview_never_replaces_a_file_framer_did_not_write(tmp_path: Path) -> None:
    me = tmp_path / "me.jpg"
    shutil.copy(DATA / "grace_hopper.jpg", me)
    mine = tmp_path / "me-framed.avatar176.png"
    mine.write_bytes((DATA / "chelsea.png").read_bytes())
    result = run("apply", me, "--preview", *DURING)
    assert result.exit_code == 0, result.output
    assert mine.read_bytes() == (DATA / "chelsea.png").read_bytes()
    assert (tmp_path / "me-framed.jpg").is_file()
    assert "preview" in result.output


def test_a_preview_never_replaces_an_input(tmp_path: Path) -> None:
    p = tmp_path / "p"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.png")
    shutil.copy(DATA / "chelsea.png", p / "an.avatar176.png")  # a photo that is named like a preview
    before = snapshot(p)
    result = run("apply", p, "-o", p, "--preview", "--overwrite", *DURING)
    assert "would replace an input" in result.output
    assert {k: v for k, v in snapshot(p).items() if k in before} == before


def test_previews_are_journaled_and_redone_with_their_output(tmp_path: Path) -> None:
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    assert run("apply", p, "-o", out, "--preview", *DURING).exit_code == 0
    first = (out / "an.avatar176.png").stat().st_ino
    redo = run("apply", p, "-o", out, "--preview", "--quality", "60", *DURING)
    assert "1 photo: 1 framed." in redo.output, redo.output  # framer's own preview is replaced, no fuss
    assert (out / "an.avatar176.png").stat().st_ino != first
    entries = [json.loads(line)["output"] for line in (out / journal.JOURNAL_NAME).read_text().splitlines()]
    assert sorted(set(entries)) == ["an.avatar176.png", "an.jpg"]


# 4. Reports and review pages never replace what they must not


@pytest.fixture
def agency(tmp_path: Path) -> Path:
    p = tmp_path / "p"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "smith.jpg")
    shutil.copy(DATA / "astronaut.png", p / "jones.png")
    (tmp_path / "fixes.csv").write_text("file,zoom,dx,dy,face\nsmith.jpg,1.1,,,\n", encoding="utf-8")
    (tmp_path / "elsewhere.jpg").write_bytes((DATA / "hopper_gray.jpg").read_bytes())
    (tmp_path / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (tmp_path / "other").mkdir()  # another output folder's journal
    (tmp_path / "other" / ".framer-journal.jsonl").write_text('{"output": "x.jpg"}\n', encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.csv")
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "target.jsonl")
    (tmp_path / "target.jsonl").write_text("precious\n", encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("option", "target", "says"),
    [
        ("--report", "p/smith.jpg", "is an input photo"),
        ("--review", "p/smith.jpg", "is an input photo"),
        ("--report", "fixes.csv", "is the adjust file"),
        ("--review", "fixes.csv", "is the adjust file"),
        ("--report", "out/smith.jpg", "is an output of this run"),
        ("--report", "out/.framer-journal.jsonl", "keeps its own records"),
        ("--report", "other/.framer-journal.jsonl", "keeps its own records"),
        ("--report", "elsewhere.jpg", "framer did not write it"),
        ("--review", "notes.txt", "framer did not write it"),
        ("--report", "link.jsonl", "symbolic link"),
        ("--review", "fifo.csv", "not a regular file"),
        ("--report", "nowhere/r.jsonl", "does not exist"),
    ],
)
def test_side_files_never_replace_what_framer_must_not_touch(
    agency: Path, tmp_path: Path, option: str, target: str, says: str
) -> None:
    root = tmp_path
    before = snapshot(root)
    extra = ["--adjust", root / "fixes.csv"]
    result = run("apply", agency, "-o", root / "out", option, root / target, *extra, *DURING)
    assert result.exit_code == 2, result.output
    assert len(error_lines(result)) == 1 and says in error_lines(result)[0], result.output
    assert "Traceback" not in result.output
    assert {k: v for k, v in snapshot(root).items() if not k.startswith("out")} == before
    assert pictures(root / "out") == []  # refused before any work


def test_report_and_review_cannot_be_one_file(agency: Path, tmp_path: Path) -> None:
    both = tmp_path / "both.html"
    result = run("apply", agency, "-o", tmp_path / "out", "--report", both, "--review", both, *DURING)
    assert result.exit_code == 2 and "is the report (--report)" in result.output


def test_review_page_never_replaces_the_report_or_a_photo(agency: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.jsonl"
    assert run("apply", agency, "-o", tmp_path / "out", "--report", report, *DURING).exit_code == 0
    before = snapshot(tmp_path)
    for target in (report, agency / "smith.jpg", tmp_path / "out" / "smith.jpg", tmp_path / "link.jsonl"):
        result = run("review", report, "-o", target)
        assert result.exit_code == 2 and len(error_lines(result)) == 1, result.output
    assert snapshot(tmp_path) == before


def test_a_report_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    """A report is written atomically: the old one stays until the new one is complete."""
    p, report = tmp_path / "p", tmp_path / "r.jsonl"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    assert run("apply", p, "-o", tmp_path / "out", "--report", report, *DURING).exit_code == 0
    inode = report.stat().st_ino
    run("apply", p, "-o", tmp_path / "out", "--report", report, *DURING)
    assert report.stat().st_ino != inode  # a new file moved into place, not the old one truncated
    assert len(rows(report)) == 1


# 5. One department's run never replaces another's


def test_an_output_framed_from_another_photo_is_never_replaced(tmp_path: Path) -> None:
    for department, photo in [("ke-toan", "grace_hopper.jpg"), ("nhan-su", "astronaut.png")]:
        (tmp_path / department).mkdir()
        shutil.copy(DATA / photo, tmp_path / department / "an.jpg")
    shared, report = tmp_path / "chung", tmp_path / "r.jsonl"
    assert run("apply", tmp_path / "ke-toan", "-o", shared, *DURING).exit_code == 0
    first = (shared / "an.jpg").read_bytes()

    second = run("apply", tmp_path / "nhan-su", "-o", shared, "--report", report, *DURING)
    assert second.exit_code == 1, second.output  # a photo was not framed: it needs a look
    assert (shared / "an.jpg").read_bytes() == first
    row = by_name(report)["an.jpg"]
    assert row["status"] == "skipped" and row["warnings"] == ["made_from_other_photo"]
    assert row["made_from"] == os.path.realpath(tmp_path / "ke-toan" / "an.jpg")
    assert "ke-toan" in second.output and "framed from another photo" in second.output

    forced = run("apply", tmp_path / "nhan-su", "-o", shared, "--overwrite", *DURING)
    assert forced.exit_code == 0 and (shared / "an.jpg").read_bytes() != first


def test_a_renamed_input_folder_still_owns_its_outputs(tmp_path: Path) -> None:
    old, out, report = tmp_path / "ke-toan", tmp_path / "chung", tmp_path / "r.jsonl"
    old.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", old / "an.jpg")
    assert run("apply", old, "-o", out, *DURING).exit_code == 0
    new = old.rename(tmp_path / "phong-ke-toan")  # the same files, moved: their inodes stay
    again = run("apply", new, "-o", out, "--report", report, *DURING)
    assert again.exit_code == 0, again.output
    assert by_name(report)["an.jpg"]["status"] in ("ok", "skipped")
    assert "made_from_other_photo" not in by_name(report)["an.jpg"]["warnings"]


# 6. A photo changed in place is noticed


def test_a_photo_swapped_in_place_with_its_time_restored_is_redone(tmp_path: Path) -> None:
    p, out, report = tmp_path / "p", tmp_path / "out", tmp_path / "r.jsonl"
    p.mkdir()
    one, two = (DATA / "grace_hopper.jpg").read_bytes(), (DATA / "hopper_gray.jpg").read_bytes()
    size = max(len(one), len(two))
    one, two = one.ljust(size, b"\0"), two.ljust(size, b"\0")  # JPEG ignores what follows its end
    photo = p / "an.jpg"
    photo.write_bytes(one)
    assert run("apply", p, "-o", out, *DURING).exit_code == 0
    framed = (out / "an.jpg").read_bytes()
    st = photo.stat()
    photo.write_bytes(two)
    os.utime(photo, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert photo.stat().st_size == st.st_size and photo.stat().st_mtime_ns == st.st_mtime_ns

    again = run("apply", p, "-o", out, "--report", report, *DURING)
    assert by_name(report)["an.jpg"]["status"] == "ok", again.output
    assert (out / "an.jpg").read_bytes() != framed


# 7. A torn journal is repaired, and flushed to disk


@pytest.mark.parametrize("cut", [2, 20, 120, 200])  # past 200, the file's identity is torn off too
def test_a_torn_journal_tail_is_repaired(tmp_path: Path, cut: int) -> None:
    p, out, report = tmp_path / "p", tmp_path / "out", tmp_path / "r.jsonl"
    p.mkdir()
    for name in ("a.jpg", "b.jpg"):
        shutil.copy(DATA / "grace_hopper.jpg", p / name)
    assert run("apply", p, "-o", out, *DURING).exit_code == 0
    path = out / journal.JOURNAL_NAME
    path.write_bytes(path.read_bytes()[:-cut])  # a power cut in the middle of the last line

    again = run("apply", p, "-o", out, "--quality", "70", "--report", report, *DURING)
    assert again.exit_code == 0, again.output
    assert {r["status"] for r in rows(report)} == {"ok"}, again.output  # both redone, none stuck
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sorted({json.loads(line)["output"] for line in lines}) == ["a.jpg", "b.jpg"]  # every line whole
    third = run("apply", p, "-o", out, "--quality", "70", *DURING)
    assert "2 photos: 2 skipped." in third.output


def test_journal_lines_are_flushed_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    path = tmp_path / journal.JOURNAL_NAME
    journal.append(path, '{"output": "x"}\n')
    assert synced, "the journal line was not flushed to disk"


# 8. Two runs at once into one folder


def test_a_second_run_into_a_busy_folder_stops_and_names_the_first(tmp_path: Path) -> None:
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    out.mkdir()
    report = tmp_path / "r.jsonl"
    report.write_text('{"input": "kept.jpg", "status": "ok"}\n', encoding="utf-8")  # an earlier run's
    with journal.folder_lock(out):
        result = framer("apply", p, "-o", out, "--report", report, *DURING)
    assert result.returncode == 2, result.stderr
    assert report.read_text(encoding="utf-8") == '{"input": "kept.jpg", "status": "ok"}\n'  # left as it was
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert f"process {os.getpid()} on" in line and str(out) in line
    assert pictures(out) == []
    assert run("apply", p, "-o", out, *DURING).exit_code == 0  # the lock went with its holder


def test_two_runs_at_once_never_fail_a_photo_nor_lie(tmp_path: Path) -> None:
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    for i in range(12):
        shutil.copy(DATA / "grace_hopper.jpg", p / f"{i:02d}.jpg")
    args = [sys.executable, "-m", "framer", "apply", str(p), "-o", str(out), *DURING]
    runs = [subprocess.Popen(args, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(r.wait(timeout=120), r.communicate()[1]) for r in runs]
    assert sorted(code for code, _ in results) in ([0, 0], [0, 2]), results
    for code, stderr in results:
        assert "Traceback" not in stderr and "already exists" not in stderr
        if code == 2:
            assert "Another framer run is writing into" in stderr
    final = framer("apply", p, "-o", out, *DURING)
    assert "12 photos: 12 skipped." in final.stderr


# 11. Never through a link


def test_a_symlinked_journal_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    p, out, target = tmp_path / "p", tmp_path / "out", tmp_path / "target.txt"
    p.mkdir()
    out.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    target.write_text("precious\n", encoding="utf-8")
    (out / journal.JOURNAL_NAME).symlink_to(target)
    result = run("apply", p, "-o", out, *DURING)
    assert result.exit_code == 2 and "symbolic link" in result.output, result.output
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert pictures(out) == []


def test_a_symlinked_lock_or_subfolder_leads_nowhere(tmp_path: Path) -> None:
    p, out, outside = tmp_path / "p", tmp_path / "out", tmp_path / "outside"
    (p / "sub").mkdir(parents=True)
    outside.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "sub" / "an.jpg")
    out.mkdir()
    (out / "sub").symlink_to(outside)  # planted: would lead the output out of the folder
    result = run("apply", p, "-o", out, *DURING)
    assert result.exit_code == 1 and "leads outside" in result.output, result.output
    assert list(outside.iterdir()) == []

    (out / "sub").unlink()
    (out / journal.LOCK_NAME).symlink_to(tmp_path / "lock-target")
    result = run("apply", p, "-o", out, *DURING)
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert not (tmp_path / "lock-target").exists()


# 12. Staging files are private and cleaned up


def test_a_staged_file_is_private_until_it_has_its_name(tmp_path: Path) -> None:
    from framer.files import write_atomic

    seen: list[int] = []
    target = tmp_path / "out.jpg"
    write_atomic(target, b"portrait", overwrite=False, before_place=lambda st: seen.append(st.st_mode))
    assert [mode & 0o777 for mode in seen] == [0o600]
    assert target.stat().st_mode & 0o777 == 0o666 & ~current_umask()
    assert target.stat().st_nlink == 1  # the staged name is gone


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_what_a_killed_run_left_in_staging_is_removed_by_the_next(tmp_path: Path) -> None:
    from framer.files import STAGING_PREFIX, system_temp

    leaves = (
        "import os, sys; from pathlib import Path; from framer import files;"
        "d = files.staging_dir(Path(sys.argv[1])); (d / 'part-x.part').write_bytes(b'portrait'); os._exit(9)"
    )
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run([sys.executable, "-c", leaves, str(out)], check=False)
    assert stale_staging(system_temp(), out), "the killed process left nothing to clean"
    p = tmp_path / "p"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    assert framer("apply", p, "-o", out, *DURING).returncode == 0
    assert not stale_staging(system_temp(), out)
    assert not list(out.glob(STAGING_PREFIX + "*"))


# 14. Nothing hangs on a pipe


def test_a_pipe_named_like_a_photo_never_hangs_the_batch(tmp_path: Path) -> None:
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    os.mkfifo(p / "x.jpg")
    os.mkfifo(tmp_path / "given.jpg")
    result = framer("apply", p, tmp_path / "given.jpg", "-o", out, *DURING, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "given.jpg: not a regular file" in result.stderr
    assert "x.jpg" not in result.stderr  # in a folder, a pipe is not a photo: passed over like a hidden file
    assert pictures(out) == ["an.jpg"]


def test_a_pipe_given_as_the_adjust_file_never_hangs(tmp_path: Path) -> None:
    p = tmp_path / "p"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    os.mkfifo(tmp_path / "fixes.csv")
    result = framer(
        "apply", p, "-o", tmp_path / "out", "--adjust", tmp_path / "fixes.csv", *DURING, timeout=60
    )
    assert result.returncode == 2 and "not a regular file" in result.stderr, result.stderr


# 15. Names that are not UTF-8


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names there are always Unicode")
def test_a_name_that_is_not_utf8_is_framed_shown_and_leads_back(tmp_path: Path) -> None:
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    raw = b"Nguy\xe1n\xff.jpg"
    shutil.copy(DATA / "grace_hopper.jpg", os.path.join(os.fsencode(p), raw))
    report, csv, review = tmp_path / "r.jsonl", tmp_path / "r.csv", tmp_path / "r.html"
    result = run("apply", p, "-o", out, "--report", report, "--review", review, *DURING)
    assert result.exit_code == 0, result.output
    assert "unexpected" not in result.output
    (row,) = rows(report)
    assert row["status"] == "ok"
    assert os.path.basename(os.fsencode(row["input"])) == raw  # the report leads back to the very file
    assert os.path.isfile(os.fsencode(row["output"]))
    assert "Nguy\\xe1n\\xff.jpg" in review.read_text(encoding="utf-8")  # legible, and the page is written

    shutil.rmtree(out)
    result = run("apply", p, "-o", out, "--report", csv, *DURING)
    assert result.exit_code == 0, result.output
    assert "Nguy\\xe1n\\xff.jpg" in csv.read_text(encoding="utf-8-sig")


# 16. A journal framer cannot read


def test_a_journal_with_bytes_that_are_not_utf8_is_read_past(tmp_path: Path) -> None:
    p, out, report = tmp_path / "p", tmp_path / "out", tmp_path / "r.jsonl"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    out.mkdir()
    (out / journal.JOURNAL_NAME).write_bytes(b'\xff\xfe{"output": "an.jpg"\xff}\n\x00garbage\n')
    result = run("apply", p, "-o", out, "--report", report, *DURING)
    assert result.exit_code == 0, result.output
    assert by_name(report)["an.jpg"]["status"] == "ok"


def test_a_folder_where_the_journal_goes_is_one_clear_error(tmp_path: Path) -> None:
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    (out / journal.JOURNAL_NAME).mkdir(parents=True)
    result = run("apply", p, "-o", out, *DURING)
    assert result.exit_code == 2 and len(error_lines(result)) == 1, result.output
    assert "journal" in error_lines(result)[0] and "Traceback" not in result.output


# 17. `.`, `..` and `/`


def test_the_current_folder_is_mirrored_beside_itself(tmp_path: Path) -> None:
    here = tmp_path / "van-phong"
    here.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", here / "an.jpg")
    result = framer("apply", ".", *DURING, cwd=here)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "van-phong-framed" / "an.jpg").is_file()
    inner = here / "sub"
    inner.mkdir()
    result = framer("apply", "..", "-q", *DURING, cwd=inner)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "van-phong-framed" / "an.jpg").is_file()


def test_the_root_folder_without_an_output_folder_is_one_clear_error() -> None:
    result = run("apply", "/", *DURING)
    assert result.exit_code == 2 and len(error_lines(result)) == 1, result.output
    assert "-o" in error_lines(result)[0]


# 18. Paths that cannot be written: one line, before any work


def test_an_output_folder_under_a_file_is_one_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "p"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    for target in (tmp_path / "afile" / "sub", tmp_path / "afile"):
        result = run("apply", p, "-o", target, *DURING)
        assert result.exit_code == 2 and len(error_lines(result)) == 1, result.output
        assert "Traceback" not in result.output


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_report_folder_is_one_clear_error(tmp_path: Path) -> None:
    p, locked = tmp_path / "p", tmp_path / "locked"
    p.mkdir()
    locked.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    locked.chmod(0o555)
    try:
        result = run("apply", p, "-o", tmp_path / "out", "--report", locked / "r.jsonl", *DURING)
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2 and "not writable" in result.output
    assert pictures(tmp_path / "out") == []


def test_a_run_leaves_only_its_journal_behind(tmp_path: Path) -> None:
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "an.jpg")
    assert run("apply", p, "-o", out, *DURING).exit_code == 0
    assert sorted(x.name for x in out.iterdir()) == [journal.JOURNAL_NAME, "an.jpg"]


# 7, 16 again: what a power cut, a killed run or plain garbage leaves in a journal


def test_a_run_killed_as_it_replaced_an_output_leaves_the_old_one_framers(tmp_path: Path) -> None:
    """The line of a replacement that never took place comes last; the file there is still the one an
    earlier line describes, so it is still framer's."""
    p, out, report = tmp_path / "p", tmp_path / "out", tmp_path / "r.jsonl"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "a.jpg")
    assert run("apply", p, "-o", out, *DURING).exit_code == 0
    path = out / journal.JOURNAL_NAME
    (line,) = path.read_text(encoding="utf-8").splitlines()
    never_placed = json.loads(line) | {"file": [1234, 5678, 9], "sha256": "0" * 64, "key": "other"}
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(never_placed) + "\n")
    run("apply", p, "-o", out, "--report", report, *DURING)
    assert rows(report)[0]["warnings"][-1] == "up_to_date"


REST = b', "source": "x", "input": [1, 2, 3, 4], "key": "k", "file": [1, 2, 3], "sha256": "s"}'


@pytest.mark.parametrize(
    "garbage",
    [
        b"{" * 3_000_000,
        b'{"a":1,' * 300_000,
        b'{"a":' * 200_000,
        b'{"output": "a\\u0000.jpg"' + REST,
        b'{"output": "a\\ud800.jpg"' + REST,
        b'{"output": "../../etc/passwd"' + REST,
    ],
    ids=["braces", "objects", "nesting", "nul", "surrogate", "outside"],
)
def test_garbage_in_a_journal_never_hangs_nor_crashes_a_run(tmp_path: Path, garbage: bytes) -> None:
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "a.jpg")
    assert run("apply", p, "-o", out, *DURING).exit_code == 0
    with (out / journal.JOURNAL_NAME).open("ab") as f:
        f.write(garbage + b"\n")
    shutil.copytree(out, p / "old-out")  # the same journal inside the photos: walked as inputs too
    again = framer("apply", p, "-o", out, *DURING, timeout=60)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr and "1 photo: 1 skipped." in again.stderr


def test_a_journal_shared_through_a_hard_link_is_never_written_through(tmp_path: Path) -> None:
    p, one, two = tmp_path / "p", tmp_path / "o1", tmp_path / "o2"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "a.jpg")
    assert run("apply", p, "-o", one, *DURING).exit_code == 0
    two.mkdir()
    for f in one.iterdir():  # a cp -al snapshot: the same files under another folder
        os.link(f, two / f.name)
    before = (one / journal.JOURNAL_NAME).read_bytes()
    shutil.copy(DATA / "astronaut.png", p / "c.png")
    assert run("apply", p, "-o", two, *DURING).exit_code == 0
    assert (one / journal.JOURNAL_NAME).read_bytes() == before


def test_a_write_that_could_not_take_its_name_is_taken_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from framer import files
    from framer.errors import OutputError

    def someone_was_faster(tmp: Path, path: Path, overwrite: bool) -> None:
        path.write_text("user notes", encoding="utf-8")
        raise OutputError("output_appeared", path=str(path))

    monkeypatch.setattr(files, "_place", someone_was_faster)
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "a.jpg")
    run("apply", p, "-o", out, *DURING)
    monkeypatch.undo()
    assert journal.Journal(out).entries == {}  # nothing claims the user's file
    assert (out / "a.jpg").read_text(encoding="utf-8") == "user notes"


def test_side_files_of_earlier_runs_are_replaced_and_nothing_else(tmp_path: Path) -> None:
    """framer replaces its own report, review page, calendar and check preview, and refuses a user's
    photo or note, another frame's files, and any journal, whoever asks (apply, review, remind, frames
    check), from wherever it is run."""
    p, out = tmp_path / "p", tmp_path / "out"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "a.jpg")
    (p / "broken.jpg").write_text("the user's damaged original", encoding="utf-8")
    report, review = tmp_path / "r.jsonl", tmp_path / "r.html"
    for _ in range(2):  # the second time, each replaces what the first wrote
        assert run("apply", p, "-o", out, "--report", report, "--review", review, *DURING).exit_code == 1
        assert run("review", report, "-o", review).exit_code == 0
        assert run("remind", "-o", tmp_path / "cal.ics", "--ignore-window").exit_code == 0
        assert run("frames", "check", "dx-2023", "-o", tmp_path / "check.png").exit_code == 0
    (tmp_path / "sub").mkdir()
    foreign = [p / "broken.jpg", p / "a.jpg", out / journal.JOURNAL_NAME, tmp_path / "notes.txt"]
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(tmp_path)
    with contextlib.chdir(tmp_path / "sub"):  # a report's relative paths, read from another folder
        for target in foreign:
            assert run("review", report, "-o", target).exit_code == 2
            assert run("remind", "-o", target, "--ignore-window").exit_code == 2
            assert run("frames", "check", "dx-2023", "-o", target).exit_code == 2
    assert snapshot(tmp_path) == before


# Variants an adversarial tester found after the first round


def test_runs_into_nested_output_folders_at_once_stop_each_other(tmp_path: Path) -> None:
    p, out = tmp_path / "p", tmp_path / "o"
    (p / "sub").mkdir(parents=True)
    shutil.copy(DATA / "grace_hopper.jpg", p / "sub" / "a.jpg")
    (out / "sub").mkdir(parents=True)
    for holder, other in ((out, p / "sub"), (out / "sub", p)):
        target = out / "sub" if holder == out else out
        with journal.folder_lock(holder):
            result = framer("apply", other, "-o", target, *DURING)
        assert result.returncode == 2 and "Another framer run is writing into" in result.stderr, result.stderr


def test_an_output_folder_that_cannot_be_written_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p, out = tmp_path / "p", tmp_path / "ro"
    p.mkdir()
    out.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "a.jpg")
    real_open = os.open

    def read_only(path: object, flags: int, *args: object) -> int:
        if str(path).endswith(journal.LOCK_NAME) and flags & os.O_CREAT:
            raise PermissionError(1, "Operation not permitted", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only)
    result = run("apply", p, "-o", out, *DURING)
    assert result.exit_code == 2 and len(error_lines(result)) == 1, result.output
    assert "Cannot write into" in error_lines(result)[0] and "Traceback" not in result.output


def test_a_link_to_the_whole_disk_is_not_searched(tmp_path: Path) -> None:
    (tmp_path / "rootlink").symlink_to("/")
    result = run("apply", tmp_path / "rootlink", *DURING)
    assert result.exit_code == 2 and "is a whole disk" in result.output
    assert not (tmp_path / "rootlink-framed").exists()


def test_refused_side_files_leave_no_output_folder_behind(tmp_path: Path) -> None:
    p = tmp_path / "p"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "a.jpg")
    result = run("apply", p, "-o", tmp_path / "new", "--report", tmp_path / "nodir" / "r.jsonl", *DURING)
    assert result.exit_code == 2 and not (tmp_path / "new").exists()
    inside = run("apply", p, "-o", tmp_path / "new", "--report", tmp_path / "new" / "r.jsonl", *DURING)
    assert inside.exit_code == 0, inside.output  # a report inside the output folder the run makes: fine


def test_a_dangling_link_given_as_the_output_folder_says_so(tmp_path: Path) -> None:
    p = tmp_path / "p"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "a.jpg")
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    result = run("apply", p, "-o", tmp_path / "gone", *DURING)
    assert result.exit_code == 2 and "symbolic link that leads to no folder" in result.output


def test_a_preview_replaced_by_hand_is_said_on_a_rerun(tmp_path: Path) -> None:
    p, out, report = tmp_path / "p", tmp_path / "out", tmp_path / "r.jsonl"
    p.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", p / "a.jpg")
    assert run("apply", p, "-o", out, "--preview", *DURING).exit_code == 0
    (out / "a.avatar176.png").write_bytes((DATA / "chelsea.png").read_bytes())
    run("apply", p, "-o", out, "--preview", "--report", report, *DURING)
    assert "preview_kept" in rows(report)[0]["warnings"]
    assert (out / "a.avatar176.png").read_bytes() == (DATA / "chelsea.png").read_bytes()


def test_review_never_decodes_a_bomb_named_as_an_output(tmp_path: Path) -> None:
    from PIL import Image

    bomb = tmp_path / "out" / "a.jpg"
    bomb.parent.mkdir()
    Image.new("1", (30000, 30000)).save(bomb.with_suffix(".png"))
    bomb.with_suffix(".png").rename(bomb)
    report = tmp_path / "r.jsonl"
    report.write_text(json.dumps({"input": "p/a.jpg", "output": str(bomb), "status": "ok"}) + "\n", "utf-8")
    result = framer("review", report, "-o", tmp_path / "r.html", timeout=60)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert result.returncode == 0 and "more than an output of framer&#x27;s" in page


@pytest.mark.parametrize(
    "line",
    [
        '{"input": "a.jpg", "output": "o\\u0000x", "status": "ok"}',
        '{"input": "a\\u0000.jpg", "output": null, "status": "error"}',
    ],
)
def test_a_report_with_a_nul_in_a_path_is_refused_in_one_line(tmp_path: Path, line: str) -> None:
    report = tmp_path / "r.jsonl"
    report.write_text(line + "\n", encoding="utf-8")
    result = run("review", report, "-o", tmp_path / "r.html")
    assert (
        result.exit_code == 2 and "not a framer report" in result.output and "Traceback" not in result.output
    )


def test_a_csv_report_without_its_header_is_refused(tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    report.write_text("p/a.jpg,out/a.jpg,ok,1,,,,,,,,\n", encoding="utf-8")
    result = run("review", report, "-o", tmp_path / "r.html")
    assert result.exit_code == 2 and "line 1 lacks the names of framer's columns" in result.output


def test_a_window_too_small_to_show_a_face_is_refused(tmp_path: Path) -> None:
    me = tmp_path / "me.jpg"
    shutil.copy(DATA / "grace_hopper.jpg", me)
    frame = ROOT / "frames" / "dx-2023" / "frame.png"
    result = run("apply", me, "--frame", frame, "--window", "1000,1000,1e-9,1e-9", *DURING)
    assert result.exit_code == 2 and "too small to show a portrait" in result.output
