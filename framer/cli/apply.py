"""`framer apply`: frame photos, files or folders searched recursively. The command reads the options,
says what happens and prints the summary; the run itself is framer.batch.run's."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.geometry import ZOOM_RANGE, Adjust, Box
from ..errors import CampaignClosed
from ..frames.campaign import verdict
from ..frames.model import Frame
from ..i18n import _, display, ngettext, number
from ..reasons import Warn
from .options import (
    chosen,
    date_option,
    fail,
    file_option,
    frame_option,
    ignore_window_option,
    lang_option,
    parse_shift,
    quality_option,
    size_option,
    usable_cores,
    user_errors,
    user_frames,
    window_option,
)
from .words import TranslatedCommand, argument, framer_type, option

if TYPE_CHECKING:
    from rich.console import Console

    from ..batch.record import Record
    from ..batch.run import Outcome, Run


@click.command(cls=TranslatedCommand)
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
@frame_option(
    "A frame's name (see framer frames list), a frame PNG with a transparent window, "
    "or a frame folder (holding frame.toml).  [default: your default (framer frames use), else the "
    "frame whose campaign is running today, else dx-2023]"
)
@window_option()
@option(
    "--format",
    "fmt",
    type=click.Choice(["jpg", "png", "webp"]),
    default="jpg",
    show_default=True,
    help="Output file format.",
)
@size_option("Output size in pixels (the longer side).  [default: the frame's, 1080 for dx-2023]")
@quality_option("JPEG/WebP quality.", default=92)
@option(
    "--zoom",
    type=click.FloatRange(*ZOOM_RANGE),
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
@file_option(
    "--report",
    "report_path",
    help="Write a report, one row per photo: JSON Lines, or CSV if FILE ends in .csv.",
)
@date_option("Judge the campaign window as if today were this date.")
@ignore_window_option()
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
@file_option(
    "--review",
    "review_path",
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

    from ..batch.run import Asked, Run
    from ..batch.tasks import Settings

    # emoji=False: a name like "an:cat:.jpg" is shown as it is, never as a picture.
    console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True, emoji=False)
    with user_errors():
        on = on_date.date() if on_date else None
        frame = chosen(frame_name, on, lambda line: console.print(line, markup=False, emoji=False))
        _check_campaign(console, frame, on, ignore_window)
        # Open the frame and settle its window now, once, before any worker starts.
        frame = frame.settled(window_box)
        output_dir, output_file, fmt = _output_target(inputs, output_dir, fmt)
        max_pixels = max_megapixels * 1_000_000
        settings = Settings(
            fmt=fmt, quality=quality, overwrite=overwrite, preview=preview, max_pixels=max_pixels
        )
        asked = Asked(
            inputs,
            output_dir,
            output_file,
            settings,
            size,
            nudge=Adjust(zoom=zoom, shift=shift, face=face_index - 1),
            adjust_path=adjust_path if isinstance(adjust_path, Path) else None,
            drop_adjust=adjust_path == NO_ADJUST,
            report_path=report_path,
            review_path=review_path,
            jobs=jobs,
        )
        run = Run(asked, frame)
        _check_planned(console, run)
        for line in run.prepare(_is_review_page):
            console.print(line, markup=False)
        with progress(console, len(run.todo), enabled=not quiet) as advance:
            outcome = run.frame_all(_teller(run, quiet, advance))
    _print_summary(console, run, outcome)
    if outcome.stopped is not None:
        raise fail(outcome.stopped)
    if review_path and outcome.report.records is not None:
        _write_review(console, outcome.report.records, review_path)
    sys.exit(int(outcome.exit_code))


NO_ADJUST = "none"  # --adjust none: drop the corrections kept with the output folder


def _adjust_file(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | str | None:
    """--adjust: an adjust file that exists, or `none`."""
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


def _check_campaign(console: Console, frame: Frame, on: date | None, ignore_window: bool) -> None:
    """Say where today stands in the frame's campaign; refuse after its end unless told to go on (naming
    the frames whose campaign is running or to come, before --ignore-window)."""
    judged = verdict(frame, on, ignore_window)
    if judged.closed:
        from ..frames.choice import elsewhere

        raise CampaignClosed(judged.said(elsewhere(frame, user_frames(), on)))
    said = judged.said()
    if said is not None:
        console.print(said, markup=False, emoji=False)
    if judged.note and not judged.anyway:  # words from frame.toml: never Rich markup
        console.print(judged.note, markup=False, emoji=False)


def _check_planned(console: Console, run: Run) -> None:
    """Say which pictures were left out as framer's own; refuse a run with no photo, or --zoom, --shift
    and --face for several."""
    if run.left_out:
        folders = ", ".join(sorted({display(p.parent) for p in run.left_out}))
        console.print(
            ngettext(
                "Left out {n} picture framer made itself ({folders}): it is not framed again.",
                "Left out {n} pictures framer made itself ({folders}): they are not framed again.",
                len(run.left_out),
            ).format(n=len(run.left_out), folders=folders),
            markup=False,
        )
    if not run.todo:
        raise click.UsageError(
            _("no photos found there (framer looks for JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC)")
        )
    if run.asked.nudge != Adjust() and len(run.todo) > 1:
        raise click.UsageError(
            _("--zoom, --shift and --face apply to one photo; for several, use --adjust FILE.csv")
        )


def _is_review_page(head: bytes) -> bool:
    """framer.review.sheet.looks_like_review, loaded only when a --review page is in the way."""
    from ..review.sheet import looks_like_review

    return looks_like_review(head)


def _teller(run: Run, quiet: bool, advance: Callable[[], None]) -> Callable[[Record], None]:
    """What is said as each photo is done, on stderr (even with -q, a failure), and the progress bar."""
    from rich.console import Console
    from rich.markup import escape

    from ..batch.record import ERROR

    alerts = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # said even with -q

    def done(record: Record) -> None:
        # One photo: all that concerns it (which face, a soft result...); a batch: only what
        # needs action at once, the rest is counted in the summary and listed in the report.
        # With -q, nothing but a failure.
        said = record.problems() if len(run.todo) == 1 else record.alerts()
        if quiet and record.status != ERROR:
            said = []
        for line in said:
            alerts.print(f"[bold]{escape(display(record.input))}[/]: {escape(line)}")
        advance()

    return done


def _write_review(console: Console, records: list[Record], path: Path) -> None:
    """--review: the run's review page (framer review), written and said."""
    from ..review.sheet import write_review

    with user_errors():
        write_review(records, path)
    console.print(_("Review page: {path}").format(path=display(path)), markup=False)


def _print_summary(console: Console, run: Run, outcome: Outcome) -> None:
    """The closing table on stderr: what happened, by kind, and where the results are."""
    from rich.table import Table

    from ..batch.record import UP_TO_DATE

    report, todo, interrupted = outcome.report, run.todo, outcome.cut_short
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
        if report.warnings[Warn.REFRAMED]:
            said = _("Wrote {path}, in place of the one framed before with other settings")
        elif report.framed:
            said = _("Wrote {path}")
        elif report.warnings[UP_TO_DATE]:
            said = _("{path} is already framed with these settings: nothing to do")
        if said:
            console.print(said.format(path=display(todo[0].output)), markup=False)
    elif report.framed:
        folders = run.output_folders()
        console.print(
            _("Framed copies are in {folder}").format(folder=", ".join(map(display, folders))), markup=False
        )
    if len(todo) > 1 and report.done and not interrupted:  # the state of the folder, not of this run
        console.print(
            _("All {n} photos are framed and none is left to check.").format(n=report.total), markup=False
        )
    if run.asked.report_path:
        console.print(_("Report: {path}").format(path=display(run.asked.report_path)), markup=False)


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
