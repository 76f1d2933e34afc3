"""How framer compares names and places: names in NFC, paths as a case-insensitive file system does, and
whether a path really lies in a folder once its links are resolved."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path


def nfc(text: str) -> str:
    """`text` in NFC: `é` typed as one character or as `e` and an accent (macOS, Excel) is one name."""
    return unicodedata.normalize("NFC", text)


def folded(path: Path) -> str:
    """A path as a case-insensitive file system (Windows, macOS) compares it: `an.JPG` is `an.jpg`, and
    `é` typed as one character or as `e` and an accent are one name."""
    return nfc(str(path)).casefold()


def inside(path: Path, folder_real: str) -> bool:
    """Whether `path`, its links resolved, is the folder whose real path (os.path.realpath) is
    `folder_real`, or lies in it: a symbolic link must not lead framer elsewhere."""
    real = os.path.realpath(path)
    return real == folder_real or real.startswith(folder_real.rstrip(os.sep) + os.sep)
