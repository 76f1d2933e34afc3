"""Benchmark the employee's page as `framer publish` makes it: what a first visit downloads, what a second one
does, the time from choosing a phone-sized photo to the framed preview, and the drag's frame rate.

    python benchmarks/page.py [--rounds 3] [--workdir DIR]

This is a benchmark, not a test: it prints a table and exits 0 (unless a run itself fails).

- The page: `framer publish` into a temporary folder (the built-in frame, --ignore-window), served by
  Python's plain static server (http.server) on loopback, as a static host would.
- The browser: Debian's chromium, headless, driven by Playwright, at 360 x 740 (a phone), one context.
- First visit: every response's body bytes, as served and as they would be with gzip -6 (what a web
  server compressing its answers sends). Second visit: a new page in the same context (the browser's
  cache), counting the bytes sent with 200 answers (304s carry none).
- Time to preview: from `set_input_files` on the page's file input to the moment the page says it is done
  (`#work[aria-busy=false]` with a photo in it), for each of bench.py's 8 phone-sized JPEGs (12-23 MP,
  real-photo entropy), --rounds times; the first photo of a visit also loads the detector (its model and
  runtime), reported apart.
- Drag: 120 pointer moves dispatched over the photo, one per animation frame; the frames the page drew
  (its canvas's redraws, counted by a requestAnimationFrame probe) per second.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import make_sources

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


SERVED: list[tuple[str, int]] = []  # (path, status) of every answer the static server gave


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        SERVED.append((self.path, code))
        super().send_response(code, message)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "framer-bench")
    a = parser.parse_args()
    sources = make_sources(a.workdir)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "framer", "publish", site, "--ignore-window"], check=True)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            run(url, site, sources, a.rounds)
        finally:
            server.shutdown()
            server.server_close()


def run(url: str, site: Path, sources: list[Path], rounds: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        context.add_init_script(COUNT_DONE)
        bodies: dict[str, tuple[int, int]] = {}

        def on_response(response: object) -> None:
            path = response.url.removeprefix(url)  # type: ignore[attr-defined]
            status = response.status  # type: ignore[attr-defined]
            local = site / (path.split("?")[0] or "index.html")
            if status == 200 and local.is_file():
                data = local.read_bytes()
                bodies[path] = (len(data), len(gzip.compress(data, 6)))

        page = context.new_page()
        page.on("response", on_response)
        page.goto(url)
        page.wait_for_selector("#work[data-ready=true]", state="attached")
        first_photo = choose(page, sources[0])
        first = dict(bodies)
        times = []
        for _ in range(rounds):
            for source in sources:
                times.append(choose(page, source))
        fps = drag(page)

        SERVED.clear()
        again = context.new_page()
        again.on("response", on_response)
        again.goto(url)
        again.wait_for_selector("#work[data-ready=true]", state="attached")
        choose(again, sources[0])
        second = [(path, status) for path, status in SERVED if status == 200]
        revalidated = sum(status == 304 for _, status in SERVED)
        browser.close()

    raw, packed = sum(v[0] for v in first.values()), sum(v[1] for v in first.values())
    print(f"first visit: {len(first)} files, {raw / 1e6:.2f} MB as served, {packed / 1e6:.2f} MB with gzip")
    for path, (n, z) in sorted(first.items(), key=lambda kv: -kv[1][0])[:6]:
        print(f"  {path:60} {n / 1e3:9.1f} kB  gzip {z / 1e3:8.1f} kB")
    again = sum((site / (p.lstrip("/").split("?")[0] or "index.html")).stat().st_size for p, _ in second)
    print(
        f"second visit: {len(second)} files sent again ({again / 1e3:.1f} kB), {revalidated} answered"
        " 304 (not modified), the rest from the browser's cache"
    )
    print(f"time to the framed preview, first photo of a visit (loads the detector): {first_photo:.2f} s")
    print(
        f"time to the framed preview, {len(times)} phone JPEGs (12-23 MP):"
        f" median {statistics.median(times):.2f} s, p90 {sorted(times)[int(0.9 * (len(times) - 1))]:.2f} s,"
        f" max {max(times):.2f} s (goal: 1.5 s)"
    )
    print(f"drag: {fps:.0f} frames drawn per second")


# Counts the page's finished tasks: aria-busy going from "true" back to "false".
COUNT_DONE = """window.__done = 0;
new MutationObserver((changes) => { for (const c of changes) {
  if (c.oldValue === 'true' && c.target.getAttribute('aria-busy') === 'false') window.__done++; } })
  .observe(document, {subtree: true, attributes: true, attributeOldValue: true,
           attributeFilter: ['aria-busy']});"""


def choose(page: object, photo: Path) -> float:
    """Seconds from choosing `photo` to the page being done with it (framed, or said why not)."""
    before = page.evaluate("() => window.__done")  # type: ignore[attr-defined]
    start = time.perf_counter()
    page.set_input_files("#photo", str(photo))  # type: ignore[attr-defined]
    while page.evaluate("() => window.__done") == before:  # type: ignore[attr-defined]
        if time.perf_counter() - start > 60:
            raise TimeoutError(f"{photo.name} was not framed in 60 s")
        time.sleep(0.005)
    return time.perf_counter() - start


def drag(page: object) -> float:
    """Frames per second the page draws while the photo is dragged (one move per animation frame)."""
    return float(
        page.evaluate(  # type: ignore[attr-defined]
            """async () => {
              const canvas = document.getElementById('avatar');
              const box = canvas.getBoundingClientRect();
              let frames = 0;
              const ctx = canvas.getContext('2d');
              const draw = ctx.drawImage.bind(ctx);
              ctx.drawImage = (...args) => { frames++; return draw(...args); };
              const x0 = box.left + box.width / 2, y0 = box.top + box.height / 2;
              const fire = (type, x, y) => canvas.dispatchEvent(new PointerEvent(type, {
                pointerId: 1, clientX: x, clientY: y, bubbles: true, pointerType: 'touch',
                isPrimary: true }));
              fire('pointerdown', x0, y0);
              const start = performance.now();
              let drawn = 0;
              for (let i = 0; i < 120; i++) {
                fire('pointermove', x0 + Math.sin(i / 10) * 40, y0 + Math.cos(i / 10) * 40);
                await new Promise((r) => requestAnimationFrame(r));
                drawn++;
              }
              fire('pointerup', x0, y0);
              const seconds = (performance.now() - start) / 1000;
              ctx.drawImage = draw;
              return (frames > 0 ? drawn : 0) / seconds;
            }"""
        )
    )


if __name__ == "__main__":
    main()
