"""The one place where what went wrong becomes an HTTP answer: a status and the JSON error shape,
{"error": "<words in the request's language>", "code": "<stable code>"}.

    PhotoError        400, its framer.reasons code (500 for "crashed": the photo killed a worker), in the
                      page's words (framer.web.words.PHOTO_REASONS), not the command line's
    AdjustError       400 "bad_adjust": a correction's value, or the adjust file, as its reader words it
    FolderBusy        423 "folder_busy": a framer apply is writing into the output folder
    CannotStart       409 "write_refused": a file framer must not write over is in the way
    CampaignClosed    403 "campaign_closed", the message naming the window
    Refused           the web layer's own refusals: 413 too_large_upload, 503 busy, 404 expired, ...
    HTTPException     Starlette's own (404 for an unknown address, 405)
    anything else     500 "unexpected", in the page's words, naming only the exception's type (its text
                      is logged, not shown)
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from ..errors import AdjustError, CampaignClosed, CannotStart, FolderBusy, PhotoError
from ..reasons import worded
from . import words
from .language import negotiate, speaking

RETRY_AFTER = 2  # seconds: about what a full queue of photos takes to clear


class Refused(Exception):
    """A request the web layer does not serve: its status, its code (words.ERRORS) and the values its
    words name, worded when the answer is made."""

    def __init__(
        self, status: int, code: str, headers: dict[str, str] | None = None, **values: object
    ) -> None:
        super().__init__(code)
        self.status, self.code, self.headers, self.values = status, code, headers or {}, values


def busy(close: bool = False) -> Refused:
    """The server is busy: try again in RETRY_AFTER s (`close`: the body is left unread, so the
    connection is closed rather than drained)."""
    return Refused(
        503, "busy", {"Retry-After": str(RETRY_AFTER)} | ({"Connection": "close"} if close else {})
    )


def too_large(mb: int, close: bool = True) -> Refused:
    """The upload is larger than `mb` MB (`close`: as for busy)."""
    return Refused(413, "too_large_upload", {"Connection": "close"} if close else {}, mb=mb)


HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


async def answer(request: Request, exc: Exception) -> JSONResponse:
    """The JSON answer to `exc`, in the language of `request` (Starlette's exception handler)."""
    with speaking(negotiate(request)):
        if isinstance(exc, Refused):
            status, code, headers = exc.status, exc.code, exc.headers
            message = words.error(code, **exc.values)
        elif isinstance(exc, PhotoError):
            status, code, headers = (500 if exc.code == "crashed" else 400), exc.code, {}
            message = words.photo_error(exc.code, exc.details, str(exc))
        elif isinstance(exc, AdjustError):
            status, code, headers, message = 400, "bad_adjust", {}, str(exc)
        elif isinstance(exc, FolderBusy):
            status, code, headers, message = 423, "folder_busy", {}, str(exc)
        elif isinstance(exc, CannotStart):
            status, code, headers, message = 409, "write_refused", {}, str(exc)
        elif isinstance(exc, CampaignClosed):
            status, code, headers, message = 403, "campaign_closed", {}, str(exc)
        elif isinstance(exc, HTTPException) and exc.status_code in HTTP_CODES:
            status, code, headers = exc.status_code, HTTP_CODES[exc.status_code], dict(exc.headers or {})
            message = words.error(code)
        elif isinstance(exc, HTTPException):
            status, code, headers, message = exc.status_code, f"http_{exc.status_code}", {}, exc.detail
        else:
            status, code, headers, detail = 500, "unexpected", {}, {"detail": type(exc).__name__}
            message = words.photo_error(code, detail, worded(code, detail))
    return JSONResponse({"error": message, "code": code}, status, headers)
