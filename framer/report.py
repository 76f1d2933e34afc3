"""What happened to each photo: a Record per input; the Report counts them and decides the exit code."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TextIO

from .errors import ExitCode

OK, NO_FACE, SKIPPED, ERROR = "ok", "no_face", "skipped", "error"

# How each warning code reads to a person. Codes stay as they are in the report.
WARNING_TEXT = {
    "no_face": "no face found: framed from the top centre of the photo, please check it",
    "several_faces": "several faces: the largest one was framed",
    "low_resolution": "small photo: the face was enlarged a lot and may look soft",
    "edges_filled": "the photo was too tight around the face: its edges were extended with a soft blur",
    "renamed": "another input has the same name: the output name keeps the original extension",
}

NEEDS_A_LOOK = ("no_face", "several_faces", "low_resolution", "renamed")


@dataclass
class Record:
    """One line of the JSON Lines report. Boxes are [x, y, w, h] in the upright input's pixels."""

    input: str
    output: str | None
    status: str
    faces: int = 0
    face: list[int] | None = None
    crop: list[int] | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def problems(self) -> list[str]:
        """What a person should look at in this photo, in words ('edges filled' is only in the report)."""
        if self.error:
            return [self.error]
        return [WARNING_TEXT[w] for w in self.warnings if w in NEEDS_A_LOOK]


class Report:
    """Counts outcomes as records arrive, streams them to a JSON Lines sink, and owns the exit code."""

    def __init__(self, sink: TextIO | None = None) -> None:
        self.sink = sink
        self.statuses: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()

    def add(self, record: Record) -> None:
        self.statuses[record.status] += 1
        self.warnings.update(record.warnings)
        if self.sink is not None:
            self.sink.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
            self.sink.flush()  # a run that is cut short still leaves a report of what it did

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def framed(self) -> int:
        return self.statuses[OK] + self.statuses[NO_FACE]

    @property
    def exit_code(self) -> ExitCode:
        if self.statuses[ERROR] or self.statuses[NO_FACE]:
            return ExitCode.SOME_FAILED
        return ExitCode.OK

    def summary(self) -> list[str]:
        """The closing lines: how many framed, and what needs a look."""
        lines = [f"Framed {self.framed} of {self.total} photo{'s' if self.total != 1 else ''}."]
        notes = [
            ("framed without a face found (please check)", self.statuses[NO_FACE]),
            ("several faces (the largest was framed)", self.warnings["several_faces"]),
            ("low resolution (may look soft)", self.warnings["low_resolution"]),
            ("skipped, output already there (--overwrite redoes it)", self.statuses[SKIPPED]),
            ("failed", self.statuses[ERROR]),
        ]
        lines += [f"  {label}: {n}" for label, n in notes if n]
        return lines
