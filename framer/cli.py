"""The command line: the only module that knows Click. Heavy imports wait until a command runs."""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .campaign import CampaignStatus, Phase
from .errors import CampaignClosed, ExitCode, FramerError
from .frames import DEFAULT_FRAME, Frame, load_frame
from .geometry import Box
from .i18n import LANGUAGES, N_, _, day, ngettext, use_language

ORIGINS = (N_("built-in"), N_("yours"))  # where a frame comes from, as `frames list` shows it

if TYPE_CHECKING:
    from rich.console import Console

    from . import batch
    from .report import Record, Report


def fail(error: FramerError) -> click.ClickException:
    """A FramerError on its way out: 'Error: ...' on stderr and the error's own exit code."""

    class Fail(click.ClickException):
        exit_code = int(error.exit_code)

    return Fail(str(error))


def parse_shift(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, float]:
    if value is None:
        return (0.0, 0.0)
    try:
        dx, dy = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(_("give two numbers separated by a comma, like 0.05,-0.1")) from None
    if not (-1 <= dx <= 1 and -1 <= dy <= 1):
        raise click.BadParameter(_("each part is a fraction of the window, between -1 and 1"))
    return (dx, dy)


def parse_box(value: str | None) -> Box | None:
    if value is None:
        return None
    try:
        x, y, w, h = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(_("give four numbers separated by commas: X,Y,WIDTH,HEIGHT")) from None
    if w <= 0 or h <= 0 or x < 0 or y < 0:
        raise click.BadParameter(_("the window needs a positive width and height, inside the frame"))
    return Box(x, y, w, h)


def user_frames() -> Path:
    """The folder of the user's own frames: $FRAMER_FRAMES, or framer's folder in the user's app data."""
    return Path(os.environ.get("FRAMER_FRAMES") or Path(click.get_app_dir("framer")) / "frames")


class TranslatedOption(click.Option):
    """An option whose help is translated when shown: the language is only known then (--lang)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        help_text, shown = self.help, self.show_default
        self.help = _(help_text) if help_text else help_text
        if isinstance(shown, str):
            self.show_default = _(shown)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help, self.show_default = help_text, shown


class TranslatedCommand(click.Command):
    """A command whose help (its docstring) is translated when shown."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(self):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated_help(self):
            return super().get_short_help_str(limit)


class TranslatedGroup(click.Group):
    command_class = TranslatedCommand
    group_class = type  # sub-groups are TranslatedGroups too

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(self):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated_help(self):
            return super().get_short_help_str(limit)


@contextmanager
def _translated_help(command: click.Command) -> Iterator[None]:
    original = command.help
    command.help = _(inspect.cleandoc(original)) if original else original
    try:
        yield
    finally:
        command.help = original


option = partial(click.option, cls=TranslatedOption)


def set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    use_language(value)


lang_option = option(
    "--lang",
    type=click.Choice(LANGUAGES),
    is_eager=True,
    expose_value=False,
    callback=set_language,
    help="Language of messages: vi (Vietnamese) or en (English). Default: from the locale (LANG).",
)


def main() -> None:
    """The `framer` command. `--lang` is honoured before anything is printed, wherever it stands."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            use_language(args[i + 1])
        elif arg.startswith("--lang="):
            use_language(arg.split("=", 1)[1])
    cli(prog_name="framer")


@click.group(cls=TranslatedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    "-V",
    "--version",
    prog_name="framer",
    cls=TranslatedOption,
    help="Show the version and exit.",
)
@lang_option
def cli() -> None:
    """Put a campaign avatar frame on portraits, with the face placed in the frame's window.

    \b
    Example:
      framer apply me.jpg                 # writes me-framed.jpg beside it
    """


@cli.command()
@lang_option
@click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="INPUT..."
)
@option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the framed copies (sub-folders of a folder given are kept). "
    "Default: NAME-framed.EXT beside a photo, FOLDER-framed/ beside a folder.",
)
@option(
    "--frame",
    "frame_name",
    default=DEFAULT_FRAME,
    show_default=True,
    metavar="NAME|PATH",
    help="A frame's name (see framer frames list), a frame PNG with a transparent window, "
    "or a frame folder (holding frame.toml).",
)
@option(
    "--window",
    "window_box",
    callback=lambda ctx, param, value: parse_box(value),
    metavar="X,Y,W,H",
    help="The frame's window in its own pixels, when it cannot be found from its transparency.",
)
@option(
    "--format",
    "fmt",
    type=click.Choice(["jpg", "png", "webp"]),
    default="jpg",
    show_default=True,
    help="Output file format.",
)
@option(
    "--size",
    type=click.IntRange(64, 8192),
    metavar="PX",
    help="Output size in pixels (the longer side).  [default: the frame's, 1080 for dx-2023]",
)
@option("--quality", type=click.IntRange(1, 100), default=92, show_default=True, help="JPEG/WebP quality.")
@option(
    "--zoom",
    type=click.FloatRange(0.3, 3.0),
    default=1.0,
    show_default=True,
    help="One photo only: make the face bigger (>1) or smaller (<1).",
)
@option(
    "--shift",
    callback=parse_shift,
    metavar="DX,DY",
    help="One photo only: move the face right/down by fractions of the window, e.g. 0,0.05.",
)
@option(
    "--face",
    "face_index",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="One photo only: which face to frame when there are several (1 = the largest).",
)
@option("--overwrite", is_flag=True, help="Replace outputs that already exist.")
@option(
    "--preview",
    is_flag=True,
    help="Also write NAME.avatar176.png beside each output: how it looks as a round 176 px avatar.",
)
@option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a report, one row per photo: JSON Lines, or CSV if FILE ends in .csv.",
)
@option(
    "--date",
    "on_date",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Judge the campaign window as if today were this date.",
)
@option("--ignore-window", is_flag=True, help="Frame even after the frame's campaign has ended.")
@option(
    "--adjust",
    "adjust_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE.csv",
    help="Corrections for some photos: a CSV with columns file, zoom, dx, dy, face. "
    "Re-running redoes just the photos it changes.",
)
@option(
    "--max-megapixels",
    type=click.IntRange(1, 10_000),
    default=100,
    show_default=True,
    help="Refuse photos larger than this, unread (a guard against decompression bombs).",
)
@option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    default=os.cpu_count() or 1,
    show_default="the machine's cores",
    help="Photos framed in parallel.",
)
@option(
    "--review",
    "review_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.html",
    help="Also write the review page (see framer review) for this run.",
)
@option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def apply(
    inputs: tuple[Path, ...],
    output_dir: Path | None,
    frame_name: str,
    window_box: Box | None,
    fmt: str,
    size: int | None,
    quality: int,
    zoom: float,
    shift: tuple[float, float],
    face_index: int,
    overwrite: bool,
    preview: bool,
    report_path: Path | None,
    on_date: datetime | None,
    ignore_window: bool,
    adjust_path: Path | None,
    max_megapixels: int,
    jobs: int,
    review_path: Path | None,
    quiet: bool,
) -> None:
    """Frame photos: files, or folders searched recursively.

    \b
    Examples:
      framer apply me.jpg                     # -> me-framed.jpg
      framer apply photos/ -o framed/         # every photo under photos/, same sub-folders
      framer apply me.jpg --zoom 1.1 --shift 0,0.05 --overwrite
      framer apply photos/ -o framed/ --report report.jsonl

    Exit status: 0 all framed, 1 some photos failed or had no face found,
    2 usage error, 3 the frame's campaign has ended (see --ignore-window),
    130 stopped with Ctrl-C.
    """
    from rich.console import Console
    from rich.markup import escape

    from . import batch
    from .adjust import apply_adjustments, read_adjustments
    from .geometry import Adjust
    from .report import Report, ReportFile

    console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
    with user_errors():
        frame = load_frame(frame_name, user_frames())
        _check_campaign(console, frame, on_date.date() if on_date else None, ignore_window)
        # Open the frame and settle its window now, once, before any worker starts.
        frame = replace(frame, window=window_box or frame.window_in(frame.open_image()))

        todo = batch.plan(inputs, output_dir, fmt)
        if not todo:
            raise click.UsageError(
                _("no photos found there (framer looks for JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC)")
            )
        nudge = Adjust(zoom=zoom, shift=shift, face=face_index - 1)
        if nudge != Adjust():
            if len(todo) > 1:
                raise click.UsageError(
                    _("--zoom, --shift and --face apply to one photo; for several, use --adjust FILE.csv")
                )
            todo = [replace(todo[0], adjust=nudge)]
        if adjust_path:
            todo = apply_adjustments(todo, read_adjustments(adjust_path), inputs)
        settings = batch.Settings(
            fmt=fmt,
            quality=quality,
            overwrite=overwrite,
            preview=preview,
            max_pixels=max_megapixels * 1_000_000,
        )

        campaign = frame.campaign.as_record() if frame.campaign else None
        report = Report(keep=review_path is not None, campaign=campaign)
        interrupted, stopped = False, None
        with ExitStack() as stack:
            report.sink = stack.enter_context(ReportFile(report_path)) if report_path else None
            advance = stack.enter_context(progress(console, len(todo), enabled=not quiet))

            def done(record: Record) -> None:
                for problem in record.problems():
                    console.print(f"[bold]{escape(record.input)}[/]: {escape(problem)}")
                advance()

            try:
                batch.run(todo, frame, size, settings, report, workers=min(jobs, len(todo)), on_done=done)
            except KeyboardInterrupt:
                interrupted = True
            except FramerError as e:  # the batch had to stop (a full disk, a folder it may not write)
                stopped = e

    _print_summary(console, report, todo, output_dir, report_path, interrupted or stopped is not None)
    if stopped is not None:
        raise fail(stopped)
    if review_path and report.records is not None:
        from .review import write_review

        write_review(report.records, review_path)
        console.print(_("Review page: {path}").format(path=review_path))
    sys.exit(int(ExitCode.INTERRUPTED if interrupted else report.exit_code))


def _print_summary(
    console: Console,
    report: Report,
    todo: list[batch.Job],
    output_dir: Path | None,
    report_path: Path | None,
    interrupted: bool,
) -> None:
    """The closing table on stderr: what happened, by kind, and where the results are."""
    from rich.table import Table

    if interrupted:
        console.print(
            _("Stopped: {done} of {total} photos were handled before the stop.").format(
                done=report.total, total=len(todo)
            )
        )
    table = Table(title=report.headline(), title_justify="left", show_header=False, box=None, padding=(0, 2))
    for i, (label, n) in enumerate(report.summary()):
        if n or i == 0:  # the first row, how many were framed, is shown even at 0
            table.add_row(label, str(n))
    console.print(table)
    if len(todo) == 1 and report.framed:
        console.print(_("Wrote {path}").format(path=todo[0].output))
    elif report.framed:
        console.print(
            _("Framed copies are in {folder}").format(
                folder=output_dir or ", ".join(sorted({str(j.output.parent) for j in todo}))
            )
        )
    if report_path:
        console.print(_("Report: {path}").format(path=report_path))


@cli.command()
@lang_option
@click.argument("report_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="REPORT")
@option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("review.html"),
    show_default=True,
    help="The page to write.",
)
def review(report_path: Path, output: Path) -> None:
    """Write a review page for a run: thumbnails of every output, the ones to check first.

    REPORT is the file written by `framer apply --report` (JSON Lines or CSV). The page is a
    single HTML file that works offline; open it in any browser.

    \b
    Example:
      framer apply photos/ -o framed/ --report report.jsonl
      framer review report.jsonl -o review.html
    """
    from .report import read_records
    from .review import write_review

    try:
        records = read_records(report_path)
    except (ValueError, KeyError, TypeError) as e:
        raise click.BadParameter(
            _("not a framer report ({detail})").format(detail=e), param_hint="REPORT"
        ) from None
    write_review(records, output)
    click.echo(
        ngettext("Review page: {path} ({n} photo)", "Review page: {path} ({n} photos)", len(records)).format(
            path=output, n=len(records)
        ),
        err=True,
    )


frame_option = option(
    "--frame",
    "frame_name",
    default=DEFAULT_FRAME,
    show_default=True,
    metavar="NAME|PATH",
    help="A frame's name (see framer frames list), or a frame PNG or folder.",
)
date_option = option(
    "--date",
    "on_date",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="As if today were this date (default: today, in the campaign's time zone).",
)


@cli.command()
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
    click.echo(status.message(frame.name))
    if status.phase.value in frame.messages:
        click.echo(frame.messages[status.phase.value])


@cli.command()
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
    from .files import write_atomic
    from .remind import reminders

    with user_errors():
        frame = load_frame(frame_name, user_frames())
        if frame.campaign is None:
            raise click.UsageError(
                _("the frame {name} has no campaign, so there is nothing to remind of").format(
                    name=frame.name
                )
            )
        write_atomic(output, reminders(frame.title, frame.campaign), overwrite=True)
    c = frame.campaign
    click.echo(
        _("Wrote {path}: put the framed picture on {start}, switch back on {back}").format(
            path=output, start=day(c.start), back=day(c.end + timedelta(days=1))
        )
    )


@cli.group()
@lang_option
def frames() -> None:
    """List, inspect, check and add frames.

    \b
    Examples:
      framer frames list
      framer frames check khung-so-tt.png
      framer frames add khung-so-tt.png --name so-tt-2024 --starts 2024-10-01 --ends 2024-10-10
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
        table.add_row(f.name, _(f.origin) if f.origin in ORIGINS else f.origin, span, today, f.title)
    console = Console(highlight=False)
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
@click.argument("name", metavar="NAME|PATH")
def frames_show(name: str) -> None:
    """Print a frame's metadata and its window.

    \b
    Example:
      framer frames show dx-2023
    """
    from .window import shape_name

    with user_errors():
        frame = load_frame(name, user_frames())
        image = frame.open_image()
        window = frame.window
        how = _("declared, {shape}").format(shape=shape_name(frame.window_shape))
        if window is None:
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
@click.argument("path", type=click.Path(exists=True, path_type=Path), metavar="PATH")
@option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the preview PNG.  [default: NAME-check.png here]",
)
def frames_check(path: Path, output: Path | None) -> None:
    """Check a frame (PNG or folder): its window, its size, and a sample portrait placed in it.

    Writes a preview with the window outlined and a sample portrait framed. Exit status 0 when the
    frame is usable (warnings may remain), 2 when it is not.

    \b
    Example:
      framer frames check khung-so-tt.png
    """
    from .frame_check import check_frame

    with user_errors():
        frame = load_frame(path, user_frames())
        result = check_frame(frame)
        target = output or Path(f"{frame.name}-check.png")
        result.preview.save(target)
    for line in result.notes:
        click.echo(line)
    click.echo(_("Preview: {path}").format(path=target))


@frames.command("add")
@lang_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FRAME.png")
@option("--name", required=True, help="A short name to use it by, e.g. so-tt-2024 (letters, digits, -).")
@option("--title", help="What the frame is for, in words.  [default: the name]")
@option(
    "--starts", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", help="First day of its campaign."
)
@option(
    "--ends",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Last day of its campaign (included).",
)
@option("--timezone", default="Asia/Ho_Chi_Minh", show_default=True, help="The campaign's time zone.")
def frames_add(
    path: Path, name: str, title: str | None, starts: datetime | None, ends: datetime | None, timezone: str
) -> None:
    """Add a frame PNG to your frames, with its window found and its campaign dates.

    \b
    Example:
      framer frames add khung.png --name so-tt-2024 --starts 2024-10-01 --ends 2024-10-10
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
        )
    click.echo(
        _("Added {name} in {folder}. Use it with: framer apply PHOTOS --frame {name}").format(
            name=name, folder=folder
        )
    )


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn framer's user-facing errors into 'Error: ...' and their exit code: the one place that does."""
    try:
        yield
    except FramerError as e:
        raise fail(e) from None


def _check_campaign(console: Console, frame: Frame, on_date: date | None, ignore_window: bool) -> None:
    """Say where today stands in the frame's campaign; refuse after its end unless told to go on."""
    if frame.campaign is None:
        return
    status = frame.campaign.status(on_date or frame.campaign.today())
    if status.phase is Phase.AFTER:
        if not ignore_window:
            raise CampaignClosed(status.message(frame.name))
        console.print(
            _("The {name} campaign has ended; framing anyway (--ignore-window).").format(name=frame.name)
        )
    else:
        console.print(status.message(frame.name))
        if status.phase.value in frame.messages:
            console.print(frame.messages[status.phase.value])


@contextmanager
def progress(console: Console, total: int, enabled: bool) -> Iterator[Callable[[], None]]:
    """A transient progress bar on stderr; a do-nothing one when quiet, off a terminal, or for one photo."""
    if not (enabled and console.is_terminal and total > 1):
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    rate = TextColumn("{task.fields[rate]}")
    columns = (TextColumn(_("Framing")), BarColumn(), MofNCompleteColumn(), rate, TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("framing", total=total, rate="")

        def advance() -> None:
            bar.advance(task)
            speed = bar.tasks[0].speed
            bar.update(task, rate=_("{rate} photos/s").format(rate=f"{speed:.1f}") if speed else "")

        yield advance
