"""Re-create the variant test photos from the three originals beside this script.

    python tests/data/make_variants.py

Each variant exercises one path of the decoder: EXIF orientation, a colour mode, a size, a container.
The originals are public domain / CC0 (see README.md here); so are the variants made from them.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).parent
ORIENTATION = 0x0112

# The transpose that *stores* an upright picture so that a viewer applying EXIF orientation N shows it
# upright again: the inverse of what PIL.ImageOps.exif_transpose does for N.
STORE_FOR_ORIENTATION = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


def save_with_orientation(upright: Image.Image, orientation: int, path: Path) -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    upright.transpose(STORE_FOR_ORIENTATION[orientation]).save(path, quality=90, exif=exif.tobytes())


def twelve_megapixel(upright: Image.Image) -> Image.Image:
    """A 3000x4000 phone-sized portrait: the photo enlarged, on a softly extended background."""
    width, height = 3000, 4000
    photo = upright.resize((width, width * upright.height // upright.width), Image.Resampling.LANCZOS)
    canvas = upright.resize((width, height), Image.Resampling.BILINEAR)  # stretched, as a backdrop
    canvas.paste(photo, (0, (height - photo.height) // 2))
    return canvas


def main() -> None:
    astronaut = Image.open(HERE / "astronaut.png").convert("RGB")
    hopper = Image.open(HERE / "grace_hopper.jpg").convert("RGB")

    for orientation in (3, 6, 8):
        save_with_orientation(hopper, orientation, HERE / f"hopper_exif{orientation}.jpg")

    hopper.convert("L").save(HERE / "hopper_gray.jpg", quality=90)
    hopper.convert("CMYK").save(HERE / "hopper_cmyk.jpg", quality=90)
    hopper.quantize(64).save(HERE / "hopper_palette.gif")
    hopper.save(HERE / "hopper.webp", quality=85)
    hopper.resize((96, 112), Image.Resampling.LANCZOS).save(HERE / "hopper_tiny.jpg", quality=92)

    # RGBA: the photo with a transparent border, as a cut-out portrait would have.
    rgba = astronaut.convert("RGBA")
    alpha = np.full((rgba.height, rgba.width), 255, np.uint8)
    alpha[:, :40] = 0
    alpha[:, -40:] = 0
    rgba.putalpha(Image.fromarray(alpha))
    rgba.save(HERE / "astronaut_rgba.png")

    # 16 bits per channel grayscale (mode I;16), as scanners write.
    gray16 = (np.asarray(astronaut.convert("L"), np.uint16) * 257).astype(np.uint16)
    Image.fromarray(gray16).save(HERE / "astronaut_gray16.png")

    # A landscape photo with the face close to the left edge: placement must fill, not slide.
    wide = Image.new("RGB", (1200, 600))
    wide.paste(astronaut.resize((600, 600), Image.Resampling.LANCZOS), (0, 0))
    wide.paste(astronaut.crop((420, 0, 512, 512)).resize((600, 600)), (600, 0))
    wide.crop((150, 0, 1200, 600)).save(HERE / "astronaut_edge.jpg", quality=90)

    buffer = io.BytesIO()
    twelve_megapixel(hopper).save(buffer, "JPEG", quality=80)
    (HERE / "hopper_12mp.jpg").write_bytes(buffer.getvalue())


if __name__ == "__main__":
    main()
