"""An officer's corrections for a few photos of a batch, from a CSV file.

    file,zoom,dx,dy,face
    phong-ke-toan/an.jpg,1.15,,0.05,
    binh.png,,,,2

`file` is the photo's path relative to the folder given (or as the report shows it, or just its name
when that is unique). `zoom` enlarges the face, `dx`/`dy` move it right/down by fractions of the window,
`face` picks another face (1 = the largest). Blank cells keep the default.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AdjustError
from .files import display, open_regular
from .geometry import Adjust
from .i18n import _, ngettext
from .report import sheet_text

if TYPE_CHECKING:
    from .batch import Job

COLUMNS = ("file", "zoom", "dx", "dy", "face")
LIMITS = {"zoom": (0.3, 3.0), "dx": (-1.0, 1.0), "dy": (-1.0, 1.0)}


@dataclass(frozen=True)
class Row:
    line: int
    file: str
    adjust: Adjust


def read_adjustments(path: Path) -> list[Row]:
    """The rows of an adjust CSV; a bad header or value names the file, the line and the column."""
    try:
        with io.TextIOWrapper(open_regular(path), encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise AdjustError(
                    ngettext(
                        "{path}: the header lacks the column {columns}",
                        "{path}: the header lacks the columns {columns}",
                        len(missing),
                    ).format(path=path, columns=", ".join(missing))
                )
            rows = (_cells(cells) for cells in reader)
            return [_row(path, n, cells) for n, cells in enumerate(rows, start=2) if cells["file"]]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise AdjustError(_("{path}: cannot read it ({error})").format(path=path, error=e)) from None


def _cells(cells: dict[str, str | None]) -> dict[str, str]:
    """A row's cells, trimmed, with the quote the report puts before a name like =x.jpg taken off (see
    sheet_text): names are pasted here from the CSV report."""
    return {c: sheet_text((cells.get(c) or "").strip()) for c in COLUMNS}


def _row(path: Path, line: int, cells: dict[str, str]) -> Row:
    def number(column: str, default: float) -> float:
        text = cells[column]
        if not text:
            return default
        try:
            value = float(text.replace(",", "."))  # 1,15 as a Vietnamese spreadsheet writes it
        except ValueError:
            raise AdjustError(
                _("{path}, line {line}: {column} must be a number, got {value}").format(
                    path=path, line=line, column=column, value=repr(text)
                )
            ) from None
        low, high = LIMITS.get(column, (1, 100))
        if not low <= value <= high:
            raise AdjustError(
                _("{path}, line {line}: {column} must be between {low} and {high}, got {value}").format(
                    path=path, line=line, column=column, low=f"{low:g}", high=f"{high:g}", value=text
                )
            )
        return value

    face = number("face", 1)
    if face != int(face):
        raise AdjustError(
            _("{path}, line {line}: face must be a whole number (1 = the largest face)").format(
                path=path, line=line
            )
        )
    adjust = Adjust(
        zoom=number("zoom", 1.0), shift=(number("dx", 0.0), number("dy", 0.0)), face=int(face) - 1
    )
    return Row(line, cells["file"].replace("\\", "/"), adjust)


def apply_adjustments(jobs: list[Job], rows: list[Row], given: tuple[Path, ...]) -> list[Job]:
    """`jobs` with each row's adjustment on the one photo it names; a row naming none (or several) is an
    error, so that a typo never silently leaves a photo uncorrected."""
    by_job: dict[int, Adjust] = {}
    for row in rows:
        matches = [i for i, job in enumerate(jobs) if _names(row.file, job, given)]
        if not matches:
            raise AdjustError(
                _("adjust file, line {line}: no photo in this run matches {file}").format(
                    line=row.line, file=repr(row.file)
                )
            )
        if len(matches) > 1:
            names = ", ".join(str(jobs[i].source) for i in matches[:3])
            raise AdjustError(
                _(
                    "adjust file, line {line}: {file} matches several photos ({names}); "
                    "give its path relative to the folder"
                ).format(line=row.line, file=repr(row.file), names=names)
            )
        by_job[matches[0]] = row.adjust
    return [replace(job, adjust=by_job[i]) if i in by_job else job for i, job in enumerate(jobs)]


def _names(file: str, job: Job, given: tuple[Path, ...]) -> bool:
    """Whether `file` names the job's photo: by its path, its name, or its path under a folder given,
    each also as the report shows a name that is not UTF-8 (\\xNN)."""
    names = [job.source.as_posix(), job.source.name]
    names += [
        job.source.relative_to(folder).as_posix()
        for folder in given
        if folder.is_dir() and job.source.is_relative_to(folder)
    ]
    return file in names or file in map(display, names)
