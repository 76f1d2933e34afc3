"""The package's shape, as its README's module table describes it: folders that name the layers, imports
only downward, no circle, no private name borrowed across modules, modules and functions of a size one
can read (as sqlite-utils' library never imports its CLI)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "framer"

# Lowest first: a module may import its own layer's modules and those of the layers before it.
LAYERS = {
    "base": (
        "framer",
        "framer.errors",
        "framer.reasons",
        "framer.i18n",
        "framer.files",
        "framer.numbers",
        "framer.processes",
    ),
    "core": ("framer.core",),
    "frames": ("framer.frames",),
    "batch": ("framer.batch",),
    "review": ("framer.review",),
    "web": ("framer.web",),
    "cli": ("framer.cli", "framer.__main__"),
}
ORDER = list(LAYERS)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the module imported (a name imported from a module counts as that module)
    names: tuple[str, ...]
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def imports() -> list[Import]:
    """Every import of a framer module by a framer module, at the top or inside a function."""
    found = []
    for name, path in modules().items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
                target = (
                    ".".join([*base, node.module] if node.module else base) if node.level else node.module
                )
                if not target or not target.startswith("framer"):
                    continue
                for alias in node.names:  # `from . import words`: the module words
                    sub = f"{target}.{alias.name}"
                    found.append(
                        Import(name, sub if sub in modules() else target, (alias.name,), node.lineno)
                    )
            elif isinstance(node, ast.Import):
                found += [
                    Import(name, a.name, (), node.lineno) for a in node.names if a.name.startswith("framer")
                ]
    return found


def layer(module: str) -> int:
    """The index of the layer `module` belongs to (the longest prefix that names one)."""
    best = max(
        ((len(prefix), ORDER.index(key)) for key, prefixes in LAYERS.items() for prefix in prefixes
         if module == prefix or (module.startswith(prefix + ".") and prefix != "framer")),
        default=None,
    )  # fmt: skip
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[1]


def test_every_module_is_in_a_layer() -> None:
    for name in modules():
        layer(name)


def test_imports_run_only_down_the_layers() -> None:
    upward = [
        f"{i.module}:{i.line} imports {i.target} ({ORDER[layer(i.target)]} is above {ORDER[layer(i.module)]})"
        for i in imports()
        if layer(i.target) > layer(i.module)
    ]
    assert not upward, "\n".join(upward)


def test_the_doors_never_import_each_other_the_web_never_the_command_line() -> None:
    assert not [
        i
        for i in imports()
        if layer(i.module) == ORDER.index("web") and layer(i.target) == ORDER.index("cli")
    ]


def test_no_import_circle() -> None:
    """Tarjan's strongly connected components of the import graph: each must be one module."""
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for i in imports():
        if i.target in graph and i.target != i.module:
            graph[i.module].add(i.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    assert not circles, circles


def test_no_private_name_is_borrowed_from_another_module() -> None:
    borrowed = [
        f"{i.module}:{i.line} imports {name} from {i.target}"
        for i in imports()
        for name in i.names
        if name.startswith("_") and name not in ("_", "__version__") and i.target != i.module
    ]
    assert not borrowed, "\n".join(borrowed)


def test_the_top_level_holds_only_the_base() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 10, top


@pytest.mark.parametrize("name", sorted(modules()))
def test_a_module_is_of_a_size_one_can_read(name: str) -> None:
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= 450, f"{name}: {lines} lines"


def test_no_function_is_longer_than_a_screen_or_two() -> None:
    long = [
        f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for name, path in modules().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 80
    ]
    assert not long, long
