"""Benchmark framer serve over HTTP on loopback: time to preview, the framed download, and throughput.

    python benchmarks/web.py [--workers 2] [--rounds 3] [--workdir DIR]

This is a benchmark, not a test: it prints a table and always exits 0 (unless a run itself fails).

The photos are bench.py's set (8 distinct phone-sized JPEGs, 12-23 MP, of real portraits with real-photo
entropy, made once and cached in the work folder). The server is the real one, `framer.web` under
uvicorn, in a process of its own (this script re-invoked with --serve), with `--workers` worker
processes and the built-in frame, judged on a day of its campaign. The client uses http.client, one
connection per request, as a browser's fresh upload would:

- time to preview: POST /api/photos of one phone-sized JPEG, from the moment the last byte of the upload is
  handed to the socket to the moment the JSON answer (faces, placements, the preview's address) is
  read. On loopback the last bytes arrive within a millisecond or two. Measured one upload at a time
  (each photo of the set, --rounds times), and with 16 uploads at once (started together from 16
  threads, --rounds times): every one must be answered 200.
- preview.jpg: GET of the screen-sized preview the page draws, one at a time.
- framed: GET /api/photos/ID/framed?zoom=1.1 (the 1080 px download), one at a time.
- throughput: uploads per second, one by one (the sequential runs above, wall-clock) against 16 at
  once (16 / the wall-clock of each burst); the issue asks for at least 1.3x with 2 workers.

Before each measurement the script waits (up to --quiet-wait s) for the rest of the machine to be idle,
as bench.py does; on a shared machine, keep the best of a few runs.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench import _repo_version, make_sources, wait_for_quiet

AT_ONCE = 16
TARGET_PREVIEW_S = 0.5  # the issue: the first framed preview within 0.5 s of the upload's end
TARGET_SPEEDUP = 1.3
BOUNDARY = "framer-benchmark-boundary"


def serve(workers: int) -> None:
    """The server (this script with --serve): prints its port, then serves until SIGINT."""
    from datetime import date

    from framer.frames.registry import load_frame
    from framer.web.app import create_app
    from framer.web.service import Config
    from framer.web.serving import listen, server

    app = create_app(Config([load_frame("dx-2023").settled()], workers=workers, on_date=date(2023, 10, 5)))
    sock = listen("127.0.0.1", 0)
    print(sock.getsockname()[1], flush=True)
    with sock, contextlib.suppress(KeyboardInterrupt):  # uvicorn passes on the SIGINT it stopped for
        server(app, access_log=False).run(sockets=[sock])


class Server:
    """The server process, started and waited for; stopped (Ctrl-C, as a person would) at the end."""

    def __init__(self, workers: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--workers", str(workers)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())
        deadline = time.monotonic() + 120
        while True:
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.send_signal(2)
        self.process.wait(60)


def multipart(data: bytes, name: str = "photo.jpg") -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="{name}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes, float, float]:
    """One request on a fresh connection: (status, body, seconds from the upload's end to the answer
    read, seconds in all)."""
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"} if body is not None else {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        sent = time.perf_counter()
        response = connection.getresponse()
        answer = response.read()
        done = time.perf_counter()
    finally:
        connection.close()
    return response.status, answer, done - sent, done - started


def at_once(n: int, work: Callable[[int], tuple[int, bytes, float, float]]) -> tuple[list[tuple], float]:
    """`work(i)` for i < n, all started together from n threads: the results and the wall-clock."""
    results: list[tuple] = [()] * n
    barrier = threading.Barrier(n + 1)

    def one(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return results, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile `p` (0-100) of `values`."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--workers", type=int, default=2, help="the server's worker processes (default 2)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of each measurement (default 3)")
    ap.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "framer-bench",
        help="where bench.py's phone-sized set is cached (default: <tmp>/framer-bench)",
    )  # fmt: skip
    ap.add_argument("--quiet-wait", type=float, default=30.0, help="seconds to wait for an idle machine")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.workers)
        return

    print(f"framer serve benchmark: {args.workers} workers, {os.cpu_count()} CPUs; framer {_repo_version()}")
    photos = [p.read_bytes() for p in make_sources(args.workdir.resolve())]
    bodies = [multipart(data) for data in photos]
    print(
        f"photos: {len(photos)} phone-sized JPEGs (12-23 MP),"
        f" {sum(map(len, photos)) / len(photos) / 1e6:.1f} MB on average"
    )
    server = Server(args.workers)
    try:
        post = lambda i: request(server.port, "POST", "/api/photos", bodies[i % len(bodies)])  # noqa: E731
        for i in range(len(bodies)):  # warm-up: every worker's first photo, not reported
            post(i)

        wait_for_quiet(args.quiet_wait)
        alone: list[tuple] = []
        started = time.perf_counter()
        for _ in range(args.rounds):
            alone += [post(i) for i in range(len(bodies))]
        one_by_one = len(alone) / (time.perf_counter() - started)

        bursts: list[tuple] = []
        rates = []
        for _ in range(args.rounds):
            wait_for_quiet(args.quiet_wait)
            results, wall = at_once(AT_ONCE, post)
            bursts += results
            rates.append(AT_ONCE / wall)

        # The store keeps the latest photos only: these are kept for the downloads.
        ids = [json.loads(post(i)[1])["id"] for i in range(len(bodies))]
        wait_for_quiet(args.quiet_wait)
        previews = [request(server.port, "GET", f"/api/photos/{i}/preview.jpg") for i in ids * args.rounds]
        framed = [request(server.port, "GET", f"/api/photos/{i}/framed?zoom=1.1") for i in ids * args.rounds]
    finally:
        server.stop()

    failed = [r[0] for r in alone + bursts + previews + framed if r[0] != 200]

    def row(label: str, samples: list[tuple], column: int = 2) -> None:
        times = [r[column] for r in samples]
        print(f"  {label:44} {percentile(times, 50):7.3f} {percentile(times, 95):7.3f} {len(times):5}")

    print(f"\n  {'seconds':44} {'p50':>7} {'p95':>7} {'n':>5}")
    row("time to preview, one upload at a time", alone)
    row(f"time to preview, {AT_ONCE} uploads at once", bursts)
    row("GET preview.jpg", previews, 3)
    row("GET framed (1080 px JPEG)", framed, 3)
    best = max(rates)
    print(f"\n  uploads per second, one by one        {one_by_one:6.2f}")
    each = ", ".join(f"{r:.2f}" for r in rates)
    print(f"  uploads per second, {AT_ONCE} at once        {best:6.2f}   (best of {each})")
    speedup = best / one_by_one
    print(f"  {AT_ONCE} at once / one by one               {speedup:6.2f}   (target >= {TARGET_SPEEDUP})")
    p50 = percentile([r[2] for r in alone], 50)
    print(f"  time to preview p50, alone              {p50:6.3f} s (target <= {TARGET_PREVIEW_S} s)")
    print(f"  answers other than 200: {len(failed)} {sorted(set(failed)) if failed else ''}")


if __name__ == "__main__":
    main()
