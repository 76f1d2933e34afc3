"""A worker: frames one photo at a time with a detector and a prepared frame built once.

This is the only place the batch touches pixels; the process that plans the batch and writes the
report never imports OpenCV or NumPy.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import asdict

from ..core.compose import avatar_preview
from ..core.detect import shared_detector
from ..core.images import encode
from ..core.pipeline import frame_file, within_memory
from ..errors import FrameError, FramerError, OutputError, PhotoError
from ..files import write_atomic
from ..frames.model import Frame
from ..frames.prepared import prepared_frame
from ..reasons import Warn, os_reason
from .journal import Entry, append, file_identity, retraction
from .record import ERROR, NO_FACE, OK, Record
from .tasks import Task, Write

OUTCOME = (
    "status",
    "faces",
    "face",
    "crop",
    "warnings",
    "face_number",
    "invented",
    "face_boxes",
)  # what the journal keeps of a photo's record

# Write failures that will hit every later photo too: stop the batch rather than fail 2,000 times.
FATAL_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


class Worker:
    """Frames photos with this process's detector and a frame prepared once."""

    def __init__(self, frame: Frame, side: int | None) -> None:
        self.frame = prepared_frame(frame, side)  # FrameError: the frame's fault, never a photo's
        self.detector = shared_detector()

    def __call__(self, task: Task) -> Record:
        """Frame one photo and write its output; any problem with this photo becomes its record."""
        job = task.job
        record = Record(input=str(job.source), output=None, status=ERROR, warnings=list(task.warnings))
        try:
            with within_memory():
                framed = frame_file(
                    job.source, self.detector, self.frame, job.adjust, task.settings.max_pixels
                )
            record.status = OK if framed.found_face else NO_FACE
            record.faces = framed.faces
            record.face = framed.face.rounded() if framed.face else None
            record.face_number = framed.face_number
            record.invented = framed.invented
            record.face_boxes = [box.rounded() for box in framed.boxes] or None
            record.crop = framed.placement.crop.rounded()
            record.warnings += framed.warnings
            _write(task, task.output, encode(framed.image, task.settings.fmt, task.settings.quality), record)
            record.output = str(job.output)
            if task.preview is not None:
                _write(task, task.preview, encode(avatar_preview(framed.image), "png"), record)
        except OSError as e:
            if e.errno in FATAL_WRITE_ERRORS:
                raise OutputError("write_stopped", path=str(job.output), reason=os_reason(e)) from None
            return _failed(record, "write_failed", {"reason": os_reason(e)})
        except (PhotoError, OutputError) as e:
            return _failed(record, e.code, e.details)
        except FramerError:
            raise
        except Exception as e:  # a bug must not cost the other 1,999 photos: record it and go on
            return _failed(record, "unexpected", {"detail": f"{type(e).__name__}: {e}"})
        return record


def _failed(record: Record, code: str, details: dict[str, object] | None = None) -> Record:
    """`record` as an error: nothing is known of the photo beyond the warnings made before framing, and
    it has an output only if that was written before the error (its preview failed)."""
    return Record(
        record.input,
        record.output,
        ERROR,
        warnings=[w for w in record.warnings if w == Warn.RENAMED],
        error=code,
        details=details or None,
    )


def _write(task: Task, write: Write, data: bytes, record: Record) -> None:
    """Write one file of a photo; in an output folder, its journal line goes to disk just before the
    file takes its name, holding the file's identity, so the line is trusted only if the file is there;
    and if the file could not take its name after all, the line is taken back."""
    if task.journal is None:
        write_atomic(write.path, data, overwrite=write.replace)
        return
    journal = task.journal
    name = write.path.relative_to(journal.parent).as_posix()
    digest = hashlib.sha256(data).hexdigest()
    noted = []

    def note(st: os.stat_result) -> None:
        entry = Entry(
            output=name,
            source=os.path.realpath(task.job.source),
            input=list(task.input),
            key=task.key,
            file=file_identity(st),
            sha256=digest,
            outcome={k: v for k, v in asdict(record).items() if k in OUTCOME},
        )
        append(journal, entry.line())
        noted.append(True)

    try:
        write_atomic(write.path, data, overwrite=write.replace, before_place=note)
    except BaseException:
        if noted:
            append(journal, retraction(name, digest))
        raise


_worker: Worker | None = None
_cannot: FrameError | None = None  # why this worker has no frame: every photo it is given gets it


def start(frame: Frame, side: int | None) -> None:
    """In each worker process (see framer.processes): the detector and frame built once. A frame that
    cannot be prepared does not kill the worker (the pool would blame the photos): each photo given
    to it raises the frame's error, which stops the batch with that one line."""
    global _worker, _cannot
    try:
        _worker = Worker(frame, side)
    except FrameError as e:
        _cannot = FrameError(str(e))  # plain: its message is all that crosses back to the parent


def work(task: Task) -> Record:
    if _cannot is not None:
        raise _cannot
    assert _worker is not None, "worker not started"
    return _worker(task)
