"""The `framer` command: its group, with each module's commands in it, and `--lang` honoured first."""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..i18n import use_language
from .apply import apply
from .campaign import campaign, remind
from .frames import frames
from .options import lang_option
from .review import review
from .serve import publish, serve
from .words import TranslatedGroup, TranslatedOption


def main() -> None:
    """The `framer` command. `--lang` is honoured before anything is printed, wherever it stands."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            use_language(args[i + 1])
        elif arg.startswith("--lang="):
            use_language(arg.split("=", 1)[1])
    cli(prog_name="framer")


@click.group(cls=TranslatedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    "-V",
    "--version",
    prog_name="framer",
    cls=TranslatedOption,
    help="Show the version and exit.",
)
@lang_option
def cli() -> None:
    """Put a campaign avatar frame on portraits, with the face placed in the frame's window.

    \b
    Example:
      framer apply me.jpg                 # writes me-framed.jpg beside it
    """


for command in (apply, review, campaign, remind, frames, serve, publish):
    cli.add_command(command)
