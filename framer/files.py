"""Files without pixels: which names are photos, reading only regular files, and writing so that nothing is
ever half-written, written through a link, or written over a file framer must not touch.

Writing (write_atomic, AtomicFile): the bytes go to a private (0600) staging file, are flushed to disk, and
are moved into place in one step; only then does the file get the usual mode. The staging file lives in a
staging folder of this process, in the system's temporary folder when that is on the same file system as
the target (so an output folder never holds an unfinished file, even after kill -9), otherwise hidden in
the target's folder. Each staging folder is locked by the process that made it for as long as it lives;
any framer run removes the staging folders whose process is gone, with whatever a killed run left there.
"""

from __future__ import annotations

import atexit
import errno
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, BinaryIO

from .errors import OutputError, WriteRefused
from .i18n import _, display

# Extensions picked up when walking a folder.
PHOTO_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif"}
)

_UMASK = os.umask(0)
os.umask(_UMASK)

# in each output folder: what framer wrote there (framer.batch.journal)
JOURNAL_NAME = ".framer-journal.jsonl"
LOCK_NAME = ".framer-lock"  # held by the run writing into the folder
TEMP_MARK = ".framer-"  # framer 0.1 staged a file beside its target as .NAME.framer-XXXX.part
STAGING_PREFIX = ".framer-staging-"  # a staging folder: .framer-staging-XXXX, holding a .lock
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)


class NotARegularFile(OSError):
    """A path that is a folder, a pipe, a socket or a device where framer expects a plain file."""


def open_regular(path: Path | str) -> BinaryIO:
    """Open `path` for reading, only if it is a regular file, and without ever blocking: a pipe (FIFO)
    named like a photo would make a plain open() wait forever for a writer."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _NOCTTY | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile(errno.EINVAL, _("not a regular file (a folder, a pipe or a device)"), path)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def is_path_text(value: object) -> bool:
    """Whether `value` is text a path can be: a str with no NUL (no file system holds one) whose only
    lone surrogates stand for bytes that are not UTF-8 (Python's surrogate escapes), which display()
    can show and the file system takes back."""
    if not isinstance(value, str) or "\0" in value:
        return False
    try:
        value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def json_line(obj: object) -> str:
    """One JSON line, readable (Vietnamese as it is) where it can be; a name with bytes that are not UTF-8
    is kept exactly, as JSON escapes, so that the line still leads back to the file."""
    text = json.dumps(obj, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(obj)
    return text + "\n"


# --- never write where it would do harm ----------------------------------------------------------------

HEAD_BYTES = 4096  # how much of an existing file is read to tell whether framer wrote it


def check_target(
    path: Path,
    protected: Mapping[str, str] | None = None,
    *,
    ours: Callable[[bytes], bool],
    made: Iterable[Path] = (),
) -> None:
    """Refuse (WriteRefused, one line) to write the side file `path` (a report, a review page, a
    calendar, a preview sheet) where that would replace what framer must not: a link, a folder, a device
    or a pipe; a file named in `protected` (real path -> what it is: an input photo, the adjust file,
    the frame...); framer's own bookkeeping anywhere (a journal, a lock); or any existing file framer did
    not write, which `ours(first bytes)` tells (a report of an earlier run is replaced; a photo, a note,
    another folder's journal never are). Also refuse a target whose folder does not exist (unless it is
    one of the folders the run will make, `made`) or cannot be written."""
    st = plain_or_absent(path)
    if path.name in (JOURNAL_NAME, LOCK_NAME) or path.name.startswith(STAGING_PREFIX):
        raise WriteRefused(
            _("{path} is where framer keeps its own records: choose another name").format(path=display(path))
        )
    what = (protected or {}).get(os.path.realpath(path))
    if what is not None:
        raise WriteRefused(
            _("{path} is {what}: framer never writes over it; choose another name").format(
                path=display(path), what=what
            )
        )
    if st is not None and st.st_size:
        with open_regular(path) as f:
            head = f.read(HEAD_BYTES)
        if not ours(head):
            raise WriteRefused(
                _("{path} already exists and framer did not write it: choose another name").format(
                    path=display(path)
                )
            )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists() and any(folder == m or folder.is_relative_to(m) for m in made):
        return  # inside an output folder the run is about to make
    if not folder.is_dir():
        raise WriteRefused(
            _("cannot write {path}: the folder {folder} does not exist").format(
                path=display(path), folder=display(folder)
            )
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WriteRefused(
            _("cannot write {path}: the folder {folder} is not writable").format(
                path=display(path), folder=display(folder)
            )
        )


def plain_or_absent(path: Path) -> os.stat_result | None:
    """`path`'s status if it is a regular file, None if there is nothing there; WriteRefused (one line)
    for a link, a folder, a device or a pipe, which framer never writes over nor through."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        message = _("cannot write {path}: {reason}").format(path=display(path), reason=e.strerror)
        raise WriteRefused(message) from None
    if stat.S_ISLNK(st.st_mode):
        raise WriteRefused(
            _("{path} is a symbolic link: framer never writes through a link").format(path=display(path))
        )
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(
            _("{path} is not a regular file (a folder, a device or a pipe): choose another name").format(
                path=display(path)
            )
        )
    return st


# --- locks --------------------------------------------------------------------------------------------


def try_lock(fd: int) -> bool:
    """Take an exclusive lock on the open file `fd` without waiting; False when another process has it.
    The system drops the lock when the process ends, however it ends (even kill -9)."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def open_nofollow(path: Path, flags: int, mode: int = 0o644) -> int:
    """os.open for writing framer's own files, refusing (WriteRefused) a link, a folder, a device or a
    pipe at `path` instead of writing through it."""
    plain_or_absent(path)
    try:
        return os.open(path, flags | _NOFOLLOW | _NONBLOCK, mode)
    except OSError:
        plain_or_absent(path)  # replaced by a link or a pipe in the meantime: say so
        raise


# --- staging ------------------------------------------------------------------------------------------

_staging: dict[object, Path] = {}  # this process's staging folders: by file system (st_dev), or by folder
_staging_locks: list[int] = []


def system_temp() -> Path:
    return Path(tempfile.gettempdir())


def staging_dir(folder: Path, *, beside: bool = False) -> Path:
    """This process's private staging folder for files that go into `folder`, made (and locked) on first
    use: in the system's temporary folder when it shares `folder`'s file system, else hidden in `folder`;
    with `beside`, hidden in `folder` itself (a bind mount: the same file system, but no move across)."""
    key: object = ("beside", str(folder)) if beside else folder.stat().st_dev
    if key in _staging:
        return _staging[key]
    host = folder
    if not beside:
        with suppress(OSError):
            host = system_temp() if system_temp().stat().st_dev == key else folder
    remove_stale_staging(host)
    made = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=host))  # 0700: nobody else can look in
    fd = os.open(made / ".lock", os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
    try_lock(fd)
    if not _staging:
        atexit.register(_remove_own_staging)
    _staging[key] = made
    _staging_locks.append(fd)
    return made


def _remove_own_staging() -> None:
    for folder in _staging.values():
        shutil.rmtree(folder, ignore_errors=True)
    for fd in _staging_locks:
        os.close(fd)
    _staging.clear()
    _staging_locks.clear()


def remove_stale_staging(host: Path) -> int:
    """Delete the staging folders under `host` whose process is gone (their lock is free), with what a
    killed run left in them; how many there were. Folders of live runs are left alone."""
    removed = 0
    try:
        entries = list(os.scandir(host))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith(STAGING_PREFIX) or Path(entry.path) in _staging.values():
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
                continue
            lock = Path(entry.path, ".lock")
            if not lock.exists():  # made a moment ago and not locked yet, or its maker died right then
                if time.time() - st.st_mtime < 60:
                    continue
            else:
                fd = os.open(lock, os.O_RDWR | _NOFOLLOW)
                try:
                    if not try_lock(fd):
                        continue  # a live run's
                finally:
                    os.close(fd)
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
        except OSError:
            continue
    return removed


def remove_stale_temporaries(folder: Path) -> int:
    """Delete what killed runs left in the output folder `folder` (only with its lock held): staging
    folders whose process is gone, and the hidden staging files of framer 0.1; how many there were."""
    n = remove_stale_staging(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return n
    for entry in entries:
        name = entry.name
        if name.startswith(".") and TEMP_MARK in name and name.endswith(".part") and entry.is_file():
            Path(entry.path).unlink(missing_ok=True)
            n += 1
    return n


# --- atomic writes ------------------------------------------------------------------------------------


def _new_staging_file(path: Path, beside: bool) -> tuple[int, Path]:
    """A private (0600) staging file for `path`, in this process's staging folder for its folder."""
    fd, name = tempfile.mkstemp(dir=staging_dir(path.parent, beside=beside), prefix="part-", suffix=".part")
    return fd, Path(name)


def _place(tmp: Path, path: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, path)  # replaces a link itself, never what it points to
    else:
        _link_no_clobber(tmp, path)


def _link_no_clobber(tmp: Path, path: Path) -> None:
    """Move `tmp` to `path` unless `path` exists, without a window in which both could be written."""
    try:
        os.link(tmp, path)  # atomic, and fails if path exists (even as a dangling link)
    except FileExistsError:
        raise OutputError("output_appeared", path=str(path)) from None
    except OSError as e:
        if e.errno == errno.EXDEV:
            raise
        # File systems without hard links (FAT, exFAT USB sticks): check, then rename.
        if os.path.lexists(path):
            raise OutputError("output_appeared", path=str(path)) from None
        os.replace(tmp, path)


def write_atomic(
    path: Path,
    data: bytes,
    *,
    overwrite: bool,
    before_place: Callable[[os.stat_result], None] | None = None,
) -> None:
    """Write `data` to `path` so that `path` is either absent or complete, never half-written.

    `before_place` is called with the staged file's status just before it is moved into place: its
    size, modification time and inode are those `path` will have. Without `overwrite`, an existing
    `path` (even a link) is left alone (OutputError).
    """
    with AtomicFile(path, overwrite=overwrite, before_place=before_place) as f:
        f.write(data)


class AtomicFile:
    """A file being written that appears at its path, whole, only when closed without an error."""

    def __init__(
        self,
        path: Path,
        *,
        overwrite: bool = True,
        before_place: Callable[[os.stat_result], None] | None = None,
    ) -> None:
        self.path, self.overwrite, self.before_place = path, overwrite, before_place
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = _new_staging_file(path, beside=False)
        self.file: IO[bytes] = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def commit(self) -> None:
        """Flush to disk and move into place; the staged copy stays private until it has its name."""
        f = self.file
        try:
            f.flush()
            os.fsync(f.fileno())
            if self.before_place is not None:
                self.before_place(os.fstat(f.fileno()))
            try:
                _place(self._tmp, self.path, self.overwrite)
            except OSError as e:
                if e.errno != errno.EXDEV:  # a bind mount: same device number, but no rename across it
                    raise
                self._restage_beside()
                if self.before_place is not None:
                    self.before_place(os.fstat(self.file.fileno()))
                _place(self._tmp, self.path, self.overwrite)
            self._tmp.unlink(missing_ok=True)
            mode = 0o666 & ~_UMASK
            if os.chmod in os.supports_fd:
                os.chmod(self.file.fileno(), mode)
            else:  # Windows: only the read-only bit exists
                os.chmod(self.path, mode)
        finally:
            self.abort()

    def _restage_beside(self) -> None:
        self.file.seek(0)
        fd, tmp = _new_staging_file(self.path, beside=True)
        with os.fdopen(fd, "wb", closefd=False) as beside:
            shutil.copyfileobj(self.file, beside)
            beside.flush()
            os.fsync(fd)
        self.abort()
        self._tmp, self.file = tmp, os.fdopen(fd, "r+b")

    def abort(self) -> None:
        self.file.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


@contextmanager
def atomic_text(path: Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file written atomically (see AtomicFile): whole at `path` when the block ends without error."""
    import io

    target = AtomicFile(path, overwrite=True)
    text = io.TextIOWrapper(target.file, encoding=encoding, newline="", write_through=True)
    try:
        yield text
    except BaseException:
        text.detach()
        target.abort()
        raise
    text.flush()
    text.detach()
    target.commit()
