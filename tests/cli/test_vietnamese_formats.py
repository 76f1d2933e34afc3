"""Vietnamese as a civil servant reads it (issue 22): numbers, dates, times and time zones through one
formatting layer (framer.i18n, on Babel's locale data), no raw id or Python text in a sentence, one term
per concept (framer/locale/GLOSSARY.md, enforced by the catalog check). A test per class."""

from __future__ import annotations

import os
import struct
import zlib
import zoneinfo
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framer import i18n
from framer.cli.catalog import glossary_faults, po_files
from framer.cli.options import sentence
from helpers import DATA, TEST_SIZE, run


@pytest.fixture
def vi() -> Iterator[None]:
    before = os.environ.get("LANGUAGE")
    os.environ["LANGUAGE"] = "vi"
    yield
    if before is None:
        del os.environ["LANGUAGE"]
    else:
        os.environ["LANGUAGE"] = before


# --- time zones: a name for people, never the IANA id ----------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_time_zone_is_named_by_its_id(lang: str) -> None:
    """Every zone Python knows is named from CLDR's data ("giờ Việt Nam") or by its offset ("UTC+7")."""
    for tz in zoneinfo.available_timezones():
        said = i18n.zone(tz, date(2023, 10, 1), lang)
        assert "/" not in said and "_" not in said, (tz, said)


def test_the_campaigns_zone_in_each_language() -> None:
    assert i18n.zone("Asia/Ho_Chi_Minh", lang="vi") == "giờ Việt Nam"
    assert i18n.zone("Asia/Saigon", lang="vi") == "giờ Việt Nam"  # an alias, named as its zone
    assert i18n.zone("Asia/Ho_Chi_Minh", lang="en") == "Vietnam time"
    assert i18n.zone("Etc/GMT-7", lang="vi") == "UTC+7"  # a zone CLDR places nowhere: its offset
    assert i18n.zone("Asia/Kathmandu", date(2023, 10, 1), "en") == "Nepal time"


@pytest.mark.parametrize(
    "args",
    [["campaign", "--date", "2023-10-05"], ["frames", "list"], ["frames", "show", "dx-2023"]],
    ids=["campaign", "frames list", "frames show"],
)
def test_commands_name_the_zone_for_people(args: list[str]) -> None:
    said = run("--lang", "vi", *args) if args[0] != "frames" else run(args[0], "--lang", "vi", *args[1:])
    assert said.exit_code == 0, said.output
    assert "giờ Việt Nam" in said.output and "Asia/Ho_Chi_Minh" not in said.output


def test_apply_outside_the_window_names_the_zone_for_people(tmp_path: Path) -> None:
    said = run(
        "apply", "--lang", "vi", DATA / "grace_hopper.jpg", "-o", tmp_path / "x.jpg", "--date", "2023-10-11"
    )
    assert said.exit_code == 3
    assert "(giờ Việt Nam)" in said.output and "Asia/" not in said.output
    assert "Lỗi: Chiến dịch" in said.output  # a sentence after "Lỗi:", as Click's own errors are


# --- numbers and dates, the language's way ------------------------------------------------------------------


@given(st.floats(-1e7, 1e7, allow_nan=False), st.integers(0, 3))
def test_a_number_reads_back_as_the_rounded_value(value: float, places: int) -> None:
    os.environ["LANGUAGE"] = "vi"
    try:
        said = i18n.number(value, places)
    finally:
        del os.environ["LANGUAGE"]
    assert set(said) <= set("-0123456789.,")
    whole, _, fraction = said.partition(",")
    assert len(fraction) == places
    assert all(len(group) == 3 for group in whole.lstrip("-").split(".")[1:])  # thousands by dots
    assert abs(float(whole.replace(".", "") + "." + (fraction or "0")) - round(value, places)) < 1e-6


def test_dates_and_times_as_vietnamese_documents_write_them(vi: None) -> None:
    assert i18n.day(date(2023, 10, 1)) == "01/10/2023"
    assert i18n.long_day(date(2023, 10, 1)) == "ngày 01 tháng 10 năm 2023"  # Nghị định 30/2020/NĐ-CP
    assert i18n.moment(datetime(2026, 12, 6, 19, 33, 24)) == "19:33:24 ngày 06/12/2026"
    assert i18n.integer(60000) == "60.000" and i18n.percent(0.126, 1) == "12,6 %"


def test_a_decompression_bombs_size_has_thousands_separators(tmp_path: Path) -> None:
    bomb = tmp_path / "bom.png"  # a PNG header that claims 60000 x 60000 px, and no pixels
    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))
    bomb.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk + b"\0\0\0\0IEND\xaeB`\x82")
    said = run("apply", "--lang", "vi", bomb, "-o", tmp_path / "out", "--date", "2023-10-05")
    assert said.exit_code == 1
    assert "60.000 x 60.000 px (3.600 megapixel)" in said.output, said.output


def test_the_calendar_says_the_day_with_two_digits(tmp_path: Path) -> None:
    ics = tmp_path / "nhac.ics"
    said = run("remind", "--lang", "vi", "--frame", "dx-2023", "--date", "2023-09-20", "-o", ics)
    assert said.exit_code == 0, said.output
    text = ics.read_text(encoding="utf-8").replace("\r\n ", "")  # unfolded
    assert "ngày 01 tháng 10 năm 2023" in text


# --- counts that say one thing each ---------------------------------------------------------------------


def test_a_single_no_face_photo_is_not_said_to_be_0_framed(tmp_path: Path) -> None:
    said = run("apply", "--lang", "vi", DATA / "chelsea.png", "-o", tmp_path / "out", "--date", "2023-10-05",
               "--size", TEST_SIZE)  # fmt: skip
    assert said.exit_code == 1
    assert "0 ảnh đã gắn khung" not in said.output
    assert "Tổng số 1 ảnh: 1 ảnh không tìm thấy khuôn mặt (vẫn gắn khung, cần kiểm tra)." in said.output


# --- words: the glossary, the placeholders, the errors --------------------------------------------------


def test_the_catalog_keeps_the_glossary() -> None:
    (po,) = [po for po in po_files() if po.parent.parent.name == "vi"]
    assert glossary_faults(po) == []


def test_the_glossary_check_finds_a_term_broken(tmp_path: Path) -> None:
    po = tmp_path / "framer.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "framer\'s journal of the output folder"\nmsgstr "sổ ghi của framer trong thư mục đầu ra"\n',
        encoding="utf-8",
    )
    faults = glossary_faults(po)
    assert any("'sổ ghi'" in f for f in faults) and any("without 'nhật ký'" in f for f in faults)
    assert any("'thư mục đầu ra'" in f for f in faults)


def test_help_names_placeholders_in_vietnamese() -> None:
    said = run("serve", "--lang", "vi", "--help").output
    assert "VĂN_BẢN" not in said and "--host ĐỊA_CHỈ" in said and "NNNN" not in said


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("không mở được thư mục", "Không mở được thư mục"),
        ("cannot write x.png", "Cannot write x.png"),
        ("photos/a.jpg: không phải tệp ảnh", "photos/a.jpg: không phải tệp ảnh"),  # a path as it is
        ("dx-2023 is a built-in frame", "dx-2023 is a built-in frame"),  # a name as it is
        ("--title is too long", "--title is too long"),
    ],
)
def test_an_error_after_error_is_a_sentence(message: str, said: str) -> None:
    assert sentence(message) == said


def test_an_adjust_file_may_name_its_columns_in_vietnamese(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "an.jpg").write_bytes((DATA / "grace_hopper.jpg").read_bytes())
    plain = run("apply", photos, "-o", tmp_path / "plain", "--date", "2023-10-05", "--size", TEST_SIZE)
    fixes = tmp_path / "sua.csv"
    fixes.write_text("Tệp,Thu phóng,dx,dy,Khuôn mặt\nan.jpg,1.5,,,1\n", encoding="utf-8")
    fixed = run("apply", photos, "-o", tmp_path / "fixed", "--date", "2023-10-05", "--size", TEST_SIZE,
                "--adjust", fixes)  # fmt: skip
    assert plain.exit_code == fixed.exit_code == 0, fixed.output
    assert (tmp_path / "plain" / "an.jpg").read_bytes() != (tmp_path / "fixed" / "an.jpg").read_bytes()
