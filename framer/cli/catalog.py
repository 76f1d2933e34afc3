"""The translation catalog, for developers: which messages framer has, and keeping vi.po in step.

    python -m framer.cli.catalog          # rewrite framer/locale/framer.pot, merge it into each .po
    python -m framer.cli.catalog --check  # exit 1 if a message lacks a translation or breaks the glossary

Messages come from three places: the source's `_()`, `N_()` and `ngettext()` calls (extracted with
Babel), the help of every command and option (read from the Click command tree, since help texts are
docstrings and plain strings), and the few messages of Click's own that a person sees. The .po files
are compiled to .mo when the package is built (setup.py). Needs Babel: `pip install -e '.[dev]'`.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

PACKAGE = Path(__file__).resolve().parents[1]  # framer/
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "framer.pot"

# Click's own messages that reach a person (Click looks them up in framer's domain; see framer.i18n), in
# Click's words: each is translated as the sentence it ends up in. Some Click words come out wrong
# whatever the catalog says (type names as placeholders, "Path" title-cased, a list of names with no
# "or"): framer.cli.words words those itself, and its messages are found in its source like the rest.
CLICK_MESSAGES: list[str | tuple[str, str]] = [
    # Help (click/core.py, click/formatting.py, click/decorators.py)
    "Usage:",
    "Options",
    "Commands",
    "Positional arguments",  # shown when an argument has help
    "Show this message and exit.",
    "default: {default}",  # "[default: 92; 1<=x<=100]"
    "required",  # "[required]"
    "%(prog)s, version %(version)s",
    # Usage errors (click/exceptions.py): "Error: Invalid value for '--quality': ...", then the hint
    "Error: {message}",
    "Try '{command} {option}' for help.",
    "Invalid value for {param_hint}: {message}",
    "Invalid value: {message}",
    "Missing argument",  # "Missing argument 'INPUT...'."
    "Missing option",  # "Missing option '--name'."
    "Missing parameter",
    "Missing {param_type}",
    "No such command {name!r}.",  # followed by framer's "Did you mean ...?" (framer.cli.words.did_you_mean)
    "No such option {name!r}.",
    # Parsing (click/core.py, click/parser.py)
    "Missing command.",
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    "Option {name!r} does not take a value.",
    "Aborted!",  # Ctrl-C outside a run
    # Values (click/types.py)
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    "Choose from:\n\t{choices}",  # a required choice left out
    "{value} is not in the range {range}.",  # the range as framer.cli.words.RANGE_WORDS says it
    # Click's own wording of what framer says itself (framer.cli.words: framer_type, did_you_mean): seen only
    # from a parameter or a command that is not framer's (a plain click.option or click.command).
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    "{value!r} is not a valid {number_type}.",
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."),
    "{name} {filename!r} does not exist.",
    "{name} {filename!r} is a directory.",
    "{name} {filename!r} is a file.",
    "{name} {filename!r} is not readable.",
    "{name} {filename!r} is not writable.",
    "file",
    "directory",
    "path",
]


def help_messages(command: click.Command) -> Iterator[str]:
    """Every help text of `command` and its sub-commands, as framer's Click classes look them up."""
    if command.help:
        yield inspect.cleandoc(command.help)
    for param in command.params:
        if param.metavar:
            yield param.metavar
        if isinstance(param, click.Option):
            if param.help:
                yield param.help
            if isinstance(param.show_default, str):
                yield param.show_default
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from help_messages(sub)


def template() -> Catalog:
    """The catalog of every message framer shows, with no translations."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    from .main import cli

    catalog = Catalog(project="framer", domain="framer", charset="utf-8")
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    for source in sorted(PACKAGE.rglob("*.py")):
        for line, message, comments, _context in extract_from_file("python", source, keywords=keywords):
            where = source.relative_to(PACKAGE).as_posix()
            catalog.add(message, locations=[(where, line)], auto_comments=comments)
    for message in help_messages(cli):
        catalog.add(message, locations=[("cli.py (help)", 0)])
    for message in CLICK_MESSAGES:
        catalog.add(message, locations=[("click", 0)])
    return catalog


def po_files() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/framer.po"))


def untranslated(po: Path) -> list[str]:
    """The messages of the template that `po` does not translate (or only fuzzily)."""
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    missing = []
    for message in template():
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found is not None else None
        texts = strings if isinstance(strings, tuple | list) else (strings,)
        if found is None or found.fuzzy or not all(texts):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


GLOSSARY = LOCALE / "GLOSSARY.md"


def glossary() -> list[tuple[str, str, list[str]]]:
    """The glossary's rows (framer/locale/GLOSSARY.md): an English pattern (or "" for a row in
    parentheses, which names no pattern), its Vietnamese term, the words never to use."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        heading = set(cells[0]) <= set("-") or cells[0].startswith("English")
        if len(cells) != 3 or not line.startswith("|") or heading:
            continue
        pattern = "" if cells[0].startswith("(") else cells[0]
        rows.append((pattern, cells[1], [w.strip() for w in cells[2].split(",") if w.strip()]))
    return rows


def glossary_faults(po: Path) -> list[str]:
    """Where the translations in `po` break the glossary: a term not used where its English is, a word
    never to use."""
    import re

    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    rows = glossary()
    faults = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        english = " ".join(message.id) if isinstance(message.id, tuple) else str(message.id)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        said = " ".join(str(text) for text in strings).lower()
        for pattern, term, never in rows:
            named = pattern and re.search(rf"(?<!-)\b{pattern}\b", english, re.I)  # not in --adjust FILE
            if named and term and term.lower() not in said:
                faults.append(f"{english[:70]!r}: says {pattern!r} without {term!r}")
            literal = [w for w in never if w in english and any(c in w for c in "/_-")]  # an id, a format
            used = [w for w in never if w.lower() in said and w not in literal]
            faults += [f"{english[:70]!r}: uses {w!r}" for w in used]
    return faults


def _header(catalog: Catalog) -> None:
    """A translation's header says whose it is, not Babel's template placeholders."""
    from .. import __version__

    catalog.header_comment = (
        "# Vietnamese translations for framer.\n"
        "# This file is distributed under the same license as the framer project.\n#"
    )
    catalog.project, catalog.version = "framer", __version__
    catalog.msgid_bugs_address = "the framer project's issues"
    catalog.last_translator = catalog.language_team = "the framer maintainers"


def update() -> None:
    """Write the template and merge it into every .po (new messages appear untranslated)."""
    from babel.messages.pofile import read_po, write_po

    pot = template()
    with TEMPLATE.open("wb") as f:
        write_po(f, pot, omit_header=False, sort_output=True, width=100)
    for po in po_files():
        with po.open("rb") as f:
            catalog = read_po(f)
        catalog.update(pot, no_fuzzy_matching=True)
        _header(catalog)
        with po.open("wb") as f:
            write_po(f, catalog, sort_output=True, width=100, ignore_obsolete=True)
        print(f"{po}: {len(untranslated(po))} untranslated")


if __name__ == "__main__":
    if "--check" in sys.argv:
        missing = {po.parent.parent.name: untranslated(po) for po in po_files()}
        for lang, ids in missing.items():
            for message in ids:
                print(f"{lang}: untranslated: {message!r}")
        faults = [fault for po in po_files() for fault in glossary_faults(po)]
        for fault in faults:
            print(f"glossary: {fault}")
        sys.exit(1 if any(missing.values()) or faults else 0)
    update()
