"""`framer publish`: the employee's page as a folder of static files, for any web server to host.

    OUT/
      index.html              the page (the same as framer serve's), its policy in a <meta> tag
      site.json               the frames, their campaigns, every word (framer.web.site)
      frames/NAME-HASH.png    each frame at its output size (the page lays it over the photo)
      framer-HASH/            the page's scripts, styles, the detector's model and runtime: named by their
                              contents, so that a browser may keep them for good (a new framer, a new name)
      web.config, .htaccess   the file types IIS and Apache may not know (.mjs, .wasm, .onnx), and caching
      poster.png              with a URL: an A4 poster with a QR code of it
      HOSTING.txt             how to host it (IIS, nginx, Apache, python -m http.server)

The folder is written beside OUT and put in its place whole: OUT must not exist, be empty, or be a folder
framer published before (its site.json says so); nothing else is ever replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import WriteRefused
from ..frames.model import Frame
from ..i18n import _
from .site import Offered, site

GENERATOR = "framer publish"  # in site.json: the mark of a folder framer published
# The page's own files, from framer.web's static folder (the review page's are not the employee's).
PAGE_FILES = ("app.css", "app.js", "editor.js", "page.js", "local.js", "detect.js", "place.js", "render.js")
VENDOR = "vendor/onnxruntime-web"
MODEL = "face_detection_yunet_2023mar.onnx"


@dataclass(frozen=True)
class Published:
    """What framer publish wrote."""

    folder: Path
    files: int
    bytes: int
    poster: Path | None


def publish(
    out: Path,
    frames: list[tuple[Frame, bytes, tuple[int, int], tuple[float, float, float, float]]],
    *,
    ignore_window: bool,
    lang: str | None,
    poster_png: bytes | None = None,
) -> Published:
    """Write the page into `out` (see the module's docstring). `frames`: each frame offered, the first
    the default, with its image at output size (PNG bytes), that size and its window there. `lang`: the
    page's language when the browser does not ask for one of framer's (None: the browser's, else
    Vietnamese). WriteRefused when `out` holds anything framer did not publish."""
    _check_out(out)
    static = files("framer.web") / "static"
    page: dict[str, bytes] = {name: (static / name).read_bytes() for name in PAGE_FILES}
    for item in (static / VENDOR).iterdir():
        if item.name != "LICENSE" and item.is_file():
            page[f"{VENDOR}/{item.name}"] = item.read_bytes()
    page[f"{VENDOR}/LICENSE"] = (static / VENDOR / "LICENSE").read_bytes()
    page[MODEL] = (files("framer") / "models" / MODEL).read_bytes()
    folder = f"framer-{_digest(page)}"

    written: dict[str, bytes] = {f"{folder}/{name}": data for name, data in page.items()}
    offered = []
    for frame, png, size, window in frames:
        image = f"frames/{frame.name}-{hashlib.sha256(png).hexdigest()[:10]}.png"
        written[image] = png
        offered.append(Offered(frame, size, window, image))
    data = site(offered, ignore_window=ignore_window, lang=lang or "vi", mb=0)
    data["generator"] = GENERATOR
    written["site.json"] = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    written["index.html"] = _index(static / "index.html", folder, lang)
    written["web.config"] = WEB_CONFIG.encode("utf-8")
    written[".htaccess"] = HTACCESS.encode("utf-8")
    written["HOSTING.txt"] = HOSTING.encode("utf-8")
    if poster_png is not None:
        written["poster.png"] = poster_png
    _install(out, written)
    return Published(
        out, len(written), sum(len(d) for d in written.values()), out / "poster.png" if poster_png else None
    )


def _digest(page: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(page):
        h.update(name.encode() + b"\0" + hashlib.sha256(page[name]).digest())
    return h.hexdigest()[:10]


def _index(template: Traversable, folder: str, lang: str | None) -> bytes:
    """The page, its files taken from `folder`; its language `lang`, else chosen by the browser."""
    html = template.read_text(encoding="utf-8").replace('"static/', f'"{folder}/')
    tag = f'<html lang="{lang}">' if lang else '<html lang="vi" data-lang="auto">'
    return html.replace('<html lang="vi">', tag, 1).encode("utf-8")


def is_published(folder: Path) -> bool:
    """Whether `folder` is one framer published (its site.json says so)."""
    try:
        with open(folder / "site.json", encoding="utf-8") as f:
            return bool(json.load(f).get("generator") == GENERATOR)
    except (OSError, ValueError, AttributeError):
        return False


def _check_out(out: Path) -> None:
    if os.path.islink(out):
        raise WriteRefused(
            _("{path} is a symbolic link: framer never writes through a link").format(path=out)
        )
    if not out.exists():
        return
    if not out.is_dir():
        raise WriteRefused(
            _("{path} is a file: framer publish writes a folder; give a new folder's name").format(path=out)
        )
    try:
        holds = any(out.iterdir())
    except OSError as e:
        raise WriteRefused(
            _("cannot write into {folder}: {reason}").format(folder=out, reason=e.strerror or e)
        ) from None
    if holds and not is_published(out):
        raise WriteRefused(
            _(
                "{path} holds files framer did not publish: framer publish writes into an empty or new "
                "folder (or one it published before), never over other files"
            ).format(path=out)
        )


def _install(out: Path, written: dict[str, bytes]) -> None:
    """Write every file into a fresh folder beside `out`, then put it in `out`'s place whole."""
    parent = out.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.publishing-", dir=parent))
    except OSError as e:
        raise WriteRefused(
            _("cannot write into {folder}: {reason}").format(folder=parent, reason=e.strerror or e)
        ) from None
    aside: Path | None = None
    try:
        for name, data in written.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        staging.chmod(0o755)  # mkdtemp's is private: a web server must read it
        for root, dirs, _names in os.walk(staging):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        if out.exists():
            aside = parent / f".{out.name}.replaced-{secrets.token_hex(4)}"
            os.rename(out, aside)
        os.rename(staging, out)
    except OSError as e:
        shutil.rmtree(staging, ignore_errors=True)
        if aside is not None and not out.exists():
            os.rename(aside, out)
        raise WriteRefused(
            _("cannot write into {folder}: {reason}").format(folder=out, reason=e.strerror or e)
        ) from None
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


WEB_CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<!-- IIS: the page's file types (IIS serves no file whose type it does not know), and caching: the files
     named by their contents (framer-*/, frames/) are kept for good, the page and site.json checked again. -->
<configuration>
  <system.webServer>
    <staticContent>
      <remove fileExtension=".mjs" />
      <mimeMap fileExtension=".mjs" mimeType="text/javascript" />
      <remove fileExtension=".wasm" />
      <mimeMap fileExtension=".wasm" mimeType="application/wasm" />
      <remove fileExtension=".onnx" />
      <mimeMap fileExtension=".onnx" mimeType="application/octet-stream" />
      <remove fileExtension=".json" />
      <mimeMap fileExtension=".json" mimeType="application/json" />
    </staticContent>
    <httpProtocol>
      <customHeaders>
        <!-- no other site may show the page in a frame (a <meta> tag cannot say so) -->
        <add name="X-Frame-Options" value="DENY" />
        <add name="Content-Security-Policy" value="frame-ancestors 'none'" />
      </customHeaders>
    </httpProtocol>
  </system.webServer>
</configuration>
"""

HTACCESS = """# Apache: the page's file types, and caching (framer-*/ and frames/ are named by contents).
AddType text/javascript .mjs
AddType application/wasm .wasm
AddType application/octet-stream .onnx
<IfModule mod_headers.c>
  Header always set X-Frame-Options "DENY"
  Header always set Content-Security-Policy "frame-ancestors 'none'"
  <FilesMatch "\\.(mjs|js|css|wasm|onnx|png)$">
    Header set Cache-Control "public, max-age=31536000, immutable"
  </FilesMatch>
  <FilesMatch "(index\\.html|site\\.json)$">
    Header set Cache-Control "no-cache"
  </FilesMatch>
</IfModule>
"""

HOSTING = """framer's page: copy this whole folder to any web server, as it is.

The page does all its work in the visitor's browser: photos are never uploaded. It needs nothing from
the server but these files, served with their usual types:
  .html text/html   .js .mjs text/javascript   .css text/css   .json application/json
  .png image/png    .wasm application/wasm     .onnx application/octet-stream

Try it on this computer:      python -m http.server 8080 --directory .
IIS:                          web.config (in this folder) adds .mjs, .wasm and .onnx.
Apache:                       .htaccess (in this folder) does the same, if AllowOverride permits it.
nginx (in the server block):  types { application/wasm wasm; text/javascript mjs; }
                              add_header X-Frame-Options DENY always;
                              add_header Content-Security-Policy "frame-ancestors 'none'" always;
                              location ~ /framer-[0-9a-f]+/ { expires max; }
                              location ~ /frames/ { expires max; }

No other site should show the page in a frame: send X-Frame-Options: DENY and Content-Security-Policy:
frame-ancestors 'none' (web.config and .htaccess do; the page's own <meta> policy cannot say it).

Caching: everything under framer-*/ and frames/ is named by its contents and may be kept for good;
index.html and site.json should be checked again (no-cache). Compressing .wasm, .js and .json (gzip or
brotli) makes a first visit about 4.6 MB instead of 16 MB.
"""
