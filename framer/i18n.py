"""The language framer speaks: Vietnamese or English, with GNU gettext catalogs.

The language follows the usual conventions (LANGUAGE, LC_ALL, LC_MESSAGES, LANG: a vi* locale gives
Vietnamese), overridden by `--lang vi|en` on any command; any other locale gets English. The catalog
is `framer/locale/vi/LC_MESSAGES/framer.po`, compiled to `framer.mo` when the package is built (see
setup.py). Click's own messages ("Usage:", "Error: ...") go through the same catalog, because framer
makes its domain the process's default one.

Only words for people are translated. The report's JSON keys, status and warning codes and the exit
codes are the same in every language. Numbers for people are written the language's way too (`number`,
`percent`: "12,6 %" in Vietnamese); numbers a person types back (--zoom 1.1, --window 10,20,300,300)
keep the decimal point the command line reads.
"""

from __future__ import annotations

import gettext
import os
from datetime import date, datetime, time, timedelta
from pathlib import Path

DOMAIN = "framer"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("vi", "en")

gettext.bindtextdomain(DOMAIN, LOCALE_DIR)
gettext.textdomain(DOMAIN)  # Click calls gettext.gettext too: its messages come from our catalog


def _(message: str) -> str:
    """`message` in the user's language (English when there is no translation)."""
    return gettext.dgettext(DOMAIN, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext.dngettext(DOMAIN, singular, plural, n)


def translation(lang: str) -> gettext.NullTranslations:
    """The catalog of one language, whatever the locale says."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def N_(message: str) -> str:
    """Mark `message` for translation where it is defined; it is translated where it is shown."""
    return message


def worded(words: dict[str, str], code: str) -> str:
    """A code (a warning, a shape) in the user's language, from a table of N_() texts; an unknown code
    as it is."""
    return _(words[code]) if code in words else code


def use_language(lang: str | None) -> None:
    """Speak `lang` ("vi" or "en") from now on, whatever the locale says; None keeps the locale's choice."""
    if lang:
        os.environ["LANGUAGE"] = lang


def language() -> str:
    """The language in use now: "vi" or "en"."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "vi" if value.split(":")[0].lower().startswith("vi") else "en"
    return "en"


def _locale(lang: str | None = None) -> str:
    """Babel's locale for `lang`, or for the language in use."""
    return "vi" if (lang or language()) == "vi" else "en"


def number(value: float, places: int = 1, *, trim: bool = False) -> str:
    """A decimal number as people write it, with Babel's locale data: "3.600,5" in Vietnamese (a
    decimal comma, a dot between thousands), "3,600.5" in English. `places` digits after the comma;
    `trim` drops a fraction of zeros ("2", not "2,0")."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + ("#" if trim else "0") * places if places else "")
    text = format_decimal(round(value, places), format=pattern, locale=_locale(), decimal_quantization=True)
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # -0.04 rounds to "0,0", not "-0,0"
    return text


def integer(value: int) -> str:
    """A whole number for people: "60.000" in Vietnamese, "60,000" in English."""
    return number(value, 0)


def percent(share: float, places: int = 0, *, trim: bool = False) -> str:
    """A share (0.126) as a percentage for people: "12,6 %" in Vietnamese, "12.6 %" in English."""
    return f"{number(100 * share, places, trim=trim)} %"


def day(d: date) -> str:
    """A date as people write it: 01/10/2023 in Vietnamese, 2023-10-01 in English."""
    from babel.dates import format_date

    return format_date(d, "dd/MM/yyyy" if language() == "vi" else "yyyy-MM-dd", locale=_locale())


def long_day(d: date) -> str:
    """A date in words: "ngày 01 tháng 10 năm 2023" (two digits for the day and the month, as Nghị định
    30/2020/NĐ-CP writes dates), or "1 October 2023"."""
    from babel.dates import format_date

    if language() == "vi":
        return format_date(d, "'ngày' dd 'tháng' MM 'năm' yyyy", locale="vi")
    return format_date(d, "d MMMM yyyy", locale="en")


def moment(t: datetime) -> str:
    """A time of day and its date: "19:33:24 ngày 06/12/2026", or "2026-12-06 19:33:24"."""
    from babel.dates import format_datetime

    if language() == "vi":
        return format_datetime(t, "HH:mm:ss 'ngày' dd/MM/yyyy", locale="vi")
    return format_datetime(t, "yyyy-MM-dd HH:mm:ss", locale="en")


def zone(timezone: str, on: date | None = None, lang: str | None = None) -> str:
    """A time zone as people name it, never its IANA id: "giờ Việt Nam" for Asia/Ho_Chi_Minh (Babel's
    CLDR names: "giờ Nhật Bản", "Japan time"); a zone CLDR places nowhere (UTC, Etc/GMT-7) by its
    offset on the day `on` (default today): "UTC+7". In `lang`, or the language in use."""
    from babel.core import get_global
    from babel.dates import get_timezone, get_timezone_location

    try:
        tz = get_timezone(timezone)
    except LookupError:
        return timezone
    canonical = get_global("zone_aliases").get(timezone, timezone)
    if get_global("zone_territories").get(canonical, "001") not in ("001", "ZZ"):
        name = get_timezone_location(tz, locale=_locale(lang))
        return name[:1].lower() + name[1:] if _locale(lang) == "vi" else name.replace(" Time", " time")
    when = datetime.combine(on or date.today(), time(12))
    offset = tz.utcoffset(when) or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign, (h, m) = ("+" if minutes >= 0 else "-"), divmod(abs(minutes), 60)
    return "UTC" if not minutes else f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def display(path: Path | str) -> str:
    """`path` as text a person can read and any console or file can hold: bytes that are not UTF-8 (a
    name from an old zip tool) are shown as \\xNN instead of breaking the line they are printed in."""
    text = str(path)
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte (a hand-made or Windows name)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")
