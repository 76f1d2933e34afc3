"""Click's words in framer's: help translated when it is shown, Click's parameter types with framer's
placeholders and failures, and a mistyped name answered with framer's question.

Click words some things itself, in English or oddly in translation: its type names as placeholders
(TEXT, INTEGER RANGE, FILE), "Path 'x' does not exist" (the type's name title-cased: "Đường Dẫn"),
"'abc' is not a valid integer range", a date "does not match the format '%Y-%m-%d'". framer's types
(Path, Int, IntRange, Float, FloatRange, Text, Date) say these in framer's words, in the user's
language, when they are shown; TranslatedOption and TranslatedArgument put them in place of Click's
own, so an option declared with click.Path or click.IntRange speaks framer's words too.
"""

from __future__ import annotations

import inspect
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import Any

import click

from ..i18n import N_, _

# Click's parameter types, in framer's words.
#
# A placeholder (metavar) and a message are looked up when shown, never when the type is made: the
# language is only known once --lang has been read.


class Text(click.types.StringParamType):
    """Click's STRING, with a placeholder in the user's language (Click's is TEXT)."""

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return _(N_("TEXT"))


class _Number(click.ParamType):
    """What framer's number types share: a placeholder in words and a sentence for what is not a number."""

    placeholder: str
    not_a_number: str  # {value!r}

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return _(self.placeholder)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            try:
                float(value) if isinstance(self, click.types.FloatParamType) else int(value)
            except ValueError:
                message = _(self.not_a_number).format(value=value)
                if "," in value and isinstance(self, click.types.FloatParamType):
                    message = _("{value!r} is not a number: write a decimal with a point, like 1.5").format(
                        value=value
                    )
                self.fail(message, param, ctx)
        return super().convert(value, param, ctx)


# A range, as help shows it after the default and as an out-of-range value is told: Click writes
# "1<=x<=100"; framer says it in words where it can ("từ 1 đến 100"). A bound left open ("0<x")
# keeps Click's signs.
RANGE_WORDS = {
    (True, True): N_("{low}<=x<={high}"),
    (True, False): N_("x>={low}"),
    (False, True): N_("x<={high}"),
}


class _Range(_Number):
    min: Any
    max: Any
    min_open: bool
    max_open: bool

    def _describe_range(self) -> str:
        has_low = self.min is not None and not self.min_open
        has_high = self.max is not None and not self.max_open
        if (self.min is None or has_low) and (self.max is None or has_high) and (has_low or has_high):
            return _(RANGE_WORDS[has_low, has_high]).format(low=self.min, high=self.max)
        return super()._describe_range()  # type: ignore[misc]


class _Whole:
    placeholder = N_("INTEGER")
    not_a_number = N_("{value!r} is not a whole number")


class _Real:
    placeholder = N_("NUMBER")
    not_a_number = N_("{value!r} is not a number")


class Int(_Whole, _Number, click.types.IntParamType):
    """A whole number (click.INT)."""


class IntRange(_Whole, _Range, click.IntRange):
    """A whole number within bounds (click.IntRange)."""


class Float(_Real, _Number, click.types.FloatParamType):
    """A number (click.FLOAT)."""


class FloatRange(_Real, _Range, click.FloatRange):
    """A number within bounds (click.FloatRange)."""


class PathType(click.Path):
    """click.Path, whose placeholder (FILE, FOLDER, PATH) and failures are framer's sentences in the
    user's language. Click's own put the type's name first and title-case it ("Đường Dẫn 'x' không
    tồn tại"), and fix that name in the language of the moment the option was declared."""

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        if self.file_okay and not self.dir_okay:
            return _(N_("FILE"))
        if self.dir_okay and not self.file_okay:
            return _(N_("FOLDER"))
        return _(N_("PATH"))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        problem = self._problem(value)
        if problem:
            self.fail(problem, param, ctx)
        return super().convert(value, param, ctx)

    def _problem(self, value: Any) -> str | None:
        """What is wrong with `value` for this type, in words; None when nothing is (Click converts it)."""
        if self.file_okay and self.allow_dash and value in ("-", b"-"):
            return None
        name = click.format_filename(value)
        path = os.path.realpath(value) if self.resolve_path else value
        try:
            st = os.stat(path)
        except OSError:
            if not self.exists:
                return None
            if self.file_okay and not self.dir_okay:
                return _("there is no file {name!r}").format(name=name)
            if self.dir_okay and not self.file_okay:
                return _("there is no folder {name!r}").format(name=name)
            return _("there is no file or folder {name!r}").format(name=name)
        if not self.file_okay and stat.S_ISREG(st.st_mode):
            return _("{name!r} is a file, not a folder").format(name=name)
        if not self.dir_okay and stat.S_ISDIR(st.st_mode):
            return _("{name!r} is a folder, not a file").format(name=name)
        if self.readable and not os.access(path, os.R_OK):
            return _("{name!r} cannot be read: permission denied").format(name=name)
        if self.writable and not os.access(path, os.W_OK):
            return _("{name!r} cannot be written to: permission denied").format(name=name)
        if self.executable and not os.access(value, os.X_OK):
            return _("{name!r} cannot be run: permission denied").format(name=name)
        return None


DATE_FORMAT = "%Y-%m-%d"


class Date(click.DateTime):
    """A day written YYYY-MM-DD, in place of click.DateTime(["%Y-%m-%d"]): its placeholder is in the
    user's language (NNNN-TT-NN in Vietnamese) and a wrong date is told in words, not as '%Y-%m-%d'.
    Like click.DateTime, the value is a datetime at midnight (.date() gives the day)."""

    name = "date"

    def __init__(self) -> None:
        super().__init__([DATE_FORMAT])

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return _(N_("YYYY-MM-DD"))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            return datetime.strptime(text, DATE_FORMAT)
        except ValueError:
            pass
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            self.fail(
                _("{value!r} is not a real date: check the month and the day").format(value=text), param, ctx
            )
        self.fail(
            _("write the date as {form}, for example 2023-10-05").format(form=_(N_("YYYY-MM-DD"))),
            param,
            ctx,
        )


def framer_type(kind: click.ParamType) -> click.ParamType:
    """framer's version of one of Click's own parameter types (the same values, framer's words); any
    other type as it is."""
    cls = type(kind)
    if cls is click.types.StringParamType:
        return Text()
    if cls is click.types.IntParamType:
        return Int()
    if cls is click.types.FloatParamType:
        return Float()
    if isinstance(kind, click.IntRange) and cls is click.IntRange:
        return IntRange(kind.min, kind.max, kind.min_open, kind.max_open, kind.clamp)
    if isinstance(kind, click.FloatRange) and cls is click.FloatRange:
        return FloatRange(kind.min, kind.max, kind.min_open, kind.max_open, kind.clamp)
    if isinstance(kind, click.Path) and cls is click.Path:
        return PathType(
            exists=kind.exists,
            file_okay=kind.file_okay,
            dir_okay=kind.dir_okay,
            writable=kind.writable,
            readable=kind.readable,
            resolve_path=kind.resolve_path,
            allow_dash=kind.allow_dash,
            path_type=kind.type,
            executable=kind.executable,
        )
    if isinstance(kind, click.DateTime) and cls is click.DateTime and list(kind.formats) == [DATE_FORMAT]:
        return Date()
    return kind


class _FramerParameter(click.Parameter):
    """A parameter of framer's type (framer_type: placeholders and failures in framer's words) whose
    placeholder is translated when shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type = framer_type(self.type)

    def make_metavar(self, ctx: click.Context) -> str:
        with _translated_metavar(self):
            return super().make_metavar(ctx)


class TranslatedOption(_FramerParameter, click.Option):
    """An option whose help is translated when shown: the language is only known then (--lang). Its
    type is framer's version of Click's (framer_type): placeholders and failures in framer's words."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        help_text, shown = self.help, self.show_default
        self.help = _(help_text) if help_text else help_text
        if isinstance(shown, str):
            self.show_default = _(shown)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help, self.show_default = help_text, shown


class TranslatedArgument(_FramerParameter, click.Argument):
    """An argument whose placeholder (INPUT..., REPORT) is translated when shown, and whose type is
    framer's version of Click's (framer_type)."""


# Click's own help for -h/--help (in framer.cli.catalog's CLICK_MESSAGES).
HELP_OPTION_TEXT = "Show this message and exit."

# Click's own placeholders in a usage line, which Click does not translate itself.
USAGE_PIECES = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))


def _usage(pieces: list[str]) -> list[str]:
    return [_(piece) if piece in USAGE_PIECES else piece for piece in pieces]


def did_you_mean(possibilities: Iterable[str]) -> str:
    """The question after a mistyped name: "Did you mean '--face', '--format' or '--frame'?" (Click
    writes a list with no "or", which in Vietnamese asks whether it is all of them)."""
    names = [repr(p) for p in sorted(possibilities)]
    if len(names) == 1:
        return _("Did you mean {name}?").format(name=names[0])
    return _("Did you mean {names} or {last}?").format(names=", ".join(names[:-1]), last=names[-1])


class _NoSuchOption(click.NoSuchOption):
    def format_message(self) -> str:
        return f"{self.message} {did_you_mean(self.possibilities)}" if self.possibilities else self.message


class TranslatedCommand(click.Command):
    """A command whose help (its docstring) is translated when shown, and whose mistyped options are
    answered in framer's words."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage(super().collect_usage_pieces(ctx))

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # Click words it once, when it first makes it: say it in today's language
            option.help = _(HELP_OPTION_TEXT)
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as e:
            if isinstance(e, _NoSuchOption):
                raise
            raise _NoSuchOption(e.option_name, e.message, e.possibilities, e.ctx) from None

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

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as e:
            possibilities = getattr(e, "possibilities", None)  # click.NoSuchCommand (Click 8.4 and later)
            if not possibilities or isinstance(e, _NoSuchCommand):
                raise
            raise _NoSuchCommand(e.message, possibilities, e.ctx) from None


class _NoSuchCommand(click.UsageError):
    def __init__(self, message: str, possibilities: list[str], ctx: click.Context | None) -> None:
        super().__init__(message, ctx)
        self.possibilities = possibilities

    def format_message(self) -> str:
        return f"{self.message} {did_you_mean(self.possibilities)}"


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
