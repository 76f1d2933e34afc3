"""framer.draw: a frame drawn from a few words in the built-in frame's style, its texts fitted or refused.

The built-in frame is drawn by it, pixel for pixel; every text stays inside the avatar's circle, off the
window's rim and off the other texts, or the design is refused; the window is found where the drawing
says it is.
"""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image

from framer.draw import Design, design_from_table, draw_frame

FRAMES = Path(__file__).resolve().parent.parent / "frames"
BUILTIN = FRAMES / "dx-2023"


def builtin_design() -> Design:
    with (BUILTIN / "frame.toml").open("rb") as f:
        return design_from_table(tomllib.load(f)["design"])


def test_the_builtin_frame_is_drawn_pixel_for_pixel_from_its_design_even_from_nfd_text(
    tmp_path: Path,
) -> None:
    """frame.png is what draw_frame makes of frame.toml's [design]; decomposed accents (as macOS terminals
    send them) make the same frame."""
    design = builtin_design()
    nfd = Design(
        title=unicodedata.normalize("NFD", design.title),
        subtitle=unicodedata.normalize("NFD", design.subtitle or ""),
        date_text=design.date_text,
        colour=design.colour,
        window_shape=design.window_shape,
    )
    assert nfd.title != design.title
    drawn = draw_frame(nfd)
    with Image.open(BUILTIN / "frame.png") as shipped:
        expected = np.asarray(shipped.convert("RGBA"))
    got = np.asarray(drawn.image)
    assert got.shape == expected.shape
    differ = np.argwhere((got != expected).any(axis=2))
    assert len(differ) == 0, f"{len(differ)} pixels differ, the first at (y, x) {tuple(differ[0])}"
    drawn.image.save(tmp_path / "frame.png", optimize=True)
    assert (tmp_path / "frame.png").read_bytes() == (BUILTIN / "frame.png").read_bytes()
