"""frame.toml: read and validated (errors name the file and the field), and written for a new frame."""

from __future__ import annotations

import json
import math
import os
import tomllib
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.geometry import Box
from ..errors import FrameError
from ..i18n import N_, _
from .campaign import Campaign
from .model import METADATA, Frame, read_regular

if TYPE_CHECKING:
    from PIL import Image

MAX_METADATA_BYTES = 1_000_000  # frame.toml


def parse_frame(folder: Traversable | Path, origin: str = "built-in") -> Frame:
    """Read and validate `folder/frame.toml`; errors name the file and the field.

    The first fault found, in this order, is refused (FrameError)::

        frame.toml     inside the folder (links resolved), a regular file, TOML in UTF-8         _read
        image          names a regular file inside the folder                                   _image_path
        [window]       x, y, width, height: finite numbers; a positive width and height         _window
        output_size    16 to 8192 px, if given
        [campaign]     before / during / after words, dates, a known time zone, end >= start   _campaign
        name, title    a name; the title is the name if not given
    """
    meta_path = folder / METADATA
    data = _read(folder, meta_path)
    fields = _Fields(meta_path, data)
    image_path = _image_path(folder, meta_path, fields)
    box, window = _window(fields)
    output_size = fields.optional_number("output_size")
    if output_size is not None and not (16 <= output_size <= 8192):
        raise FrameError(
            _("{path}: field 'output_size' must be between 16 and 8192, got {value}").format(
                path=meta_path, value=output_size
            )
        )
    campaign, messages = _campaign(fields)
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


def _read(folder: Traversable | Path, meta_path: Traversable) -> dict[str, Any]:
    """The TOML of `meta_path`, the frame.toml of `folder`."""
    if _leads_outside(folder, meta_path):
        raise FrameError(
            _("{path} leads outside the frame folder {folder}: a frame's files must be in it").format(
                path=meta_path, folder=folder
            )
        )
    try:
        return tomllib.loads(read_regular(meta_path, MAX_METADATA_BYTES).decode("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise FrameError(_("{path}: not valid TOML ({detail})").format(path=meta_path, detail=e)) from None
    except UnicodeDecodeError as e:
        raise FrameError(_("{path}: cannot read it ({detail})").format(path=meta_path, detail=e)) from None


def _image_path(folder: Traversable | Path, meta_path: Traversable, fields: _Fields) -> Traversable:
    """The frame image the field 'image' names, a regular file in `folder`."""
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
    return image_path


def _window(fields: _Fields) -> tuple[Box | None, dict[str, Any]]:
    """The declared window's box (None: found from the transparency), and its [window] table."""
    meta_path, box, window = fields.path, None, {}
    if "window" in fields.data:
        window = fields.table("window")
        box = Box(*(float(fields.number(f"window.{k}", window)) for k in ("x", "y", "width", "height")))
        if box.w <= 0 or box.h <= 0:
            raise FrameError(
                _("{path}: field 'window' must have a positive width and height").format(path=meta_path)
            )
    return box, window


def _campaign(fields: _Fields) -> tuple[Campaign | None, dict[str, str]]:
    """The [campaign] table's dates and time zone (None: no campaign), and its words for each phase."""
    meta_path, campaign = fields.path, None
    messages: dict[str, str] = {}
    if "campaign" in fields.data:
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
    return campaign, messages


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


def found_window_lines(source: Frame, image: Image.Image, command: str) -> tuple[list[str], Box]:
    """The [window] lines of a frame.toml for the window found in `image`, and that window (whole px)."""
    found = source.find_window(image)
    box = Box(*(float(round(v)) for v in (found.box.x, found.box.y, found.box.w, found.box.h)))
    lines = [
        f"[window]  # found from the image's transparency by {command}",
        f"shape = {toml_string(found.shape)}",
    ]
    return lines, box


def metadata_lines(
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


def _toml_number(value: float) -> str:
    """A window's coordinate as TOML: 300, or 300.5 (in full: what was given is what is declared)."""
    return str(int(value)) if value.is_integer() else repr(value)


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escaping is a subset TOML accepts."""
    return json.dumps(text, ensure_ascii=False)
