"""Many photos: find them, decide each output's name, frame them one by one, record every outcome.

Output names (the product's contract):
  - with an output folder, `OUTDIR/<path relative to the folder given>/<stem>.<format>`; a file given
    directly lands at the top of OUTDIR;
  - without one, a file given directly is written beside it as `<stem>-framed.<format>`, and a folder
    `photos/` is mirrored into `photos-framed/` beside it.
Inputs are never written, and an existing output is never replaced unless `overwrite` is set.
"""

from __future__ import annotations

import itertools
import os
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from .. import __version__
from ..core.geometry import Adjust
from ..errors import CannotStart, WriteRefused
from ..files import PHOTO_SUFFIXES, remove_stale_staging, remove_stale_temporaries, system_temp
from ..frames.model import Frame
from ..i18n import _, display
from ..processes import context
from ..reasons import os_reason
from .journal import (
    JOURNAL_NAME,
    LOCK_NAME,
    Entry,
    Journal,
    fingerprint,
    folder_lock,
    job_key,
    settings_digest,
    written_here,
)
from .report import (
    ERROR,
    NOT_OURS,
    OTHER_PHOTO,
    OVERWRITTEN,
    PREVIEW_KEPT,
    REFRAMED,
    SKIPPED,
    UP_TO_DATE,
    Record,
    Report,
)


@dataclass(frozen=True)
class Job:
    source: Path
    output: Path
    root: Path | None = None  # the output folder the journal lives in; None for a photo framed beside itself
    renamed: bool = False  # another input would have had the same output name: this one is told apart
    adjust: Adjust = field(default_factory=Adjust)
    problem: tuple[str, dict[str, object]] | None = None  # known before: a folder that cannot be opened


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
class Write:
    """One file a worker writes for a photo, and whether it may replace what is there (framer's own)."""

    path: Path
    replace: bool


@dataclass(frozen=True)
class Task:
    """What a worker needs to frame one photo (small, so it crosses to another process cheaply)."""

    job: Job
    settings: Settings
    output: Write
    preview: Write | None = None  # None: no preview wanted, or a file framer must keep is in its place
    journal: Path | None = None
    key: str = ""  # the settings of this output (journal.job_key)
    input: tuple[int, ...] = ()  # the photo's fingerprint when the run began
    warnings: tuple[str, ...] = ()  # known before framing (e.g. renamed, preview kept)


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


def folded(path: Path) -> str:
    """A path as a case-insensitive file system (Windows, macOS) compares it: `an.JPG` is `an.jpg`, and
    `é` typed as one character or as `e` and an accent are one name."""
    return unicodedata.normalize("NFC", str(path)).casefold()


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
        if workers <= 1:
            from .worker import Worker

            worker = work or Worker(frame, side)
            for item in tasks:
                emit(item if isinstance(item, Record) else worker(item))
            return
        _run_in_pool(tasks, workers, frame, side, emit, work or _work)


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
    except FileExistsError:
        kind = (
            _("it is a symbolic link that leads to no folder")
            if os.path.islink(folder)
            else _("it is a file, not a folder")
        )
        raise WriteRefused(
            _("cannot write into {folder}: {reason}").format(folder=display(folder), reason=kind)
        ) from None
    except OSError as e:
        raise WriteRefused(
            _("cannot write into {folder}: {reason}").format(folder=display(folder), reason=e.strerror or e)
        ) from None


def _remove_workers_staging(folders: list[Path]) -> None:
    """The workers are gone: remove the staging folders they made (empty unless one was killed)."""
    for host in dict.fromkeys([system_temp(), *folders]):
        remove_stale_staging(host)


def _pool(workers: int, frame: Frame, side: int | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers, mp_context=context(), initializer=_start_worker, initargs=(frame, side, os.getpid())
    )


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
            return Record(input=str(job.source), output=None, status=ERROR, error="crashed")


FREE, OURS, OTHER, FOREIGN = "free", "ours", "other", "foreign"


def claim(path: Path, journal: Journal | None, source: str, fp: list[int]) -> tuple[str, Entry | None]:
    """Who `path` belongs to: nobody (FREE), framer from this photo (OURS), framer from another photo
    (OTHER), or someone else (FOREIGN: a file framer did not write, or one changed since, or a link).

    "This photo" is the same path, or the same file moved (a folder renamed keeps its files' inodes).
    """
    if not os.path.lexists(path):
        return FREE, None
    entry = journal.lookup(path) if journal is not None else None
    if entry is None:
        return FOREIGN, None
    moved = [entry.input[i] for i in (0, 1, 3)] == [fp[i] for i in (0, 1, 3)]  # size, mtime, inode
    return (OURS if entry.source == source or moved else OTHER), entry


def triage(
    job: Job, settings: Settings, inputs: set[str], journals: dict[Path, Journal], digest: str
) -> Record | Task:
    """Decide, without opening the photo, whether it needs framing: a Task, or already its Record.

    An existing file is replaced only when framer wrote it from this same photo (the journal says so and
    the file is still the one it wrote), or with --overwrite; never when it is an input.
    """
    if job.problem is not None:
        code, details = job.problem
        return Record(input=str(job.source), output=None, status=ERROR, error=code, details=details)
    warnings = ["renamed"] if job.renamed else []
    record = Record(input=str(job.source), output=None, status=ERROR, warnings=list(warnings))
    preview = preview_path(job.output) if settings.preview else None
    if any(os.path.realpath(p) in inputs for p in (job.output, preview) if p is not None):
        record.error = "would_replace_input"
        return record
    try:
        st = os.stat(job.source)
    except OSError as e:
        record.error, record.details = "cannot_read", {"reason": os_reason(e)}
        return record
    if not S_ISREG(st.st_mode):
        record.error = "not_regular"
        return record
    journal = journals.get(job.root) if job.root is not None else None
    if journal is not None and not _inside(job.output.parent, journal.real):
        record.error = "outside_output"
        return record

    key, fp, source = job_key(digest, job.adjust), fingerprint(st), os.path.realpath(job.source)
    whose, entry = claim(job.output, journal, source, fp)
    if not settings.overwrite and whose != FREE:
        record.status = SKIPPED
        if whose == FOREIGN:  # the file there is not this photo's output: the record names none
            record.warnings.append(NOT_OURS)
            record.details = {"path": str(job.output)}
            return record
        if whose == OTHER:
            assert entry is not None
            record.warnings.append(OTHER_PHOTO)
            record.details = {"path": str(job.output)}
            record.made_from = entry.source
            return record
        if _current(entry, key, fp) and (preview is None or _settled(preview, journal, source, key, fp)):
            assert entry is not None
            if preview is not None and claim(preview, journal, source, fp)[0] in (OTHER, FOREIGN):
                record.warnings.append(PREVIEW_KEPT)  # a file framer did not write is there now
            return _as_before(record, entry, job.output)
    if whose != FREE:  # said in the report: an earlier output of this photo, or with --overwrite another file
        warnings.append(REFRAMED if whose == OURS else OVERWRITTEN)
    output = Write(job.output, replace=settings.overwrite or whose == OURS)
    write_preview = None
    if preview is not None:
        whose_preview, _entry = claim(preview, journal, source, fp)
        if settings.overwrite or whose_preview in (FREE, OURS):
            write_preview = Write(preview, replace=settings.overwrite or whose_preview == OURS)
        else:
            warnings.append(PREVIEW_KEPT)
    return Task(
        job,
        settings,
        output,
        write_preview,
        journal.path if journal else None,
        key,
        tuple(fp),
        tuple(warnings),
    )


# Warnings about what a run did, not about the photo: an up-to-date photo's row does not carry them over.
THIS_RUN_ONLY = frozenset({REFRAMED, OVERWRITTEN, UP_TO_DATE, PREVIEW_KEPT, NOT_OURS, OTHER_PHOTO})


def _as_before(record: Record, entry: Entry, output: Path) -> Record:
    """An up-to-date photo's record: what the run that framed it found (faces, crop, warnings: a photo
    with no face found still needs a look), and that it was not framed again."""
    outcome = entry.outcome
    record.output = str(output)
    record.faces = outcome.get("faces", 0) if isinstance(outcome.get("faces"), int) else 0
    for box in ("face", "crop"):
        value = outcome.get(box)
        setattr(record, box, value if isinstance(value, list) else None)
    number = outcome.get("face_number")
    record.face_number = number if isinstance(number, int) else None
    invented = outcome.get("invented")
    record.invented = float(invented) if isinstance(invented, (int, float)) else None
    boxes = outcome.get("face_boxes")
    record.face_boxes = boxes if isinstance(boxes, list) else None
    earlier = [
        w
        for w in outcome.get("warnings", [])
        if isinstance(w, str) and w not in record.warnings and w not in THIS_RUN_ONLY
    ]
    record.warnings += [*earlier, UP_TO_DATE]
    return record


def _current(entry: Entry | None, key: str, fp: list[int]) -> bool:
    """Whether a file framer wrote was made with these settings from the photo as it is now."""
    return entry is not None and entry.key == key and entry.input == fp


def _settled(preview: Path, journal: Journal | None, source: str, key: str, fp: list[int]) -> bool:
    """The preview needs no new write: it is current, or a file framer must keep stands in its place."""
    whose, entry = claim(preview, journal, source, fp)
    return whose in (OTHER, FOREIGN) or (whose == OURS and _current(entry, key, fp))


@lru_cache(maxsize=4096)
def _inside(folder: Path, root_real: str) -> bool:
    """Whether `folder` (or, when it does not exist yet, its nearest existing parent) really lies in the
    output folder: a symbolic link planted in it must not lead outputs elsewhere."""
    while not os.path.lexists(folder) and folder.parent != folder:
        folder = folder.parent
    real = os.path.realpath(folder)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _start_worker(frame: Frame, side: int | None, parent: int) -> None:
    """Start a worker process (framer.processes), with a ceiling on its memory. The pixel work (OpenCV,
    NumPy) is imported only there, never in the process that plans the batch and reports on it."""
    from ..core.images import DECODE_BUDGET
    from ..processes import become_worker, limit_memory
    from .worker import start

    become_worker(parent)
    start(frame, side)
    limit_memory(DECODE_BUDGET)


def _work(task: Task) -> Record:
    from .worker import work

    return work(task)
