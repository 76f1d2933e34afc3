"""framer apply's work, with no command line: the photos planned, the corrections in force, the side files
checked, the batch framed and its report kept. framer.cli.apply reads the options, says what happens and
prints the summary; nothing here prints."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.geometry import Adjust
from ..errors import CannotStart, ExitCode, FrameError, FramerError
from ..files import JOURNAL_NAME, LOCK_NAME, check_target
from ..frames.model import Frame
from ..i18n import _
from .adjust import in_force
from .plan import make_folder, plan, run
from .record import Record
from .report import Report
from .report_file import ReportFile, looks_like_report
from .tasks import Settings, preview_path


@dataclass(frozen=True)
class Asked:
    """What framer apply is asked to do, its options read."""

    inputs: tuple[Path, ...]  # photos, and folders searched recursively
    output_dir: Path | None  # -o FOLDER
    output_file: Path | None  # -o NAME.jpg: the one photo's output
    settings: Settings
    size: int | None  # --size; None: the frame's
    nudge: Adjust  # --zoom, --shift and --face: one photo only
    adjust_path: Path | None  # --adjust FILE.csv
    drop_adjust: bool  # --adjust none
    report_path: Path | None
    review_path: Path | None
    jobs: int  # photos framed in parallel, at most


@dataclass(frozen=True)
class Outcome:
    """How the batch ended: its report, and whether it was cut short."""

    report: Report
    interrupted: bool  # stopped with Ctrl-C
    stopped: FramerError | None  # the batch had to stop (a full disk, a folder it may not write)

    @property
    def cut_short(self) -> bool:
        return self.interrupted or self.stopped is not None

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.INTERRUPTED if self.interrupted else self.report.exit_code


class Run:
    """One run of framer apply with a settled frame (Frame.settled): its photos planned when it is made,
    then made ready to start (`prepare`), then framed (`frame_all`)."""

    def __init__(self, asked: Asked, frame: Frame) -> None:
        self.asked, self.frame = asked, frame
        self.left_out: list[Path] = []  # pictures framer made itself, found among the inputs: not framed
        fmt, preview = asked.settings.fmt, asked.settings.preview
        self.todo = plan(
            asked.inputs,
            asked.output_dir,
            fmt,
            preview,
            output_file=asked.output_file,
            left_out=self.left_out,
        )
        self.reviewed: set[str] = set()  # the photos a person corrected or marked as checked

    def prepare(self, review_page: Callable[[bytes], bool]) -> list[str]:
        """Put the corrections in force (--zoom, --shift and --face win for the one photo), check that
        nothing stands in the way, then make the output folders and keep the corrections with them. What
        to tell the person about the corrections. `review_page` tells a review page framer wrote from its
        first bytes (framer.review.sheet.looks_like_review: the review layer is above this one)."""
        asked = self.asked
        corrections = in_force(self.todo, asked.inputs, asked.adjust_path, asked.drop_adjust)
        self.todo = corrections.jobs
        if asked.nudge != Adjust():  # said on the command line for this one photo: it wins
            self.todo = [replace(self.todo[0], adjust=asked.nudge)]
            corrections.reviewed.add(str(self.todo[0].source))
        self.reviewed = corrections.reviewed
        # Everything that could stop the run is checked before the first photo is looked at.
        output_file = asked.output_file
        to_make = [
            f for f in (asked.output_dir, output_file.parent if output_file else None) if f is not None
        ]
        self.check_side_files(to_make, review_page)
        for folder in to_make:  # made only once nothing else stands in the way
            make_folder(folder)
        corrections.keep()  # the corrections in force, kept with each output folder
        return corrections.said

    def check_side_files(self, made: list[Path], review_page: Callable[[bytes], bool]) -> None:
        """Refuse a --report or --review that would replace what framer must not touch (WriteRefused): an
        input, the adjust file, the frame, an output of this run or framer's journal, a link or a device, a
        picture; or each other."""
        report_path, review_path = self.asked.report_path, self.asked.review_path
        if report_path is None and review_path is None:
            return
        protected: dict[str, str] = {}
        for job in self.todo:
            protected[os.path.realpath(job.output)] = _("an output of this run")
            if self.asked.settings.preview:
                protected[os.path.realpath(preview_path(job.output))] = _("an output of this run")
        for root in {job.root for job in self.todo if job.root is not None}:
            for name in (JOURNAL_NAME, LOCK_NAME):
                protected[os.path.realpath(root / name)] = _("framer's journal of the output folder")
        for job in self.todo:
            protected[os.path.realpath(job.source)] = _("an input photo")
        protected.update(self.frame.protected())
        if self.asked.adjust_path is not None:
            protected[os.path.realpath(self.asked.adjust_path)] = _("the adjust file")
        if report_path is not None:
            check_target(report_path, protected, ours=looks_like_report, made=made)
            protected[os.path.realpath(report_path)] = _("the report (--report)")
        if review_path is not None:
            check_target(review_path, protected, ours=review_page, made=made)

    def frame_all(self, on_done: Callable[[Record], None]) -> Outcome:
        """Frame the photos, each outcome to the report (and its file, --report), then to `on_done`. A
        failure before any photo is framed goes up (CannotStart: another run has the folder, its journal
        cannot be kept; FrameError: the workers could not prepare the frame); Ctrl-C, or another
        FramerError that stops the batch, ends it with the photos done so far reported."""
        asked = self.asked
        campaign = self.frame.campaign.as_record() if self.frame.campaign else None
        report = Report(keep=asked.review_path is not None, campaign=campaign)
        report.reviewed = self.reviewed
        interrupted, stopped = False, None
        with ExitStack() as stack:
            report.sink = stack.enter_context(ReportFile(asked.report_path)) if asked.report_path else None
            workers = min(asked.jobs, len(self.todo))
            try:
                run(
                    self.todo,
                    self.frame,
                    asked.size,
                    asked.settings,
                    report,
                    workers=workers,
                    on_done=on_done,
                )
            except KeyboardInterrupt:
                interrupted = True
            except (CannotStart, FrameError):  # no photo was framed
                raise
            except FramerError as e:  # the batch had to stop (a full disk, a folder it may not write)
                stopped = e
        return Outcome(report, interrupted, stopped)

    def output_folders(self) -> list[Path]:
        """Where the framed copies are: -o's folder, else each photo's own."""
        return (
            [self.asked.output_dir] if self.asked.output_dir else sorted({j.output.parent for j in self.todo})
        )
