"""Frames as data: a folder holding the frame image and a `frame.toml` that describes it.

    frames/dx-2023/
        frame.png     RGBA, opaque artwork around a transparent window
        frame.toml    name, title, image, output_size, [window], [campaign]
        draw.py       the script that draws frame.png (built-in frames only)

Built-in frames ship as package data (`framer.builtin_frames`); a frame folder elsewhere loads the same way.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.geometry import Box
from ..errors import FrameError
from ..files import open_regular
from ..i18n import N_, _, display, percent
from .campaign import Campaign

if TYPE_CHECKING:
    from PIL import Image

    from .draw import Design
    from .window import FoundWindow

METADATA = "frame.toml"
DEFAULT_FRAME = "dx-2023"
# A frame folder may come from anyone: limits on what framer reads from it, checked before reading.
MAX_FRAME_SIDE = 8192  # px, a frame image's longer side (from its header): outputs are at most 8192 px
# What a frame may be: formats with transparency, and JPEG and BMP only to be told plainly that they have
# none; never a format Pillow renders with another program (EPS runs Ghostscript).
FRAME_FORMATS = ("PNG", "WEBP", "GIF", "TIFF", "JPEG", "BMP")
MAX_FRAME_BYTES = 64_000_000  # a frame image's file (read whole: decoded, hashed by digest, copied)
MAX_METADATA_BYTES = 1_000_000  # frame.toml
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
    try:
        return files("framer.builtin_frames")
    except ModuleNotFoundError:  # run from a source checkout, not installed: the frames are beside us
        return Path(__file__).resolve().parents[2] / "frames"


def builtin_names() -> list[str]:
    """The names of the frames that ship with framer."""
    return _names_in(builtin_root())


def _names_in(root: Traversable | Path) -> list[str]:
    if not root.is_dir():
        return []
    # A name starting with "." is framer's own (a frame being added or removed), never a frame.
    return sorted(
        p.name
        for p in root.iterdir()
        if not p.name.startswith(".") and p.is_dir() and (p / METADATA).is_file()
    )


def all_frames(user_dir: Path | None, passed_over: list[str] | None = None) -> list[Frame]:
    """Every frame by name: the built-in ones, then the user's own (less any a built-in name shadows:
    framer never uses those by that name). A frame of the user's that cannot be read is passed over,
    with a line saying why added to `passed_over`: one broken frame never stops a command that did not
    name it."""
    frames = [parse_frame(builtin_root() / n) for n in builtin_names()]
    for name in removable_names(user_dir):
        assert user_dir is not None
        try:
            frames.append(parse_frame(user_dir / name, origin="yours"))
        except FrameError as e:
            if passed_over is not None:
                passed_over.append(_("Passed over your frame {name}: {error}").format(name=name, error=e))
    return frames


def load_frame(name_or_path: str | Path, user_dir: Path | None = None) -> Frame:
    """A frame by name (built-in, then the user's), or by path: a frame folder, its frame.toml, or a PNG."""
    if isinstance(name_or_path, str):
        if name_or_path in builtin_names():
            return parse_frame(builtin_root() / name_or_path)
        if user_dir is not None and (user_dir / name_or_path / METADATA).is_file():
            return parse_frame(user_dir / name_or_path, origin="yours")
    path = Path(name_or_path)
    if path.name == METADATA and not path.is_dir():
        path = path.parent
    if path.exists() and not path.is_dir():  # a bare image (a pipe or a device is refused when read)
        return Frame.bare(path)
    if not os.path.lexists(path / METADATA):
        known = ", ".join(n for n in builtin_names() + (_names_in(user_dir) if user_dir else []))
        raise FrameError(
            _("no frame named {name!r} (frames: {known}; or give a frame PNG or folder)").format(
                name=str(name_or_path), known=known
            )
        )
    return parse_frame(path, origin=str(path))


def parse_frame(folder: Traversable | Path, origin: str = "built-in") -> Frame:
    """Read and validate `folder/frame.toml`; errors name the file and the field."""
    meta_path = folder / METADATA
    if _leads_outside(folder, meta_path):
        raise FrameError(
            _("{path} leads outside the frame folder {folder}: a frame's files must be in it").format(
                path=meta_path, folder=folder
            )
        )
    try:
        data = tomllib.loads(read_regular(meta_path, MAX_METADATA_BYTES).decode("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise FrameError(_("{path}: not valid TOML ({detail})").format(path=meta_path, detail=e)) from None
    except UnicodeDecodeError as e:
        raise FrameError(_("{path}: cannot read it ({detail})").format(path=meta_path, detail=e)) from None
    fields = _Fields(meta_path, data)

    image = fields.text("image")
    image_path = folder / image
    if _leads_outside(folder, image_path):
        raise FrameError(
            _("{path}: field 'image' names {image!r}, which leads outside the frame folder {folder}").format(
                path=meta_path, image=image, folder=folder
            )
        )
    if not image_path.is_file():
        if isinstance(image_path, Path) and image_path.exists():
            message = _(
                "{path}: field 'image' names {image!r}, which is not a regular file "
                "(a folder, a pipe or a device)"
            )
        else:
            message = _("{path}: field 'image' names {image!r}, which is not in {folder}")
        raise FrameError(message.format(path=meta_path, image=image, folder=folder))
    box = None
    window: dict[str, Any] = {}
    if "window" in data:
        window = fields.table("window")
        box = Box(*(float(fields.number(f"window.{k}", window)) for k in ("x", "y", "width", "height")))
        if box.w <= 0 or box.h <= 0:
            raise FrameError(
                _("{path}: field 'window' must have a positive width and height").format(path=meta_path)
            )
    output_size = fields.optional_number("output_size")
    if output_size is not None and not (16 <= output_size <= 8192):
        raise FrameError(
            _("{path}: field 'output_size' must be between 16 and 8192, got {value}").format(
                path=meta_path, value=output_size
            )
        )

    campaign = None
    messages: dict[str, str] = {}
    if "campaign" in data:
        table = fields.table("campaign")
        for phase in ("before", "during", "after"):
            text = fields.optional_text(f"campaign.{phase}", table)
            if text is not None:
                messages[phase] = text
        start, end = fields.date("campaign.start", table), fields.date("campaign.end", table)
        zone = fields.text("campaign.timezone", table)
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise FrameError(
                _("{path}: field 'campaign.timezone': unknown time zone {zone!r}").format(
                    path=meta_path, zone=zone
                )
            ) from None
        if end < start:
            raise FrameError(
                _("{path}: field 'campaign.end' ({end}) is before 'campaign.start' ({start})").format(
                    path=meta_path, end=end, start=start
                )
            )
        campaign = Campaign(start, end, zone)

    return Frame(
        name=fields.text("name"),
        title=fields.optional_text("title") or fields.text("name"),
        image_path=image_path,
        window=box,
        window_shape=str(window.get("shape", "rectangle")) if box else "found",
        output_size=int(output_size) if output_size is not None else None,
        campaign=campaign,
        messages=messages,
        origin=origin,
        metadata=meta_path,
    )


def _leads_outside(folder: Traversable, path: Traversable) -> bool:
    """Whether `path`, links resolved, is not inside `folder`: a frame someone handed over must not make
    framer read, or put on every portrait, a file from elsewhere (image = "../../secret/private.png",
    an absolute path, or a link in the folder). Built-in frames that are not files on disk (in a zip)
    hold no links."""
    if not isinstance(folder, Path) or not isinstance(path, Path):
        return False
    try:
        home = os.path.realpath(folder)
        return os.path.commonpath([home, os.path.realpath(path)]) != home
    except ValueError:  # a NUL in the name, or another drive (Windows)
        return True


class _Fields:
    """Typed access to a TOML table that reports the file and the field on any problem."""

    def __init__(self, path: object, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    def _get(self, key: str, table: dict[str, Any] | None, required: bool) -> Any:
        value = (self.data if table is None else table).get(key.rpartition(".")[2])
        if value is None and required:
            raise FrameError(_("{path}: field '{key}' is missing").format(path=self.path, key=key))
        return value

    def _wrong(self, key: str, expected: str, value: Any) -> FrameError:
        return FrameError(
            _("{path}: field '{key}' must be {expected}, got {value!r}").format(
                path=self.path, key=key, expected=_(expected), value=value
            )
        )

    def text(self, key: str, table: dict[str, Any] | None = None) -> str:
        value = self.optional_text(key, table)
        if value is None:
            raise FrameError(_("{path}: field '{key}' is missing").format(path=self.path, key=key))
        return value

    def optional_text(self, key: str, table: dict[str, Any] | None = None) -> str | None:
        value = self._get(key, table, required=False)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self._wrong(key, N_("a non-empty string"), value)
        return value

    def number(self, key: str, table: dict[str, Any] | None = None) -> float:
        value = self.optional_number(key, table)
        if value is None:
            raise FrameError(_("{path}: field '{key}' is missing").format(path=self.path, key=key))
        return value

    def optional_number(self, key: str, table: dict[str, Any] | None = None) -> float | None:
        value = self._get(key, table, required=False)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise self._wrong(key, N_("a number"), value)
        if value is not None and not _finite(value):  # TOML has nan and inf, and integers of any size
            raise self._wrong(key, N_("a finite number"), value)
        return value

    def date(self, key: str, table: dict[str, Any]) -> date:
        value = self._get(key, table, True)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise self._wrong(key, N_("a date like 2023-10-01"), value) from None
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self._wrong(key, N_("a date like 2023-10-01"), value)
        return value

    def table(self, key: str) -> dict[str, Any]:
        value = self._get(key, None, True)
        if not isinstance(value, dict):
            raise self._wrong(key, N_("a table"), value)
        return value


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def add_frame(
    image_path: Path,
    user_dir: Path,
    *,
    name: str,
    title: str,
    campaign: tuple[date, date, str] | None = None,
    window: Box | None = None,
    output_size: int | None = None,
    replace: bool = False,
) -> Path:
    """Copy a frame PNG into the user's frames as NAME/, with a frame.toml that declares its window
    (`window`, given with --window and checked against the image as framer apply checks it; else found
    from its transparency), its campaign and its output size. `replace`: a frame of the user's by that
    name is replaced (never a built-in one). Returns the new folder."""
    _check_new(name, title, campaign, user_dir, replace)
    source = Frame.bare(image_path, title)
    data = source.image_bytes()  # read once: what is checked is what is copied
    image = _decode(image_path, data)
    if window is not None:
        box = source.window_in(image, window)  # checked as apply checks --window: inside, transparent
        declared = ["[window]  # given with --window to framer frames add"]
    else:
        declared, box = _found_window(source, image, "framer frames add")
    lines = _metadata(name, title, output_size, declared, box, campaign)
    return _install(user_dir, name, {"frame.png": data}, lines, replace)


def new_frame(
    user_dir: Path,
    *,
    name: str,
    design: Design,
    campaign: tuple[date, date, str] | None,
    output_size: int | None = None,
    replace: bool = False,
) -> tuple[Path, list[str]]:
    """Draw a frame in the built-in frame's style (framer.frames.draw) into the user's frames as NAME/: its
    image, a frame.toml with its window found from the drawing's transparency like any frame's, its
    campaign, and the design it was drawn from (so that it can be drawn again). Returns the folder and
    what fitting the texts did, in words."""
    import io
    from dataclasses import replace as replaced

    from .draw import LOGO_FILE, design_table, draw_frame, open_logo

    title = " ".join(" ".join(t.split()) for t in (design.title, design.date_text) if t)
    _check_new(name, title, campaign, user_dir, replace)
    if design.logo is not None:  # kept as the PNG its name says, whatever it came as: drawn from that
        logo = io.BytesIO()
        open_logo(design.logo).save(logo, "PNG")
        design = replaced(design, logo=logo.getvalue())
    drawn = draw_frame(design)
    buffer = io.BytesIO()
    drawn.image.save(buffer, "PNG")  # optimize=True would save 5 % of the file for a second more
    source = Frame.bare(Path("frame.png"), title)
    declared, box = _found_window(source, drawn.image, "framer frames new")
    files = {"frame.png": buffer.getvalue()}
    if design.logo is not None:
        files[LOGO_FILE] = design.logo
    table = design_table(design)
    lines = _metadata(name, title, output_size, declared, box, campaign)
    header = "[design]  # what framer frames new drew frame.png from: python -m framer.frames.draw FOLDER"
    lines += ["", header]
    lines += [f"{key} = {toml_string(value)}" for key, value in table.items()]
    return _install(user_dir, name, files, lines, replace), drawn.notes


def _check_new(
    name: str, title: str, campaign: tuple[date, date, str] | None, user_dir: Path, replace: bool
) -> None:
    """Refuse (FrameError) a new frame's name, title or campaign that cannot be used, before any work."""
    if not NAME_PATTERN.match(name):
        raise FrameError(
            _("--name {name!r}: use lower-case letters, digits and hyphens, like so-tt-2024").format(
                name=name
            )
        )
    if name in builtin_names():
        raise FrameError(
            _("--name {name!r}: a built-in frame by that name already exists; choose another name").format(
                name=name
            )
        )
    entry = user_dir / name
    if os.path.lexists(entry) and not (replace and (entry / METADATA).is_file()):
        if replace:
            raise FrameError(
                _("--name {name!r}: {path} is not a frame (no frame.toml in it): it is left as it is").format(
                    name=name, path=entry
                )
            )
        raise FrameError(
            _(
                "--name {name!r}: a frame by that name already exists; choose another name, or add "
                "--replace to replace it"
            ).format(name=name)
        )
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 on the command line: frame.toml holds only text
        raise FrameError(
            _("--title: write it in letters the terminal sends as UTF-8; got {title}").format(
                title=display(title)
            )
        ) from None
    if campaign is not None:
        start, end, zone = campaign
        if end < start:
            raise FrameError(_("--ends {end} is before --starts {start}").format(end=end, start=start))
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise FrameError(
                _("--timezone {zone!r}: not a known time zone (e.g. Asia/Ho_Chi_Minh)").format(zone=zone)
            ) from None


def _found_window(source: Frame, image: Image.Image, command: str) -> tuple[list[str], Box]:
    """The [window] lines of a frame.toml for the window found in `image`, and that window (whole px)."""
    found = source.find_window(image)
    box = Box(*(float(round(v)) for v in (found.box.x, found.box.y, found.box.w, found.box.h)))
    lines = [
        f"[window]  # found from the image's transparency by {command}",
        f"shape = {toml_string(found.shape)}",
    ]
    return lines, box


def _metadata(
    name: str,
    title: str,
    output_size: int | None,
    declared: list[str],
    box: Box,
    campaign: tuple[date, date, str] | None,
) -> list[str]:
    """The lines of a new frame's frame.toml."""
    lines = [f"name = {toml_string(name)}", f"title = {toml_string(title)}", 'image = "frame.png"']
    if output_size is not None:
        lines.append(f"output_size = {output_size}  # px, the longer side of the framed pictures")
    lines += [
        "",
        *declared,
        f"x = {_toml_number(box.x)}",
        f"y = {_toml_number(box.y)}",
        f"width = {_toml_number(box.w)}",
        f"height = {_toml_number(box.h)}",
    ]
    if campaign is not None:
        start, end, zone = campaign
        lines += [
            "",
            "[campaign]",
            f"start = {start}",
            f"end = {end}  # included",
            f"timezone = {toml_string(zone)}",
        ]
    return lines


def _install(user_dir: Path, name: str, files: dict[str, bytes], lines: list[str], replace: bool) -> Path:
    """Write a frame folder NAME/ in `user_dir` whole or not at all: staged in a fresh folder of our own
    (nothing planted beforehand can be in the way, or be written through), read back, then given its
    name. With `replace`, the user's frame of that name is moved aside first and deleted once the new
    one is in place (put back if it cannot be)."""
    folder = user_dir / name
    staging: Path | None = None
    aside: Path | None = None
    try:
        user_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.adding-", dir=user_dir))
        for file, data in files.items():
            (staging / file).write_bytes(data)
        (staging / METADATA).write_text("\n".join(lines) + "\n", encoding="utf-8")
        parse_frame(staging)  # what we wrote must read back
        staging.chmod(user_dir.stat().st_mode & 0o755)  # mkdtemp's is private: readable as its folder is
        if replace and os.path.lexists(folder):
            aside = user_dir / f".{name}.replacing-{secrets.token_hex(4)}"
            os.rename(folder, aside)  # a link is moved, never followed
        try:
            staging.rename(folder)  # the frame appears whole or not at all
        except BaseException:
            if aside is not None:
                os.rename(aside, folder)
                aside = None
            raise
    except OSError as e:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise FrameError(
            _("cannot write the frame into {folder} ({detail})").format(
                folder=user_dir, detail=e.strerror or e
            )
        ) from None
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if aside is not None:
        _delete(aside)
    return folder


def _delete(path: Path) -> None:
    """Delete a frame folder moved aside (a link: only the link), as far as it can be."""
    if path.is_symlink():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _toml_number(value: float) -> str:
    """A window's coordinate as TOML: 300, or 300.5 (in full: what was given is what is declared)."""
    return str(int(value)) if value.is_integer() else repr(value)


@dataclass(frozen=True)
class Removed:
    """What framer frames remove removed."""

    path: Path  # the frame's folder in the user's frames, or the link there that led to it
    files: int  # the files deleted with the folder (0 for a link)
    link_to: str | None = None  # for a link: where it led, which is left as it is


def removable_names(user_dir: Path | None) -> list[str]:
    """The frames framer frames remove may remove: the user's own (a built-in name shadows a user's
    frame of that name, which framer never uses, so it is not offered either)."""
    builtin = set(builtin_names())
    return [n for n in _names_in(user_dir) if n not in builtin] if user_dir is not None else []


def remove_frame(name: str, user_dir: Path) -> Removed:
    """Remove the user's frame `name`: its folder in `user_dir`, and nothing else. A built-in frame, or a
    name that is not one of the user's frames, is refused (FrameError). The folder is first moved aside
    in `user_dir` (the frame is gone whole, at once), then deleted without following any link in it; a
    link in `user_dir` that leads to a frame folder elsewhere is removed, not what it leads to."""
    yours = removable_names(user_dir)
    listed = ", ".join(yours) or _("none")
    if name in builtin_names():
        raise FrameError(
            _(
                "{name} is a built-in frame: it cannot be removed; framer frames remove removes only "
                "your own frames (yours: {yours})"
            ).format(name=name, yours=listed)
        )
    if name not in yours:  # only a name listed in the folder: never a path, "..", or a sub-folder
        raise FrameError(
            _("no frame of yours named {name!r} (yours: {yours}; your frames folder: {folder})").format(
                name=name, yours=listed, folder=user_dir
            )
        )
    entry = user_dir / name
    try:
        if entry.is_symlink():
            target = os.readlink(entry)
            entry.unlink()
            return Removed(entry, 0, target)
        aside = user_dir / f".{name}.removing-{secrets.token_hex(4)}"
        os.rename(entry, aside)  # a link put in its place meanwhile is moved, never followed
        if aside.is_symlink():  # such a link: only the link goes
            target = os.readlink(aside)
            aside.unlink()
            return Removed(entry, 0, target)
    except OSError as e:
        raise FrameError(
            _("cannot remove {path} ({detail})").format(path=entry, detail=e.strerror or e)
        ) from None
    files = 0
    for root, dirs, names in os.walk(aside):  # links are counted, not followed
        files += len(names) + sum(os.path.islink(os.path.join(root, d)) for d in dirs)
    try:
        shutil.rmtree(aside)  # deletes links, never what they lead to
    except OSError as e:
        raise FrameError(
            _(
                "{name} is no longer one of your frames, but {path} could not be deleted entirely "
                "({detail}): delete what is left of it by hand"
            ).format(name=name, path=aside, detail=e.strerror or e)
        ) from None
    return Removed(entry, files)


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escaping is a subset TOML accepts."""
    return json.dumps(text, ensure_ascii=False)
