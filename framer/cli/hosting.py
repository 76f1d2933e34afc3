"""A page's server, run from the command line (framer serve, framer review --serve): the socket bound, the
addresses people reach it at, its QR code, the browser opened once it answers, Ctrl-C."""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
import threading
import time
import webbrowser
from typing import TYPE_CHECKING

import click

from ..errors import CannotStart, ExitCode
from ..i18n import _
from .options import user_errors

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette

EVERY_ADDRESS = ("0.0.0.0", "::")  # what a server listens on to be reached on every network


def bind(host: str, port: int) -> socket.socket:
    """The socket to serve on, bound now so that a port in use is said plainly (CannotStart)."""
    from ..web.serving import listen

    try:
        return listen(host, port)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            message = _("port {port} is already in use: stop what uses it, or choose another with --port")
        elif e.errno == errno.EADDRNOTAVAIL or isinstance(e, socket.gaierror):
            message = _("cannot listen on {host}: it is not an address of this computer")
        else:
            message = _("cannot listen on {host} port {port}: {reason}")
        raise CannotStart(message.format(host=host, port=port, reason=e.strerror or e)) from None


def run_until_stopped(app: Starlette, sock: socket.socket, browse: str | None) -> None:
    """Serve `app` on `sock` until it stops, or Ctrl-C stops it (exit 130); `browse`, if any, is opened in
    this computer's browser once the server answers."""
    running = _server(app)
    if browse is not None:
        threading.Thread(target=_open_when_up, args=(running, browse), daemon=True).start()
    try:
        running.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops gracefully on Ctrl-C, then passes the signal on
        click.echo(_("Stopped."), err=True)
        sys.exit(int(ExitCode.INTERRUPTED))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def addresses(host: str) -> list[str]:
    """The addresses people can reach the page at: `host` itself, or for 0.0.0.0 (every network) each
    of the machine's addresses, the one its default route uses first."""
    if host not in EVERY_ADDRESS:
        return [host]
    found: list[str] = []
    try:  # a UDP "connection" sends nothing: it only asks the system which address its route would use
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): never a real host
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM)
        found += [str(info[4][0]) for info in infos]
    except OSError:
        pass
    usable = [a for a in dict.fromkeys(found) if not ipaddress.ip_address(a).is_loopback]
    return usable or [socket.gethostname()]


def url_of(address: str, port: int) -> str:
    return f"http://[{address}]:{port}" if ":" in address else f"http://{address}:{port}"


def print_qr(url: str) -> None:
    """`url` as a QR code in the terminal, for a poster or a phone (a full QR code: phones do not all
    read the smaller Micro QR)."""
    import io

    import segno

    drawn = io.StringIO()
    segno.make_qr(url).terminal(out=drawn, compact=True)
    click.echo(drawn.getvalue(), nl=False)


def _server(app: Starlette) -> uvicorn.Server:
    """The server for `app`, which the app may stop as it starts (framer.web.pool.start_or_stop)."""
    from ..web.serving import server

    running = server(app)
    app.state.stop_server = lambda: setattr(running, "should_exit", True)
    return running


def said_startup_error(app: Starlette) -> None:
    """The error that stopped the app as it started (a frame its workers could not prepare), if any:
    one 'Error:' line and its exit code."""
    error = getattr(app.state, "startup_error", None)
    if error is not None:
        with user_errors():
            raise error


def _open_when_up(running: uvicorn.Server, url: str) -> None:
    """Open `url` in the default browser once the server answers (its workers are ready)."""
    deadline = time.monotonic() + 120
    while not running.started:
        if time.monotonic() > deadline or running.should_exit:
            return
        time.sleep(0.1)
    webbrowser.open(url)
