"""`framer serve`'s ASGI app: its route table, and what it does as it starts and stops.

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
the photos in hand. What it does as the review app does (the headers every answer carries, the door's
checks, the errors' answers, the pool's start and stop) is framer.web.base's.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from starlette.applications import Starlette
from starlette.routing import Route

from . import jobs, views
from .base import create, working
from .service import Config, Service

SWEEP_SECONDS = 30  # how often photos past their minutes are dropped, even when nobody asks for one


def create_app(config: Config) -> Starlette:
    """The page's app for `config` (FrameError when two frames offered share a name)."""
    service = Service.from_config(config)
    routes = [
        Route("/site.json", views.site_json),
        Route("/static/face_detection_yunet_2023mar.onnx", views.model),
        Route("/api/frames", views.frames),
        Route("/api/frames/{name}.png", views.frame_image),
        Route("/api/photos", views.add_photo, methods=["POST"]),
        Route("/api/photos/{photo_id}/preview.jpg", views.preview),
        Route("/api/photos/{photo_id}/framed", views.framed),
        Route("/api/frame", views.frame_once, methods=["POST"]),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_sweep(service))
        try:
            async with working(app.state, list(config.frames), config.workers, config.queue) as pool:
                if pool is not None:
                    service.looks = {name: await pool.run(jobs.describe, name) for name in service.frames}
                    service.pool = pool
                yield
        finally:
            sweeper.cancel()
            with suppress(asyncio.CancelledError):
                await sweeper

    app = create(views.page, routes, hosts=config.hosts, lifespan=lifespan)
    app.state.service = service
    return app


async def _sweep(service: Service) -> None:
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        service.store.expire()
