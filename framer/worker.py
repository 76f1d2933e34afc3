"""A worker: frames one photo at a time with a detector and a prepared frame built once.

This is the only place the batch touches pixels; the process that plans the batch and writes the
report never imports OpenCV or NumPy.
"""

from __future__ import annotations

import errno
import signal
from functools import partial

import cv2

from .batch import Task, preview_path
from .compose import PreparedFrame, avatar_preview
from .detect import FaceDetector
from .errors import FramerError, OutputError, PhotoError
from .files import write_atomic
from .frames import Frame
from .i18n import _
from .images import encode
from .journal import Journal, append
from .pipeline import frame_file
from .report import ERROR, NO_FACE, OK, Record

# Write failures that will hit every later photo too: stop the batch rather than fail 2,000 times.
FATAL_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


class Worker:
    """Frames photos with one detector and one prepared frame, built once."""

    def __init__(self, frame: Frame, side: int | None) -> None:
        image = frame.open_image()
        self.frame = PreparedFrame.for_output(image, frame.window_in(image), side or frame.output_size)
        self.detector = FaceDetector()

    def __call__(self, task: Task) -> Record:
        """Frame one photo and write its output; any problem with this photo becomes its record."""
        job = task.job
        record = Record(input=str(job.source), output=str(job.output), status=ERROR)
        if job.renamed:
            record.warnings.append("renamed")
        try:
            framed = frame_file(job.source, self.detector, self.frame, job.adjust, task.settings.max_pixels)
            data = encode(framed.image, task.settings.fmt, task.settings.quality)
            note = None
            if task.journal is not None:
                line = Journal.line_for(task.journal.parent, job.output, task.key)
                note = partial(append, task.journal, line)
            write_atomic(job.output, data, overwrite=task.replace, before_rename=note)
            if task.settings.preview:
                avatar = encode(avatar_preview(framed.image), "png")
                write_atomic(preview_path(job.output), avatar, overwrite=True)
        except OSError as e:
            if e.errno in FATAL_WRITE_ERRORS:
                raise OutputError(
                    _("cannot write {path}: {reason}. Stopped; the photos framed so far are kept").format(
                        path=job.output, reason=e.strerror
                    )
                ) from None
            record.error = _("cannot write the output: {reason}").format(reason=e.strerror or e)
            return record
        except (PhotoError, OutputError) as e:
            record.error = str(e)
            return record
        except FramerError:
            raise
        except Exception as e:  # a bug must not cost the other 1,999 photos: record it and go on
            record.error = _("unexpected error ({detail}); please report it").format(
                detail=f"{type(e).__name__}: {e}"
            )
            return record
        record.status = OK if framed.found_face else NO_FACE
        record.faces = framed.faces
        record.face = framed.face.rounded() if framed.face else None
        record.crop = framed.placement.crop.rounded()
        record.warnings += framed.warnings
        return record


_worker: Worker | None = None


def start(frame: Frame, side: int | None) -> None:
    """In each worker process: one OpenCV thread (the processes are the parallelism), Ctrl-C left to
    the parent, and the detector and frame built once."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    cv2.setNumThreads(1)
    _worker = Worker(frame, side)


def work(task: Task) -> Record:
    assert _worker is not None, "worker not started"
    return _worker(task)
