"""The door of both web pages: how long a client may take to send its request, and how much one address
may hold (uvicorn's h11 protocol, guarded; framer.web.serving gives it to the server).

uvicorn has no deadline for a request's headers (its keep-alive timeout covers only the wait between two
requests, and every byte received cancels it) and its concurrency limit counts every open connection, so
256 connections that send nothing, or a header byte a second, made it answer 503 to everyone. Here:

- **Headers within `header_seconds`** of the connection's opening or of its last answer: else it is closed,
  with a 408 when it had begun a request.
- **Bodies at `min_body_rate` at least**, judged over each `body_window` while the server is reading
  (a body the app is not reading yet, or one whose client awaits "100 Continue", is not judged): else the
  connection is closed, and the app reading it sees the client gone.
- **Connections per client address** (IPv6: per /64): past `per_address`, the address's connection that
  has waited the longest (slow with its headers, or idle between requests) is closed to make room;
  past `connections` in all, the same from the address holding the most, or one being closed after its
  answer. When there is none, the newcomer waits for its headers: once they are in, any connection that
  is not being answered gives way to it (a burst of silent connections is no older than a second), and
  only when every other one is being answered is its request answered 503, with Retry-After.
- **Request bodies per client address**: the bodies its requests in progress declare (or have sent, when
  chunked) may add up to `body_per_address` (one request alone may be larger: the app's own limit holds
  it); past it, 503 before a byte of the body is read. So one address cannot take the uploads' memory
  (framer.web.upload.Budget) from everyone.

A connection closed while its client is still sending a body (a 503 or 413 answered before the body was
read) is closed as nginx does ("lingering close"): the answer goes out, the sending side is shut, and what
the client still sends is read and dropped for up to `linger_seconds` or `linger_bytes`, so that a client
that sends its whole body before it reads reads the answer rather than a TCP reset.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass
from typing import Any, ClassVar, cast

import h11
from starlette.requests import Request
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.h11_impl import H11Protocol

from .errors import answer, busy

HEADER_SECONDS = 10.0  # a request line and its headers: one packet from any client, even on 2G
MIN_BODY_RATE = 20_000  # bytes a second (160 kbit/s): a phone photo's upload, on the slowest link in use
BODY_WINDOW = 5.0  # seconds over which the rate is judged: a phone's radio may pause for a couple
CONNECTIONS = 256  # open at once, in all: file descriptors and memory stay small
PER_ADDRESS = 32  # a browser opens 6 per server; a script a few more
BODY_PER_ADDRESS = 64_000_000  # a quarter of framer.web.upload.UPLOAD_BYTES: two of the largest photos
LINGER_SECONDS = 30.0  # as nginx's lingering_time
LINGER_BYTES = 32_000_000  # a refused photo at the default --max-upload-mb, whole
GRACE_SECONDS = 1.0  # a new connection's headers are on their way: it is not closed to make room before


@dataclass(frozen=True)
class Limits:
    """What the door allows (the tests lower the times)."""

    header_seconds: float = HEADER_SECONDS
    min_body_rate: int = MIN_BODY_RATE
    body_window: float = BODY_WINDOW
    connections: int = CONNECTIONS
    per_address: int = PER_ADDRESS
    body_per_address: int = BODY_PER_ADDRESS
    linger_seconds: float = LINGER_SECONDS
    linger_bytes: int = LINGER_BYTES


def guarded(limits: Limits) -> type[GuardedProtocol]:
    """uvicorn's h11 protocol with `limits`, and one Door for all the connections of the server it is
    given to (`uvicorn.Config(http=guarded(limits))`)."""
    return cast(type[GuardedProtocol], type("GuardedProtocol", (GuardedProtocol,), {"door": Door(limits)}))


def address_of(client: tuple[str, int] | None) -> str:
    """The address a client's connections are counted under: its IPv4 address, its IPv6 /64 (one
    subscriber's network), or "" when unknown."""
    if client is None:
        return ""
    try:
        ip = ipaddress.ip_address(client[0])
    except ValueError:
        return client[0]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # a dual-stack socket's IPv4 client
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class Door:
    """The connections open and the request bodies held, per client address (only the event loop's
    thread touches it)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.open: dict[str, dict[GuardedProtocol, None]] = {}  # per address, in order of arrival
        self.count = 0
        self.held: dict[str, int] = {}  # body bytes of the requests in progress, per address

    def enter(self, newcomer: GuardedProtocol) -> bool:
        """Let `newcomer` in, closing another connection to make room if need be; False: no room."""
        mine = self.open.setdefault(newcomer.address, {})
        mine[newcomer] = None
        self.count += 1
        if len(mine) > self.limits.per_address and not self._evict(list(mine), newcomer, lingering=False):
            return False
        if self.count > self.limits.connections:
            every = [c for conns in self.open.values() for c in conns]
            return self._evict(every, newcomer, lingering=True)
        return True

    def make_room(self, waiting: GuardedProtocol) -> bool:
        """Room for `waiting`, refused when it came, now that its request is in: any other connection of
        its address (past the address's share) or of all (past the total) not being answered gives way.
        False: every other one is being answered."""
        mine = self.open.get(waiting.address, {})
        among = list(mine) if len(mine) > self.limits.per_address else []
        if self.count > self.limits.connections:
            among = [c for conns in self.open.values() for c in conns]
        idle = [c for c in among if c is not waiting and not c.closed and not c.answering]
        if not idle:
            return not among
        min(idle, key=lambda c: (-len(self.open[c.address]), c.since)).close_now()
        return True

    def leave(self, conn: GuardedProtocol) -> None:
        mine = self.open.get(conn.address)
        if mine is not None and conn in mine:
            del mine[conn]
            self.count -= 1
            if not mine:
                del self.open[conn.address]

    def _evict(self, among: list[GuardedProtocol], newcomer: GuardedProtocol, lingering: bool) -> bool:
        """Close the connection of `among` that waits the longest, from the address holding the most;
        one being closed after its answer (lingering) only when there is no other, and if `lingering`."""
        spare = [c for c in among if c is not newcomer and c.spare and (lingering or not c.lingering)]
        if not spare:
            return False
        min(spare, key=lambda c: (c.lingering, -len(self.open[c.address]), c.since)).close_now()
        return True

    def reserve(self, address: str, n: int, own: int = 0) -> bool:
        """Hold `n` more body bytes for a request of `address` that holds `own` already; False: past
        the address's share, and its other requests hold some."""
        held = self.held.get(address, 0)
        if n and held > own and held + n > self.limits.body_per_address:
            return False
        self.held[address] = held + n
        return True

    def release(self, address: str, n: int) -> None:
        held = self.held.get(address, 0) - n
        if held > 0:
            self.held[address] = held
        else:
            self.held.pop(address, None)


class GuardedProtocol(H11Protocol):
    """uvicorn's h11 protocol, with the door's deadlines and limits (see the module's docstring)."""

    door: ClassVar[Door]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inner = self.app  # the app; every request goes through admit() first
        self.app = self.admit
        self.limits = self.door.limits
        self.address = ""
        self.refused = False  # no room when it came: its request is answered 503
        self.since = 0.0  # when it last began to wait (opened, or answered)
        self.received = 0  # bytes received, in all
        self.closed = False
        self.lingering = False
        self.header_timer: asyncio.TimerHandle | None = None
        self.header_mark = 0
        self.body_timer: asyncio.TimerHandle | None = None
        self.body_mark = 0
        self.linger_timer: asyncio.TimerHandle | None = None
        self.linger_mark = 0

    # --- the connection ---------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.real = transport
        super().connection_made(_Transport(transport, self))
        self.flow = _Flow(self.transport)
        self.address = address_of(self.client)
        self.since = self.loop.time()
        self.refused = not self.door.enter(self)
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._forget()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.received += len(data)
        if self.lingering:  # the answer is sent: what comes is dropped
            if self.received - self.linger_mark > self.limits.linger_bytes:
                self.close_now()
            return
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        self.since = self.loop.time()
        super().on_response_complete()
        self._watch()

    def shutdown(self) -> None:
        if self.lingering:
            self.close_now()
        else:
            super().shutdown()

    @property
    def spare(self) -> bool:
        """May be closed to make room: not being answered, and either slow (it has begun a request and
        not ended its headers, or it waited GRACE_SECONDS) or being closed after its answer. A client's
        new connections, whose headers are on their way, are left alone."""
        if self.closed or self.answering:
            return False
        begun = self.received > self.header_mark
        return begun or self.lingering or self.loop.time() - self.since >= GRACE_SECONDS

    @property
    def answering(self) -> bool:
        """A request of it is being answered."""
        return not (self.cycle is None or self.cycle.response_complete)

    def close_now(self) -> None:
        """Close the connection, without waiting for anything."""
        self._forget()
        self.real.close()

    def _forget(self) -> None:
        self.closed = True
        for timer in (self.header_timer, self.body_timer, self.linger_timer):
            if timer is not None:
                timer.cancel()
        self.header_timer = self.body_timer = self.linger_timer = None
        self.door.leave(self)

    def asked_to_close(self) -> None:
        """uvicorn closes the connection: linger if the client is still sending a body (see above)."""
        if self.closed or self.lingering:
            return
        if self.conn.their_state is not h11.SEND_BODY or not self.real.can_write_eof():
            self.close_now()
            return
        try:
            self.real.write_eof()  # once the answer is sent
        except OSError:  # the client is gone already
            self.close_now()
            return
        self.lingering = True
        self.linger_mark = self.received
        self.real.resume_reading()
        self.linger_timer = self.loop.call_later(self.limits.linger_seconds, self.close_now)
        self._watch()

    # --- the deadlines ----------------------------------------------------------------------------------

    def _watch(self) -> None:
        """Arm the deadline the connection's state calls for: its headers', or its body's rate."""
        if self.closed:
            return
        state = self.conn.their_state
        if state is h11.IDLE and not self.lingering:
            if self.header_timer is None:
                self.header_mark = self.received
                self.header_timer = self.loop.call_later(self.limits.header_seconds, self._headers_late)
        elif self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None
        if state is h11.SEND_BODY and self.body_timer is None:
            self._judge_from_now()

    def _headers_late(self) -> None:
        self.header_timer = None
        if self.closed or self.conn.their_state is not h11.IDLE:
            return
        if self.received > self.header_mark:  # it had begun a request: say why it ends
            self.real.write(b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        self.close_now()

    def _judge_from_now(self) -> None:
        self.body_mark = self.received
        assert isinstance(self.flow, _Flow)
        self.flow.paused_lately = self.flow.read_paused
        self.body_timer = self.loop.call_later(self.limits.body_window, self._judge_body)

    def _judge_body(self) -> None:
        self.body_timer = None
        if self.closed or self.conn.their_state is not h11.SEND_BODY:
            return
        assert isinstance(self.flow, _Flow)
        cycle = self.cycle
        excused = self.flow.paused_lately or (  # the app is not reading, or has not asked for the body yet
            cycle is not None and cycle.waiting_for_100_continue and not cycle.response_complete
        )
        least = self.limits.min_body_rate * self.limits.body_window
        if not excused and self.received - self.body_mark < least:
            self.close_now()
            return
        self._judge_from_now()

    # --- admission --------------------------------------------------------------------------------------

    async def admit(self, scope: Any, receive: Any, send: Any) -> None:
        """The app, for a request the door has room for (its body held against its address); else 503."""
        if self.refused:
            if not self.door.make_room(self):
                await _busy(scope, receive, send)
                return
            self.refused = False
        declared = _content_length(scope)
        held = declared or 0
        if not self.door.reserve(self.address, held):
            await _busy(scope, receive, send)
            return

        async def counted() -> Any:  # a chunked body, held as it comes
            nonlocal held
            message = await receive()
            n = len(message.get("body", b""))
            if n and not self.door.reserve(self.address, n, own=held):
                self.close_now()
                return {"type": "http.disconnect"}
            held += n
            return message

        try:
            await self.inner(scope, receive if declared is not None else counted, send)
        finally:
            self.door.release(self.address, held)


async def _busy(scope: Any, receive: Any, send: Any) -> None:
    """503 busy, in the app's words and shape, and the connection closed."""
    response = await answer(Request(scope), busy(close=True))
    await response(scope, receive, send)


def _content_length(scope: Any) -> int | None:
    """The body's declared length (0 for none); None for a chunked body (h11 has checked the headers)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value)
        if name == b"transfer-encoding":
            return None
    return 0


class _Flow(FlowControl):
    """uvicorn's flow control, which remembers that reading was paused (the app was not reading)."""

    paused_lately = False

    def pause_reading(self) -> None:
        self.paused_lately = True
        super().pause_reading()


class _Transport(asyncio.Transport):
    """The connection's transport as uvicorn sees it: its close() is the protocol's (asked_to_close)."""

    def __init__(self, real: asyncio.Transport, protocol: GuardedProtocol) -> None:
        super().__init__()
        self.real, self.protocol, self.closing = real, protocol, False

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            self.protocol.asked_to_close()

    def is_closing(self) -> bool:
        return self.closing or self.real.is_closing()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self.closing:  # once closing, the sending side may be shut already
            self.real.write(data)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.real.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self.real.pause_reading()

    def resume_reading(self) -> None:
        self.real.resume_reading()

    def is_reading(self) -> bool:
        return self.real.is_reading()

    def abort(self) -> None:
        self.closing = True
        self.protocol.close_now()

    def get_write_buffer_size(self) -> int:
        return self.real.get_write_buffer_size()
