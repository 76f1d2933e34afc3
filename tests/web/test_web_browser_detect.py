"""The published page's face detector (static/detect.js) in a real browser, against framer's Python one.

A plain static HTTP server on loopback serves a folder laid out as a published one (the module with the
vendored ONNX Runtime Web beside it, the model, the photos) and a small test page under the
Content-Security-Policy the page uses, with no cross-origin isolation: all a static host gives. Debian's
chromium, driven by Playwright (as test_web_browser), decodes each photo as the page does and finds its
faces; the tests compare with framer.core.detect.FaceDetector on the same file. One browser, one page, one
detector for the whole module, and many photos per call into the page.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import statistics
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from os import PathLike
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

import numpy as np
import pytest
from PIL import Image

from framer.core import detect
from framer.core.compose import resize
from framer.core.detect import FaceDetector
from framer.core.geometry import Face
from framer.core.images import load_photo
from helpers import DATA, two_people

# The published page's policy: its own files only, and WebAssembly compiled from them ('wasm-unsafe-eval':
# without it Chromium refuses to compile ONNX Runtime's .wasm).
CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:"
MODEL = "models/" + detect.MODEL_NAME
PHOTOS = sorted(p.name for p in DATA.iterdir() if p.suffix in {".jpg", ".png", ".gif", ".webp"})
FACES = [name for name in PHOTOS if name != "chelsea.png"]  # Chelsea is a cat
GROUP = "two_people.jpg"
SLIVER = "sliver.png"  # 2400 x 36: 640 x 10 at 640 px, the narrowest copy the model is shown
TOLERANCE = 2.0  # px: see allowed()

Found = dict[str, Any]  # what the page's detector gives for a photo: width, height, scale, faces
JsFace = dict[str, float]  # one of its faces: x, y, w, h, eyeY, mouthY, score

PAGE = f"""<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<link rel="icon" href="data:,">
<title>detect.js</title>
<script type="module" src="probe.js"></script>
</head><body></body></html>
"""

# The test page's module: each photo decoded by decodePhoto and drawn as the page draws it, then detected.
PROBE = """import { createDetector, decodePhoto, reduce, SETTINGS } from "./detect.js";

let detector;

async function pixelsOf(url, maxPixels) {
  const photo = await decodePhoto(await (await fetch(url)).blob(), maxPixels);
  const canvas = new OffscreenCanvas(photo.width, photo.height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(photo.bitmap, 0, 0);
  photo.bitmap.close();
  const { data, width, height } = context.getImageData(0, 0, photo.width, photo.height);
  return { pixels: { data, width, height }, scale: photo.scale };
}

async function bytesOf(url) {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

window.probe = {
  settings: SETTINGS,
  isolation: { crossOriginIsolated: self.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer },
  async start(modelUrl) {
    const start = performance.now();
    detector = await createDetector({ modelUrl });
    return performance.now() - start;
  },
  async detect(urls, maxPixels) {
    const found = {};
    for (const url of urls) {
      const { pixels, scale } = await pixelsOf(url, maxPixels);
      const faces = await detector.detect(pixels);
      found[url.split("/").pop()] = { width: pixels.width, height: pixels.height, scale, faces };
    }
    return found;
  },
  async time(urls, sizes, repeat) {
    const times = {};
    for (const url of urls) {
      const { pixels } = await pixelsOf(url);
      const name = url.split("/").pop();
      times[name] = {};
      for (const size of sizes) {
        await detector.detectAt(pixels, size);
        const s = size / Math.max(pixels.width, pixels.height);
        const [w, h] = [Math.round(pixels.width * s), Math.round(pixels.height * s)];
        times[name][size] = { look: [], copy: [] };
        for (let i = 0; i < repeat; i++) {
          let start = performance.now();
          await detector.detectAt(pixels, size);
          times[name][size].look.push(performance.now() - start);
          start = performance.now();
          reduce(pixels, w, h);
          times[name][size].copy.push(performance.now() - start);
        }
      }
    }
    return times;
  },
  async reduce(cases) {
    const results = [];
    for (const { input, width, height, size, expected } of cases) {
      const data = new Uint8ClampedArray((await bytesOf(input)).buffer);
      const want = await bytesOf(expected);
      const got = reduce({ data, width, height }, size[0], size[1]).data;
      let max = 0;
      let differing = 0;
      let opaque = true;
      for (let i = 0, j = 0; j < want.length; i += 4, j += 3) {
        for (let c = 0; c < 3; c++) {
          const d = Math.abs(got[i + c] - want[j + c]);
          max = Math.max(max, d);
          differing += d > 0;
        }
        opaque &&= got[i + 3] === 255;
      }
      results.push({ max, differing, values: want.length, opaque });
    }
    return results;
  },
};
"""


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """A static host: files as they are, with the types hosts give modules and WebAssembly; no log."""

    TYPES: ClassVar = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def guess_type(self, path: str | PathLike[str]) -> str:
        return self.TYPES.get(Path(path).suffix) or super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out as a published one: detect.js with its vendor folder beside it (from the installed
    package, so that its package data is what is tested), the model, the photos and the test page."""
    folder = tmp_path_factory.mktemp("site")
    with as_file(files("framer.web") / "static") as static:
        shutil.copy(static / "detect.js", folder)
        shutil.copytree(static / "vendor", folder / "vendor")
    (folder / "models").mkdir()
    (folder / MODEL).write_bytes((files("framer") / "models" / detect.MODEL_NAME).read_bytes())
    shutil.copytree(DATA, folder / "photos", ignore=shutil.ignore_patterns("*.md", "*.py"))
    two_people(folder / "photos" / GROUP)
    with Image.open(DATA / "grace_hopper.jpg") as hopper:
        hopper.resize((2400, 36)).save(folder / "photos" / SLIVER)
    (folder / "probe.html").write_text(PAGE, encoding="utf-8")
    (folder / "probe.js").write_text(PROBE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def host(site: Path) -> Iterator[str]:
    """The folder served by Python's http.server on a free loopback port, in a thread: its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(StaticHost, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@dataclass
class Seen:
    """Every request the page made, and what it must not do: CSP refusals, errors and warnings."""

    requests: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def seen() -> Seen:
    return Seen()


@pytest.fixture(scope="module")
def probe(browser: Any, host: str, seen: Seen) -> Iterator[Any]:
    """The test page with its detector built, in a context that refuses any host but the loopback one."""
    context = browser.new_context()
    context.set_default_timeout(60_000)

    def guard(route: Any) -> None:
        if urlparse(route.request.url).hostname != "127.0.0.1":
            route.abort()
        else:
            route.continue_()

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            seen.refused.append(message.text)
        elif message.type in ("error", "warning"):
            seen.errors.append(message.text)

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda request: seen.requests.append((request.method, request.url)))
    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.goto(host + "probe.html")
    page.wait_for_function("window.probe !== undefined")
    page.startup_ms = page.evaluate("url => probe.start(url)", MODEL)
    yield page
    context.close()


@pytest.fixture(scope="module")
def found(probe: Any) -> dict[str, Found]:
    """What the page's detector finds in every test photo and the group photo, by file name."""
    return probe.evaluate(
        "urls => probe.detect(urls)", [f"photos/{name}" for name in [*PHOTOS, GROUP, SLIVER]]
    )


@pytest.fixture(scope="module")
def python_faces(site: Path) -> dict[str, list[Face]]:
    """What framer.core.detect.FaceDetector finds in the same files, decoded by
    framer.core.images.load_photo."""
    detector = FaceDetector()
    return {name: detector(load_photo(site / "photos" / name)) for name in [*PHOTOS, GROUP, SLIVER]}


def allowed(size: tuple[int, int]) -> float:
    """The largest difference allowed between the two detectors' box edges and eye lines, in photo px.

    YuNet looks at a copy of at most 640 px and knows a face to about a pixel of that copy: in a bigger
    photo, a pixel of the copy is several of the photo's (6 in a 4000 px one). What may differ between the
    two detectors is the decoders (Pillow's and the browser's: a level here and there, on another browser
    or build) and the two runtimes' float arithmetic, a fraction of a pixel of the copy. So: 2 px, and in
    a photo over 640 px, 2 px of a 640 px copy of it (12.5 px in a 12 MP photo). Chromium decodes these
    files to Pillow's pixels, and the boxes measured here agree to a thousandth of a pixel.
    """
    return TOLERANCE * max(1.0, max(size) / detect.DETECT_SIZE)


def differences(python: list[Face], js: list[JsFace]) -> list[float]:
    """For each face, the largest difference of its box's edges and its eye line."""
    return [
        max(
            abs(p.box.x - j["x"]),
            abs(p.box.y - j["y"]),
            abs(p.box.right - (j["x"] + j["w"])),
            abs(p.box.bottom - (j["y"] + j["h"])),
            abs((p.eye_y or 0.0) - j["eyeY"]),
        )
        for p, j in zip(python, js, strict=True)
    ]


def iou(python: Face, js: JsFace) -> float:
    """How much two boxes are one: their intersection over their union."""
    p = python.box
    x0, y0 = max(p.x, js["x"]), max(p.y, js["y"])
    x1, y1 = min(p.right, js["x"] + js["w"]), min(p.bottom, js["y"] + js["h"])
    shared = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    return shared / (p.w * p.h + js["w"] * js["h"] - shared)


def test_the_page_runs_without_cross_origin_isolation(probe: Any) -> None:
    isolation = probe.evaluate("probe.isolation")
    assert isolation == {"crossOriginIsolated": False, "sharedArrayBuffer": "undefined"}


def test_the_detector_has_pythons_settings(probe: Any) -> None:
    assert probe.evaluate("probe.settings") == {
        "detectSize": detect.DETECT_SIZE,
        "scoreThreshold": detect.SCORE_THRESHOLD,
        "nmsThreshold": detect.NMS_THRESHOLD,
        "quickSize": detect.QUICK_SIZE,
        "fineSize": detect.FINE_SIZE,
        "minFacePx": detect.MIN_FACE_PX,
        "prominent": detect.PROMINENT,
        "topK": 5000,
    }


@pytest.mark.parametrize("name", FACES)
def test_the_browser_finds_the_faces_python_finds_where_python_finds_them(
    name: str, found: dict[str, Found], python_faces: dict[str, list[Face]]
) -> None:
    python, js = python_faces[name], found[name]
    size = (js["width"], js["height"])
    upright = load_photo(DATA / name).shape
    assert size == (upright[1], upright[0]) and js["scale"] == 1
    assert python, "a face for Python"
    assert len(js["faces"]) == len(python)
    worst = max(differences(python, js["faces"]))
    print(f"{name}: {size[0]}x{size[1]}, largest difference {worst:.4f} px")
    assert worst <= allowed(size)
    assert all(iou(p, j) > 0.95 for p, j in zip(python, js["faces"], strict=True)), "the same faces"


def test_a_group_photo_gives_both_people_in_pythons_order(
    found: dict[str, Found], python_faces: dict[str, list[Face]]
) -> None:
    faces = found[GROUP]["faces"]
    assert len(faces) == 2 == len(python_faces[GROUP])
    assert faces[0]["w"] * faces[0]["h"] > faces[1]["w"] * faces[1]["h"]  # largest first: Grace Hopper
    assert max(differences(python_faces[GROUP], faces)) <= TOLERANCE


@pytest.mark.parametrize("name", ["hopper_exif3.jpg", "hopper_exif6.jpg", "hopper_exif8.jpg"])
def test_an_exif_rotated_photo_gives_its_face_upright(name: str, found: dict[str, Found]) -> None:
    upright, turned = found["grace_hopper.jpg"], found[name]
    assert (turned["width"], turned["height"]) == (upright["width"], upright["height"]) == (512, 600)
    (face,) = turned["faces"]
    (reference,) = upright["faces"]
    assert face["y"] < face["eyeY"] < face["mouthY"] < face["y"] + face["h"]
    for key in ("x", "y", "w", "h", "eyeY"):
        assert abs(face[key] - reference[key]) < 4  # the same photo, stored turned and JPEG-compressed again


def test_a_cat_has_no_face(found: dict[str, Found], python_faces: dict[str, list[Face]]) -> None:
    assert found["chelsea.png"]["faces"] == [] == python_faces["chelsea.png"]


def test_a_sliver_gives_no_face_and_no_error(
    found: dict[str, Found], python_faces: dict[str, list[Face]]
) -> None:
    assert (found[SLIVER]["width"], found[SLIVER]["height"]) == (2400, 36)
    assert found[SLIVER]["faces"] == [] == python_faces[SLIVER]


def test_a_photo_over_the_pixel_limit_is_decoded_reduced_and_its_face_found_in_the_same_place(
    probe: Any, python_faces: dict[str, list[Face]]
) -> None:
    limit = 1_000_000
    urls = ["photos/hopper_12mp.jpg", "photos/hopper_exif6.jpg"]
    reduced = probe.evaluate("([urls, limit]) => probe.detect(urls, limit)", [urls, limit])
    big = reduced["hopper_12mp.jpg"]
    assert big["width"] * big["height"] <= limit
    assert abs(big["width"] / big["height"] - 3 / 4) < 0.002
    assert big["scale"] == pytest.approx(big["width"] / 3000)
    (face,) = big["faces"]
    (full,) = python_faces["hopper_12mp.jpg"]
    # The same face, found on another copy: Chromium's reduced decode instead of the area average of the
    # full photo. YuNet's box moves by a few px of its 320 px copy between two such copies (measured: up
    # to 45 px of this 4000 px photo, 1.1 %).
    scaled = {key: value / big["scale"] for key, value in face.items() if key != "score"}
    assert iou(full, scaled) > 0.85
    assert abs(scaled["eyeY"] - (full.eye_y or 0.0)) < 0.02 * 4000

    assert (reduced["hopper_exif6.jpg"]["width"], reduced["hopper_exif6.jpg"]["height"]) == (512, 600)
    small = probe.evaluate("url => probe.detect([url], 100000)", "photos/hopper_exif6.jpg")[
        "hopper_exif6.jpg"
    ]
    assert small["width"] < small["height"], "reduced after being turned upright"
    assert (
        small["scale"]
        == pytest.approx(small["width"] / 512)
        == pytest.approx(small["height"] / 600, rel=0.01)
    )
    assert small["width"] * small["height"] <= 100_000 and len(small["faces"]) == 1


def test_the_reduce_port_matches_compose_resize(probe: Any, site: Path) -> None:
    """detect.js's reduce against framer.core.compose.resize(fine=False) on random pictures of many sizes:
    shrinking by whole and broken factors, slivers, enlarging (bicubic)."""
    rng = np.random.default_rng(19)
    shapes = [
        ((640, 480), (320, 240)),
        ((2000, 2600), (246, 320)),
        ((1, 700), (1, 320)),
        ((96, 112), (549, 640)),
    ]
    for _ in range(24):
        w, h = (int(v) for v in rng.integers(1, 1000, 2))
        side = int(rng.choice([320, 640, int(rng.integers(10, 1000))]))
        s = side / max(w, h)
        shapes.append(((w, h), (max(1, round(w * s)), max(1, round(h * s)))))
    cases = []
    for i, ((w, h), size) in enumerate(shapes):
        # Smooth shapes and noise, strong in half of them: every level and edge a photo has.
        wave = np.sin(np.arange(w) / rng.uniform(2, 40))[None, :] * np.cos(np.arange(h) / 9.0)[:, None]
        noise = rng.integers(-80 if i % 2 else -20, 81 if i % 2 else 21, (h, w, 3), dtype=np.int16)
        rgb = np.clip(128 + 100 * wave[..., None] + noise, 0, 255).astype(np.uint8)
        np.dstack([rgb, np.full((h, w), 255, np.uint8)]).tofile(site / f"in{i}.raw")
        resize(rgb, size, fine=False).tofile(site / f"out{i}.raw")
        cases.append(
            {"input": f"in{i}.raw", "width": w, "height": h, "size": size, "expected": f"out{i}.raw"}
        )
    results = probe.evaluate("cases => probe.reduce(cases)", cases)
    lines = [
        f"{w}x{h} -> {size[0]}x{size[1]}: {r['max']} ({r['differing']} of {r['values']})"
        for ((w, h), size), r in zip(shapes, results, strict=True)
    ]
    print("reduce against compose.resize(fine=False), largest difference in levels:\n  " + "\n  ".join(lines))
    assert all(r["opaque"] for r in results)
    assert max(r["max"] for r in results) <= 1, lines
    # Shrinking is OpenCV's integer arithmetic, ported to the level; enlarging is the Intel IPP bicubic of
    # the OpenCV pip installs, in float32: one level apart in a few values in ten thousand.
    shrunk = [r["max"] for ((w, h), to), r in zip(shapes, results, strict=True) if to[0] <= w and to[1] <= h]
    assert shrunk and max(shrunk) == 0, lines


def test_detection_time_in_chromium(probe: Any, record_testsuite_property: Any) -> None:
    """Measured, not asserted: one look at 320 px and one at 640 (the copy and the model), per photo, the
    median of 3 after a first run; and how long the detector took to build (model, WebAssembly, session)."""
    names = ["grace_hopper.jpg", "astronaut_edge.jpg", "hopper_12mp.jpg", GROUP]
    urls = [f"photos/{name}" for name in names]
    times = probe.evaluate("([urls, sizes]) => probe.time(urls, sizes, 3)", [urls, [320, 640]])
    lines = [f"createDetector: {probe.startup_ms:.0f} ms"]
    for name, by_size in times.items():
        medians = {
            size: {part: statistics.median(ms) for part, ms in t.items()} for size, t in by_size.items()
        }
        lines.append(
            f"{name}: "
            + ", ".join(f"{size} px {m['look']:.0f} ms (copy {m['copy']:.0f})" for size, m in medians.items())
        )
        record_testsuite_property(f"detect_ms {name}", medians)
    print("detection time in Chromium, one look:\n  " + "\n  ".join(lines))


def test_every_request_the_page_made_was_a_get_to_the_loopback_server(
    probe: Any, host: str, seen: Seen
) -> None:
    """The last test: after all the photos above, nothing left the machine and nothing was refused."""
    assert seen.requests
    assert all(method == "GET" and url.startswith(host) for method, url in seen.requests), seen.requests
    loaded = {urlparse(url).path.removeprefix("/") for _, url in seen.requests}
    vendor = "vendor/onnxruntime-web/"
    assert {
        "detect.js",
        vendor + "ort.wasm.bundle.min.mjs",
        vendor + "ort-wasm-simd-threaded.wasm",
        MODEL,
    } <= loaded
    assert not seen.refused, f"refused by the Content-Security-Policy: {seen.refused}"
    assert not seen.errors, f"errors or warnings in the page: {seen.errors}"
