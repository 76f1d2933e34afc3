"""Make an evaluation set from a folder of portraits: each original, a 12 MP copy, and EXIF-rotated copies.

    python benchmarks/make_eval_set.py PORTRAITS_DIR OUT_DIR

This mirrors how photos arrive in an agency (phone-sized, and stored sideways with an EXIF orientation
tag), so placement can be judged on more than the originals. Nothing here is used by the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageOps

STORE_FOR_ORIENTATION = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}
SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}


def make(src_dir: Path, out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    n = 0
    for src in sorted(p for p in src_dir.iterdir() if p.suffix.lower() in SUFFIXES):
        with Image.open(src) as im:
            upright = ImageOps.exif_transpose(im).convert("RGB")
        (out_dir / src.name).write_bytes(src.read_bytes())
        # 12 MP, keeping the photo's shape.
        scale = (12_000_000 / (upright.width * upright.height)) ** 0.5
        big = upright.resize(
            (round(upright.width * scale), round(upright.height * scale)), Image.Resampling.LANCZOS
        )
        big.save(out_dir / f"{src.stem}_12mp.jpg", quality=88)
        for orientation, transpose in STORE_FOR_ORIENTATION.items():
            exif = Image.Exif()
            exif[0x0112] = orientation
            upright.transpose(transpose).save(
                out_dir / f"{src.stem}_exif{orientation}.jpg", quality=92, exif=exif
            )
        n += 5
    return n


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(f"wrote {make(Path(sys.argv[1]), Path(sys.argv[2]))} photos to {sys.argv[2]}")
