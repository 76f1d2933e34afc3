"""The frame's font (Noto Sans Bold): the characters it can draw, and texts cleaned to be set in it."""

from __future__ import annotations

import functools
import io
import re
import struct
import unicodedata
from typing import TYPE_CHECKING

from PIL import ImageFont

from ...errors import FrameError
from ...i18n import _

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont


FONT_FILE = "NotoSans-Bold.ttf"  # framer.builtin_frames/fonts: SIL OFL 1.1
FONT_NAME = "Noto Sans Bold"


@functools.cache
def _font_data() -> bytes:
    from ..model import builtin_root

    return (builtin_root() / "fonts" / FONT_FILE).read_bytes()


@functools.lru_cache(maxsize=256)
def font_at(px: int) -> FreeTypeFont:
    # BASIC layout: no dependency on libraqm, identical output everywhere; Vietnamese letters are all
    # precomposed in NFC and in the font, so no mark positioning is needed.
    return ImageFont.truetype(io.BytesIO(_font_data()), px, layout_engine=ImageFont.Layout.BASIC)


@functools.cache
def _covered() -> frozenset[int]:
    """The code points the font has a glyph for (its cmap)."""
    return _cmap_points(_font_data())


def _cmap_points(data: bytes) -> frozenset[int]:
    """The code points a TrueType font maps to a glyph other than .notdef (cmap format 4 or 12)."""
    (tables,) = struct.unpack_from(">H", data, 4)
    for i in range(tables):
        tag, _sum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            break
    else:
        return frozenset()
    (count,) = struct.unpack_from(">H", data, offset + 2)
    chosen: tuple[int, int] | None = None
    for i in range(count):
        platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
        (fmt,) = struct.unpack_from(">H", data, offset + sub)
        unicode = (platform, encoding) in ((3, 1), (3, 10), (0, 3), (0, 4), (0, 6))
        if unicode and fmt == 12:
            chosen = (12, offset + sub)
        elif unicode and fmt == 4 and chosen is None:
            chosen = (4, offset + sub)
    points: set[int] = set()
    if chosen is None:
        return frozenset()
    fmt, at = chosen
    if fmt == 12:
        (groups,) = struct.unpack_from(">I", data, at + 12)
        for g in range(groups):
            start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
            points.update(c for c in range(start, end + 1) if glyph + c - start)
        return frozenset(points)
    (seg2,) = struct.unpack_from(">H", data, at + 6)
    ends = at + 14
    starts = ends + seg2 + 2
    deltas = starts + seg2
    ranges = deltas + seg2
    for s in range(seg2 // 2):
        (end,) = struct.unpack_from(">H", data, ends + 2 * s)
        (start,) = struct.unpack_from(">H", data, starts + 2 * s)
        (delta,) = struct.unpack_from(">h", data, deltas + 2 * s)
        (range_offset,) = struct.unpack_from(">H", data, ranges + 2 * s)
        for c in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                glyph = (c + delta) & 0xFFFF
            else:
                (glyph,) = struct.unpack_from(">H", data, ranges + 2 * s + range_offset + 2 * (c - start))
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                points.add(c)
    return frozenset(points)


def clean_text(text: str, option: str, *, line_breaks: bool = False) -> str:
    """`text` as it is set: NFC (macOS terminals send NFD: decomposed accents), spaces collapsed, each
    line stripped; a line break kept only where `line_breaks` allows it (one, in the title). FrameError,
    naming `option`, for a character the font cannot draw (emoji, CJK, a control character)."""
    text = unicodedata.normalize("NFC", text)
    lines = [" ".join(line.split()) for line in re.split(r"\r\n|[\r\n\u2028\u2029]", text)]
    lines = [line for line in lines if line]
    if len(lines) > (2 if line_breaks else 1):
        raise FrameError(
            _("{option}: at most two lines (one line break)").format(option=option)
            if line_breaks
            else _("{option}: write it on one line").format(option=option)
        )
    covered = _covered()
    for line in lines:
        for ch in line:
            category = unicodedata.category(ch)
            if category[0] == "C" or category in ("Zl", "Zp"):
                raise FrameError(
                    _(
                        "{option}: the invisible character U+{code:04X} ({name}) cannot be drawn: remove it"
                    ).format(option=option, code=ord(ch), name=unicodedata.name(ch, "?"))
                )
            if ch != " " and (ord(ch) not in covered or category[0] == "M"):
                raise FrameError(
                    _(
                        "{option}: {char} (U+{code:04X}, {name}) is not in the frame's font ({font}), so it "
                        "cannot be drawn; use letters, digits and punctuation (Vietnamese is fine)"
                    ).format(
                        option=option, char=ch, code=ord(ch), name=unicodedata.name(ch, "?"), font=FONT_NAME
                    )
                )
    return "\n".join(lines)
