"""The language of one request: Vietnamese unless the request asks for English, and words in it.

framer words everything (reasons, campaign sentences, dates, numbers) in the language framer.i18n reads
from the environment (LANGUAGE), which is the whole process's. A server speaks a different language to
each request, so every wording happens inside `speaking(lang)`: it sets LANGUAGE, words, and puts it
back. That is safe because nothing awaits inside it (the event loop runs one such block at a time) and a
lock keeps any other thread of this process out while it lasts. Everything the web layer words goes
through it, so framer's own wording is reused as it is, never copied.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.requests import Request

from ..i18n import LANGUAGES

DEFAULT = "vi"  # the page is for Vietnamese civil servants first
_lock = threading.Lock()


def negotiate(request: Request) -> str:
    """The request's language: ?lang=vi|en (the page's toggle), else the one of framer's languages its
    Accept-Language prefers, else Vietnamese."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return preferred(request.headers.get("accept-language", ""))


def preferred(accept_language: str) -> str:
    """The language among framer's that an Accept-Language header ranks highest (RFC 9110: q values,
    ties in the order given), Vietnamese when it names neither: "fr, en;q=0.5" is English."""
    best, best_q = DEFAULT, 0.0
    for item in accept_language.split(","):
        tag, _, params = item.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if lang in LANGUAGES and q > best_q:
            best, best_q = lang, q
    return best


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """framer words in `lang` within this block (no await inside it: see the module's docstring)."""
    with _lock:
        before = os.environ.get("LANGUAGE")
        os.environ["LANGUAGE"] = lang
        try:
            yield
        finally:
            if before is None:
                del os.environ["LANGUAGE"]
            else:
                os.environ["LANGUAGE"] = before
