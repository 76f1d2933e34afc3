"""What the command line's modules share: Click classes that translate help when it is shown,
the options several commands take, and the one place user-facing errors become exit codes."""

from __future__ import annotations

import inspect
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import click

from .errors import FramerError
from .frames import DEFAULT_FRAME
from .geometry import Box
from .i18n import LANGUAGES, N_, _, use_language


def fail(error: FramerError) -> click.ClickException:
    """A FramerError on its way out: 'Error: ...' on stderr and the error's own exit code."""

    class Fail(click.ClickException):
        exit_code = int(error.exit_code)

    return Fail(str(error))


def parse_shift(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, float]:
    if value is None:
        return (0.0, 0.0)
    try:
        dx, dy = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(_("give two numbers separated by a comma, like 0.05,-0.1")) from None
    if not (-1 <= dx <= 1 and -1 <= dy <= 1):
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


def user_frames() -> Path:
    """The folder of the user's own frames: $FRAMER_FRAMES, or framer's folder in the user's app data."""
    return Path(os.environ.get("FRAMER_FRAMES") or Path(click.get_app_dir("framer")) / "frames")


class TranslatedOption(click.Option):
    """An option whose help is translated when shown: the language is only known then (--lang)."""

    def make_metavar(self, ctx: click.Context) -> str:
        with _translated_metavar(self):
            return super().make_metavar(ctx)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        help_text, shown = self.help, self.show_default
        self.help = _(help_text) if help_text else help_text
        if isinstance(shown, str):
            self.show_default = _(shown)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help, self.show_default = help_text, shown


class TranslatedArgument(click.Argument):
    """An argument whose placeholder (INPUT..., REPORT) is translated when shown."""

    def make_metavar(self, ctx: click.Context) -> str:
        with _translated_metavar(self):
            return super().make_metavar(ctx)


# Click's own placeholders in a usage line, which Click does not translate itself.
USAGE_PIECES = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))


def _usage(pieces: list[str]) -> list[str]:
    return [_(piece) if piece in USAGE_PIECES else piece for piece in pieces]


class TranslatedCommand(click.Command):
    """A command whose help (its docstring) is translated when shown."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage(super().collect_usage_pieces(ctx))

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(self):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated_help(self):
            return super().get_short_help_str(limit)


class TranslatedGroup(TranslatedCommand, click.Group):
    """A group whose help is translated when shown, and whose commands are translated too."""

    command_class = TranslatedCommand
    group_class = type  # sub-groups are TranslatedGroups too


@contextmanager
def _translated_help(command: click.Command) -> Iterator[None]:
    original = command.help
    command.help = _(inspect.cleandoc(original)) if original else original
    try:
        yield
    finally:
        command.help = original


@contextmanager
def _translated_metavar(param: click.Parameter) -> Iterator[None]:
    original = param.metavar
    param.metavar = _(original) if original else original
    try:
        yield
    finally:
        param.metavar = original


option = partial(click.option, cls=TranslatedOption)
argument = partial(click.argument, cls=TranslatedArgument)


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


frame_option = option(
    "--frame",
    "frame_name",
    default=DEFAULT_FRAME,
    show_default=True,
    metavar="NAME|PATH",
    help="A frame's name (see framer frames list), or a frame PNG or folder.",
)
date_option = option(
    "--date",
    "on_date",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="As if today were this date (default: today, in the campaign's time zone).",
)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn framer's user-facing errors into 'Error: ...' and their exit code: the one place that does."""
    try:
        yield
    except FramerError as e:
        raise fail(e) from None
