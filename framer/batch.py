"""Many photos: find them, decide each output's name, frame them one by one, record every outcome.

Output names (the product's contract):
  - with an output folder, `OUTDIR/<path relative to the folder given>/<stem>.<format>`; a file given
    directly lands at the top of OUTDIR;
  - without one, a file given directly is written beside it as `<stem>-framed.<format>`, and a folder
    `photos/` is mirrored into `photos-framed/` beside it.
Inputs are never written, and an existing output is never replaced unless `overwrite` is set.
"""

from __future__ import annotations

import errno
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .compose import PreparedFrame
from .errors import FramerError, OutputError, PhotoError
from .images import PHOTO_SUFFIXES, encode, load_photo, write_atomic
from .pipeline import Adjust, Detector, frame_photo
from .report import ERROR, NO_FACE, OK, SKIPPED, Record, Report

# Write failures that will hit every later photo too: stop the batch rather than fail 2,000 times.
FATAL_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


@dataclass(frozen=True)
class Job:
    source: Path
    output: Path
    renamed: bool = False  # the output name keeps the source's extension to avoid a clash


@dataclass(frozen=True)
class Settings:
    fmt: str = "jpg"
    quality: int = 92
    overwrite: bool = False
    adjust: Adjust = field(default_factory=Adjust)


def plan(inputs: Iterable[Path], output_dir: Path | None, fmt: str) -> list[Job]:
    """One job per photo found under `inputs`, in a stable order, each with its output path."""
    jobs: list[Job] = []
    for given in inputs:
        if given.is_dir():
            root = output_dir if output_dir is not None else given.with_name(given.name + "-framed")
            skip = [root, output_dir] if output_dir is not None else [root]
            for source in walk(given, skip=skip):
                rel = source.relative_to(given)
                jobs.append(Job(source, root / rel.parent / f"{source.stem}.{fmt}"))
        elif output_dir is not None:
            jobs.append(Job(given, output_dir / f"{given.stem}.{fmt}"))
        else:
            jobs.append(Job(given, given.with_name(f"{given.stem}-framed.{fmt}")))
    return _resolve_clashes(_unique(jobs), fmt)


def walk(folder: Path, skip: list[Path]) -> Iterator[Path]:
    """Photos under `folder`, sorted, not following symlinked folders (no loops), skipping hidden
    entries and the output folders (so outputs are never taken as inputs)."""
    skip_real = {os.path.realpath(p) for p in skip}
    for dirpath, dirnames, filenames in os.walk(folder):
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
    frame: PreparedFrame,
    detector: Detector,
    settings: Settings,
    report: Report,
    on_done: Callable[[Record], None] = lambda record: None,
) -> None:
    """Frame every job in turn; each outcome goes to `report`, then to `on_done` (for progress)."""
    inputs = {os.path.realpath(job.source) for job in jobs}
    for job in jobs:
        record = process(job, frame, detector, settings, inputs)
        report.add(record)
        on_done(record)


def process(
    job: Job, frame: PreparedFrame, detector: Detector, settings: Settings, inputs: set[str]
) -> Record:
    """Frame one photo and write its output; any problem with this photo becomes its record."""
    record = Record(input=str(job.source), output=str(job.output), status=ERROR)
    if job.renamed:
        record.warnings.append("renamed")
    if os.path.realpath(job.output) in inputs:
        record.error = "its output would replace an input photo: choose another output folder (-o)"
        return record
    if job.output.exists() and not settings.overwrite:
        record.status = SKIPPED
        return record
    try:
        framed = frame_photo(load_photo(job.source), detector, frame, settings.adjust)
        data = encode(framed.image, settings.fmt, settings.quality)
        write_atomic(job.output, data, overwrite=settings.overwrite)
    except OSError as e:
        if e.errno in FATAL_WRITE_ERRORS:
            raise OutputError(f"cannot write {job.output}: {e.strerror}; stopped") from None
        record.error = f"cannot write the output: {e.strerror or e}"
        return record
    except (PhotoError, OutputError) as e:
        record.error = str(e)
        return record
    except FramerError:
        raise
    except Exception as e:  # a bug must not cost the other 1,999 photos: record it and go on
        record.error = f"unexpected error ({type(e).__name__}: {e}); please report it"
        return record
    record.status = OK if framed.found_face else NO_FACE
    record.faces = framed.faces
    record.face = framed.face.rounded() if framed.face else None
    record.crop = framed.placement.crop.rounded()
    record.warnings += framed.warnings
    return record
