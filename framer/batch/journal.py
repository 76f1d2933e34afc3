"""What earlier runs wrote into an output folder, so that a re-run redoes only what is needed and never
replaces a file framer did not write, nor one it made from another photo.

Each output folder keeps a hidden `.framer-journal.jsonl`, one line per file written (an output or its
preview): which photo it was made from (real path and fingerprint), with which settings, and the file's
own identity (size, modification time, inode, SHA-256). The line is appended and flushed to disk just
before the file is moved into place, so a file framer placed always has its line, whatever moment a run
was killed at. A line is trusted only while the file on disk is still the one it describes: a write that
failed, a file replaced by hand, or a torn line from a power cut is never taken for framer's work. A run
reads the journal once, under the folder's lock, and rewrites it without the lines it cannot trust.

    .framer-lock   held by the run writing into the folder; it says which run that is
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import FolderBusy, WriteRefused
from ..files import (
    JOURNAL_NAME,
    LOCK_NAME,
    is_path_text,
    json_line,
    open_nofollow,
    open_regular,
    plain_or_absent,
    try_lock,
    write_atomic,
)
from ..i18n import _, display, moment
from ..reasons import worded_os

if TYPE_CHECKING:
    from ..frames.model import Frame
    from .tasks import Settings

HASH_CHUNK = 1 << 20


def fingerprint(st: os.stat_result) -> list[int]:
    """What tells one version of a photo from another without reading it: a photo swapped in place with
    its modification time restored still gets a new change time (ctime), which no program can set."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def settings_digest(frame: Frame, side: int | None, settings: Settings, image: str | None = None) -> str:
    """A digest of everything that shapes every output of a run: framer's version, the frame, the size,
    the format, quality and preview (--overwrite is not a setting of the picture). `image`: the frame's
    own digest (Frame.digest), when it is known already."""
    image = image or frame.digest()
    parts = (
        __version__,
        frame.name,
        image,
        frame.window,
        side,
        settings.fmt,
        settings.quality,
        settings.preview,
    )
    return hashlib.sha256(json.dumps([repr(p) for p in parts]).encode()).hexdigest()


def job_key(settings_digest: str, adjust: object) -> str:
    """The settings of one output: the run's, and the person's adjustments to this photo."""
    return hashlib.sha256(json.dumps([settings_digest, repr(adjust)]).encode()).hexdigest()[:32]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as f:
        while chunk := f.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """One journal line: a file framer wrote, from which photo, how, and the file's identity."""

    output: str  # relative to the output folder, with /
    source: str  # the real path of the photo it was made from
    input: list[int]  # the photo's fingerprint then
    key: str  # job_key: the settings
    file: list[int]  # the written file: size, modification time (ns), inode
    sha256: str  # "" when a torn line lost it: then only the whole identity (`file`) can vouch
    outcome: dict[str, Any] = field(default_factory=dict)  # what the report said: status, faces, ...

    @classmethod
    def parse(cls, obj: object) -> Entry | None:
        """The entry a journal line holds, or None for anything else: a line of framer 0.1 (no file
        identity), a retraction, garbage, or a name no file system could hold."""
        if not isinstance(obj, dict):
            return None
        try:
            entry = cls(
                **{k: obj[k] for k in ("output", "source", "input", "key", "file")},
                sha256=obj.get("sha256", ""),
            )
        except (KeyError, TypeError):
            return None
        outcome = obj.get("outcome")
        ok = (
            _is_name(entry.output)
            and not entry.output.startswith("/")
            and ".." not in entry.output.split("/")
            and _is_name(entry.source)
            and isinstance(entry.key, str)
            and isinstance(entry.sha256, str)
            and _ints(entry.input, 4)
            and _ints(entry.file, 3)
        )
        if not ok:
            return None
        return replace(entry, outcome=outcome if isinstance(outcome, dict) else {})

    def line(self) -> str:
        return json_line({f.name: getattr(self, f.name) for f in fields(self)})  # asdict would deep-copy


def retraction(output: str, sha256: str) -> str:
    """The line that takes back an entry whose file could not be placed (someone else's file appeared
    there): the journal records only what is in place."""
    return json_line({"output": output, "retracted": sha256})


def _is_name(value: object) -> bool:
    return bool(value) and is_path_text(value)


def _ints(value: object, n: int) -> bool:
    return isinstance(value, list) and len(value) == n and all(type(v) is int for v in value)


def file_identity(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def describes(entry: Entry, path: Path) -> bool:
    """Whether the file at `path` is still, byte for byte, the one `entry` recorded. Its size, time and
    inode are not enough: a picture retouched in place keeps its inode, and its time can be restored. A
    torn line that lost its SHA-256 vouches only for the file with its whole identity."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != entry.file[0]:
            return False
        if not entry.sha256:
            return file_identity(st) == entry.file
        return sha256_of(path) == entry.sha256
    except OSError:
        return False


# Every line framer writes starts so (Entry.line: "output" is the first field): a line torn by a power
# cut and glued to the next one splits there.
LINE_START = '{"output": '
# The fields a torn line cannot be trusted without, read one by one (the outcome, which comes last, is
# lost first): a field that is not whole does not match.
_ESSENTIAL = re.compile(r'"(output|source|key|sha256)": ("(?:[^"\\]|\\.)*")|"(input|file)": (\[[-0-9, ]*\])')
MAX_LINE = 64 * 1024  # longer is not a line framer wrote


def read_lines(data: bytes) -> Iterator[dict[str, object]]:
    """The objects in a journal's bytes, in order: whole lines as they are; from a line torn by a power
    cut, its essential fields; a line a torn one was glued to, recovered. Garbage of any size or shape
    (a byte that is not UTF-8, a NUL, deep nesting) is passed over, in time linear in its size."""
    for raw in data.split(b"\n"):
        text = raw.decode("utf-8", "replace")
        for piece in text.split(LINE_START)[1:]:
            piece = LINE_START + piece.rstrip()
            if len(piece) > MAX_LINE:
                continue
            try:
                obj = json.loads(piece)
            except (ValueError, RecursionError):
                obj = _essentials(piece)
            if isinstance(obj, dict):
                yield obj


def _essentials(text: str) -> dict[str, object]:
    found: dict[str, object] = {}
    for match in _ESSENTIAL.finditer(text):
        key, value = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        with suppress(ValueError):
            found.setdefault(key, json.loads(value))
    return found


def _entries(data: bytes) -> dict[str, list[Entry]]:
    """Each file's entries, oldest first, without those taken back by a retraction."""
    entries: dict[str, list[Entry]] = {}
    for obj in read_lines(data):
        if "retracted" in obj:
            name = str(obj.get("output"))
            entries[name] = [e for e in entries.get(name, []) if e.sha256 != obj["retracted"]]
            continue
        entry = Entry.parse(obj)
        if entry is not None:
            entries.setdefault(entry.output, []).append(entry)
    return entries


def _same_size(root: Path, entry: Entry) -> bool:
    """The cheap test: a file of the recorded size is at the entry's path."""
    try:
        st = os.lstat(root / entry.output)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == entry.file[0]


class Journal:
    """The journal of one output folder, read once at the start of a run (with the folder's lock held).

    A file may have several entries (a re-run replaced it; a run was killed as it replaced it): the file
    on disk is framer's if any of them describes it, the newest first.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real = os.path.realpath(root)
        self.path = root / JOURNAL_NAME
        self.entries: dict[str, list[Entry]] = {}
        self._checked: dict[str, Entry | None] = {}
        st = plain_or_absent(self.path)
        if st is None:
            return
        with open_regular(self.path) as f:
            data = f.read()
        for name, entries in _entries(data).items():
            kept = [e for e in entries if _same_size(root, e)]  # a failed write, a file changed since
            if kept:
                self.entries[name] = kept
        lines = "".join(e.line() for es in self.entries.values() for e in es[-2:]).encode("utf-8")
        # Torn, repeated, retracted or stale lines: keep only what may be true. A journal shared with
        # another folder through a hard link (a cp -al snapshot) gets its own file before any append.
        if lines != data or st.st_nlink > 1:
            try:
                write_atomic(self.path, lines, overwrite=True)
            except OSError as e:
                raise WriteRefused(
                    _("cannot write {path}: {reason}").format(path=display(self.path), reason=worded_os(e))
                ) from None

    def name(self, output: Path) -> str:
        return output.relative_to(self.root).as_posix()

    def lookup(self, output: Path) -> Entry | None:
        """The entry of the file framer wrote at `output`, if that file is still the one it wrote."""
        name = self.name(output)
        if name not in self._checked:
            found = (e for e in reversed(self.entries.get(name, [])) if describes(e, output))
            self._checked[name] = next(found, None)
        return self._checked[name]


def entries_of(root: Path) -> dict[str, list[Entry]]:
    """Each file's entries in `root`'s journal as it stands, none when it cannot be read: nothing is
    checked against the files, nor rewritten (that is for a run, under the folder's lock: Journal)."""
    try:
        with open_regular(root / JOURNAL_NAME) as f:
            data = f.read()
    except OSError:
        return {}
    return _entries(data)


def written_here(root: Path) -> list[str]:
    """The files (relative to `root`) that `root`'s journal says framer wrote and that are still there
    as written (size and modification time: cheap enough to ask of every folder a batch walks)."""
    names = []
    for name, entries in entries_of(root).items():
        try:
            st = os.lstat(root / name)
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(st.st_mode) and any([st.st_size, st.st_mtime_ns] == e.file[:2] for e in entries):
            names.append(name)
    return names


def append(journal_path: Path, line: str) -> None:
    """Add one line and flush it to disk; a single O_APPEND write, so parallel workers never interleave
    their lines. Never through a link."""
    fd = open_nofollow(journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8", "surrogateescape"))
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def folder_lock(root: Path) -> Iterator[None]:
    """Hold `root`'s lock for the block: a second run into the same folder, or into a folder above or
    below it (-o chung and -o chung/sub at once), stops at once (FolderBusy), naming the run that has
    it. The lock goes with the process, however it ends; the lock file, with the block (a run that was
    killed leaves it, unlocked, for the next run to take)."""
    path = root / LOCK_NAME
    while True:
        try:
            fd = open_nofollow(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:  # a folder that cannot be written (read-only, immutable, no permission)
            raise WriteRefused(
                _("cannot write into {folder}: {reason}").format(folder=display(root), reason=worded_os(e))
            ) from None
        if not try_lock(fd):
            owner = _lock_owner(os.read(fd, 1000))
            os.close(fd)
            raise _busy(root, owner)
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break  # locked, and still the lock file: not one the run before us just removed
        except FileNotFoundError:
            pass
        os.close(fd)
    st = os.fstat(fd)
    _held.add((st.st_dev, st.st_ino))
    try:
        _no_run_around(root)
        started = datetime.now().astimezone().isoformat(timespec="seconds")
        me = {"pid": os.getpid(), "host": socket.gethostname(), "started": started}
        os.ftruncate(fd, 0)
        os.write(fd, json_line(me).encode())
        yield
    finally:
        _held.discard((st.st_dev, st.st_ino))
        with suppress(OSError):  # (Windows cannot remove an open file: it stays, unlocked)
            os.unlink(path)  # before the lock goes: a run that opened it meanwhile sees it gone, and retries
        os.close(fd)


_held: set[tuple[int, int]] = set()  # the lock files this process holds (a run may have several folders)
MAX_FOLDERS_SEARCHED = 10_000  # for runs in folders below: an output folder, not a whole disk


def _no_run_around(root: Path) -> None:
    """FolderBusy if another run holds the lock of a folder that holds `root` or that `root` holds: their
    outputs would be the same files. (Each run takes its own lock first, then looks around, so of two
    runs started together at least one sees the other.)"""
    real = Path(os.path.realpath(root))
    around = [folder / LOCK_NAME for folder in real.parents]
    for n, (folder, dirs, names) in enumerate(os.walk(real)):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if LOCK_NAME in names and Path(folder) != real:
            around.append(Path(folder, LOCK_NAME))
        if n >= MAX_FOLDERS_SEARCHED:
            break
    for lock in around:
        try:
            fd = os.open(lock, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) not in _held and not try_lock(fd):
                raise _busy(lock.parent, _lock_owner(os.read(fd, 1000)))
        finally:
            os.close(fd)  # a lock this look took is let go at once


def _busy(folder: Path, owner: str) -> FolderBusy:
    return FolderBusy(
        _(
            "another framer run is writing into {folder} ({owner}): wait for it to finish, "
            "or choose another output folder"
        ).format(folder=display(folder), owner=owner)
    )


def _lock_owner(data: bytes) -> str:
    """Who holds a folder's lock, in words (the lock file says it in no language)."""
    try:
        owner = json.loads(data)
        when = moment(datetime.fromisoformat(owner["started"]))
        return _("process {pid} on {host}, started {time}").format(
            pid=owner["pid"], host=owner["host"], time=when
        )
    except (ValueError, KeyError, TypeError):
        return _("another framer run")
