"""A report's fields in a CSV cell and back: for people, in the language of the run, and never a formula;
read back in any language framer speaks, and in the forms of earlier versions. Each field's Kind also
holds the check on a value read back from a report, JSON Lines or CSV."""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from ..files import is_path_text
from ..i18n import LANGUAGES, N_, _, integer, number, translation
from ..reasons import OS_REASONS

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
