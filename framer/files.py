"""Files without pixels: which names are photos, and writing an output so it is never half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError
from .i18n import _

# Extensions picked up when walking a folder.
PHOTO_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif"}
)

_UMASK = os.umask(0)
os.umask(_UMASK)

TEMP_MARK = ".framer-"  # temporary files are named .NAME.framer-XXXX.part


def write_atomic(
    path: Path, data: bytes, *, overwrite: bool, before_rename: Callable[[], None] | None = None
) -> None:
    """Write `data` to `path` so that `path` is either absent or complete, never half-written.

    The bytes go to a temporary file, are flushed to disk, and are then moved into place in one step
    (`before_rename` runs just before). Without `overwrite`, an existing `path` is left alone
    (OutputError).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    where = staging_folder(path.parent)
    fd, tmp_name = tempfile.mkstemp(dir=where, prefix=f".{path.name}{TEMP_MARK}", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the usual mode
        if before_rename is not None:
            before_rename()
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_no_clobber(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def staging_folder(folder: Path) -> Path:
    """Where an output is written before it gets its name: the system's temporary folder when it is on
    the same file system as `folder` (the move into place stays one atomic step, and an output folder
    never holds an unfinished file, even after kill -9); otherwise `folder` itself, as a hidden file."""
    system = Path(tempfile.gettempdir())
    try:
        if system.stat().st_dev == folder.stat().st_dev:
            return system
    except OSError:
        pass
    return folder


def remove_stale_temporaries(folder: Path) -> int:
    """Delete the temporary files a killed run left under `folder`; how many there were."""
    n = 0
    for dirpath, _dirs, filenames in os.walk(folder):
        for name in filenames:
            if name.startswith(".") and TEMP_MARK in name and name.endswith(".part"):
                Path(dirpath, name).unlink(missing_ok=True)
                n += 1
    return n


def _link_no_clobber(tmp: Path, path: Path) -> None:
    """Move `tmp` to `path` unless `path` exists, without a window in which both could be written."""
    try:
        os.link(tmp, path)  # atomic, and fails if path exists
    except FileExistsError:
        raise OutputError(_("{path} already exists").format(path=path)) from None
    except OSError:
        # File systems without hard links (FAT, exFAT USB sticks): check, then rename.
        if path.exists():
            raise OutputError(_("{path} already exists").format(path=path)) from None
        os.replace(tmp, path)
