"""The user's frames folder changed: a frame added from an image (framer frames add), drawn new (framer
frames new), or removed (framer frames remove); each whole or not at all."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.geometry import Box
from ..errors import FrameError
from ..i18n import _, display
from .metadata import found_window_lines, metadata_lines, parse_frame, toml_string
from .model import METADATA, Frame
from .registry import builtin_names, removable_names

if TYPE_CHECKING:
    from .draw.design import Design


NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def add_frame(
    image_path: Path,
    user_dir: Path,
    *,
    name: str,
    title: str,
    campaign: tuple[date, date, str] | None = None,
    window: Box | None = None,
    output_size: int | None = None,
    replace: bool = False,
) -> Path:
    """Copy a frame PNG into the user's frames as NAME/, with a frame.toml that declares its window
    (`window`, given with --window and checked against the image as framer apply checks it; else found
    from its transparency), its campaign and its output size. `replace`: a frame of the user's by that
    name is replaced (never a built-in one). Returns the new folder."""
    _check_new(name, title, campaign, user_dir, replace)
    source = Frame.bare(image_path, title)
    data = source.image_bytes()  # read once: what is checked is what is copied
    image = source.decode(data)
    if window is not None:
        box = source.window_in(image, window)  # checked as apply checks --window: inside, transparent
        declared = ["[window]  # given with --window to framer frames add"]
    else:
        declared, box = found_window_lines(source, image, "framer frames add")
    lines = metadata_lines(name, title, output_size, declared, box, campaign)
    return _install(user_dir, name, {"frame.png": data}, lines, replace)


def new_frame(
    user_dir: Path,
    *,
    name: str,
    design: Design,
    campaign: tuple[date, date, str] | None,
    output_size: int | None = None,
    replace: bool = False,
) -> tuple[Path, list[str]]:
    """Draw a frame in the built-in frame's style (framer.frames.draw) into the user's frames as NAME/: its
    image, a frame.toml with its window found from the drawing's transparency like any frame's, its
    campaign, and the design it was drawn from (so that it can be drawn again). Returns the folder and
    what fitting the texts did, in words."""
    import io
    from dataclasses import replace as replaced

    from .draw.design import LOGO_FILE, design_table
    from .draw.logo import open_logo
    from .draw.paint import draw_frame

    title = " ".join(" ".join(t.split()) for t in (design.title, design.date_text) if t)
    _check_new(name, title, campaign, user_dir, replace)
    if design.logo is not None:  # kept as the PNG its name says, whatever it came as: drawn from that
        logo = io.BytesIO()
        open_logo(design.logo).save(logo, "PNG")
        design = replaced(design, logo=logo.getvalue())
    drawn = draw_frame(design)
    buffer = io.BytesIO()
    drawn.image.save(buffer, "PNG")  # optimize=True would save 5 % of the file for a second more
    source = Frame.bare(Path("frame.png"), title)
    declared, box = found_window_lines(source, drawn.image, "framer frames new")
    files = {"frame.png": buffer.getvalue()}
    if design.logo is not None:
        files[LOGO_FILE] = design.logo
    table = design_table(design)
    lines = metadata_lines(name, title, output_size, declared, box, campaign)
    header = "[design]  # what framer frames new drew frame.png from: python -m framer.frames.draw FOLDER"
    lines += ["", header]
    lines += [f"{key} = {toml_string(value)}" for key, value in table.items()]
    return _install(user_dir, name, files, lines, replace), drawn.notes


def _check_new(
    name: str, title: str, campaign: tuple[date, date, str] | None, user_dir: Path, replace: bool
) -> None:
    """Refuse (FrameError) a new frame's name, title or campaign that cannot be used, before any work."""
    if not NAME_PATTERN.match(name):
        raise FrameError(
            _("--name {name!r}: use lower-case letters, digits and hyphens, like so-tt-2024").format(
                name=name
            )
        )
    if name in builtin_names():
        raise FrameError(
            _("--name {name!r}: a built-in frame by that name already exists; choose another name").format(
                name=name
            )
        )
    entry = user_dir / name
    if os.path.lexists(entry) and not (replace and (entry / METADATA).is_file()):
        if replace:
            raise FrameError(
                _("--name {name!r}: {path} is not a frame (no frame.toml in it): it is left as it is").format(
                    name=name, path=entry
                )
            )
        raise FrameError(
            _(
                "--name {name!r}: a frame by that name already exists; choose another name, or add "
                "--replace to replace it"
            ).format(name=name)
        )
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 on the command line: frame.toml holds only text
        raise FrameError(
            _("--title: write it in letters the terminal sends as UTF-8; got {title}").format(
                title=display(title)
            )
        ) from None
    if campaign is not None:
        start, end, zone = campaign
        if end < start:
            raise FrameError(_("--ends {end} is before --starts {start}").format(end=end, start=start))
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise FrameError(
                _("--timezone {zone!r}: not a known time zone (e.g. Asia/Ho_Chi_Minh)").format(zone=zone)
            ) from None


def _install(user_dir: Path, name: str, files: dict[str, bytes], lines: list[str], replace: bool) -> Path:
    """Write a frame folder NAME/ in `user_dir` whole or not at all: staged in a fresh folder of our own
    (nothing planted beforehand can be in the way, or be written through), read back, then given its
    name. With `replace`, the user's frame of that name is moved aside first and deleted once the new
    one is in place (put back if it cannot be)."""
    folder = user_dir / name
    staging: Path | None = None
    aside: Path | None = None
    try:
        user_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.adding-", dir=user_dir))
        for file, data in files.items():
            (staging / file).write_bytes(data)
        (staging / METADATA).write_text("\n".join(lines) + "\n", encoding="utf-8")
        parse_frame(staging)  # what we wrote must read back
        staging.chmod(user_dir.stat().st_mode & 0o755)  # mkdtemp's is private: readable as its folder is
        if replace and os.path.lexists(folder):
            aside = user_dir / f".{name}.replacing-{secrets.token_hex(4)}"
            os.rename(folder, aside)  # a link is moved, never followed
        try:
            staging.rename(folder)  # the frame appears whole or not at all
        except BaseException:
            if aside is not None:
                os.rename(aside, folder)
                aside = None
            raise
    except OSError as e:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise FrameError(
            _("cannot write the frame into {folder} ({detail})").format(
                folder=user_dir, detail=e.strerror or e
            )
        ) from None
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if aside is not None:
        _delete(aside)
    return folder


def _delete(path: Path) -> None:
    """Delete a frame folder moved aside (a link: only the link), as far as it can be."""
    if path.is_symlink():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


@dataclass(frozen=True)
class Removed:
    """What framer frames remove removed."""

    path: Path  # the frame's folder in the user's frames, or the link there that led to it
    files: int  # the files deleted with the folder (0 for a link)
    link_to: str | None = None  # for a link: where it led, which is left as it is


def remove_frame(name: str, user_dir: Path) -> Removed:
    """Remove the user's frame `name`: its folder in `user_dir`, and nothing else. A built-in frame, or a
    name that is not one of the user's frames, is refused (FrameError). The folder is first moved aside
    in `user_dir` (the frame is gone whole, at once), then deleted without following any link in it; a
    link in `user_dir` that leads to a frame folder elsewhere is removed, not what it leads to."""
    yours = removable_names(user_dir)
    listed = ", ".join(yours) or _("none")
    if name in builtin_names():
        raise FrameError(
            _(
                "{name} is a built-in frame: it cannot be removed; framer frames remove removes only "
                "your own frames (yours: {yours})"
            ).format(name=name, yours=listed)
        )
    if name not in yours:  # only a name listed in the folder: never a path, "..", or a sub-folder
        raise FrameError(
            _("no frame of yours named {name!r} (yours: {yours}; your frames folder: {folder})").format(
                name=name, yours=listed, folder=user_dir
            )
        )
    entry = user_dir / name
    try:
        if entry.is_symlink():
            target = os.readlink(entry)
            entry.unlink()
            return Removed(entry, 0, target)
        aside = user_dir / f".{name}.removing-{secrets.token_hex(4)}"
        os.rename(entry, aside)  # a link put in its place meanwhile is moved, never followed
        if aside.is_symlink():  # such a link: only the link goes
            target = os.readlink(aside)
            aside.unlink()
            return Removed(entry, 0, target)
    except OSError as e:
        raise FrameError(
            _("cannot remove {path} ({detail})").format(path=entry, detail=e.strerror or e)
        ) from None
    files = 0
    for root, dirs, names in os.walk(aside):  # links are counted, not followed
        files += len(names) + sum(os.path.islink(os.path.join(root, d)) for d in dirs)
    try:
        shutil.rmtree(aside)  # deletes links, never what they lead to
    except OSError as e:
        raise FrameError(
            _(
                "{name} is no longer one of your frames, but {path} could not be deleted entirely "
                "({detail}): delete what is left of it by hand"
            ).format(name=name, path=aside, detail=e.strerror or e)
        ) from None
    return Removed(entry, files)
