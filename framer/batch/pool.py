"""Where the tasks are framed: in this process for one worker, else in a pool of worker processes, each
started with its detector, its prepared frame and a ceiling on its memory.

The functions handed to the pool (_start_worker, _work) stay at module level: spawned worker processes
import them by their qualified names. Only they import the worker, and with it OpenCV and NumPy.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool

from ..frames.model import Frame
from ..processes import context
from .record import ERROR, Record
from .tasks import Task


def frame_all(
    tasks: Iterator[Record | Task],
    workers: int,
    frame: Frame,
    side: int | None,
    emit: Callable[[Record], None],
    work: Callable[[Task], Record] | None = None,
) -> None:
    """Frame each Task of `tasks` and emit its Record (a Record among them, known without framing, is
    emitted as it is). `work` frames one photo: by default, in a pool, the Worker each process built at
    start; with one worker, a Worker built here, in this process."""
    if workers <= 1:
        from .worker import Worker

        worker = work or Worker(frame, side)
        for item in tasks:
            emit(item if isinstance(item, Record) else worker(item))
        return
    _run_in_pool(tasks, workers, frame, side, emit, work or _work)


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
