"""What framer's trust machinery costs on re-runs: fingerprint, folder lock, journal, fsync, end to end.

    python benchmarks/trust_cost.py [--photos 2000] [--workdir DIR] [--repeat 5] [--appends 500]

A benchmark, not a test: it prints one table and exits 0 unless a framer run fails. It calls framer's own
functions (framer.batch.journal), so the numbers are those of the real code. In one run it:

1. Makes (once; cached in the work folder, default <tmp>/framer-trust) a set of N distinct photos in 20
   sub-folders: copies of tests/data/grace_hopper.jpg (512x600) and tests/data/astronaut.png (512x512)
   with seeded uniform noise of +-2 levels, all saved as JPEG quality 90 (about 85 KB each; small, so
   that framing them is quick). Each is a real file with its own inode (never a hard link: the fingerprint
   holds the inode).
2. End to end: `python -m framer apply SET -o OUT --ignore-window -q` as a subprocess, wall-clock from
   launch to exit (start-up included), once into an empty OUT (all N framed at the default 1080 px, with
   all cores), then --repeat times again with everything up to date (the median is shown): that re-run
   starts, plans, locks OUT, reads its journal, fingerprints every input, reads and hashes every output,
   and frames nothing (the script checks that the re-runs wrote no file in OUT).
3. The fingerprint: one pass over the N inputs doing `os.stat` + `framer.batch.journal.fingerprint` (size,
   mtime_ns, ctime_ns, inode), against the bare `os.stat` keeping size and mtime_ns that framer 0.1 did;
   warm caches, median of --repeat passes.
4. The folder lock: `with framer.batch.journal.folder_lock(OUT): pass` (create, flock, check, write the owner,
   unlink, close), median of 1,000.
5. The journal: `framer.batch.journal.Journal(OUT)` on OUT's N-entry journal (read, parse, lstat every
   output),
   median of --repeat; then `Journal.lookup` of all N outputs on a fresh Journal, which reads and hashes
   every output (framer.batch.journal.describes): median of --repeat with the outputs in the page cache
   ("warm"), and once after evicting them with posix_fadvise(DONTNEED) ("cold": read from the disk, or
   from the host's cache on a virtual machine).
6. The append: `framer.batch.journal.append` of a real journal line from OUT, --appends times into a fresh
   journal on OUT's file system, each timed (median and p95), then the same function with os.fsync made a
   no-op. The real worker also fsyncs each output's own bytes before placing it (framer.files.AtomicFile),
   which is not counted here. The file system type is OUT's, from /proc/mounts.
The load average printed first is the kernel's 1-minute one: well above 0, other work (or an earlier
run) was using the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from framer.batch import journal

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO / "tests" / "data" / "grace_hopper.jpg", REPO / "tests" / "data" / "astronaut.png"]
FOLDERS = 20


def make_set(folder: Path, n: int) -> list[Path]:
    """N distinct noisy JPEG copies of the two sources, cached: made again only if incomplete."""
    paths = [folder / f"team-{i % FOLDERS:02d}" / f"p{i:05d}.jpg" for i in range(n)]
    done = folder.with_name(folder.name + ".done")
    if done.exists() and all(p.is_file() for p in paths):
        return paths
    import numpy as np
    from PIL import Image

    print(f"making {n} photos in {folder} (once) ...", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    rng = np.random.default_rng(2024)
    bases = [np.asarray(Image.open(s).convert("RGB"), dtype=np.int16) for s in SOURCES]
    for i, path in enumerate(paths):
        base = bases[i % len(bases)]
        noisy = np.clip(base + rng.integers(-2, 3, base.shape, dtype=np.int16), 0, 255).astype(np.uint8)
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(noisy).save(path, quality=90)
    done.write_text(f"{n}\n")
    return paths


def fs_type(path: Path) -> str:
    """The file system type of `path`: the /proc/mounts line with the longest mount point above it."""
    real, best = os.path.realpath(path), ("", "?")
    with open("/proc/mounts") as f:
        for line in f:
            _dev, point, kind = line.split()[:3]
            if (real == point or real.startswith(point.rstrip("/") + "/")) and len(point) > len(best[0]):
                best = (point, kind)
    return f"{best[1]} (mounted on {best[0]})"


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_of(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(fn) for _ in range(repeat))


def framer_apply(photos: Path, out: Path) -> float:
    command = [sys.executable, "-m", "framer", "apply", str(photos), "-o", str(out), "--ignore-window", "-q"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: some photo had no face found, still a complete run
        sys.exit(f"framer failed ({done.returncode}): {done.stderr.strip()}")
    return seconds


def written(out: Path) -> list[tuple[str, int]]:
    """Every file in OUT with its modification time: a re-run that writes nothing leaves it the same."""
    return sorted((str(p), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file())


def stat_pass(paths: list[Path], new: bool) -> list[object]:
    if new:
        return [journal.fingerprint(st) for st in map(os.stat, paths)]
    return [(st.st_size, st.st_mtime_ns) for st in map(os.stat, paths)]


def lookup_all(out: Path, outputs: list[Path]) -> Callable[[], None]:
    j = journal.Journal(out)  # fresh: lookup verifies each output once, then remembers

    def run() -> None:
        if not all(j.lookup(p) is not None for p in outputs):
            sys.exit("an output was not verified as framer's")

    return run


def evict(paths: list[Path]) -> None:
    for p in paths:
        fd = os.open(p, os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)


def append_times(path: Path, line: str, n: int) -> list[float]:
    path.unlink(missing_ok=True)
    times = [timed(lambda: journal.append(path, line)) for _ in range(n)]
    path.unlink()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "framer-trust")
    parser.add_argument("--repeat", type=int, default=5, help="repeats of each cheap measure (median)")
    parser.add_argument("--appends", type=int, default=500, help="journal appends timed, each way")
    args = parser.parse_args()
    n, work = args.photos, args.workdir.resolve()
    photos, out = work / f"set-{n}", work / f"out-{n}"
    inputs = make_set(photos, n)
    print(f"work folder {work}: {fs_type(work)}; {n} photos; {os.cpu_count()} cores", flush=True)
    print(f"load average before the runs: {os.getloadavg()[0]:.2f} (1 minute)", flush=True)

    shutil.rmtree(out, ignore_errors=True)
    first = framer_apply(photos, out)
    before = written(out)
    reruns = [framer_apply(photos, out) for _ in range(args.repeat)]
    if written(out) != before:
        sys.exit("a re-run wrote something: not everything was up to date")
    outputs = sorted(p for p in out.rglob("*.jpg"))
    if len(outputs) != n:
        sys.exit(f"{len(outputs)} outputs for {n} photos")
    rerun = statistics.median(reruns)

    old = median_of(lambda: stat_pass(inputs, new=False), args.repeat)
    new = median_of(lambda: stat_pass(inputs, new=True), args.repeat)

    def lock_once() -> None:
        with journal.folder_lock(out):
            pass

    lock = statistics.median(timed(lock_once) for _ in range(1000))
    journal.Journal(out)  # once first: a journal that needs compacting is rewritten only then
    read = median_of(lambda: journal.Journal(out), args.repeat)
    size_mb = sum(p.stat().st_size for p in outputs) / 1e6
    warm = statistics.median(timed(lookup_all(out, outputs)) for _ in range(args.repeat))
    check = lookup_all(out, outputs)
    evict(outputs)
    cold = timed(check)

    line = (out / journal.JOURNAL_NAME).read_text(encoding="utf-8").splitlines(keepends=True)[0]
    scratch = work / "append-test"
    scratch.mkdir(exist_ok=True)
    synced = append_times(scratch / journal.JOURNAL_NAME, line, args.appends)
    with mock.patch.object(journal.os, "fsync", lambda fd: None):
        unsynced = append_times(scratch / journal.JOURNAL_NAME, line, args.appends)
    scratch.rmdir()

    def s(x: float) -> str:
        return f"{x:.2f} s"

    def ms(x: float) -> str:
        return f"{x * 1e3:.1f} ms"

    def us(x: float) -> str:
        return f"{x * 1e6:.1f} us"

    def p95(times: list[float]) -> str:
        return f"p95 {us(statistics.quantiles(times, n=20)[-1])}"

    per = 1000 / n  # seconds per 1,000 photos
    rows = [
        ("first run (frames all)", s(first), ms(first / n), f"{first * per:.1f} s / 1,000, all cores"),
        ("re-run, all up to date", s(rerun), ms(rerun / n), f"{rerun * per:.2f} s / 1,000"),
        ("os.stat, size + mtime (0.1)", ms(old), us(old / n), ""),
        ("os.stat + fingerprint", ms(new), us(new / n), ""),
        ("folder_lock acquire + release", us(lock), "", "once per run and folder"),
        (f"Journal(root), {n} entries", ms(read), us(read / n), ""),
        (f"lookup all, warm ({size_mb:.0f} MB)", ms(warm), us(warm / n), f"{size_mb / warm:.0f} MB/s"),
        ("lookup all, cold (fadvise)", ms(cold), us(cold / n), f"{size_mb / cold:.0f} MB/s"),
        ("append + fsync", "", us(statistics.median(synced)), p95(synced)),
        ("append, no fsync", "", us(statistics.median(unsynced)), p95(unsynced)),
    ]
    print(f"output size {size_mb / n * 1e3:.0f} KB/photo; re-runs {', '.join(s(t) for t in reruns)}")
    header = ("measure", "total", "per photo", "")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
