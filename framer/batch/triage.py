"""Whether a photo needs framing, decided without opening it: who the files in the places of its output
and preview belong to (the output folder's journal says), and which of them framing may replace."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from ..reasons import Warn, os_reason
from .journal import Entry, Journal, fingerprint, job_key
from .names import inside
from .record import (
    ERROR,
    NOT_OURS,
    OTHER_PHOTO,
    OVERWRITTEN,
    PREVIEW_KEPT,
    REFRAMED,
    SKIPPED,
    UP_TO_DATE,
    Record,
)
from .tasks import Job, Settings, Task, Write, preview_path

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
    warnings = [Warn.RENAMED] if job.renamed else []
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
    if journal is not None and not _in_output_folder(job.output.parent, journal.real):
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
def _in_output_folder(folder: Path, root_real: str) -> bool:
    """Whether `folder` (or, when it does not exist yet, its nearest existing parent) really lies in the
    output folder: a symbolic link planted in it must not lead outputs elsewhere."""
    while not os.path.lexists(folder) and folder.parent != folder:
        folder = folder.parent
    return inside(folder, root_real)
