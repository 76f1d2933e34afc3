"""The frame and campaign commands: framer frames list/show/check/add/remove, framer campaign, framer remind.

Rich reads `[...]` in what it prints as markup, and `:cat:` as an emoji: whatever comes from a frame or the
user (names, titles, time zones, paths) reaches it as rich.text.Text, which it prints as written (a string
passed through rich.markup.escape would do for `[...]`, but a trailing backslash would come out doubled)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import click

from .campaign import CampaignStatus, Phase
from .cli_common import (
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
from .frames import load_frame
from .geometry import Box
from .i18n import N_, _, day, ngettext

ORIGINS = (N_("built-in"), N_("yours"))  # where a frame comes from, as `frames list` shows it

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
    with user_errors():
        frame = load_frame(frame_name, user_frames())
    if frame.campaign is None:
        click.echo(_("The frame {name} has no campaign: it can be used on any day.").format(name=frame.name))
        return
    status = frame.campaign.status(on_date.date() if on_date else frame.campaign.today())
    click.echo(status.message(frame.title, ignore_window=False))  # this command has no --ignore-window
    if status.phase.value in frame.messages:
        click.echo(frame.messages[status.phase.value])


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
def remind(frame_name: str, output: Path) -> None:
    """Write a calendar file with two reminders: put the framed picture on, then switch back.

    The events are at 08:00 in the campaign's time zone, on its first day and on the day after it
    ends. Open the .ics file with Outlook, Google Calendar or your phone's calendar.

    \b
    Example:
      framer remind --frame dx-2023 -o nhac-viec.ics
    """
    from .files import check_target, write_atomic
    from .remind import looks_like_reminders, reminders

    with user_errors():
        frame = load_frame(frame_name, user_frames())
        if frame.campaign is None:
            raise click.UsageError(
                _("the frame {name} has no campaign, so there is nothing to remind of").format(
                    name=frame.name
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
    """List, inspect, check, add and remove frames.

    \b
    Examples:
      framer frames list
      framer frames check khung-so-tt.png
      framer frames add khung-so-tt.png --name so-tt-2024 --starts 2024-10-01 --ends 2024-10-10
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

    from .frames import all_frames

    with user_errors():
        found = all_frames(user_frames())
    table = Table(box=None, padding=(0, 2))
    for column in (_("name"), _("where"), _("campaign"), _("today")):
        table.add_column(column, no_wrap=True)
    table.add_column(_("title"))
    for f in found:
        span, today = _("none"), _("any day")
        if f.campaign:
            c = f.campaign
            span = _("{start} to {end}, {timezone}").format(
                start=day(c.start), end=day(c.end), timezone=c.timezone
            )
            today = _status_word(c.status(on_date.date() if on_date else c.today()))
        origin = _(f.origin) if f.origin in ORIGINS else f.origin
        table.add_row(*(Text(cell) for cell in (f.name, origin, span, today, f.title)))
    console = Console(highlight=False, emoji=False)  # ":cat:" in a title stays as it is written
    if not console.is_terminal:
        console.width = 160  # a file or a pipe: no need to squeeze the table into 80 columns
    console.print(table)
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
    from .window import shape_name

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
            _("campaign: {start} to {end}, {timezone}; today: {status}").format(
                start=day(c.start),
                end=day(c.end),
                timezone=c.timezone,
                status=_status_word(c.status(c.today())),
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
    from .files import check_target, write_atomic
    from .frame_check import check_frame, looks_like_check

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
@option("--starts", type=Date(), help="First day of its campaign.")
@option(
    "--ends",
    type=Date(),
    help="Last day of its campaign (included).",
)
@option(
    "--timezone",
    default="Asia/Ho_Chi_Minh",
    show_default=True,
    metavar="ZONE",
    help="The campaign's time zone.",
)
@window_option
def frames_add(
    path: Path,
    name: str,
    title: str | None,
    starts: datetime | None,
    ends: datetime | None,
    timezone: str,
    window_box: Box | None,
) -> None:
    """Add a frame PNG to your frames, with its window (found, or --window) and its campaign dates.

    \b
    Examples:
      framer frames add khung.png --name so-tt-2024 --starts 2024-10-01 --ends 2024-10-10
      framer frames add khung.png --name so-tt-2024 --window 300,200,1000,1000
    """
    from .frames import add_frame

    if (starts is None) != (ends is None):
        raise click.UsageError(_("give both --starts and --ends, or neither (a frame for any day)"))
    with user_errors():
        folder = add_frame(
            path,
            user_frames(),
            name=name,
            title=title or name,
            campaign=(starts.date(), ends.date(), timezone) if starts and ends else None,
            window=window_box,
        )
    click.echo(
        _("Added {name} in {folder}. Use it with: framer apply PHOTOS --frame {name}").format(
            name=name, folder=folder
        )
    )


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
    from .frames import remove_frame

    with user_errors():
        removed = remove_frame(name, user_frames())
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
