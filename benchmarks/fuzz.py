"""A long fuzz run of the photo path: mutated real files through decode, detect, place, render, encode.

    python benchmarks/fuzz.py [--examples 5000] [--seed 0]

Hypothesis mutates the real test photos (truncations, bit flips, spliced and inserted bytes, swapped
headers, absurd sizes in the header) and feeds each result to the same code `framer apply` runs. The
only acceptable outcomes are a framed picture or a PhotoError with a plain reason; anything else is a
bug, printed with the input that caused it (saved under --crashes). The test suite has a short,
deterministic version of this (tests/core/test_robustness.py); this is the long one, run by hand.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framer.core.compose import PreparedFrame
from framer.core.detect import FaceDetector
from framer.core.images import encode
from framer.core.pipeline import frame_file
from framer.errors import PhotoError
from framer.frames.registry import load_frame

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SEEDS = [
    p.read_bytes()
    for p in sorted(DATA.iterdir())
    if p.suffix in {".jpg", ".png", ".gif", ".webp"} and p.stat().st_size < 300_000
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "splice", "header"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "truncate":
            del data[pos:]
        elif kind == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "splice":
            other = draw(st.sampled_from(SEEDS))
            data[pos:] = other[draw(st.integers(0, len(other) - 1)) :]
        else:  # overwrite bytes near the start, where the sizes and kinds live
            at = draw(st.integers(0, min(64, max(0, len(data) - 1))))
            data[at : at + 4] = draw(st.binary(min_size=4, max_size=4))
    return bytes(data)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"))
    args = ap.parse_args()

    dx = load_frame("dx-2023")
    frame = PreparedFrame.for_output(dx.open_image(), dx.window_in(dx.open_image()), 360)
    detector = FaceDetector()
    counts = {"framed": 0, "refused": 0}
    crashes: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="framer-fuzz-"))

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutated())
    def one(data: bytes) -> None:
        path = work / "photo"
        path.write_bytes(data)
        try:
            framed = frame_file(path, detector, frame)
            encode(framed.image, "jpg")
            counts["framed"] += 1
        except PhotoError:
            counts["refused"] += 1
        except Exception as e:  # a bug: keep the input
            args.crashes.mkdir(exist_ok=True)
            name = hashlib.sha256(data).hexdigest()[:16]
            (args.crashes / name).write_bytes(data)
            crashes.append(f"{name}: {type(e).__name__}: {e}")

    started = time.monotonic()
    one()
    took = time.monotonic() - started
    print(
        f"{args.examples} examples in {took:.0f} s: {counts['framed']} framed, {counts['refused']} refused "
        f"with a reason, {len(crashes)} crashes"
    )
    for line in crashes[:20]:
        print("  " + line)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
