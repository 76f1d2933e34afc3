"""`framer review --serve`'s ASGI app: the review page, live. IT staff fix the few photos of a batch in
the browser.

    GET  /                              the page (static/review.html, in the request's language)
    GET  /static/...                    its CSS and JavaScript (editor.js and page.js: the serve page's)
    GET  /api/messages                  every word the page shows
    GET  /api/frame, /api/frame.png     the batch's frame: its geometry, its image
    GET  /api/photos                    every photo of the report: file, status, warnings, faces, ...
    GET  /api/photos/ID/thumb.jpg       its output, small
    GET  /api/photos/ID/edit            its original's faces and placements, for the editor
    GET  /api/photos/ID/preview.jpg     its original, screen-sized
    POST /api/adjust                    {"file", "zoom", "dx", "dy", "face"}: frame it again; its new row
    POST /api/checked                   {"file", "checked"}: mark it as checked (or not)

Only files the report names are ever read, each by its number in the report, never by a path a request
gives; originals are never written. Framing again goes through framer.batch.plan (lock, journal, claim rules,
atomic write) in a worker process; the correction goes to the batch's adjust file, so that `framer apply
--adjust FILE` reproduces it. On a host other than loopback every request needs the server's token.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import jobs, review_views, words
from .base import create, working
from .language import negotiate, speaking
from .review_service import ReviewConfig, ReviewState

TOKEN_COOKIE = "framer_token"


def create_review_app(config: ReviewConfig) -> Starlette:
    state = ReviewState(config)
    routes = [
        Route("/api/messages", review_views.messages),
        Route("/api/frame", review_views.frame),
        Route("/api/frame.png", review_views.frame_image),
        Route("/api/photos", review_views.photos),
        Route("/api/photos/{photo_id:int}/thumb.jpg", review_views.thumb),
        Route("/api/photos/{photo_id:int}/edit", review_views.edit),
        Route("/api/photos/{photo_id:int}/preview.jpg", review_views.preview),
        Route("/api/adjust", review_views.adjust, methods=["POST"]),
        Route("/api/checked", review_views.checked, methods=["POST"]),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with working(app.state, [config.batch.frame], config.workers) as pool:
            if pool is not None:
                state.look = await pool.run(jobs.describe, config.batch.frame.name)
                state.pool = pool
            yield

    middleware = [Middleware(Guard, token=config.token)] if config.token else []
    app = create(
        review_views.page, routes, hosts=config.hosts or None, lifespan=lifespan, middleware=middleware
    )
    app.state.review = state
    return app


class Guard:
    """Every request must carry the server's token: ?token=..., the cookie the first such visit sets
    (so the page's own requests carry it), or Authorization: Bearer; else 403."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given = request.query_params.get("token")
        cookie = request.cookies.get(TOKEN_COOKIE, "")
        auth = request.headers.get("authorization", "")
        bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if not any(self._right(t) for t in (given, cookie, bearer)):
            with speaking(negotiate(request)):
                message = words.error("bad_token")
            response = JSONResponse({"error": message, "code": "bad_token"}, 403)
            await response(scope, receive, send)
            return
        if given is None or not self._right(given):
            await self.app(scope, receive, send)
            return

        async def with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append(
                    "Set-Cookie", f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                )
            await send(message)

        await self.app(scope, receive, with_cookie)

    def _right(self, given: str | None) -> bool:
        return bool(given) and secrets.compare_digest(str(given).encode(), self.token.encode())
