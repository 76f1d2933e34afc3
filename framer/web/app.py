"""The page's ASGI app: its route table, the headers every answer carries, and its start and stop.

    GET  /                                  the page (static/index.html, in the request's language)
    GET  /static/...                        its CSS and JavaScript
    GET  /healthz                           {"ok": true}
    GET  /site.json                         the page's frames, campaigns and words (framer.web.site)
    GET  /static/face_detection_yunet_2023mar.onnx   the model the page finds faces with
    GET  /api/frames, /api/frames/NAME.png  the frames offered, their campaign today, their images
    POST /api/photos                        a photo to edit: faces, placements, preview, id
    GET  /api/photos/ID/preview.jpg         the photo, screen-sized
    GET  /api/photos/ID/framed              the photo framed at full quality, placed as asked
    POST /api/frame                         a photo framed in one request (for scripts)

On start the worker pool is started and warmed up (each worker has built its detector and frames before
the first photo comes) and each frame's image is made at its output size; on stop the workers finish
the photos in hand.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import FramerError
from . import jobs, views
from .errors import Refused, answer
from .origin import DoorGuard
from .pool import WorkerPool, start_or_stop
from .service import QUEUE_PER_WORKER, Config, Service
from .serving import hide_photo_ids
from .site import NOT_FRAMED, PAGE_POLICY

# Nothing the page loads may come from elsewhere (the photo is drawn from blob: and data: URLs).
SECURITY_HEADERS = {
    "Content-Security-Policy": f"{PAGE_POLICY}; {NOT_FRAMED}",
    "X-Frame-Options": "DENY",  # no other site may show either page in a frame (clickjacking Save)
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
SWEEP_SECONDS = 30  # how often photos past their minutes are dropped, even when nobody asks for one


def create_app(config: Config) -> Starlette:
    """The page's app for `config` (FrameError when two frames offered share a name)."""
    service = Service.from_config(config)
    routes = [
        Route("/", views.page),
        Route("/healthz", views.health),
        Route("/site.json", views.site_json),
        Route("/static/face_detection_yunet_2023mar.onnx", views.model),
        Route("/api/frames", views.frames),
        Route("/api/frames/{name}.png", views.frame_image),
        Route("/api/photos", views.add_photo, methods=["POST"]),
        Route("/api/photos/{photo_id}/preview.jpg", views.preview),
        Route("/api/photos/{photo_id}/framed", views.framed),
        Route("/api/frame", views.frame_once, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("framer.web", "static")])),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        queue = config.queue or QUEUE_PER_WORKER * config.workers
        pool = WorkerPool(list(config.frames), config.workers, queue)
        sweeper = asyncio.create_task(_sweep(service))
        hide_photo_ids()
        try:
            if await start_or_stop(pool, app.state):
                service.looks = {name: await pool.run(jobs.describe, name) for name in service.frames}
                service.pool = pool
            yield
        finally:
            sweeper.cancel()
            with suppress(asyncio.CancelledError):
                await sweeper
            pool.shutdown()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders), Middleware(DoorGuard, hosts=config.hosts)],
        exception_handlers={Refused: answer, FramerError: answer, HTTPException: answer, Exception: answer},
        lifespan=lifespan,
    )
    app.state.service = service
    return app


async def _sweep(service: Service) -> None:
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        service.store.expire()


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
