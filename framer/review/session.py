"""A framed batch, as its report names it, for `framer review --serve`: each photo, how the adjust file
names it, which of its files may be shown, and framing one of them again as `framer apply --adjust`
would (framer.batch.plan: the same claim rules, journal line, atomic write and folder lock).

The report does not hold the run's settings; the output folder's journal holds, for each output, a
digest of them (framer.batch.journal.job_key). The settings are found again by trying the frames framer knows
(or the one given) with the format, size, quality and preview of the outputs until the digests match,
so that a photo framed again here is up to date for the next `framer apply` with the same options.
"""

from __future__ import annotations

import os
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..batch.adjust import CHECKED, FOLDER_FILE, Sheet, cells_of, names_of
from ..batch.journal import entries_of, job_key, settings_digest
from ..batch.names import inside, nfc
from ..batch.plan import OUTPUT_SUFFIXES
from ..batch.record import Record
from ..batch.report_file import protected_paths, read_records
from ..batch.tasks import Job, Settings, preview_path
from ..core.geometry import Adjust, Box
from ..files import JOURNAL_NAME, check_target, open_regular
from ..frames.model import Frame
from ..frames.registry import DEFAULT_FRAME, all_frames, load_frame
from ..reasons import Warn

ADJUST_NAME = FOLDER_FILE  # the batch's adjust file, by default: its output folder's, as apply reads it
MAX_FOLDERS_UP = 64  # from an output's folder up to its output folder (the one with the journal)
SAMPLE = 40  # outputs whose journal digest is tried against each candidate setting
DEFAULT_QUALITY = 92


@dataclass
class Photo:
    """One row of the report, and what framer review may do with it."""

    id: int
    record: Record
    file: str  # how the adjust file names it (the path under the folder given, when that is unique)
    source: Path  # the original, as the report names it, from where the server runs
    output: Path | None
    root: Path | None  # its output folder: where the journal is
    given: Path  # the folder it was found in (or the one it is in, for a photo given by itself)
    names: set[str] = field(default_factory=set)  # every file cell that names it (adjust.names_of)
    adjust: Adjust = field(default_factory=Adjust)
    checked: bool = False
    keys: set[str] = field(default_factory=set)  # the journal's digests of its output

    @property
    def folder(self) -> str:
        return self.file.rpartition("/")[0]

    def safe_source(self) -> Path | None:
        """The original, when it really lies in its folder (a link leading elsewhere is never read)."""
        return self.source if inside(self.source, os.path.realpath(self.given)) else None

    def safe_output(self) -> Path | None:
        """The output, when it is a plain file inside its output folder (never through a link)."""
        if self.output is None or self.root is None or os.path.islink(self.output):
            return None
        return self.output if inside(self.output, os.path.realpath(self.root)) else None

    def job(self, adjust: Adjust) -> Job | None:
        """The batch's job for this photo, as framer.batch.plan made it, with `adjust`; None when it
        cannot be framed here (it had no output: its place is taken, or it failed before)."""
        if self.output is None or self.root is None or self.safe_source() is None:
            return None
        renamed = Warn.RENAMED in self.record.warnings
        return Job(self.source, self.output, self.root, renamed=renamed, adjust=adjust)


@dataclass
class Batch:
    report: Path
    adjust_path: Path
    photos: list[Photo]
    frame: Frame
    side: int | None
    settings: Settings
    known: bool  # the settings were found in the journal (else: the options given, or the defaults)

    def by_file(self, file: object) -> Photo | None:
        """The photo `file` names: exactly as /api/photos gives it, else (as an adjust file may name
        it) the one photo whose path, name or path under its folder it is. Only ever looked up."""
        if not isinstance(file, str):
            return None
        exact = next((p for p in self.photos if p.file == file), None)
        if exact is not None:
            return exact
        named = [p for p in self.photos if nfc(file.replace("\\", "/")) in p.names]
        return named[0] if len(named) == 1 else None

    def sheet(self) -> Sheet:
        return Sheet.read(self.adjust_path)

    def reload_sheet(self) -> None:
        """Each photo's adjustment and check mark, as the adjust file says now (AdjustError)."""
        sheet = self.sheet()
        for photo in self.photos:
            row = sheet.find(photo.names)
            if row is None:
                photo.adjust, photo.checked = Adjust(), False
                continue
            photo.adjust = sheet.put(photo.names, photo.file, {}).adjust
            photo.checked = bool(sheet.cell(photo.names, CHECKED))


@dataclass(frozen=True)
class Hints:
    """What the person said of the run (framer review's options); None: found from the journal."""

    frame: str | None = None
    window: Box | None = None
    size: int | None = None
    quality: int | None = None
    user_frames: Path | None = None


def load(report: Path, adjust_path: Path | None, hints: Hints) -> Batch:
    """The batch a report tells of (ValueError for a file that is not a report, AdjustError for an
    adjust file that cannot be used)."""
    records = read_records(report)
    _journals.clear()  # read afresh: another batch's folder may have had the same name
    base = _base(report, records)
    photos = [_photo(i, record, base) for i, record in enumerate(records)]
    _name_them(photos)
    roots = [p.root for p in photos if p.root is not None]
    if adjust_path is None:
        folder = roots[0] if roots else report.parent
        adjust_path = folder / ADJUST_NAME
    frame, side, settings, known = _settings(photos, hints)
    batch = Batch(report, adjust_path, photos, frame, side, settings, known)
    _check_adjust_path(batch)
    batch.reload_sheet()
    if not known:  # tried again with the adjustments as the file has them
        frame, side, settings, known = _settings(photos, hints)
        batch.frame, batch.side, batch.settings, batch.known = frame, side, settings, known
    return batch


def _check_adjust_path(batch: Batch) -> None:
    """Refuse an adjust file that is a photo, an output, the report or framer's own (WriteRefused)."""
    protected = protected_paths(batch.report, ((photo.source, photo.output) for photo in batch.photos))
    check_target(batch.adjust_path, protected, ours=lambda head: True)


def _base(report: Path, records: list[Record]) -> Path:
    """Where the report's relative paths start: here, or beside the report (as framer review says)."""
    for base in (Path("."), report.parent):
        if any(os.path.lexists(base / r.input) for r in records[:50]):
            return base
    return Path(".")


def _photo(i: int, record: Record, base: Path) -> Photo:
    source = base / record.input if not os.path.isabs(record.input) else Path(record.input)
    output = None
    if record.output:
        output = Path(record.output) if os.path.isabs(record.output) else base / record.output
    root = _root_of(output) if output is not None else None
    given = source.parent
    if output is not None and root is not None:
        rel = output.parent.relative_to(root).parts if output.parent.is_relative_to(root) else ()
        if rel and source.parent.parts[-len(rel) :] == rel:
            given = Path(*source.parent.parts[: -len(rel)]) if len(source.parent.parts) > len(rel) else Path()
    photo = Photo(i, record, record.input, source, output, root, given)
    if output is not None and root is not None:
        photo.keys = _keys(root, output)
    return photo


def _root_of(output: Path) -> Path | None:
    """The output folder an output lies in: the nearest folder above it that has a journal."""
    folder = output.parent
    for _i in range(MAX_FOLDERS_UP):
        if (folder / JOURNAL_NAME).is_file():
            return folder
        if folder.parent == folder or str(folder) in ("", "."):
            break
        folder = folder.parent
    return None


_journals: dict[str, dict[str, list]] = {}


def _keys(root: Path, output: Path) -> set[str]:
    """The digests the journal has of `output`."""
    if str(root) not in _journals:
        _journals[str(root)] = entries_of(root)
    entries = _journals[str(root)].get(output.relative_to(root).as_posix(), [])
    return {e.key for e in entries}


def _name_them(photos: list[Photo]) -> None:
    """Each photo's file: its path under the folder it was found in, when that names it alone, else the
    report's path (framer apply --adjust reads either)."""
    given = tuple(sorted({p.given for p in photos}, key=str))
    for photo in photos:
        photo.names = names_of(photo.source, given) | names_of(Path(photo.record.input), given)
    uses = Counter(n for p in photos for n in p.names)
    taken: set[str] = set()
    for photo in photos:
        rel = (
            photo.source.relative_to(photo.given).as_posix()
            if photo.source.is_relative_to(photo.given)
            else ""
        )
        for name in (rel, photo.record.input):
            if name and uses[nfc(name)] == 1 and name not in taken:
                photo.file = name
                break
        taken.add(photo.file)


# --- the run's settings, from the journal --------------------------------------------------------------


def _settings(photos: list[Photo], hints: Hints) -> tuple[Frame, int | None, Settings, bool]:
    """The frame, size and settings the outputs were made with, as their journal digests say; or,
    when none matches, those the hints (else framer apply's defaults) name, and False."""
    fmts = Counter(
        OUTPUT_SUFFIXES.get(p.output.suffix.lower(), "jpg") for p in photos if p.output is not None
    )
    fmt = fmts.most_common(1)[0][0] if fmts else "jpg"
    sample = [p for p in photos if p.keys][:SAMPLE]
    previews = any(p.output is not None and preview_path(p.output).exists() for p in sample)
    frames = _frames(hints)
    sides = [hints.size] if hints.size else [None, *_output_sides(sample)]
    qualities = [hints.quality] if hints.quality else [DEFAULT_QUALITY]
    default = Settings(fmt=fmt, quality=qualities[0], preview=previews)

    images = {id(f): f.digest() for f in frames}  # each frame's image read and hashed once

    def score(frame: Frame, side: int | None, s: Settings) -> int:
        d = settings_digest(frame, side, s, images[id(frame)])
        return sum(job_key(d, p.adjust) in p.keys for p in sample)

    if sample:
        for wide in (False, True):  # the likely settings first; every quality only if they fail
            quals = qualities if (not wide or hints.quality) else range(1, 101)
            best = max(
                (
                    (score(f, side, replace(default, quality=q, preview=pv)), f, side, q, pv)
                    for f in frames
                    for side in dict.fromkeys(sides)
                    for q in quals
                    for pv in dict.fromkeys([previews, not previews])
                ),
                key=lambda t: t[0],
            )
            if best[0]:
                _n, f, side, q, pv = best
                return f, side, replace(default, quality=q, preview=pv), True
    return frames[0], hints.size, default, False


def _frames(hints: Hints) -> list[Frame]:
    """The frames to try: the one given, else framer's default first, then every other it knows."""
    if hints.frame:
        return [load_frame(hints.frame, hints.user_frames).settled(hints.window)]
    found = []
    for frame in sorted(all_frames(hints.user_frames), key=lambda f: f.name != DEFAULT_FRAME):
        try:
            found.append(frame.settled(hints.window))
        except Exception:  # a broken frame of the user's: not the one this batch used
            continue
    if not found:
        found.append(load_frame(DEFAULT_FRAME).settled(hints.window))
    return found


def _output_sides(photos: list[Photo]) -> list[int]:
    """The longer side of a few outputs (a run with --size made them so)."""
    from PIL import Image

    sides = []
    for photo in photos[:3]:
        path = photo.safe_output()
        if path is None:
            continue
        try:
            with open_regular(path) as f, Image.open(f) as image:
                sides.append(max(image.size))
        except (OSError, ValueError):
            continue
    return sides


# --- framing one photo again (in a worker process) -----------------------------------------------------


def reframe(job: Job, frame: Frame, side: int | None, settings: Settings) -> Record:
    """Frame `job` as framer apply does (framer.batch.plan.run: lock, journal, claim rules, atomic write),
    with this worker process's detector (framer.core.detect.shared_detector; FolderBusy when a run has
    the folder)."""
    from ..batch.plan import run
    from ..batch.report import Report
    from ..batch.worker import Worker

    report = Report(keep=True)
    run([job], frame, side, settings, report, workers=1, work=Worker(frame, side))
    assert report.records is not None
    return report.records[0]


def save_fix(batch: Batch, photo: Photo, adjust: Adjust, record: Record) -> None:
    """Record `adjust` as the photo's row in the batch's adjust file (kept, with the person's other
    rows and columns), once the photo was framed with it; marked as checked (a person looked at it)."""
    sheet = batch.sheet()
    sheet.put(photo.names, photo.file, cells_of(adjust) | {CHECKED: "x"})
    sheet.write()
    photo.adjust, photo.checked = adjust, True


def mark_checked(batch: Batch, photo: Photo, checked: bool) -> None:
    sheet = batch.sheet()
    sheet.put(photo.names, photo.file, {CHECKED: "x" if checked else ""})
    sheet.write()
    photo.checked = checked


def rewrite_report(batch: Batch) -> None:
    """The report, with the rows of the photos framed again here (in place, whole, in one step), so that
    the page opened again tomorrow shows what is on disk. A report that cannot be written is left as it
    was: the pictures and the adjust file are what count. (A CSV report is worded in the language in
    use: see report_language.)"""
    from ..batch.report_file import ReportFile

    with suppress(OSError), ReportFile(batch.report) as out:
        for photo in batch.photos:
            out.write(photo.record)


def report_language(batch: Batch) -> str | None:
    """The language a CSV report's header is in (that of its run), None for JSON Lines or unknown."""
    from ..i18n import LANGUAGES, translation

    if batch.report.suffix.lower() != ".csv":
        return None
    try:
        with open_regular(batch.report) as f:
            head = f.read(200).decode("utf-8-sig", "replace").partition(",")[0]
    except OSError:
        return None
    return next((lang for lang in LANGUAGES if translation(lang).gettext("input") == head), None)
