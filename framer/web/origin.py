"""Where a request comes from, checked at the door, before its body is read.

- **Host**: a server bound to a loopback address answers only requests naming a loopback host: the
  address it is bound to (any of 127.0.0.0/8, or ::1, in brackets as a Host header writes it),
  `localhost`, 127.0.0.1 and [::1]. A page of another site that makes its own name resolve to 127.0.0.1
  (DNS rebinding) is refused, whatever the port.
- **Origin**: a request that changes something or sends a photo (POST) is refused when a browser says it
  comes from another site's page (`Origin` naming another host, or `Sec-Fetch-Site: cross-site` /
  `same-site`): another site's form cannot make a colleague's browser send pictures to the agency's server.
  Scripts send no Origin and are answered.

Starlette's TrustedHostMiddleware cannot read an IPv6 Host ("[::1]:8000"); this can.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import Refused, answer

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def loopback_hosts(bound: str) -> frozenset[str] | None:
    """The Host names a server bound to `bound` answers: the loopback names and `bound` itself when it
    is a loopback address; None (any) when it is not (a server on the agency's network is reached by
    the names and addresses people give it)."""
    if bound == "localhost":
        return frozenset(LOOPBACK_NAMES)
    try:
        address = ipaddress.ip_address(bound)
    except ValueError:
        return None
    if not address.is_loopback:
        return None
    own = f"[{address.compressed}]" if address.version == 6 else address.compressed
    return frozenset((*LOOPBACK_NAMES, own))


def host_name(header: str) -> str:
    """The host of a Host header, without its port: "[::1]:8000" -> "[::1]", "Example.org:80" ->
    "example.org"."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[: end + 1] if end > 0 else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class DoorGuard:
    """ASGI middleware: the Host check (`hosts`; None: any) on every request, and the Origin check on
    POSTs; each refusal answered in the request's language, before the body is read."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str] | None = None) -> None:
        self.app = app
        self.hosts = frozenset(hosts) if hosts is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = request.headers.get("host", "")
        refusal = None
        if self.hosts is not None and host_name(host) not in self.hosts:
            refusal = Refused(400, "bad_host")
        elif request.method == "POST" and _from_another_site(request, host):
            refusal = Refused(403, "other_site")
        if refusal is None:
            await self.app(scope, receive, send)
            return
        response = await answer(request, refusal)
        await response(scope, receive, send)


def _from_another_site(request: Request, host: str) -> bool:
    """Whether a browser says the request comes from a page of another site."""
    if request.headers.get("sec-fetch-site", "").lower() in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False  # a script, or a browser that sends no Origin on this request
    if origin == "null":
        return True  # a sandboxed frame or a file: page
    scheme, _, rest = origin.lower().partition("://")
    return _netloc(scheme, rest) != _netloc(request.url.scheme, host.lower())  # another port: another site


def _netloc(scheme: str, netloc: str) -> str:
    """host:port as an origin compares it, the scheme's default port left out."""
    default = {"http": ":80", "https": ":443"}.get(scheme, "")
    return netloc.removesuffix(default) if default else netloc
