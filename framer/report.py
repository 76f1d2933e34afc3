"""What happened to each photo: a Record per input; the Report counts them and decides the exit code."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .errors import ExitCode
from .files import display
from .i18n import LANGUAGES, N_, _, ngettext, translation, worded

OK, NO_FACE, SKIPPED, ERROR = "ok", "no_face", "skipped", "error"
UP_TO_DATE = "up_to_date"  # skipped: framed earlier from the same photo with the same settings
NOT_OURS = "output_exists"  # skipped: a file framer did not make is where the output would go
OTHER_PHOTO = "made_from_other_photo"  # skipped: the output there was framed from another photo
PREVIEW_KEPT = "preview_kept"  # framed, but a file framer did not make is where the preview would go

# How each warning code reads to a person. Codes stay as they are in the report.
WARNING_TEXT = {
    "no_face": N_("no face found: framed from the top centre of the photo, please check it"),
    "several_faces": N_("several faces: the largest one was framed"),
    "low_resolution": N_("small photo: the face was enlarged a lot and may look soft"),
    "edges_filled": N_("the photo was too tight around the face: its edges were extended with a soft blur"),
    "renamed": N_("another input has the same name: the output name keeps the original extension"),
    "animated": N_("an animated picture: its first frame was used"),
    "colour_profile_ignored": N_("its colour profile could not be read: colours may be slightly off"),
    "up_to_date": N_("already framed with these settings"),
    "output_exists": N_("a file is already where the output would go: use --overwrite to replace it"),
    "made_from_other_photo": N_(
        "the output there was framed from another photo: use --overwrite to replace it, or another -o"
    ),
    "preview_kept": N_("a file framer did not make is where the preview would go: it was kept, no preview"),
}


def warning_text(code: str) -> str:
    """A warning code in words, in the user's language (an unknown code as it is)."""
    return worded(WARNING_TEXT, code)


NEEDS_A_LOOK = (
    "no_face",
    "several_faces",
    "low_resolution",
    "renamed",
    "animated",
    "colour_profile_ignored",
    "made_from_other_photo",
    "preview_kept",
)


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
    campaign: dict[str, str] | None = None  # the frame's campaign: start, end (inclusive), timezone
    made_from: str | None = None  # skipped as made_from_other_photo: the photo that output was framed from

    def problems(self) -> list[str]:
        """What a person should look at in this photo, in words ('edges filled' is only in the report)."""
        if self.error:
            return [self.error]
        return [self.worded(w) for w in self.warnings if w in NEEDS_A_LOOK]

    def worded(self, code: str) -> str:
        """One of this record's warning codes in words, with what it names (the other photo)."""
        if code == OTHER_PHOTO and self.made_from:
            return _(
                "its output {output} was framed from another photo, {photo}: "
                "use --overwrite to replace it, or another output folder"
            ).format(output=display(self.output or ""), photo=display(self.made_from))
        return warning_text(code)


COLUMNS = [f.name for f in fields(Record)]
# The CSV's header row is for people, in their language; the JSON keys never change.
COLUMN_LABELS = {
    "input": N_("input"),
    "output": N_("output"),
    "status": N_("status"),
    "faces": N_("faces"),
    "face": N_("face"),
    "crop": N_("crop"),
    "warnings": N_("warnings"),
    "error": N_("error"),
    "campaign": N_("campaign"),
    "made_from": N_("made from"),
}


def _column_keys() -> dict[str, str]:
    """Header label (in any language framer speaks) -> the column's key."""
    keys = {key: key for key in COLUMNS}
    for lang in LANGUAGES:
        keys.update({translation(lang).gettext(label): key for key, label in COLUMN_LABELS.items()})
    return keys


class ReportFile:
    """A report on disk, one row per photo: JSON Lines, or CSV when the name ends in .csv.

    The CSV is UTF-8 with a byte-order mark so that Excel shows Vietnamese names correctly; boxes are
    written as "x y w h" and warnings joined with "; ". Rows are flushed as they come, so a run that is
    cut short still leaves a report of what it did.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.is_csv = path.suffix.lower() == ".csv"
        self._file = path.open("w", encoding="utf-8-sig" if self.is_csv else "utf-8", newline="")
        self._csv = csv.DictWriter(self._file, COLUMNS) if self.is_csv else None
        if self._csv:
            self._csv.writerow({key: _(COLUMN_LABELS[key]) for key in COLUMNS})

    def write(self, record: Record) -> None:
        if self._csv:
            self._csv.writerow(_flat(record))
        else:
            self._file.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ReportFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _flat(record: Record) -> dict[str, object]:
    row: dict[str, object] = asdict(record)
    for key, box in (("face", record.face), ("crop", record.crop)):
        row[key] = " ".join(str(v) for v in box) if box is not None else ""
    row["warnings"] = "; ".join(record.warnings)
    row["output"] = record.output or ""
    row["error"] = record.error or ""
    row["made_from"] = record.made_from or ""
    c = record.campaign
    row["campaign"] = f"{c['start']}..{c['end']} {c['timezone']}" if c else ""
    return row


def _campaign(cell: str) -> dict[str, str] | None:
    if not cell.strip():
        return None
    span, timezone = cell.split()
    start, end = span.split("..")
    return {"start": start, "end": end, "timezone": timezone}


def _rows_by_key(reader: csv.DictReader[str]) -> list[dict[str, str]]:
    keys = _column_keys()
    return [{keys.get(label, label): value or "" for label, value in row.items()} for row in reader]


def read_records(path: Path) -> list[Record]:
    """The records of a report written by ReportFile (JSON Lines or CSV)."""
    if path.suffix.lower() != ".csv":
        with path.open(encoding="utf-8") as f:
            return [Record(**json.loads(line)) for line in f if line.strip()]
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [
            Record(
                input=row["input"],
                output=row["output"] or None,
                status=row["status"],
                faces=int(row["faces"] or 0),
                face=[int(v) for v in row["face"].split()] or None,
                crop=[int(v) for v in row["crop"].split()] or None,
                warnings=[w for w in row["warnings"].split("; ") if w],
                error=row["error"] or None,
                campaign=_campaign(row.get("campaign") or ""),
                made_from=row.get("made_from") or None,
            )
            for row in _rows_by_key(csv.DictReader(f))
        ]


class Report:
    """Counts outcomes as records arrive, passes each to the report file if any, and owns the exit code."""

    def __init__(
        self, sink: ReportFile | None = None, keep: bool = False, campaign: dict[str, str] | None = None
    ) -> None:
        self.sink = sink
        self.campaign = campaign
        self.statuses: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()
        self.records: list[Record] | None = [] if keep else None  # kept only when something needs them all

    def add(self, record: Record) -> None:
        record.campaign = self.campaign
        self.statuses[record.status] += 1
        self.warnings.update(record.warnings)
        if self.sink is not None:
            self.sink.write(record)
        if self.records is not None:
            self.records.append(record)

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

    def summary(self) -> list[tuple[str, int]]:
        """The closing table: what happened, by kind, in the order an officer reads it."""
        return [
            (_("framed"), self.statuses[OK]),
            (_("framed, no face found (please check)"), self.statuses[NO_FACE]),
            (_("several faces (the largest was framed)"), self.warnings["several_faces"]),
            (_("low resolution (may look soft)"), self.warnings["low_resolution"]),
            (_("skipped, already framed"), self.warnings[UP_TO_DATE]),
            (_("skipped, another file is in the way (--overwrite replaces it)"), self.warnings[NOT_OURS]),
            (_("skipped, framed from another photo (--overwrite replaces it)"), self.warnings[OTHER_PHOTO]),
            (_("failed"), self.statuses[ERROR]),
        ]

    def headline(self) -> str:
        """One line: "5 photos: 4 framed, 1 failed." """
        parts = [_("{n} framed").format(n=self.framed)]
        if self.statuses[SKIPPED]:
            parts.append(_("{n} skipped").format(n=self.statuses[SKIPPED]))
        if self.statuses[ERROR]:
            parts.append(_("{n} failed").format(n=self.statuses[ERROR]))
        return ngettext("{n} photo: {parts}.", "{n} photos: {parts}.", self.total).format(
            n=self.total, parts=", ".join(parts)
        )
