"""Placement with every kind of frame, each used twice with one frame cache, judged by an independent tool.

    python benchmarks/frames_eval.py PORTRAITS_DIR WORK_DIR --judge PLACEMENT_PY [--fill FILL_PY]

Makes the evaluation set (make_eval_set.py: each portrait, a 12 MP copy, EXIF-rotated copies), then, in
a frames folder and a frame cache of its own (FRAMER_FRAMES, FRAMER_CACHE under WORK_DIR):

- six frames of the shapes agencies hand over, drawn here: a round badge, an oval window placed high
  over a banner, a rounded rectangle in a portrait-shaped frame, an arch, a wide landscape frame with
  the window off centre, a rectangle with feathered edges; each added with `framer frames add` for a
  campaign running today (so that it is also the frame taken without --frame);
- two frames drawn by `framer frames new` (the issue's texts, round; a square window);

and frames the set with each frame twice (`framer apply SET -o OUT-1`, then `-o OUT-2`: the second use
reads the frame from the cache), then runs the judge on every output folder and, with --fill, the fill
measure on each report. Prints one line per frame and use. Nothing here is used by the tests.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent


def _canvas(size: tuple[int, int]) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("RGBA", size, (14, 60, 140, 255))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, size[1] * 5 // 6, size[0], size[1]), fill=(205, 30, 35, 255))  # a banner
    return im, draw


def drawn_frames() -> dict[str, Image.Image]:
    """Six frames of different window shapes and layouts (transparent window, opaque artwork)."""
    frames = {}
    im, draw = _canvas((1200, 1200))
    draw.ellipse((150, 150, 1049, 1049), fill=(0, 0, 0, 0))
    frames["round-badge"] = im
    im, draw = _canvas((1600, 2000))
    draw.ellipse((300, 200, 1299, 1299), fill=(0, 0, 0, 0))
    frames["oval-high"] = im
    im, draw = _canvas((900, 1100))
    draw.rounded_rectangle((130, 120, 770, 840), radius=70, fill=(0, 0, 0, 0))
    frames["rounded-rect"] = im
    im, draw = _canvas((1080, 1350))
    draw.rectangle((190, 430, 890, 1050), fill=(0, 0, 0, 0))
    draw.ellipse((190, 80, 890, 780), fill=(0, 0, 0, 0))
    frames["arch"] = im
    im, draw = _canvas((1920, 1080))
    draw.rounded_rectangle((980, 120, 1760, 900), radius=40, fill=(0, 0, 0, 0))
    frames["wide-off-centre"] = im
    im, _ = _canvas((1200, 1200))
    hole = Image.new("L", im.size, 255)
    ImageDraw.Draw(hole).rectangle((200, 160, 1000, 960), fill=0)
    im.putalpha(hole.filter(ImageFilter.GaussianBlur(12)))  # a feathered, soft-edged window
    frames["feathered-rect"] = im
    return frames


def framer(*args: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "framer", *map(str, args)], env=env, capture_output=True, text=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("portraits", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--judge", type=Path, required=True, help="the independent placement judge")
    parser.add_argument("--fill", type=Path, help="the measure of how much of each window is invented")
    a = parser.parse_args()
    work = a.work.resolve()
    env = {**os.environ, "FRAMER_FRAMES": str(work / "frames"), "FRAMER_CACHE": str(work / "cache")}
    env["LANGUAGE"] = "en"
    subprocess.run([sys.executable, HERE / "make_eval_set.py", a.portraits, work / "set"], check=True)

    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    days = ["--starts", str(today - timedelta(days=3)), "--ends", str(today + timedelta(days=7))]
    frames: dict[str, Path] = {}
    for name, image in drawn_frames().items():
        png = work / f"{name}.png"
        image.save(png)
        added = framer("frames", "add", png, "--name", name, *days, "--replace", env=env)
        if added.returncode:
            sys.exit(f"frames add {name}: {added.stderr}")
        frames[name] = work / "frames" / name / "frame.png"
    new = [
        ("dx-test", []),
        ("dx-square", ["--window-shape", "square", "--colour", "red"]),
    ]
    for name, extra in new:
        made = framer(
            "frames",
            "new",
            name,
            "--title",
            "NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA",
            "--subtitle",
            "Chuyển đổi số: nhanh hơn, hiệu quả hơn, gần dân hơn",
            "--date-text",
            "10.10.2027",
            "--starts",
            "2027-10-01",
            "--ends",
            "2027-10-10",
            "--replace",
            *extra,
            env=env,
        )
        if made.returncode:
            sys.exit(f"frames new {name}: {made.stderr}")
        frames[name] = work / "frames" / name / "frame.png"

    total_good = total = 0
    for name, png in frames.items():
        for use in (1, 2):
            out, report = work / f"out-{name}-{use}", work / f"report-{name}-{use}.jsonl"
            run = framer("apply", work / "set", "-o", out, "--frame", name, "--report", report, "-q", env=env)
            if run.returncode not in (0, 1):
                sys.exit(f"apply --frame {name} (use {use}): exit {run.returncode}: {run.stderr}")
            blamed = [w for w in ("Traceback", "damaged", "crashed") if w in run.stderr]
            judged = subprocess.run(
                [sys.executable, a.judge, out, "--frame", png], capture_output=True, text=True, env=env
            )
            placed = re.search(r"placed (\d+)/(\d+)", judged.stdout)
            good, n = (int(placed[1]), int(placed[2])) if placed else (0, 0)
            total_good, total = total_good + good, total + n
            fill = ""
            if a.fill:
                measured = subprocess.run(
                    [sys.executable, a.fill, report, "--frame", png], capture_output=True, text=True, env=env
                )
                fill = " ".join(measured.stdout.split()[-8:])
            misses = [line for line in judged.stdout.splitlines() if ": " in line and "placed" not in line]
            print(
                f"{name:16} use {use}: placed {good}/{n}  {fill}  {'BLAMED ' + str(blamed) if blamed else ''}"
            )
            for line in misses:
                print(f"    {line}")
    print(f"all: placed {total_good}/{total} ({total_good / max(total, 1):.1%})")
    with Image.open(frames["dx-test"]) as im:
        print(f"dx-test: {im.size}")


if __name__ == "__main__":
    main()
