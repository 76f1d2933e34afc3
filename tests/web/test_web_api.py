"""The web page's API (framer serve), as the page and scripts use it: real photos, real worker processes.

Most tests drive the app in-process with Starlette's test client; a few call it as a bare ASGI app to
see how much of a body it reads, and one load test runs the real uvicorn server on loopback.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import io
import logging
import os
import resource
import socket
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pillow_heif
import pytest
from click.testing import CliRunner
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request

from framer.cli.serve import serve
from framer.core.compose import PreparedFrame
from framer.core.detect import FaceDetector
from framer.core.geometry import Adjust, Box
from framer.core.images import encode
from framer.core.pipeline import analyse, frame_file
from framer.errors import PhotoError
from framer.frames.model import Frame
from framer.web.app import create_app
from framer.web.errors import answer
from framer.web.language import preferred
from framer.web.service import Config, Service
from framer.web.serving import HideIds, in_thread
from framer.web.site import PAGE_POLICY
from framer.web.store import PhotoStore
from framer.web.upload import Budget, download_stem
from framer.web.views import attachment
from helpers import DATA, TestClient, assert_face_placed, faces_in, two_people

DURING = date(2023, 10, 5)
HOPPER = (DATA / "grace_hopper.jpg").read_bytes()


@pytest.fixture(scope="module")
def prepared(dx: Frame) -> PreparedFrame:
    """The frame as the workers prepare it, to compare the server's answers with the core's."""
    image = dx.open_image()
    return PreparedFrame.for_output(image, dx.window_in(image), dx.output_size)


@pytest.fixture(scope="module")
def client(dx: Frame) -> Iterator[TestClient]:
    with TestClient(create_app(Config([dx], workers=2, on_date=DURING))) as c:
        yield c


def upload(client: TestClient, data: bytes, name: str = "me.jpg", **headers: str) -> httpx.Response:
    return client.post("/api/photos", files={"photo": (name, data, "image/jpeg")}, headers=headers)


def picture(response: httpx.Response) -> Image.Image:
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def window(client: TestClient) -> Box:
    return Box(*client.get("/api/frames").json()["frames"][0]["window"])


# --- the page and its words ---------------------------------------------------------------------------


def test_health_and_the_headers_every_answer_carries(client: TestClient) -> None:
    for response in (client.get("/healthz"), client.get("/no/such/address")):
        # the published page's <meta> policy, and what a <meta> tag cannot say: no site may frame it
        assert response.headers["content-security-policy"] == f"{PAGE_POLICY}; frame-ancestors 'none'"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert client.get("/healthz").json() == {"ok": True}
    assert client.get("/no/such/address").json()["code"] == "not_found"


def test_the_page_is_in_vietnamese_unless_english_is_preferred(client: TestClient) -> None:
    assert '<html lang="vi">' in client.get("/").text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en">' in client.get("/?lang=en", headers={"Accept-Language": "vi"}).text
    assert client.get("/static/app.js").status_code == 200


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("", "vi"),
        ("en-US,en;q=0.9", "en"),
        ("fr, en;q=0.5", "en"),
        ("en;q=0.4, vi;q=0.8", "vi"),
        ("de", "vi"),
    ],
)
def test_the_language_a_browser_prefers(header: str, lang: str) -> None:
    assert preferred(header) == lang


def test_every_word_of_the_page_and_its_frames_come_in_site_json(client: TestClient) -> None:
    site = client.get("/site.json", headers={"Accept-Language": "en"}).json()
    assert site["lang"] == "en" and site["today"] == DURING.isoformat()  # --date: the page's today
    en, vi = site["words"]["en"], site["words"]["vi"]
    assert en.keys() == vi.keys()
    assert en["choose"] == "Choose a photo" and vi["download"] == "Tải ảnh về"
    assert "never leaves this device" in en["privacy"]
    (frame,) = site["frames"]
    assert frame["name"] == site["default"] == "dx-2023" and frame["size"] == [1080, 1080]
    assert (
        client.get(frame["image"] if frame["image"].startswith("/") else "/" + frame["image"]).status_code
        == 200
    )
    model = client.get("/static/face_detection_yunet_2023mar.onnx")
    assert model.status_code == 200 and len(model.content) > 200_000


def test_the_frames_offered_with_their_campaign_today(client: TestClient) -> None:
    listed = client.get("/api/frames?lang=en").json()
    assert listed["default"] == "dx-2023"
    (frame,) = listed["frames"]
    assert frame["size"] == [1080, 1080]
    x, y, w, h = frame["window"]
    assert min(x, y) >= 0 and x + w <= 1080 and y + h <= 1080
    assert frame["campaign"] == {"start": "2023-10-01", "end": "2023-10-10", "timezone": "Asia/Ho_Chi_Minh"}
    assert frame["status"]["phase"] == "during" and frame["status"]["usable"]
    assert "day 5 of 10" in frame["status"]["message"]
    png = client.get(frame["image"])
    assert png.headers["content-type"] == "image/png"
    image = picture(png)
    assert image.size == (1080, 1080) and image.mode == "RGBA"


# --- a photo: analysed, previewed, framed --------------------------------------------------------------


def test_the_analysis_is_the_cores(
    client: TestClient, detector: FaceDetector, prepared: PreparedFrame
) -> None:
    response = upload(client, HOPPER, "Nguyễn Văn Đức.jpg")
    assert response.status_code == 200, response.text
    got = response.json()
    core = analyse(HOPPER, detector, prepared)
    assert got["size"] == list(core.full_size) == [512, 600]
    assert len(got["faces"]) == len(core.faces) == 1
    assert got["faces"][0] == pytest.approx(
        [core.faces[0].x, core.faces[0].y, core.faces[0].w, core.faces[0].h], abs=0.01
    )
    (placement,) = got["placements"]
    p = core.placements[0]
    assert placement["scale"] == pytest.approx(p.scale)
    assert placement["crop"] == pytest.approx([p.crop.x, p.crop.y, p.crop.w, p.crop.h], abs=0.01)
    assert got["frame"] == "dx-2023" and got["warnings"] == [] and got["warnings_text"] == []
    assert got["download_name"] == "Nguyễn Văn Đức-framed.jpg"
    assert response.headers["cache-control"] == "no-store"
    preview = picture(client.get(got["preview"]))
    assert preview.format == "JPEG" and preview.size == (512, 600) and got["preview_scale"] == 1


def test_a_12_megapixel_photo_gets_a_screen_sized_preview(client: TestClient) -> None:
    got = upload(client, (DATA / "hopper_12mp.jpg").read_bytes()).json()
    assert got["size"] == [3000, 4000]
    preview = picture(client.get(got["preview"]))
    assert max(preview.size) == 1280 and not preview.getexif()
    assert got["preview_scale"] == pytest.approx(preview.width / 3000)


def test_the_framed_picture_has_the_face_in_the_window_and_no_metadata(
    client: TestClient, detector: FaceDetector
) -> None:
    photo = (DATA / "hopper_exif6.jpg").read_bytes()  # stored sideways, with EXIF saying so
    got = upload(client, photo, "hopper.jpg").json()
    response = client.get(f"/api/photos/{got['id']}/framed")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["content-disposition"].startswith('attachment; filename="hopper-framed.jpg"')
    assert response.headers["x-framer-faces"] == "1"
    assert response.headers["x-framer-warnings"] == ""  # a tight photo, yet covered by its own pixels
    image = picture(response)
    assert image.size == (1080, 1080)
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert_face_placed(detector, image, window(client))


def test_zoom_enlarges_the_face(client: TestClient, detector: FaceDetector) -> None:
    photo_id = upload(client, HOPPER).json()["id"]
    plain = faces_in(detector, picture(client.get(f"/api/photos/{photo_id}/framed")))[0]
    zoomed = faces_in(detector, picture(client.get(f"/api/photos/{photo_id}/framed?zoom=1.4")))[0]
    assert zoomed.box.h >= 1.2 * plain.box.h


def test_the_server_renders_exactly_the_placement_asked_for(
    client: TestClient, detector: FaceDetector, prepared: PreparedFrame
) -> None:
    photo_id = upload(client, HOPPER).json()["id"]
    query = "zoom=1.15&dx=0.1&dy=-0.05&format=png"
    served = picture(client.get(f"/api/photos/{photo_id}/framed?{query}"))
    core = frame_file(HOPPER, detector, prepared, Adjust(zoom=1.15, shift=(0.1, -0.05)))
    assert served.tobytes() == Image.open(io.BytesIO(encode(core.image, "png"))).tobytes()


def test_face_2_frames_the_other_person(client: TestClient, detector: FaceDetector, tmp_path: Path) -> None:
    photo = two_people(tmp_path / "two.jpg").read_bytes()
    got = upload(client, photo).json()
    assert len(got["faces"]) == 2 and got["warnings"] == ["several_faces"]
    response = client.get(f"/api/photos/{got['id']}/framed?face=2")
    assert response.headers["x-framer-faces"] == "2"
    image = picture(response)
    assert_face_placed(detector, image, window(client))
    # The face in the window, taken back to the photo, is the second face found: the astronaut's.
    box = faces_in(detector, image)[0].box
    scale, (cx, cy, _, _) = got["placements"][1]["scale"], got["placements"][1]["crop"]
    x, y, w, h = got["faces"][1]
    assert x < cx + box.cx / scale < x + w and y < cy + box.cy / scale < y + h
    assert x > 512  # to the right of Grace Hopper, who is face 1
    beyond = client.get(f"/api/photos/{got['id']}/framed?face=3", headers={"Accept-Language": "en"})
    assert beyond.status_code == 400 and beyond.json()["code"] == "face_beyond"
    assert "only 2 faces were found" in beyond.json()["error"]


def test_an_iphone_heic_photo_is_framed(client: TestClient, detector: FaceDetector) -> None:
    heic = io.BytesIO()
    pillow_heif.from_pillow(Image.open(DATA / "grace_hopper.jpg")).save(heic, quality=80)
    response = client.post("/api/frame", files={"photo": ("IMG_0001.HEIC", heic.getvalue(), "image/heic")})
    assert response.status_code == 200, response.text
    assert 'filename="IMG_0001-framed.jpg"' in response.headers["content-disposition"]
    assert_face_placed(detector, picture(response), window(client))


def test_the_one_shot_takes_its_settings_from_the_form(client: TestClient) -> None:
    response = client.post(
        "/api/frame",
        files={"photo": ("me.png", (DATA / "astronaut.png").read_bytes(), "image/png")},
        data={"zoom": "1.1", "dx": "0.05", "format": "webp", "frame": "dx-2023"},
    )
    assert response.status_code == 200 and response.headers["content-type"] == "image/webp"
    assert picture(response).format == "WEBP"
    assert 'filename="me-framed.webp"' in response.headers["content-disposition"]


# --- what is refused, and how ----------------------------------------------------------------------------


def test_a_text_file_is_a_400_in_the_requests_language(client: TestClient) -> None:
    en = upload(client, b"Dear colleagues,\n", "notes.txt", **{"Accept-Language": "en"})
    vi = upload(client, b"Dear colleagues,\n", "notes.txt")
    assert en.status_code == vi.status_code == 400
    assert en.json() == {
        "error": "This file is not a photo, or its format is not supported. Choose another photo.",
        "code": "not_an_image",
    }
    assert vi.json() == {
        "error": "Tệp này không phải ảnh hoặc có định dạng chưa được hỗ trợ. Vui lòng chọn ảnh khác.",
        "code": "not_an_image",
    }


def test_a_decompression_bomb_is_refused_in_words_a_person_on_the_page_can_act_on(client: TestClient) -> None:
    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, "PNG")  # 144 megapixels in a few kilobytes
    answer = upload(client, bomb.getvalue(), "bom.png", **{"Accept-Language": "en"})
    assert answer.status_code == 400 and answer.json()["code"] == "too_large"
    assert "--max-megapixels" not in answer.json()["error"] and "smaller copy" in answer.json()["error"]


@pytest.mark.parametrize(
    ("query", "code"),
    [("zoom=9", "bad_number"), ("dx=nan", "bad_number"), ("face=0", "bad_face"), ("format=gif", "bad_format"),
     ("frame=nope", "unknown_frame")],
)  # fmt: skip
def test_settings_out_of_range_are_400(client: TestClient, query: str, code: str) -> None:
    photo_id = upload(client, HOPPER).json()["id"]
    response = client.get(f"/api/photos/{photo_id}/framed?{query}&lang=en")
    assert response.status_code == 400 and response.json()["code"] == code


def test_a_request_without_a_photo_is_a_400(client: TestClient) -> None:
    form = client.post("/api/photos", files={"frame": (None, "dx-2023")})
    assert form.status_code == 400 and form.json()["code"] == "no_photo"
    json = client.post("/api/photos", content=b"{}", headers={"Content-Type": "application/json"})
    assert json.status_code == 400 and json.json()["code"] == "not_a_form"


def test_an_unknown_or_expired_photo_is_a_404(client: TestClient) -> None:
    for path in ("/api/photos/not-a-real-id/framed", "/api/photos/not-a-real-id/preview.jpg"):
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == 404
        assert response.json()["code"] == "expired" and "15 minutes" in response.json()["error"]


def test_after_the_campaign_the_page_refuses_naming_the_window(dx: Frame) -> None:
    with TestClient(create_app(Config([dx], workers=1, on_date=date(2024, 1, 15)))) as closed:
        status = closed.get("/api/frames?lang=en").json()["frames"][0]["status"]
        assert status["phase"] == "after" and not status["usable"]
        response = upload(closed, HOPPER, **{"Accept-Language": "en"})
        assert response.status_code == 403
        assert response.json()["code"] == "campaign_closed"
        assert "2023-10-01 to 2023-10-10" in response.json()["error"]


def call(app: Starlette, headers: dict[str, str], chunks: Iterator[bytes]) -> tuple[int, dict[str, str], int]:
    """POST /api/photos to `app` as a bare ASGI app with a body of `chunks`: the status, the headers,
    and how many chunks the app read."""
    read = 0
    messages: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        nonlocal read
        chunk = next(chunks, None)
        read += chunk is not None
        return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

    async def send(message: dict[str, object]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/photos",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    start = messages[0]
    raw = start["headers"]
    assert isinstance(raw, list)
    return int(str(start["status"])), {k.decode(): v.decode() for k, v in raw}, read


def endless_photo() -> Iterator[bytes]:
    """A multipart body whose photo never ends, a megabyte at a time."""
    yield b'--x\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\n'
    while True:
        yield b"\0" * 1_000_000


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(dx: Frame) -> None:
    app = create_app(Config([dx], on_date=DURING))
    multipart = {"Content-Type": "multipart/form-data; boundary=x"}
    status, headers, read = call(app, {**multipart, "Content-Length": str(60_000_000)}, endless_photo())
    assert (status, read) == (413, 0)
    assert "connection" not in headers  # uvicorn discards the declared rest: see the real server below
    # Without a length (chunked), the body is counted as it comes and cut off past the limit.
    status, headers, read = call(app, multipart, endless_photo())
    assert status == 413 and read == 26 and headers["connection"] == "close"
    assert app.state.service.uploads.used == 0


def test_uploads_received_at_once_share_a_bounded_memory(dx: Frame) -> None:
    app = create_app(Config([dx], on_date=DURING))
    app.state.service.uploads = Budget(total=3_000_000)  # as if others were uploading the rest
    status, headers, read = call(app, {"Content-Type": "multipart/form-data; boundary=x"}, endless_photo())
    assert (status, read) == (503, 4)
    assert headers["retry-after"] == "2" and headers["connection"] == "close"
    assert app.state.service.uploads.used == 0


def test_a_full_queue_is_answered_busy_and_a_crashed_worker_is_replaced(dx: Frame) -> None:
    with TestClient(create_app(Config([dx], workers=1, on_date=DURING, queue=1))) as c:
        service: Service = c.app.state.service  # type: ignore[attr-defined]
        slow = c.portal.start_task_soon(service.workers.run, time.sleep, 1.0)
        while service.workers.admitted < 1:
            time.sleep(0.01)
        response = upload(c, HOPPER, **{"Accept-Language": "en"})
        assert response.status_code == 503
        assert response.json()["code"] == "busy" and response.headers["retry-after"] == "2"
        assert response.json()["error"].startswith("The server is busy")
        slow.result(timeout=30)
        assert upload(c, HOPPER).status_code == 200

        with pytest.raises(PhotoError) as crash:
            c.portal.call(service.workers.run, os._exit, 3)  # dies like a native decoder crash
        assert crash.value.code == "crashed"
        assert upload(c, HOPPER).status_code == 200  # the pool was replaced
        answered = c.portal.call(
            answer, Request({"type": "http", "headers": [], "query_string": b""}), crash.value
        )
        assert answered.status_code == 500


# --- the store, the names ------------------------------------------------------------------------------


def test_the_store_keeps_few_photos_briefly_and_drops_the_oldest_first() -> None:
    now = [0.0]
    store = PhotoStore(count=2, minutes=1, total_bytes=100, clock=lambda: now[0])
    a = store.add(b"a" * 10, b"", "a", "dx-2023")
    b = store.add(b"b" * 10, b"", "b", "dx-2023")
    assert len(a) == 32 and a != b
    c = store.add(b"c" * 10, b"", "c", "dx-2023")  # a third: the oldest goes
    assert store.get(a) is None and store.get(b) is not None and store.get(c) is not None
    store.add(b"d" * 95, b"", "d", "dx-2023")  # too many bytes with the others: both go
    assert store.get(b) is None and store.get(c) is None and store.bytes == 95
    now[0] = 61
    assert len(store) == 1 and store.get(c) is None
    store.expire()
    assert len(store) == 0 and store.bytes == 0


@pytest.mark.parametrize(
    ("given", "stem"),
    [("IMG_0001.HEIC", "IMG_0001"), ("C:\\Users\\an\\Ảnh của tôi.jpg", "Ảnh của tôi"), ("", "photo"),
     ("../../etc/passwd", "passwd"), ('a"b\n.png', "a_b"), ("...", "photo")],
)  # fmt: skip
def test_the_download_is_named_after_the_photo(given: str, stem: str) -> None:
    assert download_stem(given) == stem


def test_a_vietnamese_name_is_offered_as_it_is_and_in_ascii() -> None:
    assert attachment("Đức-framed.jpg") == (
        "attachment; filename=\"Duc-framed.jpg\"; filename*=UTF-8''%C4%90%E1%BB%A9c-framed.jpg"
    )


# --- the real server --------------------------------------------------------------------------------------


def test_32_uploads_at_once_on_the_real_server_are_each_answered(dx: Frame) -> None:
    photo = (DATA / "astronaut.png").read_bytes()
    with in_thread(create_app(Config([dx], workers=2, on_date=DURING))) as url:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.monotonic()

        def one(_: int) -> httpx.Response:
            return httpx.post(f"{url}/api/photos", files={"photo": ("a.png", photo, "image/png")}, timeout=30)

        with concurrent.futures.ThreadPoolExecutor(32) as threads:
            answers = list(threads.map(one, range(32), timeout=60))
        took = time.monotonic() - started
        assert {r.status_code for r in answers} <= {200, 503}
        assert all(r.headers["retry-after"] for r in answers if r.status_code == 503)
        assert sum(r.status_code == 200 for r in answers) >= 16  # the queue holds 8 per worker
        assert took < 20, f"32 uploads took {took:.1f} s"
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        assert grown_mb < 200, f"the process grew by {grown_mb:.0f} MB"
        assert httpx.get(f"{url}/healthz").json() == {"ok": True}

        # A body too large by its Content-Length is refused before a byte of it is sent...
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as raw:
            raw.sendall(
                b"POST /api/photos HTTP/1.1\r\nHost: x\r\nContent-Length: 60000000\r\n"
                b"Content-Type: multipart/form-data; boundary=x\r\n\r\n"
            )
            assert raw.recv(1000).startswith(b"HTTP/1.1 413 ")
        # ... and a client that sends all 60 MB before it reads an answer reads the 413 too.
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("POST", "/api/photos", b"\0" * 60_000_000, {"Content-Type": "image/jpeg"})
        assert connection.getresponse().status == 413
        connection.close()


def test_the_access_log_names_no_file_and_no_photo_id() -> None:
    args = ("127.0.0.1:5000", "GET", "/api/photos/Zk3vS8-secret/framed?zoom=1.1", "1.1", 200)
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d', args, None)
    assert HideIds().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /api/photos/…/framed?zoom=1.1 HTTP/1.1" 200'


def test_framer_serve_says_where_the_page_is_and_who_can_reach_it(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[object] = []

    class Server:
        started, should_exit = True, False

        def __init__(self, app: Starlette) -> None:
            ran.append(app)

        def run(self, sockets: list[socket.socket]) -> None:
            ran.append(sockets[0].getsockname())

    monkeypatch.setattr("framer.web.serving.server", Server)
    local = CliRunner().invoke(serve, ["--port", "0", "--no-browser", "--date", "2023-10-05", "--lang", "en"])
    assert local.exit_code == 0, local.output
    port = ran[-1][1]  # type: ignore[index]
    assert f"The page is at http://127.0.0.1:{port}" in local.output
    assert "Today is day 5 of 10" in local.output and "Anyone" not in local.output

    public = CliRunner().invoke(serve, ["--host", "0.0.0.0", "--port", "0", "--no-browser", "--lang", "en"])
    assert public.exit_code == 0, public.output
    assert "Anyone on this computer's networks can now open it" in public.output
    assert "▀" in public.output or "█" in public.output  # the QR code
    assert "has ended. To frame anyway, add --ignore-window." in public.output


def test_framer_serve_says_plainly_when_its_port_is_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(serve, ["--port", str(port), "--no-browser", "--lang", "en"])
    assert result.exit_code == 2
    assert f"Error: Port {port} is already in use" in result.output


def test_framer_serve_has_help_with_an_example() -> None:
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0 and "framer serve --host 0.0.0.0" in result.output
