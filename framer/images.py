"""Image I/O at the edges: decode any photo to upright 8-bit RGB, encode outputs, write them atomically."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import OutputError, PhotoError

# Extensions we pick up when walking a folder, and the Pillow formats we agree to decode.
PHOTO_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
)
PHOTO_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP", "DIB", "TIFF"})

OUTPUT_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
JPEG_QUALITY = 92
PAPER_WHITE = (255, 255, 255)  # what transparent areas of a photo become

_UMASK = os.umask(0)
os.umask(_UMASK)


def load_photo(path: Path) -> np.ndarray:
    """Decode `path` as an upright RGB uint8 array (EXIF orientation applied, first frame only).

    Raises PhotoError with a reason a person understands when the file is not a usable photo.
    """
    try:
        with Image.open(path) as im:
            if im.format not in PHOTO_FORMATS:
                raise PhotoError(f"{im.format} images are not supported")
            im.seek(0)
            upright = ImageOps.exif_transpose(im)
            return np.asarray(to_rgb(upright))
    except UnidentifiedImageError:
        raise PhotoError("not an image (or a format framer does not read)") from None
    except Image.DecompressionBombError:
        raise PhotoError("the image claims too many pixels to decode safely") from None
    except FileNotFoundError:
        raise PhotoError("the file disappeared before it could be read") from None
    except PermissionError:
        raise PhotoError("cannot read the file: permission denied") from None
    except (OSError, SyntaxError, ValueError) as e:
        # Pillow reports truncated and corrupt data as OSError or SyntaxError.
        raise PhotoError(f"damaged or incomplete image ({e})") from None


def to_rgb(im: Image.Image) -> Image.Image:
    """Any Pillow mode as 8-bit RGB: deep images scaled down, transparency laid on white."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
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


def write_atomic(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write `data` to `path` so that `path` is either absent or complete, never half-written.

    The bytes go to a hidden temporary file in the same folder, are flushed to disk, and are then
    moved into place in one step. Without `overwrite`, an existing `path` is left alone (OutputError).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the usual mode
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_no_clobber(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _link_no_clobber(tmp: Path, path: Path) -> None:
    """Move `tmp` to `path` unless `path` exists, without a window in which both could be written."""
    try:
        os.link(tmp, path)  # atomic, and fails if path exists
    except FileExistsError:
        raise OutputError(f"{path} already exists") from None
    except OSError:
        # File systems without hard links (FAT, exFAT USB sticks): check, then rename.
        if path.exists():
            raise OutputError(f"{path} already exists") from None
        os.replace(tmp, path)
