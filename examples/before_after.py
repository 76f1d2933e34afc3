"""Re-create before-after.jpg (shown in the README): a portrait beside what framer makes of it.

python examples/before_after.py
"""

from pathlib import Path

from PIL import Image

from framer.core.compose import PreparedFrame
from framer.core.detect import FaceDetector
from framer.core.pipeline import frame_file
from framer.frames.registry import load_frame

HERE = Path(__file__).parent
HEIGHT = 540


def main() -> None:
    dx = load_frame("dx-2023")
    frame = PreparedFrame.for_output(dx.open_image(), dx.window, HEIGHT)
    source = HERE / "portraits" / "grace_hopper.jpg"
    framed = frame_file(source, FaceDetector(), frame).image
    with Image.open(source) as im:
        before = im.convert("RGB").resize(
            (round(im.width * HEIGHT / im.height), HEIGHT), Image.Resampling.LANCZOS
        )
    gap = 24
    sheet = Image.new("RGB", (before.width + gap + framed.width, HEIGHT), "white")
    sheet.paste(before, (0, 0))
    sheet.paste(framed, (before.width + gap, 0))
    sheet.save(HERE / "before-after.jpg", quality=88)


if __name__ == "__main__":
    main()
