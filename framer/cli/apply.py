"""The command line: `framer apply` and `framer review` here, the frame and campaign commands in
cli_frames, what they share in cli_common. Only these modules know Click; heavy imports wait until a
command runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import __version__
from ..core.geometry import Box
from ..errors import CampaignClosed, CannotStart, ExitCode, FrameError, FramerError
from ..frames.campaign import Phase
from ..frames.model import Frame
from ..i18n import _, display, ngettext, number, use_language
from .frames import campaign, frames, remind
from .options import (
    Date,
    TranslatedGroup,
    TranslatedOption,
    argument,
    fail,
    lang_option,
    option,
    parse_box,
    parse_shift,
    unusable_report,
    usable_cores,
    user_errors,
    user_frames,
)
from .serve import publish, serve

if TYPE_CHECKING:
    from rich.console import Console

    from ..batch import plan as batch
    from ..batch.report import Record, Report


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
@argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="INPUT...")
@option(
    "-o",
    "--output-dir",
    type=click.Path(path_type=Path),
    help="Folder for the framed copies (sub-folders of a folder given are kept), or for one photo the "
    "file to write (a name ending in .jpg, .png or .webp). "
    "Default: NAME-framed.EXT beside a photo, FOLDER-framed/ beside a folder.",
)
@option(
    "--frame",
    "frame_name",
    metavar="NAME|PATH",
    help="A frame's name (see framer frames list), a frame PNG with a transparent window, "
    "or a frame folder (holding frame.toml).  [default: your default (framer frames use), else the "
    "frame whose campaign is running today, else dx-2023]",
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
@option(
    "--overwrite",
    is_flag=True,
    help="Also replace files framer did not write, or framed from another photo, where outputs go "
    "(framer's own earlier outputs of the same photos are replaced anyway; inputs never are).",
)
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
    type=Date(),
    help="Judge the campaign window as if today were this date.",
)
@option("--ignore-window", is_flag=True, help="Frame even after the frame's campaign has ended.")
@option(
    "--adjust",
    "adjust_path",
    callback=lambda ctx, param, value: _adjust_file(ctx, param, value),
    metavar="FILE.csv|none",
    help="Corrections for some photos: a CSV with columns file, zoom, dx, dy, face. Re-running redoes "
    "just the photos it changes. They are kept with the output folder (framer-adjust.csv) and stay in "
    "force on later runs; none drops them.",
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
    default=usable_cores(),
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
    frame_name: str | None,
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
    adjust_path: Path | str | None,
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

    Exit status: 0 all framed, 1 some photos failed, were not framed, or had no face found
    (and were not corrected by hand),
    2 usage error, 3 the frame's campaign has ended (see --ignore-window),
    130 stopped with Ctrl-C.
    """
    from rich.console import Console
    from rich.markup import escape

    from ..batch import plan as batch
    from ..batch.adjust import in_force
    from ..batch.report import ERROR, Report, ReportFile
    from ..core.geometry import Adjust

    # emoji=False: a name like "an:cat:.jpg" is shown as it is, never as a picture.
    console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True, emoji=False)
    alerts = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # said even with -q
    with user_errors():
        frame = _chosen(console, frame_name, on_date)
        _check_campaign(console, frame, on_date.date() if on_date else None, ignore_window)
        # Open the frame and settle its window now, once, before any worker starts.
        frame = frame.settled(window_box)

        output_dir, output_file, fmt = _output_target(inputs, output_dir, fmt)
        left_out: list[Path] = []
        todo = batch.plan(inputs, output_dir, fmt, preview, output_file=output_file, left_out=left_out)
        if left_out:
            folders = ", ".join(sorted({display(p.parent) for p in left_out}))
            console.print(
                ngettext(
                    "Left out {n} picture framer made itself ({folders}): it is not framed again.",
                    "Left out {n} pictures framer made itself ({folders}): they are not framed again.",
                    len(left_out),
                ).format(n=len(left_out), folders=folders),
                markup=False,
            )
        if not todo:
            raise click.UsageError(
                _("no photos found there (framer looks for JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC)")
            )
        nudge = Adjust(zoom=zoom, shift=shift, face=face_index - 1)
        if nudge != Adjust() and len(todo) > 1:
            raise click.UsageError(
                _("--zoom, --shift and --face apply to one photo; for several, use --adjust FILE.csv")
            )
        drop = adjust_path == NO_ADJUST
        asked = adjust_path if isinstance(adjust_path, Path) else None
        corrections = in_force(todo, inputs, asked, drop)
        todo = corrections.jobs
        if nudge != Adjust():  # said on the command line for this one photo: it wins
            todo = [replace(todo[0], adjust=nudge)]
            corrections.reviewed.add(str(todo[0].source))
        settings = batch.Settings(
            fmt=fmt,
            quality=quality,
            overwrite=overwrite,
            preview=preview,
            max_pixels=max_megapixels * 1_000_000,
        )
        # Everything that could stop the run is checked before the first photo is looked at.
        to_make = [f for f in (output_dir, output_file.parent if output_file else None) if f is not None]
        _check_side_files(todo, frame, asked, report_path, review_path, preview, to_make)
        for folder in to_make:  # made only once nothing else stands in the way
            batch.make_folder(folder)
        corrections.keep()  # the corrections in force, kept with each output folder
        for line in corrections.said:
            console.print(line, markup=False)

        campaign = frame.campaign.as_record() if frame.campaign else None
        report = Report(keep=review_path is not None, campaign=campaign)
        report.reviewed = corrections.reviewed
        interrupted, stopped = False, None
        with ExitStack() as stack:
            report.sink = stack.enter_context(ReportFile(report_path)) if report_path else None
            advance = stack.enter_context(progress(console, len(todo), enabled=not quiet))

            def done(record: Record) -> None:
                # One photo: all that concerns it (which face, a soft result...); a batch: only what
                # needs action at once, the rest is counted in the summary and listed in the report.
                # With -q, nothing but a failure.
                said = record.problems() if len(todo) == 1 else record.alerts()
                if quiet and record.status != ERROR:
                    said = []
                for line in said:
                    alerts.print(f"[bold]{escape(display(record.input))}[/]: {escape(line)}")
                advance()

            try:
                batch.run(todo, frame, size, settings, report, workers=min(jobs, len(todo)), on_done=done)
            except KeyboardInterrupt:
                interrupted = True
            except (CannotStart, FrameError):  # another run has the folder, its journal cannot be kept,
                raise  # or the workers could not prepare the frame: no photo was framed
            except FramerError as e:  # the batch had to stop (a full disk, a folder it may not write)
                stopped = e

    _print_summary(console, report, todo, output_dir, report_path, interrupted or stopped is not None)
    if stopped is not None:
        raise fail(stopped)
    if review_path and report.records is not None:
        from ..review.sheet import write_review

        with user_errors():
            write_review(report.records, review_path)
        console.print(_("Review page: {path}").format(path=display(review_path)), markup=False)
    sys.exit(int(ExitCode.INTERRUPTED if interrupted else report.exit_code))


NO_ADJUST = "none"  # --adjust none: drop the corrections kept with the output folder


def _adjust_file(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | str | None:
    """--adjust: an adjust file that exists, or `none`."""
    from .options import framer_type

    if value is None or value == NO_ADJUST:
        return value
    return framer_type(click.Path(exists=True, dir_okay=False, path_type=Path)).convert(value, param, ctx)


def _output_target(
    inputs: tuple[Path, ...], output: Path | None, fmt: str
) -> tuple[Path | None, Path | None, str]:
    """What -o names: (folder, file, format). For one photo, a name ending in .jpg, .png or .webp is the
    file to write, in the format it names; anything else is a folder."""
    from click.core import ParameterSource

    from ..batch.plan import OUTPUT_SUFFIXES
    from ..files import PHOTO_SUFFIXES

    if output is None or output.is_dir():
        return output, None, fmt
    named = OUTPUT_SUFFIXES.get(output.suffix.lower())
    if named is None and output.suffix.lower() in PHOTO_SUFFIXES:  # a picture framer reads, not writes
        raise click.BadParameter(
            _(
                "{path}: framer writes .jpg, .png or .webp pictures: give a name ending in one of those, "
                "or a folder"
            ).format(path=display(output)),
            param_hint="'-o'",
        )
    if named is None:
        if output.exists():
            raise click.BadParameter(
                _(
                    "{path} is a file: give a folder, or for one photo a name ending in .jpg, .png or .webp"
                ).format(path=display(output)),
                param_hint="'-o'",
            )
        return output, None, fmt
    if len(inputs) != 1 or inputs[0].is_dir():
        raise click.BadParameter(
            _("{path} names one file, but several photos are to be framed: give a folder").format(
                path=display(output)
            ),
            param_hint="'-o'",
        )
    given = click.get_current_context().get_parameter_source("fmt") is ParameterSource.COMMANDLINE
    if given and fmt != named:
        raise click.BadParameter(
            _("--format {fmt} does not match the name {path}").format(fmt=fmt, path=display(output)),
            param_hint="'--format'",
        )
    return None, output, named


def _check_side_files(
    todo: list[batch.Job],
    frame: Frame,
    adjust_path: Path | None,
    report_path: Path | None,
    review_path: Path | None,
    preview: bool,
    made: list[Path],
) -> None:
    """Refuse a --report or --review that would replace what framer must not touch (WriteRefused): an
    input, the adjust file, the frame, an output of this run or framer's journal, a link or a device, a
    picture; or each other."""
    if report_path is None and review_path is None:
        return
    from ..batch.plan import preview_path
    from ..batch.report import looks_like_report
    from ..files import JOURNAL_NAME, LOCK_NAME, check_target
    from ..review.sheet import looks_like_review

    protected: dict[str, str] = {}
    for job in todo:
        protected[os.path.realpath(job.output)] = _("an output of this run")
        if preview:
            protected[os.path.realpath(preview_path(job.output))] = _("an output of this run")
    for root in {job.root for job in todo if job.root is not None}:
        for name in (JOURNAL_NAME, LOCK_NAME):
            protected[os.path.realpath(root / name)] = _("framer's journal of the output folder")
    for job in todo:
        protected[os.path.realpath(job.source)] = _("an input photo")
    protected.update(frame.protected())
    if adjust_path is not None:
        protected[os.path.realpath(adjust_path)] = _("the adjust file")
    if report_path is not None:
        check_target(report_path, protected, ours=looks_like_report, made=made)
        protected[os.path.realpath(report_path)] = _("the report (--report)")
    if review_path is not None:
        check_target(review_path, protected, ours=looks_like_review, made=made)


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

    from ..batch.report import UP_TO_DATE

    if interrupted:
        console.print(
            _("Stopped: {done} of {total} photos were handled before the stop.").format(
                done=report.total, total=len(todo)
            )
        )
    table = Table(title=report.headline(), title_justify="left", show_header=False, box=None, padding=(0, 2))
    actions = report.actions()
    for label, n in [(label, n) for label, n in actions if n] or actions[:1]:  # "framed 0" when nothing is
        table.add_row(label, str(n))
    console.print(table)
    to_check = report.to_check()
    if to_check:
        table = Table(title=_("To check:"), title_justify="left", show_header=False, box=None, padding=(0, 2))
        for label, n in to_check:
            table.add_row(label, str(n))
        console.print(table)
    if len(todo) == 1:
        said = ""
        if report.warnings["reframed"]:
            said = _("Wrote {path}, in place of the one framed before with other settings")
        elif report.framed:
            said = _("Wrote {path}")
        elif report.warnings[UP_TO_DATE]:
            said = _("{path} is already framed with these settings: nothing to do")
        if said:
            console.print(said.format(path=display(todo[0].output)), markup=False)
    elif report.framed:
        folders = [output_dir] if output_dir else sorted({j.output.parent for j in todo})
        console.print(
            _("Framed copies are in {folder}").format(folder=", ".join(map(display, folders))), markup=False
        )
    if len(todo) > 1 and report.done and not interrupted:  # the state of the folder, not of this run
        console.print(
            _("All {n} photos are framed and none is left to check.").format(n=report.total), markup=False
        )
    if report_path:
        console.print(_("Report: {path}").format(path=display(report_path)), markup=False)


@cli.command()
@lang_option
@argument("report_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="REPORT")
@option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("review.html"),
    show_default=True,
    help="The page to write.",
)
@option(
    "--serve",
    is_flag=True,
    help="Serve the review page live instead, where each photo can be fixed (drag, zoom, pick the face) "
    "and framed again.",
)
@option(
    "--adjust",
    "adjust_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.csv",
    help="With --serve: the adjust file the corrections go to (made if need be; its rows are kept). "
    "[default: framer-adjust.csv in the output folder]",
)
@option(
    "--host",
    metavar="ADDRESS",
    default="127.0.0.1",
    show_default=True,
    help="With --serve: the address to listen on; any other than 127.0.0.1 needs the printed key.",
)
@option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="With --serve: the port."
)
@option("--no-browser", is_flag=True, help="With --serve: do not open the page in this computer's browser.")
@option(
    "--frame",
    "frame_name",
    metavar="NAME|PATH",
    help="With --serve: the frame the batch was framed with.  [default: found from the output folder]",
)
@option(
    "--window",
    "window_box",
    callback=lambda ctx, param, value: parse_box(value),
    metavar="X,Y,W,H",
    help="With --serve: the --window the batch was framed with.",
)
@option(
    "--size",
    type=click.IntRange(64, 8192),
    metavar="PX",
    help="With --serve: the --size the batch was framed with.  [default: found from the output folder]",
)
@option(
    "--quality",
    type=click.IntRange(1, 100),
    help="With --serve: the --quality the batch was framed with.  [default: found from the output folder]",
)
def review(
    report_path: Path,
    output: Path,
    serve: bool,
    adjust_path: Path | None,
    host: str,
    port: int,
    no_browser: bool,
    frame_name: str | None,
    window_box: Box | None,
    size: int | None,
    quality: int | None,
) -> None:
    """Write a review page for a run: thumbnails of every output, the ones to check first.

    REPORT is the file written by `framer apply --report` (JSON Lines or CSV). The page is a
    single HTML file that works offline; open it in any browser. With --serve the page is live:
    fix a photo in the browser and framer frames it again, as framer apply --adjust would.

    \b
    Example:
      framer apply photos/ -o framed/ --report report.jsonl
      framer review report.jsonl -o review.html
      framer review report.jsonl --serve
    """
    from click.core import ParameterSource

    context = click.get_current_context()
    if serve:
        if context.get_parameter_source("output") is ParameterSource.COMMANDLINE:
            raise click.UsageError(_("-o writes the page to a file; --serve serves it: give one of them"))
        from .serve import serve_review

        serve_review(report_path, adjust_path, host, port, no_browser, frame_name, window_box, size, quality)
        return
    for name in ("adjust_path", "host", "port", "no_browser", "frame_name", "window_box", "size", "quality"):
        if context.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            flag = next(p.opts[-1] for p in context.command.params if p.name == name)
            raise click.UsageError(_("{option} goes with --serve").format(option=flag))
    from ..batch.report import read_records
    from ..review.sheet import write_review

    try:
        records = read_records(report_path)
    except (ValueError, OSError) as e:
        raise unusable_report(report_path, e) from None
    from ..files import check_target
    from ..review.sheet import looks_like_review

    # The report's paths are relative to where its run was: here, or beside the report. Both are kept
    # from harm.
    protected = {os.path.realpath(report_path): _("the report")}
    for base in (Path.cwd(), report_path.parent):
        for record in records:
            if record.output:
                protected[os.path.realpath(base / record.output)] = _("an output of this run")
            protected[os.path.realpath(base / record.input)] = _("an input photo")
    with user_errors():
        check_target(output, protected, ours=looks_like_review)
        write_review(records, output)
    click.echo(
        ngettext("Review page: {path} ({n} photo)", "Review page: {path} ({n} photos)", len(records)).format(
            path=display(output), n=len(records)
        ),
        err=True,
    )


for command in (campaign, remind, frames, serve, publish):
    cli.add_command(command)


def _chosen(console: Console, name: str | None, on_date: datetime | None) -> Frame:
    """The frame named by --frame, else the default one (framer.frames.choice), said on `console`."""
    from ..frames.choice import choose

    choice = choose(name, user_frames(), on_date.date() if on_date else None)
    for line in choice.said():
        console.print(line, markup=False, emoji=False)
    return choice.frame


def _check_campaign(console: Console, frame: Frame, on_date: date | None, ignore_window: bool) -> None:
    """Say where today stands in the frame's campaign; refuse after its end unless told to go on (naming
    the frames whose campaign is running or to come, before --ignore-window)."""
    if frame.campaign is None:
        return
    status = frame.campaign.status(on_date or frame.campaign.today())
    if status.phase is Phase.AFTER:
        if not ignore_window:
            from ..frames.choice import elsewhere

            instead = elsewhere(frame, user_frames(), on_date)
            raise CampaignClosed(status.message(frame.title, ignore_window=True, instead=instead))
        console.print(status.framing_anyway(frame.title), markup=False, emoji=False)
    else:
        console.print(status.message(frame.title), markup=False, emoji=False)
        if status.phase.value in frame.messages:  # words from frame.toml: never Rich markup
            console.print(frame.messages[status.phase.value], markup=False, emoji=False)


RATE_AFTER_PHOTOS, RATE_AFTER_SECONDS = 5, 2.0  # when the progress bar's rate starts to mean something


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
            # a rate over the first few photos (or milliseconds) means nothing yet: none is shown
            done, speed = bar.tasks[0], bar.tasks[0].speed
            settled = done.completed >= RATE_AFTER_PHOTOS and (done.elapsed or 0) >= RATE_AFTER_SECONDS
            shown = _("{rate} photos/s").format(rate=number(speed, 1)) if speed and settled else ""
            bar.update(task, rate=shown)

        yield advance
