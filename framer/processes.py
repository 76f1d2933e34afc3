"""Worker processes (the batch's and the web page's): started clean, and never outliving their parent.

They are spawned, not forked: a fork after OpenCV started its threads can hang, and a fork server
would be one more process to outlive a `kill -9` of the run. Each worker watches its parent and ends
itself when the parent is gone, however it went (a kill -9 or a power cut of the parent leaves no
orphan holding staging folders or CPU).

Each worker also has a hard ceiling on its memory (`limit_memory`): framer refuses, from its header, a
picture that would cost more than its budget to decode (framer.core.images.decode_cost), and the ceiling is
there for what that estimate misses, so that one picture can at worst fail itself, never the host.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from multiprocessing.context import BaseContext

PARENT_CHECK_SECONDS = 0.5
# How far above the decoding budget a worker's address space may grow: what the estimate leaves out
# (libheif's decoding threads, each with its stack and malloc arena; libwebp's canvases, reserved for the
# whole picture when it is opened, before its cost is known; the face detector and the encoder at work).
HEADROOM = 512 * 1024 * 1024


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


def limit_memory(budget: int) -> None:
    """In a worker process, once it is started: a hard ceiling on its memory, its address space now (the
    libraries and models loaded) plus `budget` and HEADROOM (RLIMIT_AS). Past it an allocation fails: a
    MemoryError, which framer turns into that photo's failure ("out_of_memory").

    RLIMIT_AS counts address space, not resident memory: a worker reserves ~550 MB it never touches
    (thread stacks, malloc arenas, mapped libraries), more with more cores, so the ceiling is measured
    from where this worker stands rather than fixed. Linux only (macOS does not enforce RLIMIT_AS,
    Windows has none); a lower limit the user set is kept."""
    if sys.platform != "linux":
        return
    import resource

    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        ceiling = min(c for c in (vm_size() + budget + HEADROOM, soft, hard) if c != resource.RLIM_INFINITY)
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    except (OSError, ValueError):  # no /proc, or a limit that cannot be set: no ceiling
        pass


def memory_left() -> float:
    """How much more address space this process may take under its ceiling, in bytes (inf: no ceiling)."""
    if sys.platform != "linux":
        return float("inf")
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    try:
        return float("inf") if soft == resource.RLIM_INFINITY else soft - vm_size()
    except OSError:
        return float("inf")


def vm_size() -> int:
    """This process's address space, in bytes (Linux; OSError elsewhere)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise OSError("no VmSize in /proc/self/status")
