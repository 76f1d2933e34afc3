"""Shared fixtures: the real photos in tests/data, one detector, the built-in frame at test size."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from framer.core.compose import PreparedFrame
from framer.core.detect import FaceDetector
from framer.frames.model import Frame
from framer.frames.registry import load_frame
from helpers import ARGS, CHROMIUM, REQUIRED, TEST_SIZE, browser_missing

# CI (CI=true) replays the same examples every run, so a submission never fails by the luck of the draw;
# a developer's run keeps exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests keep prepared frames in a cache of their own (framer.frames.cache), never the user's;
    set in the environment, so the workers a test starts use it too."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRAMER_CACHE", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def each_test_in_the_locales_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--lang` sets LANGUAGE for the rest of the process (framer.i18n.use_language): a test that runs
    a command with --lang must not leave its language to the tests after it."""
    monkeypatch.delenv("LANGUAGE", raising=False)


@pytest.fixture(autouse=True)
def own_frames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test has its own user frames folder, never the real one."""
    folder = tmp_path / "my-frames"
    monkeypatch.setenv("FRAMER_FRAMES", str(folder))
    return folder


@pytest.fixture(scope="session")
def detector() -> FaceDetector:
    return FaceDetector()


@pytest.fixture(scope="session")
def frame() -> PreparedFrame:
    dx = load_frame("dx-2023")
    return PreparedFrame.from_image(dx.open_image(), dx.window, (TEST_SIZE, TEST_SIZE))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = browser_missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"FRAMER_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def dx() -> Frame:
    """The built-in frame, its window found."""
    return load_frame("dx-2023").settled()
