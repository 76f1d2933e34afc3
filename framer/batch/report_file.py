"""A report on disk: written row by row as a run goes (ReportFile), read back whole (read_records), and
told apart from any other file (looks_like_report), so that a new report replaces only an old one."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import MISSING, asdict, fields
from pathlib import Path
from typing import IO

from ..files import NotARegularFile, atomic_text, json_line, open_regular
from ..i18n import LANGUAGES, N_, _, display, translation
from .cells import FIELD_KINDS, OLD_PARSE, sheet_cell, sheet_text
from .record import Record

COLUMNS = [f.name for f in fields(Record)]
REQUIRED = [f.name for f in fields(Record) if f.default is MISSING and f.default_factory is MISSING]
# The CSV's header row is for people, in their language; the JSON keys never change.
# A column of codes (status, warnings, error) says so: its cells are the report's stable codes, the same
# in every language (scripts read them), and the last column says the row in words.
COLUMN_LABELS = {
    "input": N_("input"),
    "output": N_("output"),
    "status": N_("status code"),
    "faces": N_("faces"),
    "face": N_("face"),
    "crop": N_("crop"),
    "warnings": N_("warning codes"),
    "error": N_("error code"),
    "campaign": N_("campaign"),
    "made_from": N_("made from"),
    "details": N_("details"),
    "face_number": N_("face number"),
    "invented": N_("share filled in beyond the photo (%)"),
    "face_boxes": N_("face boxes"),
}
# The headers of reports written before the code columns said so, still read. Under its old header (and
# under its JSON key) `invented` is a share from 0 to 1; under the new one a percentage.
OLD_COLUMN_LABELS = {
    "status": N_("status"),
    "warnings": N_("warnings"),
    "error": N_("error"),
    "invented": N_("invented"),
}


# The CSV's last column: the row in words, in the language of the run (the codes stay in their columns).
IN_WORDS = N_("in words")


def _column_keys() -> dict[str, str]:
    """Header label (in any language framer speaks, this version's or an earlier one's) -> the column's
    key."""
    keys = {key: key for key in COLUMNS}
    for lang in LANGUAGES:
        words = translation(lang).gettext
        keys.update({words(label): key for key, label in OLD_COLUMN_LABELS.items()})
        keys.update({words(label): key for key, label in COLUMN_LABELS.items()})
    return keys


def _percent_labels() -> set[str]:
    """The headers under which `invented` is a percentage (this version's, in any language)."""
    return {translation(lang).gettext(COLUMN_LABELS["invented"]) for lang in LANGUAGES}


# --- writing -------------------------------------------------------------------------------------------


class ReportFile:
    """A report on disk, one row per photo: JSON Lines, or CSV when the name ends in .csv.

    The JSON Lines keep every path exactly (json_line: a name that is not UTF-8 as JSON escapes), so that
    it leads back to its file; its keys and codes never change. The CSV is for people, in Excel, in the
    language of the run: UTF-8 with a byte-order mark so that Vietnamese names show correctly, names as
    display() shows them (such a name reads Nguy\\xe1n there, and only the JSON Lines lead back to its
    file), the codes in columns that say they hold codes (warnings joined with "; "), the rest in words
    and in the language's numbers and dates: a box as "x=-94, y=-96, rộng 745, cao 745", the campaign as
    "01/10/2023\u201310/10/2023 (giờ Việt Nam)", an error's values as "rộng (px): 60.000; …", the share filled
    in as a percentage; the last column says the row in words. No cell is one a spreadsheet would run as
    a formula (sheet_cell). read_records reads it back, in any of framer's languages, as it reads the
    CSV of earlier versions.

    The report appears at its path whole, in one step, when the ReportFile is closed (atomic_text); until
    then the path keeps what it held, and rows go to the staged copy, flushed, as they come. Leaving a
    `with` block on an exception (Ctrl-C, a crash in the batch) still puts the rows written so far in
    place: each tells of a photo really handled, which a re-run would only report as skipped. Only after
    a row could not be written (a full disk), when the staged copy may end in half a row, is it dropped,
    leaving the path as it was.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.is_csv = path.suffix.lower() == ".csv"
        self._staged: AbstractContextManager[IO[str]] | None = atomic_text(
            path, "utf-8-sig" if self.is_csv else "utf-8"
        )
        self._file = self._staged.__enter__()
        self._failed: OSError | None = None
        self.rows = 0
        if self.is_csv:
            self._put(_csv_line([_(COLUMN_LABELS[key]) for key in COLUMNS] + [_(IN_WORDS)]))

    def write(self, record: Record) -> None:
        self.rows += 1
        if self.is_csv:
            cells = [FIELD_KINDS[key].cell(getattr(record, key)) for key in COLUMNS]
            self._put(_csv_line([*cells, record.in_words()]))
        else:
            self._put(json_line(asdict(record)))

    def _put(self, row: str) -> None:
        """Add one whole row to the staged copy, flushed."""
        try:
            self._file.write(row)
            self._file.flush()
        except OSError as e:
            self._failed = e
            raise

    def close(self, *, keep: bool = True) -> None:
        """Put the report in place, whole; after a failed write, or without `keep`, drop it instead and
        leave the path as it was (see the class)."""
        staged, self._staged = self._staged, None
        if staged is None:
            return
        if self._failed is None and keep:
            staged.__exit__(None, None, None)
        else:  # atomic_text drops its staged copy when the block it serves ends with an error
            error = self._failed or OSError("dropped")
            staged.__exit__(type(error), error, error.__traceback__)

    def __enter__(self) -> ReportFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        # On an exception the rows written so far are kept (see the class); a run that stopped before
        # its first row (another run has the folder) leaves the report it would have replaced.
        self.close(keep=kind is None or self.rows > 0)


def _csv_line(cells: list[str]) -> str:
    """One CSV row: its cells legible (display()) and never a formula (sheet_cell)."""
    line = io.StringIO()
    csv.writer(line).writerow([sheet_cell(display(cell)) for cell in cells])
    return line.getvalue()


def looks_like_report(head: bytes) -> bool:
    """Whether a file that starts with `head` is a report framer wrote (JSON Lines or CSV, in any of its
    languages): so that a new report replaces an old one, and never anything else."""
    text = head.decode("utf-8-sig", "replace")
    if text.startswith('{"input": '):
        return True
    first = text.partition("\n")[0]
    labels = {_column_keys().get(sheet_text(cell.strip()), "") for cell in next(csv.reader([first]), [])}
    return {"input", "status"} <= labels


def protected_paths(report: Path, photos: Iterable[tuple[Path, Path | None]]) -> dict[str, str]:
    """What framer never writes over (files.check_target) among the files of the run a report tells of:
    the report, each photo and its output (source, output), as real paths -> what each is."""
    protected = {os.path.realpath(report): _("the report")}
    for source, output in photos:
        if output is not None:
            protected[os.path.realpath(output)] = _("an output of this run")
        protected[os.path.realpath(source)] = _("an input photo")
    return protected


# --- reading back --------------------------------------------------------------------------------------


def read_records(path: Path) -> list[Record]:
    """The records of a report written by ReportFile (JSON Lines, or CSV when the name ends in .csv).

    Each field is checked, so that a file that is not such a report (a field of the wrong type, a line
    that is not JSON, bytes that are not UTF-8, nothing at all) is one ValueError that names the line and
    the field in framer's words (never Python's: the message goes to a person), never a crash further
    on. Fields this version does not know (a newer framer's) are ignored.
    """
    text = _report_text(path)
    if not text.strip():  # framer writes a report only once it has a row (a CSV's header, at least)
        raise ValueError(_("the file is empty"))
    rows = _csv_rows(text) if path.suffix.lower() == ".csv" else _json_rows(text)
    return [_record(line, row) for line, row in rows]


def _report_text(path: Path) -> str:
    try:
        with open_regular(path) as f:
            data = f.read()
    except NotARegularFile as e:
        raise ValueError(e.strerror) from None
    try:
        return data.decode("utf-8-sig")  # a byte-order mark is Excel's or Notepad's, in either format
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise ValueError(_("line {line} is not UTF-8 text").format(line=line)) from None


def _json_rows(text: str) -> Iterator[tuple[int, object]]:
    # Lines end at "\n" only: a name may hold other line separators (U+2028), which JSON keeps as they are.
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except (ValueError, RecursionError):  # json's own words ("Expecting value") are not for people
            raise ValueError(_("line {line} is not in JSON format").format(line=n)) from None


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, object]]]:
    """Each CSV row in the shape of a JSON line (keys, types), so that one check serves both formats."""
    reader = csv.reader(io.StringIO(text, newline=""))
    keys, percent = _column_keys(), _percent_labels()
    try:
        header = [sheet_text(label) for label in next(reader, [])]
        columns = [keys.get(label, label) for label in header]
        if "input" not in columns or "status" not in columns:
            named = ", ".join(_(COLUMN_LABELS[key]) for key in ("input", "output", "status"))
            raise ValueError(
                _("line 1 lacks the names of framer's columns: {columns}…").format(columns=named)
            )
        parse = {
            key: FIELD_KINDS[key].parse if label in percent or key not in OLD_PARSE else OLD_PARSE[key]
            for key, label in zip(columns, header, strict=True)
            if key in FIELD_KINDS
        }
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            row += [""] * (len(columns) - len(row))  # a short row: the cells it lacks are empty
            cells = dict(zip(columns, map(sheet_text, row), strict=False))
            yield reader.line_num, {k: parse[k](v) for k, v in cells.items() if k in parse}
    except csv.Error:  # csv's own words ("field larger than field limit") are not for people
        raise ValueError(_("line {line} is not in CSV format").format(line=reader.line_num)) from None


def _record(line: int, row: object) -> Record:
    """The Record a report's row stands for, or a ValueError that names the line and the field."""
    if not isinstance(row, dict):
        raise ValueError(
            _("line {line}: a row must be a JSON object, not {value}").format(line=line, value=_shown(row))
        )
    for key in REQUIRED:
        if key not in row:
            raise ValueError(_("line {line}: {field} is missing").format(line=line, field=key))
    values = {key: row[key] for key in FIELD_KINDS if key in row}
    for key, value in values.items():
        kind = FIELD_KINDS[key]
        if not kind.check(value):
            raise ValueError(
                _("line {line}: {field} must be {kind}, not {value}").format(
                    line=line, field=key, kind=_(kind.words), value=_shown(value)
                )
            )
    return Record(**values)


def _shown(value: object) -> str:
    """A value as a report holds it, cut short, for a message."""
    text = json_line(value).strip()
    return text if len(text) <= 60 else text[:59] + "…"
