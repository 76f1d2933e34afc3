"""`framer review --serve`'s endpoints (the route table is in framer.web.review_app). Only files the
report names are read, each by its number in the report; whatever goes wrong is raised and answered by
framer.web.errors."""

from __future__ import annotations

import base64
import json
import math
from typing import Any, cast
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..batch.record import ERROR, UP_TO_DATE
from ..core.geometry import Adjust
from ..files import open_regular
from ..i18n import LANGUAGES, _, display, language
from ..reasons import warning_text
from ..review.groups import GROUPS, group_of, reasons_for
from ..review.session import Batch, Photo, mark_checked, reframe, report_language, rewrite_report, save_fix
from ..review.thumbs import thumbnail
from . import jobs, words
from .base import PRIVATE, WORDED, html_page
from .errors import Refused
from .language import negotiate, speaking
from .review_service import ReviewState

MAX_BODY = 16 * 1024  # a correction is a few numbers
THUMB_PX = 352  # twice the card's picture: sharp on a phone's screen
KEPT_PREVIEWS = 8  # originals' previews kept for the editor


def _state(request: Request) -> ReviewState:
    return cast(ReviewState, request.app.state.review)


def _lang(request: Request) -> str:
    """The request's language: ?lang=, else framer review's --lang, else the browser's."""
    chosen = _state(request).config.lang
    if chosen and request.query_params.get("lang") not in LANGUAGES:
        return chosen
    return negotiate(request)


async def page(request: Request) -> Response:
    return html_page("review.html", _lang(request), WORDED | PRIVATE)


async def messages(request: Request) -> Response:
    lang = _lang(request)
    with speaking(lang):
        text = words.page(minutes=0, mb=0) | words.review()
        groups = {
            g.key: {
                "heading": _(g.heading),
                "hint": _(words.REVIEW_HINTS.get(g.key, g.hint)) if g.hint else "",
                "problem": g.problem,
            }
            for g in GROUPS
        }
    return JSONResponse({"lang": lang, "messages": text, "groups": groups}, headers=WORDED)


async def frame(request: Request) -> Response:
    s = _state(request)
    assert s.look is not None
    f = s.batch.frame
    return JSONResponse(
        {
            "name": f.name,
            "title": f.title,
            "size": list(s.look.size),
            "window": s.look.window,
            "image": "/api/frame.png",
        }
    )


async def frame_image(request: Request) -> Response:
    s = _state(request)
    assert s.look is not None
    return Response(s.look.png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


async def photos(request: Request) -> Response:
    s, lang = _state(request), _lang(request)
    with speaking(lang):
        listed = [row(p) for p in s.batch.photos]
        answer_ = {
            "photos": listed,
            "counts": counts(listed),
            "adjust_file": display(s.batch.adjust_path),
            "report": display(s.batch.report),
            "settings_known": s.batch.known,
            "frame": s.batch.frame.name,
        }
    return JSONResponse(answer_, headers=PRIVATE | WORDED)


def row(p: Photo) -> dict[str, Any]:
    """A photo as the page and scripts see it (worded in the language in use)."""
    r = p.record
    group = group_of(r)
    problem = next(g.problem for g in GROUPS if g.key == group)
    output = p.safe_output()
    version = ""
    if output is not None:
        try:
            version = str(output.stat().st_mtime_ns)
        except OSError:
            output = None
    return {
        "id": p.id,
        "file": p.file,
        "folder": p.folder,
        "name": p.file.rpartition("/")[2],
        "input": r.input,
        "output": r.output,
        "status": r.status,
        "error": r.error,
        "warnings": r.warnings,
        "warnings_text": [warning_text(w) for w in r.warnings],
        "reasons": reasons_for(r, group),
        "faces": r.faces,
        "face_number": r.face_number,
        "group": group,
        "problem": problem and not p.checked,
        "checked": p.checked,
        "editable": p.job(Adjust()) is not None and r.status != ERROR,
        "adjust": {
            "zoom": p.adjust.zoom,
            "dx": p.adjust.shift[0],
            "dy": p.adjust.shift[1],
            "face": p.adjust.face + 1,
        },
        "thumb": f"/api/photos/{p.id}/thumb.jpg?v={version}" if output is not None else None,
    }


def counts(listed: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "photos": len(listed),
        "problems": sum(1 for r in listed if r["problem"]),
        "checked": sum(1 for r in listed if r["checked"]),
    }


def _photo(request: Request) -> Photo:
    s = _state(request)
    n = request.path_params["photo_id"]
    if not 0 <= n < len(s.batch.photos):
        raise Refused(404, "not_found")
    return s.batch.photos[n]


async def thumb(request: Request) -> Response:
    photo = _photo(request)
    output = photo.safe_output()
    if output is None:
        raise Refused(404, "not_found")
    made = await run_in_threadpool(thumbnail, output, THUMB_PX)
    if made.uri is None:
        raise Refused(404, "not_found")
    data = base64.b64decode(made.uri.partition(",")[2])
    return Response(data, media_type="image/jpeg", headers=PRIVATE)


def _original(photo: Photo) -> bytes:
    source = photo.safe_source()
    if source is None:
        raise Refused(404, "not_found")
    try:
        with open_regular(source) as f:
            return f.read()
    except OSError:
        raise Refused(404, "not_found") from None


async def edit(request: Request) -> Response:
    """The original's faces and where each goes, as the serve page's editor takes them."""
    s, photo = _state(request), _photo(request)
    data = await run_in_threadpool(_original, photo)
    found = await s.workers.run(jobs.analyse, data, s.batch.frame.name)
    s.previews[photo.id] = found.preview
    s.previews.move_to_end(photo.id)
    while len(s.previews) > KEPT_PREVIEWS:
        s.previews.popitem(last=False)
    with speaking(_lang(request)):
        warnings_text = [warning_text(code) for code in found.warnings]
    return JSONResponse(
        {
            "id": photo.id,
            "file": photo.file,
            "size": list(found.size),
            "preview": f"/api/photos/{photo.id}/preview.jpg",
            "preview_scale": found.preview_scale,
            "faces": found.faces,
            "placements": [{"scale": scale, "crop": crop} for scale, crop in found.placements],
            "warnings": found.warnings,
            "warnings_text": warnings_text,
            "adjust": row(photo)["adjust"],
            "start": _today(photo),
        },
        headers=PRIVATE,
    )


def _today(photo: Photo) -> dict[str, float]:
    """Where the editor starts: the photo's row of the adjust file, else the face the batch framed."""
    a = photo.adjust
    face = a.face + 1
    if not a.face and photo.record.face_number and photo.record.face_number > 1:
        face = photo.record.face_number  # an earlier run's own adjust file picked it
    return {"zoom": a.zoom, "dx": a.shift[0], "dy": a.shift[1], "face": face}


async def preview(request: Request) -> Response:
    s, photo = _state(request), _photo(request)
    data = s.previews.get(photo.id)
    if data is None:
        raise Refused(404, "not_found")
    return Response(data, media_type="image/jpeg", headers=PRIVATE)


async def _json(request: Request) -> dict[str, Any]:
    """The request's JSON object, at most MAX_BODY bytes (400 otherwise, 413 when larger). It must say
    it is JSON and come from this page: another site's page open in the same browser can send neither
    (a form or a "simple" request is refused, and a real JSON one needs a preflight it never gets)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise Refused(415, "bad_json")
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise Refused(403, "other_site")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refused(413, "too_large_body")
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise Refused(400, "bad_json") from None
    if not isinstance(value, dict):
        raise Refused(400, "bad_json")
    return value


def _cells(values: dict[str, Any]) -> dict[str, str]:
    """The correction's values as an adjust file's cells (checked as the file's are, by its reader)."""
    out = {}
    for name, default in (("zoom", 1.0), ("dx", 0.0), ("dy", 0.0), ("face", 1)):
        value = values.get(name)
        if value is None:
            out[name] = ""
            continue
        if isinstance(value, str):  # as a cell of the adjust file: its reader checks it
            out[name] = value.strip()
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise Refused(400, "bad_value", name=name)
        if name == "face":
            out[name] = "" if value == default else (str(int(value)) if value == int(value) else repr(value))
        else:
            out[name] = "" if value == default else repr(float(value))
    return out


def _lookup(s: ReviewState, values: dict[str, Any]) -> Photo:
    photo = s.batch.by_file(values.get("file"))
    if photo is None:
        raise Refused(404, "unknown_file")
    return photo


async def adjust(request: Request) -> Response:
    """Frame one photo again with a person's correction, as `framer apply --adjust` would, and keep the
    correction in the adjust file: its new row."""
    s = _state(request)
    values = await _json(request)
    photo = _lookup(s, values)
    cells = _cells(values)
    async with s.saving:
        sheet = await run_in_threadpool(s.batch.sheet)
        wanted = sheet.put(photo.names, photo.file, cells).adjust
        job = photo.job(wanted)
        if job is None or photo.record.status == ERROR:
            raise Refused(409, "not_editable")
        b = s.batch
        record = await s.workers.run(reframe, job, b.frame, b.side, b.settings)
        if record.status == ERROR:
            with speaking(_lang(request)):
                message = record.reason() or record.error or ""
            return JSONResponse({"error": message, "code": record.error or "error"}, 400)
        if not record.redone and UP_TO_DATE not in record.warnings:  # another file is in its place now
            with speaking(_lang(request)):
                message = "; ".join(record.problems()) or words.error("not_editable")
            return JSONResponse({"error": message, "code": "not_framed"}, 409)
        # The report's names, as it gave them (the server may run elsewhere than the batch did).
        record.input, record.campaign = photo.record.input, photo.record.campaign
        record.output = photo.record.output if record.output else None
        photo.record = record
        await run_in_threadpool(save_fix, b, photo, wanted, record)
        await run_in_threadpool(_rewrite_report, b)
    with speaking(_lang(request)):
        body = row(photo)
        body["counts"] = counts([row(p) for p in s.batch.photos])
    return JSONResponse(body, headers=PRIVATE)


def _rewrite_report(batch: Batch) -> None:
    """The report with the new rows, worded (a CSV's header) in the language of its run."""
    with speaking(report_language(batch) or language()):
        rewrite_report(batch)


async def checked(request: Request) -> Response:
    s = _state(request)
    values = await _json(request)
    photo = _lookup(s, values)
    flag = values.get("checked", True)
    if not isinstance(flag, bool):
        raise Refused(400, "bad_flag", name="checked")
    async with s.saving:
        await run_in_threadpool(mark_checked, s.batch, photo, flag)
    with speaking(_lang(request)):
        body = row(photo)
        body["counts"] = counts([row(p) for p in s.batch.photos])
    return JSONResponse(body, headers=PRIVATE)
