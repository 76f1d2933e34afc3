"""Image I/O at the edges: decode any photo to upright 8-bit RGB, encode outputs, write them atomically."""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import cv2
import numpy as np
import pillow_heif
import simplejpeg
from PIL import Image, UnidentifiedImageError

from ..errors import PhotoError
from ..files import NotARegularFile, open_regular
from ..processes import memory_left
from ..reasons import Warn, os_reason
from .colour import is_srgb, srgb_converter

# Extensions we pick up when walking a folder, and the Pillow formats we agree to decode.
PHOTO_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP", "DIB", "TIFF", "HEIF"})
MAX_PIXELS = 100_000_000  # the default limit on a photo's claimed size (--max-megapixels; batch.Settings)

# What decoding one photo may cost in memory, at most, as decode_cost estimates it from the header: a
# picture that would cost more is refused before it is decoded ("too_costly"). framer apply's workers
# take what any real photo under --max-megapixels' 100 needs (a 100 MP HEIC: 800 MB); framer serve's
# keep running for everyone, a worker per core, on a host that is rarely a workstation: half that, still
# above a phone's photo (a 48 MP HEIC: 330 MB, estimated 410) or a 98 MP PNG (370 MB, estimated 410).
# A WebP costs 16 bytes a pixel: 64 MP at most in apply, 32 MP in serve. Measured by benchmarks/memory.py.
MB = 1 << 20
DECODE_BUDGET = 1024 * MB
WEB_DECODE_BUDGET = 512 * MB

pillow_heif.register_heif_opener()  # iPhone photos (HEIC/HEIF)

ORIENTATION = 0x0112  # the EXIF tag
JPEG_QUALITY = 92


@dataclass(frozen=True)
class Photo:
    """A decoded photo: upright RGB pixels, possibly reduced, and the upright size at full resolution."""

    rgb: np.ndarray
    full_size: tuple[int, int]
    notes: tuple[str, ...] = ()  # warning codes about the file itself (e.g. "animated")

    @property
    def reduction(self) -> float:
        """Full-resolution pixels per decoded pixel (1 when decoded in full)."""
        return self.full_size[0] / self.rgb.shape[1]


def load_photo(path: Path) -> np.ndarray:
    """Decode `path` in full as an upright RGB uint8 array."""
    return decode_photo(path).rgb


def decode_photo(
    source: Path | bytes,
    min_side: int | None = None,
    max_pixels: int = MAX_PIXELS,
    budget: int = DECODE_BUDGET,
) -> Photo:
    """Decode `source` (a file, or a file's bytes in memory: an upload is never written to disk)
    upright (EXIF orientation applied, first frame only) as 8-bit sRGB.

    With `min_side`, the photo is decoded reduced by 2, 4 or 8, the most that keeps its shorter side at
    least `min_side`: a JPEG at that DCT scale (libjpeg then skips most of the work, 3x faster for a 12 MP
    photo at 1/2), any other picture strip by strip as it is turned to RGB, so that the only full-size
    copy is the decoder's own.
    A photo that claims more than `max_pixels` is refused from its header, before any decoding (a
    decompression bomb is a small file that claims a huge picture), and so is one that would cost more
    than `budget` bytes of memory to decode (decode_cost): a 190 KB 16-bit PNG can claim 98 MP.
    Raises PhotoError with a reason a person understands when the file is not a usable photo.
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns about damaged EXIF and the like; the photo is still read, and a person
            # running a batch should see a clear line per photo, not library warnings.
            warnings.simplefilter("ignore")
            if isinstance(source, bytes):
                if not source:
                    raise PhotoError("empty")
                return _decode(io.BytesIO(source), min_side, max_pixels, budget)
            with open_regular(source) as f:
                if os.fstat(f.fileno()).st_size == 0:
                    raise PhotoError("empty")
                return _decode(f, min_side, max_pixels, budget)
    except MemoryError:  # more than the worker's ceiling (framer.processes.limit_memory), or the host has
        raise PhotoError("out_of_memory") from None
    except UnidentifiedImageError:
        raise PhotoError("not_an_image") from None
    except NotARegularFile:
        raise PhotoError("not_regular") from None
    except FileNotFoundError:
        raise PhotoError("disappeared") from None
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        # Pillow reports truncated and corrupt data as OSError, SyntaxError or EOFError, in its own words.
        if isinstance(e, OSError) and e.errno is not None:
            raise PhotoError("cannot_read", reason=os_reason(e)) from None
        raise PhotoError("truncated" if "truncated" in str(e) else "damaged") from None


def _decode(f: BinaryIO, min_side: int | None, max_pixels: int, budget: int) -> Photo:
    """decode_photo without the translation of errors."""
    with Image.open(f) as im:
        if im.format not in PHOTO_FORMATS:
            raise PhotoError("unsupported", kind=im.format)
        w, h = im.size
        if w * h > max_pixels:
            raise PhotoError("too_large", w=w, h=h, mp=round(w * h / 1e6), limit=round(max_pixels / 1e6))
        notes = (Warn.ANIMATED,) if getattr(im, "is_animated", False) else ()
        orientation = im.getexif().get(ORIENTATION, 1)
        full_size = (h, w) if orientation in (5, 6, 7, 8) else (w, h)
        k = reduction(w, h, min_side)
        cost = decode_cost(im, k, orientation)
        if cost > budget:
            raise PhotoError("too_costly", mb=-(-cost // MB), limit=budget // MB)
        try:
            rgb, colour_notes = _pixels(im, f, k, orientation)
        except (OSError, SyntaxError, ValueError, EOFError, RuntimeError):
            # libheif and libwebp say they ran out of memory as a failure to decode: past this worker's
            # ceiling, the picture's cost says which it was
            if cost > memory_left():
                raise MemoryError from None
            raise
        return Photo(rgb, full_size, notes + colour_notes)


def _pixels(im: Image.Image, f: BinaryIO, k: int, orientation: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """The picture `im` (opened from `f`) decoded reduced by `k` and turned upright, and notes on it."""
    quick = _quick_jpeg(im, f, k, orientation)
    if quick is not None:
        return quick, ()
    w, h = im.size
    if im.format in ("JPEG", "MPO") and k > 1:
        im.draft(None, (-(-w // k), -(-h // k)))  # libjpeg decodes it reduced: nothing left to reduce
        k = 1 if im.size != (w, h) else k
    im.seek(0)
    rgb, notes = _strip_by_strip(im, k, im.info.get("icc_profile"))
    if orientation in _UPRIGHT:
        rgb = np.ascontiguousarray(_UPRIGHT[orientation](rgb))
    return rgb, notes


def reduction(w: int, h: int, min_side: int | None) -> int:
    """By how much a `w` x `h` picture is decoded reduced: 8, 4 or 2, the most that keeps its shorter side
    at least `min_side`, or 1 (only JPEG's DCT scales, so every format is reduced alike; libjpeg-turbo's
    others, 3/8, 5/8..., decode slower)."""
    return next((k for k in (8, 4, 2) if min(w, h) // k >= (min_side or 0) > 0), 1)


# Bytes per pixel of Pillow's own image of each mode (RGB, like every 3- and 4-band mode, is kept in 4).
_MODE_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
# What a format's decoder holds besides Pillow's image, in bytes per pixel at full size, as measured
# (benchmarks/memory.py): libwebp's two canvases and the copy of one that Pillow is handed; the RGB
# copy libheif decodes into (RGB or RGBA), which pillow_heif hands over.
_DECODER_BYTES = {"WEBP": 12, "HEIF": 4}
STRIP_PIXELS = 1 << 20  # a strip's pixels: small next to the picture, large enough to keep Pillow's pace
STRIP_BYTES = 32 * STRIP_PIXELS  # a strip's copies as it is converted (a deep one's through 64-bit floats)


def decode_cost(im: Image.Image, k: int = 1, orientation: int = 1) -> int:
    """An estimate, from the header of the picture `im` opened, of the memory decoding it reduced by `k`
    costs at its peak, in bytes: the decoder's full-size image (pixels x bytes per pixel of its mode, and
    what the format's library holds beside it; only the first frame is ever decoded), the RGB array,
    and its upright copy when the photo is turned.

    A JPEG is decoded at its reduced scale directly, but a progressive one keeps all its DCT
    coefficients until its last scan: 2 bytes for each sample of each component, at full size.
    """
    w, h = im.size
    reduced = -(-w // k) * -(-h // k)
    out = reduced * 3 * (2 if orientation in _UPRIGHT else 1)
    if im.format in ("JPEG", "MPO"):
        coefficients = 0
        if im.info.get("progressive") or im.info.get("progression"):
            layers = getattr(im, "layer", None) or [("", 1, 1, 0)] * len(im.getbands())
            samples = [lh * lv for _id, lh, lv, _q in layers]  # each component's, subsampled
            coefficients = w * h * 2 * sum(samples) // max(samples)
        return coefficients + out + reduced * 4  # and Pillow's reduced image, when Pillow decodes it
    per_pixel = _MODE_BYTES.get(im.mode, 4) + _DECODER_BYTES.get(im.format or "", 0)
    return w * h * per_pixel + STRIP_BYTES + out


def _strip_by_strip(im: Image.Image, k: int, icc: bytes | None) -> tuple[np.ndarray, tuple[str, ...]]:
    """The decoded picture `im` as 8-bit sRGB, reduced by `k` (box filter, as libjpeg's DCT scaling): each
    strip of rows is converted and reduced on its own, so no full-size copy in another mode is made
    (a 98 MP 16-bit PNG took 2.4 GB as a whole, through 64-bit floats)."""
    im.load()
    w, h = im.size
    convert, notes = srgb_converter(im, icc)
    rgb = np.empty((-(-h // k), -(-w // k), 3), np.uint8)
    rows = k * max(1, STRIP_PIXELS // (w * k))  # a whole number of reduced rows in each strip
    for top in range(0, h, rows):
        strip = convert(im.crop((0, top, w, min(h, top + rows))))
        if k > 1:
            strip = strip.reduce(k)
        rgb[top // k : top // k + strip.height] = np.asarray(strip)
    return rgb, notes


# How to turn a decoded array upright for each EXIF orientation (as ImageOps.exif_transpose does).
_UPRIGHT = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.transpose(1, 0, 2),
    6: lambda a: cv2.rotate(a, cv2.ROTATE_90_CLOCKWISE),
    7: lambda a: a[::-1, ::-1].transpose(1, 0, 2),
    8: lambda a: cv2.rotate(a, cv2.ROTATE_90_COUNTERCLOCKWISE),
}


def _quick_jpeg(im: Image.Image, f: BinaryIO, k: int, orientation: int) -> np.ndarray | None:
    """The photo decoded by libjpeg-turbo (simplejpeg) straight into an array, reduced by `k` (its DCT
    scale: 1/2, 1/4, 1/8); None where Pillow's path is
    needed: anything but a plain YCbCr or grey JPEG in sRGB (CMYK, other colour profiles), and any
    file libjpeg finds the least fault with (Pillow then reads it, or says in its words what is wrong).

    Pillow's own decode fills its image memory first and then copies it into NumPy: this skips the copy
    (measured on a 12 MP phone-like JPEG at 1/2: 39 ms against 48).
    """
    if im.format not in ("JPEG", "MPO") or im.mode not in ("RGB", "L"):
        return None
    icc = im.info.get("icc_profile")
    if icc and not is_srgb(icc):
        return None
    w, h = im.size
    try:
        f.seek(0)
        data = f.read()
        pixels = simplejpeg.decode_jpeg(data, "RGB", min_height=-(-h // k), min_width=-(-w // k), strict=True)
    except (ValueError, OSError, RuntimeError, TypeError):  # Pillow's path says what is wrong, in words
        return None
    if orientation in _UPRIGHT:
        pixels = np.ascontiguousarray(_UPRIGHT[orientation](pixels))
    return pixels


def encode(image: Image.Image, fmt: str, quality: int = JPEG_QUALITY) -> bytes:
    """`image` as file bytes in `fmt` (jpg, png, webp), with no metadata at all."""
    buffer = io.BytesIO()
    if fmt == "jpg":
        # 4:4:4 keeps the frame's red and white lettering crisp; 4:2:0 smears coloured edges.
        image.save(buffer, "JPEG", quality=quality, subsampling=0)
    elif fmt == "png":
        image.save(buffer, "PNG", compress_level=1)  # level 6 is ~5x slower for ~15 % smaller files
    elif fmt == "webp":
        image.save(buffer, "WEBP", quality=quality, method=2)
    else:
        raise ValueError(f"unknown output format {fmt!r}")
    return buffer.getvalue()
