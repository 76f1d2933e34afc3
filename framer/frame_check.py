"""`framer frames check`: is a frame usable, and how will a portrait look in it?"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import numpy as np
from PIL import Image, ImageDraw

from .compose import PreparedFrame, avatar_preview
from .detect import FaceDetector
from .frames import Frame
from .geometry import Box
from .images import to_rgb
from .pipeline import frame_photo

MIN_SIDE = 1080  # the default output: a smaller frame is enlarged
SMALL_WINDOW = 0.08  # share of the frame below which faces come out tiny
PREVIEW_SIDE = 1080


@dataclass
class CheckResult:
    preview: Image.Image
    notes: list[str]


def check_frame(frame: Frame) -> CheckResult:
    """Check `frame` (FrameError when it is unusable) and make a preview with a sample portrait."""
    image = frame.open_image()
    notes = [f"image: {image.width} x {image.height} px, with transparency"]
    if frame.window is not None:
        window, shape = frame.window, frame.window_shape
        how = f"declared in frame.toml ({shape})"
        alpha = np.asarray(image.getchannel("A"))
        inside = alpha[int(window.y) : int(window.bottom), int(window.x) : int(window.right)]
        if inside.size == 0 or (inside < 128).mean() < 0.5:
            notes.append("warning: the declared window is mostly opaque: check [window] in frame.toml")
    else:
        found = frame.find_window(image)
        window, shape = found.box, found.shape
        how = f"found from the transparency ({shape})"
        if found.ignored:
            notes.append(f"ignored {found.ignored} small transparent area(s) outside the window")
    share = window.w * window.h / (image.width * image.height)
    notes.insert(
        1,
        f"window: x={window.x:g} y={window.y:g} width={window.w:g} height={window.h:g}, {how}, "
        f"{share:.0%} of the frame",
    )
    if max(image.size) < MIN_SIDE:
        notes.append(
            f"warning: the frame is smaller than the {MIN_SIDE} px output: it will be enlarged and look soft"
        )
    if share < SMALL_WINDOW:
        notes.append(
            f"warning: the window is small ({share:.0%} of the frame): faces will be tiny in the avatar"
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
