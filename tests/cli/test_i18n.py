"""Vietnamese and English: every message translated, the locale and --lang obeyed, data unchanged."""

from __future__ import annotations

import ast
import gettext
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from babel.messages.pofile import read_po

from framer.cli.catalog import CLICK_MESSAGES, po_files, untranslated
from framer.i18n import DOMAIN, LOCALE_DIR
from helpers import DATA

# A placeholder's name: a translation may write it with another conversion ("{name!r}" as “{name}”).
PLACEHOLDER = re.compile(r"\{(\w*)(?:![rs])?[^{}]*\}|%\(([a-z_]+)\)s")


def test_every_message_has_a_vietnamese_translation() -> None:
    (vi,) = [po for po in po_files() if po.parent.parent.name == "vi"]
    missing = untranslated(vi)
    assert not missing, f"{len(missing)} message(s) without a Vietnamese translation, e.g. {missing[:5]}"


def test_translations_keep_every_placeholder() -> None:
    for po in po_files():
        with po.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if len(ids) == 1:
                assert set(PLACEHOLDER.findall(strings[0])) == set(PLACEHOLDER.findall(ids[0])), (
                    ids[0],
                    strings,
                )
                continue
            # A plural: Vietnamese has one form for every count, and the caller fills in the
            # placeholders of both English forms, so the one form may use those of either.
            allowed = set(PLACEHOLDER.findall(ids[0])) | set(PLACEHOLDER.findall(ids[1]))
            for text in strings:
                assert set(PLACEHOLDER.findall(text)) <= allowed, (ids[0], text)


def test_click_messages_are_clicks_own() -> None:
    """Every message the catalog takes from Click is one the installed Click says, word for word (a Click
    that rewords one would otherwise leave it in English)."""
    said: set[str] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                said.add(node.value)
    ids = [m for entry in CLICK_MESSAGES for m in ((entry,) if isinstance(entry, str) else entry)]
    assert not [m for m in ids if m not in said]


def test_the_compiled_catalog_is_installed() -> None:
    vi = gettext.translation(DOMAIN, LOCALE_DIR, languages=["vi"])  # raises if no .mo was built
    assert vi.gettext("Show this message and exit.") != "Show this message and exit."


def framer(args: list[str | Path], lang: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "framer", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("i18n") / "photos"
    folder.mkdir()
    shutil.copy(DATA / "grace_hopper.jpg", folder / "Nguyễn Văn An.jpg")
    (folder / "hỏng.jpg").write_bytes(b"")
    return folder


ENGLISH = ["Usage:", "Options", "Show this message", "photos:", "framed", "failed", "Error:", "campaign"]


def test_vietnamese_locale_speaks_vietnamese(batch: Path, tmp_path: Path) -> None:
    help_text = framer(["apply", "--help"], "vi_VN.UTF-8", tmp_path).stdout
    assert "Cách dùng:" in help_text
    assert not [
        w
        for w in ("Usage:", "[OPTIONS]", "INPUT", "Show this message", "Output file format")
        if w in help_text
    ]

    run = framer(
        [
            "apply",
            batch,
            "-o",
            tmp_path / "out",
            "--date",
            "2023-10-05",
            "--jobs",
            "1",
            "--report",
            tmp_path / "r.jsonl",
            "--review",
            tmp_path / "r.html",
        ],
        "vi_VN.UTF-8",
        tmp_path,
    )
    assert run.returncode == 1
    assert "01/10/2023" in run.stderr and "10/10/2023" in run.stderr
    assert "hỏng.jpg" in run.stderr
    assert not [w for w in ENGLISH if w in run.stderr], run.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in page

    refused = framer(
        ["apply", batch, "-o", tmp_path / "late", "--date", "2023-10-11"], "vi_VN.UTF-8", tmp_path
    )
    assert refused.returncode == 3
    assert "--ignore-window" in refused.stderr and "01/10/2023" in refused.stderr
    assert not [w for w in ENGLISH if w in refused.stderr], refused.stderr


def test_english_locale_and_other_locales_speak_english(batch: Path, tmp_path: Path) -> None:
    for lang in ("en_US.UTF-8", "fr_FR.UTF-8", "C"):
        help_text = framer(["--help"], lang, tmp_path).stdout
        assert "Usage:" in help_text and "Show this message and exit." in help_text


def test_lang_option_overrides_the_locale(tmp_path: Path) -> None:
    assert "Usage:" in framer(["apply", "--lang", "en", "--help"], "vi_VN.UTF-8", tmp_path).stdout
    assert "Cách dùng:" in framer(["--lang", "vi", "frames", "--help"], "en_US.UTF-8", tmp_path).stdout
    assert "Cách dùng:" in framer(["campaign", "--help", "--lang", "vi"], "en_US.UTF-8", tmp_path).stdout


def test_machine_readable_output_is_the_same_in_every_language(batch: Path, tmp_path: Path) -> None:
    rows = {}
    for lang in ("vi_VN.UTF-8", "en_US.UTF-8"):
        report = tmp_path / f"{lang}.jsonl"
        done = framer(
            [
                "apply",
                batch,
                "-o",
                tmp_path / lang,
                "--date",
                "2023-10-05",
                "--jobs",
                "1",
                "--report",
                report,
            ],
            lang,
            tmp_path,
        )
        assert done.returncode == 1
        rows[lang] = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    vi, en = rows["vi_VN.UTF-8"], rows["en_US.UTF-8"]
    assert [sorted(r) for r in vi] == [sorted(r) for r in en]
    assert [(r["status"], r["warnings"]) for r in vi] == [(r["status"], r["warnings"]) for r in en]


def test_csv_headers_are_translated_and_read_back(batch: Path, tmp_path: Path) -> None:
    report = tmp_path / "bao-cao.csv"
    framer(
        ["apply", batch, "-o", tmp_path / "out", "--date", "2023-10-05", "--jobs", "1", "--report", report],
        "vi_VN.UTF-8",
        tmp_path,
    )
    header = report.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "input" not in header.split(",") and "status" not in header.split(",")
    again = framer(["review", report, "-o", tmp_path / "r.html"], "en_US.UTF-8", tmp_path)
    assert again.returncode == 0, again.stderr
    assert "(2 photos)" in again.stderr
