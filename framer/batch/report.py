"""What happened to each photo: a Record per input; the Report counts them and decides the exit code."""

from __future__ import annotations

import csv
import io
import json
import re
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import IO, Any

from ..errors import ExitCode
from ..files import NotARegularFile, atomic_text, is_path_text, json_line, open_regular
from ..i18n import LANGUAGES, N_, _, display, integer, ngettext, number, translation, worded
from ..reasons import OS_REASONS
from ..reasons import worded as worded_error

OK, NO_FACE, SKIPPED, ERROR = "ok", "no_face", "skipped", "error"
UP_TO_DATE = "up_to_date"  # skipped: framed earlier from the same photo with the same settings
NOT_OURS = "output_exists"  # skipped: a file framer did not make is where the output would go
OTHER_PHOTO = "made_from_other_photo"  # skipped: the output there was framed from another photo
PREVIEW_KEPT = "preview_kept"  # framed, but a file framer did not make is where the preview would go
REFRAMED = "reframed"  # framed again: the output framer made before from this photo was replaced
OVERWRITTEN = "overwritten"  # --overwrite replaced a file framer did not make, or made from another photo

# How each warning code reads to a person. Codes stay as they are in the report.
WARNING_TEXT = {
    "no_face": N_("no face found: framed from the top centre of the photo, please check it"),
    "several_faces": N_("several faces: the largest one was framed"),
    "low_resolution": N_("the face is small in the photo: it was enlarged a lot and may look soft"),
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
    "reframed": N_("framed again (the photo or the settings changed): the earlier output was replaced"),
    "overwritten": N_("a file that was already there was replaced (--overwrite)"),
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
    "output_exists",
    "preview_kept",
)

# The share of the frame's window filled beyond the photo's edges above which the review pages put a
# photo among those to check. edges_filled (above 2 %) is only a note, true of many photos; this much
# (23 % on one held-out photo) shows at full size.
INVENTED_TO_CHECK = 0.10


@dataclass
class Record:
    """One line of the JSON Lines report. Boxes are [x, y, w, h] in the upright input's pixels.

    `status`, `warnings` and `error` hold codes, worded when shown (framer.reasons), so that a report reads
    in any language; `details` holds the values an error's words name (a size, a limit, a reason).
    """

    input: str
    output: str | None  # this photo's framed file, when it has one
    status: str
    faces: int = 0
    face: list[int] | None = None
    crop: list[int] | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    campaign: dict[str, str] | None = None  # the frame's campaign: start, end (inclusive), timezone
    made_from: str | None = None  # skipped as made_from_other_photo: the photo that output was framed from
    details: dict[str, Any] | None = None  # the values the error's words name
    face_number: int | None = None  # which face was framed, 1 = the largest
    invented: float | None = None  # the share of the frame's window filled beyond the photo's edges
    face_boxes: list[list[int]] | None = None  # every face found, largest first (face N is the Nth)

    @property
    def redone(self) -> bool:
        """Whether this run framed the photo (not: skipped as up to date, failed)."""
        return self.status in (OK, NO_FACE)

    @property
    def largely_invented(self) -> bool:
        """Whether so much of the window was filled beyond the photo that a person should look at it."""
        return self.invented is not None and self.invented > INVENTED_TO_CHECK

    def reason(self) -> str | None:
        """Why the photo was not framed, in words; None when it was."""
        return worded_error(self.error, self.details) if self.error else None

    def problems(self) -> list[str]:
        """What a person should look at in this photo, in words ('edges filled' is only in the report)."""
        if self.error:
            return [worded_error(self.error, self.details)]
        return [self.worded(w) for w in self.warnings if w in NEEDS_A_LOOK]

    def alerts(self) -> list[str]:
        """What must be said about this photo at once, on its own line: it was not framed and someone
        must act (a failure; an output in its place framed from another photo). The rest is counted."""
        if self.error:
            return [worded_error(self.error, self.details)]
        return [self.worded(OTHER_PHOTO)] if OTHER_PHOTO in self.warnings else []

    def worded(self, code: str) -> str:
        """One of this record's warning codes in words, with what it names (the other photo, the face)."""
        path = display(str((self.details or {}).get("path") or self.output or ""))
        if code == OTHER_PHOTO and self.made_from:
            return _(
                "its output {output} was framed from another photo, {photo}: "
                "use --overwrite to replace it, or another output folder"
            ).format(output=path, photo=display(self.made_from))
        if code == NOT_OURS and path:
            return _(
                "{path} is already there and framer did not write it: use --overwrite to replace it"
            ).format(path=path)
        if code == "several_faces" and self.face_number and self.face_number > 1:
            return _("several faces: face {n} of {faces} was framed, as asked").format(
                n=self.face_number, faces=self.faces
            )
        return warning_text(code)

    def in_words(self) -> str:
        """The whole row in words, in the user's language (the CSV's last column): what happened, then
        what to look at, each said once. A warning whose words already tell what happened ("no face
        found: framed from the top centre") comes first, in place of the status's words ("framed, no
        face found")."""
        telling = [w for w in self.warnings if w in SAYS_WHAT_HAPPENED and self.status in (OK, NO_FACE)]
        if telling:
            said = [self.worded(w) for w in telling]
        else:
            said = [_(STATUS_TEXT[self.status]) if self.status in STATUS_TEXT else self.status]
        if self.error:
            said.append(worded_error(self.error, self.details))
        said += [self.worded(w) for w in self.warnings if w not in telling]
        return "; ".join(said)


STATUS_TEXT = {
    OK: N_("framed"),
    NO_FACE: N_("framed, no face found"),
    SKIPPED: N_("not framed again"),
    ERROR: N_("not framed"),
}
# The warnings of a framed photo whose words say that it was framed, and how: the CSV's row in words
# says them in place of STATUS_TEXT, so as not to say "framed" twice.
SAYS_WHAT_HAPPENED = ("no_face", "several_faces", "reframed")


COLUMNS = [f.name for f in fields(Record)]
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


# --- CSV cells: text for people, never a formula -------------------------------------------------------

# A spreadsheet runs a cell that starts with = + - @, a tab or a carriage return as a formula: a photo
# named "=HYPERLINK(...).jpg" must not become one when the report is opened in Excel. As OWASP advises,
# such a cell gets a leading quote; so does a cell that starts with quotes and then one of those, so that
# the quote can always be taken off again exactly (a name that starts with "'=" comes back as it was).
# Only names, paths and words a person typed ever need it: framer's own cells never start so (a box is
# "x=-94, y=…", a campaign starts with its first day, a share is never negative).
_LIKE_A_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def sheet_cell(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows as text and never runs; sheet_text undoes it exactly."""
    return "'" + text if _LIKE_A_FORMULA.match(text) else text


def sheet_text(cell: str) -> str:
    """The text sheet_cell made `cell` from: the quote it added taken off, and nothing else (a cell
    typed by hand, such as -0.05, is left as it is)."""
    return cell[1:] if cell.startswith("'") and _LIKE_A_FORMULA.match(cell, 1) else cell


# --- what each field holds -----------------------------------------------------------------------------


_is_text = is_path_text  # every text field of a report may hold a path


def _is_int(value: object) -> bool:
    return type(value) is int  # JSON's true and false are bools, and bools are ints


def _or_none(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or check(value)


def _count(cell: str) -> object:
    try:
        return int(cell or "0")
    except ValueError:
        return cell  # for the check to name


def _share(cell: str) -> object:
    try:
        return float(cell)
    except ValueError:
        return cell  # for the check to name


def _percent(cell: str) -> object:
    """A percentage as the language of the CSV writes it ("12,6" or "12.6") -> the share (0.126)."""
    try:
        return float(Decimal(cell.strip().replace(",", ".")) / 100)
    except (InvalidOperation, ValueError):
        return cell  # for the check to name


def _percent_cell(share: float | None) -> str:
    """A share (0.126) as a percentage in the language in use: "12,6" (the header says %)."""
    return number(100 * share, 6, trim=True) if share is not None else ""


# A box as a person reads it, in every language; framer reads it back from any of them, and from the
# "x y w h" of reports written before.
BOX_TEXT = N_("x={x}, y={y}, width {w}, height {h}")
# A whole number as i18n.integer writes it (60.000, 60,000; a narrow space in some locales), or plain.
_WHOLE = re.compile(r"-?\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?!\d)|-?\d+")


def _whole(text: str) -> int:
    return int(re.sub(r"[.,\u00a0\u202f]", "", text))


def _box_cell(box: list[int] | None) -> str:
    if box is None:
        return ""
    x, y, w, h = map(integer, box)
    return _(BOX_TEXT).format(x=x, y=y, w=w, h=h)


@cache
def _box_shapes() -> frozenset[str]:
    """A box's words with its numbers taken out, in each language framer speaks and in the old form."""
    shapes = {translation(lang).gettext(BOX_TEXT).format(x="#", y="#", w="#", h="#") for lang in LANGUAGES}
    return frozenset({"# # # #", *(" ".join(shape.split()) for shape in shapes)})


def _box(cell: str) -> object:
    if not cell.strip():
        return None
    numbers = _WHOLE.findall(cell)
    if len(numbers) == 4 and " ".join(_WHOLE.sub("#", cell).split()) in _box_shapes():
        return [_whole(n) for n in numbers]
    return cell  # for the check to name


def _boxes(cell: str) -> object:
    return [_box(part) for part in cell.split(";") if part.strip()] or None


_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4})")


def _iso_day(text: str) -> str | None:
    """A day as i18n.day writes it in any language (01/10/2023, 2023-10-01) -> 2023-10-01."""
    m = _DAY.fullmatch(text.strip())
    if m is None:
        return None
    year, month, d = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
    try:
        return date(int(year), int(month), int(d)).isoformat()
    except ValueError:
        return None


@cache
def _zone_names() -> dict[str, str]:
    """A time zone's name for people (i18n.zone, in any language framer speaks, case aside) -> its IANA
    id (CLDR's canonical one: Asia/Ho_Chi_Minh, not its alias Asia/Saigon)."""
    from babel.core import get_global
    from babel.dates import get_timezone, get_timezone_location

    aliases, territories = get_global("zone_aliases"), get_global("zone_territories")
    available = zoneinfo.available_timezones()
    names: dict[str, str] = {}
    for tz in sorted(available):
        canonical = aliases.get(tz, tz)
        if territories.get(canonical, "001") in ("001", "ZZ"):
            continue  # named by its offset (UTC+7): see _zone_id
        for lang in LANGUAGES:
            name = get_timezone_location(get_timezone(tz), locale=lang)
            names.setdefault(name.casefold(), canonical if canonical in available else tz)
    return names


def _zone_id(words: str) -> str:
    """The IANA id of a time zone named as i18n.zone names it; words it does not know, as they are (an
    id CLDR does not know is named by itself)."""
    words = words.strip()
    offset = re.fullmatch(r"UTC(?:([+-])(\d{1,2}))?", words)
    if offset:
        if not offset[1] or int(offset[2]) == 0:
            return "UTC"
        etc = f"Etc/GMT{'-' if offset[1] == '+' else '+'}{int(offset[2])}"  # Etc/GMT-7 is UTC+7
        return etc if etc in zoneinfo.available_timezones() else words
    return _zone_names().get(words.casefold(), words)


def _campaign_cell(c: dict[str, str] | None) -> str:
    """The campaign as people read it: "01/10/2023\u201310/10/2023 (giờ Việt
    Nam)", its days joined by an en dash (framer.frames.campaign)."""
    if not c:
        return ""
    from ..frames.campaign import Campaign

    try:
        campaign = Campaign(date.fromisoformat(c["start"]), date.fromisoformat(c["end"]), c["timezone"])
    except KeyError:  # not as framer writes a campaign: its values as they are
        return " ".join(map(str, c.values()))
    except ValueError:  # days framer did not write: as earlier versions wrote them, to be read back
        return f"{c['start']}..{c['end']} {c['timezone']}"
    return campaign.span(short=True)


def _campaign(cell: str) -> object:
    if not cell.strip():
        return None
    old = re.fullmatch(r"(\S+)\.\.(\S+) (\S+)", cell.strip())  # 2023-10-01..2023-10-10 Asia/Ho_Chi_Minh
    if old:
        return {"start": old[1], "end": old[2], "timezone": old[3]}
    m = re.fullmatch(r"\s*(\S+)\s*\u2013\s*(\S+)\s*\((.+)\)\s*", cell)
    start, end = (_iso_day(m[1]), _iso_day(m[2])) if m else (None, None)
    if m is None or start is None or end is None:
        return cell  # for the check to name
    return {"start": start, "end": end, "timezone": _zone_id(m[3])}


# An error's values (Record.details) as a person reads them: "rộng (px): 60.000; cao (px): 40.000; …".
# The labels are read back in any language framer speaks; a key without one (a newer framer's) is
# written as it is. A value that may hold anything (a path, an exception's words) comes last: it runs to
# the end of the cell, whatever "; " it holds.
DETAIL_LABELS = {
    "w": N_("width (px)"),
    "h": N_("height (px)"),
    "mp": N_("megapixels"),
    "mb": N_("memory (MB)"),
    "limit": N_("limit"),
    "n": N_("face asked for"),
    "found": N_("faces found"),
    "kind": N_("format"),
    "reason": N_("reason"),
    "path": N_("path"),
    "detail": N_("detail"),
}
_FREE_TEXT = ("kind", "path", "detail")  # reason is an errno's name; the rest are whole numbers


def _free(key: str, value: object) -> bool:
    return key in _FREE_TEXT or (key not in DETAIL_LABELS and not _is_int(value))


def _details_cell(details: dict[str, Any] | None) -> str:
    if not details:
        return ""
    said = []
    for key, value in sorted(details.items(), key=lambda item: _free(*item)):
        if key == "reason" and value in OS_REASONS:  # an errno's name, in framer's words
            value = _(OS_REASONS[value])
        elif _is_int(value):
            value = integer(value) if key in DETAIL_LABELS else str(value)
        said.append(f"{_(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key}: {value}")
    return "; ".join(said)


@cache
def _detail_keys() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    """Label (any language) -> key; an OS reason in words -> its errno's name; and the pattern that
    finds where each value starts."""
    keys: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for lang in LANGUAGES:
        words = translation(lang).gettext
        keys.update({words(label): key for key, label in DETAIL_LABELS.items()})
        for code, text in OS_REASONS.items():
            reasons.setdefault(words(text), code)  # EPERM reads as EACCES does: "permission denied"
    labels = "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
    return keys, reasons, re.compile(rf"(?:^|; )({labels}|[a-z_]+): ")


def _details(cell: str) -> object:
    if not cell.strip():
        return None
    if cell.lstrip().startswith("{"):  # a report written before: JSON
        try:
            return json.loads(cell)
        except ValueError:
            return cell
    keys, reasons, label = _detail_keys()
    starts = list(label.finditer(cell))
    if not starts or starts[0].start() != 0:
        return cell  # for the check to name
    details: dict[str, object] = {}
    for here, after in zip(starts, [*starts[1:], None], strict=True):
        key = keys.get(here[1], here[1])
        value = cell[here.end() : after.start() if after else len(cell)]
        if key == "reason":
            details[key] = reasons.get(value, value)
        elif key in DETAIL_LABELS and key not in _FREE_TEXT and _WHOLE.fullmatch(value):
            details[key] = _whole(value)
        elif key not in DETAIL_LABELS and re.fullmatch(r"-?\d+", value):
            details[key] = int(value)
        else:  # free text, the last value: the rest of the cell
            details[key] = cell[here.end() :]
            break
    return details


@dataclass(frozen=True)
class Kind:
    """What a report field holds: the check on a value read back from a report, what it must be in words
    (N_, for the message when the check fails), and how it reads in a CSV cell and back (`parse` passes
    on a cell it cannot read as it is, so that the check names it)."""

    check: Callable[[Any], bool]
    words: str
    cell: Callable[[Any], str]
    parse: Callable[[str], object]


TEXT = Kind(_is_text, N_("text"), str, str)
TEXT_OR_NULL = Kind(_or_none(_is_text), N_("text or null"), lambda v: v or "", lambda c: c or None)
COUNT = Kind(lambda v: _is_int(v) and v >= 0, N_("a whole number, 0 or more"), str, _count)
BOX = Kind(
    _or_none(lambda v: isinstance(v, list) and len(v) == 4 and all(map(_is_int, v))),
    N_("a box of four whole numbers [x, y, w, h], or null"),
    _box_cell,
    _box,
)
BOXES = Kind(
    _or_none(lambda v: isinstance(v, list) and all(b is not None and BOX.check(b) for b in v)),
    N_("a list of boxes [x, y, w, h], or null"),
    lambda v: "; ".join(map(BOX.cell, v)) if v else "",
    _boxes,
)
CODES = Kind(
    lambda v: isinstance(v, list) and all(map(_is_text, v)),
    N_("a list of texts"),
    "; ".join,
    lambda c: [w for w in c.split("; ") if w],
)
CAMPAIGN = Kind(
    _or_none(lambda v: isinstance(v, dict) and all(map(_is_text, v.values()))),
    N_("an object of texts, or null"),
    _campaign_cell,
    _campaign,
)
DETAILS = Kind(
    _or_none(
        lambda v: (
            isinstance(v, dict) and all(_is_text(k) and (_is_text(x) or _is_int(x)) for k, x in v.items())
        )
    ),
    N_("an object of texts and whole numbers, or null"),
    _details_cell,
    _details,
)
NUMBER_OR_NULL = Kind(
    _or_none(lambda v: _is_int(v) and v >= 1),
    N_("a whole number from 1, or null"),
    lambda v: str(v) if v is not None else "",
    lambda c: _count(c) if c.strip() else None,
)
SHARE_OR_NULL = Kind(
    _or_none(lambda v: type(v) in (int, float) and 0 <= v <= 1),
    N_("a number from 0 to 1, or null"),
    _percent_cell,  # under a header that says %
    lambda c: _percent(c) if c.strip() else None,
)
# How a column written before this version's CSV reads (under its old header, or its JSON key).
OLD_PARSE: dict[str, Callable[[str], object]] = {"invented": lambda c: _share(c) if c.strip() else None}
FIELD_KINDS = {
    "input": TEXT,
    "output": TEXT_OR_NULL,
    "status": TEXT,
    "faces": COUNT,
    "face": BOX,
    "crop": BOX,
    "warnings": CODES,
    "error": TEXT_OR_NULL,
    "campaign": CAMPAIGN,
    "made_from": TEXT_OR_NULL,
    "details": DETAILS,
    "face_number": NUMBER_OR_NULL,
    "invented": SHARE_OR_NULL,
    "face_boxes": BOXES,
}
REQUIRED = [f.name for f in fields(Record) if f.default is MISSING and f.default_factory is MISSING]


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


class Report:
    """Counts outcomes as records arrive, passes each to the report file if any, and owns the exit code."""

    def __init__(
        self, sink: ReportFile | None = None, keep: bool = False, campaign: dict[str, str] | None = None
    ) -> None:
        self.sink = sink
        self.campaign = campaign
        self.statuses: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()
        self.open: Counter[str] = Counter()  # the warnings of photos nobody has looked at yet (to check)
        self.reviewed: set[str] = set()  # the inputs a person corrected or marked as checked
        self.records: list[Record] | None = [] if keep else None  # kept only when something needs them all

    def add(self, record: Record) -> None:
        record.campaign = self.campaign
        self.statuses[record.status] += 1
        self.warnings.update(record.warnings)
        if record.input not in self.reviewed:  # a photo a person fixed or checked is done with
            self.open.update(record.warnings)
            if record.largely_invented:
                self.open[LARGELY_INVENTED] += 1
        if self.sink is not None:
            self.sink.write(record)
        if self.records is not None:
            self.records.append(record)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def framed(self) -> int:
        """Photos this run wrote an output for (with a face found or not)."""
        return self.statuses[OK] + self.statuses[NO_FACE]

    @property
    def exit_code(self) -> ExitCode:
        """1 when a photo needs a look: it failed, has no face found (this run or an earlier one) and nobody
        has looked at it, or was not framed because another photo's output, or a file framer did not
        write, stands in its place."""
        if (
            self.statuses[ERROR]
            or self.open["no_face"]
            or self.warnings[OTHER_PHOTO]
            or self.warnings[NOT_OURS]
        ):
            return ExitCode.SOME_FAILED
        return ExitCode.OK

    def actions(self) -> list[tuple[str, int]]:
        """What this run did with each photo: one row per outcome; the rows add up to the photos."""
        return [
            (_("framed"), self.statuses[OK]),
            (_("framed, no face found (please check)"), self.statuses[NO_FACE]),
            (_("skipped, up to date (already framed with these settings)"), self.warnings[UP_TO_DATE]),
            (_("skipped, another file is in the way (--overwrite replaces it)"), self.warnings[NOT_OURS]),
            (_("skipped, framed from another photo (--overwrite replaces it)"), self.warnings[OTHER_PHOTO]),
            (_("failed"), self.statuses[ERROR]),
        ]

    def to_check(self) -> list[tuple[str, int]]:
        """What to look at in the outputs, framed by this run or an earlier one (a re-run keeps them), but
        for the photos a person corrected or marked as checked (`reviewed`)."""
        return [(_(CHECK_TEXT[code]), self.open[code]) for code in CHECK_TEXT if self.open[code]]

    @property
    def done(self) -> bool:
        """Every photo framed (now or before), none failed, none skipped, none left to check."""
        skipped = self.warnings[OTHER_PHOTO] + self.warnings[NOT_OURS]
        return bool(self.total) and not self.statuses[ERROR] and not skipped and not self.to_check()

    def headline(self) -> str:
        """One line from the same counts as the table: "5 photos: 3 framed, 1 framed without a face
        found, 1 failed."; the counts of 0 left out."""
        counted = (
            (self.statuses[OK], _("{n} framed")),
            (self.statuses[NO_FACE], _("{n} framed without a face found")),
            (self.statuses[SKIPPED], _("{n} skipped")),
            (self.statuses[ERROR], _("{n} failed")),
        )
        # a count of 0 is not said ("1 photo: 1 framed without a face found", not "0 framed, 1 ..."),
        # but for "0 framed" when there is nothing else to say
        parts = [text.format(n=n) for n, text in counted if n] or [counted[0][1].format(n=0)]
        return ngettext("{n} photo: {parts}.", "{n} photos: {parts}.", self.total).format(
            n=self.total, parts=", ".join(parts)
        )


# The summary's "to check" rows: warnings about outputs, counted over every photo whose output is there.
LARGELY_INVENTED = "largely_invented"  # not a warning of the report's: its `invented` over INVENTED_TO_CHECK
CHECK_TEXT = {
    "no_face": N_("no face found: framed from the top centre"),
    "several_faces": N_("several faces"),
    "low_resolution": N_("face enlarged a lot (may look soft)"),
    LARGELY_INVENTED: N_("window largely filled in beyond the photo (check it at full size)"),
    "animated": N_("animated pictures (the first frame was used)"),
    "colour_profile_ignored": N_("colour profile could not be read"),
    "renamed": N_("renamed (another input has the same name)"),
    "preview_kept": N_("preview not written (a file framer did not make is in its place)"),
}
