"""Numbers as people type them into an adjust file, a query or a form: ASCII digits only.

Python's `float` and `int` take far more than a person means: `1_0` is 10, an Arabic-Indic digit one
(U+0661) is 1, `nan` and `inf` are numbers. A correction read that way frames a photo with face 10, or
not at all. These read what a spreadsheet or a script writes: an optional sign, ASCII digits, and one
decimal mark (a point, or a comma where `comma` allows it, as a Vietnamese spreadsheet writes 1,15).
"""

from __future__ import annotations

import re

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)", re.ASCII)
_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)


def decimal(text: str, *, comma: bool = False) -> float | None:
    """The number `text` writes (1.15, -0.05, .5; 1,15 with `comma`), or None when it is not one."""
    text = text.strip()
    if comma:
        text = text.replace(",", ".")
    return float(text) if _DECIMAL.fullmatch(text) else None


def whole(text: str) -> int | None:
    """The whole number `text` writes (2, +3), or None when it is not one."""
    text = text.strip()
    return int(text) if _WHOLE.fullmatch(text) else None
