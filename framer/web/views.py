"""`framer serve`'s endpoints (the route table is in framer.web.app). Each reads its request, asks the
worker pool for any pixels, and answers; whatever goes wrong is raised and answered by
framer.web.errors, the one place that words it."""

from __future__ import annotations

import re
import unicodedata
from importlib.resources import files
from typing import cast
from urllib.parse import quote

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..core.geometry import SHIFT_RANGE, ZOOM_RANGE, Adjust
from ..numbers import decimal, whole
from ..reasons import warning_text
from . import jobs
from .base import PRIVATE, WORDED, html_page
from .errors import Refused
from .language import negotiate, speaking
from .service import Service
from .store import Photo
from .upload import Form, download_stem, read_form

MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def service(request: Request) -> Service:
    return cast(Service, request.app.state.service)


async def page(request: Request) -> Response:
    """The page, in the request's language."""
    return html_page("index.html", negotiate(request), WORDED)


async def frames(request: Request) -> Response:
    """The frames offered: their geometry at output size, their image, their campaign today."""
    s, lang = service(request), negotiate(request)
    listed = []
    with speaking(lang):
        for name, frame in s.frames.items():
            look = s.looks[name]
            status = s.status(frame)
            listed.append(
                {
                    "name": name,
                    "title": frame.title,
                    "size": list(look.size),
                    "window": look.window,
                    "image": f"/api/frames/{quote(name)}.png",
                    "campaign": frame.campaign.as_record() if frame.campaign else None,
                    "status": {
                        "phase": status.phase.value if status else "none",
                        "message": s.campaign_words(frame),
                        "usable": s.usable(frame),
                    },
                }
            )
    return JSONResponse({"default": s.default.name, "frames": listed}, headers=WORDED)


async def site_json(request: Request) -> Response:
    """The page's data (framer.web.site): the frames offered, their campaigns, every word in each
    language. The page judges the campaign by the device's clock, as a published page does."""
    from .site import Offered, site

    s = service(request)
    offered = [
        Offered(frame, s.looks[name].size, _box(s.looks[name].window), f"api/frames/{quote(name)}.png")
        for name, frame in s.frames.items()
    ]
    data = site(
        offered,
        ignore_window=s.config.ignore_window,
        lang=negotiate(request),
        mb=s.config.max_upload_mb,
        today=s.config.on_date,
    )
    return JSONResponse(data, headers={"Cache-Control": "no-cache"})


def _box(values: list[float]) -> tuple[float, float, float, float]:
    x, y, w, h = values
    return x, y, w, h


async def model(request: Request) -> Response:
    """The face detector's model, for the page's own detector (framer.core.detect's, the same file)."""
    from starlette.responses import FileResponse

    from ..core.detect import MODEL_NAME

    path = files("framer") / "models" / MODEL_NAME
    return FileResponse(
        str(path), media_type="application/octet-stream", headers={"Cache-Control": "max-age=86400"}
    )


async def frame_image(request: Request) -> Response:
    """A frame's image at its output size (RGBA PNG), drawn by the page over the photo."""
    s = service(request)
    frame = s.frame(request.path_params["name"])
    return Response(
        s.looks[frame.name].png, media_type="image/png", headers={"Cache-Control": "max-age=3600"}
    )


async def add_photo(request: Request) -> Response:
    """Take a photo for editing: its faces, where each would go, a preview, and the id to frame it by."""
    s, lang = service(request), negotiate(request)
    form = await _form(request, s)
    frame = s.frame(form.fields.get("frame"))
    s.check_open(frame, lang)
    assert form.photo is not None
    found = await s.workers.run(jobs.analyse, form.photo, frame.name)
    stem = download_stem(form.filename)
    photo_id = s.store.add(form.photo, found.preview, stem, frame.name)
    with speaking(lang):
        warnings_text = [warning_text(code) for code in found.warnings]
    answer = {
        "id": photo_id,
        "download_name": f"{stem}-framed.jpg",
        "size": list(found.size),
        "preview": f"/api/photos/{photo_id}/preview.jpg",
        "preview_scale": found.preview_scale,
        "faces": found.faces,
        "placements": [{"scale": scale, "crop": crop} for scale, crop in found.placements],
        "frame": frame.name,
        "warnings": found.warnings,
        "warnings_text": warnings_text,
    }
    return JSONResponse(answer, headers=PRIVATE | WORDED)


async def preview(request: Request) -> Response:
    """The upright photo, screen-sized, for the page's live preview."""
    photo = _kept(request)
    return Response(photo.preview, media_type="image/jpeg", headers=PRIVATE)


async def framed(request: Request) -> Response:
    """A kept photo framed at full quality, placed as the query says (what the page's download gets)."""
    s, photo = service(request), _kept(request)
    adjust, fmt = _placement(request.query_params)
    frame = s.frame(request.query_params.get("frame") or photo.frame)
    s.check_open(frame, negotiate(request))
    return await _render(s, photo.data, photo.stem, frame.name, adjust, fmt)


async def frame_once(request: Request) -> Response:
    """One request, one framed picture: the photo and its settings in a form (for scripts)."""
    s = service(request)
    form = await _form(request, s)
    adjust, fmt = _placement(form.fields)
    frame = s.frame(form.fields.get("frame"))
    s.check_open(frame, negotiate(request))
    assert form.photo is not None
    return await _render(s, form.photo, download_stem(form.filename), frame.name, adjust, fmt)


async def _form(request: Request, s: Service) -> Form:
    """The request's form, which must hold a photo. Refused before a byte of it is read when no frame
    it could name frames photos today (the frame asked for in the query, or every frame offered): the
    campaign is over, and nobody's photo needs to cross the network to hear it."""
    asked = request.query_params.get("frame")
    if asked or not any(s.usable(f) for f in s.frames.values()):
        s.check_open(s.frame(asked), negotiate(request))
    form = await read_form(request, s.config.upload_limit, s.config.max_upload_mb, s.uploads)
    if form.photo is None:
        raise Refused(400, "no_photo")
    return form


def _kept(request: Request) -> Photo:
    s = service(request)
    photo = s.store.get(request.path_params["photo_id"])
    if photo is None:
        raise Refused(404, "expired", minutes=round(s.config.keep_minutes))
    return photo


async def _render(s: Service, data: bytes, stem: str, frame: str, adjust: Adjust, fmt: str) -> Response:
    done = await s.workers.run(jobs.render, data, frame, adjust, fmt)
    headers = {
        "Content-Disposition": attachment(f"{stem}-framed.{fmt}"),
        "X-Framer-Faces": str(done.faces),
        "X-Framer-Warnings": ",".join(done.warnings),
        **PRIVATE,
    }
    return Response(done.data, media_type=MEDIA_TYPES[fmt], headers=headers)


def _placement(values: QueryParams | dict[str, str]) -> tuple[Adjust, str]:
    """A person's placement and the output format, from a query or a form: zoom, dx, dy (fractions of
    the window, as --shift), face (1 = the largest), format; in the ranges the page and the CLI allow."""
    zoom = _number(values, "zoom", 1.0, *ZOOM_RANGE)
    dx, dy = _number(values, "dx", 0.0, *SHIFT_RANGE), _number(values, "dy", 0.0, *SHIFT_RANGE)
    face = whole(values.get("face") or "1")
    if face is None or face < 1:
        raise Refused(400, "bad_face")
    fmt = {"jpeg": "jpg"}.get(values.get("format") or "jpg", values.get("format") or "jpg")
    if fmt not in MEDIA_TYPES:
        raise Refused(400, "bad_format")
    return Adjust(zoom=zoom, shift=(dx, dy), face=face - 1), fmt


def _number(
    values: QueryParams | dict[str, str], name: str, default: float, low: float, high: float
) -> float:
    text = values.get(name)
    if not text:
        return default
    value = decimal(text)
    if value is None or not low <= value <= high:
        raise Refused(400, "bad_number", name=name, low=f"{low:g}", high=f"{high:g}")
    return value


def attachment(name: str) -> str:
    """A Content-Disposition that offers `name` as the download's name: as it is (RFC 6266's
    filename*, for Vietnamese names), and in plain ASCII for clients that know no better."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", plain.encode("ascii", "ignore").decode()).strip("_") or "photo"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
