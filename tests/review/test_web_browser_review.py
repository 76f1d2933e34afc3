"""framer review --serve in a real browser (Debian's chromium, driven by Playwright, as test_web_browser):
IT staff fix the few photos of a batch on the page, and framer apply agrees with what they saved.

Skipped only when /usr/bin/chromium is missing, and then failed instead when FRAMER_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from framer.batch.adjust import read_adjustments
from framer.review.session import Hints, load
from framer.web.review_app import create_review_app
from framer.web.review_service import ReviewConfig
from framer.web.serving import in_thread
from helpers import DESKTOP, ON, TEST_SIZE, make_batch, pixels, rerun, run

SIZE = str(TEST_SIZE)


@pytest.fixture
def batch_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    make_batch(tmp_path)
    return tmp_path


@contextmanager
def serving(token: str | None = None) -> Iterator[str]:
    batch = load(Path("report.jsonl"), Path("FIXES.csv"), Hints())
    with in_thread(create_review_app(ReviewConfig(batch, workers=1, token=token))) as url:
        yield url


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages = []

    def opened(url: str, viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(viewport=viewport, locale="en-GB")
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(url if "?" in url else url + "/")
        page.wait_for_selector("#board[data-ready]")
        pages.append(page)
        return page

    yield opened
    for page in pages:
        assert not page.errors, f"the page had errors (a CSP refusal is one): {page.errors}"
        page.context.close()


def open_editor(page: Any, file: str) -> None:
    page.click(f"[data-file='{file}'] .fix")
    page.wait_for_selector("#editor[data-ready]")


def save(page: Any) -> None:
    page.click("#save")
    page.wait_for_selector("#editor[data-saved='true']")


def test_each_photo_has_a_card_and_picking_face_2_frames_the_second_person(
    batch_dir: Path, open_page: Any
) -> None:
    with serving() as url:
        page = open_page(url)
        files = page.eval_on_selector_all("[data-file]", "nodes => nodes.map(n => n.dataset.file)")
        assert sorted(files) == ["cat.png", "group.jpg", "sub/hopper.jpg"]
        assert page.locator("#count-problems").inner_text() == "2 to check"
        assert "FIXES.csv" in page.locator("#adjust-file").inner_text()
        open_editor(page, "group.jpg")
        assert page.locator(".face-mark").count() == 2  # faces drawn and numbered
        page.click(".face-mark[data-face='2']")
        assert page.get_attribute(".face-mark[data-face='2']", "aria-pressed") == "true"
        before = page.get_attribute("[data-file='group.jpg'] img", "src")
        save(page)
        page.click("#close")
        card = page.locator("[data-file='group.jpg']")
        assert card.get_attribute("data-checked") == "true"
        assert page.get_attribute("[data-file='group.jpg'] img", "src") != before  # the new picture
        assert page.locator("#count-problems").inner_text() == "1 to check"
    alone = run("apply", "photos/group.jpg", "-o", "face2.jpg", "--face", "2", "--size", SIZE, *ON)
    assert alone.exit_code == 0, alone.output
    assert np.array_equal(pixels(Path("framed/group.jpg")), pixels(Path("face2.jpg")))
    (row,) = read_adjustments(Path("FIXES.csv"))
    assert (row.file, row.adjust.face) == ("group.jpg", 1)
    assert all("up_to_date" in row["warnings"] for row in rerun())


def test_a_photo_without_a_face_is_fixed_by_zoom_and_drag(batch_dir: Path, open_page: Any) -> None:
    before = pixels(Path("framed/cat.jpg"))
    with serving() as url:
        page = open_page(url)
        open_editor(page, "cat.png")
        page.click("#zoom-in")
        page.click("#zoom-in")
        box = page.locator("#avatar").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 30, y + 15, steps=5)
        page.mouse.up()
        save(page)
    (row,) = read_adjustments(Path("FIXES.csv"))
    zoom, (dx, dy) = row.adjust.zoom, row.adjust.shift
    assert row.file == "cat.png" and zoom == pytest.approx(1.21) and dx > 0.01 and dy > 0.005
    assert not np.array_equal(pixels(Path("framed/cat.jpg")), before)
    alone = run(
        "apply", "photos/cat.png", "-o", "cat.jpg", "--zoom", repr(zoom), "--shift", f"{dx!r},{dy!r}",
        "--size", SIZE, *ON,
    )  # fmt: skip
    assert alone.exit_code == 0, alone.output  # no face found, but corrected by hand: looked at
    assert np.array_equal(pixels(Path("framed/cat.jpg")), pixels(Path("cat.jpg")))
    assert all("up_to_date" in row["warnings"] for row in rerun())


@pytest.mark.parametrize(
    ("lang", "mark", "checked", "unmark"),
    [
        ("en", "Mark as checked", "Checked ✓", "Un-check"),
        ("vi", "Đánh dấu đã kiểm tra", "Đã kiểm tra ✓", "Bỏ đánh dấu đã kiểm tra"),
    ],
)
def test_after_save_the_card_says_checked_and_its_button_says_what_a_click_does(
    batch_dir: Path, open_page: Any, lang: str, mark: str, checked: str, unmark: str
) -> None:
    card = "[data-file='sub/hopper.jpg']"
    with serving() as url:
        page = open_page(f"{url}/?lang={lang}")
        assert page.locator(f"{card} .mark").inner_text() == mark
        assert page.locator(f"{card} .badge").count() == 0
        open_editor(page, "sub/hopper.jpg")
        save(page)  # as it is framed today: nothing to frame again, and a person looked at it
        page.click("#close")
        assert page.get_attribute(card, "data-checked") == "true"
        assert page.locator(f"{card} .badge").inner_text() == checked  # the state
        assert page.locator(f"{card} .mark").inner_text() == unmark  # what a click does
        assert page.get_attribute(f"{card} .mark", "aria-pressed") is None  # its words say it all
        page.click(f"{card} .mark")
        page.wait_for_selector(f"{card}[data-checked='false']", state="attached")
        assert page.locator(f"{card} .mark").inner_text() == mark
        assert page.locator(f"{card} .badge").count() == 0


def test_keys_filters_and_a_check_mark_that_survives_a_restart(batch_dir: Path, open_page: Any) -> None:
    with serving() as url:
        page = open_page(url)
        current = "document.querySelector('.rcard.current')?.dataset.file"
        page.keyboard.press("j")
        assert page.evaluate(current) == "cat.png"  # the first photo to check
        page.keyboard.press("j")
        assert page.evaluate(current) == "group.jpg"
        page.keyboard.press("j")
        assert page.evaluate(current) == "group.jpg"  # the last one to check: it stays
        page.keyboard.press("k")
        assert page.evaluate(current) == "cat.png"
        page.keyboard.press("Enter")
        page.wait_for_selector("#editor[data-ready]")
        page.keyboard.press("Escape")
        page.wait_for_selector("#editor:not([open])", state="attached")
        visible = "[...document.querySelectorAll('.rcard:not([hidden])')].map(n => n.dataset.file)"
        page.fill("#filter-name", "hopper")
        assert page.evaluate(visible) == ["sub/hopper.jpg"]
        page.fill("#filter-name", "")
        page.select_option("#filter-status", "problems")
        assert sorted(page.evaluate(visible)) == ["cat.png", "group.jpg"]
        page.click("[data-file='cat.png'] .mark")
        page.wait_for_selector("[data-file='cat.png'][data-checked='true']", state="attached")
        assert page.evaluate(visible) == ["group.jpg"]  # out of the problems
        assert page.locator("#count-checked").inner_text() == "1 checked"
        page.select_option("#filter-status", "all")
        page.select_option("#filter-folder", "sub")
        assert page.evaluate(visible) == ["sub/hopper.jpg"]
    with serving() as url:  # framer review --serve again, tomorrow
        page = open_page(url)
        assert page.get_attribute("[data-file='cat.png']", "data-checked") == "true"
        assert page.locator("#count-problems").inner_text() == "1 to check"
    assert all("up_to_date" in row["warnings"] for row in rerun())


def test_the_page_on_a_phone_fits_its_width_and_reads_in_vietnamese(batch_dir: Path, browser: Any) -> None:
    with serving() as url:
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        page = context.new_page()
        page.goto(url + "/")
        page.wait_for_selector("#board[data-ready]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert "cần kiểm tra" in page.locator("#count-problems").inner_text()
        open_editor(page, "group.jpg")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        context.close()


def test_with_a_key_the_page_works_from_its_printed_address_and_hides_the_key(
    batch_dir: Path, open_page: Any
) -> None:
    with serving(token="the-printed-key-0123456789") as url:
        page = open_page(url + "/?token=the-printed-key-0123456789")
        assert "token" not in page.url  # kept in a cookie, not on the screen
        assert page.locator("[data-file]").count() == 3
        open_editor(page, "group.jpg")  # the editor's requests carry the cookie
        page.click(".face-mark[data-face='2']")
        save(page)
        page.click("#close")
        page.click("a#lang-vi")  # another address of the page, without the key
        page.wait_for_selector("#board[data-ready]")
        assert "cần kiểm tra" in page.locator("#count-problems").inner_text()
    assert read_adjustments(Path("FIXES.csv"))[0].adjust.face == 1
