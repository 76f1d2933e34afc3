"""A printable A4 poster for the notice board: the frame with a sample portrait in it, a QR code of the page's
address that a phone camera reads at arm's length, the address written out, and three short steps.

    poster(url, frame_image, title) -> PNG bytes (A4 portrait at 200 dpi: 1654 x 2339 px)

The QR code is segno's (error correction M, a quiet zone of 4 modules), drawn with whole pixels per
module so that it stays sharp when printed; the words are framer's catalog's, in the language in use.
"""

from __future__ import annotations

import io
from importlib.resources import as_file

from PIL import Image, ImageDraw, ImageFont

from ..frames.model import builtin_root
from ..i18n import N_, _

MARK = ("Software", "framer poster")  # a text chunk in every poster: framer may replace its own
A4 = (1654, 2339)  # px at 200 dpi: 210 x 297 mm
MARGIN = 110
INK = (20, 30, 50)
MUTED = (70, 80, 100)
QR_SIDE = 780  # px, at least: 9.9 cm on paper, read by a phone at arm's length
STEPS = (
    N_("Scan the code with your phone's camera, or open the address above."),
    N_("Choose a portrait: your face is placed in the frame by itself."),
    N_("Save the picture and set it as your profile picture on Facebook or Zalo."),
)
PRIVATE = N_("Your photo never leaves your phone: nothing is uploaded.")


def _font(size: int) -> ImageFont.FreeTypeFont:
    with as_file(builtin_root() / "fonts" / "NotoSans-Bold.ttf") as path:
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """`text` broken into lines no wider than `width` px, at spaces (a word longer than that stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def qr_image(url: str, side: int) -> Image.Image:
    """The QR code of `url`, at least `side` px, whole pixels per module (sharp in print)."""
    import segno

    code = segno.make_qr(url, error="m")
    modules = code.symbol_size(scale=1, border=4)[0]
    scale = max(1, -(-side // modules))
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=4, dark="black", light="white")
    buffer.seek(0)
    with Image.open(buffer) as im:
        return im.convert("RGB")


def poster(url: str, framed: Image.Image, title: str) -> bytes:
    """The poster as PNG bytes. `framed`: the frame with a sample portrait in it (RGB); `title`: the
    campaign's name (the frame's title)."""
    sheet = Image.new("RGB", (A4[0], 2 * A4[1]), "white")  # laid out from the top, then centred on A4
    draw = ImageDraw.Draw(sheet)
    width = A4[0] - 2 * MARGIN
    y = MARGIN
    heading = _font(84)
    for line in _wrapped(draw, title, heading, width):
        draw.text((A4[0] / 2, y), line, font=heading, fill=INK, anchor="ma")
        y += 112
    y += 30
    qr = qr_image(url, QR_SIDE)
    picture = framed.copy()  # beside the code: as large as the room the code leaves
    room = width - qr.width - 60
    picture.thumbnail((room, qr.height), Image.Resampling.LANCZOS)
    sheet.paste(picture, (MARGIN + (room - picture.width) // 2, y + (qr.height - picture.height) // 2))
    sheet.paste(qr, (A4[0] - MARGIN - qr.width, y))
    y += qr.height
    y += 24
    link = _font(40)
    for line in _wrapped(draw, url.replace("/", "/ ").replace("/ / ", "//"), link, width):
        draw.text((A4[0] / 2, y), line.replace("/ ", "/"), font=link, fill=MUTED, anchor="ma")
        y += 56
    y += 50
    step = _font(58)
    for number, text in enumerate(STEPS, 1):
        lines = _wrapped(draw, _(text), step, width - 110)
        draw.ellipse((MARGIN, y - 4, MARGIN + 76, y + 72), fill=INK)
        draw.text((MARGIN + 38, y + 34), str(number), font=step, fill="white", anchor="mm")
        for line in lines:
            draw.text((MARGIN + 110, y), line, font=step, fill=INK)
            y += 78
        y += 36
    note = _font(40)
    for line in _wrapped(draw, _(PRIVATE), note, width):
        draw.text((A4[0] / 2, y), line, font=note, fill=MUTED, anchor="ma")
        y += 54
    page = Image.new("RGB", A4, "white")
    used = sheet.crop((0, MARGIN, A4[0], y))
    page.paste(used, (0, max(MARGIN, (A4[1] - used.height) // 2)))
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(*MARK)
    buffer = io.BytesIO()
    page.save(buffer, "PNG", dpi=(200, 200), pnginfo=info)
    return buffer.getvalue()


def looks_like_poster(head: bytes) -> bool:
    """Whether a file that starts with `head` is a poster framer wrote (a new one may replace it)."""
    return head.startswith(b"\x89PNG") and b"tEXt" + MARK[0].encode() + b"\0" + MARK[1].encode() in head
