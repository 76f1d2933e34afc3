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
from datetime import date
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


def number(value: float, places: int = 1, *, trim: bool = False) -> str:
    """A decimal number as people write it: "8,8" in Vietnamese (a decimal comma), "8.8" in English.
    `places` digits after the comma; `trim` drops a fraction of zeros ("2", not "2,0")."""
    text = f"{value:.{places}f}"
    if trim and "." in text:
        text = text.rstrip("0").removesuffix(".")
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # -0.04 rounds to "0.0", not "-0.0"
    return text.replace(".", ",") if language() == "vi" else text


def percent(share: float, places: int = 0, *, trim: bool = False) -> str:
    """A share (0.126) as a percentage for people: "12,6 %" in Vietnamese, "12.6 %" in English."""
    return f"{number(100 * share, places, trim=trim)} %"


def day(d: date) -> str:
    """A date as people write it: 01/10/2023 in Vietnamese, 2023-10-01 in English."""
    return f"{d:%d/%m/%Y}" if language() == "vi" else d.isoformat()


def long_day(d: date) -> str:
    """A date in words: "ngày 10 tháng 10 năm 2023", or "10 October 2023"."""
    if language() == "vi":
        return f"ngày {d.day} tháng {d.month} năm {d.year}"
    return f"{d.day} {d:%B %Y}"
