"""Fetch the pinned onnxruntime-web from the npm registry into framer/web/static/vendor, or check it.

    python scripts/vendor_onnxruntime.py           # download, verify, write the files
    python scripts/vendor_onnxruntime.py --check   # offline: verify the files in the tree (a test runs this)

The page detects faces with ONNX Runtime's plain WebAssembly (CPU) backend, single-threaded, so that it
runs on any static host (no cross-origin isolation, hence no SharedArrayBuffer). It needs two files of the
package: the ES module bundle of the WASM backend (its Emscripten loader built in) and the SIMD
WebAssembly binary it instantiates; nothing else is loaded at run time. The tarball is checked against
the sha512 integrity the registry publishes (pinned here, and compared with the registry's metadata), each
file against the SHA-256 pinned here. The package ships no licence file: LICENSE is written from the text
of the onnxruntime repository's LICENSE (MIT), kept below.

To move to another version: change VERSION and INTEGRITY (`npm view onnxruntime-web@X dist.integrity`),
run once with --print-digests, paste the digests it prints into FILES, run again without it, and test.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

PACKAGE = "onnxruntime-web"
VERSION = "1.31.1"
TARBALL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
METADATA = f"https://registry.npmjs.org/{PACKAGE}/{VERSION}"
INTEGRITY = "sha512-5GeH+bWQ+HxM10z7erGlsWqryrwMbSvm/1tkIsKTT48g0fI19VXVVC435t4t7VsPdSQeS7NmuZPXrQ73k82URw=="

# Each vendored file (from the tarball's package/dist/, but LICENSE) and its SHA-256.
FILES = {
    "ort.wasm.bundle.min.mjs": "51bd7168175767324ab0acfcfc4ca94a096a3826e3ebac9ccc4f195eb865f8dd",
    "ort-wasm-simd-threaded.wasm": "4b884c203b0fa48d057be3332c65513ff85aa3c5bddd6946acc0fab7ecda001d",
    "LICENSE": "15e1c56061eeed1190433b5f667930eeda4966b4d14d8dd1a3a8ee1469324764",
}

VENDOR = Path(__file__).resolve().parent.parent / "framer" / "web" / "static" / "vendor" / PACKAGE

LICENSE = """\
MIT License

Copyright (c) 2018 - present Microsoft Corporation

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


class VendorError(Exception):
    """What is wrong with the download or with the vendored files, in words."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def problems(folder: Path) -> list[str]:
    """What differs between `folder` and the pinned files: missing, changed or unpinned files."""
    found = []
    for name, digest in FILES.items():
        path = folder / name
        if not path.is_file():
            found.append(f"{name}: missing")
        elif sha256(path.read_bytes()) != digest:
            found.append(f"{name}: its SHA-256 is not the pinned one")
    found += [f"{p.name}: not pinned" for p in sorted(folder.iterdir()) if p.name not in FILES]
    return found


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        data: bytes = response.read()
        return data


def fetch() -> dict[str, bytes]:
    """The pinned files, from the registry's tarball, each checked."""
    published = json.loads(download(METADATA))["dist"]
    if published.get("integrity") != INTEGRITY or published.get("tarball") != TARBALL:
        raise VendorError(
            f"the registry now publishes {published} for {PACKAGE} {VERSION}, not the pinned one"
        )
    tarball = download(TARBALL)
    algorithm, _, expected = INTEGRITY.partition("-")
    if base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode() != expected:
        raise VendorError(f"{TARBALL}: its {algorithm} is not the published integrity")
    files = {"LICENSE": LICENSE.encode()}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for name in FILES:
            if name == "LICENSE":
                continue
            member = tar.extractfile(f"package/dist/{name}")
            if member is None:
                raise VendorError(f"{TARBALL} has no package/dist/{name}")
            files[name] = member.read()
    return files


def write(folder: Path, files: dict[str, bytes]) -> None:
    """Write `files` into `folder`, each through a temporary name; remove files nobody pinned."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        temporary = folder / f".{name}.part"
        temporary.write_bytes(data)
        temporary.replace(folder / name)
    for path in folder.iterdir():
        if path.name not in FILES:
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the files in the tree (offline)")
    parser.add_argument("--dir", type=Path, default=VENDOR, help="the vendor folder (default: the package's)")
    parser.add_argument(
        "--print-digests", action="store_true", help="print the files' SHA-256, write nothing"
    )
    args = parser.parse_args(argv)
    if not args.check:
        try:
            files = fetch()
        except (VendorError, OSError, tarfile.TarError, KeyError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        if args.print_digests:
            for name, data in files.items():
                print(f'    "{name}": "{sha256(data)}",')
            return 0
        changed = [name for name, data in files.items() if sha256(data) != FILES[name]]
        if changed:
            print(f"error: not the pinned SHA-256: {', '.join(changed)}", file=sys.stderr)
            return 1
        write(args.dir, files)
    found = problems(args.dir) if args.dir.is_dir() else [f"{args.dir}: no such folder"]
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    if not found:
        print(f"{PACKAGE} {VERSION}: {len(FILES)} files as pinned", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
