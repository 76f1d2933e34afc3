"""The picture the page makes on the device (static/render.js) against framer's own (framer.core.compose): the
photo drawn through the same placement, and where it does not reach, the same fill (mirrored at its edge,
blurred more the farther out, a wash of its edge colours far out). Real photos, in Chromium, with a plain
static server, as the published page has it."""

from __future__ import annotations

import base64
import functools
import http.server
import io
import shutil
import threading
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import numpy as np
import pytest
from PIL import Image

from framer.core.compose import render_portrait
from framer.core.geometry import Box, Placement
from framer.core.images import load_photo
from framer.web.site import PAGE_POLICY
from helpers import DATA

PAGE = f"""<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">
<link rel="icon" href="data:,"><title>render.js</title>
<script type="module" src="probe.js"></script>
</head><body></body></html>
"""

PROBE = """import { renderPortrait } from "./render.js";

window.probe = async (url, placement, size) => {
  const bitmap = await createImageBitmap(await (await fetch(url)).blob(), { imageOrientation: "from-image" });
  const canvas = renderPortrait(bitmap, placement, size);
  const blob = await canvas.convertToBlob({ type: "image/png" });
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
};
window.probeReady = true;
"""

SIZE = (540, 540)


@pytest.fixture(scope="module")
def page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("render")
    (folder / "render.js").write_bytes((files("framer.web") / "static" / "render.js").read_bytes())
    (folder / "probe.js").write_text(PROBE, encoding="utf-8")
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    for name in ("grace_hopper.jpg", "astronaut_edge.jpg", "hopper_exif6.jpg"):
        shutil.copy(DATA / name, folder / name)
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    tab.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
    tab.wait_for_function("() => window.probeReady === true")
    yield tab
    context.close()
    server.shutdown()
    server.server_close()
    assert not errors, errors


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def both(
    page: Any, name: str, scale: float, crop: tuple[float, float, float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """framer.core.compose's canvas and the browser's for the photo `name` placed at `scale`, `crop`."""
    python = render_portrait(load_photo(DATA / name), Placement(scale, Box(*crop)), SIZE).astype(np.int16)
    data = page.evaluate(
        "([url, placement, size]) => window.probe(url, placement, size)",
        [name, {"scale": scale, "crop": list(crop)}, list(SIZE)],
    )
    with Image.open(io.BytesIO(base64.b64decode(data))) as im:
        browser_made = np.asarray(im.convert("RGB")).astype(np.int16)
    return python, browser_made


def test_a_photo_that_covers_the_canvas_is_the_same_picture(page: Any) -> None:
    python, made = both(page, "grace_hopper.jpg", 1.2, (40, 60, 450, 450))
    assert np.abs(python - made).mean() < 3  # the browser's resampling, not another picture


def test_the_fill_past_the_photos_edges_looks_like_framers(page: Any) -> None:
    """The astronaut cut close on the left: framer fills the left and bottom from the photo itself."""
    photo = load_photo(DATA / "astronaut_edge.jpg")
    h, w = photo.shape[:2]
    scale = SIZE[1] / (h * 1.25)
    crop = (-w * 0.3, 0.0, SIZE[0] / scale, SIZE[1] / scale)
    python, made = both(page, "astronaut_edge.jpg", scale, crop)
    x0 = round(-crop[0] * scale)  # where the photo starts on the canvas
    y1 = round(h * scale)
    photo_part = (slice(0, y1), slice(x0 + 2, SIZE[0]))
    near = (slice(0, y1), slice(max(0, x0 - 12), x0 - 2))  # the mirror, sharp at the edge
    far = (slice(0, y1), slice(0, max(1, x0 // 3)))  # the wash, far out
    below = (slice(y1 + 2, SIZE[1]), slice(x0 + 2, SIZE[0]))
    # measured: 0.8 on the photo (the browser's resampling), 0.4 in the mirror, 0.3 far out and below
    assert np.abs(python[photo_part] - made[photo_part]).mean() < 2.5
    assert np.abs(python[near] - made[near]).mean() < 2
    assert np.abs(python[far] - made[far]).mean() < 2
    assert np.abs(python[below] - made[below]).mean() < 2
    # and a fill, not a flat bar: it carries the photo's colours, and varies down the side
    assert made[far].std(axis=0).mean() > 2


def test_an_upright_exif_photo_is_drawn_upright(page: Any) -> None:
    python, made = both(page, "hopper_exif6.jpg", 0.9, (0, 0, 600, 600))
    assert np.abs(python - made).mean() < 4
