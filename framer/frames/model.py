"""Frames as data: a folder holding the frame image and a `frame.toml` that describes it.

    frames/dx-2023/
        frame.png     RGBA, opaque artwork around a transparent window
        frame.toml    name, title, image, output_size, [window], [campaign]; [design] for a drawn frame

Built-in frames ship as package data (`framer.builtin_frames`); a frame folder elsewhere loads the same way
(framer.frames.metadata reads frame.toml, framer.frames.registry finds frames by name).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.geometry import Box
from ..errors import FrameError
from ..files import open_regular
from ..i18n import N_, _, percent
from .campaign import Campaign

if TYPE_CHECKING:
    from PIL import Image

    from .window import FoundWindow

METADATA = "frame.toml"
# A frame folder may come from anyone: limits on what framer reads from it, checked before reading.
MAX_FRAME_SIDE = 8192  # px, a frame image's longer side (from its header): outputs are at most 8192 px
# What a frame may be: formats with transparency, and JPEG and BMP only to be told plainly that they have
# none; never a format Pillow renders with another program (EPS runs Ghostscript).
FRAME_FORMATS = ("PNG", "WEBP", "GIF", "TIFF", "JPEG", "BMP")
MAX_FRAME_BYTES = 64_000_000  # a frame image's file (read whole: decoded, hashed by digest, copied)
MIN_WINDOW_SIDE = 16  # px of the frame image: a smaller window shows no face (a flat disc of colour)
MIN_TRANSPARENT = 0.5  # share of a window's box that must be transparent for a portrait to show


@dataclass(frozen=True)
class Frame:
    """A frame's metadata, and where its image is."""

    name: str
    title: str
    image_path: Traversable
    window: Box | None  # in the frame image's pixels; None: found from the image's transparency
    window_shape: str
    output_size: int | None
    campaign: Campaign | None
    messages: dict[str, str] = field(default_factory=dict)  # optional words for before / during / after
    origin: str = "built-in"  # "built-in", "yours" (the user's frames folder), or the folder given
    metadata: Traversable | None = None  # its frame.toml; None for a bare image

    @classmethod
    def bare(cls, image_path: Path, title: str | None = None) -> Frame:
        """A frame that is just an image: its window is found from its transparency."""
        stem = image_path.stem
        return cls(stem, title or stem, image_path, None, "found", None, None, origin=str(image_path.parent))

    def settled(self, window: Box | None = None) -> Frame:
        """This frame, ready to frame portraits: its image opened and checked (open_image), and its window
        settled and checked against it (window_in): `window` (--window), else the declared one, else the
        one found from the transparency. The one call a command needs before handing the frame to
        workers: a frame that cannot frame a portrait fails here, in one line, not in every worker.
        Raises FrameError.

        The outcome for these exact image bytes and windows is kept in the cache (framer.frames.cache):
        the next run need not decode the image to know it (a tenth of a second before any work)."""
        from .cache import keep_settled, known_settled

        data = self.image_bytes()
        known = known_settled(data, self.window, window)
        if known is not None:
            return replace(self, window=known)
        settled = replace(self, window=self.window_in(_decode(self.image_path, data), window))
        assert settled.window is not None
        keep_settled(data, self.window, window, settled.window)
        return settled

    def image_bytes(self) -> bytes:
        """The frame image's file, whole: a regular file of at most MAX_FRAME_BYTES (FrameError)."""
        return read_regular(self.image_path, MAX_FRAME_BYTES)

    def digest(self) -> str:
        """A digest of the frame image's bytes: outputs made with another version of it are redone."""
        import hashlib

        return hashlib.sha256(self.image_bytes()).hexdigest()

    def open_image(self) -> Image.Image:
        """The frame image, decoded, as RGBA (FrameError when it is not a usable frame: see _decode)."""
        return _decode(self.image_path, self.image_bytes())

    def decode(self, data: bytes) -> Image.Image:
        """The frame image in `data` (its file's bytes, read once by the caller), as open_image gives it."""
        return _decode(self.image_path, data)

    def window_in(self, image: Image.Image, given: Box | None = None) -> Box:
        """The window a portrait shows through in `image` (this frame's, opened): `given` (--window), else
        the declared one, else the one found from the transparency; checked (check_window)."""
        if given is not None:
            check_window(given, image, str(self.image_path), lambda key: "--window")
            return given
        if self.window is None:
            return self.find_window(image).box
        check_window(self.window, image, str(self.image_path), self._field)
        return self.window

    def find_window(self, image: Image.Image) -> FoundWindow:
        """The window found from `image`'s transparency, checked (check_window)."""
        import numpy as np

        from .window import find_window

        name = str(self.image_path)
        found = find_window(np.asarray(image.getchannel("A")), name=name)
        check_window(found.box, image, name, lambda key: _("the window found from the transparency"))
        return found

    def _field(self, key: str) -> str:
        """Where the window's part `key` ("x", "width"...; "" for all of it) was given: its field in
        frame.toml, or --window for a bare image, which has no other way to name a window."""
        if self.metadata is None:
            return "--window"
        return _("{path}: field '{key}'").format(path=self.metadata, key=f"window.{key}" if key else "window")

    def protected(self) -> dict[str, str]:
        """The frame's own files (real path -> what they are), which nothing framer writes may replace."""
        return {
            os.path.realpath(p): _("the frame")
            for p in (self.image_path, self.metadata)
            if isinstance(p, Path)
        }


def check_window(box: Box, image: Image.Image, name: str, field: Callable[[str], str]) -> None:
    """Refuse (FrameError) a window a portrait cannot be seen through: one that does not lie inside `image`
    (the frame image, named `name`): not finite, negative, empty, or off its edges; or whose box is mostly
    opaque in it (the artwork would hide the portrait). The one check of a window, wherever it comes
    from; `field(key)` names where that is (a field of frame.toml, --window) for the part at fault: "x",
    "y", "width", "height", or "" for the whole window."""
    w, h = image.size
    faults = {
        "x": not 0 <= box.x < w,
        "y": not 0 <= box.y < h,
        "width": not (box.w > 0 and box.right <= w),
        "height": not (box.h > 0 and box.bottom <= h),
    }
    where = {"x": f"{box.x:g}", "y": f"{box.y:g}", "width": f"{box.w:g}", "height": f"{box.h:g}"}
    for key, wrong in faults.items():
        if wrong:
            raise FrameError(
                _(
                    "{field}: the window x={x} y={y} width={width} height={height} does not lie inside "
                    "the frame image {image} ({w} x {h} px)"
                ).format(field=field(key), image=name, w=w, h=h, **where)
            )
    if min(box.w, box.h) < MIN_WINDOW_SIDE:
        raise FrameError(
            _(
                "{field}: the window x={x} y={y} width={width} height={height} is too small to show a "
                "portrait: it must be at least {side} px wide and high"
            ).format(field=field(""), side=MIN_WINDOW_SIDE, **where)
        )
    inside = image.crop((math.floor(box.x), math.floor(box.y), math.ceil(box.right), math.ceil(box.bottom)))
    counts = inside.getchannel("A").histogram()
    share = sum(counts[:128]) / max(sum(counts), 1)  # alpha below 128: more than half transparent
    if share < MIN_TRANSPARENT:
        raise FrameError(
            _(
                "{field}: the window x={x} y={y} width={width} height={height} is mostly opaque in the "
                "frame image {image} (only {share} of it is transparent): the portrait would be hidden"
            ).format(field=field(""), image=name, share=percent(share), **where)
        )


def read_regular(
    path: Traversable,
    limit: int,
    too_large: str = N_("{path}: the file is larger than {limit} MB, too large for a frame"),
) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes (FrameError, worded
    `too_large` for a larger one): a frame folder or a logo someone handed over may be a pipe, which
    would block a plain read forever, or a huge file."""
    try:
        with open_regular(path) if isinstance(path, Path) else path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise FrameError(
            _("{path}: cannot read it ({detail})").format(path=path, detail=e.strerror or e)
        ) from None
    if len(data) > limit:
        raise FrameError(_(too_large).format(path=path, limit=limit // 1_000_000))
    return data


def _decode(path: Traversable, data: bytes) -> Image.Image:
    """The frame image in `data` as RGBA. Refused (FrameError) when it is not a readable image, when it
    claims more than MAX_FRAME_SIDE px (from its header, before decoding: a small file can claim a
    picture that would take gigabytes), or when no pixel of it is more than half transparent."""
    import io

    from PIL import Image, UnidentifiedImageError  # lazily: `framer --help` must not load Pillow

    from ..core import colour  # noqa: F401 (loading it turns Pillow's size guard off: framer checks, below)

    try:
        with Image.open(io.BytesIO(data), formats=FRAME_FORMATS) as im:
            if max(im.size) > MAX_FRAME_SIDE:
                raise FrameError(
                    _(
                        "{path}: the frame image is {w} x {h} px; a frame may be at most {limit} px on its "
                        "longer side (outputs are at most 8192 px): scale it down"
                    ).format(path=path, w=im.width, h=im.height, limit=MAX_FRAME_SIDE)
                )
            im.load()
            if "A" not in im.getbands() and "transparency" not in im.info:
                raise _no_transparency(path)
            rgba = im.convert("RGBA")
    except UnidentifiedImageError:
        raise FrameError(
            _(
                "{path}: not an image framer can use as a frame (a PNG, WebP, GIF or TIFF with transparency)"
            ).format(path=path)
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise FrameError(_("{path}: not a readable image ({detail})").format(path=path, detail=e)) from None
    if rgba.getchannel("A").getextrema()[0] == 255:  # an alpha channel, opaque all over
        raise _no_transparency(path)
    return rgba


def _no_transparency(path: Traversable) -> FrameError:
    return FrameError(
        _(
            "{path}: the frame image has no transparency, so there is no window "
            "for the portrait (save it as a PNG with a transparent hole)"
        ).format(path=path)
    )


def builtin_root() -> Traversable:
    """Where the built-in frames are, and the font frames are drawn with (framer.builtin_frames)."""
    try:
        return files("framer.builtin_frames")
    except ModuleNotFoundError:  # run from a source checkout, not installed: the frames are beside us
        return Path(__file__).resolve().parents[2] / "frames"
