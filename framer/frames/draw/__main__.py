"""python -m framer.frames.draw FRAME_FOLDER: draw a frame folder's frame.png again from its [design]."""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...errors import FrameError
from ...i18n import _
from .design import design_from_table
from .measures import SIZE
from .paint import Drawn, draw_frame

if TYPE_CHECKING:
    from pathlib import Path


def _redraw(folder: Path) -> tuple[Drawn, dict[str, Any]]:
    """Draw the frame of a frame folder again from its frame.toml's [design]; also its [window]."""
    with open(folder / "frame.toml", "rb") as f:
        meta = tomllib.load(f)
    table = meta.get("design")
    if not isinstance(table, dict):
        raise FrameError(
            _("{path}: no [design] table to draw the frame from").format(path=folder / "frame.toml")
        )
    logo = None
    if "logo" in table:
        name = str(table["logo"])
        if "/" in name or "\\" in name or name.startswith("."):
            raise FrameError(_("[design]: field 'logo' must name a file in the frame's folder"))
        logo = (folder / name).read_bytes()
    return draw_frame(design_from_table(table, logo)), meta.get("window", {})


def main(argv: Sequence[str] | None = None) -> int:
    """python -m framer.frames.draw FRAME_FOLDER: draw FRAME_FOLDER/frame.png again from its [design]."""
    from pathlib import Path

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m framer.frames.draw FRAME_FOLDER", file=sys.stderr)
        return 2
    folder = Path(args[0])
    try:
        drawn, declared = _redraw(folder)
    except (FrameError, OSError, tomllib.TOMLDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    out = folder / "frame.png"
    tmp = folder / ".frame.png.drawing"
    drawn.image.save(tmp, "PNG", optimize=True)
    tmp.replace(out)
    w = drawn.window
    print(f"wrote {out}: {SIZE}x{SIZE}")
    for note in drawn.notes:
        print(note)
    print(f"window: shape={drawn.shape} x={w.x:g} y={w.y:g} width={w.w:g} height={w.h:g}")
    found = {k: declared.get(k) for k in ("x", "y", "width", "height")}
    if found != {"x": w.x, "y": w.y, "width": w.w, "height": w.h}:
        print(f"frame.toml's [window] says {found}: change it to the window above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
