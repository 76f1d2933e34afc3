"""The employee's page in a real browser (Debian's chromium, driven by Playwright) against a real server.

Each test is one thing an employee does: choose a photo and download it framed, drag and zoom it, pick
the other person, recover from a broken file, read the page in their language, use it on a phone. Every
request the page makes is checked: nothing may leave the machine, and the Content-Security-Policy must
hold (no inline script or style is refused). Skipped only when /usr/bin/chromium is missing, and then
failed instead when FRAMER_REQUIRE_BROWSER=1 (as .ci/run sets it), so CI never passes without them.
"""

from __future__ import annotations

import io
import json
import os
import re
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image

from framer.detect import FaceDetector
from framer.frames import Frame, load_frame
from framer.geometry import Box, Face
from helpers import DATA, assert_face_placed, faces_in, two_people

CHROMIUM = Path("/usr/bin/chromium")
REQUIRED = os.environ.get("FRAMER_REQUIRE_BROWSER") == "1"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


def _browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium); never `playwright install`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _browser_missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"FRAMER_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


DURING = date(2023, 10, 5)  # day 5 of the built-in frame's campaign (2023-10-01 to 2023-10-10)


@contextmanager
def serving(on_date: date = DURING, frames: list[Frame] | None = None) -> Iterator[str]:
    """framer's web app under a real uvicorn on a free loopback port, in a thread: its base URL."""
    from framer.web.app import create_app
    from framer.web.service import Config
    from framer.web.serving import in_thread

    config = Config(frames=frames or [load_frame("dx-2023").settled()], workers=1, on_date=on_date)
    with in_thread(create_app(config)) as url:
        yield url


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving() as url:
        yield url


@dataclass
class Watch:
    """What a page did that it must not: requests off the machine, scripts or styles the CSP refused,
    uncaught errors; and every request it made, in order."""

    offsite: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert not self.offsite, f"requests off the machine: {self.offsite}"
        assert not self.refused, f"refused by the Content-Security-Policy: {self.refused}"
        assert not self.errors, f"errors in the page: {self.errors}"


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def open_page(browser: Any, server: str, watch: Watch) -> Iterator[Any]:
    """open_page(path="/", viewport=DESKTOP, locale="vi-VN", base=server, **context options): a page in
    a fresh browser context whose every request is routed through a guard refusing any host but
    127.0.0.1."""
    contexts = []

    def guard(route: Any) -> None:
        url = route.request.url
        if urlparse(url).hostname != "127.0.0.1":
            watch.offsite.append(url)
            route.abort()
            return
        route.continue_()

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            watch.refused.append(message.text)
        elif message.type == "error" and "Failed to load resource" not in message.text:
            watch.errors.append(message.text)

    def opener(
        path: str = "/",
        viewport: dict[str, int] = DESKTOP,
        locale: str = "vi-VN",
        base: str | None = None,
        **options: Any,
    ) -> Any:
        context = browser.new_context(viewport=viewport, locale=locale, **options)
        contexts.append(context)
        context.set_default_timeout(15_000)
        context.route("**/*", guard)
        # Every value the working area's aria-busy takes, to see it was busy while the photo was framed.
        context.add_init_script(
            "window.__busy = [];"
            "new MutationObserver(() => { const w = document.getElementById('work');"
            " if (w) window.__busy.push(w.getAttribute('aria-busy')); })"
            ".observe(document, {subtree: true, attributes: true, attributeFilter: ['aria-busy']});"
        )
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        page.on("request", lambda request: watch.requests.append(f"{request.method} {request.url}"))
        response = page.goto((base or server) + path)
        assert response is not None and response.ok
        csp = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp, f"no CSP on the page: {response.headers}"
        page.wait_for_selector("#work[data-ready=true]")
        return page

    yield opener
    for context in contexts:
        context.close()
    watch.check()


def api(server: str, path: str) -> Any:
    with urllib.request.urlopen(server + path, timeout=10) as response:
        return json.load(response)


def default_frame(server: str) -> dict[str, Any]:
    frames = api(server, "/api/frames")
    return next(f for f in frames["frames"] if f["name"] == frames["default"])


def choose(page: Any, photo: Path | dict[str, Any]) -> dict[str, Any]:
    """Choose `photo` (a path, or {name, mimeType, buffer}) with the page's file input and wait until
    it is framed: the server's answer to the upload."""
    with page.expect_response(lambda r: r.url.split("?")[0].endswith("/api/photos")) as answer:
        page.set_input_files("#photo", photo)
    response = answer.value
    if response.ok:
        page.wait_for_selector("#download[href]")
    page.wait_for_selector("#work[aria-busy=false]")
    return response.json()


def download(page: Any) -> tuple[Image.Image, str, bytes]:
    """Tap Tải ảnh về: the picture the browser saved, its suggested name and its bytes."""
    with page.expect_download() as saved:
        page.click("#download")
    data = Path(saved.value.path()).read_bytes()
    return Image.open(io.BytesIO(data)), saved.value.suggested_filename, data


def link(page: Any) -> dict[str, str]:
    """The download link's query: face, zoom, dx, dy, frame, format."""
    href = page.get_attribute("#download", "href")
    return {k: v[0] for k, v in parse_qs(urlparse(href).query).items()}


def until(page: Any, condition: str) -> None:
    """Wait until `condition` holds of the download link's query `q` (it follows the next animation frame)."""
    page.wait_for_function(
        f"() => {{ const a = document.getElementById('download'); if (!a.href) return false;"
        f" const q = new URL(a.href).searchParams; return {condition}; }}"
    )


def canvas_pixels(page: Any) -> np.ndarray:
    """The big avatar as the page drew it (RGB)."""
    url = page.eval_on_selector("#avatar", "c => c.toDataURL('image/png')")
    import base64

    png = base64.b64decode(url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(np.int16)


def window_of(frame: dict[str, Any], size: tuple[int, int]) -> Box:
    """The frame's window, scaled from the frame's size to `size`."""
    x, y, w, h = frame["window"]
    k = size[0] / frame["size"][0]
    return Box(x * k, y * k, w * k, h * k)


def placed(faces: list[Face], window: Box) -> Face | None:
    """The face found centred in `window` at about 45 % of its height, if any."""
    for face in faces:
        b = face.box
        if abs(b.cx - window.cx) < 0.05 * window.w and 0.35 < b.h / window.h < 0.55:
            return face
    return None


def window_mask(window: Box, shape: tuple[int, int], inset: float = 0.08) -> np.ndarray:
    """The pixels inside the (round) window, a little inside its edge."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w]
    r = window.w / 2 * (1 - inset)
    return (xx - window.cx) ** 2 + (yy - window.cy) ** 2 < r**2


# ---- the photo, framed and downloaded ------------------------------------------------------------


@pytest.mark.parametrize("name", ["grace_hopper.jpg", "hopper_12mp.jpg"])
def test_a_photo_is_framed_at_once_and_downloads_as_a_jpeg_with_the_face_in_the_window(
    open_page: Any, server: str, detector: FaceDetector, name: str
) -> None:
    page = open_page()
    assert page.get_attribute("#download", "aria-disabled") == "true"  # nothing to download yet
    before = canvas_pixels(page)
    answer = choose(page, DATA / name)
    assert "true" in page.evaluate("window.__busy"), "the working area was never aria-busy"
    assert page.get_attribute("#work", "aria-busy") == "false"
    frame = default_frame(server)
    window = window_of(frame, frame["size"])
    inside = window_mask(window, before.shape[:2])
    preview = canvas_pixels(page)
    assert np.abs(preview - before)[inside].mean() > 20, "the photo did not appear in the window"
    assert page.locator("#round").is_visible()

    image, suggested, data = download(page)
    assert data[:3] == b"\xff\xd8\xff" and image.format == "JPEG"
    assert suggested == answer["download_name"] == f"{Path(name).stem}-framed.jpg"
    assert image.size == tuple(frame["size"])
    assert_face_placed(detector, image, window_of(frame, image.size))
    # What the page showed is what was downloaded (the preview is drawn with the server's geometry).
    shown = np.asarray(image.convert("RGB").resize(preview.shape[1::-1])).astype(np.int16)
    assert np.abs(shown - preview)[inside].mean() < 12


def test_dragging_and_zooming_move_the_downloaded_face_without_a_request_per_move(
    open_page: Any, server: str, detector: FaceDetector, watch: Watch
) -> None:
    page = open_page()
    choose(page, DATA / "grace_hopper.jpg")
    first, _, first_bytes = download(page)
    frame = default_frame(server)
    window = window_of(frame, first.size)
    face0 = placed(faces_in(detector, first), window)
    assert face0 is not None

    box = page.locator("#avatar").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    sent = len(watch.requests)
    page.mouse.move(cx, cy)
    page.mouse.down()
    for i in range(1, 21):  # a drag of 20 moves, 60 px right and 40 px down on the screen
        page.mouse.move(cx + 3 * i, cy + 2 * i)
    page.mouse.up()
    page.mouse.wheel(0, -200)  # zoom in
    until(page, "q.get('zoom') > 1.2")
    assert len(watch.requests) == sent, f"requests while dragging: {watch.requests[sent:]}"
    query = link(page)
    assert float(query["dx"]) > 0 and float(query["dy"]) > 0 and float(query["zoom"]) > 1.2

    second, _, second_bytes = download(page)
    assert second_bytes != first_bytes
    moved = faces_in(detector, second)[0].box
    assert moved.cx > face0.box.cx + 20 and moved.h > 1.15 * face0.box.h, (face0.box, moved)
    # The preview followed the drag: it is the picture downloaded now, not the first one.
    preview = canvas_pixels(page)
    inside = window_mask(window_of(frame, frame["size"]), preview.shape[:2])

    def off(image: Image.Image) -> float:
        pixels = np.asarray(image.convert("RGB").resize(preview.shape[1::-1])).astype(np.int16)
        return float(np.abs(pixels - preview)[inside].mean())

    assert off(second) < 12 < off(first)

    page.click("#reset")
    until(page, "q.get('zoom') === '1' && q.get('dx') === '0' && q.get('dy') === '0'")


def test_the_keyboard_moves_and_zooms_with_a_visible_focus(open_page: Any) -> None:
    page = open_page()
    choose(page, DATA / "grace_hopper.jpg")
    page.focus("#avatar")
    for key in ["ArrowRight", "ArrowRight", "ArrowDown", "+", "+"]:
        page.keyboard.press(key)
    until(page, "q.get('zoom') > 1.1 && q.get('dy') > 0")
    query = link(page)
    assert float(query["dx"]) == pytest.approx(0.04) and float(query["dy"]) == pytest.approx(0.02)
    assert float(query["zoom"]) == pytest.approx(1.05**2, abs=1e-3)
    page.keyboard.press("-")
    until(page, "q.get('zoom') < 1.08")
    # Tab reaches the controls, and the focused one is outlined; the slider zooms with the keys too.
    page.focus("#zoom-out")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "zoom"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("End")
    until(page, "q.get('zoom') === '3'")


def test_picking_face_2_downloads_the_other_person(
    open_page: Any, server: str, detector: FaceDetector, tmp_path: Path
) -> None:
    photo = two_people(tmp_path / "two.jpg")
    page = open_page()
    answer = choose(page, photo)
    assert len(answer["faces"]) == 2
    marks = page.locator(".face-mark")
    assert marks.count() == 2 and page.locator("#faces").is_visible()
    assert page.get_attribute(".face-mark[data-face='1']", "aria-pressed") == "true"
    page.click(".face-mark[data-face='2']")
    assert page.get_attribute(".face-mark[data-face='2']", "aria-pressed") == "true"
    until(page, "q.get('face') === '2'")
    assert "largest" not in page.inner_text("#warnings")  # no note that would now be untrue

    image, _, _ = download(page)
    window = window_of(default_frame(server), image.size)
    face = placed(faces_in(detector, image), window)
    assert face is not None, "no face placed in the window"
    # Back on the photo, the placed face is the second person's (the astronaut, right of Grace Hopper).
    p = answer["placements"][1]
    k = image.size[0] / default_frame(server)["size"][0]
    x = p["crop"][0] + face.box.cx / k / p["scale"]
    with Image.open(DATA / "grace_hopper.jpg") as hopper:
        assert x > hopper.width, f"the face placed is at x={x:.0f} in the photo: Grace Hopper's"


# ---- errors --------------------------------------------------------------------------------------


def test_a_broken_file_says_why_in_an_alert_and_the_next_photo_works(open_page: Any) -> None:
    page = open_page()
    broken = {"name": "hong.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0" + b"no photo" * 50}
    answer = choose(page, broken)
    alert = page.locator("[role=alert]")
    assert alert.is_visible()
    assert alert.inner_text().strip() == answer["error"]
    assert page.get_attribute("#work", "aria-busy") == "false"

    choose(page, DATA / "grace_hopper.jpg")
    assert alert.inner_text().strip() == ""
    assert not alert.is_visible()
    assert page.get_attribute("#download", "href")


def test_a_busy_server_is_said_and_the_photo_is_sent_again_after_retry_after(open_page: Any) -> None:
    page = open_page()
    busy = {"error": "Máy chủ đang bận, xin thử lại sau giây lát.", "code": "busy"}
    refused = []

    def once_busy(route: Any) -> None:
        if not refused:
            refused.append(route.request.url)
            route.fulfill(status=503, headers={"Retry-After": "1"}, json=busy)
        else:
            route.fallback()

    page.route("**/api/photos?*", once_busy)
    page.route("**/api/photos", once_busy)
    page.set_input_files("#photo", DATA / "grace_hopper.jpg")
    alert = page.locator("[role=alert]")
    alert.filter(has_text=busy["error"]).wait_for()
    assert page.get_attribute("#work", "aria-busy") == "true"
    page.wait_for_selector("#download[href]")  # sent again by itself, a second later
    assert refused and alert.inner_text().strip() == ""


# ---- words ---------------------------------------------------------------------------------------


def _page_words(page: Any) -> str:
    return page.evaluate("document.body.innerText + ' ' + document.title")


def page_keys() -> set[str]:
    """The keys of every word the page shows: data-msg attributes in index.html, t("key") in app.js and
    in the editor and the words it shares with the review page (editor.js, page.js)."""
    static = files("framer.web") / "static"
    html = (static / "index.html").read_text(encoding="utf-8")
    script = "".join(
        (static / name).read_text(encoding="utf-8") for name in ("app.js", "editor.js", "page.js")
    )
    in_html = re.findall(r'data-msg(?:-label)?="([a-z_]+)"', html)
    return set(in_html) | set(re.findall(r'\bt\("([a-z_]+)"', script))


def test_every_word_the_page_shows_is_served_in_both_languages(server: str) -> None:
    keys = page_keys()
    assert {"title", "choose", "download", "faces", "busy_retry"} <= keys
    for lang in ("vi", "en"):
        served = api(server, f"/api/messages?lang={lang}")
        assert served["lang"] == lang
        missing = sorted(k for k in keys if not served["messages"].get(k))
        assert not missing, f"words the page needs that /api/messages?lang={lang} lacks: {missing}"


def test_the_page_is_vietnamese_by_default_and_english_by_its_toggle(open_page: Any, server: str) -> None:
    vi = api(server, "/api/messages?lang=vi")["messages"]
    en = api(server, "/api/messages?lang=en")["messages"]
    page = open_page()  # a Vietnamese browser, no ?lang
    choose(page, DATA / "grace_hopper.jpg")  # the words shown with a photo too
    assert page.get_attribute("html", "lang") == "vi"
    untranslated = sorted(k for k in page_keys() if vi[k] == en[k] and k not in ("lang_vi", "lang_en"))
    assert not untranslated, f"words the Vietnamese page shows in English: {untranslated}"
    words = _page_words(page)
    assert vi["download"] in words and vi["choose_another"] in words
    english = [text for key, text in en.items() if text != vi.get(key) and key != "lang_en"]
    shown = [text for text in english if text in words]
    assert not shown, f"English on the Vietnamese page: {shown}"
    assert page.title() == vi["title"]

    page.click("#lang-en")
    page.wait_for_selector("html[lang=en]")
    page.wait_for_selector("#work[data-ready=true]")
    assert "lang=en" in page.url
    words = _page_words(page)
    assert en["choose"] in words and en["download"] in words
    vietnamese = [text for key, text in vi.items() if text != en.get(key) and key != "lang_vi"]
    assert not [text for text in vietnamese if text in words]
    assert page.get_attribute("#lang-en", "aria-current") == "true"
    assert page.get_attribute("#lang-vi", "href") == "?lang=vi"


def test_an_english_browser_gets_english_and_lang_vi_gets_vietnamese(open_page: Any, server: str) -> None:
    page = open_page(locale="en-US")
    assert page.get_attribute("html", "lang") == "en"
    page = open_page("/?lang=vi", locale="en-US")
    assert page.get_attribute("html", "lang") == "vi"
    vi = api(server, "/api/messages?lang=vi")["messages"]
    assert vi["choose"] in _page_words(page)


def test_the_campaign_line_says_which_day_it_is_and_when_to_switch_back(open_page: Any, server: str) -> None:
    page = open_page()
    status = default_frame(server)["status"]
    assert status["phase"] == "during"
    text = page.inner_text("#campaign-text")
    assert text == status["message"]
    assert "5" in text and "10" in text and "11/10/2023" in text  # day 5 of 10; back on 11 October
    assert page.get_attribute("#campaign", "data-phase") == "during"


@pytest.mark.parametrize(
    ("on", "phase", "said", "usable"),
    [(date(2023, 9, 28), "before", "01/10/2023", True), (date(2023, 10, 20), "after", "10/10/2023", False)],
)
def test_before_the_campaign_it_says_from_when_and_after_it_that_it_has_ended(
    open_page: Any, on: date, phase: str, said: str, usable: bool
) -> None:
    with serving(on_date=on) as base:
        page = open_page(base=base)
        status = default_frame(base)["status"]
        assert (status["phase"], status["usable"]) == (phase, usable)
        assert page.inner_text("#campaign-text") == status["message"]
        assert said in status["message"]
        assert page.get_attribute("#campaign", "data-phase") == phase
        assert page.is_enabled("#photo") is usable
        if not usable:  # a photo dropped all the same is refused in the server's words
            answer = choose(page, DATA / "grace_hopper.jpg")
            assert page.inner_text("[role=alert]").strip() == answer["error"]


def test_with_several_frames_the_person_chooses_one_and_the_photo_is_framed_again(open_page: Any) -> None:
    dx = load_frame("dx-2023").settled()
    other = replace(dx, name="dx-2023-ban-sao", title="Khung thứ hai")
    with serving(frames=[dx, other]) as base:
        page = open_page(base=base)
        options = page.locator(".frame-option")
        assert options.count() == 2 and page.is_checked("input[name=frame][value='dx-2023']")
        choose(page, DATA / "grace_hopper.jpg")
        until(page, "q.get('frame') === 'dx-2023'")
        with page.expect_response(lambda r: "/api/photos" in r.url and r.request.method == "POST") as again:
            page.check("input[name=frame][value='dx-2023-ban-sao']")
        assert again.value.ok and again.value.json()["frame"] == "dx-2023-ban-sao"
        until(page, "q.get('frame') === 'dx-2023-ban-sao'")
        assert page.inner_text(".frame-option:nth-child(2)") == "Khung thứ hai"


# ---- a phone -------------------------------------------------------------------------------------


def test_on_a_360_px_phone_nothing_scrolls_sideways_taps_are_big_and_a_pinch_zooms(
    open_page: Any, tmp_path: Path
) -> None:
    page = open_page(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    choose(page, two_people(tmp_path / "two.jpg"))  # every control shown: several faces, zoom, reset
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    small = page.evaluate(
        """[...document.querySelectorAll('button, a, .button, input[type=range], .lang')]
           .filter(e => e.offsetParent !== null)
           .map(e => [e.id || e.className, e.getBoundingClientRect()])
           .filter(([, r]) => r.width < 44 || r.height < 44)
           .map(([name, r]) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )
    assert not small, f"tap targets under 44 px: {small}"

    # Two fingers spreading apart on the avatar: a pinch.
    box = page.locator("#avatar").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, spread: float) -> None:
        points = (
            []
            if kind == "touchEnd"
            else [
                {"x": cx - spread, "y": cy, "id": 1},
                {"x": cx + spread, "y": cy, "id": 2},
            ]
        )
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 30)
    for spread in range(34, 90, 4):
        touch("touchMove", spread)
    touch("touchEnd", 0)
    until(page, "q.get('zoom') > 1.5")
    assert page.evaluate("window.scrollX") == 0
