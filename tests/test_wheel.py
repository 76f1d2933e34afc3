"""The wheel holds the whole package: every module of every layer's folder and every file the code reads
(the model, the sample portrait, the catalogs compiled, the page's files, the built-in frames), so an
installed framer is the one the suite tests in a checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_ONLY = {"framer/locale/framer.pot"}  # the catalog's template: written and read by developers only


def test_the_wheel_holds_every_module_and_data_file(tmp_path: Path) -> None:
    source = tmp_path / "source"  # built from a copy: the build writes build/ and *.egg-info beside it
    for name in ("framer", "frames", "pyproject.toml", "setup.py", "README.md"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, source / name if (ROOT / name).is_dir() else source)  # type: ignore[operator]
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            tmp_path / "dist",
            source,
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("framer-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())

    def wanted(folder: str, installed_as: str) -> set[str]:
        return {
            f"{installed_as}/{p.relative_to(ROOT / folder).as_posix()}"
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".mo")
        }

    expected = (wanted("framer", "framer") | wanted("frames", "framer/builtin_frames")) - DEV_ONLY
    assert not expected - inside, sorted(expected - inside)
    assert "framer/locale/vi/LC_MESSAGES/framer.mo" in inside  # compiled when the wheel is built
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "framer").rglob("*.py")}
    assert all(f"{package}/__init__.py" in inside for package in packages), packages
