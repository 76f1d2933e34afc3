"""What the commands share: the options several of them take, the frames folder, and the one place
user-facing errors become exit codes. Click's words in framer's are in framer.cli.words."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..core.geometry import SHIFT_RANGE, Box
from ..errors import FramerError
from ..i18n import LANGUAGES, _, use_language
from .words import Date, option

if TYPE_CHECKING:
    from ..frames.model import Frame

F = TypeVar("F", bound=Callable[..., Any])


def fail(error: FramerError) -> click.ClickException:
    """A FramerError on its way out: 'Error: ...' on stderr and the error's own exit code."""

    class Fail(click.ClickException):
        exit_code = int(error.exit_code)

    return Fail(sentence(str(error)))


def sentence(message: str) -> str:
    """`message` begun with a capital, as Click's own errors after "Error:" are, when it begins with a
    word (not a path, an option or a name such as dx-2023, which are written as they are)."""
    first = message.split(" ", 1)[0].rstrip(":,;")
    return message[:1].upper() + message[1:] if first.isalpha() and first.islower() else message


def parse_shift(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, float]:
    if value is None:
        return (0.0, 0.0)
    try:
        dx, dy = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(_("give two numbers separated by a comma, like 0.05,-0.1")) from None
    low, high = SHIFT_RANGE
    if not (low <= dx <= high and low <= dy <= high):
        raise click.BadParameter(_("each part is a fraction of the window, between -1 and 1"))
    return (dx, dy)


def parse_box(value: str | None) -> Box | None:
    if value is None:
        return None
    try:
        x, y, w, h = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(_("give four numbers separated by commas: X,Y,WIDTH,HEIGHT")) from None
    if not all(math.isfinite(v) for v in (x, y, w, h)):  # float() reads nan and inf
        raise click.BadParameter(_("give four finite numbers, in the frame image's pixels"))
    if w <= 0 or h <= 0 or x < 0 or y < 0:
        raise click.BadParameter(_("the window needs a positive width and height, inside the frame"))
    return Box(x, y, w, h)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system says, as in containers)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def user_frames() -> Path:
    """The folder of the user's own frames: $FRAMER_FRAMES, or framer's folder in the user's app data."""
    return Path(os.environ.get("FRAMER_FRAMES") or Path(click.get_app_dir("framer")) / "frames")


def chosen(name: str | None, on: date | None, say: Callable[[str], None]) -> Frame:
    """The frame named by --frame, else the default one (framer.frames.choice), each line that says
    which and why handed to `say`."""
    from ..frames.choice import choose

    choice = choose(name, user_frames(), on)
    for line in choice.said():
        say(line)
    return choice.frame


def set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    use_language(value)


lang_option = option(
    "--lang",
    type=click.Choice(LANGUAGES),
    is_eager=True,
    expose_value=False,
    callback=set_language,
    help="Language of messages: vi (Vietnamese) or en (English). Default: from the locale (LANG).",
)


# The options several commands take, declared once. A help text is a key into the catalog: where the
# commands word an option differently, each gives its own (`help`), and the words stay as they were.

FRAME_HELP = (
    "A frame's name (see framer frames list), or a frame PNG or folder.  [default: your default "
    "(framer frames use), else the frame whose campaign is running today, else dx-2023]"
)
WINDOW_HELP = "The frame's window in its own pixels, when it cannot be found from its transparency."
DATE_HELP = "As if today were this date (default: today, in the campaign's time zone)."
IGNORE_WINDOW_HELP = "Frame even after the frame's campaign has ended."
HOST_HELP = "The address to listen on: 127.0.0.1 for this computer only, 0.0.0.0 for every network it is on."
PORT_HELP = "The port to listen on."
NO_BROWSER_HELP = "Do not open the page in this computer's browser."


def frame_option(help: str = FRAME_HELP, *, multiple: bool = False) -> Callable[[F], F]:
    """--frame NAME|PATH, the frame to use (frame_name); `multiple`: the frames to offer, the option
    repeated (frame_names)."""
    name = "frame_names" if multiple else "frame_name"
    return option("--frame", name, multiple=multiple, metavar="NAME|PATH", help=help)


def window_option(help: str = WINDOW_HELP) -> Callable[[F], F]:
    """--window X,Y,W,H (window_box). A frame whose window cannot be found (two transparent holes of
    similar size) is told to name it with --window, which every command that looks for the window takes."""
    return option(
        "--window",
        "window_box",
        callback=lambda ctx, param, value: parse_box(value),
        metavar="X,Y,W,H",
        help=help,
    )


def date_option(help: str = DATE_HELP) -> Callable[[F], F]:
    """--date YYYY-MM-DD (on_date): the campaign judged as if today were that day."""
    return option("--date", "on_date", type=Date(), help=help)


def ignore_window_option(help: str = IGNORE_WINDOW_HELP) -> Callable[[F], F]:
    """--ignore-window: go on after the frame's campaign has ended."""
    return option("--ignore-window", is_flag=True, help=help)


def host_option(help: str = HOST_HELP) -> Callable[[F], F]:
    """--host ADDRESS: where a page's server listens."""
    return option("--host", metavar="ADDRESS", default="127.0.0.1", show_default=True, help=help)


def port_option(help: str = PORT_HELP) -> Callable[[F], F]:
    """--port: the port a page's server listens on."""
    return option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help=help)


def no_browser_option(help: str = NO_BROWSER_HELP) -> Callable[[F], F]:
    """--no-browser: leave this computer's browser alone."""
    return option("--no-browser", is_flag=True, help=help)


def file_option(
    *decls: str, help: str, default: Path | None = None, metavar: str | None = None
) -> Callable[[F], F]:
    """An option that names a file (never a folder): an output to write, or a file to read."""
    kind = click.Path(dir_okay=False, path_type=Path)
    if default is None:
        return option(*decls, type=kind, metavar=metavar, help=help)
    return option(*decls, type=kind, metavar=metavar, default=default, show_default=True, help=help)


def size_option(help: str, name: str = "--size", default: int | None = None) -> Callable[[F], F]:
    """--size, --output-size: the longer side of the framed pictures, in px (64 to 8192)."""
    kind = click.IntRange(64, 8192)
    if default is None:
        return option(name, type=kind, metavar="PX", help=help)
    return option(name, type=kind, default=default, show_default=True, metavar="PX", help=help)


def quality_option(help: str, default: int | None = None) -> Callable[[F], F]:
    """--quality: JPEG/WebP quality (1 to 100)."""
    if default is None:
        return option("--quality", type=click.IntRange(1, 100), help=help)
    return option("--quality", type=click.IntRange(1, 100), default=default, show_default=True, help=help)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn framer's user-facing errors into 'Error: ...' and their exit code: the one place that does."""
    try:
        yield
    except FramerError as e:
        raise fail(e) from None
