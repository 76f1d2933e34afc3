"""Pixels: render the placed portrait on the canvas, then lay the frame over it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from math import ceil, floor

import cv2
import numpy as np
from PIL import Image

from .geometry import Box, Placement, WindowMask

FILL_DETAIL = 48  # the fill is made at about this many px across, then enlarged: a soft wash of colour
SEAM = 0.03  # share of the canvas over which the photo fades into the fill


@dataclass(frozen=True)
class PreparedFrame:
    """A frame scaled to the output size and split once, ready to lay over any number of portraits."""

    rgb: Image.Image
    alpha: Image.Image
    window: Box  # in canvas pixels

    @property
    def size(self) -> tuple[int, int]:
        return self.rgb.size

    @cached_property
    def mask(self) -> WindowMask:
        """The window's actual shape (where the frame lets the photo show), for placing and for saying how
        much of it was invented: made once per frame."""
        return WindowMask.from_alpha(np.asarray(self.alpha), self.window)

    @classmethod
    def for_output(cls, image: Image.Image, window: Box, side: int | None) -> PreparedFrame:
        """Scale `image` so its longer side is `side` px (default: as it is), keeping its shape."""
        scale = (side or max(image.size)) / max(image.size)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        return cls.from_image(image, window, size)

    @classmethod
    def from_image(cls, image: Image.Image, window: Box, size: tuple[int, int]) -> PreparedFrame:
        """Scale an RGBA frame `image` whose window is `window` (image px) to `size`."""
        rgba = image.convert("RGBA")
        if rgba.size != size:
            rgba = rgba.resize(size, Image.Resampling.LANCZOS)  # Pillow resamples RGBA premultiplied
        sx, sy = size[0] / image.width, size[1] / image.height
        return cls(rgba.convert("RGB"), rgba.getchannel("A"), window.scaled(sx, sy))


def resize(image: np.ndarray, size: tuple[int, int], fine: bool = True) -> np.ndarray:
    """`image` resized to `size` (w, h), quickly.

    OpenCV's area averaging (the right filter for shrinking) is fast only for whole-number factors, so
    a big reduction is done first by the largest whole factor, then the small remainder by area
    averaging (`fine`) or, where a little aliasing does not matter (a copy to detect faces on), by
    bilinear interpolation. Enlargements use bicubic interpolation.
    """
    h, w = image.shape[:2]
    if size[0] > w or size[1] > h:
        return cv2.resize(image, size, interpolation=cv2.INTER_CUBIC)
    k = min(w // size[0], h // size[1])
    if k >= 2:
        # Trimming up to k-1 px at the right and bottom keeps the factor whole (a scale error under k / w).
        image = cv2.resize(image[: h // k * k, : w // k * k], (w // k, h // k), interpolation=cv2.INTER_AREA)
    if (image.shape[1], image.shape[0]) == size:
        return image
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if fine else cv2.INTER_LINEAR)


def render_portrait(photo: np.ndarray, placement: Placement, size: tuple[int, int]) -> np.ndarray:
    """The canvas (`size`, RGB) showing `photo` through `placement`.

    Where the crop reaches past the photo's edges, the canvas shows a blurred, stretched copy of the
    photo and the photo fades into it over a short seam, so there are never flat bars.
    """
    ph, pw = photo.shape[:2]
    cw, ch = size
    s = placement.scale
    crop = placement.crop
    # The part of the photo that is on the canvas, in photo px, then in canvas px.
    x0, y0 = max(crop.x, 0.0), max(crop.y, 0.0)
    x1, y1 = min(crop.right, float(pw)), min(crop.bottom, float(ph))
    if x1 <= x0 or y1 <= y0:
        return _fill(photo, placement, size)
    px0, py0, px1, py1 = floor(x0), floor(y0), ceil(x1), ceil(y1)
    cx0, cy0 = round((px0 - crop.x) * s), round((py0 - crop.y) * s)
    cx1, cy1 = round((px1 - crop.x) * s), round((py1 - crop.y) * s)
    scaled = resize(photo[py0:py1, px0:px1], (max(1, cx1 - cx0), max(1, cy1 - cy0)))

    # Clip the scaled region to the canvas.
    dx0, dy0 = max(cx0, 0), max(cy0, 0)
    dx1, dy1 = min(cx1, cw), min(cy1, ch)
    visible = scaled[dy0 - cy0 : dy1 - cy0, dx0 - cx0 : dx1 - cx0]
    if (dx0, dy0, dx1, dy1) == (0, 0, cw, ch):
        return np.ascontiguousarray(visible)

    canvas = _fill(photo, placement, size)
    area = canvas[dy0:dy1, dx0:dx1]
    fill = area.copy()
    area[:] = visible
    # Blend only the bands along the photo's inner edges; inside them the photo is shown as it is.
    seam = max(2, round(SEAM * max(size)))
    h, w = area.shape[:2]
    wy, (top, bottom) = _ramp(h, seam, dy0 > 0, dy1 < ch), _plain(h, seam, dy0 > 0, dy1 < ch)
    wx, (left, right) = _ramp(w, seam, dx0 > 0, dx1 < cw), _plain(w, seam, dx0 > 0, dx1 < cw)
    bands = [
        (slice(0, top), slice(0, w)),
        (slice(bottom, h), slice(0, w)),
        (slice(top, bottom), slice(0, left)),
        (slice(top, bottom), slice(right, w)),
    ]
    for ys, xs in bands:
        weight = np.outer(wy[ys], wx[xs])[..., None]
        under = fill[ys, xs].astype(np.float32)
        area[ys, xs] = np.clip(under + (visible[ys, xs] - under) * weight + 0.5, 0, 255).astype(np.uint8)
    return canvas


def _plain(n: int, seam: int, fade_start: bool, fade_end: bool) -> tuple[int, int]:
    """The span [lo, hi) of an axis of `n` px that no seam touches."""
    lo = min(n, seam) if fade_start else 0
    hi = max(lo, n - seam) if fade_end else n
    return lo, hi


def _ramp(n: int, seam: int, fade_start: bool, fade_end: bool) -> np.ndarray:
    """Weights (1 = photo) along one axis, ramping from 0 to 1 over `seam` px at each inner edge."""
    i = np.arange(n, dtype=np.float32) + 0.5
    w = np.ones(n, dtype=np.float32)
    if fade_start:
        w = np.minimum(w, i / seam)
    if fade_end:
        w = np.minimum(w, (n - i) / seam)
    return np.clip(w, 0.0, 1.0)


def _fill(photo: np.ndarray, placement: Placement, size: tuple[int, int]) -> np.ndarray:
    """The photo's own colours carried out past its edges (edge pixels stretched), heavily blurred."""
    cw, ch = size
    k = FILL_DETAIL / max(size)
    small_w, small_h = max(2, round(cw * k)), max(2, round(ch * k))
    s = placement.scale * k  # small-canvas px per photo px
    ph, pw = photo.shape[:2]
    # Shrink the photo first so warpAffine, which samples without averaging, does not alias.
    source = resize(photo, (max(1, round(pw * s)), max(1, round(ph * s))), fine=False) if s < 1 else photo
    sx, sy = source.shape[1] / pw, source.shape[0] / ph
    crop = placement.crop
    matrix = np.array([[s / sx, 0, -crop.x * s], [0, s / sy, -crop.y * s]], dtype=np.float64)
    small = cv2.warpAffine(
        source, matrix, (small_w, small_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    small = cv2.GaussianBlur(small, (0, 0), sigmaX=FILL_DETAIL / 16)
    return cv2.resize(small, size, interpolation=cv2.INTER_CUBIC)


def lay_frame(portrait: np.ndarray, frame: PreparedFrame) -> Image.Image:
    """The portrait canvas with the frame laid over it (the frame's alpha decides)."""
    out = Image.fromarray(portrait)
    out.paste(frame.rgb, (0, 0), frame.alpha)
    return out


AVATAR_PX = 176  # the size a social network shows a profile picture at, beside a post


def avatar_preview(image: Image.Image, px: int = AVATAR_PX) -> Image.Image:
    """How `image` looks as a profile picture: shrunk to `px` and cropped to a circle (RGBA)."""
    from PIL import ImageDraw

    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    small = image.crop((left, top, left + side, top + side)).resize((px, px), Image.Resampling.LANCZOS)
    mask = Image.new("L", (px * 4, px * 4), 0)  # drawn large and shrunk: a smooth edge
    ImageDraw.Draw(mask).ellipse((0, 0, px * 4 - 1, px * 4 - 1), fill=255)
    out = small.convert("RGBA")
    out.putalpha(mask.resize((px, px), Image.Resampling.LANCZOS))
    return out
