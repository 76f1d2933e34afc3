"""Many photos: find them, decide each output's name, frame them one by one, record every outcome.

Output names (the product's contract):
  - with an output folder, `OUTDIR/<path relative to the folder given>/<stem>.<format>`; a file given
    directly lands at the top of OUTDIR;
  - without one, a file given directly is written beside it as `<stem>-framed.<format>`, and a folder
    `photos/` is mirrored into `photos-framed/` beside it.
Inputs are never written, and an existing output is never replaced unless `overwrite` is set.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .files import PHOTO_SUFFIXES, remove_stale_temporaries
from .frames import Frame
from .geometry import Adjust
from .i18n import _
from .journal import Journal, job_key, settings_digest
from .report import ERROR, NOT_OURS, SKIPPED, UP_TO_DATE, Record, Report


@dataclass(frozen=True)
class Job:
    source: Path
    output: Path
    root: Path | None = None  # the output folder the journal lives in; None for a photo framed beside itself
    renamed: bool = False  # the output name keeps the source's extension to avoid a clash
    adjust: Adjust = field(default_factory=Adjust)
    problem: str | None = None  # known before framing: a folder that cannot be opened


@dataclass(frozen=True)
class Settings:
    fmt: str = "jpg"
    quality: int = 92
    overwrite: bool = False
    preview: bool = False  # also write NAME.avatar176.png: the output as a 176 px round avatar
    max_pixels: int = 100_000_000  # photos claiming more are refused before decoding (--max-megapixels)


def preview_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.avatar176.png")


@dataclass(frozen=True)
class Task:
    """What a worker needs to frame one photo (small, so it crosses to another process cheaply)."""

    job: Job
    settings: Settings
    replace: bool  # may replace an existing output
    journal: Path | None = None
    key: str = ""


def plan(inputs: Iterable[Path], output_dir: Path | None, fmt: str) -> list[Job]:
    """One job per photo found under `inputs`, in a stable order, each with its output path."""
    jobs: list[Job] = []
    for given in inputs:
        if given.is_dir():
            root = output_dir if output_dir is not None else given.with_name(given.name + "-framed")
            skip = [root, output_dir] if output_dir is not None else [root]
            unreadable: list[OSError] = []
            for source in walk(given, skip=skip, errors=unreadable):
                rel = source.relative_to(given)
                jobs.append(Job(source, root / rel.parent / f"{source.stem}.{fmt}", root))
            for e in unreadable:  # reported, not silently skipped: the photos in it were not framed
                folder = Path(e.filename or given)
                reason = _("cannot open this folder ({reason}); the photos in it were not framed")
                jobs.append(Job(folder, root, root, problem=reason.format(reason=e.strerror or e)))
        elif output_dir is not None:
            jobs.append(Job(given, output_dir / f"{given.stem}.{fmt}", output_dir))
        else:
            jobs.append(Job(given, given.with_name(f"{given.stem}-framed.{fmt}")))
    return _resolve_clashes(_unique(jobs), fmt)


def walk(folder: Path, skip: list[Path], errors: list[OSError] | None = None) -> Iterator[Path]:
    """Photos under `folder`, sorted, not following symlinked folders (no loops), skipping hidden
    entries and the output folders (so outputs are never taken as inputs). Folders that cannot be
    opened are added to `errors`."""
    skip_real = {os.path.realpath(p) for p in skip}
    for dirpath, dirnames, filenames in os.walk(
        folder, onerror=errors.append if errors is not None else None
    ):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and os.path.realpath(os.path.join(dirpath, d)) not in skip_real
        )
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in PHOTO_SUFFIXES:
                yield Path(dirpath) / name


def _unique(jobs: list[Job]) -> list[Job]:
    """Drop repeats of the same source (a file given twice, or also inside a folder given)."""
    seen: set[str] = set()
    out = []
    for job in jobs:
        key = os.path.realpath(job.source)
        if key not in seen:
            seen.add(key)
            out.append(job)
    return out


def _resolve_clashes(jobs: list[Job], fmt: str) -> list[Job]:
    """Inputs that would write the same output (a.jpg and a.png) each keep their extension: a.jpg.jpg."""
    by_output: dict[Path, list[int]] = defaultdict(list)
    for i, job in enumerate(jobs):
        by_output[job.output].append(i)
    for indices in by_output.values():
        if len(indices) > 1:
            for i in indices:
                job = jobs[i]
                suffix = job.source.suffix.lstrip(".").lower() or "file"
                name = job.output.name.removesuffix(f".{fmt}") + f".{suffix}.{fmt}"
                jobs[i] = replace(job, output=job.output.with_name(name), renamed=True)
    return jobs


def run(
    jobs: list[Job],
    frame: Frame,
    side: int | None,
    settings: Settings,
    report: Report,
    workers: int = 1,
    on_done: Callable[[Record], None] = lambda record: None,
    work: Callable[[Task], Record] | None = None,
) -> None:
    """Frame every job, in `workers` processes; each outcome goes to `report`, then to `on_done`.

    `work` frames one photo in a worker process (default: the Worker that process built at start).

    Photos whose output is up to date are skipped without being opened. On Ctrl-C the photos being
    framed are finished, the rest are not started, and KeyboardInterrupt goes up to the caller.
    """
    inputs = {os.path.realpath(job.source) for job in jobs}
    digest = settings_digest(  # --overwrite is not a setting of the picture; the rest all are
        __version__,
        frame.name,
        frame.digest(),
        frame.window,
        side,
        settings.fmt,
        settings.quality,
        settings.preview,
    )
    journals = {root: Journal(root) for root in {job.root for job in jobs if job.root is not None}}
    for journal in journals.values():
        remove_stale_temporaries(journal.root)

    def emit(record: Record) -> None:
        report.add(record)
        on_done(record)

    tasks = (triage(job, settings, inputs, journals, digest) for job in jobs)
    work = work or _work
    if workers <= 1:
        from .worker import Worker

        worker = Worker(frame, side)
        for item in tasks:
            emit(item if isinstance(item, Record) else worker(item))
        return

    _run_in_pool(tasks, workers, frame, side, emit, work)


def _pool(workers: int, frame: Frame, side: int | None) -> ProcessPoolExecutor:
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )  # never fork: a fork after OpenCV started its threads can hang
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(frame, side))


def _run_in_pool(
    tasks: Iterator[Record | Task],
    workers: int,
    frame: Frame,
    side: int | None,
    emit: Callable[[Record], None],
    work: Callable[[Task], Record],
) -> None:
    """Feed `tasks` to a pool through a short queue (memory stays flat for any batch size).

    If a photo kills its worker outright (a crash in a native decoder), the pool breaks: the photos
    that were in flight are each tried again alone, the one that crashes again gets an error record,
    and the batch goes on with a new pool.
    """
    while True:
        pool = _pool(workers, frame, side)
        pending: dict[Future[Record], Task] = {}
        held: Task | None = None  # taken from `tasks`, not yet in `pending`
        try:
            for item in tasks:
                if isinstance(item, Record):
                    emit(item)
                    continue
                held = item
                pending[pool.submit(work, item)] = item
                held = None
                if len(pending) >= 2 * workers:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        record = future.result()  # raises if the pool broke: the task stays pending
                        del pending[future]
                        emit(record)
            for future in as_completed(list(pending)):
                record = future.result()
                del pending[future]
                emit(record)
            return
        except BrokenProcessPool:
            suspects = _finished_or_suspect(pending, emit) + ([held] if held else [])
            pool.shutdown(wait=True, cancel_futures=True)
            for task in suspects:
                emit(_alone(task, frame, side, work))
        except BaseException:  # Ctrl-C, or a stop such as a full disk: finish what is in hand, start nothing
            pool.shutdown(wait=True, cancel_futures=True)
            _finished_or_suspect(pending, emit)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _finished_or_suspect(pending: dict[Future[Record], Task], emit: Callable[[Record], None]) -> list[Task]:
    """Report the in-flight photos that did finish; return the others."""
    suspects = []
    for future, task in pending.items():
        if future.done() and not future.cancelled() and future.exception() is None:
            emit(future.result())
        else:
            suspects.append(task)
    return suspects


def _alone(task: Task, frame: Frame, side: int | None, work: Callable[[Task], Record]) -> Record:
    """Frame one photo in a pool of its own, to tell the photo that crashed a worker from its neighbours."""
    with _pool(1, frame, side) as pool:
        try:
            return pool.submit(work, task).result()
        except BrokenProcessPool:
            job = task.job
            return Record(
                input=str(job.source),
                output=str(job.output),
                status=ERROR,
                error=_("this photo crashed the image decoder: the file is probably damaged"),
            )


def triage(
    job: Job, settings: Settings, inputs: set[str], journals: dict[Path, Journal], digest: str
) -> Record | Task:
    """Decide, without opening the photo, whether it needs framing: a Task, or already its Record."""
    if job.problem is not None:
        return Record(input=str(job.source), output=None, status=ERROR, error=job.problem)
    record = Record(input=str(job.source), output=str(job.output), status=ERROR)
    if job.renamed:
        record.warnings.append("renamed")
    if os.path.realpath(job.output) in inputs:
        record.error = _("its output would replace an input photo: choose another output folder (-o)")
        return record
    journal = journals.get(job.root) if job.root is not None else None
    try:
        key = job_key(digest, job.source, job.adjust)
    except OSError as e:
        record.error = _("cannot read the file ({reason})").format(reason=e.strerror)
        return record
    replace = settings.overwrite
    if job.output.exists() and not settings.overwrite:
        if journal is not None and journal.is_done(job.output, key):
            record.status = SKIPPED
            record.warnings.append(UP_TO_DATE)
            return record
        if journal is None or not journal.made(job.output):
            record.status = SKIPPED
            record.warnings.append(NOT_OURS)
            return record
        replace = True  # framer made it in an earlier run, from another input or settings: redo it
    return Task(job, settings, replace, journal.path if journal else None, key)


def _start_worker(frame: Frame, side: int | None) -> None:
    """Start a worker process. The pixel work (OpenCV, NumPy) is imported only there, never in the
    process that plans the batch and reports on it."""
    from .worker import start

    start(frame, side)


def _work(task: Task) -> Record:
    from .worker import work

    return work(task)
