"""Frames as data: a folder holding the frame image and a `frame.toml` that describes it.

    frames/dx-2023/
        frame.png     RGBA, opaque artwork around a transparent window
        frame.toml    name, title, image, output_size, [window], [campaign]
        draw.py       the script that draws frame.png (built-in frames only)

Built-in frames ship as package data (`framer.builtin_frames`); a frame folder elsewhere loads the same way.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .campaign import Campaign
from .errors import FrameError
from .geometry import Box
from .i18n import N_, _

if TYPE_CHECKING:
    from PIL import Image

    from .window import FoundWindow

METADATA = "frame.toml"
DEFAULT_FRAME = "dx-2023"


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

    def digest(self) -> str:
        """A digest of the frame image's bytes: outputs made with another version of it are redone."""
        import hashlib

        return hashlib.sha256(self.image_path.read_bytes()).hexdigest()

    def open_image(self) -> Image.Image:
        """The frame image, decoded, as RGBA."""
        from PIL import Image, UnidentifiedImageError  # lazily: `framer --help` must not load Pillow

        try:
            with self.image_path.open("rb") as f, Image.open(f) as im:
                im.load()
                if "A" not in im.getbands() and "transparency" not in im.info:
                    raise FrameError(
                        _(
                            "{path}: the frame image has no transparency, so there is no window "
                            "for the portrait (save it as a PNG with a transparent hole)"
                        ).format(path=self.image_path)
                    )
                return im.convert("RGBA")
        except (UnidentifiedImageError, OSError, SyntaxError) as e:
            raise FrameError(
                _("{path}: not a readable image ({detail})").format(path=self.image_path, detail=e)
            ) from None

    def window_in(self, image: Image.Image) -> Box:
        """The declared window, or the one found in `image`'s transparency."""
        if self.window is not None:
            return self.window
        return self.find_window(image).box

    def find_window(self, image: Image.Image) -> FoundWindow:
        import numpy as np

        from .window import find_window

        return find_window(np.asarray(image.getchannel("A")), name=str(self.image_path))


def builtin_root() -> Traversable:
    try:
        return files("framer.builtin_frames")
    except ModuleNotFoundError:  # run from a source checkout, not installed: the frames are beside us
        return Path(__file__).resolve().parent.parent / "frames"


def builtin_names() -> list[str]:
    """The names of the frames that ship with framer."""
    return _names_in(builtin_root())


def _names_in(root: Traversable | Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / METADATA).is_file())


def all_frames(user_dir: Path | None) -> list[Frame]:
    """Every frame by name: the built-in ones, then the user's own."""
    frames = [parse_frame(builtin_root() / n) for n in builtin_names()]
    if user_dir is not None:
        frames += [parse_frame(user_dir / n, origin="yours") for n in _names_in(user_dir)]
    return frames


def load_frame(name_or_path: str | Path, user_dir: Path | None = None) -> Frame:
    """A frame by name (built-in, then the user's), or by path: a frame folder, its frame.toml, or a PNG."""
    if isinstance(name_or_path, str):
        if name_or_path in builtin_names():
            return parse_frame(builtin_root() / name_or_path)
        if user_dir is not None and (user_dir / name_or_path / METADATA).is_file():
            return parse_frame(user_dir / name_or_path, origin="yours")
    path = Path(name_or_path)
    if path.is_file() and path.name == METADATA:
        path = path.parent
    if path.is_file():  # a bare image: its window is found from its transparency
        return Frame(path.stem, path.stem, path, None, "found", None, None, origin=str(path.parent))
    if not (path / METADATA).is_file():
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
    try:
        data = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise FrameError(_("{path}: not valid TOML ({detail})").format(path=meta_path, detail=e)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise FrameError(_("{path}: cannot read it ({detail})").format(path=meta_path, detail=e)) from None
    fields = _Fields(meta_path, data)

    image_path = folder / fields.text("image")
    if not image_path.is_file():
        raise FrameError(
            _("{path}: field 'image' names {image!r}, which is not in {folder}").format(
                path=meta_path, image=fields.text("image"), folder=folder
            )
        )
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
    )


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


NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def add_frame(
    image_path: Path,
    user_dir: Path,
    *,
    name: str,
    title: str,
    campaign: tuple[date, date, str] | None = None,
) -> Path:
    """Copy a frame PNG into the user's frames as NAME/, with a frame.toml that declares its window
    (found from its transparency) and its campaign. Returns the new folder."""
    if not NAME_PATTERN.match(name):
        raise FrameError(
            _("--name {name!r}: use lower-case letters, digits and hyphens, like so-tt-2024").format(
                name=name
            )
        )
    if name in builtin_names() or (user_dir / name).exists():
        raise FrameError(
            _("--name {name!r}: a frame by that name already exists; choose another name").format(name=name)
        )
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
    source = Frame(
        image_path.stem, title, image_path, None, "found", None, None, origin=str(image_path.parent)
    )
    found = source.find_window(source.open_image())

    folder = user_dir / name
    lines = [
        f"name = {_toml_string(name)}",
        f"title = {_toml_string(title)}",
        'image = "frame.png"',
        "",
        "[window]  # found from the image's transparency by framer frames add",
        f"shape = {_toml_string(found.shape)}",
        f"x = {round(found.box.x)}",
        f"y = {round(found.box.y)}",
        f"width = {round(found.box.w)}",
        f"height = {round(found.box.h)}",
    ]
    if campaign is not None:
        start, end, zone = campaign
        lines += [
            "",
            "[campaign]",
            f"start = {start}",
            f"end = {end}  # included",
            f"timezone = {_toml_string(zone)}",
        ]
    staging = user_dir / f".{name}.adding"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copyfile(image_path, staging / "frame.png")
    (staging / METADATA).write_text("\n".join(lines) + "\n", encoding="utf-8")
    parse_frame(staging)  # what we wrote must read back
    staging.rename(folder)  # the frame appears whole or not at all
    return folder


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escaping is a subset TOML accepts."""
    return json.dumps(text, ensure_ascii=False)
