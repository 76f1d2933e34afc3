"""What an earlier run already framed, so that a re-run redoes only what changed.

Each output folder keeps a hidden `.framer-journal.jsonl`: one line per output written, holding a key
made from the input file (size, modification time), the frame and every setting that shapes the
output. A line is appended *before* its output is renamed into place, so an output that exists always
has its line, whatever moment a run was killed at; a line whose output is missing is simply redone.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

JOURNAL_NAME = ".framer-journal.jsonl"


def job_key(settings_digest: str, source: Path, adjust: object) -> str:
    """The key of one output: the settings, the input's size and time stamp, the person's adjustments."""
    st = source.stat()
    text = json.dumps([settings_digest, st.st_size, st.st_mtime_ns, repr(adjust)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def settings_digest(*parts: object) -> str:
    """A digest of everything that shapes every output of a run (frame, size, format, version...)."""
    return hashlib.sha256(json.dumps([repr(p) for p in parts]).encode()).hexdigest()


class Journal:
    """The journal of one output folder, read once at the start of a run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / JOURNAL_NAME
        self.keys: dict[str, str] = {}
        try:
            with self.path.open(encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                        self.keys[entry["output"]] = entry["key"]
                    except (ValueError, KeyError, TypeError):
                        continue  # a line torn by a power cut: that output is simply redone
        except FileNotFoundError:
            pass

    def _name(self, output: Path) -> str:
        return output.relative_to(self.root).as_posix()

    @staticmethod
    def line_for(root: Path, output: Path, key: str) -> str:
        """The journal line that records `output` (under `root`) as made with `key`."""
        return (
            json.dumps({"output": output.relative_to(root).as_posix(), "key": key}, ensure_ascii=False) + "\n"
        )

    def is_done(self, output: Path, key: str) -> bool:
        """Whether `output` exists and was made from the same input with the same settings."""
        return self.keys.get(self._name(output)) == key and output.exists()

    def made(self, output: Path) -> bool:
        """Whether framer wrote `output` in an earlier run (so a new run may replace it)."""
        return self._name(output) in self.keys


def append(journal_path: Path, line: str) -> None:
    """Add one line; a single O_APPEND write, so parallel workers never interleave their lines."""
    fd = os.open(journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)
