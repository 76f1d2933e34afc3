"""Benchmark what one big picture costs a worker in memory, per format, and framer serve under two at once.

    python benchmarks/memory.py [--workdir DIR] [--only NAME,...] [--doors web,apply] [--no-serve]

This is a benchmark, not a test: it prints tables and always exits 0 (unless a run itself fails).

1. Per format: pictures of 9900 x 9900 px (98 MP, just under the default --max-megapixels 100), made once
   and cached in the work folder (default <tmp>/framer-memory): a 16-bit grey PNG (190 KB, as the
   tester's `Image.new("I;16", (9900, 9900))`), 8-bit grey, palette, RGB and RGBA PNGs, a 16-bit RGBA
   PNG, a WebP, a GIF, a TIFF, a 16-bit grey TIFF, a progressive and a baseline JPEG; and a 48 MP phone
   JPEG (8000 x 6000, 4:2:0) and a 48 MP HEIC, which must still be framed. Flat pictures: their files are
   small, what they cost to decode is not. Each is framed in a fresh process of its own, as a worker of
   each door does it: the process starts as the door's workers start (framer.web.jobs.start;
   framer.batch.plan's worker start: detector and frame built, the worker's memory ceiling set where
   framer sets one) and frames a normal photo (a worker's first photo costs it more than the next), the
   resident set's high-water mark is read (`getrusage(RUSAGE_SELF).ru_maxrss`), then the picture is
   framed (web: jobs.render on its bytes, as POST /api/frame; apply: the batch worker on a Task, as
   `framer apply`) and the mark read again. Printed: the mark before, the growth the picture caused,
   the seconds, and what came of it (framed, or the refusal's code).
2. The tester's scenario (without --no-serve): `framer serve --workers 2` (framer.web under uvicorn, the
   real server, on loopback), two 16-bit 9900 x 9900 PNGs posted at once to /api/frame; meanwhile the
   process tree is sampled every 20 ms from /proc (bench.py's TreeWatcher) and the largest sum of the
   resident sets (VmRSS) of the server and its workers seen is printed, and the sum of each one's own
   peak (VmHWM: an upper bound, which no short peak escapes), with each answer's status and time, then
   a normal photo's (tests/data/grace_hopper.jpg) time to be framed after them.

The numbers in the README and in the commit that brought this script were measured with it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDE = 9900  # 98 MP
BOUNDARY = "framer-benchmark-boundary"


def _cases() -> dict[str, tuple[str, object]]:
    """name -> (file name, how to make it): each a function returning the file's bytes."""
    import io

    import numpy as np
    from PIL import Image

    big = (SIDE, SIDE)

    def save(im: Image.Image, fmt: str, **options: object) -> bytes:
        buffer = io.BytesIO()
        im.save(buffer, fmt, **options)
        return buffer.getvalue()

    def rgba16() -> bytes:  # Pillow cannot write 16-bit RGBA: a minimal PNG written by hand
        import struct
        import zlib

        row = b"\x00" + np.full((SIDE, 4), 0x8000, ">u2").tobytes()
        z = zlib.compressobj(1)
        data = b"".join(z.compress(row) for _ in range(SIDE)) + z.flush()

        def chunk(kind: bytes, body: bytes) -> bytes:
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

        head = struct.pack(">IIBBBBB", SIDE, SIDE, 16, 6, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", data) + chunk(b"IEND", b"")

    def heic48() -> bytes:
        import pillow_heif

        pillow_heif.register_heif_opener()
        return save(Image.new("RGB", (8000, 6000), (180, 140, 120)), "HEIF", quality=50)

    colour = (180, 140, 120)
    deflate = {"compression": "tiff_adobe_deflate"}
    return {
        "PNG 16-bit grey": ("grey16.png", lambda: save(Image.new("I;16", big), "PNG")),
        "PNG 8-bit grey": ("grey8.png", lambda: save(Image.new("L", big, 128), "PNG")),
        "PNG palette": ("palette.png", lambda: save(Image.new("P", big, 3), "PNG")),
        "PNG RGB": ("rgb.png", lambda: save(Image.new("RGB", big, colour), "PNG")),
        "PNG RGBA": ("rgba.png", lambda: save(Image.new("RGBA", big, (*colour, 255)), "PNG")),
        "PNG 16-bit RGBA": ("rgba16.png", rgba16),
        "WebP": ("rgb.webp", lambda: save(Image.new("RGB", big, colour), "WEBP", quality=80)),
        "GIF": ("palette.gif", lambda: save(Image.new("P", big, 3), "GIF")),
        "TIFF": ("rgb.tif", lambda: save(Image.new("RGB", big, colour), "TIFF", **deflate)),
        "TIFF 16-bit grey": ("grey16.tif", lambda: save(Image.new("I;16", big), "TIFF", **deflate)),
        "JPEG progressive": (
            "progressive.jpg",
            lambda: save(Image.new("RGB", big, colour), "JPEG", quality=90, progressive=True),
        ),
        "JPEG baseline": ("baseline.jpg", lambda: save(Image.new("RGB", big, colour), "JPEG", quality=90)),
        "JPEG 48 MP phone": (
            "phone48.jpg", lambda: save(Image.new("RGB", (8000, 6000), colour), "JPEG", quality=90)
        ),
        "HEIC 48 MP phone": ("phone48.heic", heic48),
    }  # fmt: skip


def make(workdir: Path, names: list[str]) -> dict[str, Path]:
    """The pictures named, made once (each in a process of its own: making them costs memory too)."""
    workdir.mkdir(parents=True, exist_ok=True)
    cases = _cases()
    paths = {}
    for name in names:
        file, _ = cases[name]
        path = workdir / file
        if not path.exists():
            subprocess.run([sys.executable, __file__, "--make", name, str(path)], check=True)
        paths[name] = path
    return paths


def _make_one(name: str, path: Path) -> None:
    data = _cases()[name][1]()  # type: ignore[operator]
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.rename(path)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def frame_one(door: str, path: Path) -> dict[str, object]:
    """In a fresh process: start as the door's worker starts, frame a normal photo (a worker's first
    photo costs more than the next: the detector's buffers), then frame `path` as the door does."""
    sys.path.insert(0, str(ROOT))
    from framer.errors import PhotoError
    from framer.frames.registry import load_frame

    frame = load_frame("dx-2023").settled()
    normal = ROOT / "tests" / "data" / "grace_hopper.jpg"
    if door == "web":
        from framer.core.geometry import Adjust
        from framer.web import jobs

        jobs.start([frame], os.getppid())

        def work(source: Path) -> str:
            jobs.render(source.read_bytes(), frame.name, Adjust(), "jpg")
            return "framed"

    else:
        from framer.batch import tasks as batch
        from framer.batch import worker
        from framer.batch.pool import _start_worker

        _start_worker(frame, None, os.getppid())
        target = Path(tempfile.mkdtemp()) / "out.jpg"

        def work(source: Path) -> str:
            task = batch.Task(batch.Job(source, target), batch.Settings(), batch.Write(target, replace=True))
            record = worker.work(task)
            target.unlink(missing_ok=True)
            return record.error or "framed"

    work(normal)
    before = _peak_mb()
    started = time.perf_counter()
    try:
        outcome = work(path)
    except PhotoError as e:
        outcome = e.code
    seconds = time.perf_counter() - started
    return {"before": before, "peak": _peak_mb(), "seconds": seconds, "outcome": outcome}


def per_format(workdir: Path, names: list[str], doors: list[str]) -> None:
    paths = make(workdir, names)
    head = f"{'picture (98 MP unless said)':26} {'door':5} {'file':>8} {'start':>7} {'+peak':>7} {'s':>6}"
    print(f"\n  {head}  outcome")
    for name in names:
        for door in doors:
            run = subprocess.run(
                [sys.executable, __file__, "--frame", door, str(paths[name])],
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                tail = (run.stderr.strip().splitlines() or ["?"])[-1]
                print(f"  {name:26} {door:5} died ({run.returncode}): {tail}")
                continue
            r = json.loads(run.stdout.strip().splitlines()[-1])
            size = paths[name].stat().st_size
            print(
                f"  {name:26} {door:5} {_size(size):>8} {r['before']:5.0f}MB {r['peak'] - r['before']:5.0f}MB"
                f" {r['seconds']:6.2f}  {r['outcome']}"
            )


def _size(n: int) -> str:
    return f"{n / 1e6:.1f}MB" if n >= 1e6 else f"{n / 1e3:.0f}KB"


# --- the tester's scenario: framer serve --workers 2, two 16-bit PNGs at once --------------------------


def multipart(data: bytes, name: str) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def post(port: int, path: str, body: bytes) -> tuple[int, float, str]:
    """(status, seconds, the error code of a refusal)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    try:
        connection.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
        response = connection.getresponse()
        answer = response.read()
    finally:
        connection.close()
    code = ""
    if response.status != 200:
        try:
            code = json.loads(answer).get("code", "")
        except ValueError:
            code = answer[:80].decode(errors="replace")
    return response.status, time.perf_counter() - started, code


def serve_scenario(workdir: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench import TreeWatcher
    from web import Server

    grey16 = make(workdir, ["PNG 16-bit grey"])["PNG 16-bit grey"].read_bytes()
    normal = (ROOT / "tests" / "data" / "grace_hopper.jpg").read_bytes()
    server = Server(2)
    try:
        started = post(server.port, "/api/frame", multipart(normal, "warm.jpg"))  # both workers ready
        watcher = TreeWatcher(server.process.pid)
        most = [0]
        halt = threading.Event()

        def sample() -> None:
            while not halt.is_set():
                most[0] = max(most[0], _tree_rss_kb(watcher))
                halt.wait(0.02)

        idle = _tree_rss_kb(watcher)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        answers: list[tuple[int, float, str]] = [(0, 0.0, "")] * 2

        def one(i: int) -> None:
            answers[i] = post(server.port, "/api/frame", multipart(grey16, f"grey16-{i}.png"))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        after = post(server.port, "/api/frame", multipart(normal, "normal.jpg"))
        halt.set()
        sampler.join()
    finally:
        server.stop()
    print("\n  framer serve --workers 2, two 16-bit 9900 x 9900 PNGs (190 KB) posted at once to /api/frame")
    print(f"  warm-up photo: {started[0]} in {started[1]:.2f} s")
    print(f"  server + workers, resident, idle before:        {idle / 1024:7.0f} MB")
    print(f"  server + workers, resident, most at one time:   {most[0] / 1024:7.0f} MB   (target < 1536 MB)")
    peaks = sum(p.hwm_kb for p in watcher.procs.values())
    print(f"  server + workers, sum of each one's peak:       {peaks / 1024:7.0f} MB")
    for i, (status, seconds, code) in enumerate(answers):
        print(f"  16-bit PNG {i + 1}: {status} {code or ''} in {seconds:.2f} s   (target <= 20 s)")
    print(f"  then a normal photo: {after[0]} in {after[1]:.2f} s   (target <= 3 s)")


def _tree_rss_kb(watcher: object) -> int:
    """The sum of VmRSS over the process tree of the watcher's root."""
    watcher.sample()  # type: ignore[attr-defined]
    total = 0
    for pid in {pid for pid, _ in watcher.procs}:  # type: ignore[attr-defined]
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "framer-memory")
    ap.add_argument("--only", default="", help="comma-separated picture names (default: all)")
    ap.add_argument("--doors", default="web,apply", help="web, apply or both (default web,apply)")
    ap.add_argument("--no-serve", action="store_true", help="skip the framer serve scenario")
    ap.add_argument("--make", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--frame", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.make:
        _make_one(args.make[0], Path(args.make[1]))
        return
    if args.frame:
        print(json.dumps(frame_one(args.frame[0], Path(args.frame[1]))))
        return
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(_cases())
    print(f"framer memory benchmark: {os.cpu_count()} CPUs")
    per_format(args.workdir.resolve(), names, args.doors.split(","))
    if not args.no_serve:
        serve_scenario(args.workdir.resolve())


if __name__ == "__main__":
    main()
