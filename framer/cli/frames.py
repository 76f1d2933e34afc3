"""The frame and campaign commands: framer frames list/show/check/add/remove, framer campaign, framer remind.

Rich reads `[...]` in what it prints as markup, and `:cat:` as an emoji: whatever comes from a frame or the
user (names, titles, time zones, paths) reaches it as rich.text.Text, which it prints as written (a string
passed through rich.markup.escape would do for `[...]`, but a trailing backslash would come out doubled)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from ..core.geometry import Box
from ..errors import CampaignClosed
from ..frames.campaign import CampaignStatus, Phase
from ..frames.choice import BUILT_IN, CHOSEN, RUNNING, choose, elsewhere, status_on
from ..frames.model import Frame, load_frame
from ..i18n import N_, _, day, ngettext
from .options import (
    Date,
    TranslatedCommand,
    TranslatedGroup,
    argument,
    date_option,
    frame_option,
    lang_option,
    option,
    parse_box,
    user_errors,
    user_frames,
)

F = TypeVar("F", bound=Callable[..., Any])
ORIGINS = (N_("built-in"), N_("yours"))  # where a frame comes from, as `frames list` shows it

output_size_option = option(
    "--output-size",
    type=click.IntRange(64, 8192),
    metavar="PX",
    help="The longer side of the framed pictures, in px.  [default: the frame image's own]",
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


# The same option as framer apply's: a frame whose window cannot be found (two transparent holes of
# similar size) is told to name it with --window, which every command that looks for the window takes.
window_option = option(
    "--window",
    "window_box",
    callback=lambda ctx, param, value: parse_box(value),
    metavar="X,Y,W,H",
    help="The frame's window in its own pixels, when it cannot be found from its transparency.",
)


@click.command(cls=TranslatedCommand)
@lang_option
@frame_option
@date_option
def campaign(frame_name: str, on_date: datetime | None) -> None:
    """Say where today stands in a frame's campaign: days to go, day N, or ended.

    \b
    Examples:
      framer campaign
      framer campaign --frame dx-2023 --date 2023-10-05
    """
    on = on_date.date() if on_date else None
    with user_errors():
        frame = _chosen(frame_name, on)
    if frame.campaign is None:
        click.echo(_("The frame {name} has no campaign: it can be used on any day.").format(name=frame.name))
        return
    status = frame.campaign.status(on or frame.campaign.today())
    instead = elsewhere(frame, user_frames(), on) if status.phase is Phase.AFTER else []
    # this command has no --ignore-window: the advice is to run framer apply with it
    click.echo(status.message(frame.title, ignore_window=False, instead=instead))
    if status.phase.value in frame.messages:
        click.echo(frame.messages[status.phase.value])


def _chosen(name: str | None, on: date | None) -> Frame:
    """The frame named by --frame, else the default one (framer.frames.choice), said on stderr."""
    choice = choose(name, user_frames(), on)
    for line in choice.said():
        click.echo(line, err=True)
    return choice.frame


@click.command(cls=TranslatedCommand)
@lang_option
@frame_option
@option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("framer-reminders.ics"),
    show_default=True,
    help="The calendar file to write.",
)
@date_option
@option("--ignore-window", is_flag=True, help="Write the reminders even after the campaign has ended.")
def remind(frame_name: str | None, output: Path, on_date: datetime | None, ignore_window: bool) -> None:
    """Write a calendar file with two reminders: put the framed picture on, then switch back.

    The events are at 08:00 in the campaign's time zone, on its first day and on the day after it
    ends. Open the .ics file with Outlook, Google Calendar or your phone's calendar. A campaign that
    has ended gets no reminders (unless --ignore-window).

    \b
    Examples:
      framer remind -o nhac-viec.ics        # the campaign running today (or your default frame)
      framer remind --frame dx-2023 -o nhac-viec.ics
    """
    from ..files import check_target, write_atomic
    from ..frames.remind import looks_like_reminders, reminders

    on = on_date.date() if on_date else None
    with user_errors():
        frame = _chosen(frame_name, on)
        if frame.campaign is None:
            raise click.UsageError(
                _("the frame {name} has no campaign, so there is nothing to remind of").format(
                    name=frame.name
                )
            )
        status = frame.campaign.status(on or frame.campaign.today())
        if status.phase is Phase.AFTER and not ignore_window:
            raise CampaignClosed(
                " ".join(
                    [
                        status.ended(frame.title),
                        _("Nothing was written: its reminders are past."),
                        *elsewhere(frame, user_frames(), on),
                        _("To write them anyway, add --ignore-window."),
                    ]
                )
            )
        check_target(output, frame.protected(), ours=looks_like_reminders)
        write_atomic(output, reminders(frame.title, frame.campaign), overwrite=True)
    c = frame.campaign
    click.echo(
        _("Wrote {path}: put the framed picture on {start}, switch back on {back}").format(
            path=output, start=day(c.start), back=day(c.end + timedelta(days=1))
        )
    )


@click.group(cls=TranslatedGroup)
@lang_option
def frames() -> None:
    """List, inspect, check, add, draw, choose and remove frames.

    \b
    Examples:
      framer frames list
      framer frames check khung-so-tt.png
      framer frames add khung-so-tt.png --name so-tt-2024 --starts 2024-10-01 --ends 2024-10-10
      framer frames new cds-2027 --title "Ngày Chuyển đổi số quốc gia" --starts 2027-10-01 --ends 2027-10-10
      framer frames use so-tt-2024
      framer frames remove so-tt-2024
    """


@frames.command("list")
@lang_option
@date_option
def frames_list(on_date: datetime | None) -> None:
    """Show the built-in frames and yours, with their campaign status today.

    \b
    Example:
      framer frames list
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..frames.model import all_frames

    on = on_date.date() if on_date else None
    passed_over: list[str] = []
    with user_errors():
        found = all_frames(user_frames(), passed_over)
        default = choose(None, user_frames(), on)
    table = Table(box=None, padding=(0, 2))
    for column in (_("name"), _("where"), _("campaign"), _("today")):
        table.add_column(column, no_wrap=True)
    table.add_column(_("title"))
    for f in found:
        span, today = _("none"), _("any day")
        if f.campaign:
            c = f.campaign
            span = c.span(short=True)
            today = _status_word(c.status(on or c.today()))
        origin = _(f.origin) if f.origin in ORIGINS else f.origin
        name = f"{f.name} *" if f.name == default.frame.name else f.name
        table.add_row(*(Text(cell) for cell in (name, origin, span, today, f.title)))
    console = Console(highlight=False, emoji=False)  # ":cat:" in a title stays as it is written
    if not console.is_terminal:
        console.width = 160  # a file or a pipe: no need to squeeze the table into 80 columns
    console.print(table)
    why = {
        CHOSEN: _("* the frame used when no --frame is given: your default (framer frames use)"),
        RUNNING: _("* the frame used when no --frame is given: its campaign is running today"),
        BUILT_IN: _("* the frame used when no --frame is given: no campaign is running today"),
    }
    click.echo(why[default.how], err=True)
    for line in [*passed_over, *(n for n in default.notes if n not in passed_over)]:
        click.echo(line, err=True)
    click.echo(
        _("Your frames folder: {path} (set FRAMER_FRAMES to use another)").format(path=user_frames()),
        err=True,
    )


def _status_word(status: CampaignStatus) -> str:
    if status.phase is Phase.BEFORE:
        n = status.days_to_start
        return ngettext("starts in {n} day", "starts in {n} days", n).format(n=n)
    if status.phase is Phase.DURING:
        return _("day {n} of {length}").format(n=status.day_number, length=status.length)
    return _("ended {date}").format(date=day(status.campaign.end))


@frames.command("show")
@lang_option
@argument("name", metavar="NAME|PATH")
@window_option
def frames_show(name: str, window_box: Box | None) -> None:
    """Print a frame's metadata and its window.

    \b
    Examples:
      framer frames show dx-2023
      framer frames show khung.png --window 300,200,1000,1000
    """
    from ..frames.window import shape_name

    with user_errors():
        frame = load_frame(name, user_frames())
        image = frame.open_image()
        if window_box is not None:
            window, how = frame.window_in(image, window_box), _("given with --window")
        elif frame.window is not None:
            window = frame.window_in(image)
            how = _("declared, {shape}").format(shape=shape_name(frame.window_shape))
        else:
            found = frame.find_window(image)
            window, how = (
                found.box,
                _("found from the transparency, {shape}").format(shape=shape_name(found.shape)),
            )
    origin = _(frame.origin) if frame.origin in ORIGINS else frame.origin
    click.echo(_("name:     {name}").format(name=frame.name))
    click.echo(_("title:    {title}").format(title=frame.title))
    click.echo(
        _("image:    {path} ({w} x {h} px)").format(path=frame.image_path, w=image.width, h=image.height)
    )
    click.echo(_("where:    {origin}").format(origin=origin))
    click.echo(
        _("window:   x={x} y={y} width={w} height={h} ({how})").format(
            x=f"{window.x:g}", y=f"{window.y:g}", w=f"{window.w:g}", h=f"{window.h:g}", how=how
        )
    )
    click.echo(_("output:   {px} px on the longer side").format(px=frame.output_size or max(image.size)))
    if frame.campaign:
        c = frame.campaign
        click.echo(
            _("campaign: {span}; today: {status}").format(
                span=c.span(), status=_status_word(c.status(c.today()))
            )
        )
    else:
        click.echo(_("campaign: none (usable on any day)"))


@frames.command("check")
@lang_option
@argument("name", metavar="NAME|PATH")
@window_option
@option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the preview PNG.  [default: NAME-check.png here]",
)
def frames_check(name: str, window_box: Box | None, output: Path | None) -> None:
    """Check a frame (by name, or a PNG or folder): its window, its size, and a sample portrait in it.

    Writes a preview with the window outlined and a sample portrait framed. Exit status 0 when the
    frame is usable (warnings may remain), 2 when it is not.

    \b
    Examples:
      framer frames check khung-so-tt.png
      framer frames check so-tt-2024
      framer frames check khung.png --window 300,200,1000,1000
    """
    from ..files import check_target, write_atomic
    from ..frames.check import check_frame, looks_like_check

    with user_errors():
        frame = load_frame(name, user_frames())
        # The default is here, whatever the name in frame.toml says ("../x" or "/tmp/x" included).
        target = output or Path(Path(f"{frame.name}-check.png").name)
        check_target(target, frame.protected(), ours=looks_like_check)
        result = check_frame(frame, window_box)
        write_atomic(target, result.png(), overwrite=True)
    for line in result.notes:
        click.echo(line)
    click.echo(_("Preview: {path}").format(path=target))


@frames.command("add")
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
@window_option
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
    from ..frames.model import add_frame

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


@frames.command("new")
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
@option(
    "--output-size",
    type=click.IntRange(64, 8192),
    default=1080,
    show_default=True,
    metavar="PX",
    help="The longer side of the framed pictures, in px.",
)
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
    from ..frames.draw import MAX_LOGO_BYTES, Design
    from ..frames.model import new_frame, read_regular

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
    from ..frames.model import removable_names

    return name in removable_names(user_frames())


def _say_added(name: str, folder: Path, replaced: bool) -> None:
    if replaced:
        said = _("Replaced your frame {name} in {folder}. Use it with: framer apply PHOTOS --frame {name}")
    else:
        said = _("Added {name} in {folder}. Use it with: framer apply PHOTOS --frame {name}")
    click.echo(said.format(name=name, folder=folder))


@frames.command("use")
@lang_option
@argument("name", metavar="NAME", required=False)
@option(
    "--auto",
    is_flag=True,
    help="Forget the default chosen by hand: use the frame whose campaign is running today.",
)
def frames_use(name: str | None, auto: bool) -> None:
    """Make a frame the default: the one every command uses when no --frame is given.

    Kept in your frames folder. Without a default chosen by hand, framer uses the frame whose
    campaign is running today (of several, the one that started last), else the built-in one.

    \b
    Examples:
      framer frames use so-tt-2024
      framer frames use --auto
    """
    from ..frames.choice import keep_default

    if (name is None) == (not auto):
        raise click.UsageError(_("give a frame's name, or --auto"))
    with user_errors():
        keep_default(user_frames(), name)
        choice = choose(None, user_frames())
    if name is None:
        click.echo(
            _("No default chosen by hand: framer uses {name} when no --frame is given ({why}).").format(
                name=choice.frame.name,
                why=_("its campaign is running today")
                if choice.how == RUNNING
                else _("no campaign is running today"),
            )
        )
        return
    click.echo(_("framer now uses {name} when no --frame is given.").format(name=name))
    status = status_on(choice.frame, None)
    if status is not None and status.phase is Phase.AFTER:
        click.echo(status.message(choice.frame.title, ignore_window=False))


@frames.command("remove")
@lang_option
@argument("name", metavar="NAME")
def frames_remove(name: str) -> None:
    """Remove one of your frames (added with framer frames add): its folder in your frames folder.

    Built-in frames cannot be removed. Nothing outside your frames folder is touched: not the PNG the
    frame was added from, nor what a link in the folder leads to.

    \b
    Example:
      framer frames remove so-tt-2024
    """
    from ..frames.choice import keep_default, kept_default
    from ..frames.model import remove_frame

    with user_errors():
        removed = remove_frame(name, user_frames())
        was_default = kept_default(user_frames()) == name
        if was_default:
            keep_default(user_frames(), None)
    if removed.link_to is not None:
        click.echo(
            _(
                "Removed your frame {name}: deleted the link {path} ({target}, where it led, is untouched)."
            ).format(name=name, path=removed.path, target=removed.link_to)
        )
    else:
        click.echo(
            ngettext(
                "Removed your frame {name}: deleted {path} and the {n} file in it.",
                "Removed your frame {name}: deleted {path} and the {n} files in it.",
                removed.files,
            ).format(name=name, path=removed.path, n=removed.files)
        )
    if was_default:
        click.echo(
            _("It was your default frame: with no --frame, framer now takes the running campaign's frame.")
        )
