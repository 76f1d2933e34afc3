"""Colour: any picture Pillow opens, as 8-bit RGB in sRGB (Pillow only: NumPy is loaded just for the
rare deep images, so the process that plans a batch and writes its review page stays light)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from PIL import Image, ImageCms

from ..reasons import Warn

if TYPE_CHECKING:
    import numpy as np

# framer checks every picture's claimed size itself, from its header, before decoding it (photos against a
# limit the user can set, frames, review thumbnails), and says so in its own words: Pillow's own fixed
# guard, which would only warn or fail in its words, is off wherever framer opens pictures.
Image.MAX_IMAGE_PIXELS = None
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
PAPER_WHITE = (255, 255, 255)  # what transparent areas of a photo become


def is_srgb(icc: bytes) -> bool:
    """Whether an embedded colour profile says it is sRGB (then no conversion is needed)."""
    try:
        return "srgb" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).lower()
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
        return False


def to_srgb(im: Image.Image, icc: bytes | None) -> tuple[Image.Image, tuple[str, ...]]:
    """`im` as 8-bit RGB in sRGB: through its embedded colour profile when it has one (phones often use
    Display P3, printers' files CMYK profiles), so colours stay right; else by Pillow's plain conversion."""
    convert, notes = srgb_converter(im, icc)
    return convert(im), notes


def srgb_converter(
    im: Image.Image, icc: bytes | None
) -> tuple[Callable[[Image.Image], Image.Image], tuple[str, ...]]:
    """What turns `im`, or any strip of it, into 8-bit RGB in sRGB as `to_srgb` does it whole: a big
    picture is converted strip by strip (framer.core.images), never as a full-size copy in another mode.
    The colour transform is built once, and a deep picture's scale is set by its largest sample, so
    every strip is converted alike."""
    if icc and im.mode in ("RGB", "CMYK", "L"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in ImageCms.getProfileDescription(profile).lower():
                transform = ImageCms.buildTransform(profile, _SRGB, im.mode, "RGB")
                ImageCms.applyTransform(im.crop((0, 0, 1, 1)), transform)  # a profile lcms cannot apply
                return lambda piece: ImageCms.applyTransform(piece, transform) or piece, ()
        except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
            return to_rgb, (Warn.COLOUR_PROFILE_IGNORED,)
    if im.mode in DEEP:
        top = _largest(im)
        return lambda piece: to_rgb(piece, top), ()
    return to_rgb, ()


DEEP = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I", "F"})  # 16/32-bit and float samples


def to_rgb(im: Image.Image, top: float | None = None) -> Image.Image:
    """Any Pillow mode as 8-bit RGB: deep images scaled down (by `top`, the largest sample of the
    picture `im` is a strip of; by its own when None), transparency laid on white."""
    if im.mode in DEEP:
        import numpy as np

        im = Image.fromarray(_to_uint8(np.asarray(im), top))
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        im = im.convert("RGBA")
        background = Image.new("RGBA", im.size, (*PAPER_WHITE, 255))
        im = Image.alpha_composite(background, im)
    return im.convert("RGB") if im.mode != "RGB" else im


def _largest(im: Image.Image) -> float:
    """The largest sample of a single-channel deep picture, without a full-size copy of it."""
    try:
        return float(im.getextrema()[1])  # type: ignore[arg-type]
    except ValueError:  # a mode Pillow has no extrema for (I;16B): strip by strip
        import numpy as np

        rows = max(1, 1_000_000 // max(im.width, 1))
        return max(
            (
                float(np.asarray(im.crop((0, y, im.width, min(im.height, y + rows)))).max())
                for y in range(0, im.height, rows)
            ),
            default=0.0,
        )


def _to_uint8(values: np.ndarray, top: float | None = None) -> np.ndarray:
    """Single-channel 16/32-bit or float samples as 0-255, keeping the tonal range (of a picture whose
    largest sample is `top`; these values' own when None)."""
    import numpy as np

    floating = values.dtype.kind == "f"
    values = values.astype(np.float64)
    if top is None:
        top = float(values.max()) if values.size else 0.0
    if floating and top <= 1.0:
        scale = 255.0  # float images in 0..1
    elif top <= 255:
        scale = 1.0
    elif top <= 65535:
        scale = 255.0 / 65535.0
    else:
        scale = 255.0 / top
    return np.clip(np.rint(values * scale), 0, 255).astype(np.uint8)
