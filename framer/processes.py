"""Worker processes (the batch's and the web page's): started clean, and never outliving their parent.

They are spawned, not forked: a fork after OpenCV started its threads can hang, and a fork server
would be one more process to outlive a `kill -9` of the run. Each worker watches its parent and ends
itself when the parent is gone, however it went (a kill -9 or a power cut of the parent leaves no
orphan holding staging folders or CPU).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.context import BaseContext

PARENT_CHECK_SECONDS = 0.5


def context() -> BaseContext:
    """The way worker processes are started: spawn (never fork)."""
    return multiprocessing.get_context("spawn")


def become_worker(parent: int) -> None:
    """In a worker process, first: Ctrl-C is the parent's to handle, OpenCV uses one thread (the
    processes are the parallelism), and the process ends when `parent` (the parent's pid) is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import cv2

    cv2.setNumThreads(1)
    threading.Thread(target=_watch, args=(parent,), name="watch-parent", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)  # the parent is gone: nobody will read this worker's results
