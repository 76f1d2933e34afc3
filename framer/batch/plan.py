"""Many photos: find them, decide each output's name, frame them one by one, record every outcome.

Output names (the product's contract):
  - with an output folder, `OUTDIR/<path relative to the folder given>/<stem>.<format>`; a file given
    directly lands at the top of OUTDIR;
  - without one, a file given directly is written beside it as `<stem>-framed.<format>`, and a folder
    `photos/` is mirrored into `photos-framed/` beside it.
Inputs are never written, and an existing output is never replaced unless `overwrite` is set.

Whether each photo needs framing is decided in framer.batch.triage; the framing itself, in this process
or in worker processes, in framer.batch.pool.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from ..errors import CannotStart, WriteRefused
from ..files import PHOTO_SUFFIXES, remove_stale_staging, remove_stale_temporaries, system_temp
from ..frames.model import Frame
from ..i18n import _, display
from ..reasons import os_reason
from .journal import JOURNAL_NAME, LOCK_NAME, Journal, folder_lock, settings_digest, written_here
from .names import folded
from .pool import frame_all
from .record import Record
from .report import Report
from .tasks import Job, Settings, Task, preview_path
from .triage import triage

OUTPUT_SUFFIXES = {".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".webp": "webp"}


def plan(
    inputs: Iterable[Path],
    output_dir: Path | None,
    fmt: str,
    preview: bool = False,
    *,
    output_file: Path | None = None,
    left_out: list[Path] | None = None,
) -> list[Job]:
    """One job per photo found under `inputs`, in a stable order, each with its own output path.

    `output_file` names the one output of a single photo (-o me.jpg). Files that framer itself wrote
    (its journal in their folder or above lists them: an output folder inside the photos, a photo framed
    beside itself) are not photos to frame: they go to `left_out`. Raises CannotStart for an input that
    has no folder beside it to write into (`/` without -o).
    """
    jobs: list[Job] = []
    ours = FramersOwn()
    left_out = left_out if left_out is not None else []
    for given in inputs:
        if given.name in ("", ".", ".."):  # `.`, `..`, `/`: name the folder by its real name
            given = Path(os.path.abspath(given))
            if given.name == "" and output_dir is None:
                raise CannotStart(
                    _(
                        "{folder} has no folder beside it to write into: choose an output folder with -o"
                    ).format(folder=display(given))
                )
        if given.is_dir() and os.path.dirname(real := os.path.realpath(given)) == real:
            raise CannotStart(
                _("{folder} is a whole disk: give the folder that holds the photos").format(
                    folder=display(given)
                )
            )
        if given.is_dir():
            root = output_dir if output_dir is not None else given.with_name(given.name + "-framed")
            skip = [root, output_dir] if output_dir is not None else [root]
            unreadable: list[OSError] = []
            for source in walk(given, skip=skip, errors=unreadable):
                if ours.wrote(source):
                    left_out.append(source)
                    continue
                rel = source.relative_to(given)
                jobs.append(Job(source, root / rel.parent / f"{source.stem}.{fmt}", root))
            for e in unreadable:  # reported, not silently skipped: the photos in it were not framed
                folder = Path(e.filename or given)
                problem: tuple[str, dict[str, object]] = ("folder_unreadable", {"reason": os_reason(e)})
                jobs.append(Job(folder, root, root, problem=problem))
        elif ours.wrote(given):
            left_out.append(given)
        elif output_file is not None:
            jobs.append(Job(given, output_file, output_file.parent))
        elif output_dir is not None:
            jobs.append(Job(given, output_dir / f"{given.stem}.{fmt}", output_dir))
        else:  # beside the photo, with the journal there: a second try with other settings redoes it
            jobs.append(Job(given, given.with_name(f"{given.stem}-framed.{fmt}"), given.parent))
    return distinct_outputs(_unique(jobs), fmt, preview)


class FramersOwn:
    """Which files framer wrote itself, from the journals of their folders and the folders above: a
    framed copy is never taken for a photo to frame (it would get a second frame)."""

    def __init__(self) -> None:
        self._listed: dict[Path, set[str]] = {}

    def wrote(self, path: Path) -> bool:
        real = Path(os.path.realpath(path))
        return any(str(real) in self._in(folder) for folder in real.parents)

    def _in(self, folder: Path) -> set[str]:
        if folder not in self._listed:
            self._listed[folder] = {str(folder / name) for name in written_here(folder)}
        return self._listed[folder]


def walk(folder: Path, skip: list[Path], errors: list[OSError] | None = None) -> Iterator[Path]:
    """Regular files with a photo's extension under `folder`, sorted, not following symlinked folders (no
    loops), skipping hidden entries, the output folders (so outputs are never taken as inputs), and
    anything that is not a regular file (a pipe named x.jpg would block whoever opens it). Folders that
    cannot be opened are added to `errors`."""
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
            path = Path(dirpath) / name
            if not name.startswith(".") and path.suffix.lower() in PHOTO_SUFFIXES and path.is_file():
                yield path


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


def distinct_outputs(jobs: list[Job], fmt: str, preview: bool = False) -> list[Job]:
    """Give inputs that would write the same file (an.jpg and an.png, an.jpg and an.JPG, a/an.jpg and
    b/an.jpg given together, an.png's preview and an.avatar176.jpg) distinct names, the same on every run
    whatever order they were given in.

    Each keeps its extension: an.jpg.jpg, an.png.jpg; those still alike get a number in the order of
    their real paths (however they were typed): an-2.jpg.jpg. Names are compared as a case-insensitive
    file system would; a photo's preview (NAME.avatar176.png) and framer's own files (its journal and
    lock) count as names taken.
    """

    def names(output: Path) -> list[str]:
        return [folded(p) for p in ([output, preview_path(output)] if preview else [output])]

    roots = {job.root for job in jobs if job.root is not None}
    framers = {folded(root / name) for root in roots for name in (JOURNAL_NAME, LOCK_NAME)}
    uses = Counter(n for job in jobs if job.problem is None for n in names(job.output))
    clashing = [
        i
        for i, job in enumerate(jobs)
        if job.problem is None and any(uses[n] > 1 or n in framers for n in names(job.output))
    ]
    taken = framers | {n for i, job in enumerate(jobs) if i not in set(clashing) for n in names(job.output)}
    for i in sorted(clashing, key=lambda i: os.fsencode(os.path.realpath(jobs[i].source))):
        job = jobs[i]
        stem = job.output.name.removesuffix(f".{fmt}")
        ext = job.source.suffix.lstrip(".").lower() or "file"
        candidates = (f"{stem}{f'-{n}' if n > 1 else ''}.{ext}.{fmt}" for n in itertools.count(1))
        output = next(o for o in map(job.output.with_name, candidates) if taken.isdisjoint(names(o)))
        taken.update(names(output))
        jobs[i] = replace(job, output=output, renamed=True)
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

    `work` frames one photo in a worker process (default: the Worker that process built at start); with
    one worker, in this process (default: a Worker built for this run; framer review --serve keeps one).

    Each output folder is locked for the run (a second run into it stops at once: FolderBusy), its
    journal read and repaired, and what killed runs left there removed, before any photo is looked at.
    Photos whose output is up to date are skipped without being opened. On Ctrl-C the photos being
    framed are finished, the rest are not started, and KeyboardInterrupt goes up to the caller.
    """
    inputs = {os.path.realpath(job.source) for job in jobs}
    digest = settings_digest(frame, side, settings)
    roots = sorted({job.root for job in jobs if job.root is not None}, key=str)
    with ExitStack() as stack:
        for root in roots:
            make_folder(root)
            stack.enter_context(folder_lock(root))
        journals = {root: Journal(root) for root in roots}
        folders = sorted({job.output.parent for job in jobs}, key=str)
        for root in roots:
            remove_stale_temporaries(root)
        for folder in folders:  # staging folders made beside outputs (across a bind mount)
            remove_stale_staging(folder)
        stack.callback(_remove_workers_staging, [*roots, *folders])

        def done(record: Record) -> None:
            report.add(record)
            on_done(record)

        in_order = InOrder([str(job.source) for job in jobs], done)
        stack.callback(in_order.flush)  # a run cut short: what was done, still in order
        emit = in_order.add
        tasks = (triage(job, settings, inputs, journals, digest) for job in jobs)
        frame_all(tasks, workers, frame, side, emit, work)


class InOrder:
    """Pass records on in the order of the inputs, whatever order the workers finish them in: the
    report and the messages follow the list of photos, not the race between processes."""

    def __init__(self, inputs: list[str], then: Callable[[Record], None]) -> None:
        self.position = {name: i for i, name in enumerate(inputs)}
        self.then = then
        self.next = 0
        self.waiting: dict[int, Record] = {}

    def add(self, record: Record) -> None:
        self.waiting[self.position[record.input]] = record
        while self.next in self.waiting:
            self.then(self.waiting.pop(self.next))
            self.next += 1

    def flush(self) -> None:
        """Pass on what is still waiting, in order (the photos before it were never finished)."""
        for i in sorted(self.waiting):
            self.then(self.waiting.pop(i))


def make_folder(folder: Path) -> None:
    """Create an output folder (and its parents) before any work, or say in one line why it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        if isinstance(e, FileExistsError):
            reason: object = (
                _("it is a symbolic link that leads to no folder")
                if os.path.islink(folder)
                else _("it is a file, not a folder")
            )
        else:
            reason = e.strerror or e
        raise WriteRefused(
            _("cannot write into {folder}: {reason}").format(folder=display(folder), reason=reason)
        ) from None


def _remove_workers_staging(folders: list[Path]) -> None:
    """The workers are gone: remove the staging folders they made (empty unless one was killed)."""
    for host in dict.fromkeys([system_temp(), *folders]):
        remove_stale_staging(host)
