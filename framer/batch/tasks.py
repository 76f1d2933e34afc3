"""What the planner hands a worker: a photo's Job, the run's Settings, and the Task of framing it.

Both the planner (framer.batch.plan) and the worker (framer.batch.worker) import this module, and it
imports neither: no pixels here, so the process that plans the batch never imports OpenCV or NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.geometry import Adjust


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
