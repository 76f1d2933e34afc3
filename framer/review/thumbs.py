"""The thumbnails of the review: a small JPEG of a photo's OUTPUT as a data: URI, or why there is none.
Input photos are never read, so none of their pixels can end up on a review page."""

from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from ..batch.record import ERROR, SKIPPED, Record
from ..core.colour import to_rgb
from ..files import open_regular
from ..i18n import _

THUMB_PX = 176  # the size Facebook shows a profile picture at
MAX_THUMB_SOURCE = 8192 * 8192  # no output of framer's is larger
THUMB_QUALITY = 80


@dataclass(frozen=True)
class Thumb:
    """A thumbnail as a data: URI, or why there is none (`uri` is None)."""

    uri: str | None
    state: str  # "ok", "none" (nothing to show), "missing", "unreadable"
    label: str = ""  # the placeholder's words
    reason: str = ""  # an extra line for the card, if any


def thumbnail(output: Path, thumb_px: int = THUMB_PX) -> Thumb:
    """A small JPEG of the picture at `output`, as a data: URI; never raises for a bad file, and never
    waits: open_regular refuses a pipe (FIFO) at that path, which a plain open would wait on forever."""
    try:
        with open_regular(output) as f, Image.open(f) as opened:
            if opened.width * opened.height > MAX_THUMB_SOURCE:  # from the header: never decode a bomb
                raise ValueError(
                    _("it claims {w} x {h} px, more than an output of framer's").format(
                        w=opened.width, h=opened.height
                    )
                )
            opened.draft("RGB", (thumb_px, thumb_px))  # JPEG: decode at a reduced scale, much faster
            im = to_rgb(ImageOps.exif_transpose(opened))
        im.thumbnail((thumb_px, thumb_px), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        im.save(buffer, "JPEG", quality=THUMB_QUALITY)
    except FileNotFoundError:
        return Thumb(
            None, "missing", _("Output file not found"), _("output not found: {path}").format(path=output)
        )
    except Exception as e:  # any broken file: say so on the card, never stop the page
        detail = (e.strerror if isinstance(e, OSError) else None) or str(e) or type(e).__name__
        return Thumb(
            None,
            "unreadable",
            _("Output cannot be opened"),
            _("output cannot be opened: {detail}").format(detail=detail),
        )
    return Thumb("data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"), "ok")


def thumb_for(record: Record, base_dir: Path, inputs: set[str], thumb_px: int) -> Thumb:
    """The thumbnail of `record`'s output (a relative path is from `base_dir`), or why there is none:
    never for a photo that failed or was not framed, nor of a file that is one of `inputs` (real paths)."""
    if record.status == ERROR or record.error:
        # An error's output is at best a stale file from an earlier run; it may even be an input photo.
        return Thumb(None, "none", _("Not framed"))
    if not record.output:
        if record.status == SKIPPED:  # another file is where its output would go: never show that file
            return Thumb(None, "none", _("Not framed"))
        return Thumb(None, "none", _("No output"), _("the report names no output file"))
    output = Path(record.output)
    if not output.is_absolute():
        output = base_dir / output
    if os.path.realpath(output) in inputs:
        return Thumb(None, "none", _("Output is an input photo"), _("the output path is one of the inputs"))
    if not os.path.exists(output):  # a folder or a pipe there is not missing: it cannot be opened
        return Thumb(
            None,
            "missing",
            _("Output file not found"),
            _("output not found: {path}").format(path=record.output),
        )
    return thumbnail(output, thumb_px)
