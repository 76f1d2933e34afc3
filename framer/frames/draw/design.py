"""What a frame says and how it looks (the options of `framer frames new`), and frame.toml's [design]."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...errors import FrameError
from ...i18n import _

LOGO_FILE = "logo.png"  # the logo's file in a frame folder, named in [design]


@dataclass(frozen=True)
class Design:
    """What a frame says and how it looks: the options of `framer frames new`."""

    title: str
    subtitle: str | None = None
    date_text: str | None = None
    colour: str = "blue"  # a palette's name (PALETTES), or "#RRGGBB": the background's main colour
    logo: bytes | None = None  # an image file's bytes (PNG with transparency, JPEG...), optional
    window_shape: str = "round"  # "round" (a circle, as dx-2023) or "square" (a rounded square)


DESIGN_KEYS = ("title", "subtitle", "date_text", "colour", "window_shape", "logo")


def design_table(design: Design) -> dict[str, str]:
    """The [design] table of a frame.toml for `design` (its logo as the file LOGO_FILE beside it)."""
    table = {"title": design.title}
    if design.subtitle:
        table["subtitle"] = design.subtitle
    if design.date_text:
        table["date_text"] = design.date_text
    table["colour"] = design.colour
    table["window_shape"] = design.window_shape
    if design.logo is not None:
        table["logo"] = LOGO_FILE
    return table


def design_from_table(table: dict[str, Any], logo: bytes | None = None) -> Design:
    """The design a [design] table describes; `logo`: the bytes of the file its `logo` names (the caller
    reads it from the frame's folder). FrameError for a table that is not one."""
    unknown = sorted(set(table) - set(DESIGN_KEYS))
    if unknown:
        raise FrameError(
            _("[design]: unknown field {field!r} (fields: {fields})").format(
                field=unknown[0], fields=", ".join(DESIGN_KEYS)
            )
        )
    for key, value in table.items():
        if not isinstance(value, str):
            raise FrameError(_("[design]: field {field!r} must be a text").format(field=key))
    if "title" not in table:
        raise FrameError(_("[design]: field 'title' is missing"))
    if "logo" in table and logo is None:
        raise FrameError(
            _("[design]: field 'logo' names {name!r}, which was not given").format(name=table["logo"])
        )
    if logo is not None and "logo" not in table:
        raise ValueError("a logo was given for a [design] table that names none")
    return Design(
        title=table["title"],
        subtitle=table.get("subtitle"),
        date_text=table.get("date_text"),
        colour=table.get("colour", "blue"),
        logo=logo,
        window_shape=table.get("window_shape", "round"),
    )
