"""The review sheet: one self-contained HTML page that shows every framed photo, problems first
(framer.review.groups), each by a thumbnail of its output (framer.review.thumbs).

The page works offline and makes no request of any kind: the CSS is inline, the only pictures are
thumbnails of the OUTPUT images embedded as data: URIs, and a Content-Security-Policy forbids anything
else. Input photos are never read, so none of their pixels can end up in the page. The page is
deterministic: the same records and files give the same bytes.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path, PurePath

from ..batch.record import ERROR, NO_FACE, OK, SKIPPED, Record
from ..files import write_atomic
from ..i18n import N_, _, display, language, ngettext
from .groups import GROUP_KEYS, GROUPS, Group, group_of, reasons_for
from .thumbs import THUMB_PX, Thumb, thumb_for

GENERATOR = "framer review"  # in every page: a new page replaces an old one, and never anything else
# A photo with several faces whose report does not hold their boxes (an earlier framer's, or a row kept
# from one): the static page cannot number them on its picture.
NOT_NUMBERED = N_(
    "this report does not say where each face is, so they are not numbered on the picture: "
    "face 1 is the largest"
)
# Face numbers drawn over a thumbnail: the labels' size, and the arrows that point to a face off it.
MARK_SIZE = 0.1  # a label's height, as a share of the picture's side
ARROWS = ("→", "↘", "↓", "↙", "←", "↖", "↑", "↗")  # by direction, every 45° clockwise from the right


def _face_numbers(record: Record) -> str:
    r"""The faces of a photo with several, numbered on its thumbnail: an inline SVG laid over it, or ""
    (one face; the report does not say where they are).

    The SVG's coordinates are the upright photo's pixels: the report's crop is the part of the photo the
    output shows, whole, so it is the viewBox, and each face's box is drawn as the report gives it.
    Sliced as the thumbnail is covered, round as it is shown; a face whose centre is off the round
    picture gets its number at the edge, with an arrow to where it is::

        +------------crop-------------+
        |       .-------------.       |
        |     /    +-1-+    3   \     |
        |   ← 2    |   |   +-+   |    |
        |     \    +---+   +-+  /     |
        |       '-------------'       |
        +-----------------------------+
    """
    boxes, crop = record.face_boxes or [], record.crop
    if record.faces < 2 or len(boxes) < 2 or crop is None or crop[2] <= 0 or crop[3] <= 0:
        return ""
    x0, y0, w, h = crop
    side = min(w, h)  # the part of the output the round thumbnail shows
    cx, cy, radius = x0 + w / 2, y0 + h / 2, side / 2
    size = side * MARK_SIZE
    within = radius - size  # how far from the centre a label's middle stays on the picture
    shapes = []
    for n, (x, y, bw, bh) in enumerate(boxes, start=1):
        dx, dy = x + bw / 2 - cx, y + bh / 2 - cy
        if math.hypot(dx, dy) <= radius:  # on the picture: outlined, its number above it
            shapes.append(f'<rect data-face="{n}" x="{x}" y="{y}" width="{bw}" height="{bh}"></rect>')
            lx, ly = _pulled_in(x + bw / 2 - cx, y - size * 0.3 - cy, within)
            label = str(n)
        else:  # off it: at the edge, towards the face
            k = within / math.hypot(dx, dy)
            lx, ly = dx * k, dy * k + size * 0.35  # the text's baseline, so that its middle is there
            arrow = ARROWS[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]
            label = f"{arrow} {n}" if dx < 0 else f"{n} {arrow}"
        shapes.append(f'<text data-face="{n}" x="{_num(cx + lx)}" y="{_num(cy + ly)}">{label}</text>')
    return (
        f'<svg class="faces" viewBox="{x0} {y0} {w} {h}" preserveAspectRatio="xMidYMid slice" '
        f'font-size="{_num(size)}" stroke-width="{_num(size * 0.22)}" aria-hidden="true">'
        + "".join(shapes)
        + "</svg>"
    )


def _pulled_in(x: float, y: float, limit: float) -> tuple[float, float]:
    """(x, y), brought towards (0, 0) until it is at most `limit` from it."""
    d = math.hypot(x, y)
    return (x, y) if d <= limit else (x * limit / d, y * limit / d)


def _num(v: float) -> str:
    """A coordinate for the page: one decimal, no trailing zero (the page stays deterministic)."""
    return f"{round(v, 1):g}"


def _card(record: Record, group: Group, thumb: Thumb, thumb_px: int) -> str:
    source = PurePath(record.input)
    folder = str(source.parent) if str(source.parent) not in ("", ".") else ""
    reasons = reasons_for(record, group.key)
    numbers = _face_numbers(record) if thumb.uri is not None else ""
    if thumb.uri is not None and record.faces > 1 and not numbers:
        reasons.append(_(NOT_NUMBERED))
    if thumb.reason:
        reasons.append(thumb.reason)
    classes = ["card"]
    if record.status == ERROR or record.error:
        classes.append("failed")
    elif group.problem or thumb.state in ("missing", "unreadable"):
        classes.append("check")
    if thumb.uri is not None:
        picture = (
            f'<img class="thumb" src="{thumb.uri}" width="{thumb_px}" height="{thumb_px}" '
            f'alt="{escape(source.name)}" title="{escape(record.output or "")}">'
        )
        if numbers:
            picture = f'<div class="picture">{picture}{numbers}</div>'
    else:
        picture = f'<div class="thumb placeholder"><span>{escape(thumb.label)}</span></div>'
    lines = [
        f'<figure class="{" ".join(classes)}" data-status="{escape(record.status)}" '
        f'data-group="{group.key}" data-input="{escape(record.input)}" '
        f'data-output="{escape(record.output or "")}" data-thumb="{thumb.state}" '
        f'data-warnings="{escape(" ".join(record.warnings))}">',
        picture,
        "<figcaption>",
        f'<span class="name">{escape(source.name)}</span>',
    ]
    if folder:
        lines.append(f'<span class="folder">{escape(folder)}</span>')
    if reasons:
        items = "".join(f"<li>{escape(r)}</li>" for r in reasons)
        lines.append(f'<ul class="reasons">{items}</ul>')
    lines += ["</figcaption>", "</figure>"]
    return "\n".join(lines)


def _summary(records: list[Record], thumbs: list[Thumb]) -> str:
    statuses = Counter(r.status for r in records)
    n = len(records)
    lost = sum(t.state in ("missing", "unreadable") for t in thumbs)
    # Every count is a plural: in some languages "framed" agrees with the number.
    counts = [
        (statuses[OK], ngettext("{n} framed", "{n} framed", statuses[OK])),
        (statuses[NO_FACE], ngettext("{n} no face found", "{n} no face found", statuses[NO_FACE])),
        (statuses[ERROR], ngettext("{n} failed", "{n} failed", statuses[ERROR])),
        (statuses[SKIPPED], ngettext("{n} skipped", "{n} skipped", statuses[SKIPPED])),
    ]
    # How many were framed, always; the rest only when it happened (no "0 failed").
    parts = [text.format(n=n) for i, (n, text) in enumerate(counts) if n or i == 0]
    if lost:
        parts.append(
            ngettext("{n} output missing or unreadable", "{n} outputs missing or unreadable", lost).format(
                n=lost
            )
        )
    total = ngettext("{n} photo", "{n} photos", n).format(n=n)
    return " · ".join([f"<strong>{escape(total)}</strong>", *(escape(part) for part in parts)])


CSS = """
:root { --ink: #1d232b; --muted: #5b6470; --line: #dde1e6; --paper: #f5f6f8;
  --red: #c62828; --amber: #d99100; --thumb: %(thumb)dpx; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--paper); }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 16px 24px 12px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.summary { margin: 0 0 8px; color: var(--muted); }
.summary strong { color: var(--ink); }
nav { display: flex; flex-wrap: wrap; gap: 6px; }
nav a { text-decoration: none; color: var(--ink); border: 1px solid var(--line); border-radius: 999px;
  padding: 2px 10px; font-size: 13px; background: var(--paper); }
nav a.problem { border-color: var(--amber); background: #fff7e6; }
nav a.failed { border-color: var(--red); background: #fdecec; }
main { padding: 8px 24px 32px; }
section { margin-top: 20px; }
h2 { font-size: 17px; margin: 0; padding-left: 10px; border-left: 4px solid var(--line); }
section.problem h2 { border-left-color: var(--amber); }
section.failed h2 { border-left-color: var(--red); }
.hint { margin: 2px 0 10px 14px; color: var(--muted); font-size: 13px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px;
  margin-top: 10px; }
.card { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px;
  display: flex; flex-direction: column; align-items: center; min-width: 0; }
.card.check { border-left: 5px solid var(--amber); }
.card.failed { border-left: 5px solid var(--red); }
.thumb { width: var(--thumb); max-width: 100%%; height: auto; aspect-ratio: 1 / 1; border-radius: 50%%;
  object-fit: cover; display: block; background: #e9ecef; box-shadow: 0 0 0 1px rgba(0,0,0,.08); }
.placeholder { border-radius: 12px; box-shadow: none; border: 2px dashed #b9c0c8; background: #f1f3f5;
  display: flex; align-items: center; justify-content: center; text-align: center; padding: 16px;
  color: var(--muted); font-weight: 600; }
.picture { position: relative; width: var(--thumb); max-width: 100%%; }
.picture .thumb { width: 100%%; }
.faces { position: absolute; inset: 0; width: 100%%; height: 100%%; clip-path: circle(50%%);
  pointer-events: none; }
.faces rect { fill: none; stroke: #fff; stroke-width: 2px; vector-effect: non-scaling-stroke; }
.faces text { fill: #fff; stroke: rgba(0,0,0,.75); paint-order: stroke; font-weight: 700;
  text-anchor: middle; font-family: system-ui, sans-serif; }
.card.failed .placeholder { border-color: #e3a1a1; background: #fdf3f3; color: var(--red); }
figcaption { width: 100%%; margin-top: 10px; }
.name { display: block; font-weight: 600; overflow-wrap: anywhere; }
.folder { display: block; font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.reasons { margin: 6px 0 0; padding: 0 0 0 16px; font-size: 13px; color: var(--ink); }
.reasons li { margin-top: 2px; overflow-wrap: anywhere; }
.empty { color: var(--muted); }
"""


def build_review(
    records: list[Record],
    *,
    title: str | None = None,
    thumb_px: int = THUMB_PX,
    base_dir: Path | None = None,
) -> str:
    """The review page as an HTML string, in the user's language.

    `title` defaults to "framer review" in that language. Relative output paths are resolved against
    `base_dir` (default: the current directory), the folder the paths in the report were written from.
    """
    if title is None:
        title = _("framer review")
    base = Path.cwd() if base_dir is None else base_dir
    inputs = {os.path.realpath(base / r.input) for r in records}
    # Decoding dominates (about 10 ms per 1080 px output) and Pillow releases the GIL while it decodes.
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        thumbs = list(pool.map(lambda r: thumb_for(r, base, inputs, thumb_px), records))
    by_group: dict[str, list[str]] = {key: [] for key in GROUP_KEYS}
    groups = {g.key: g for g in GROUPS}
    for record, thumb in zip(records, thumbs, strict=True):
        group = groups[group_of(record)]
        by_group[group.key].append(_card(record, group, thumb, thumb_px))

    nav, sections = [], []
    for g in GROUPS:
        cards = by_group[g.key]
        if not cards:
            continue
        kind = " failed" if g.key == "error" else " problem" if g.problem else ""
        heading = f"{escape(_(g.heading))} ({len(cards)})"
        nav.append(f'<a class="{kind.strip()}" href="#{g.key}">{heading}</a>')
        hint = f'<p class="hint">{escape(_(g.hint))}</p>' if g.hint else ""
        sections.append(
            f'<section id="{g.key}" class="group{kind}" data-group="{g.key}" data-count="{len(cards)}">\n'
            f"<h2>{heading}</h2>\n{hint}\n"
            f'<div class="grid">\n' + "\n".join(cards) + "\n</div>\n</section>"
        )
    if not sections:
        sections.append(f'<p class="empty">{escape(_("The report has no photos."))}</p>')

    page = "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{"vi" if language() == "vi" else "en"}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # Nothing may be fetched: the page is complete as it is, and stays private.
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">",
            '<meta name="referrer" content="no-referrer">',
            f'<meta name="generator" content="{GENERATOR}">',
            f"<title>{escape(title)}</title>",
            f"<style>{CSS % {'thumb': thumb_px}}</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<h1>{escape(title)}</h1>",
            f'<p class="summary">{_summary(records, thumbs)}</p>',
            f"<nav>{' '.join(nav)}</nav>" if nav else "",
            "</header>",
            "<main>",
            *sections,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
    # A name that is not UTF-8 (bytes from an old zip tool, held as surrogate escapes) is shown as \xNN:
    # once, over the whole page, so that no field of any card can break the page's UTF-8.
    return display(page)


def looks_like_review(head: bytes) -> bool:
    """Whether a file that starts with `head` is a review page framer wrote (this version or an earlier
    one, whose pages carried the same Content-Security-Policy)."""
    return f'content="{GENERATOR}"'.encode() in head or b"default-src 'none'; img-src data:" in head


def write_review(
    records: list[Record],
    path: Path,
    *,
    title: str | None = None,
    thumb_px: int = THUMB_PX,
    base_dir: Path | None = None,
) -> None:
    """Write the review page (see build_review) to `path`, atomically (never half-written)."""
    data = build_review(records, title=title, thumb_px=thumb_px, base_dir=base_dir).encode("utf-8")
    write_atomic(path, data, overwrite=True)
