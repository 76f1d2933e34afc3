"""An officer's corrections for a few photos of a batch, from a CSV file.

    file,zoom,dx,dy,face
    phong-ke-toan/an.jpg,1.15,,0.05,
    binh.png,,,,2

`file` is the photo's path relative to the folder given (or as the report shows it, or just its name
when that is unique). `zoom` enlarges the face, `dx`/`dy` move it right/down by fractions of the window,
`face` picks another face (1 = the largest). Blank cells, and columns left out, keep the default; only
`file` is needed, and one row per photo.

The file may be as Excel saves it in any language: UTF-8 (with or without a byte-order mark), UTF-16
("Unicode text", tab-separated) or Windows-1258 (Excel set to Vietnamese); cells separated by `,`, `;` or
a tab; numbers with a decimal comma (1,15); headers in any case (" Zoom "), in English or in Vietnamese
(tệp, thu phóng, khuôn mặt, đã kiểm tra: see ALIASES). Names are compared in NFC, so a name written
decomposed (by macOS or Excel) still matches its photo.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import difflib
import io
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.geometry import SHIFT_RANGE, ZOOM_RANGE, Adjust
from ..errors import AdjustError
from ..files import NotARegularFile, open_regular, write_atomic
from ..i18n import _, display, ngettext
from ..numbers import decimal
from ..reasons import worded_os
from .cells import sheet_cell, sheet_text
from .names import nfc

if TYPE_CHECKING:
    from .tasks import Job

COLUMNS = ("file", "zoom", "dx", "dy", "face")
# Byte-order marks, and the codec that reads (and drops) each.
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
LIMITS = {"zoom": ZOOM_RANGE, "dx": SHIFT_RANGE, "dy": SHIFT_RANGE}


@dataclass(frozen=True)
class Row:
    line: int
    file: str
    adjust: Adjust


def read_adjustments(path: Path) -> list[Row]:
    """The rows of an adjust CSV, as Excel saves it in any language (see _decode and _separator); a bad
    header or value names the file, the line and the column. Only the column `file` is required."""
    try:
        with open_regular(path) as f:
            text = _decode(path, f.read())
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
        header = [column_key(label) for label in next(reader, [])]  # Excel users type " Zoom "
        if "file" not in header:
            raise AdjustError(
                _("{path}, line 1: the header lacks the column file (the columns are {columns})").format(
                    path=path, columns=", ".join(COLUMNS)
                )
            )
        _check_spelling(path, header)
        rows, line = [], reader.line_num + 1
        for cells in reader:
            named = _cells(dict(zip(header, cells, strict=False)))
            if named["file"]:
                rows.append(_row(path, line, named))
            line = reader.line_num + 1  # where the next row starts, even after a cell that spans lines
        return rows
    except OSError as e:
        reason = worded_os(e) if not isinstance(e, NotARegularFile) else e.strerror
        raise AdjustError(_cannot_read(path, reason)) from None
    except csv.Error as e:
        raise AdjustError(_cannot_read(path, e)) from None


def _cannot_read(path: Path, reason: object) -> str:
    return _("{path}: cannot read it ({error})").format(path=display(path), error=reason)


def _check_spelling(path: Path, header: list[str]) -> None:
    """Refuse a column whose name is a misspelling of one framer reads ("zom"): its values would be
    silently ignored, and the photo left uncorrected. Other columns (a note for colleagues) are fine."""
    for label in header:
        if label in COLUMNS:
            continue
        close = difflib.get_close_matches(label, COLUMNS, n=1, cutoff=0.6)
        if close:
            raise AdjustError(
                _(
                    "{path}, line 1: the column {label!r} is not one framer reads: did you mean {column}?"
                ).format(path=path, label=label, column=close[0])
            )


def _decode(path: Path, raw: bytes) -> str:
    """The text of an adjust file, in NFC: UTF-8 or UTF-16 when a byte-order mark says so (Excel's "CSV
    UTF-8" and "Unicode text"), else UTF-8 if it is valid, else Windows-1258 (Excel set to Vietnamese,
    which writes most tone marks as separate combining characters)."""
    encodings = [codec for bom, codec in BOMS if raw.startswith(bom)] or ["utf-8", "cp1258"]
    for encoding in encodings:
        with contextlib.suppress(UnicodeDecodeError):
            return nfc(raw.decode(encoding))
    raise AdjustError(
        _("{path}: not text in UTF-8, UTF-16 or Windows-1258; save it from Excel as CSV UTF-8").format(
            path=path
        )
    )


def _separator(text: str) -> str:
    """The cell separator: `,`, `;` (Excel where the decimal mark is a comma) or a tab (Excel's "Unicode
    text"), whichever the header line holds most of."""
    header = text.partition("\n")[0]
    return max(",;\t", key=header.count)


def _cells(cells: dict[str, str]) -> dict[str, str]:
    """A row's cells, trimmed (a column the header lacks is blank), with the quote the report puts before
    a name like =x.jpg taken off (see sheet_text): names are pasted here from the CSV report."""
    return {c: sheet_text(cells.get(c, "").strip()) for c in COLUMNS}


def _row(path: Path, line: int, cells: dict[str, str]) -> Row:
    def number(column: str, default: float) -> float:
        text = cells[column]
        if not text:
            return default
        value = decimal(text, comma=True)  # 1,15 as a Vietnamese spreadsheet writes it; never 1_0
        if value is None:
            raise AdjustError(
                _("{path}, line {line}: {column} must be a number, got {value}").format(
                    path=path, line=line, column=column, value=repr(text)
                )
            )
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
    """`jobs` with each row's adjustment on the one photo it names; a row naming none (or several), or
    a photo named by two rows, is an error, so that a typo never silently leaves a photo uncorrected."""
    by_job: dict[int, Row] = {}
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
        if matches[0] in by_job:
            raise AdjustError(
                _("adjust file, lines {first} and {line} both adjust {photo}; keep one of them").format(
                    first=by_job[matches[0]].line, line=row.line, photo=display(jobs[matches[0]].source)
                )
            )
        by_job[matches[0]] = row
    return [replace(job, adjust=by_job[i].adjust) if i in by_job else job for i, job in enumerate(jobs)]


def _names(file: str, job: Job, given: tuple[Path, ...]) -> bool:
    """Whether `file` names the job's photo (see names_of)."""
    return nfc(file) in names_of(job.source, given)


def names_of(source: Path, given: tuple[Path, ...]) -> set[str]:
    """Every `file` cell that names the photo `source`: its path, its name, or its path under a folder
    given, each also as the report shows a name that is not UTF-8 (\\xNN); in NFC, so that a name
    written decomposed (macOS, Excel) matches."""
    names = [source.as_posix(), source.name]
    names += [
        source.relative_to(folder).as_posix()
        for folder in given
        if folder.is_dir() and source.is_relative_to(folder)
    ]
    return {nfc(shown) for name in names for shown in (name, display(name))}


# --- writing one row back: framer review --serve -------------------------------------------------------

CHECKED = "checked"  # a column framer review adds: a photo a person looked at (any text but blank)

# The columns' Vietnamese names, which a person may type in place of the English ones framer writes.
ALIASES = {"tệp": "file", "tệp ảnh": "file", "thu phóng": "zoom", "khuôn mặt": "face", "đã kiểm tra": CHECKED}


def column_key(label: str) -> str:
    """The column a header cell names: "file" for " File ", "Tệp" or "tệp ảnh" (any case, NFC)."""
    key = nfc(label.strip().lower())
    return ALIASES.get(key, key)


@dataclass
class Sheet:
    """An adjust file as its cells, to change one photo's row and write the file back whole: the
    person's other rows, columns (a note for colleagues) and separator are kept as they are."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    separator: str = ","
    # A byte-order mark, as the file had one (Excel's "CSV UTF-8") or came from Excel in another
    # encoding; a new file is plain UTF-8, as scripts read it (framer reads either).
    bom: bool = False

    @classmethod
    def read(cls, path: Path) -> Sheet:
        """The file at `path` (a new one when there is none); AdjustError when it is not a usable adjust
        file (read_adjustments' checks): a file framer cannot read is never written over."""
        if not path.exists() and not path.is_symlink():
            return cls(path, [*COLUMNS, CHECKED], [])
        read_adjustments(path)
        with open_regular(path) as f:
            raw = f.read()
        text = _decode(path, raw)
        separator = _separator(text)
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
        header = table[0] if table else []
        bom = any(raw.startswith(b) for b, _codec in BOMS) or not _is_utf8(raw)
        return cls(path, header, [row for row in table[1:] if any(c.strip() for c in row)], separator, bom)

    def column(self, name: str) -> int:
        """The index of the column `name` (as read_adjustments reads headers), added when it lacks it."""
        labels = [column_key(label) for label in self.header]
        if name in labels:
            return labels.index(name)
        self.header.append(name)
        return len(self.header) - 1

    def find(self, names: set[str]) -> int | None:
        """The index of the row whose file cell is one of `names` (see names_of), or None."""
        at = self.column("file")
        for i, row in enumerate(self.rows):
            cell = sheet_text(row[at].strip()).replace("\\", "/") if at < len(row) else ""
            if cell and nfc(cell) in names:
                return i
        return None

    def put(self, names: set[str], file: str, cells: dict[str, str]) -> Row:
        """Set the cells of the photo's row (found by `names`, else a new row naming it `file`) and
        return the row as read_adjustments will read it (AdjustError for a value it refuses)."""
        for name in (*COLUMNS, *cells):
            self.column(name)
        i = self.find(names)
        if i is None:
            self.rows.append([])
            i = len(self.rows) - 1
            cells = {"file": sheet_cell(file), **cells}
        row = self.rows[i]
        for name, value in cells.items():
            at = self.column(name)
            row += [""] * (at + 1 - len(row))
            decimal_comma = self.separator == ";" and name in LIMITS  # as Excel there writes numbers
            row[at] = value.replace(".", ",") if decimal_comma else value
        width = len(self.header)
        for r in self.rows:
            r += [""] * (width - len(r))
        read = {c: sheet_text(row[self.column(c)].strip()) for c in COLUMNS}
        return _row(self.path, i + 2, read)

    def cell(self, names: set[str], name: str) -> str:
        """The photo's cell in the column `name` ("" when it has no row, or the file no such column)."""
        i = self.find(names)
        labels = [column_key(label) for label in self.header]
        if i is None or name not in labels:
            return ""
        row = self.rows[i]
        at = labels.index(name)
        return row[at].strip() if at < len(row) else ""

    def text(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.separator, lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return (codecs.BOM_UTF8 if self.bom else b"") + out.getvalue().encode("utf-8", "surrogateescape")

    def write(self) -> None:
        """Put the file in place whole, in one step (it is written as UTF-8: Excel's "CSV UTF-8")."""
        write_atomic(self.path, self.text(), overwrite=True)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def cell_number(value: float, default: float) -> str:
    """A number as an adjust file's cell: blank for the default, else the shortest text that reads
    back as exactly the same number (so the settings framer computes from it are the same)."""
    return "" if value == default else repr(float(value))


# --- the corrections in force for an output folder ------------------------------------------------------

FOLDER_FILE = (
    "framer-adjust.csv"  # an output folder's corrections: framer apply keeps them, review edits them
)


@dataclass
class InForce:
    """The jobs with the corrections in force for their output folder, the photos a person corrected or
    marked as checked (their sources), what to tell the person, and the writes that keep it so (`keep`,
    called once nothing else stands in the run's way)."""

    jobs: list[Job]
    reviewed: set[str]
    said: list[str]
    sheets: list[Sheet] = field(default_factory=list)  # folder files with rows merged in: written by keep
    aside: list[tuple[Path, Path]] = field(default_factory=list)  # folder files set aside: renamed by keep

    def keep(self) -> None:
        for sheet in self.sheets:
            sheet.write()
        for path, aside in self.aside:
            os.rename(path, aside)


def in_force(jobs: list[Job], given: tuple[Path, ...], asked: Path | None, drop: bool) -> InForce:
    """The corrections in force: each output folder keeps its own in FOLDER_FILE (framer review --serve
    writes it, framer apply reads it), so that a correction stays made until its row is changed or
    removed. `asked` (--adjust FILE): its rows are checked as always (a row naming no photo is an error)
    and merged into each folder's file by photo, the latest row winning. `drop` (--adjust none): the
    folder's file is set aside, renamed, never deleted, and no correction applies. Photos framed beside
    themselves (no output folder) take `asked`'s rows only. Nothing is written until `keep`."""
    from datetime import datetime

    matched = _match(jobs, read_adjustments(asked), given) if asked is not None else {}
    adjust = {i: row.adjust for i, row in matched.items()}
    reviewed = {i for i, row in matched.items() if row.adjust != Adjust()}
    done = InForce(jobs, set(), [])
    for root in sorted({job.root for job in jobs if job.root is not None}, key=str):
        path = root / FOLDER_FILE
        mine = [i for i, job in enumerate(jobs) if job.root == root]
        if drop:
            if path.exists():
                aside = path.with_name(f"framer-adjust.dropped-{datetime.now():%Y%m%d-%H%M%S}.csv")
                done.aside.append((path, aside))
                done.said.append(
                    _("Corrections dropped (--adjust none): {path} is set aside as {aside}").format(
                        path=display(path), aside=display(aside)
                    )
                )
            continue
        sheet = Sheet.read(path)
        ours = {i: matched[i] for i in mine if i in matched}
        if asked is not None and os.path.realpath(asked) != os.path.realpath(path) and ours:
            for i, row in ours.items():
                sheet.put(names_of(jobs[i].source, given), row.file, cells_of(row.adjust))
            done.sheets.append(sheet)
        kept = 0
        for i in mine:
            names = names_of(jobs[i].source, given)
            if sheet.find(names) is None:
                continue
            row = sheet.put(names, jobs[i].source.name, {})  # the row as read_adjustments reads it
            adjust[i] = row.adjust
            if row.adjust != Adjust() or sheet.cell(names, CHECKED):
                reviewed.add(i)
            if i not in matched and row.adjust != Adjust():
                kept += 1
        if kept:
            done.said.append(
                ngettext(
                    "{n} correction kept from {path} (--adjust none drops it)",
                    "{n} corrections kept from {path} (--adjust none drops them)",
                    kept,
                ).format(n=kept, path=display(path))
            )
    done.jobs = [replace(job, adjust=adjust[i]) if i in adjust else job for i, job in enumerate(jobs)]
    done.reviewed = {str(jobs[i].source) for i in reviewed}
    return done


def _match(jobs: list[Job], rows: list[Row], given: tuple[Path, ...]) -> dict[int, Row]:
    """The row of each job that one names (apply_adjustments' rules: a row naming no photo, or several,
    or two rows for one photo, is an error)."""
    adjusted = apply_adjustments(jobs, rows, given)
    by_job: dict[int, Row] = {}
    for row in rows:
        for i, job in enumerate(adjusted):
            if _names(row.file, job, given):
                by_job[i] = row
    return by_job


def cells_of(adjust: Adjust) -> dict[str, str]:
    """A correction as an adjust file's cells (blank where it keeps the default)."""
    return {
        "zoom": cell_number(adjust.zoom, 1.0),
        "dx": cell_number(adjust.shift[0], 0.0),
        "dy": cell_number(adjust.shift[1], 0.0),
        "face": str(adjust.face + 1) if adjust.face else "",
    }
