"""`framer frames`: list, show, check, add, draw, choose and remove frames.

Rich reads `[...]` in what it prints as markup, and `:cat:` as an emoji: whatever comes from a frame or the
user (names, titles, time zones, paths) reaches it as rich.text.Text, which it prints as written (a string
passed through rich.markup.escape would do for `[...]`, but a trailing backslash would come out doubled)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from ..core.geometry import Box
from ..frames.campaign import CampaignStatus, Phase, verdict
from ..frames.choice import BUILT_IN, CHOSEN, RUNNING, choose
from ..frames.registry import load_frame
from ..i18n import N_, _, day, ngettext
from .frames_add import frames_add, frames_new
from .options import date_option, file_option, lang_option, user_errors, user_frames, window_option
from .words import TranslatedGroup, argument, option

ORIGINS = (N_("built-in"), N_("yours"))  # where a frame comes from, as `frames list` shows it


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
@date_option()
def frames_list(on_date: datetime | None) -> None:
    """Show the built-in frames and yours, with their campaign status today.

    \b
    Example:
      framer frames list
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..frames.registry import all_frames

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
@window_option()
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
@window_option()
@file_option("-o", "--output", help="Where to write the preview PNG.  [default: NAME-check.png here]")
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
    judged = verdict(choice.frame, None, ignore_window=False)
    if judged.closed:
        click.echo(judged.said(can_ignore=False))


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
    from ..frames.manage import remove_frame

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


for command in (frames_add, frames_new):
    frames.add_command(command)
