"""The web pages' door (framer.web.guard) against slow and silent clients, on the real server on loopback:
both pages (framer serve, framer review --serve) run through it. The deadlines are lowered (FAST) so that
each test takes a second or two; the door's own bookkeeping is tested alone at the end."""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import shutil
import socket
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from framer.frames.registry import load_frame
from framer.review.session import Hints, load
from framer.web.app import create_app
from framer.web.guard import Door, Limits, address_of
from framer.web.review_app import create_review_app
from framer.web.review_service import ReviewConfig
from framer.web.service import Config
from framer.web.serving import in_thread
from framer.web.upload import Budget
from helpers import DATA, TEST_SIZE, run

FAST = Limits(header_seconds=1.0, body_window=1.0)  # the times lowered; every other limit as served
HOPPER = (DATA / "grace_hopper.jpg").read_bytes()
PART = b'--x\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\n'
LINUX = sys.platform == "linux"  # every 127.x.y.z is this computer: other client addresses on loopback


def upload_head(length: int) -> bytes:
    return (
        f"POST /api/photos HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n\r\n"
    ).encode() + PART


def photo_form(photo: bytes) -> bytes:
    return PART + photo + b"\r\n--x--\r\n"


def connect(url: str, source: str | None = None) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), 5, (source, 0) if source else None)


def ended(sock: socket.socket) -> bytes:
    """What the server said before it closed the connection (b"" for nothing; waits up to 5 s)."""
    said = b""
    try:
        while chunk := sock.recv(65536):
            said += chunk
    except ConnectionResetError:
        pass
    return said


@pytest.fixture(scope="module")
def serve() -> Iterator[tuple[Starlette, str]]:
    app = create_app(Config([load_frame("dx-2023").settled()], workers=1, on_date=date(2023, 10, 5)))
    with in_thread(app, limits=FAST) as url:
        yield app, url


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Starlette, str]]:
    folder = tmp_path_factory.mktemp("review")
    (folder / "photos").mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", folder / "photos" / "hopper.jpg")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        done = run("apply", "photos", "-o", "framed", "--report", "report.jsonl", "--size", str(TEST_SIZE),
                   "--date", "2023-10-05")  # fmt: skip
        assert done.exit_code == 0, done.output
        app = create_review_app(ReviewConfig(load(Path("report.jsonl"), Path("FIXES.csv"), Hints())))
        with in_thread(app, limits=FAST) as url:
            yield app, url


# --- headers ---------------------------------------------------------------------------------------------


def test_a_client_has_its_seconds_for_its_headers_then_it_is_closed(serve: tuple[Starlette, str]) -> None:
    _, url = serve
    silent, trickler, kept = connect(url), connect(url), connect(url)
    trickler.sendall(b"GET /healthz HTTP/1.1\r\nHo")
    kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    first = b""
    while not first.endswith(b'{"ok":true}'):
        first += kept.recv(1000)
    assert first.startswith(b"HTTP/1.1 200 ")
    kept.sendall(b"GET /hea")  # a second request, begun on the kept-alive connection, never ended
    started = time.monotonic()
    assert ended(silent) == b""  # it had said nothing: nothing to answer
    assert ended(trickler).startswith(b"HTTP/1.1 408 ")
    assert ended(kept).startswith(b"HTTP/1.1 408 ")
    assert time.monotonic() - started < FAST.header_seconds + 1
    for sock in (silent, trickler, kept):
        sock.close()


@pytest.mark.parametrize("page", ["serve", "review"])
def test_300_trickling_connections_leave_healthz_answering_within_2_s(
    page: str, request: pytest.FixtureRequest
) -> None:
    """One address, a header byte every 0.2 s (and, on Linux, 20 more addresses: 300 in all, past the
    256 the door holds): every /healthz meanwhile answers 200 within 2 s, and no trickler outlives
    its headers' deadline."""
    _, url = request.getfixturevalue(page)
    sources = [None] * 100 + [f"127.0.0.{2 + i % 20}" for i in range(200)] if LINUX else [None] * 300
    tricklers = [connect(url, source) for source in sources]
    line = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
    try:
        took = []
        started = time.monotonic()
        for i in range(15):
            for sock in tricklers:
                with contextlib.suppress(OSError):  # closed by the door
                    sock.send(line[i : i + 1])
            if i % 3 == 0:
                asked = time.monotonic()
                assert httpx.get(f"{url}/healthz", timeout=2).status_code == 200
                took.append(time.monotonic() - asked)
            time.sleep(0.2)
        assert max(took) < 2, took
        assert time.monotonic() - started > FAST.header_seconds * 2  # the first ones' deadline has passed
        for sock in tricklers:
            sock.settimeout(FAST.header_seconds + 1)
            said = ended(sock)
            assert said == b"" or said.startswith(b"HTTP/1.1 408 "), said
    finally:
        for sock in tricklers:
            sock.close()


# --- bodies ----------------------------------------------------------------------------------------------


def test_11_stalled_uploads_of_256_mb_leave_normal_uploads_answered(serve: tuple[Starlette, str]) -> None:
    """As the tester sent them: 24.99 MB declared, 23.2 MB sent, then nothing. Two at a time are read (an
    address's share of the uploads' memory), the others refused with a 503 they read, not a reset; a
    normal upload is framed meanwhile; the stalled ones are closed once their rate falls (after which the
    next may be read), their memory freed."""
    app, url = serve
    stalled = []
    try:
        for _ in range(11):
            sock = connect(url)
            sock.sendall(upload_head(24_990_000) + b"\0" * 23_200_000)
            stalled.append(sock)
        answer = httpx.post(f"{url}/api/photos", files={"photo": ("me.jpg", HOPPER)}, timeout=10)
        assert answer.status_code == 200, answer.text
        said = [ended(sock) for sock in stalled]
        refused = [s for s in said if s.startswith(b"HTTP/1.1 503 ")]
        assert len(refused) >= 5 and all(b"retry-after: 2" in s.lower() for s in refused)
        assert all(s == b"" for s in said if s not in refused)  # closed when they stalled
        for _ in range(50):  # the app sees them gone, and lets their memory go
            if app.state.service.uploads.used == 0:
                break
            time.sleep(0.02)
        assert app.state.service.uploads.used == 0
    finally:
        for sock in stalled:
            sock.close()


def test_a_slow_but_steady_upload_is_framed(serve: tuple[Starlette, str]) -> None:
    _, url = serve
    form = photo_form(HOPPER)
    sock = connect(url)
    sock.sendall(upload_head(len(form)))  # and the form's first line
    step = FAST.min_body_rate  # 40 KB/s: twice the least rate, over more than a window
    for at in range(len(PART), len(form), step):
        sock.sendall(form[at : at + step])
        time.sleep(0.5)
    assert ended(sock).startswith(b"HTTP/1.1 200 ")
    sock.close()


def test_an_upload_refused_as_it_is_sent_reads_its_answer_not_a_reset(serve: tuple[Starlette, str]) -> None:
    """The app refuses past its uploads' memory, a megabyte in; the client sends all 8 MB before it reads."""
    app, url = serve
    host, port = url.removeprefix("http://").split(":")
    kept = app.state.service.uploads
    app.state.service.uploads = Budget(total=1_000_000)
    try:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        body = photo_form(b"\0" * 8_000_000)
        connection.request("POST", "/api/photos", body, {"Content-Type": "multipart/form-data; boundary=x"})
        answer = connection.getresponse()
        assert answer.status == 503 and answer.getheader("Retry-After") == "2"
        connection.close()
    finally:
        app.state.service.uploads = kept


def test_40_uploads_at_once_from_one_address_are_each_answered(serve: tuple[Starlette, str]) -> None:
    """Past the address's connections and its share of memory: a 503 each client reads, never a reset
    (the connections whose headers are on their way are not closed to make room)."""
    _, url = serve
    host, port = url.removeprefix("http://").split(":")
    extra = b'\r\n--x\r\nContent-Disposition: form-data; name="extra"; filename="b"\r\n\r\n'
    form = PART + HOPPER + extra + b"\0" * 3_000_000 + b"\r\n--x--\r\n"

    def one(_: int) -> int:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("POST", "/api/photos", form, {"Content-Type": "multipart/form-data; boundary=x"})
        status = connection.getresponse().status
        connection.close()
        return status

    with concurrent.futures.ThreadPoolExecutor(40) as threads:
        statuses = list(threads.map(one, range(40)))
    assert set(statuses) <= {200, 503} and 200 in statuses and 503 in statuses


@pytest.mark.skipif(not LINUX, reason="other client addresses on loopback")
def test_an_address_past_its_share_does_not_stop_another(serve: tuple[Starlette, str]) -> None:
    _, url = serve
    hog = [connect(url) for _ in range(3)]
    # The photo, and 20 MB more in a part the page does not read: an upload of 20 MB that is framed.
    extra = (
        b'\r\n--x\r\nContent-Disposition: form-data; name="extra"; filename="b"\r\n\r\n' + b"\0" * 20_000_000
    )
    big = PART + HOPPER + extra + b"\r\n--x--\r\n"
    headers = {"Content-Type": "multipart/form-data; boundary=x"}
    try:
        for sock in hog:
            sock.sendall(upload_head(24_000_000) + b"\0" * 1_000_000)  # and stall: 48 MB held, then 72
        assert ended(hog[2]).startswith(b"HTTP/1.1 503 ")
        assert httpx.post(f"{url}/api/photos", content=big, headers=headers, timeout=10).status_code == 503
        with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as other:
            answer = other.post(f"{url}/api/photos", content=big, headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text
    finally:
        for sock in hog:
            sock.close()


@pytest.mark.parametrize("page", ["serve", "review"])
def test_a_burst_of_silent_connections_does_not_turn_a_request_away(
    page: str, request: pytest.FixtureRequest
) -> None:
    """300 connections opened at once from this address, saying nothing: a request sent right after them
    is answered 200 (a silent one gives way to it once its headers are in), not 503."""
    _, url = request.getfixturevalue(page)
    silent = [connect(url) for _ in range(300)]
    try:
        assert httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    finally:
        for sock in silent:
            sock.close()


# --- the door's bookkeeping ------------------------------------------------------------------------------


class Conn:
    """A connection as the door sees it."""

    def __init__(self, door: Door, address: str, since: float, spare: bool = True) -> None:
        self.door, self.address, self.since, self.spare, self.closed = door, address, since, spare, False
        self.answering = False
        self.lingering = False  # its answer sent, the rest of its body dropped as it comes

    def close_now(self) -> None:
        self.closed = True
        self.door.leave(self)  # type: ignore[arg-type]


def enter(
    door: Door, address: str, since: float, spare: bool = True, lingering: bool = False
) -> tuple[Conn, bool]:
    conn = Conn(door, address, since, spare)
    conn.lingering = lingering
    return conn, door.enter(conn)  # type: ignore[arg-type]


def test_a_newcomer_past_an_addresss_share_closes_that_addresss_longest_waiting() -> None:
    door = Door(Limits(per_address=3, connections=100))
    busy, _ = enter(door, "10.0.0.1", 0, spare=False)
    lingering, _ = enter(door, "10.0.0.1", 0, lingering=True)
    idle, _ = enter(door, "10.0.0.1", 1)
    elsewhere, _ = enter(door, "10.0.0.2", 0)
    newcomer, admitted = enter(door, "10.0.0.1", 2)
    assert admitted and idle.closed and not (busy.closed or lingering.closed or elsewhere.closed)
    newcomer.spare = False
    _, admitted = enter(door, "10.0.0.1", 3)  # the others are being answered, or read to their end: no room
    assert not admitted and not (busy.closed or lingering.closed or newcomer.closed)


def test_past_the_total_the_address_holding_the_most_gives_way() -> None:
    door = Door(Limits(per_address=10, connections=4))
    few, _ = enter(door, "10.0.0.1", 0)
    many = [enter(door, "10.0.0.2", 1 + i, lingering=i == 0)[0] for i in range(3)]
    first, admitted = enter(door, "10.0.0.3", 5)
    assert admitted and many[1].closed and not (few.closed or many[0].closed) and door.count == 4
    second, admitted = enter(door, "10.0.0.3", 6)
    assert admitted and many[2].closed and not few.closed
    few.spare = first.spare = second.spare = False
    _, admitted = enter(door, "10.0.0.3", 7)  # none left but one being read to its end
    assert admitted and many[0].closed


def test_an_addresss_bodies_share_the_memory_one_large_body_alone_passes() -> None:
    door = Door(Limits(body_per_address=64_000_000))
    assert door.reserve("a", 24_990_000) and door.reserve("a", 24_990_000)
    assert not door.reserve("a", 24_990_000)
    assert door.reserve("a", 0)  # a request without a body always passes
    assert door.reserve("b", 24_990_000)  # another address has its own share
    assert door.reserve("c", 100_000_000)  # alone: the app's own limit decides
    door.release("a", 24_990_000)
    assert door.reserve("a", 10_000_000)
    assert door.reserve("d", 60_000_000) and door.reserve("d", 5_000_000, own=60_000_000)  # chunked, alone


@pytest.mark.parametrize(
    ("client", "address"),
    [(("192.0.2.7", 5000), "192.0.2.7"), (("2001:db8:1:2:a:b:c:d", 5000), "2001:db8:1:2::/64"),
     (("::ffff:192.0.2.7", 5000), "192.0.2.7"), (None, "")],
)  # fmt: skip
def test_an_address_is_an_ipv4_host_or_an_ipv6_64(client: tuple[str, int] | None, address: str) -> None:
    assert address_of(client) == address


def test_a_newcomer_refused_when_it_came_takes_the_place_of_one_not_answered_once_its_request_is_in() -> None:
    door = Door(Limits(per_address=2, connections=100))
    answered, _ = enter(door, "10.0.0.1", 0, spare=False)
    answered.answering = True
    fresh, _ = enter(door, "10.0.0.1", 1, spare=False)  # just opened, silent
    newcomer, admitted = enter(door, "10.0.0.1", 2, spare=False)
    assert not admitted and not fresh.closed
    newcomer.answering = True  # its request is in
    assert door.make_room(newcomer)  # type: ignore[arg-type]
    assert fresh.closed and not answered.closed and door.count == 2
    last, admitted = enter(door, "10.0.0.1", 3, spare=False)
    last.answering = True
    assert not admitted and not door.make_room(last)  # type: ignore[arg-type]  # every other is answered
