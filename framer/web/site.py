"""What the employee's page needs to work on its own, as data: the frames offered and their campaigns, and
every word it shows, in each language. `framer publish` writes it as `site.json` beside the page;
`framer serve` answers it at `/site.json`. The page does the rest on the phone: it finds the face, places
it, frames the photo, and judges the campaign by the phone's clock in the campaign's time zone.

    {"version": 1, "today": null | "2023-10-05", "default": NAME, "ignore_window": false, "lang": "vi",
     "frames": [{"name", "title", "size": [W, H], "window": [x, y, w, h], "image": URL,
                 "campaign": {"start", "end", "timezone", "zone": {"vi", "en"}} | null,
                 "messages": {"before"|"during"|"after"}}],
     "words": {"vi": {...}, "en": {...}}}

Words are framer's own catalog's: the page's (framer.web.words), the campaign's sentences as templates
(framer.frames.campaign: {frame}, {span}, {n}... filled in by the page), and what a photo's warnings and
problems are called (framer.batch.report, and the page's own sentences for framer.reasons' codes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..frames import campaign
from ..frames.model import Frame
from ..i18n import LANGUAGES, translation, zone
from ..reasons import Warn
from . import words as page_words

VERSION = 1
# What the page may load, in its <meta> (a static host sends no headers) and in framer serve's header:
# nothing from elsewhere; WebAssembly (the face detector) compiled; the photo drawn from blob: addresses.
# A <meta> tag cannot say who may frame the page (browsers ignore frame-ancestors there): a server says it
# in its header, with X-Frame-Options for old browsers, and HOSTING.txt asks a static host to send it.
NOT_FRAMED = "frame-ancestors 'none'"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; "
    "connect-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
# The photo's warnings and problems the page can meet, by their codes (framer.batch.report, framer.reasons):
# a problem in the page's words (framer.web.words.PHOTO_REASONS), which the page shows as they are.
WARNINGS = (Warn.NO_FACE, Warn.SEVERAL_FACES, Warn.LOW_RESOLUTION, Warn.EDGES_FILLED, Warn.ANIMATED)
PROBLEMS = ("not_an_image", "empty", "damaged", "truncated")


@dataclass(frozen=True)
class Offered:
    """A frame as the page gets it: its geometry at output size and where its image is."""

    frame: Frame
    size: tuple[int, int]
    window: tuple[float, float, float, float]
    image: str  # the image's address, relative to the page


def site(
    offered: list[Offered], *, ignore_window: bool, lang: str, mb: int, today: date | None = None
) -> dict[str, Any]:
    """The page's data (see the module's docstring). `offered`: the frames, the first the default.
    `today`: the day the page takes as today in every campaign's time zone (framer serve --date), instead
    of the device's clock."""
    return {
        "version": VERSION,
        "today": today.isoformat() if today else None,
        "default": offered[0].frame.name,
        "ignore_window": ignore_window,
        "lang": lang,
        "frames": [_frame(o) for o in offered],
        "words": {code: words(code, mb=mb) for code in LANGUAGES},
    }


def _campaign(c: campaign.Campaign) -> dict[str, Any]:
    """A campaign as the report records it, and its time zone's name for people in each language."""
    return c.as_record() | {"zone": {lang: zone(c.timezone, c.start, lang) for lang in LANGUAGES}}


def _frame(o: Offered) -> dict[str, Any]:
    f = o.frame
    return {
        "name": f.name,
        "title": f.title,
        "size": list(o.size),
        "window": [round(float(v), 2) for v in o.window],
        "image": o.image,
        "campaign": _campaign(f.campaign) if f.campaign else None,
        "messages": dict(f.messages),
    }


def words(lang: str, *, mb: int) -> dict[str, Any]:
    """Every word the page shows, in `lang`, with the plural forms of those that have them."""
    from ..reasons import WARNING_TEXT

    t = translation(lang)
    said: dict[str, Any] = {
        key: t.gettext(text).replace("{mb}", str(mb)) for key, text in page_words.PAGE.items()
    }
    said |= page_words.LANGUAGE_NAMES
    said |= {
        "campaign_span": t.gettext(campaign.SPAN),
        "campaign_tomorrow": t.gettext(campaign.TOMORROW),
        "campaign_in_days": {
            "one": t.ngettext(*campaign.IN_DAYS, 1),
            "other": t.ngettext(*campaign.IN_DAYS, 2),
        },
        "campaign_before": t.gettext(campaign.BEFORE),
        "campaign_during": t.gettext(campaign.DURING),
        "campaign_last_day": t.gettext(campaign.LAST_DAY),
        "campaign_switch_back": t.gettext(campaign.SWITCH_BACK),
        "campaign_ended": t.gettext(page_words.CAMPAIGN_ENDED),
        "campaign_ended_anyway": t.gettext(page_words.CAMPAIGN_ENDED_ANYWAY),
        "date_format": "dd/mm/yyyy" if lang == "vi" else "yyyy-mm-dd",
    }
    said["warnings"] = {code: t.gettext(WARNING_TEXT[code]) for code in WARNINGS if code in WARNING_TEXT}
    said["problems"] = {code: t.gettext(str(page_words.PHOTO_REASONS[code])) for code in PROBLEMS}
    return said
