"""The web pages' error messages, as a person on the page reads them: every problem the page can show and
every error the API answers is a sentence (a capital first, a full stop, a question or an exclamation
mark last) that does not name framer, in Vietnamese as in English. The command line keeps
framer.reasons' own words."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request

import framer
from framer.errors import PhotoError
from framer.i18n import LANGUAGES, translation
from framer.reasons import ERRORS as REASONS
from framer.web import site, words
from framer.web.errors import Refused, answer
from framer.web.language import speaking

# Values a message may name, as the code that raises it gives them.
VALUES: dict[str, object] = {
    "mb": 25,
    "minutes": 15,
    "name": "zoom",
    "low": "0.3",
    "high": "3",
    "w": 12000,
    "h": 12000,
    "mp": 144,
    "limit": 100,
    "kind": "PSD",
    "n": 3,
    "found": 2,
    "reason": "EIO",
    "detail": "ValueError",
}
# Codes a photo only reaches from a file on disk (framer apply): the web decodes an upload's bytes.
ON_DISK_ONLY = {"not_regular", "disappeared"}
# The page's own words for what went wrong (app.js: a file it cannot open, a file it could not load).
PAGE_ERRORS = ("unreadable", "offline")


def assert_sentence(text: str, where: str) -> None:
    assert text, f"{where}: no words"
    assert text[0].isupper(), f"{where}: does not start with a capital: {text!r}"
    assert text.endswith((".", "?", "!")), f"{where}: does not end a sentence: {text!r}"
    assert "framer" not in text.lower(), f"{where}: names framer: {text!r}"
    assert "{" not in text and "}" not in text, f"{where}: a placeholder left unfilled: {text!r}"


def raised_codes() -> set[str]:
    """Every code a PhotoError is raised with in framer's source."""
    source = Path(framer.__file__).parent
    found: set[str] = set()
    for path in source.rglob("*.py"):
        found |= set(re.findall(r'PhotoError\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    return found


def all_texts() -> Iterator[tuple[str, str, str]]:
    """(where, language, words) for every problem the page shows and every web error, in each language."""
    for lang in LANGUAGES:
        said = site.words(lang, mb=25)
        for code, text in said["problems"].items():
            yield f"problems.{code}", lang, text
        for key in PAGE_ERRORS:
            yield f"page.{key}", lang, said[key]
        with speaking(lang):
            for code in words.PHOTO_REASONS:
                details = {"n": 3, "found": 1} if code.startswith("face_") else VALUES
                yield f"photo.{code}", lang, words.photo_error(code, details, "")
                if code == "face_beyond":
                    yield f"photo.{code}[2]", lang, words.photo_error(code, VALUES, "")
            for code in words.ERRORS:
                yield f"error.{code}", lang, words.error(code, **VALUES)


TEXTS = list(all_texts())


@pytest.mark.parametrize(("where", "lang", "text"), TEXTS, ids=[f"{lang}-{w}" for w, lang, _ in TEXTS])
def test_every_web_error_is_a_sentence_without_framer(where: str, lang: str, text: str) -> None:
    assert_sentence(text, f"{where} ({lang})")


def test_every_web_error_is_translated() -> None:
    by = {(where, lang): text for where, lang, text in TEXTS}
    same = sorted(where for (where, lang), text in by.items() if lang == "vi" and text == by[(where, "en")])
    assert not same, f"the same words in Vietnamese as in English: {same}"


def test_every_problem_the_page_or_the_api_can_show_has_page_words() -> None:
    assert set(site.PROBLEMS) <= set(words.PHOTO_REASONS)
    from_uploads = raised_codes() - ON_DISK_ONLY
    assert {"not_an_image", "truncated", "too_large", "face_beyond", "crashed"} <= from_uploads
    missing = sorted(from_uploads - set(words.PHOTO_REASONS))
    assert not missing, f"photo problems the API answers in the command line's words: {missing}"
    assert set(words.PHOTO_REASONS) <= set(REASONS), "a page sentence for a code framer.reasons lacks"


def test_a_non_image_in_the_pages_words_and_the_command_lines() -> None:
    en, vi = site.words("en", mb=25)["problems"], site.words("vi", mb=25)["problems"]
    assert en["not_an_image"] == (
        "This file is not a photo, or its format is not supported. Choose another photo."
    )
    assert vi["not_an_image"] == (
        "Tệp này không phải ảnh hoặc có định dạng chưa được hỗ trợ. Vui lòng chọn ảnh khác."
    )
    assert vi["truncated"] == (
        "Tệp ảnh bị thiếu dữ liệu (có thể do sao chép hoặc tải về chưa xong). Vui lòng chọn lại ảnh."
    )
    # The command line keeps its own words.
    with speaking("en"):
        assert str(PhotoError("not_an_image")) == "not an image (or a format framer does not read)"
    with speaking("vi"):
        assert str(PhotoError("not_an_image")) == translation("vi").gettext(str(REASONS["not_an_image"]))


def test_numbers_in_a_photos_problem_are_written_the_languages_way() -> None:
    details = {"w": 12000, "h": 9000, "mp": 108, "limit": 100}
    with speaking("vi"):
        assert "12.000 x 9.000 px" in words.photo_error("too_large", details, "")
    with speaking("en"):
        assert "12,000 x 9,000 px" in words.photo_error("too_large", details, "")


def test_a_problem_without_page_words_or_its_values_is_framers_reason() -> None:
    assert words.photo_error("output_appeared", {"path": "x.jpg"}, "said") == "said"
    assert words.photo_error("too_large", {"w": 1}, "said") == "said"  # a value missing


def reply(exc: Exception, lang: str) -> dict[str, str]:
    request = Request({"type": "http", "headers": [], "query_string": f"lang={lang}".encode()})
    response = asyncio.run(answer(request, exc))
    return json.loads(bytes(response.body))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_apis_answers_are_the_pages_sentences(lang: str) -> None:
    shown = [
        reply(PhotoError("not_an_image"), lang),
        reply(PhotoError("truncated"), lang),
        reply(PhotoError("too_costly", mb=1234, limit=1024), lang),
        reply(PhotoError("face_beyond", n=3, found=2), lang),
        reply(PhotoError("crashed"), lang),
        reply(Refused(400, "bad_face"), lang),
        reply(Refused(503, "busy"), lang),
        reply(HTTPException(404), lang),
        reply(RuntimeError("secret text"), lang),
    ]
    for body in shown:
        assert_sentence(body["error"], f"{body['code']} ({lang})")
    assert shown[0] == {"code": "not_an_image", "error": site.words(lang, mb=25)["problems"]["not_an_image"]}
    assert "secret text" not in shown[-1]["error"] and "RuntimeError" in shown[-1]["error"]
    assert ("1.234" if lang == "vi" else "1,234") in shown[2]["error"]
