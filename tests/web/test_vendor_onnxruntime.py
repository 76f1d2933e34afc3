"""The vendored ONNX Runtime Web is the pinned release, byte for byte, in the tree and as installed.

scripts/vendor_onnxruntime.py --check runs offline: what it checks against is pinned in the script.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from importlib.resources import as_file, files
from pathlib import Path
from types import ModuleType

import pytest

from helpers import ROOT

SCRIPT = ROOT / "scripts" / "vendor_onnxruntime.py"


@pytest.fixture(scope="module")
def vendor() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor_onnxruntime", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(folder: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(SCRIPT), "--check", *(["--dir", str(folder)] if folder else [])]
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def test_the_files_in_the_tree_are_the_pinned_ones() -> None:
    result = check()
    assert result.returncode == 0, result.stderr
    assert "onnxruntime-web 1.31.1: 3 files as pinned" in result.stderr


def test_the_installed_package_carries_the_same_files(vendor: ModuleType) -> None:
    with as_file(files("framer.web") / "static" / "vendor" / "onnxruntime-web") as installed:
        assert vendor.problems(installed) == []


def test_a_changed_missing_or_unpinned_file_is_named(tmp_path: Path, vendor: ModuleType) -> None:
    folder = tmp_path / "onnxruntime-web"
    shutil.copytree(vendor.VENDOR, folder)
    with (folder / "ort.wasm.bundle.min.mjs").open("ab") as f:
        f.write(b"\n")
    (folder / "LICENSE").unlink()
    (folder / "ort.min.mjs").write_text("")
    result = check(folder)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: ort.wasm.bundle.min.mjs: its SHA-256 is not the pinned one",
        "error: LICENSE: missing",
        "error: ort.min.mjs: not pinned",
    ]


def test_the_licence_written_is_the_one_pinned(vendor: ModuleType) -> None:
    assert vendor.sha256(vendor.LICENSE.encode()) == vendor.FILES["LICENSE"]
    assert "Copyright (c) 2018 - present Microsoft Corporation" in vendor.LICENSE
