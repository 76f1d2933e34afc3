"""Colour: any picture Pillow opens, as 8-bit RGB in sRGB (Pillow only: NumPy is loaded just for the
rare deep images, so the process that plans a batch and writes its review page stays light)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from PIL import Image, ImageCms

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
    if icc and im.mode in ("RGB", "CMYK", "L"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in ImageCms.getProfileDescription(profile).lower():
                converted = ImageCms.profileToProfile(im, profile, _SRGB, outputMode="RGB")
                if converted is not None:
                    return converted, ()
        except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
            return to_rgb(im), ("colour_profile_ignored",)
    return to_rgb(im), ()


def to_rgb(im: Image.Image) -> Image.Image:
    """Any Pillow mode as 8-bit RGB: deep images scaled down, transparency laid on white."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        import numpy as np

        im = Image.fromarray(_to_uint8(np.asarray(im)))
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        im = im.convert("RGBA")
        background = Image.new("RGBA", im.size, (*PAPER_WHITE, 255))
        im = Image.alpha_composite(background, im)
    return im.convert("RGB") if im.mode != "RGB" else im


def _to_uint8(values: np.ndarray) -> np.ndarray:
    """Single-channel 16/32-bit or float samples as 0-255, keeping the tonal range."""
    import numpy as np

    values = values.astype(np.float64)
    top = float(values.max()) if values.size else 0.0
    if values.dtype.kind == "f" and top <= 1.0:
        scale = 255.0  # float images in 0..1
    elif top <= 255:
        scale = 1.0
    elif top <= 65535:
        scale = 255.0 / 65535.0
    else:
        scale = 255.0 / top
    return np.clip(np.rint(values * scale), 0, 255).astype(np.uint8)
