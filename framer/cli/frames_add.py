"""`framer frames add` and `framer frames new`: a frame put in your frames folder, from a PNG with its
window and campaign dates, or drawn in the built-in frame's style."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click

from ..core.geometry import Box
from ..i18n import N_, _
from .options import F, lang_option, size_option, user_errors, user_frames, window_option
from .words import Date, TranslatedCommand, argument, option

output_size_option = size_option(
    "The longer side of the framed pictures, in px.  [default: the frame image's own]", "--output-size"
)
replace_option = option(
    "--replace",
    is_flag=True,
    help="Replace your frame of that name (its campaign, image or window), instead of refusing.",
)


def campaign_options(required: bool) -> Callable[[F], F]:
    """--starts, --ends and --timezone: a new frame's campaign (`required`, or none for any day)."""
    starts = option("--starts", type=Date(), required=required, help="First day of its campaign.")
    ends = option("--ends", type=Date(), required=required, help="Last day of its campaign (included).")
    zone = option(
        "--timezone",
        default="Asia/Ho_Chi_Minh",
        show_default=True,
        metavar="ZONE",
        help="The campaign's time zone.",
    )
    return lambda command: starts(ends(zone(command)))


@click.command("add", cls=TranslatedCommand)
@lang_option
@argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FRAME.png")
@option(
    "--name",
    required=True,
    metavar="NAME",
    help="A short name to use it by, e.g. so-tt-2024 (letters, digits, -).",
)
@option("--title", metavar="TITLE", help="What the frame is for, in words.  [default: the name]")
@campaign_options(required=False)
@window_option()
@output_size_option
@replace_option
def frames_add(
    path: Path,
    name: str,
    title: str | None,
    starts: datetime | None,
    ends: datetime | None,
    timezone: str,
    window_box: Box | None,
    output_size: int | None,
    replace: bool,
) -> None:
    """Add a frame PNG to your frames, with its window (found, or --window) and its campaign dates.

    \b
    Examples:
      framer frames add khung.png --name so-tt-2024 --starts 2024-10-01 --ends 2024-10-10
      framer frames add khung.png --name so-tt-2024 --window 300,200,1000,1000
      framer frames add khung.png --name so-tt-2024 --starts 2024-10-01 --ends 2024-10-12 --replace
    """
    from ..frames.manage import add_frame

    if (starts is None) != (ends is None):
        raise click.UsageError(_("give both --starts and --ends, or neither (a frame for any day)"))
    existed = _is_users(name)
    with user_errors():
        folder = add_frame(
            path,
            user_frames(),
            name=name,
            title=title or name,
            campaign=(starts.date(), ends.date(), timezone) if starts and ends else None,
            window=window_box,
            output_size=output_size,
            replace=replace,
        )
    _say_added(name, folder, existed and replace)


@click.command("new", cls=TranslatedCommand)
@lang_option
@argument("name", metavar="NAME")
@option("--title", required=True, metavar="TEXT", help="The title, set on the top arc.")
@option("--subtitle", metavar="TEXT", help="The theme line, set smaller just inside the title.")
@option("--date-text", metavar="TEXT", help="The date as it is shown on the band, e.g. 10.10.2027.")
@campaign_options(required=True)
@option(
    "--colour",
    default="blue",
    show_default=True,
    metavar="NAME|#RRGGBB",
    help="The frame's colour: a palette's name (see the README) or the agency's colour as #RRGGBB.",
)
@option(
    "--logo",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="LOGO.png",
    help="A logo to put on the frame (a PNG with transparency is best).",
)
@option(
    "--window-shape",
    type=click.Choice(["round", "square"]),
    default="round",
    show_default=True,
    help="The shape of the window the portrait shows through.",
)
@size_option("The longer side of the framed pictures, in px.", "--output-size", default=1080)
@replace_option
def frames_new(
    name: str,
    title: str,
    subtitle: str | None,
    date_text: str | None,
    starts: datetime,
    ends: datetime,
    timezone: str,
    colour: str,
    logo: Path | None,
    window_shape: str,
    output_size: int,
    replace: bool,
) -> None:
    """Draw a new frame in the built-in frame's style and add it to your frames, ready to use.

    The title goes on the top arc, the subtitle just inside it, the date on the band at the bottom;
    long texts are set smaller or on two lines, never cut. Check it with framer frames check NAME.

    NAME is a short name to use it by, e.g. cds-2027 (lower-case letters, digits, -).

    \b
    Example:
      framer frames new cds-2027 --title "Ngày Chuyển đổi số quốc gia" --date-text 10.10.2027 \\
          --starts 2027-10-01 --ends 2027-10-10
    """
    from ..frames.draw.design import Design
    from ..frames.draw.logo import MAX_LOGO_BYTES
    from ..frames.manage import new_frame
    from ..frames.model import read_regular

    existed = _is_users(name)
    with user_errors():
        too_large = N_("--logo {path}: the file is larger than {limit} MB, too large for a logo")
        logo_bytes = read_regular(logo, MAX_LOGO_BYTES, too_large) if logo is not None else None
        design = Design(
            title=title,
            subtitle=subtitle,
            date_text=date_text,
            colour=colour,
            logo=logo_bytes,
            window_shape=window_shape,
        )
        folder, notes = new_frame(
            user_frames(),
            name=name,
            design=design,
            campaign=(starts.date(), ends.date(), timezone),
            output_size=output_size,
            replace=replace,
        )
    for note in notes:
        click.echo(note)
    _say_added(name, folder, existed and replace)
    click.echo(_("See how it looks: framer frames check {name}").format(name=name))


def _is_users(name: str) -> bool:
    from ..frames.registry import removable_names

    return name in removable_names(user_frames())


def _say_added(name: str, folder: Path, replaced: bool) -> None:
    if replaced:
        said = _("Replaced your frame {name} in {folder}. Use it with: framer apply PHOTOS --frame {name}")
    else:
        said = _("Added {name} in {folder}. Use it with: framer apply PHOTOS --frame {name}")
    click.echo(said.format(name=name, folder=folder))
