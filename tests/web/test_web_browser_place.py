"""The placement the static page runs on the phone (framer/web/static/place.js) against the Python it
ports (framer.core.geometry, framer.core.pipeline's plan_photo and finish), in the real browser (Debian's
chromium, driven by Playwright, as test_web_browser).

Thousands of seeded cases: faces of any size, shape and eye line, near or past the photo's edges; photos
tiny to huge, landscape and portrait; windows of the shapes frames have, their masks from real alpha (the
built-in frame, frames drawn here with Pillow, soft-edged or not, windows declared larger or smaller than
the hole); with and without the photo's size; zoom, shift and face number. Both sides must give the same
crop within half a pixel *of the canvas* (see crop_gap), the same faces in the same order, the same
warnings and the same invented share; the worst differences are kept in the JUnit report's properties.

Skipped only when /usr/bin/chromium is missing, and then failed instead when FRAMER_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import base64
import io
import json
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from types import SimpleNamespace
from typing import Any, ClassVar

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from framer.core import pipeline
from framer.core.compose import PreparedFrame
from framer.core.geometry import Adjust, Box, Face, Placement, WindowMask, nudge, place_face
from framer.errors import PhotoError
from framer.frames.registry import load_frame

HALF_PIXEL = 0.5  # the tolerance, in canvas px
Record = Callable[[str, object], None]  # pytest's record_testsuite_property
NOT_LAID = np.zeros(3, np.uint8)  # the pixel every generated photo is made of (see photo_of)


# --- The module in the browser ------------------------------------------------------------------------

HARNESS = """
async () => {
  const P = await import("/place.js");
  const frames = new Map();
  const face = (f) => ({ box: new P.Box(f.box.x, f.box.y, f.box.w, f.box.h), eyeY: f.eyeY,
                         mouthY: f.mouthY, score: f.score });
  const placed = (p) => ({ scale: p.scale, crop: [p.crop.x, p.crop.y, p.crop.w, p.crop.h] });
  const kinds = {
    frame(c) {
      const frame = frames.get(c.frame);
      const faces = c.faces.map(face);
      const sorted = P.sortFaces(faces);
      const plan = P.planPhoto(sorted, c.photo, frame, c.adjust);
      const done = P.finish(plan, frame, c.photo, c.reduction);
      return { ...placed(done.placement), order: sorted.map((f) => faces.indexOf(f)),
               faceNumber: done.faceNumber, warnings: done.warnings, invented: done.invented,
               inventedRaw: frame.mask.invented(plan.placement, c.photo) };
    },
    place(c) {
      const window = new P.Box(...c.window);
      const p = P.placeFace(face(c.face), c.canvas, window, c.photo);
      const q = P.nudge(p, window, c.zoom, c.shift);
      return { ...placed(q), preferred: placed(p), soft: q.isSoft,
               beyond: c.photo ? q.showsBeyond(c.photo[0], c.photo[1], window) : null };
    },
  };
  globalThis.harness = {
    addFrame(id, f) {
      const window = new P.Box(...f.window);
      const alpha = Uint8Array.from(atob(f.alpha), (ch) => ch.charCodeAt(0));
      const mask = P.WindowMask.fromAlpha(alpha, f.size[0], f.size[1], window);
      frames.set(id, { size: f.size, window, mask });
      const b = mask.box;
      return { box: [b.x, b.y, b.w, b.h], rows: mask.rows, cols: mask.cols, table: Array.from(mask.table) };
    },
    run(cases) {
      return cases.map((c) => {
        try {
          return kinds[c.kind](c);
        } catch (e) {
          return { error: e.code ?? e.name };
        }
      });
    },
    P,
  };
}
"""


class _Static(BaseHTTPRequestHandler):
    """A blank page and the module, nothing else: what the test runs is place.js as the package ships it."""

    pages: ClassVar[dict[str, tuple[bytes, str]]] = {
        "/": (b"<!doctype html><title>place.js</title>", "text/html"),
        "/place.js": (
            files("framer.web").joinpath("static", "place.js").read_bytes(),
            "text/javascript",
        ),
    }

    def do_GET(self) -> None:
        body, kind = self.pages.get(self.path, (b"", ""))
        self.send_response(200 if kind else 404)
        self.send_header("Content-Type", kind or "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    """A page on a loopback server that has imported place.js (as `harness.P`)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Static)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(f"http://127.0.0.1:{server.server_address[1]}/")
    tab.evaluate(HARNESS)
    yield tab
    context.close()
    server.shutdown()
    server.server_close()
    assert not errors, f"errors in the page: {errors}"


# --- The Python side ----------------------------------------------------------------------------------


@pytest.fixture
def python_finish(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """framer.core.pipeline.finish without its pixels: the warnings, the face and the invented share it
    decides are what is compared; rendering a 20000 px photo for each case would only make the test slow."""
    monkeypatch.setattr(pipeline, "render_portrait", lambda *args, **kwargs: None)
    monkeypatch.setattr(pipeline, "lay_frame", lambda *args, **kwargs: None)
    return pipeline.finish


def photo_of(size: tuple[int, int]) -> np.ndarray:
    """A photo of `size` (w, h) that takes no memory: plan_photo and finish read only its shape."""
    return np.broadcast_to(NOT_LAID, (size[1], size[0], 3))


def face_of(f: dict[str, Any]) -> Face:
    b = f["box"]
    return Face(Box(b["x"], b["y"], b["w"], b["h"]), f["eyeY"], f["mouthY"], f["score"])


def python_frame_case(
    case: dict[str, Any], frame: PreparedFrame, finish: Callable[..., Any]
) -> dict[str, Any]:
    """What framer apply decides for a photo of this size whose detector found these faces."""
    faces = [face_of(f) for f in case["faces"]]
    # As framer.core.detect.FaceDetector orders them (a stable sort by area, largest first).
    order = sorted(range(len(faces)), key=lambda i: faces[i].box.w * faces[i].box.h, reverse=True)
    found = [faces[i] for i in order]
    photo = photo_of(case["photo"])
    a = case["adjust"]
    adjust = Adjust(a["zoom"], tuple(a["shift"]), a["face"])
    try:
        plan = pipeline.plan_photo(photo, lambda _: found, frame, adjust)
    except PhotoError as e:
        return {"error": e.code}
    done = finish(photo, plan, frame, case["reduction"])
    return {
        "placement": done.placement,
        "order": order,
        "faceNumber": done.face_number,
        "warnings": done.warnings,
        "invented": done.invented,
        "inventedRaw": frame.mask.invented(plan.placement, tuple(case["photo"])),
    }


def python_place_case(case: dict[str, Any]) -> dict[str, Any]:
    window = Box(*case["window"])
    photo = tuple(case["photo"]) if case["photo"] else None
    try:
        p = place_face(face_of(case["face"]), tuple(case["canvas"]), window, photo)
        q = nudge(p, window, case["zoom"], tuple(case["shift"]))
    except ValueError:
        return {"error": "RangeError"}
    return {
        "placement": q,
        "preferred": p,
        "soft": q.is_soft,
        "beyond": q.shows_beyond(photo[0], photo[1], window) if photo else None,
    }


# --- Comparing ----------------------------------------------------------------------------------------


def crop_gap(py: Placement, js: dict[str, Any]) -> float:
    """How far apart the two crops are, in canvas px: each edge of the crop (photo px) times the scale.

    Canvas px are what a person sees and what render_portrait rounds to; the same half pixel in photo px
    would be a tenth of a canvas px for a 20000 px photo and several for a 100 px one enlarged."""
    x, y, w, h = js["crop"]
    c = py.crop
    return max(abs(x - c.x), abs(y - c.y), abs(x + w - c.right), abs(y + h - c.bottom)) * py.scale


@dataclass
class Worst:
    """The largest differences seen in a batch, and the cases that differ beyond the tolerances."""

    crop: float = 0.0
    invented: float = 0.0
    compared: int = 0
    errors: int = 0

    def __post_init__(self) -> None:
        self.failures: list[str] = []

    def fail(self, case: dict[str, Any], what: str) -> None:
        self.failures.append(f"{what}: {case}")

    def report(self, name: str, record: Record) -> None:
        record(f"place.js {name}: cases", self.compared)
        record(f"place.js {name}: worst crop gap (canvas px)", self.crop)
        record(f"place.js {name}: worst invented gap", self.invented)
        print(
            f"{name}: {self.compared} cases ({self.errors} refused by both), worst crop gap {self.crop:.3g} "
            f"canvas px, worst invented gap {self.invented:.3g}"
        )
        shown = "\n".join(self.failures[:8])
        assert not self.failures, f"{len(self.failures)} of {self.compared} cases differ:\n{shown}"


def compare(case: dict[str, Any], py: dict[str, Any], js: dict[str, Any], worst: Worst) -> None:
    worst.compared += 1
    if "error" in py or "error" in js:
        if py.get("error") != js.get("error"):
            worst.fail(case, f"Python {py.get('error')} but JavaScript {js.get('error')}")
        worst.errors += 1
        return
    gap = crop_gap(py["placement"], js)
    worst.crop = max(worst.crop, gap)
    if not gap <= HALF_PIXEL:
        worst.fail(case, f"crops {gap:.3g} canvas px apart ({py['placement']} / {js})")
    if "preferred" in py:
        before = crop_gap(py["preferred"], js["preferred"])
        worst.crop = max(worst.crop, before)
        if not before <= HALF_PIXEL:
            worst.fail(case, f"placements before nudging {before:.3g} canvas px apart")
    for key in ("order", "faceNumber", "warnings", "soft", "beyond"):
        if key in py and py[key] != js[key]:
            worst.fail(case, f"{key}: Python {py[key]}, JavaScript {js[key]}")
    if "invented" in py:
        raw = abs(py["inventedRaw"] - js["inventedRaw"])
        worst.invented = max(worst.invented, raw)
        # Rounded to three decimals, the same unless the raw shares differ across a rounding boundary.
        if not (raw <= 1e-9 and abs(py["invented"] - js["invented"]) <= (0.001 + 1e-12 if raw else 0)):
            worst.fail(case, f"invented {py['invented']} / {js['invented']} ({raw:.3g} apart)")


def run_js(page: Any, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The JavaScript's outcome for each case, a thousand cases a call. As JSON text both ways: ten times
    faster than Playwright's own serialising, and exact (both sides write a double's shortest repr)."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(cases), 1000):
        text = json.dumps(cases[start : start + 1000], allow_nan=False)
        out += json.loads(page.evaluate("text => JSON.stringify(harness.run(JSON.parse(text)))", text))
    return out


def add_frame(page: Any, name: str, frame: PreparedFrame) -> None:
    """Hand the frame's alpha to the page, and check it makes the same mask of it as Python does."""
    alpha = np.ascontiguousarray(np.asarray(frame.alpha))
    w = frame.window
    made = page.evaluate(
        "([id, f]) => harness.addFrame(id, f)",
        [
            name,
            {
                "size": list(frame.size),
                "window": [w.x, w.y, w.w, w.h],
                "alpha": base64.b64encode(alpha.tobytes()).decode(),
            },
        ],
    )
    mask = frame.mask
    b = mask.box
    assert made["box"] == [b.x, b.y, b.w, b.h], name
    assert (made["rows"] + 1, made["cols"] + 1) == mask.table.shape, name
    table = np.array(made["table"]).reshape(mask.table.shape)
    assert np.abs(table - mask.table).max() <= 1e-12 * max(1.0, mask.table[-1, -1]), name


# --- Generating cases ---------------------------------------------------------------------------------


def log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(math.exp(rng.uniform(math.log(low), math.log(high))))


def photo_size(rng: np.random.Generator) -> tuple[int, int]:
    """Any photo: mostly a phone's, some tiny, some huge, landscape and portrait, a few slivers."""
    kind = rng.random()
    if kind < 0.15:
        return int(rng.integers(8, 65)), int(rng.integers(8, 65))
    if kind < 0.25:
        return int(rng.integers(8000, 20_001)), int(rng.integers(8000, 20_001))
    if kind < 0.3:
        side, long = int(rng.integers(8, 200)), int(rng.integers(2000, 20_001))
        return (side, long) if rng.random() < 0.5 else (long, side)
    return int(log_uniform(rng, 200, 6000)), int(log_uniform(rng, 200, 6000))


def random_face(rng: np.random.Generator, photo: tuple[int, int]) -> dict[str, Any]:
    """A face of any size and shape (wider than tall too), anywhere, even partly past the photo's edges,
    its eye line where detectors put it, odd, or unknown."""
    pw, ph = photo
    w = log_uniform(rng, 0.5, max(1.0, 1.3 * min(pw, ph)))
    h = w * log_uniform(rng, 0.6, 1.7)
    if rng.random() < 0.25:  # near or past the edges
        x, y = rng.uniform(-0.6 * w, pw - 0.4 * w), rng.uniform(-0.6 * h, ph - 0.4 * h)
    else:
        x, y = rng.uniform(0, max(pw - w, 0)), rng.uniform(0, max(ph - h, 0))
    kind = rng.random()
    eye = None if kind < 0.25 else y + rng.uniform(0.3, 0.5) * h if kind < 0.8 else y + rng.uniform(-1, 2) * h
    mouth = None if eye is None else eye + rng.uniform(-0.2, 0.5) * h
    box = {"x": float(x), "y": float(y), "w": float(w), "h": float(h)}
    return {"box": box, "eyeY": eye, "mouthY": mouth, "score": float(rng.uniform(0.7, 1))}


def random_adjust(rng: np.random.Generator, faces: int) -> dict[str, Any]:
    """Zoom 0.3-3, shift within half the window, and now and then another face (or one not there)."""
    zoom = 1.0 if rng.random() < 0.4 else log_uniform(rng, 0.3, 3.0)
    shift = [0.0, 0.0] if rng.random() < 0.4 else [float(rng.uniform(-0.5, 0.5)) for _ in range(2)]
    face = 0 if rng.random() < 0.8 else int(rng.integers(0, faces + 1))
    return {"zoom": zoom, "shift": shift, "face": face}


def frame_cases(rng: np.random.Generator, name: str, n: int) -> list[dict[str, Any]]:
    cases = []
    for _ in range(n):
        photo = photo_size(rng)
        count = int(rng.choice([0, 1, 1, 1, 1, 1, 2, 2, 3, 4]))
        faces = [random_face(rng, photo) for _ in range(count)]
        if count > 1 and rng.random() < 0.15:  # two alike: the order, and face_number's first equal
            faces[1] = (
                dict(faces[0]) if rng.random() < 0.5 else {**faces[1], "box": {**faces[0]["box"], "x": 1.0}}
            )
        reduction = 1.0 if rng.random() < 0.7 else float(rng.choice([2.0, 4.0, 8.0, 4032 / 1008.25]))
        cases.append(
            {
                "kind": "frame",
                "frame": name,
                "faces": faces,
                "photo": list(photo),
                "adjust": random_adjust(rng, count),
                "reduction": reduction,
            }
        )
    return cases


def place_cases(rng: np.random.Generator, n: int, with_photo: bool) -> list[dict[str, Any]]:
    """Single faces in any window of any canvas (its shape the whole box), nudged."""
    cases = []
    for _ in range(n):
        cw, ch = int(rng.integers(64, 4097)), int(rng.integers(64, 4097))
        ww, wh = rng.uniform(16, cw), rng.uniform(16, ch)
        window = [float(rng.uniform(0, cw - ww)), float(rng.uniform(0, ch - wh)), float(ww), float(wh)]
        photo = photo_size(rng)
        cases.append(
            {
                "kind": "place",
                "face": random_face(rng, photo),
                "canvas": [cw, ch],
                "window": window,
                "photo": list(photo) if with_photo else None,
                "zoom": 1.0 if rng.random() < 0.3 else log_uniform(rng, 0.3, 3.0),
                "shift": [float(rng.uniform(-0.5, 0.5)) for _ in range(2)],
            }
        )
    return cases


SHAPES = ("circle", "ellipse", "rounded rectangle", "arch", "rectangle", "off-centre", "declared")


def drawn_frame(rng: np.random.Generator, shape: str) -> PreparedFrame:
    """A frame drawn with Pillow: opaque artwork with a hole of `shape`, with a few decorative holes beside
    it; half of them drawn larger and prepared as framer prepares frames (scaled down with Lanczos: soft
    edges, a fractional window), some blurred. Its window is the hole's box, or for "declared" a window
    given larger, smaller or off the hole, or over no hole at all."""
    cw, ch = int(log_uniform(rng, 64, 1400)), int(log_uniform(rng, 64, 1400))
    if shape == "off-centre":
        w, h = rng.uniform(0.2, 0.6) * cw, rng.uniform(0.2, 0.6) * ch
        x, y = (
            rng.choice([0.0, cw - w, rng.uniform(0, cw - w)]),
            rng.choice([0.0, ch - h, rng.uniform(0, ch - h)]),
        )
    else:
        w, h = rng.uniform(0.35, 0.92) * cw, rng.uniform(0.35, 0.92) * ch
        x, y = (cw - w) / 2 + rng.uniform(-0.03, 0.03) * cw, (ch - h) / 2 + rng.uniform(-0.03, 0.03) * ch
    x, y = min(max(x, 0.0), cw - w), min(max(y, 0.0), ch - h)
    k = 1.0 if rng.random() < 0.5 else rng.uniform(1.2, 2.0)  # drawing px per canvas px
    x, y, w, h = x * k, y * k, w * k, h * k
    alpha = Image.new("L", (round(cw * k), round(ch * k)), 255)
    draw = ImageDraw.Draw(alpha)
    box = (x, y, x + w, y + h)
    if shape == "circle":
        side = min(w, h)
        box = (x + (w - side) / 2, y + (h - side) / 2, x + (w + side) / 2, y + (h + side) / 2)
        draw.ellipse(box, fill=0)
    elif shape in ("ellipse", "off-centre", "declared") and rng.random() < 0.7:
        draw.ellipse(box, fill=0)
    elif shape == "rounded rectangle" or (shape == "declared" and rng.random() < 0.5):
        draw.rounded_rectangle(box, radius=rng.uniform(0.06, 0.5) * min(w, h), fill=0)
    elif shape == "arch":
        draw.ellipse((x, y, x + w, y + min(w, 2 * h)), fill=0)
        draw.rectangle((x, y + min(w, 2 * h) / 2, x + w, y + h), fill=0)
    else:
        draw.rectangle(box, fill=0)
    for _ in range(int(rng.integers(0, 4))):  # stars in the banner: holes that are not the window
        sx, sy = rng.uniform(0, alpha.width), rng.uniform(0, alpha.height)
        draw.ellipse((sx, sy, sx + 6 * k, sy + 6 * k), fill=0)
    if rng.random() < 0.4:
        alpha = alpha.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 4) * k))
    a = np.asarray(alpha)
    ys, xs = np.nonzero(a[int(y) : math.ceil(y + h), int(x) : math.ceil(x + w)] < 128)
    if len(ys):
        x, y = int(x) + xs.min(), int(y) + ys.min()
        w, h = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    window = Box(float(x), float(y), float(w), float(h))
    if shape == "declared":
        d = rng.uniform(-0.15, 0.15, 4) * [w, h, w, h]
        window = [
            Box(
                window.x - abs(d[0]), window.y - abs(d[1]), window.w + 2 * abs(d[2]), window.h + 2 * abs(d[3])
            ),
            Box(
                window.x + abs(d[0]), window.y + abs(d[1]), window.w - 2 * abs(d[2]), window.h - 2 * abs(d[3])
            ),
            Box(window.x + d[0], window.y + d[1], window.w, window.h),
            Box(0.0, 0.0, min(12.5, cw / 8), min(16.25, ch / 8)),  # in the artwork's corner: no hole
        ][rng.integers(0, 4)]
    image = Image.new("RGBA", alpha.size, (200, 30, 40, 255))
    image.putalpha(alpha)
    return PreparedFrame.for_output(image, window, max(cw, ch))


@cache
def builtin(side: int) -> PreparedFrame:
    frame = load_frame("dx-2023").settled()
    assert frame.window is not None
    return PreparedFrame.for_output(frame.open_image(), frame.window, side)


# --- The tests ----------------------------------------------------------------------------------------


def check_frames(
    page: Any, frames: dict[str, PreparedFrame], cases: list[dict[str, Any]], finish: Callable[..., Any]
) -> Worst:
    for name, frame in frames.items():
        add_frame(page, name, frame)
    worst = Worst()
    for case, js in zip(cases, run_js(page, cases), strict=True):
        compare(case, python_frame_case(case, frames[case["frame"]], finish), js, worst)
    return worst


@pytest.mark.parametrize("side", [1080, 540])
def test_the_builtin_frame_places_photos_as_framer_apply(
    page: Any,
    python_finish: Callable[..., Any],
    record_testsuite_property: Record,
    side: int,
) -> None:
    rng = np.random.default_rng(side)
    name = f"dx-2023@{side}"
    worst = check_frames(page, {name: builtin(side)}, frame_cases(rng, name, 800), python_finish)
    worst.report(name, record_testsuite_property)


@pytest.mark.parametrize("shape", SHAPES)
def test_drawn_frames_place_photos_as_framer_apply(
    page: Any,
    python_finish: Callable[..., Any],
    record_testsuite_property: Record,
    shape: str,
) -> None:
    rng = np.random.default_rng(SHAPES.index(shape) + 1)
    frames = {f"{shape} {i}": drawn_frame(rng, shape) for i in range(5)}
    cases = [case for name in frames for case in frame_cases(rng, name, 90)]
    worst = check_frames(page, frames, cases, python_finish)
    worst.report(shape, record_testsuite_property)


@pytest.mark.parametrize("with_photo", [True, False], ids=["cover", "preferred look"])
def test_any_window_places_a_face_as_framer_geometry(
    page: Any, record_testsuite_property: Record, with_photo: bool
) -> None:
    rng = np.random.default_rng(100 + with_photo)
    cases = place_cases(rng, 700, with_photo)
    worst = Worst()
    for case, js in zip(cases, run_js(page, cases), strict=True):
        compare(case, python_place_case(case), js, worst)
    worst.report("cover" if with_photo else "preferred", record_testsuite_property)


def face(x: float, y: float, w: float, h: float, eye: float | None = None) -> dict[str, Any]:
    return {"box": {"x": x, "y": y, "w": w, "h": h}, "eyeY": eye, "mouthY": None, "score": 1.0}


def place(
    f: dict[str, Any],
    canvas: tuple[int, int],
    window: tuple[float, float, float, float],
    photo: tuple[int, int] | None = None,
    zoom: float = 1.0,
    shift: tuple[float, float] = (0.0, 0.0),
) -> dict[str, Any]:
    return {
        "kind": "place",
        "face": f,
        "canvas": list(canvas),
        "window": list(window),
        "photo": list(photo) if photo else None,
        "zoom": zoom,
        "shift": list(shift),
    }


SQUARE = (1080, 1080)
BUILTIN = (139.21875, 139.21875, 801.5625, 801.5625)  # the built-in frame's window at 1080 px

TRICKY = {
    # tests/test_geometry.py's own cases
    "eyes a little above the middle": place(face(40, 60, 100, 120, 110), (1000, 1000), (100, 100, 800, 800)),
    "no nudge": place(face(10, 20, 30, 40), (500, 500), (50, 50, 400, 400)),
    "a small face is soft": place(face(0, 0, 73.6, 73.6), (800, 800), (0, 0, 800, 800), (800, 800)),
    "a tight ID photo": place(face(20, 40, 160, 200), (1000, 1000), (100, 100, 800, 800), (200, 300)),
    "a face box with no width": place(face(0, 0, 0, 10), (100, 100), (0, 0, 100, 100)),
    # the searches' edges
    "covered at once": place(face(2000, 1500, 400, 500), SQUARE, BUILTIN, (4000, 3000)),
    "covered by a larger face": place(face(110, 90, 200, 250, 190), SQUARE, BUILTIN, (420, 560)),
    "covered only in part": place(face(10, 30, 180, 240, 140), SQUARE, BUILTIN, (200, 400)),
    "nothing covers: a sliver": place(face(2, 100, 16, 20), SQUARE, BUILTIN, (20, 8000)),
    "the face past the corner": place(
        face(-50, -60, 120, 150), (1080, 1350), (100, 200, 880, 900), (300, 300)
    ),
    "a face wider than tall": place(face(100, 100, 600, 200), SQUARE, (0, 0, 1080, 1080), (800, 600)),
    "an eye line below the chin": place(
        face(100, 100, 100, 120, 400), SQUARE, (0, 0, 1080, 1080), (400, 500)
    ),
    "a tiny photo, zoomed out": place(
        face(1, 1, 6, 6), SQUARE, (140, 140, 800, 800), (8, 8), 0.3, (0.5, -0.5)
    ),
    "a huge photo, zoomed in": place(
        face(9000, 5000, 900, 1100), SQUARE, (0, 0, 1080, 1080), (20000, 12000), 3
    ),
    "no zoom at all": place(face(10, 20, 30, 40), (500, 500), (50, 50, 400, 400), zoom=0.0),
}


@pytest.mark.parametrize("case", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_placements_agree(page: Any, case: dict[str, Any]) -> None:
    worst = Worst()
    compare(case, python_place_case(case), run_js(page, [case])[0], worst)
    assert not worst.failures, worst.failures


def test_faces_numbered_and_refused_as_framer_apply(page: Any, python_finish: Callable[..., Any]) -> None:
    """Face N beyond those found, none found, two faces alike, the same sizes in another order."""
    frames = {"round": builtin(540)}
    a, b = face(100, 100, 200, 250, 200), face(600, 120, 250, 200, 210)  # the same area: found order wins
    cases = [
        {"kind": "frame", "frame": "round", "faces": faces, "photo": [1200, 900], "reduction": 1.0,
         "adjust": {"zoom": 1.0, "shift": [0.0, 0.0], "face": n}}
        for faces, n in [([a, b], 1), ([b, a], 1), ([a, a], 1), ([a, b], 2), ([], 0), ([], 1), ([a], 5)]
    ]  # fmt: skip
    worst = check_frames(page, frames, cases, python_finish)
    assert not worst.failures, worst.failures
    assert worst.errors == 3


@pytest.mark.parametrize("width", [15, 13, 11, 9, 1, 16, 14, 7])
def test_the_invented_share_is_rounded_as_python_rounds_it(
    page: Any, python_finish: Callable[..., Any], width: int
) -> None:
    """A photo `width` px wide under a 16 px square window leaves (16 - width) / 16 of it to invent: odd
    sixteenths are exact ties at three decimals (0.0625), which Python rounds to even (0.062)."""
    window = Box(0.0, 0.0, 16.0, 16.0)
    frame = SimpleNamespace(size=(16, 16), window=window, mask=WindowMask.box_of(window), shows_outside=None)
    plan = pipeline.Plan([], None, Placement(1.0, window))
    py = python_finish(photo_of((width, 16)), plan, frame).invented
    js = page.evaluate(
        """w => {
          const { finish, Placement, Box, WindowMask } = harness.P;
          const window = new Box(0, 0, 16, 16);
          const plan = { faces: [], face: null, faceNumber: null, placement: new Placement(1, window) };
          const frame = { size: [16, 16], window, mask: WindowMask.boxOf(window) };
          return finish(plan, frame, [w, 16]).invented;
        }""",
        width,
    )
    assert js == py


CANVAS_MASK = """async ([png, w, h, win]) => {
  const blob = await (await fetch("data:image/png;base64," + png)).blob();
  const image = await createImageBitmap(blob, { premultiplyAlpha: "none" });
  const g = new OffscreenCanvas(w, h).getContext("2d", { willReadFrequently: true });
  g.drawImage(image, 0, 0, w, h);
  const { WindowMask, Box } = harness.P;
  const mask = WindowMask.fromRGBA(g.getImageData(0, 0, w, h).data, w, h, new Box(...win));
  return { box: [mask.box.x, mask.box.y, mask.box.w, mask.box.h], table: Array.from(mask.table) };
}"""


@pytest.mark.parametrize("which", ["dx-2023", "drawn"])
def test_a_prepared_frame_drawn_on_a_canvas_gives_the_mask_python_makes(page: Any, which: str) -> None:
    """The page's way to the mask: the frame's PNG at output size, drawn unscaled on a canvas, read back
    (fromRGBA). Scaled by the browser instead of by Pillow, its soft edge differs, and with it 1 in 60 of
    the built-in frame's placements, by up to 80 px: the page must be given the frame at output size."""
    frame = builtin(540) if which == "dx-2023" else drawn_frame(np.random.default_rng(7), "arch")
    image = frame.rgb.copy()
    image.putalpha(frame.alpha)
    out = io.BytesIO()
    image.save(out, "PNG")
    w = frame.window
    made = page.evaluate(
        CANVAS_MASK, [base64.b64encode(out.getvalue()).decode(), *frame.size, [w.x, w.y, w.w, w.h]]
    )
    b = frame.mask.box
    assert made["box"] == [b.x, b.y, b.w, b.h]
    assert np.array_equal(np.array(made["table"]).reshape(frame.mask.table.shape), frame.mask.table)


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"zoom": "0.3", "dx": "-1", "dy": "1", "face": "3"},
        {"zoom": "3.0001"},
        {"zoom": "0.2999"},
        {"zoom": "nan"},
        {"dx": "1.5"},
        {"dy": "-1.0001"},
        {"face": "0"},
    ],
)
def test_adjust_limits_are_the_servers(page: Any, values: dict[str, str]) -> None:
    """The page refuses what the server refuses (framer.web.views), with the same code."""
    from framer.web.errors import Refused
    from framer.web.views import _placement

    given = {k: float(v) if k != "face" else int(v) for k, v in values.items()}
    js = page.evaluate(
        """v => { try { return harness.P.adjustOf(v); }
                  catch (e) { return { error: e.code, name: e.args.name ?? null }; } }""",
        given,
    )
    try:
        adjust, _format = _placement(values)
    except Refused as e:
        assert js == {"error": e.code, "name": e.values.get("name")}
        return
    assert js == {"zoom": adjust.zoom, "shift": list(adjust.shift), "face": adjust.face}
