"""Pixels: render the placed portrait on the canvas, then lay the frame over it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from math import ceil, floor, sqrt

import cv2
import numpy as np
from PIL import Image

from .geometry import Box, Placement, WindowMask

# Past the photo's edges the canvas shows the photo mirrored, blurred more the farther out: Gaussian blurs
# of these widths (shares of the canvas), reached at these distances from the photo (shares too).
BLUR_LEVELS = (0.0, 0.008, 0.05)
BLUR_AT = (0.0, 0.012, 0.05)
FILL_DETAIL = 120  # the blurs are made on a copy about this many px across, then enlarged

Rect = tuple[int, int, int, int]  # x0, y0, x1, y1 in canvas px


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

    @cached_property
    def _see_through(self) -> np.ndarray:
        """A summed-area table of the canvas px the frame shows more than it hides (as WindowMask)."""
        table = np.zeros((self.size[1] + 1, self.size[0] + 1), dtype=np.int64)
        table[1:, 1:] = np.cumsum(np.cumsum(np.asarray(self.alpha) < 128, axis=0), axis=1)
        return table

    def shows_outside(self, rect: Rect) -> bool:
        """Whether any canvas px outside `rect` (x0, y0, x1, y1) is seen through the frame (where only
        its anti-aliased rim lets a little through, a plain mirror of the photo is as good as any)."""
        t = self._see_through
        x0, y0, x1, y1 = rect
        inside = t[y1, x1] - t[y0, x1] - t[y1, x0] + t[y0, x0]
        return bool(t[-1, -1] - inside > 0)

    @classmethod
    def for_output(cls, image: Image.Image, window: Box, side: int | None) -> PreparedFrame:
        """Scale `image` so its longer side is `side` px (None: as it is), keeping its shape."""
        return cls.from_image(image, window, output_size(image.size, side))

    @classmethod
    def from_image(cls, image: Image.Image, window: Box, size: tuple[int, int]) -> PreparedFrame:
        """Scale an RGBA frame `image` whose window is `window` (image px) to `size`."""
        rgba = image.convert("RGBA")
        if rgba.size != size:
            rgba = rgba.resize(size, Image.Resampling.LANCZOS)  # Pillow resamples RGBA premultiplied
        sx, sy = size[0] / image.width, size[1] / image.height
        return cls(rgba.convert("RGB"), rgba.getchannel("A"), window.scaled(sx, sy))


def output_size(size: tuple[int, int], side: int | None) -> tuple[int, int]:
    """The size (w, h) a frame of `size` is scaled to so that its longer side is `side` px (None: as it
    is), keeping its shape: the one rule, for a frame made afresh and one taken from the cache alike."""
    scale = (side or max(size)) / max(size)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def resize(image: np.ndarray, size: tuple[int, int], fine: bool = True) -> np.ndarray:
    """`image` resized to `size` (w, h), quickly.

    OpenCV's area averaging (the right filter for shrinking) is fast only for whole-number factors, so
    a big reduction is done first by the largest whole factor. The remainder (a factor under 2) is done
    by bilinear interpolation, after a Gaussian blur just wide enough to stop it aliasing (`fine`; 3-4x
    faster than area averaging for the same look) or without it, where a little aliasing does not matter
    (a copy to detect faces on). Enlargements use bicubic interpolation.
    """
    h, w = image.shape[:2]
    if size[0] > w or size[1] > h:
        return cv2.resize(image, size, interpolation=cv2.INTER_CUBIC)
    k = min(w // size[0], h // size[1])
    if k >= 2:
        # Trimming up to k-1 px at the right and bottom keeps the factor whole (a scale error under k / w).
        image = cv2.resize(image[: h // k * k, : w // k * k], (w // k, h // k), interpolation=cv2.INTER_AREA)
    h, w = image.shape[:2]
    if (w, h) == size:
        return image
    if fine:
        # The blur that takes a pixel to the size of an output pixel (r input px): sigma^2 = (r^2 - 1) / 4.
        sx = sqrt(max(w / size[0], 1.0) ** 2 - 1) / 2
        sy = sqrt(max(h / size[1], 1.0) ** 2 - 1) / 2
        if max(sx, sy) > 0.2:
            image = cv2.GaussianBlur(image, (0, 0), sigmaX=max(sx, 0.01), sigmaY=max(sy, 0.01))
    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)


def render_portrait(
    photo: np.ndarray,
    placement: Placement,
    size: tuple[int, int],
    shows: Callable[[Rect], bool] | None = None,
) -> np.ndarray:
    """The canvas (`size`, RGB) showing `photo` through `placement`.

    Where the crop reaches past the photo's edges, the canvas shows the photo mirrored at its edges,
    blurred more the farther from the photo (see `_extend`): no bars, no stretched smear, no seam.
    `shows(rect)` says whether any of the canvas outside `rect` (x0, y0, x1, y1) can be seen through the
    frame; when it cannot, the hidden margin is left as a plain mirror, without the blur's cost.
    """
    ph, pw = photo.shape[:2]
    cw, ch = size
    s = placement.scale
    crop = placement.crop
    # The part of the photo that is on the canvas, in photo px, then in canvas px.
    x0, y0 = max(crop.x, 0.0), max(crop.y, 0.0)
    x1, y1 = min(crop.right, float(pw)), min(crop.bottom, float(ph))
    if x1 <= x0 or y1 <= y0:  # nudged wholly off the canvas: a soft wash of the photo's colours
        return _wash(photo, size)
    px0, py0, px1, py1 = floor(x0), floor(y0), ceil(x1), ceil(y1)
    cx0, cy0 = round((px0 - crop.x) * s), round((py0 - crop.y) * s)
    cx1, cy1 = round((px1 - crop.x) * s), round((py1 - crop.y) * s)
    scaled = resize(photo[py0:py1, px0:px1], (max(1, cx1 - cx0), max(1, cy1 - cy0)))

    # Clip the scaled region to the canvas.
    dx0, dy0 = max(cx0, 0), max(cy0, 0)
    dx1, dy1 = min(cx1, cw), min(cy1, ch)
    if dx1 <= dx0 or dy1 <= dy0:
        return _wash(photo, size)
    visible = scaled[dy0 - cy0 : dy1 - cy0, dx0 - cx0 : dx1 - cx0]
    if (dx0, dy0, dx1, dy1) == (0, 0, cw, ch):
        return np.ascontiguousarray(visible)
    rect = (dx0, dy0, dx1, dy1)
    return _extend(visible, rect, size, blur=shows is None or shows(rect))


def _extend(visible: np.ndarray, rect: Rect, size: tuple[int, int], blur: bool = True) -> np.ndarray:
    """The canvas of `size` with `visible` at `rect` and the rest made from it: the photo mirrored at
    its edges (so colours and lines carry on across them without a seam), then blurred progressively
    with the distance from the photo, from sharp at its edge to a soft wash of its colours."""
    cw, ch = size
    x0, y0, x1, y1 = rect
    canvas = cv2.copyMakeBorder(visible, y0, ch - y1, x0, cw - x1, cv2.BORDER_REFLECT)
    if not blur:
        return canvas
    # How far each canvas px is from the photo, as a share of the canvas (0 on the photo).
    side = max(size)
    dx = np.maximum(np.maximum(x0 - 0.5 - np.arange(cw), np.arange(cw) + 0.5 - x1), 0) / side
    dy = np.maximum(np.maximum(y0 - 0.5 - np.arange(ch), np.arange(ch) + 0.5 - y1), 0) / side
    # The blurs are made on a small copy (blurs that wide need no more detail) and enlarged. The widest is
    # of the photo's edge carried straight out, not mirrored: a mirror far out would show ghosts of the
    # features near the edge (an ear, a shoulder) however blurred.
    k = max(1, side // FILL_DETAIL)
    tw, th = max(1, cw // k), max(1, ch // k)
    tiny = resize(canvas, (tw, th), fine=False)
    # The photo's part of the small copy: at least a px, and never past it (the copy is floor(cw / k)
    # wide, and round(x1 / k) can be one more when x1 is the canvas's edge).
    tx0, ty0 = min(round(x0 / k), tw - 1), min(round(y0 / k), th - 1)
    tx1, ty1 = min(max(round(x1 / k), tx0 + 1), tw), min(max(round(y1 / k), ty0 + 1), th)
    carried = cv2.copyMakeBorder(tiny[ty0:ty1, tx0:tx1], ty0, th - ty1, tx0, tw - tx1, cv2.BORDER_REPLICATE)
    levels = [canvas]
    for i, sigma in enumerate(BLUR_LEVELS[1:], 1):
        source = carried if i == len(BLUR_LEVELS) - 1 else tiny
        blurred = cv2.GaussianBlur(source, (0, 0), sigmaX=max(0.5, sigma * side / k))
        levels.append(cv2.resize(blurred, size, interpolation=cv2.INTER_LINEAR))
    out = canvas.copy()
    # Only the margins outside the photo change; the photo's own pixels are left as they are.
    bands = [
        (slice(0, y0), slice(0, cw)),
        (slice(y1, ch), slice(0, cw)),
        (slice(y0, y1), slice(0, x0)),
        (slice(y0, y1), slice(x1, cw)),
    ]
    for ys, xs in bands:
        if ys.start >= ys.stop or xs.start >= xs.stop:
            continue
        d = np.hypot(dy[ys][:, None], dx[xs][None, :])
        # Position along the levels: 0 at the photo's edge, the last level from BLUR_AT[-1] on.
        t = np.interp(d, BLUR_AT, np.arange(len(BLUR_LEVELS), dtype=np.float64)).astype(np.float32)
        band = levels[0][ys, xs].astype(np.float32)
        for i in range(1, len(levels)):
            w = np.clip(t - (i - 1), 0.0, 1.0)[..., None]
            band += (levels[i][ys, xs] - band) * w
        out[ys, xs] = np.clip(band + 0.5, 0, 255).astype(np.uint8)
    return out


def _wash(photo: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """A canvas of `size` showing nothing of `photo` but its colours, blurred to a wash."""
    tiny = resize(photo, (8, 8), fine=False) if min(photo.shape[:2]) >= 8 else photo
    return cv2.resize(cv2.GaussianBlur(tiny, (0, 0), 1.5), size, interpolation=cv2.INTER_CUBIC)


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
