"""Reading an upload: the body, with a hard limit, parsed as multipart/form-data in memory.

Starlette's request.form() spools any file over 1 MB to a temporary file on disk; a photo sent to the
page must never touch the disk, so the body is fed to python-multipart's streaming parser here, chunk by
chunk, into memory. The limit is enforced before a byte is read when the client says the body's length
(Content-Length), and while reading when it does not (a chunked upload is cut off past the limit, so an
endless upload costs at most the limit). A body refused by its length is left to uvicorn, which
discards the declared rest once the answer is sent, so that even a client that sends its whole body
before it reads reads the 413; one cut off has its connection closed. A client that trickles its
upload is given UPLOAD_SECONDS. Uploads being received at once share a Budget of memory: past it, the
next one is told the server is busy, so that many large uploads at once cannot fill the server's memory.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from ..numbers import whole
from .errors import Refused, busy, too_large

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

UPLOAD_BYTES = 256_000_000  # uploads being received at once: ten of the largest, fifty phone photos
UPLOAD_SECONDS = 120  # a 25 MB photo over a slow phone connection (2 Mbit/s) takes 100 s
MAX_PARTS = 16  # the page sends two (photo, frame); a script a handful
MAX_FIELD = 1000  # bytes of a field that is not a file (a number, a frame's name)


@dataclass
class Form:
    """An upload's fields (text) and its photo (bytes, and the name the client gave it)."""

    fields: dict[str, str] = field(default_factory=dict)
    photo: bytes | None = None
    filename: str = ""


class Budget:
    """The bytes of uploads held in memory while they are received, across requests (only the event
    loop's thread touches it)."""

    def __init__(self, total: int = UPLOAD_BYTES) -> None:
        self.total, self.used = total, 0

    def take(self, n: int) -> None:
        """Take `n` bytes of it, or refuse: the server is busy (the rest of the body left unread)."""
        if self.used + n > self.total:
            raise busy(close=True)
        self.used += n


async def read_form(request: Request, limit: int, mb: int, budget: Budget) -> Form:
    """The multipart form of `request`, whose body may be at most `limit` bytes (413, naming `mb`),
    received within `budget`."""
    length = request.headers.get("content-length")
    if length is not None and whole(length) is None:
        raise Refused(400, "not_a_form")
    if length is not None and int(length) > limit:
        raise too_large(mb, close=False)
    kind, options = parse_options_header(request.headers.get("content-type"))
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise Refused(400, "not_a_form")
    collector = _Collector()
    received = 0
    try:
        parser = MultipartParser(options[b"boundary"], collector.callbacks())
        async with asyncio.timeout(UPLOAD_SECONDS):
            async for chunk in request.stream():
                if received + len(chunk) > limit:
                    raise too_large(mb)
                budget.take(len(chunk))
                received += len(chunk)
                parser.write(chunk)
        parser.finalize()
    except (FormParserError, _Malformed):
        raise Refused(400, "not_a_form") from None
    except TimeoutError:
        raise Refused(408, "slow_upload", {"Connection": "close"}) from None
    except ClientDisconnect:  # nobody is left to answer; this ends the request quietly
        raise Refused(400, "not_a_form") from None
    finally:
        budget.used -= received
    return collector.form


class _Malformed(Exception):
    """A form framer does not take: too many parts, a field too long, a part without a name."""


class _Collector:
    """python-multipart's callbacks, gathering the form's parts in memory."""

    def __init__(self) -> None:
        self.form = Form()
        self.parts = 0
        self.header_name = self.header_value = b""
        self.disposition = b""
        self.name = ""
        self.is_file = False
        self.data = bytearray()

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise _Malformed
        self.disposition, self.data = b"", bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        if b"name" not in options:
            raise _Malformed
        self.name = options[b"name"].decode("utf-8", "replace")
        self.is_file = b"filename" in options
        if self.is_file and self.name == "photo":
            self.form.filename = options[b"filename"].decode("utf-8", "replace")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.data += data[start:end]
        if not self.is_file and len(self.data) > MAX_FIELD:
            raise _Malformed

    def on_part_end(self) -> None:
        if self.name == "photo" and self.form.photo is None:
            self.form.photo = bytes(self.data)
        elif not self.is_file:
            self.form.fields.setdefault(self.name, self.data.decode("utf-8", "replace"))
        self.data = bytearray()


def download_stem(filename: str) -> str:
    """The name a framed picture is offered under, from the name the photo came with: its stem without
    any folder (some browsers send C:\\Users\\...), without what file systems refuse, at most 80
    characters; "photo" when nothing is left."""
    stem = PurePosixPath(re.split(r"[\\/]", filename)[-1]).stem
    stem = "".join(c for c in unicodedata.normalize("NFC", stem) if unicodedata.category(c)[0] != "C")
    stem = re.sub(r'[<>:"|?*]+', "_", stem).strip(" .")
    return stem[:80] or "photo"
