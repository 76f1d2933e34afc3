"""The worker processes that handle every pixel for the page, behind a bounded queue.

The event loop never decodes, resizes or encodes a photo: it hands the bytes to a pool of processes
(one per core, started as framer.processes starts the batch's, each with its detector and frames built
once: framer.web.jobs) and awaits the answer, so one slow 12 MP photo never holds up the others'
requests. At most `queue` jobs are admitted, running or waiting; past that a request is answered 503
busy at once, rather than piling up memory and waiting time without end.

A photo that kills its worker outright (a crash in a native decoder) breaks the whole pool: the pool is
replaced at once, never left broken, and each job that was in it is tried once more in the new one (the
photos that were merely beside the culprit are then framed); a photo that breaks the pool a second
time is answered "crashed".
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ..errors import FrameError, PhotoError
from ..frames.model import Frame
from ..processes import context
from . import jobs
from .errors import busy

T = TypeVar("T")

# Jobs admitted per worker, running or waiting. A queue holds a couple of seconds of work at most (a 12 MP
# photo takes a worker about 0.2 s): past that, "busy, try again in a moment" is the better answer. At 8
# a room of 16 people uploading at once on a 2-core machine are all framed.
QUEUE_PER_WORKER = 8


class WorkerPool:
    """`workers` processes framing photos for the offered `frames`; at most `queue` jobs admitted."""

    def __init__(self, frames: list[Frame], workers: int, queue: int) -> None:
        self.frames, self.workers, self.queue = frames, workers, queue
        self.admitted = 0  # jobs running or waiting (only the event loop's thread touches it)
        self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers, mp_context=context(), initializer=jobs.start, initargs=(self.frames, os.getpid())
        )

    async def start(self) -> None:
        """Start every worker and wait until each has built its detector and frames, so the first photo
        is not kept waiting for them."""
        await asyncio.gather(*(self.run(jobs.ready) for _ in range(self.workers)))

    async def run(self, job: Callable[..., T], *args: object) -> T:
        """`job(*args)` in a worker (Refused busy when the queue is full; PhotoError "crashed" when it
        breaks the pool twice)."""
        if self.admitted >= self.queue:
            raise busy()
        self.admitted += 1
        try:
            for _attempt in range(2):
                executor = self._executor
                try:
                    return await asyncio.wrap_future(executor.submit(job, *args))
                except BrokenProcessPool:
                    self._replace(executor)
            raise PhotoError("crashed")
        finally:
            self.admitted -= 1

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool in place of `broken` (once, however many of its jobs report it)."""
        if self._executor is broken:
            self._executor = self._new()
            broken.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the workers once the jobs they are on are done; the waiting ones are dropped."""
        self._executor.shutdown(wait=True, cancel_futures=True)


async def start_or_stop(pool: WorkerPool, state: Any) -> bool:
    """Start `pool` for an app whose `state` (Starlette's app.state) this is. A frame its workers cannot
    prepare (FrameError) is kept as `state.startup_error` for the command that runs the server to say
    in one line, and the server is asked to stop (`state.stop_server`, set by that command) rather than
    show a traceback; without a server to stop (a test client), the error is raised. True: started."""
    try:
        await pool.start()
    except FrameError as e:
        pool.shutdown()
        state.startup_error = e
        stop = getattr(state, "stop_server", None)
        if stop is None:
            raise
        stop()
        return False
    return True
