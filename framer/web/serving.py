"""Running the app under uvicorn: the listening socket, the server's settings, its log.

The access log names the method, the address asked for and the status, never a file's name (the page's
addresses carry none), and not the photos' ids either: an id is the key to a photo for its minutes, so
it is shown as "…" (a filter on uvicorn's access logger, which the app puts in place when it starts,
whoever configured the log). The server speaks HTTP/1.1 through framer.web.guard, which gives each client
a deadline for its headers, a minimum rate for its body, and each address its share of the connections
and of the uploads' memory. `framer serve` runs the server in the main thread; `in_thread` runs it beside
the caller, for the tests and the benchmark.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from .guard import Limits, guarded

_PHOTO_ID = re.compile(r"(/api/photos/)[^/?]+")
_TOKEN = re.compile(r"([?&]token=)[^&\s]*")  # framer review --serve's key: never in a log

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": "%(levelprefix)s %(message)s"},
        "access": {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s',
        },
    },
    "handlers": {
        "default": {"formatter": "default", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
        "access": {
            "formatter": "access",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        # uvicorn's own start and stop lines are left out: framer serve says where the page is itself.
        "uvicorn": {"handlers": ["default"], "level": "WARNING", "propagate": False},
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}


def hide_photo_ids() -> None:
    """Show photos' ids as "…" in uvicorn's access log, whatever its handlers (the app's start does this)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, HideIds) for f in access.filters):
        access.addFilter(HideIds())


class HideIds(logging.Filter):
    """Shows the photo id (and a review page's key) in an access log line as "…"."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            shown = _TOKEN.sub(r"\1…", _PHOTO_ID.sub(r"\1…", str(path)))
            record.args = (client, method, shown, version, status)
        return True


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port` (0: any free port), for uvicorn to serve on (OSError)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def server(app: ASGIApp, access_log: bool = True, limits: Limits | None = None) -> uvicorn.Server:
    """A uvicorn server for `app` (give it its socket with `run(sockets=[listen(...)])`), its door
    guarded by `limits` (framer.web.guard's defaults)."""
    config = uvicorn.Config(
        app,
        http=guarded(limits or Limits()),  # the guard counts connections itself: no limit_concurrency
        ws="none",
        lifespan="on",
        log_config=LOG_CONFIG,
        access_log=access_log,
        server_header=False,
    )
    return uvicorn.Server(config)


@contextmanager
def in_thread(
    app: ASGIApp, host: str = "127.0.0.1", access_log: bool = False, limits: Limits | None = None
) -> Iterator[str]:
    """The real server for `app` on a free port of `host`, in a thread, until the block ends; its URL."""
    sock = listen(host, 0)
    running = server(app, access_log, limits)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not running.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        running.should_exit = True
        thread.join(60)
        sock.close()
