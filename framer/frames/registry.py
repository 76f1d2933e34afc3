"""Where frames are kept: the built-in ones, then the user's frames folder; frames found by name or path."""

from __future__ import annotations

import os
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import FrameError
from ..i18n import _
from .metadata import parse_frame
from .model import METADATA, Frame, builtin_root

DEFAULT_FRAME = "dx-2023"


def builtin_names() -> list[str]:
    """The names of the frames that ship with framer."""
    return _names_in(builtin_root())


def _names_in(root: Traversable | Path) -> list[str]:
    if not root.is_dir():
        return []
    # A name starting with "." is framer's own (a frame being added or removed), never a frame.
    return sorted(
        p.name
        for p in root.iterdir()
        if not p.name.startswith(".") and p.is_dir() and (p / METADATA).is_file()
    )


def all_frames(user_dir: Path | None, passed_over: list[str] | None = None) -> list[Frame]:
    """Every frame by name: the built-in ones, then the user's own (less any a built-in name shadows:
    framer never uses those by that name). A frame of the user's that cannot be read is passed over,
    with a line saying why added to `passed_over`: one broken frame never stops a command that did not
    name it."""
    frames = [parse_frame(builtin_root() / n) for n in builtin_names()]
    for name in removable_names(user_dir):
        assert user_dir is not None
        try:
            frames.append(parse_frame(user_dir / name, origin="yours"))
        except FrameError as e:
            if passed_over is not None:
                passed_over.append(_("Passed over your frame {name}: {error}").format(name=name, error=e))
    return frames


def load_frame(name_or_path: str | Path, user_dir: Path | None = None) -> Frame:
    """A frame by name (built-in, then the user's), or by path: a frame folder, its frame.toml, or a PNG."""
    if isinstance(name_or_path, str):
        if name_or_path in builtin_names():
            return parse_frame(builtin_root() / name_or_path)
        if user_dir is not None and (user_dir / name_or_path / METADATA).is_file():
            return parse_frame(user_dir / name_or_path, origin="yours")
    path = Path(name_or_path)
    if path.name == METADATA and not path.is_dir():
        path = path.parent
    if path.exists() and not path.is_dir():  # a bare image (a pipe or a device is refused when read)
        return Frame.bare(path)
    if not os.path.lexists(path / METADATA):
        known = ", ".join(n for n in builtin_names() + (_names_in(user_dir) if user_dir else []))
        raise FrameError(
            _("no frame named {name!r} (frames: {known}; or give a frame PNG or folder)").format(
                name=str(name_or_path), known=known
            )
        )
    return parse_frame(path, origin=str(path))


def removable_names(user_dir: Path | None) -> list[str]:
    """The frames framer frames remove may remove: the user's own (a built-in name shadows a user's
    frame of that name, which framer never uses, so it is not offered either)."""
    builtin = set(builtin_names())
    return [n for n in _names_in(user_dir) if n not in builtin] if user_dir is not None else []
