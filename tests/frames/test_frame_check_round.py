"""`framer frames check` says when text or fine detail lies outside the round view a profile picture keeps.

Every frame here is drawn in the test: a transparent round window, a background, and real text in the
shipped font (anti-aliased, as Pillow renders it). Sizes are given as read at 1080 px and scaled to the
frame, which is 800-3000 px, square or not.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from framer.frames.check import cut_by_round_view
from framer.frames.model import builtin_root
from framer.frames.registry import load_frame
from helpers import run

RGB = tuple[int, int, int]
NAVY, WHITE, RED, BLUE, GOLD = (9, 33, 92), (255, 255, 255), (218, 37, 29), (30, 60, 200), (240, 190, 70)


def font(px: float) -> ImageFont.FreeTypeFont:
    data = (builtin_root() / "fonts" / "NotoSans-Bold.ttf").read_bytes()
    return ImageFont.truetype(io.BytesIO(data), max(1, round(px)))


def frame(
    size: tuple[int, int], colour: RGB = NAVY, to: RGB | None = None, radial: bool = False
) -> Image.Image:
    """An opaque frame of `size`: a flat colour, or a gradient to `to` (linear, or radial from the
    centre), with a round transparent window in the middle (anti-aliased edge)."""
    w, h = size
    ys, xs = np.ogrid[0:h, 0:w]
    dx, dy = (xs + 0.5 - w / 2).astype(np.float32), (ys + 0.5 - h / 2).astype(np.float32)
    r = np.sqrt(dx * dx + dy * dy)
    if to is None:
        image = Image.new("RGBA", size, colour)
    else:
        t = np.clip(
            r / (0.72 * max(w, h)) if radial else (xs / w * 0.4 + ys / h * 0.6).astype(np.float32), 0, 1
        )
        rgb = [np.rint(a + (b - a) * t).astype(np.uint8) for a, b in zip(colour, to, strict=True)]
        image = Image.merge("RGB", [Image.fromarray(c) for c in rgb]).convert("RGBA")
    alpha = np.clip(r - 0.37 * min(w, h) + 0.5, 0, 1) * 255
    image.putalpha(Image.fromarray(np.rint(alpha).astype(np.uint8)))
    return image


def paint(image: Image.Image, colour: RGB, coverage: Image.Image) -> Image.Image:
    """`colour` painted over `image` where `coverage` (L) says, as much as it says."""
    image.paste(Image.new("RGBA", image.size, (*colour, 255)), (0, 0), coverage)
    return image


def text(image: Image.Image, words: str, px: float, colour: RGB, where: str, pad: float = 20) -> Image.Image:
    """`words` at `px` (as read at 1080 px) in a corner of the image: "top-left", "bottom-right"..."""
    k = min(image.size) / 1080
    w, h = image.size
    x = pad * k if "left" in where else w - pad * k
    y = pad * k if "top" in where else h - pad * k
    anchor = ("l" if "left" in where else "r") + ("a" if "top" in where else "d")
    layer = Image.new("L", image.size, 0)
    ImageDraw.Draw(layer).text((x, y), words, font=font(px * k), fill=255, anchor=anchor)
    return paint(image, colour, layer)


def text_at(
    image: Image.Image, words: str, px: float, colour: RGB, angle: float, radius: float
) -> Image.Image:
    """`words` centred at `radius` (read at 1080 px) from the centre, `angle` degrees anticlockwise from
    3 o'clock, turned to run along the circle there."""
    k = min(image.size) / 1080
    x = image.width / 2 + radius * k * math.cos(math.radians(angle))
    y = image.height / 2 - radius * k * math.sin(math.radians(angle))
    layer = Image.new("L", image.size, 0)
    ImageDraw.Draw(layer).text((x, y), words, font=font(px * k), fill=255, anchor="mm")
    return paint(image, colour, layer.rotate(angle - 90, Image.Resampling.BICUBIC, center=(x, y)))


def emblem(image: Image.Image, colour: RGB, where: str, radius: float = 60) -> Image.Image:
    """A logo with fine detail in a corner: a toothed wheel, a ring, spokes and a star, drawn four times
    larger and shrunk (anti-aliased)."""
    k, ss = min(image.size) / 1080, 4
    r = radius * k
    side = math.ceil(2 * r) + 4
    big = Image.new("L", (side * ss, side * ss), 0)
    draw = ImageDraw.Draw(big)
    c = side * ss / 2
    R = r * ss
    teeth = [
        (
            c + R * (1 if i % 2 == 0 else 0.88) * math.cos(math.pi * i / 20),
            c + R * (1 if i % 2 == 0 else 0.88) * math.sin(math.pi * i / 20),
        )
        for i in range(40)
    ]
    draw.polygon(teeth, fill=255)
    for f, fill in ((0.8, 0), (0.72, 255), (0.66, 0)):
        draw.ellipse((c - f * R, c - f * R, c + f * R, c + f * R), fill=fill)
    for i in range(12):
        a = math.pi * i / 6
        start, end = 0.2 * R, 0.6 * R
        draw.line(
            (c + start * math.cos(a), c + start * math.sin(a), c + end * math.cos(a), c + end * math.sin(a)),
            fill=255,
            width=round(0.04 * R),
        )
    star = [
        (
            c + 0.35 * R * (1 if i % 2 == 0 else 0.4) * math.sin(math.pi * i / 5),
            c - 0.35 * R * (1 if i % 2 == 0 else 0.4) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=255)
    layer = Image.new("L", image.size, 0)
    pad = round(16 * k)
    x = pad if "left" in where else image.width - pad - side
    y = pad if "top" in where else image.height - pad - side
    layer.paste(big.resize((side, side), Image.Resampling.BOX), (x, y))
    return paint(image, colour, layer)


def ring(image: Image.Image, colour: RGB, radius: float, width: float) -> Image.Image:
    """A ring (anti-aliased) centred on the image, `radius` and `width` read at 1080 px."""
    k, (w, h) = min(image.size) / 1080, image.size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32) + 0.5
    r = np.hypot(xs - w / 2, ys - h / 2)
    inner, outer = (radius - width / 2) * k, (radius + width / 2) * k
    coverage = np.clip(r - inner + 0.5, 0, 1) * np.clip(outer - r + 0.5, 0, 1)
    return paint(image, colour, Image.fromarray(np.rint(coverage * 255).astype(np.uint8)))


def border(image: Image.Image, colour: RGB) -> Image.Image:
    """Two plain lines along the edges of the image, 8 px wide (read at 1080 px)."""
    k = min(image.size) / 1080
    layer = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(layer)
    for inset in (16, 40):
        i = round(inset * k)
        draw.rectangle((i, i, image.width - 1 - i, image.height - 1 - i), outline=255, width=round(8 * k))
    return paint(image, colour, layer)


def soft_texture(size: tuple[int, int]) -> Image.Image:
    """A photo-like soft texture with the window: clouds of colour, +-35 levels a channel, the finest
    grain a blur of 3 px at 1080 px."""
    w, h = size
    k = min(size) / 1080
    rng = np.random.default_rng(7)
    texture = np.zeros((h, w, 3), np.float32)
    for sigma, weight in ((3, 0.5), (9, 0.8), (27, 1.0)):
        f = sigma * k / 2  # blurred at 1/f of the size (sigma 2 there), then enlarged: quick, and as soft
        small = rng.standard_normal((max(1, round(h / f)), max(1, round(w / f)), 3)).astype(np.float32)
        layer = cv2.resize(cv2.GaussianBlur(small, (0, 0), 2), (w, h), interpolation=cv2.INTER_CUBIC)
        texture += layer / layer.std() * weight
    rgb = np.clip(110 + texture / texture.std() * 35, 0, 255)
    image = frame(size)
    image.paste(Image.fromarray(np.rint(rgb).astype(np.uint8), "RGB"), (0, 0), image.getchannel("A"))
    return image


def window_over_hidden_text() -> Image.Image:
    """A red frame whose transparent window, a rectangle, reaches past the circle into the corners, with
    text left under its transparent pixels (as some editors keep what a layer hid). 1080 px: read as it
    is, not resized (which would blank what transparency hides)."""
    image = frame((1080, 1080), RED)
    for corner in ("top-left", "top-right"):
        image = text(image, "ẢNH CỦA BẠN", 30, WHITE, corner, pad=70)
    alpha = np.asarray(image.getchannel("A")).copy()
    alpha[50:860, 50:1030] = 0
    image.putalpha(Image.fromarray(alpha))
    return image


POSITIVES: dict[str, tuple[Callable[[], Image.Image], tuple[str, ...]]] = {
    "date, light on dark": (
        lambda: text(frame((1080, 1080)), "10/10/2023", 28, WHITE, "top-left"),
        ("top-left",),
    ),
    "agency name, dark on a light gradient": (
        lambda: text(
            frame((2048, 2048), (235, 235, 235), (180, 200, 230)),
            "SỞ TTTT THANH HÓA",
            22,
            NAVY,
            "bottom-right",
        ),
        ("bottom-right",),
    ),
    "red on blue, hue alone": (
        lambda: text(frame((800, 800), BLUE), "UBND tỉnh Thanh Hóa", 24, RED, "top-right"),
        ("top-right",),
    ),
    "light grey on dark grey, small": (
        lambda: text(frame((1600, 1600), (90, 90, 90)), "10/10/2023", 16, (200, 200, 200), "bottom-left"),
        ("bottom-left",),
    ),
    "very large date (150 px)": (
        lambda: text(
            frame((1500, 1500), (22, 72, 176), (5, 16, 48), radial=True),
            "10/10",
            150,
            WHITE,
            "top-left",
            pad=8,
        ),
        ("top-left",),
    ),
    "large year on a radial gradient": (
        lambda: text(
            frame((1500, 1500), (22, 72, 176), (5, 16, 48), radial=True), "2023", 90, GOLD, "top-right", pad=8
        ),
        ("top-right",),
    ),
    "two corners": (
        lambda: text(
            text(frame((1080, 1080), RED, (120, 0, 0)), "SỞ TTTT", 30, WHITE, "top-left"),
            "10.10.2023",
            30,
            WHITE,
            "bottom-right",
        ),
        ("top-left", "bottom-right"),
    ),
    "text across the circle's edge": (
        lambda: text_at(frame((1080, 1080), NAVY), "THANH HÓA 2023", 26, WHITE, 45, 540),
        ("top-right",),
    ),
    "emblem with fine detail": (
        lambda: emblem(frame((1200, 1200), WHITE), RED, "bottom-left"),
        ("bottom-left",),
    ),
    "4:5 frame, date below the square": (
        lambda: text(frame((1080, 1350), RED, (120, 0, 0)), "10/10/2023", 30, WHITE, "bottom-left", pad=40),
        ("bottom",),
    ),
    "3:2 frame of 3000 px, name beside the square": (
        lambda: text(frame((3000, 2000), (235, 235, 235)), "SỞ TTTT", 26, NAVY, "top-right"),
        ("right",),
    ),
}

NEGATIVES: dict[str, Callable[[], Image.Image]] = {
    "built-in dx-2023 (faint digits in the corners)": lambda: load_frame("dx-2023").open_image(),
    "flat colour": lambda: frame((1080, 1080)),
    "smooth radial gradient, 3:2": lambda: frame((1500, 1000), (22, 72, 176), (5, 16, 48), radial=True),
    "plain double border line": lambda: border(frame((1080, 1080), WHITE), RED),
    "ring across the corners": lambda: ring(frame((1080, 1080), NAVY, (0, 0, 0), radial=True), GOLD, 640, 14),
    "photo-like soft texture": lambda: soft_texture((1080, 1080)),
    "window reaching past the circle, text hidden under it": window_over_hidden_text,
}


@pytest.mark.parametrize("name", POSITIVES)
def test_legible_content_outside_the_round_view_is_found_where_it_is(name: str) -> None:
    draw, parts = POSITIVES[name]
    finding = cut_by_round_view(draw())
    assert finding is not None
    assert finding.parts == parts


@pytest.mark.parametrize("name", NEGATIVES)
def test_decoration_outside_the_round_view_is_not_content(name: str) -> None:
    assert cut_by_round_view(NEGATIVES[name]()) is None


def test_frames_check_warns_of_text_a_round_picture_cuts_off(tmp_path: Path) -> None:
    png = tmp_path / "khung.png"
    text(
        text(frame((1080, 1080)), "SỞ TTTT", 28, WHITE, "top-left"), "10/10/2023", 28, WHITE, "bottom-right"
    ).save(png)
    preview = tmp_path / "check.png"
    result = run("frames", "check", png, "-o", preview)
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if "outside the round view" in line)
    assert warning.startswith(
        "warning: text or fine detail in the top-left corner and the bottom-right corner "
    )
    assert "keep text and logos inside the circle" in warning
    with Image.open(preview) as im:
        assert im.format == "PNG" and im.width > 1080
