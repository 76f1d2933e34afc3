"""A frame folder is data someone else may hand over: framer must be safe with whatever it holds.

Each class of problem has its test: files that lead out of the frame folder or are not regular files,
frame bombs, opaque frames and windows, windows that are not numbers or lie off the image, and files
that `frames check`, `remind` and `frames add` write. Every refusal is one "Error:" line, exit 2.
"""

from __future__ import annotations

import os
import resource
import signal
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image, ImageDraw

from framer.core.geometry import Box
from framer.errors import FrameError
from framer.frames.model import MAX_FRAME_BYTES, Frame
from framer.frames.registry import load_frame
from helpers import DATA, ROOT, run

PHOTO = DATA / "grace_hopper.jpg"
BUILTIN_PNG = ROOT / "frames" / "dx-2023" / "frame.png"
NOT_REGULAR = "not a regular file (a folder, a pipe or a device)"


@pytest.fixture(autouse=True)
def never_hang() -> Iterator[None]:
    """A test that would block (a pipe opened for reading waits for a writer) fails instead."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("framer blocked")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def refused(result: Result) -> str:
    """The one 'Error:' line of a command that refused, with exit status 2 and no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    return errors[0]


def frame_png(path: Path, size: tuple[int, int] = (900, 900)) -> Path:
    """An opaque frame with a round window at (200, 100, 500, 500) and a banner below."""
    im = Image.new("RGBA", size, (10, 60, 140, 255))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, size[1] - 200, size[0], size[1]), fill=(200, 20, 30, 255))
    draw.ellipse((200, 100, 699, 599), fill=(0, 0, 0, 0))
    im.save(path)
    return path


def frame_folder(folder: Path, image: str = "frame.png", window: str | None = None) -> Path:
    """A frame folder with frame.png (see frame_png) and a frame.toml naming `image` and `window`."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "frame.png").exists():
        frame_png(folder / "frame.png")
    toml = f'name = "mine"\nimage = "{image}"\n'
    if window is not None:
        toml += f"[window]\n{window}\n"
    (folder / "frame.toml").write_text(toml, encoding="utf-8")
    return folder


def window(x: object = 200, y: object = 100, width: object = 500, height: object = 500) -> str:
    return f"x = {x}\ny = {y}\nwidth = {width}\nheight = {height}"


def nothing_written(out: Path) -> None:
    assert not out.exists() or not any(out.iterdir())


def using_frame(command: str, frame: Path, out: Path) -> list[str | Path]:
    """The arguments that make `command` load `frame`: apply frames a photo with it."""
    if command == "apply":
        return ["apply", PHOTO, "-o", out, "--frame", frame, "--jobs", "1"]
    if command == "frames add":
        return ["frames", "add", frame, "--name", "added"]
    if command == "frames check":
        return ["frames", "check", frame, "-o", out / "check.png"]
    return ["frames", "show", frame]


COMMANDS = ["apply", "frames show", "frames check"]


# --- 1. a frame's files stay in its folder, and are regular files ---------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("image", ["../secret/private.png", "ABSOLUTE", "link.png"])
def test_a_frame_image_outside_its_folder_is_refused(tmp_path: Path, command: str, image: str) -> None:
    (tmp_path / "secret").mkdir()
    secret = frame_png(tmp_path / "secret" / "private.png")
    folder = tmp_path / "f"
    folder.mkdir()
    if image == "ABSOLUTE":
        image = str(secret)
    if image == "link.png":
        (folder / "link.png").symlink_to(secret)
    frame_folder(folder, image=image)
    out = tmp_path / "out"
    out.mkdir()
    error = refused(run(*using_frame(command, folder, out)))
    assert error == (
        f"Error: {folder}/frame.toml: field 'image' names {image!r}, "
        f"which leads outside the frame folder {folder}"
    )
    nothing_written(out)


def test_a_frame_toml_that_links_outside_its_folder_is_refused(tmp_path: Path) -> None:
    folder = frame_folder(tmp_path / "f")
    elsewhere = tmp_path / "elsewhere.toml"
    (folder / "frame.toml").rename(elsewhere)
    (folder / "frame.toml").symlink_to(elsewhere)
    error = refused(run("frames", "show", folder))
    assert error == (
        f"Error: {folder}/frame.toml leads outside the frame folder {folder}: a frame's files must be in it"
    )


def test_links_inside_the_frame_folder_are_fine(tmp_path: Path) -> None:
    folder = frame_folder(tmp_path / "f", image="art/frame.png")
    (folder / "art").mkdir()
    (folder / "art" / "frame.png").symlink_to(folder / "frame.png")
    result = run("frames", "show", folder)
    assert result.exit_code == 0, result.output
    assert "window:   x=200 y=100 width=500 height=500" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_a_pipe_named_frame_png_in_a_folder_is_refused_without_waiting(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    os.mkfifo(folder / "frame.png")
    frame_folder(folder)
    out = tmp_path / "out"
    out.mkdir()
    error = refused(run(*using_frame(command, folder, out)))
    assert error == f"Error: {folder}/frame.toml: field 'image' names 'frame.png', which is {NOT_REGULAR}"
    nothing_written(out)


@pytest.mark.parametrize("command", [*COMMANDS, "frames add"])
def test_a_pipe_given_as_the_frame_png_is_refused_without_waiting(
    tmp_path: Path, own_frames: Path, command: str
) -> None:
    fifo = tmp_path / "khung.png"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    out.mkdir()
    error = refused(run(*using_frame(command, fifo, out)))
    assert error == f"Error: {fifo}: cannot read it ({NOT_REGULAR})"
    nothing_written(out)
    assert not own_frames.exists() or not any(own_frames.iterdir())


def test_a_pipe_named_frame_toml_is_refused_without_waiting(tmp_path: Path) -> None:
    folder = frame_folder(tmp_path / "f")
    (folder / "frame.toml").unlink()
    os.mkfifo(folder / "frame.toml")
    error = refused(run("frames", "show", folder))
    assert error == f"Error: {folder}/frame.toml: cannot read it ({NOT_REGULAR})"


def test_the_builtin_frame_still_loads() -> None:
    result = run("frames", "show", "dx-2023")
    assert result.exit_code == 0, result.output
    assert "window:   x=264 y=264 width=1520 height=1520 (declared, circle)" in result.output


# --- 2. frame bombs --------------------------------------------------------------------------------------


def png_bomb(path: Path, side: int = 30000) -> Path:
    """A real decompression bomb: a 1-bit PNG of side x side px (900 megapixels), all transparent, in
    about 100 KB. Written chunk by chunk (Pillow would need a byte per pixel to make it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = bytes(1 + (side + 7) // 8)  # filter byte, then side bits
    z = zlib.compressobj(9)
    pixels = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit, grey
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tRNS", b"\x00\x00")  # grey 0 is transparent
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return png_bomb(tmp_path_factory.mktemp("bomb") / "bomb.png")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KB


@pytest.mark.parametrize("command", [*COMMANDS, "frames add"])
def test_a_frame_bomb_is_refused_from_its_header(
    tmp_path: Path, own_frames: Path, bomb: Path, command: str
) -> None:
    assert bomb.stat().st_size < 200_000
    out = tmp_path / "out"
    out.mkdir()
    before = peak_rss_mb()
    error = refused(run(*using_frame(command, bomb, out)))
    assert peak_rss_mb() - before < 200  # decoding it would take 900 MB at least
    assert error == (
        f"Error: {bomb}: the frame image is 30000 x 30000 px; a frame may be at most 8192 px on its longer "
        "side (outputs are at most 8192 px): scale it down"
    )
    nothing_written(out)
    assert not own_frames.exists() or not any(own_frames.iterdir())


def test_a_frame_bomb_in_a_folder_is_refused_for_the_worker_too(tmp_path: Path, bomb: Path) -> None:
    from framer.batch.worker import Worker

    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "frame.png").write_bytes(bomb.read_bytes())
    frame_folder(folder, window=window())
    with pytest.raises(FrameError, match="30000 x 30000 px"):
        Worker(load_frame(folder), None)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_frame_file_too_large_in_bytes_is_refused_unread(tmp_path: Path, command: str) -> None:
    huge = frame_png(tmp_path / "huge.png")
    os.truncate(huge, MAX_FRAME_BYTES + 1)  # sparse: quick to make, and takes no disk space
    out = tmp_path / "out"
    out.mkdir()
    error = refused(run(*using_frame(command, huge, out)))
    assert error == f"Error: {huge}: the file is larger than 64 MB, too large for a frame"
    nothing_written(out)


# --- 3. opaque frames and windows ------------------------------------------------------------------------

TWO_PHOTOS = [DATA / "grace_hopper.jpg", DATA / "astronaut.png"]


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_an_opaque_frame_is_refused_even_with_a_window(tmp_path: Path, mode: str) -> None:
    flat = tmp_path / "flat.png"
    Image.new(mode, (1200, 1200), "navy").save(flat)
    out = tmp_path / "out"
    result = run(
        "apply", *TWO_PHOTOS, "-o", out, "--frame", flat, "--window", "100,100,800,800", "--jobs", "2"
    )
    assert refused(result) == (
        f"Error: {flat}: the frame image has no transparency, so there is no window for the portrait "
        "(save it as a PNG with a transparent hole)"
    )
    assert "damaged" not in result.output
    nothing_written(out)


def test_a_window_given_over_the_artwork_is_refused(tmp_path: Path) -> None:
    png = frame_png(tmp_path / "khung.png")
    out = tmp_path / "out"
    result = run("apply", *TWO_PHOTOS, "-o", out, "--frame", png, "--window", "0,700,900,200", "--jobs", "2")
    assert refused(result) == (
        "Error: --window: the window x=0 y=700 width=900 height=200 is mostly opaque in the frame image "
        f"{png} (only 0 % of it is transparent): the portrait would be hidden"
    )
    nothing_written(out)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_declared_window_over_the_artwork_is_refused(tmp_path: Path, command: str) -> None:
    folder = frame_folder(tmp_path / "f", window=window(0, 700, 900, 200))
    out = tmp_path / "out"
    out.mkdir()
    error = refused(run(*using_frame(command, folder, out)))
    assert error == (
        f"Error: {folder}/frame.toml: field 'window': the window x=0 y=700 width=900 height=200 is mostly "
        f"opaque in the frame image {folder}/frame.png (only 0 % of it is transparent): the portrait would "
        "be hidden"
    )
    nothing_written(out)


def test_settled_opens_the_frame_and_settles_its_window(tmp_path: Path, bomb: Path) -> None:
    png = frame_png(tmp_path / "khung.png")
    assert load_frame(png).settled().window == Box(200, 100, 500, 500)  # found from the transparency
    assert load_frame(png).settled(Box(250, 150, 400, 400)).window == Box(250, 150, 400, 400)
    folder = frame_folder(tmp_path / "f", window=window(210, 110, 480, 480))
    assert load_frame(folder).settled().window == Box(210, 110, 480, 480)
    with pytest.raises(FrameError, match=r"^--window: .* is mostly opaque"):
        load_frame(png).settled(Box(0, 0, 900, 90))
    with pytest.raises(FrameError, match=r"^--window: .* does not lie inside"):
        load_frame(png).settled(Box(800, 100, 500, 500))
    with pytest.raises(FrameError, match="30000 x 30000"):
        Frame.bare(bomb).settled(Box(0, 0, 10, 10))


# --- 4. windows that are not numbers, or lie off the frame image -----------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("key", "value"), [("x", "nan"), ("width", "inf"), ("y", "-inf"), ("height", "-nan")]
)
def test_a_window_of_nan_or_inf_in_frame_toml_is_refused(
    tmp_path: Path, command: str, key: str, value: str
) -> None:
    folder = frame_folder(tmp_path / "f", window=window(**{key: value}))
    out = tmp_path / "out"
    out.mkdir()
    error = refused(run(*using_frame(command, folder, out)))
    shown = value.removeprefix("-") if value.endswith("nan") else value
    assert error == f"Error: {folder}/frame.toml: field 'window.{key}' must be a finite number, got {shown}"
    nothing_written(out)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"x": "1e12"}, "x"),
        ({"y": -10}, "y"),
        ({"x": 500}, "width"),  # 500 + 500 > 900
        ({"height": 1_000_000}, "height"),
        ({"x": 900, "width": 1}, "x"),
    ],
)
def test_a_window_off_the_frame_image_in_frame_toml_is_refused(
    tmp_path: Path, command: str, fields: dict[str, object], key: str
) -> None:
    folder = frame_folder(tmp_path / "f", window=window(**fields))
    out = tmp_path / "out"
    out.mkdir()
    error = refused(run(*using_frame(command, folder, out)))
    box = {"x": 200, "y": 100, "width": 500, "height": 500} | {k: float(v) for k, v in fields.items()}
    shown = " ".join(f"{k}={v:g}" for k, v in box.items())
    assert error == (
        f"Error: {folder}/frame.toml: field 'window.{key}': the window {shown} does not lie inside the frame "
        f"image {folder}/frame.png (900 x 900 px)"
    )
    nothing_written(out)


@pytest.mark.parametrize("size", [{"width": 0}, {"height": -5}])
def test_an_empty_window_in_frame_toml_is_refused(tmp_path: Path, size: dict[str, int]) -> None:
    folder = frame_folder(tmp_path / "f", window=window(**size))
    error = refused(run("frames", "check", folder, "-o", tmp_path / "c.png"))
    assert error == f"Error: {folder}/frame.toml: field 'window' must have a positive width and height"


@pytest.mark.parametrize("given", ["nan,0,100,100", "0,0,inf,100", "0,0,0,100", "-1,0,100,100"])
def test_a_window_option_that_is_not_a_usable_box_is_refused(tmp_path: Path, given: str) -> None:
    out = tmp_path / "out"
    result = run("apply", *TWO_PHOTOS, "-o", out, "--frame", frame_png(tmp_path / "k.png"), "--window", given)
    error = refused(result)
    assert error.startswith("Error: Invalid value for '--window': ")
    nothing_written(out)


def test_a_window_option_off_the_frame_image_is_refused(tmp_path: Path) -> None:
    png = frame_png(tmp_path / "k.png")
    out = tmp_path / "out"
    result = run("apply", *TWO_PHOTOS, "-o", out, "--frame", png, "--window", "1e12,0,100,100", "--jobs", "2")
    assert refused(result) == (
        "Error: --window: the window x=1e+12 y=0 width=100 height=100 does not lie inside the frame image "
        f"{png} (900 x 900 px)"
    )
    nothing_written(out)


# --- 5. what frames check, remind and frames add write ---------------------------------------------------


@pytest.mark.parametrize("command", ["frames check", "remind"])
def test_output_through_a_link_is_refused(tmp_path: Path, command: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.png"
    link.symlink_to(victim)
    args = (
        ["frames", "check", frame_png(tmp_path / "k.png")]
        if command == "frames check"
        else ["remind", "--ignore-window"]
    )
    error = refused(run(*args, "-o", link))
    assert error == f"Error: {link} is a symbolic link: framer never writes through a link"
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("command", ["frames check", "remind"])
def test_output_to_a_pipe_is_refused(tmp_path: Path, command: str) -> None:
    """A pipe stands for devices too (never a real one here: run as root, a bug would replace it)."""
    pipe = tmp_path / "out.png"
    os.mkfifo(pipe)
    args = (
        ["frames", "check", frame_png(tmp_path / "k.png")]
        if command == "frames check"
        else ["remind", "--ignore-window"]
    )
    error = refused(run(*args, "-o", pipe))
    assert error == f"Error: {pipe} is not a regular file (a folder, a device or a pipe): choose another name"
    assert pipe.is_fifo()


@pytest.mark.parametrize("which", ["frame.png", "frame.toml"])
def test_frames_check_never_writes_over_the_frame(tmp_path: Path, which: str) -> None:
    folder = frame_folder(tmp_path / "f")
    before = (folder / which).read_bytes()
    error = refused(run("frames", "check", folder, "-o", folder / which))
    assert error == f"Error: {folder / which} is the frame: framer never writes over it; choose another name"
    assert (folder / which).read_bytes() == before


def test_remind_never_writes_over_the_frame_or_a_picture(tmp_path: Path) -> None:
    folder = frame_folder(tmp_path / "f")
    toml = folder / "frame.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '[campaign]\nstart = 2024-10-01\nend = 2024-10-10\ntimezone = "Asia/Ho_Chi_Minh"\n',
        encoding="utf-8",
    )
    before = toml.read_bytes()
    error = refused(run("remind", "--frame", folder, "-o", toml, "--ignore-window"))
    assert error == f"Error: {toml} is the frame: framer never writes over it; choose another name"
    assert toml.read_bytes() == before
    photo = tmp_path / "me.jpg"
    photo.write_bytes(PHOTO.read_bytes())
    error = refused(run("remind", "-o", photo, "--ignore-window"))
    assert error == f"Error: {photo} already exists and framer did not write it: choose another name"
    assert photo.read_bytes() == PHOTO.read_bytes()


def test_frames_check_output_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "check.png"
    error = refused(run("frames", "check", frame_png(tmp_path / "k.png"), "-o", target))
    assert error == f"Error: Cannot write {target}: the folder {tmp_path / 'nowhere'} does not exist"
    assert not target.parent.exists()


def test_frames_check_replaces_its_preview_whole(tmp_path: Path) -> None:
    """The preview is written aside and moved into place: a file linked to the old one keeps it."""
    target = tmp_path / "check.png"
    png = frame_png(tmp_path / "k.png")
    assert run("frames", "check", png, "-o", target).exit_code == 0  # an earlier preview of framer's
    old = target.read_bytes()
    other = tmp_path / "other-name.png"
    os.link(target, other)
    result = run("frames", "check", png, "-o", target)
    assert result.exit_code == 0, result.output
    assert other.read_bytes() == old and target.stat().st_ino != other.stat().st_ino
    with Image.open(target) as im:
        assert im.format == "PNG" and im.height == 1080


def test_frames_check_default_preview_stays_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = frame_folder(tmp_path / "f")
    toml = folder / "frame.toml"
    toml.write_text(toml.read_text().replace('name = "mine"', 'name = "../escaped"'), encoding="utf-8")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run("frames", "check", folder)
    assert result.exit_code == 0, result.output
    assert (here / "escaped-check.png").is_file() and not (tmp_path / "escaped-check.png").exists()


@pytest.mark.parametrize("planted", ["link", "file"])
def test_frames_add_is_not_disturbed_by_what_is_planted_in_the_frames_folder(
    tmp_path: Path, own_frames: Path, planted: str
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep me", encoding="utf-8")
    own_frames.mkdir()
    spot = own_frames / ".so-tt.adding"
    if planted == "link":
        spot.symlink_to(victim)
    else:
        spot.write_text("planted", encoding="utf-8")
    result = run("frames", "add", frame_png(tmp_path / "k.png"), "--name", "so-tt")
    assert result.exit_code == 0, result.output
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "keep me" and len(list(victim.iterdir())) == 1
    assert spot.is_symlink() if planted == "link" else spot.read_text(encoding="utf-8") == "planted"
    assert sorted(p.name for p in (own_frames / "so-tt").iterdir()) == ["frame.png", "frame.toml"]
    assert sorted(p.name for p in own_frames.iterdir()) == [".so-tt.adding", "so-tt"]  # no staging left
    assert run("frames", "show", "so-tt").exit_code == 0


def test_a_frame_in_a_format_that_runs_a_program_is_not_opened(tmp_path: Path) -> None:
    """An EPS "image" would be rendered by Ghostscript: a frame is only ever PNG, WebP, GIF or TIFF."""
    eps = tmp_path / "khung.eps"
    eps.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nshowpage\n")
    result = run("frames", "check", eps)
    assert result.exit_code == 2 and "not an image framer can use as a frame" in result.output, result.output
    assert "BytesIO" not in result.output


def test_a_jpeg_frame_is_told_it_has_no_transparency() -> None:
    result = run("frames", "check", DATA / "grace_hopper.jpg")
    assert result.exit_code == 2 and "no transparency" in result.output, result.output
