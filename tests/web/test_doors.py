"""Both web doors check where a request comes from before reading it (issue 21): Host names on every
loopback address, uploads and changes only from the page's own origin, no framing by another site, a
closed campaign refused before the photo is sent; and numbers are ASCII numbers, in adjust files and in
the API."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from framer.batch.adjust import read_adjustments
from framer.errors import AdjustError
from framer.frames.model import Frame
from framer.web.app import create_app
from framer.web.origin import host_name, loopback_hosts
from framer.web.service import Config
from helpers import DATA, TestClient

DURING = date(2023, 10, 5)
HOPPER = (DATA / "grace_hopper.jpg").read_bytes()


@pytest.mark.parametrize(
    ("bound", "asked", "answered"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.2", "127.0.0.2:8000", True),  # the printed address, on any loopback address
        ("127.0.0.2", "evil.example:8000", False),
        ("::1", "[::1]:8000", True),
        ("::1", "evil.example", False),  # an IPv6 loopback server is checked too
        ("::1", "[::1", False),
        ("0.0.0.0", "evil.example", True),  # on the agency's network: the names people give it
    ],
)
def test_a_loopback_server_answers_only_loopback_names(bound: str, asked: str, answered: bool) -> None:
    hosts = loopback_hosts(bound)
    assert (hosts is None or host_name(asked) in hosts) is answered


def test_serve_on_loopback_refuses_another_sites_name_before_anything(dx: Frame) -> None:
    config = Config([dx], on_date=DURING, hosts=loopback_hosts("127.0.0.1"))
    with TestClient(create_app(config), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/healthz").status_code == 200
        refused = client.get("/site.json", headers={"Host": "evil.example:8000"})
        assert refused.status_code == 400 and refused.json()["code"] == "bad_host"


def photo_post(client: TestClient, **headers: str):
    return client.post("/api/frame", files={"photo": ("me.jpg", HOPPER, "image/jpeg")}, headers=headers)


def test_serve_frames_its_own_pages_and_scripts_uploads_and_refuses_another_sites(dx: Frame) -> None:
    with TestClient(create_app(Config([dx], on_date=DURING)), base_url="http://10.0.0.5:8000") as client:
        assert photo_post(client).status_code == 200  # a script: no Origin
        assert photo_post(client, Origin="http://10.0.0.5:8000").status_code == 200  # the page itself
        for headers in (
            {"Origin": "https://evil.example"},
            {"Origin": "http://10.0.0.5:9000"},  # another port is another site
            {"Origin": "null"},
            {"Sec-Fetch-Site": "cross-site"},
        ):
            refused = photo_post(client, **headers)
            assert refused.status_code == 403 and refused.json()["code"] == "other_site", headers


def test_neither_page_may_be_framed_by_another_site(dx: Frame) -> None:
    with TestClient(create_app(Config([dx], on_date=DURING))) as client:
        for path in ("/", "/site.json", "/healthz"):
            response = client.get(path)
            assert response.headers["x-frame-options"] == "DENY"
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_a_closed_campaign_is_refused_before_the_photo_is_read(dx: Frame) -> None:
    """The body is never read: the answer comes before the first byte of the photo is asked for."""
    app = create_app(Config([dx], on_date=date(2024, 1, 15)))
    asked = []

    async def receive() -> dict[str, object]:
        asked.append(1)
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/frame",
        "raw_path": b"/api/frame",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"multipart/form-data; boundary=x"),
            (b"content-length", b"5000000"),
        ],
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
        "http_version": "1.1",
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 403 and not asked


@pytest.mark.parametrize("cell", ["1_0", "\u0661", "nan", "inf", "1e1", "0x1", " "])
def test_a_face_or_zoom_that_is_not_a_plain_number_is_an_adjust_file_error(tmp_path: Path, cell: str) -> None:
    path = tmp_path / "fixes.csv"
    path.write_text(f"file,face\nme.jpg,{cell}\n", encoding="utf-8")
    if not cell.strip():
        assert read_adjustments(path)[0].adjust.face == 0  # blank: the default
        return
    with pytest.raises(AdjustError, match="face must be"):
        read_adjustments(path)
    path.write_text(f"file,zoom\nme.jpg,{cell}\n", encoding="utf-8")
    with pytest.raises(AdjustError, match="zoom must be"):
        read_adjustments(path)


def test_decimal_commas_and_points_still_read(tmp_path: Path) -> None:
    path = tmp_path / "fixes.csv"
    path.write_text("file;zoom;dx;face\nme.jpg;1,15;-0,05;2\n", encoding="utf-8")
    (row,) = read_adjustments(path)
    assert row.adjust.zoom == 1.15 and row.adjust.shift[0] == -0.05 and row.adjust.face == 1


@pytest.mark.parametrize(
    ("field", "value"), [("face", "1_0"), ("face", "\u0661"), ("zoom", "1_0"), ("dx", "nan")]
)
def test_the_api_takes_plain_numbers_only(dx: Frame, field: str, value: str) -> None:
    with TestClient(create_app(Config([dx], on_date=DURING))) as client:
        response = client.post(
            "/api/frame", files={"photo": ("me.jpg", HOPPER, "image/jpeg")}, data={field: value}
        )
        assert response.status_code == 400
        assert response.json()["code"] in ("bad_face", "bad_number")


def test_review_serve_on_ipv6_loopback_refuses_another_sites_name_and_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from framer.review.session import Hints, load
    from framer.web.review_app import create_review_app
    from framer.web.review_service import ReviewConfig
    from helpers import run

    monkeypatch.chdir(tmp_path)
    (tmp_path / "photos").mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", tmp_path / "photos" / "me.jpg")
    made = run("apply", "photos", "-o", "framed", "--report", "report.jsonl", "--date", "2023-10-05")
    assert made.exit_code == 0, made.output
    batch = load(Path("report.jsonl"), None, Hints())
    hosts = tuple(sorted(loopback_hosts("::1") or ()))
    app = create_review_app(ReviewConfig(batch, workers=1, hosts=hosts))
    with TestClient(app, base_url="http://[::1]:8000") as client:
        assert client.get("/api/photos").status_code == 200
        other = client.get("/api/photos", headers={"Host": "evil.example"})
        assert other.status_code == 400 and other.json()["code"] == "bad_host"
        forged = client.post(
            "/api/checked", json={"file": "me.jpg", "checked": True}, headers={"Origin": "http://[::1]:9999"}
        )
        assert forged.status_code == 403 and forged.json()["code"] == "other_site"
        words = client.post(
            "/api/checked", json={"file": "me.jpg", "checked": "yes"}, headers={"Accept-Language": "en"}
        )
        assert words.status_code == 400 and "true or false" in words.json()["error"]
