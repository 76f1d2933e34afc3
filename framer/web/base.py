"""What both web apps share: `framer serve`'s page (framer.web.app) and `framer review --serve`'s
(framer.web.review_app).

Each answers its page at / and /healthz, /static/..., carries SECURITY_HEADERS on every answer, checks
each request's Host and Origin at the door (framer.web.origin), answers every error through
framer.web.errors, and runs its worker pool (framer.web.pool) from its start to its stop.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Lifespan, Message, Receive, Scope, Send

from ..errors import FramerError
from ..frames.model import Frame
from .errors import Refused, answer
from .origin import DoorGuard
from .pool import QUEUE_PER_WORKER, WorkerPool, start_or_stop
from .serving import hide_photo_ids
from .site import NOT_FRAMED, PAGE_POLICY

# Nothing the page loads may come from elsewhere (the photo is drawn from blob: and data: URLs).
SECURITY_HEADERS = {
    "Content-Security-Policy": f"{PAGE_POLICY}; {NOT_FRAMED}",
    "X-Frame-Options": "DENY",  # no other site may show either page in a frame (clickjacking Save)
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
PRIVATE = {"Cache-Control": "no-store"}  # a person's photo is not kept in the browser's cache either
WORDED = {"Vary": "Accept-Language"}  # answers in the request's language


def create(
    page: Callable[[Request], Awaitable[Response]],
    routes: Sequence[BaseRoute],
    *,
    hosts: Iterable[str] | None,
    lifespan: Lifespan[Starlette],
    middleware: Sequence[Middleware] = (),
) -> Starlette:
    """An app answering `page` at /, /healthz, `routes` and /static/... (framer.web's static/): the door
    lets in only the Host names `hosts` (None: any) and no other site's POST, then `middleware` runs."""
    return Starlette(
        routes=[
            Route("/", page),
            Route("/healthz", health),
            *routes,
            Mount("/static", StaticFiles(packages=[("framer.web", "static")])),
        ],
        middleware=[Middleware(SecurityHeaders), Middleware(DoorGuard, hosts=hosts), *middleware],
        exception_handlers={Refused: answer, FramerError: answer, HTTPException: answer, Exception: answer},
        lifespan=lifespan,
    )


@asynccontextmanager
async def working(
    state: Any, frames: list[Frame], workers: int, queue: int | None = None
) -> AsyncIterator[WorkerPool | None]:
    """A pool of `workers` for `frames`, admitting `queue` jobs (None: QUEUE_PER_WORKER per worker),
    started and warmed up for the block and shut down after it; None when it could not start (see
    framer.web.pool.start_or_stop, `state` being the app's). Photos' ids are hidden in the access log."""
    pool = WorkerPool(frames, workers, queue or QUEUE_PER_WORKER * workers)
    hide_photo_ids()
    try:
        yield pool if await start_or_stop(pool, state) else None
    finally:
        pool.shutdown()


def html_page(name: str, lang: str, headers: dict[str, str]) -> HTMLResponse:
    """static/`name`, its <html> tag saying it is in `lang`."""
    html = (files("framer.web") / "static" / name).read_text(encoding="utf-8")
    html = re.sub(r"<html\b[^>]*>", f'<html lang="{lang}">', html, count=1)
    return HTMLResponse(html, headers=headers)


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True})


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
