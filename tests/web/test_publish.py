"""`framer publish`: the employee's page as static files any web server can host, published again in place,
never over files framer did not publish; the poster's QR code reads back as the page's address."""

from __future__ import annotations

import json
import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from framer.web.publish import GENERATOR
from framer.web.site import PAGE_POLICY
from helpers import run, snapshot

URL = "https://stttt.example.gov.vn/khung-anh/"


def published(folder: Path, *args: str) -> tuple[dict, str]:
    result = run("publish", folder, *args)
    assert result.exit_code == 0, result.output
    return json.loads((folder / "site.json").read_text(encoding="utf-8")), result.output


def test_a_published_folder_holds_the_page_its_files_and_the_frames_at_output_size(tmp_path: Path) -> None:
    out = tmp_path / "khung-anh"
    site, said = published(out, "--ignore-window")
    assert "copy the whole folder to a web server" in said and "python -m http.server" in said
    assert site["generator"] == GENERATOR and site["ignore_window"] is True and site["default"] == "dx-2023"
    (frame,) = site["frames"]
    assert frame["size"] == [1080, 1080] and frame["campaign"]["timezone"] == "Asia/Ho_Chi_Minh"
    with Image.open(out / frame["image"]) as im:
        assert im.size == (1080, 1080) and im.mode == "RGBA"  # the frame at output size, to lay over photos
    html = (out / "index.html").read_text(encoding="utf-8")
    assert f'content="{PAGE_POLICY}"' in html  # a static host sends no headers: the policy is in the page
    assert "<script>" not in html and 'data-lang="auto"' in html
    folders = set(re.findall(r'"(framer-[0-9a-f]{10})/', html))
    assert len(folders) == 1  # every file of the page from one folder named by its contents
    (static,) = folders
    for name in (
        "app.js",
        "local.js",
        "detect.js",
        "place.js",
        "render.js",
        "editor.js",
        "page.js",
        "app.css",
    ):
        assert (out / static / name).is_file(), name
    assert (out / static / "face_detection_yunet_2023mar.onnx").stat().st_size > 200_000
    vendor = out / static / "vendor" / "onnxruntime-web"
    assert (vendor / "LICENSE").is_file() and any(p.suffix == ".wasm" for p in vendor.iterdir())
    for name in ("web.config", ".htaccess"):
        text = (out / name).read_text(encoding="utf-8")
        assert ".wasm" in text and ".mjs" in text and ".onnx" in text, name
    assert "nginx" in (out / "HOSTING.txt").read_text(encoding="utf-8")
    assert {"vi", "en"} <= set(site["words"])
    for key in re.findall(r'data-msg(?:-label)?="([a-z_]+)"', html):  # every word the page shows, both ways
        assert site["words"]["vi"].get(key) and site["words"]["en"].get(key), key


def test_publishing_again_replaces_the_folder_framer_published_every_time(tmp_path: Path) -> None:
    out = tmp_path / "khung-anh"
    first, _ = published(out, "--ignore-window")
    for _ in range(2):  # the second and third time: in place, whole
        again, _ = published(out, "--lang", "en")
        assert again["ignore_window"] is False and again["lang"] == "en"
        assert '<html lang="en">' in (out / "index.html").read_text(encoding="utf-8")
        assert not list(tmp_path.glob(".khung-anh.*"))  # nothing left beside it
    assert first["frames"][0]["image"] == again["frames"][0]["image"]  # the same frame, the same name


@pytest.mark.parametrize("kind", ["files of someone else", "a file", "a link"])
def test_publish_never_writes_over_what_it_did_not_publish(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "www"
    if kind == "files of someone else":
        out.mkdir()
        (out / "index.html").write_text("<h1>Cổng thông tin</h1>", encoding="utf-8")
    elif kind == "a file":
        out.write_text("notes", encoding="utf-8")
    else:
        (tmp_path / "real").mkdir()
        out.symlink_to(tmp_path / "real")
    before = snapshot(tmp_path)
    result = run("publish", out, "--ignore-window")
    assert result.exit_code == 2 and result.output.startswith("Error: "), result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


def test_the_posters_qr_code_reads_back_as_the_address_at_arms_length(tmp_path: Path) -> None:
    out = tmp_path / "khung-anh"
    _, said = published(out, "--ignore-window", "--url", URL, "--lang", "vi")
    assert "poster.png" in said
    with Image.open(out / "poster.png") as im:
        assert im.size == (1654, 2339) and round(im.info["dpi"][0]) == 200  # A4 at 200 dpi
        page = np.asarray(im.convert("RGB"))
    detector = cv2.QRCodeDetector()
    assert detector.detectAndDecode(page)[0] == URL
    far = cv2.resize(page, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)  # a photo of it, from afar
    assert detector.detectAndDecode(far)[0] == URL
    assert not (tmp_path / "plain" / "poster.png").exists()
    published(tmp_path / "plain", "--ignore-window")
    assert not (tmp_path / "plain" / "poster.png").exists()  # no address, no poster


def test_a_url_that_is_not_an_address_is_refused(tmp_path: Path) -> None:
    result = run("publish", tmp_path / "out", "--url", "stttt.example.gov.vn")
    assert result.exit_code == 2 and "https://" in result.output
    assert not (tmp_path / "out").exists()


def test_several_frames_and_a_frame_of_any_size(tmp_path: Path) -> None:
    png = tmp_path / "khung.png"
    im = Image.new("RGBA", (900, 1100), (12, 70, 150, 255))
    ImageDraw.Draw(im).rounded_rectangle((130, 120, 770, 840), radius=70, fill=(0, 0, 0, 0))
    im.save(png)
    site, _ = published(tmp_path / "out", "--frame", str(png), "--frame", "dx-2023", "--ignore-window")
    names = [f["name"] for f in site["frames"]]
    assert names == ["khung", "dx-2023"] and site["default"] == "khung"
    first = site["frames"][0]
    assert first["size"] == [900, 1100] and first["campaign"] is None  # no output size: its own
    with Image.open(tmp_path / "out" / first["image"]) as frame:
        alpha = np.asarray(frame.getchannel("A"))
    x, y, w, h = first["window"]
    assert alpha[int(y + h / 2), int(x + w / 2)] == 0  # the window is where the image is transparent


def test_the_poster_is_in_the_language_asked(tmp_path: Path) -> None:
    published(tmp_path / "vi", "--ignore-window", "--url", URL, "--lang", "vi")
    published(tmp_path / "en", "--ignore-window", "--url", URL, "--lang", "en")
    vi = np.asarray(Image.open(tmp_path / "vi" / "poster.png").convert("L"))
    en = np.asarray(Image.open(tmp_path / "en" / "poster.png").convert("L"))
    assert vi.shape == en.shape and not np.array_equal(vi, en)  # the steps are worded in each language


def test_framer_serve_writes_the_same_poster_for_its_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from framer.cli.serve import serve

    class Server:  # the real server is not needed: the poster is written before it runs
        started, should_exit = True, False

        def __init__(self, app: object) -> None:
            pass

        def run(self, sockets: list) -> None:
            Server.port = sockets[0].getsockname()[1]

    monkeypatch.setattr("framer.web.serving.server", Server)
    poster = tmp_path / "poster.png"
    args = ["--host", "0.0.0.0", "--port", "0", "--no-browser", "--ignore-window", "--poster", str(poster)]
    for _ in range(2):  # and again: framer's own poster is replaced
        result = CliRunner().invoke(serve, args)
        assert result.exit_code == 0, result.output
        assert "poster.png" in result.output
    page = np.asarray(Image.open(poster).convert("RGB"))
    read = cv2.QRCodeDetector().detectAndDecode(page)[0]
    assert re.fullmatch(rf"http://[^/]+:{Server.port}/", read) and "127.0.0.1" not in read
    mine = tmp_path / "mine.png"
    Image.new("RGB", (10, 10)).save(mine)
    refused = CliRunner().invoke(serve, [*args[:-1], str(mine)])
    assert refused.exit_code == 2 and "did not write" in refused.output
