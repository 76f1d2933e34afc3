"""`framer frames check`: is a frame usable, and how will a portrait look in it?"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import numpy as np
from PIL import Image, ImageDraw

from .colour import to_rgb
from .compose import PreparedFrame, avatar_preview
from .detect import FaceDetector
from .frames import Frame
from .geometry import Box
from .i18n import _, ngettext, percent
from .pipeline import frame_photo
from .window import shape_name

MIN_SIDE = 1080  # the default output: a smaller frame is enlarged
SMALL_WINDOW = 0.08  # share of the frame below which faces come out tiny
PREVIEW_SIDE = 1080


MARK = ("Software", "framer frames check")  # a text chunk in every preview: a new one replaces it


@dataclass
class CheckResult:
    preview: Image.Image
    notes: list[str]

    def png(self) -> bytes:
        """The preview as a PNG that says framer made it (see looks_like_check)."""
        import io

        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text(*MARK)
        buffer = io.BytesIO()
        self.preview.save(buffer, "PNG", pnginfo=info, compress_level=1)
        return buffer.getvalue()


def looks_like_check(head: bytes) -> bool:
    """Whether a file that starts with `head` is a preview `framer frames check` wrote."""
    return head.startswith(b"\x89PNG") and b"tEXt" + MARK[0].encode() + b"\0" + MARK[1].encode() in head


def check_frame(frame: Frame, window: Box | None = None) -> CheckResult:
    """Check `frame` (FrameError when it is unusable, as for every command: a window off the image or
    mostly opaque is an error, not a warning) and make a preview with a sample portrait. `window`
    (--window) is the window to check instead of the declared or found one, as framer apply takes it."""
    image = frame.open_image()
    notes = [
        _("image: {width} x {height} px, with transparency").format(width=image.width, height=image.height)
    ]
    if window is not None:
        window, shape = frame.window_in(image, window), "rectangle"
        how = _("given with --window")
    elif frame.window is not None:
        window, shape = frame.window_in(image), frame.window_shape
        how = _("declared in frame.toml ({shape})").format(shape=shape_name(shape))
    else:
        found = frame.find_window(image)
        window, shape = found.box, found.shape
        how = _("found from the transparency ({shape})").format(shape=shape_name(shape))
        if found.ignored:
            notes.append(
                ngettext(
                    "ignored {n} small transparent area outside the window",
                    "ignored {n} small transparent areas outside the window",
                    found.ignored,
                ).format(n=found.ignored)
            )
    share = window.w * window.h / (image.width * image.height)
    notes.insert(
        1,
        _("window: x={x} y={y} width={width} height={height}, {how}, {share} of the frame").format(
            x=f"{window.x:g}",
            y=f"{window.y:g}",
            width=f"{window.w:g}",
            height=f"{window.h:g}",
            how=how,
            share=percent(share),
        ),
    )
    if max(image.size) < MIN_SIDE:
        notes.append(
            _(
                "warning: the frame is smaller than the {side} px output: it will be enlarged and look soft"
            ).format(side=MIN_SIDE)
        )
    if share < SMALL_WINDOW:
        notes.append(
            _("warning: the window is small ({share} of the frame): faces will be tiny in the avatar").format(
                share=percent(share)
            )
        )
    return CheckResult(_preview(image, window, shape), notes)


def _preview(image: Image.Image, window: Box, shape: str) -> Image.Image:
    """The sample portrait framed, the window outlined in red, and beside it the 176 px round avatar."""
    prepared = PreparedFrame.for_output(image, window, PREVIEW_SIDE)
    with (files(__package__) / "samples" / "portrait.jpg").open("rb") as f, Image.open(f) as sample:
        photo = np.asarray(to_rgb(sample))
    framed = frame_photo(photo, FaceDetector(), prepared).image
    outlined = framed.copy()
    w = prepared.window
    draw = ImageDraw.Draw(outlined)
    box = (w.x, w.y, w.right, w.bottom)
    if shape in ("circle", "ellipse"):
        draw.ellipse(box, outline=(230, 30, 30), width=4)
    else:
        draw.rectangle(box, outline=(230, 30, 30), width=4)
    avatar = avatar_preview(framed)
    sheet = Image.new(
        "RGB", (outlined.width + avatar.width + 48, max(outlined.height, avatar.height)), "white"
    )
    sheet.paste(outlined, (0, 0))
    sheet.paste(avatar, (outlined.width + 24, 24), avatar)
    return sheet
