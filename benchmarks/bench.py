"""Benchmark framer against the bare floor pipeline: throughput, start-up, peak memory, --help time.

    python benchmarks/bench.py [--photos N] [--workdir DIR] [--jobs-list 1,2] [--flat] [--repeat R]

This is a benchmark, not a test: it prints numbers next to their targets and always exits 0 (unless a
run itself fails). In one run it:

1. Makes a set of phone-sized JPEG portraits (12, 16, 20 and 23 MP, portrait and landscape, quality 90,
   4:2:0 as phones write them) from the repository's real photos with a face in `tests/data/`: 8
   distinct sources, each scaled up with Lanczos, either filling the picture (face large, some near an
   edge) or placed smaller and off centre on a blurred, enlarged copy of itself, with Gaussian noise
   (sigma 8, seeded) so the JPEGs have the entropy of real phone photos, about 0.3 bytes per pixel (a
   plain upscale is unrealistically smooth and decodes too fast; entropy decoding is most of a JPEG's
   decoding time).
   The N photos are hard links cycling over the 8 sources. Everything is cached in the work folder
   (default: <tmp>/framer-bench), so a re-run does not rebuild it.
2. Times `python -m framer apply SET -o OUT --jobs J --ignore-window -q --overwrite` as a subprocess,
   wall-clock from launch to exit, into a fresh OUT for every run: images/s = N / seconds. This includes
   interpreter start, imports and the worker pool's start-up, which is what a user waits for.
3. Times the bare floor pipeline the same way (this script re-invoked with `--floor SET OUT --jobs J`):
   per photo, a JPEG decode at 1/2 scale (Pillow `draft`), the centre square, `cv2.resize` to 1080 with
   INTER_AREA, a simple RGBA ring pasted (made once per worker), JPEG quality 92 with Pillow's default
   subsampling (4:2:0), a plain file write. No face detection, no placement, no atomic write. Always a
   ProcessPoolExecutor with the forkserver context and `cv2.setNumThreads(1)` in each worker, even at 1
   worker (framer at --jobs 1 frames in its main process instead, with OpenCV's default thread count).
   Start-up is also separated out from the outputs' modification times: "first out" is the time from
   launch to the first output file, "steady" the rate between the first and the last output, and
   "overhead" = seconds - N / steady, the time lost to start-up, shutdown and the tail.
   "CPU s/img" is the CPU time of the whole process tree divided by N (an efficiency figure that
   does not depend on parallelism), "other cores" the CPU the rest of the machine used meanwhile (from
   /proc/stat, hypervisor steal included): on a shared machine, a run with other cores well above 0
   was slowed by someone else. Before each run the benchmark waits (up to --quiet-wait s) for the
   machine to be idle; --repeat R runs every configuration R times, interleaved, and keeps the fastest.
4. Peak memory: while a subprocess runs, a thread samples /proc every 50 ms, finds the process tree (the
   ppid field of every /proc/PID/stat: /proc/PID/task/*/children needs CONFIG_PROC_CHILDREN, which is
   often off), and keeps for every process its VmHWM (the kernel's own high-water mark of its resident
   set, so a peak between two samples is not missed; only growth in the last 50 ms of a process's life
   could be) and its CPU time. "main" is the launched process; "worker" is the largest pool worker (the
   forkserver and the resource tracker are reported apart, they hold no photo); with no pool (framer at
   --jobs 1) the main process is the worker. RSS counts shared pages (libraries, pages inherited from the
   forkserver) in every process, as `ps` and `top` do.
   Why not getrusage: RUSAGE_CHILDREN / wait4 only covers descendants that were waited for, and the
   forkserver's workers are children of the forkserver, which nobody waits for: measured here, wait4 on a
   pool whose worker touched 300 MB reported 15 MB.
5. With --flat, framer at all workers on 100 and on 2,000 photos: the per-worker peak should not grow
   with the batch (the 2,000 photos are hard links of the cached set: little disk; a few minutes).
6. `python -m framer --help`: the median wall-clock of 5 runs (after one warm-up), and whether cv2 or
   numpy is imported (`python -X importtime`), with the costliest imports.

Targets printed beside the numbers: framer/floor images/s >= 0.75, peak RSS per worker <= 250 MB,
--help < 0.3 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # heavy modules are imported where used: the forkserver imports this file too
    from PIL.Image import Image, Resampling

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"

OUTPUT_SIDE = 1080  # dx-2023's default output size
OUTPUT_QUALITY = 92  # framer's default JPEG quality (framer/core/images.py JPEG_QUALITY)
SET_QUALITY = 90
NOISE_SIGMA = 8.0
# Phone cameras' sizes: 12, 16, 20 and 23 MP.
PORTRAIT, LANDSCAPE = (3000, 4000), (4000, 3000)
P16, L16 = (3468, 4624), (4624, 3468)
P20, L20 = (3888, 5184), (5184, 3888)
P23, L23 = (4140, 5520), (5520, 4140)
SAMPLE_EVERY = 0.05  # s, /proc sampling period
MB = 1024 * 1024

TARGET_RATIO = 1.0
TARGET_RSS_MB = 250
TARGET_HELP_S = 0.3


@dataclass(frozen=True)
class Source:
    """One distinct phone-sized photo of the set, made from a photo in tests/data.

    `fill`: the photo covers the whole picture, cropped at anchor (ax, ay) (0 = left/top, 1 = right/bottom).
    `inset`: the photo, scaled to `frac` of the largest size that fits, centred at (ax, ay) of the picture,
    on a blurred copy of itself that covers the picture.
    """

    file: str
    size: tuple[int, int]
    layout: str  # "fill" or "inset"
    ax: float = 0.5
    ay: float = 0.5
    frac: float = 1.0


SOURCES = [
    Source("grace_hopper.jpg", PORTRAIT, "fill"),
    Source("astronaut.png", L16, "fill", ay=0.1),  # keep the head in
    Source("hopper_cmyk.jpg", L20, "inset", ax=0.3, ay=0.45, frac=0.7),
    Source("astronaut.png", P23, "inset", ax=0.62, ay=0.42, frac=0.65),
    Source("hopper_gray.jpg", P16, "fill", ax=0.5, ay=0.3),
    Source("astronaut_edge.jpg", LANDSCAPE, "fill", ax=0.0),  # face near the left edge
    Source("hopper_exif6.jpg", L23, "inset", ax=0.62, ay=0.5, frac=0.8),  # EXIF-rotated original
    Source("astronaut_rgba.png", P20, "inset", ax=0.4, ay=0.55, frac=0.75),
]
SET_VERSION = 2  # bump when the way the set is made changes


# ---------------------------------------------------------------------------------------------- the set


def _upright_rgb(path: Path) -> Image:
    """The photo upright (EXIF orientation applied) as RGB, transparency laid on white."""
    from PIL import Image, ImageOps

    with Image.open(path) as opened:
        im = ImageOps.exif_transpose(opened)
        if im.mode in ("RGBA", "LA", "P", "PA"):
            im = im.convert("RGBA")
            im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im)
        return im.convert("RGB")


def _cover(im: Image, size: tuple[int, int], ax: float, ay: float, resample: Resampling) -> Image:
    """`im` scaled to cover `size`, cropped at anchor (ax, ay); only the kept part is resampled."""
    w, h = size
    s = max(w / im.width, h / im.height)
    bw, bh = w / s, h / s  # the kept part, in `im` pixels
    x0, y0 = (im.width - bw) * ax, (im.height - bh) * ay
    return im.resize(size, resample, box=(x0, y0, x0 + bw, y0 + bh))


def render_source(src: Source, seed: int) -> Image:
    """One phone-sized picture for `src`, with seeded per-pixel Gaussian noise."""
    import numpy as np
    from PIL import Image, ImageFilter

    photo = _upright_rgb(DATA / src.file)
    w, h = src.size
    if src.layout == "fill":
        picture = _cover(photo, src.size, src.ax, src.ay, Image.Resampling.LANCZOS)
    else:
        # Background: a blurred, enlarged copy (blurred small, then enlarged: cheap and just as soft).
        small = _cover(photo, (w // 16, h // 16), 0.5, 0.5, Image.Resampling.BOX)
        small = small.filter(ImageFilter.GaussianBlur(radius=6))
        picture = small.resize(src.size, Image.Resampling.BICUBIC)
        s = min(w / photo.width, h / photo.height) * src.frac
        fw, fh = round(photo.width * s), round(photo.height * s)
        fg = photo.resize((fw, fh), Image.Resampling.LANCZOS)
        x = min(max(round(src.ax * w - fw / 2), 0), w - fw)
        y = min(max(round(src.ay * h - fh / 2), 0), h - fh)
        picture.paste(fg, (x, y))
    rng = np.random.default_rng(seed)
    pixels = np.asarray(picture, dtype=np.float32)
    pixels += rng.standard_normal(pixels.shape, dtype=np.float32) * NOISE_SIGMA
    return Image.fromarray(np.clip(pixels + 0.5, 0, 255).astype(np.uint8))


def _set_key() -> str:
    """Identifies how the sources are made (parameters and the bytes of the originals)."""
    h = hashlib.sha256(json.dumps([SET_VERSION, NOISE_SIGMA, SET_QUALITY, repr(SOURCES)]).encode())
    for name in sorted({s.file for s in SOURCES}):
        h.update((DATA / name).read_bytes())
    return h.hexdigest()[:16]


def make_sources(workdir: Path) -> list[Path]:
    """The 8 distinct phone-sized JPEGs, made once and cached in `workdir/sources`."""
    folder = workdir / "sources"
    stamp = folder / "set.json"
    key = _set_key()
    paths = [folder / f"src{i}_{Path(s.file).stem}.jpg" for i, s in enumerate(SOURCES)]
    if stamp.exists() and json.loads(stamp.read_text()).get("key") == key and all(p.exists() for p in paths):
        print(f"set: reusing the {len(paths)} cached sources in {folder}")
        return paths
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    t0 = time.perf_counter()
    for i, (src, path) in enumerate(zip(SOURCES, paths, strict=True)):
        render_source(src, seed=1000 + i).save(path, "JPEG", quality=SET_QUALITY)
    stamp.write_text(json.dumps({"key": key}))
    print(f"set: made {len(paths)} sources in {time.perf_counter() - t0:.1f} s in {folder}")
    return paths


def make_set(workdir: Path, sources: list[Path], n: int) -> Path:
    """`workdir/set-N`: N photos, hard links (or copies) cycling over `sources`; cached."""
    folder = workdir / f"set-{n}"
    stamp = folder / ".complete"  # hidden: framer's folder walk skips it
    key = sources[0].parent.joinpath("set.json").read_text()
    if stamp.exists() and stamp.read_text() == key:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    width = len(str(n))
    for i in range(n):
        src, dst = sources[i % len(sources)], folder / f"p{i:0{width}d}.jpg"
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
    stamp.write_text(key)
    return folder


def describe_sources(workdir: Path, sources: list[Path]) -> list[dict]:
    """What framer decides for each source (its --report): face box and crop, in full-res px. A 12 MP
    photo is decoded at 1/2 scale; when its crop is so narrow that those pixels would be enlarged more
    than framer.core.pipeline.REDECODE_ABOVE, framer decodes it a second time, in full. Not cached: it is
    framer's current code that decides."""
    out, report = workdir / "describe-out", workdir / "describe.jsonl"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*framer_cmd(sources[0].parent, out, 1), "--report", str(report)]
    subprocess.run(cmd, cwd=workdir, check=False, capture_output=True)
    rows = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    shutil.rmtree(out, ignore_errors=True)
    report.unlink()
    return rows


def print_sources(sources: list[Path], rows: list[dict]) -> None:
    from PIL import Image

    from framer.core.pipeline import REDECODE_ABOVE

    by_name = {Path(r["input"]).name: r for r in rows}
    print(f"{'source':34} {'size':>9} {'MB':>5}  {'layout':6} {'face h px':>9} {'crop px':>8}  re-decode")
    for src, path in zip(SOURCES, sources, strict=True):
        with Image.open(path) as im:
            size = f"{im.width}x{im.height}"
        r = by_name.get(path.name, {})
        face_h = r["face"][3] if r.get("face") else "-"
        crop = r["crop"][2] if r.get("crop") else "-"
        redecode = "yes" if isinstance(crop, int) and OUTPUT_SIDE / (crop / 2) > REDECODE_ABOVE else "no"
        status = r.get("status", "?")
        print(
            f"{path.name:34} {size:>9} {path.stat().st_size / MB:5.1f}  {src.layout:6} {face_h!s:>9}"
            f" {crop!s:>8}  {redecode}{'' if status == 'ok' else '  (' + status + ')'}"
        )


BIG_SIZE = (12180, 8120)  # 98.9 MP
BIG_FACE_PX = 300
TARGET_BIG_MB = 500


def make_big(workdir: Path) -> Path:
    """A 99 MP JPEG (a panorama's size) with one face about 300 px tall, off centre on a soft wash of the
    photo's colours: framer must decode only what the crop needs at the scale the output needs. Cached."""
    import numpy as np
    from PIL import Image

    path = workdir / f"big-{SET_VERSION}b.jpg"
    if path.exists():
        return path
    photo = _upright_rgb(DATA / "grace_hopper.jpg")  # her face is about 212 px tall in 600
    w, h = BIG_SIZE
    # The background: the photo's colours only (a blurred copy of it would hold a huge, blurred face).
    tiny = _cover(photo, (4, 3), 0.5, 0.5, Image.Resampling.BOX)
    picture = tiny.resize((w // 16, h // 16), Image.Resampling.BICUBIC).resize(
        BIG_SIZE, Image.Resampling.BILINEAR
    )
    s = BIG_FACE_PX / 212
    fg = photo.resize((round(photo.width * s), round(photo.height * s)), Image.Resampling.LANCZOS)
    picture.paste(fg, (w * 2 // 3, h // 3))
    rng = np.random.default_rng(7)
    for y in range(0, h, 1024):  # noise in strips: a float copy of 99 MP would need 1.2 GB
        strip = np.asarray(picture.crop((0, y, w, min(h, y + 1024))), dtype=np.float32)
        strip += rng.standard_normal(strip.shape, dtype=np.float32) * NOISE_SIGMA
        picture.paste(Image.fromarray(np.clip(strip + 0.5, 0, 255).astype(np.uint8)), (0, y))
    picture.save(path, "JPEG", quality=SET_QUALITY)
    return path


def run_single(workdir: Path, photo: Path, label: str) -> Result:
    """`framer apply PHOTO -o OUT` from a cold start (a new interpreter), as a person runs it on one file."""
    outdir = workdir / "out" / f"single-{label}"
    cmd = [sys.executable, "-m", "framer", "apply", str(photo), "-o", str(outdir), "--ignore-window", "-q"]
    r = measure(label, cmd, outdir, 1, 1, workdir)
    shutil.rmtree(outdir, ignore_errors=True)
    return r


# ------------------------------------------------------------------------------------ the floor pipeline

_floor_frame = None  # (rgb, alpha) in each worker


def _floor_init(side: int) -> None:
    global _floor_frame
    import cv2
    from PIL import Image, ImageDraw

    cv2.setNumThreads(1)
    ring = Image.new("RGBA", (side, side), (0, 0, 0, 0))  # a simple ring: an opaque band round a hole
    ImageDraw.Draw(ring).ellipse((0, 0, side - 1, side - 1), outline=(200, 30, 40, 255), width=side // 10)
    _floor_frame = (ring.convert("RGB"), ring.getchannel("A"))


def _floor_one(pair: tuple[str, str]) -> None:
    import io

    import cv2
    import numpy as np
    from PIL import Image

    src, dst = pair
    assert _floor_frame is not None
    rgb_frame, alpha = _floor_frame
    side = rgb_frame.width
    with Image.open(src) as im:
        im.draft("RGB", (im.width // 2, im.height // 2))
        pixels = np.asarray(im.convert("RGB"))
    h, w = pixels.shape[:2]
    s = min(w, h)
    x0, y0 = (w - s) // 2, (h - s) // 2
    square = cv2.resize(pixels[y0 : y0 + s, x0 : x0 + s], (side, side), interpolation=cv2.INTER_AREA)
    out = Image.fromarray(square)
    out.paste(rgb_frame, (0, 0), alpha)
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=OUTPUT_QUALITY)  # Pillow's default subsampling: 4:2:0
    Path(dst).write_bytes(buffer.getvalue())


def floor_main(setdir: Path, outdir: Path, jobs: int) -> None:
    """The floor pipeline over every JPEG in `setdir`, in a forkserver pool of `jobs` workers."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    outdir.mkdir(parents=True, exist_ok=True)
    pairs = [(str(p), str(outdir / p.name)) for p in sorted(setdir.glob("*.jpg"))]
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_floor_init, initargs=(OUTPUT_SIDE,)
    ) as pool:
        for _ in pool.map(_floor_one, pairs, chunksize=1):
            pass


# ------------------------------------------------------------------------------- measuring a subprocess


@dataclass
class ProcStats:
    ppid: int
    cmdline: str
    hwm_kb: int = 0
    cpu_ticks: int = 0


class TreeWatcher(threading.Thread):
    """Samples the process tree under `root` every SAMPLE_EVERY s: each process's VmHWM and CPU time."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.procs: dict[tuple[int, int], ProcStats] = {}  # (pid, start time) -> stats
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def sample(self) -> None:
        stats: dict[int, tuple[int, int, int]] = {}  # pid -> (ppid, start time, cpu ticks)
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as f:
                        fields = f.read().rsplit(b")", 1)[1].split()
                except OSError:
                    continue
                # after "pid (comm)": state ppid ... utime(12) stime(13) ... starttime(20)
                stats[int(entry.name)] = (int(fields[1]), int(fields[19]), int(fields[11]) + int(fields[12]))
        tree, frontier = {self.root}, [self.root]
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in stats.items():
            children.setdefault(ppid, []).append(pid)
        while frontier:
            for child in children.get(frontier.pop(), []):
                if child not in tree:
                    tree.add(child)
                    frontier.append(child)
        for pid in tree:
            if pid not in stats:
                continue
            ppid, start, ticks = stats[pid]
            hwm = _read_hwm_kb(pid)
            if hwm is None:  # gone, or a zombie (no memory lines any more)
                continue
            key = (pid, start)
            proc = self.procs.get(key)
            if proc is None:
                proc = self.procs[key] = ProcStats(ppid, _read_cmdline(pid))
            proc.hwm_kb = max(proc.hwm_kb, hwm)
            proc.cpu_ticks = max(proc.cpu_ticks, ticks)


def _read_hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _busy_ticks() -> int:
    """CPU ticks spent by the whole machine so far, not idle: user, nice, system, irq, softirq, steal."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in f.readline().split()[1:9])
    return user + nice + system + irq + softirq + steal


def _read_cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@dataclass
class Result:
    label: str
    photos: int
    jobs: int
    seconds: float
    outputs: int
    returncode: int
    main_mb: float
    worker_mb: float  # the largest worker; the main process when there is no pool
    helper_mb: float  # forkserver / resource tracker, the largest
    workers_seen: int
    cpu_s: float
    first_out_s: float | None
    steady: float | None  # images/s between the first and the last output
    other_cores: float  # CPU used meanwhile by the rest of the machine (and hypervisor steal), in cores
    stderr_tail: str = ""
    extra: dict = field(default_factory=dict)
    total_mb: float = 0.0  # every process's own peak, added up: at least the peak of all of them together

    @property
    def rate(self) -> float:
        return self.photos / self.seconds

    @property
    def overhead_s(self) -> float | None:
        return self.seconds - self.photos / self.steady if self.steady else None


def measure(label: str, cmd: list[str], outdir: Path, photos: int, jobs: int, cwd: Path) -> Result:
    """Run `cmd` (which writes `photos` files into `outdir`), timing it and watching its process tree."""
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir(parents=True)
    with tempfile.TemporaryFile() as err:
        busy0 = _busy_ticks()
        launched = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        watcher = TreeWatcher(proc.pid)
        watcher.start()
        proc.wait()
        seconds = time.perf_counter() - t0
        busy = _busy_ticks() - busy0
        watcher.stop()
        err.seek(0)
        stderr_tail = err.read().decode(errors="replace")[-2000:]

    mtimes = sorted(
        e.stat().st_mtime
        for e in os.scandir(outdir)
        if e.is_file() and not e.name.startswith(".") and e.name.endswith(".jpg")
    )
    main = helper = worker = 0
    workers_seen = 0
    root = proc.pid
    for (pid, _), p in watcher.procs.items():
        if pid == root:
            main = p.hwm_kb
        elif p.ppid == root and ("forkserver import main" in p.cmdline or "resource_tracker" in p.cmdline):
            helper = max(helper, p.hwm_kb)
        else:
            workers_seen += 1
            worker = max(worker, p.hwm_kb)
    if workers_seen == 0:
        worker = main
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = sum(p.cpu_ticks for p in watcher.procs.values()) / ticks
    other = max(0.0, busy / ticks - cpu) / seconds
    first = mtimes[0] - launched if mtimes else None
    steady = (
        (len(mtimes) - 1) / (mtimes[-1] - mtimes[0]) if len(mtimes) > 1 and mtimes[-1] > mtimes[0] else None
    )
    result = Result(
        label, photos, jobs, seconds, len(mtimes), proc.returncode, main / 1024, worker / 1024,
        helper / 1024, workers_seen, cpu, first, steady, other, stderr_tail,
        extra={
            "processes": len(watcher.procs),
            "main_cpu_s": sum(p.cpu_ticks for (pid, _), p in watcher.procs.items() if pid == root) / ticks,
        },
        total_mb=sum(p.hwm_kb for p in watcher.procs.values()) / 1024,
    )  # fmt: skip
    if proc.returncode not in (0,) or len(mtimes) != photos:
        print(
            f"  !! {label} jobs={jobs}: exit {proc.returncode}, {len(mtimes)}/{photos} outputs\n"
            f"{stderr_tail}",
            file=sys.stderr,
        )
    return result


def framer_cmd(setdir: Path, outdir: Path, jobs: int) -> list[str]:
    return [
        sys.executable, "-m", "framer", "apply", str(setdir), "-o", str(outdir),
        "--jobs", str(jobs), "--ignore-window", "-q", "--overwrite",
    ]  # fmt: skip


def floor_cmd(setdir: Path, outdir: Path, jobs: int) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--floor",
        str(setdir),
        str(outdir),
        "--jobs",
        str(jobs),
    ]


def run_framer(workdir: Path, setdir: Path, photos: int, jobs: int, keep: bool) -> Result:
    outdir = workdir / "out" / f"framer-{photos}-j{jobs}"
    r = measure("framer", framer_cmd(setdir, outdir, jobs), outdir, photos, jobs, workdir)
    if not keep:
        shutil.rmtree(outdir, ignore_errors=True)
    return r


def run_floor(workdir: Path, setdir: Path, photos: int, jobs: int, keep: bool) -> Result:
    outdir = workdir / "out" / f"floor-{photos}-j{jobs}"
    r = measure("floor", floor_cmd(setdir, outdir, jobs), outdir, photos, jobs, workdir)
    if not keep:
        shutil.rmtree(outdir, ignore_errors=True)
    return r


def fastest(runs: list[Result]) -> Result:
    """The fastest of the repeats: on a shared machine, the one least disturbed by other work."""
    return min(runs, key=lambda r: r.seconds)


def wait_for_quiet(max_wait: float, threshold: float = 0.25) -> float:
    """Wait (up to `max_wait` s) until the rest of the machine uses under `threshold` cores over 0.5 s;
    the load seen last, in cores."""
    ticks = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + max_wait
    while True:
        before = _busy_ticks()
        time.sleep(0.5)
        load = (_busy_ticks() - before) / ticks / 0.5
        if load < threshold or time.monotonic() >= deadline:
            return load


# ------------------------------------------------------------------------------------------- --help


def measure_help(workdir: Path, runs: int = 5) -> dict:
    """Median wall-clock of `python -m framer --help`, and what it imports."""
    cmd = [sys.executable, "-m", "framer", "--help"]

    def timed(c: list[str]) -> float:
        t0 = time.perf_counter()
        subprocess.run(c, cwd=workdir, check=True, capture_output=True)
        return time.perf_counter() - t0

    timed(cmd)  # warm-up: .pyc files, page cache
    times = [timed(cmd) for _ in range(runs)]
    bare = statistics.median(timed([sys.executable, "-c", "pass"]) for _ in range(runs))
    imp = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "framer", "--help"],
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    modules: list[tuple[int, str]] = []  # (cumulative us, module)
    for line in imp.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
            if parts[1].isdigit():
                modules.append((int(parts[1]), parts[2]))
    names = {m for _, m in modules}
    heavy = [m for m in sorted(names) if m.split(".")[0] in ("cv2", "numpy")]
    top = sorted((m for m in modules if not m[1].startswith(" ")), reverse=True)[:6]
    return {
        "median_s": statistics.median(times),
        "runs": times,
        "python_startup_s": bare,
        "cv2": any(m.split(".")[0] == "cv2" for m in names),
        "numpy": any(m.split(".")[0] == "numpy" for m in names),
        "heavy": heavy[:8],
        "top_imports": [(us / 1e6, m) for us, m in top],
    }


# ------------------------------------------------------------------------------------------- the report


def _f(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def print_table(title: str, results: list[Result]) -> None:
    print(f"\n{title}")
    header = (
        f"{'config':8} {'photos':>6} {'jobs':>4} {'seconds':>8} {'img/s':>7} {'first out s':>11}"
        f" {'steady img/s':>12} {'overhead s':>10} {'CPU s/img':>9} {'RSS main MB':>11}"
        f" {'RSS/worker MB':>13} {'workers':>7} {'fsrv MB':>7} {'other cores':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.label:8} {r.photos:6d} {r.jobs:4d} {r.seconds:8.2f} {r.rate:7.2f}"
            f" {_f(r.first_out_s, '11.2f')} {_f(r.steady, '12.2f')} {_f(r.overhead_s, '10.2f')}"
            f" {r.cpu_s / r.photos:9.3f}"
            f" {r.main_mb:11.0f} {r.worker_mb:13.0f} {r.workers_seen or '-':>7}"
            f" {_f(r.helper_mb or None, '7.0f')} {r.other_cores:11.2f}"
        )


LEGEND = (
    "first out: launch to the first output file; steady: images/s between the first and the last output;\n"
    "overhead: seconds - photos / steady (start-up, shutdown, tail); CPU s/img: the process tree's CPU\n"
    "per photo; RSS: peak resident set (VmHWM), main process and largest pool worker (no pool: the main\n"
    "process); fsrv: the forkserver; other cores: CPU used by the rest of the machine during the run."
)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_summary(results: list[Result], jobs_list: list[int], help_info: dict) -> None:
    by = {(r.label, r.jobs): r for r in results}
    print("\nTargets")
    for j in jobs_list:
        fr, fl = by.get(("framer", j)), by.get(("floor", j))
        if not (fr and fl):
            continue
        ratio = fr.rate / fl.rate
        steady = fr.steady / fl.steady if fr.steady and fl.steady else None
        cpu = (fl.cpu_s / fl.photos) / (fr.cpu_s / fr.photos)
        print(
            f"  framer/floor at {j} worker{'s' if j > 1 else ' '}: {ratio:5.2f} images/s wall-clock"
            f"   (target >= {TARGET_RATIO})  {_verdict(ratio >= TARGET_RATIO)}"
            f"   [steady-state {_f(steady, '.2f')}, CPU per image {cpu:.2f}]"
        )
    for r in results:
        if r.label == "framer":
            print(
                f"  framer peak RSS per worker, {r.photos} photos, {r.jobs} job(s): {r.worker_mb:5.0f} MB"
                f"   (target <= {TARGET_RSS_MB} MB)  {_verdict(r.worker_mb <= TARGET_RSS_MB)}"
                f"   [main {r.main_mb:.0f} MB]"
            )
    h = help_info
    print(
        f"  framer --help: {h['median_s']:.3f} s median of {len(h['runs'])}"
        f"   (target < {TARGET_HELP_S} s)  {_verdict(h['median_s'] < TARGET_HELP_S)}"
        f"   [runs {', '.join(f'{t:.3f}' for t in h['runs'])};"
        f" bare python -c pass {h['python_startup_s']:.3f} s]"
    )
    print(
        f"  --help imports cv2: {'YES' if h['cv2'] else 'no'}; numpy: {'YES' if h['numpy'] else 'no'}"
        + (f"  ({', '.join(h['heavy'])})" if h["heavy"] else "")
    )
    print(
        "  costliest top-level imports of --help: " + ", ".join(f"{m} {s:.3f} s" for s, m in h["top_imports"])
    )


# ----------------------------------------------------------------------------------------------- main


def _repo_version() -> str:
    """The repository's commit, and whether its working tree has changes (a benchmark's provenance)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "(not a git checkout)"
    return f"{head}{' + local changes' if dirty else ''}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--photos", type=int, default=100, help="photos in the set (default 100)")
    ap.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "framer-bench",
        help="where the set (cached) and outputs go (default: <tmp>/framer-bench)",
    )  # fmt: skip
    ap.add_argument("--jobs-list", default=None, help="worker counts, comma-separated (default: 1,cpu_count)")
    ap.add_argument("--flat", action="store_true", help="also framer at all workers on 100 and 2,000 photos")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each config; the fastest is shown")
    ap.add_argument(
        "--quiet-wait", type=float, default=30.0,
        help="before each run, wait up to this many seconds for the machine to be idle (default 30)",
    )  # fmt: skip
    ap.add_argument("--keep-outputs", action="store_true", help="keep the framed outputs of every run")
    ap.add_argument("--no-help-time", action="store_true", help="skip the --help measurement")
    ap.add_argument("--no-single", action="store_true", help="skip the one-photo and 99 MP runs")
    ap.add_argument("--floor", nargs=2, type=Path, metavar=("SETDIR", "OUTDIR"), help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main() -> None:
    args = parse_args()
    if args.floor:
        floor_main(args.floor[0], args.floor[1], args.jobs)
        return

    cpus = os.cpu_count() or 1
    jobs_list = [int(j) for j in args.jobs_list.split(",")] if args.jobs_list else sorted({1, cpus})
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"framer benchmark: {args.photos} photos, jobs {jobs_list}, {cpus} CPUs, workdir {workdir}")
    print(f"python {sys.version.split()[0]} at {sys.executable}; framer {_repo_version()}")

    sources = make_sources(workdir)
    print_sources(sources, describe_sources(workdir, sources))
    setdir = make_set(workdir, sources, args.photos)

    help_info = None if args.no_help_time else measure_help(workdir)

    # Warm-up (page cache, .pyc files, the forkserver's first start): a few photos, not reported.
    warm = make_set(workdir, sources, 4)
    run_framer(workdir, warm, 4, max(jobs_list), False)
    run_floor(workdir, warm, 4, max(jobs_list), False)

    # Repeats are interleaved (framer, floor, framer, floor...) so that a burst of other work on the
    # machine does not land on one configuration only; each run waits for the machine to be quiet.
    runs: dict[tuple[str, int], list[Result]] = {}
    for _ in range(args.repeat):
        for j in jobs_list:
            for run in (run_framer, run_floor):
                wait_for_quiet(args.quiet_wait)
                r = run(workdir, setdir, args.photos, j, args.keep_outputs)
                runs.setdefault((r.label, j), []).append(r)
                print(f"  ran {r.label:6} jobs={j}: {r.seconds:5.1f} s, other cores {r.other_cores:.2f}")
    results = [fastest(rs) for rs in runs.values()]

    print_table(f"Throughput and memory: {args.photos} photos of 12-23 MP, {cpus} CPUs", results)
    print(LEGEND)
    for r in results:
        if r.label == "framer" and r.jobs > 1:
            print(
                f"  framer at {r.jobs} workers: its main process (planning, journal, report) used"
                f" {r.extra['main_cpu_s']:.2f} s of CPU, {r.extra['main_cpu_s'] / r.cpu_s:.0%} of the run's"
            )
    busy = [r for r in results if r.other_cores > 0.2]
    if busy:
        print(f"  NOTE: the machine was busy with other work during {len(busy)} run(s): see 'other cores'.")
    if help_info:
        print_summary(results, jobs_list, help_info)

    if not args.no_single:
        one = sources[0]
        singles = [run_single(workdir, one, "one") for _ in range(3)]
        fastest_one = min(singles, key=lambda r: r.seconds)
        print(
            f"\nOne photo, cold start (`framer apply {one.name} -o OUT`, best of 3):"
            f" {fastest_one.seconds:.2f} s, peak {fastest_one.total_mb:.0f} MB for all processes"
        )
        big = make_big(workdir)
        r = min((run_single(workdir, big, "big") for _ in range(2)), key=lambda r: r.total_mb)
        print(
            f"99 MP photo with a {BIG_FACE_PX} px face ({big.stat().st_size / MB:.0f} MB): {r.seconds:.2f} s,"
            f" peak {r.total_mb:.0f} MB for all {r.extra['processes']} of its processes"
            f" (target <= {TARGET_BIG_MB} MB)  {_verdict(r.outputs == 1 and r.total_mb <= TARGET_BIG_MB)}"
        )

    if args.flat:
        j = max(jobs_list)
        flat: list[Result] = []
        for n in (100, 2000):
            same = next((r for r in results if r.label == "framer" and r.jobs == j and r.photos == n), None)
            if same is None:
                wait_for_quiet(args.quiet_wait)
                t0 = time.perf_counter()
                same = run_framer(workdir, make_set(workdir, sources, n), n, j, args.keep_outputs)
                print(f"  ran framer {n} photos jobs={j}: {time.perf_counter() - t0:.1f} s")
            flat.append(same)
        print_table(f"Flatness: framer at {j} workers, 100 vs 2,000 photos", flat)
        a, b = flat
        print(
            f"  peak RSS per worker: {a.worker_mb:.0f} MB at 100, {b.worker_mb:.0f} MB at 2,000"
            f" ({b.worker_mb - a.worker_mb:+.0f} MB); main: {a.main_mb:.0f} -> {b.main_mb:.0f} MB"
            f"   (target <= {TARGET_RSS_MB} MB per worker)  {_verdict(b.worker_mb <= TARGET_RSS_MB)}"
        )
    print(f"\nbenchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
