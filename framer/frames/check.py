"""`framer frames check`: is a frame usable, and how will a portrait look in it?"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ..core.colour import to_rgb
from ..core.compose import PreparedFrame, avatar_preview
from ..core.detect import FaceDetector
from ..core.geometry import Box
from ..core.pipeline import frame_photo
from ..i18n import N_, _, ngettext, percent
from .model import Frame
from .window import shape_name

MIN_SIDE = 1080  # the default output: a smaller frame is enlarged
SMALL_WINDOW = 0.08  # share of the frame below which faces come out tiny
PREVIEW_SIDE = 1080


MARK = ("Software", "framer frames check")  # a text chunk in every preview: a new one replaces it


@dataclass
class CheckResult:
    preview: Image.Image
    notes: list[str]

    def png(self) -> bytes:
        """The preview as a PNG that says framer made it (see looks_like_check)."""
        import io

        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text(*MARK)
        buffer = io.BytesIO()
        self.preview.save(buffer, "PNG", pnginfo=info, compress_level=1)
        return buffer.getvalue()


def looks_like_check(head: bytes) -> bool:
    """Whether a file that starts with `head` is a preview `framer frames check` wrote."""
    return head.startswith(b"\x89PNG") and b"tEXt" + MARK[0].encode() + b"\0" + MARK[1].encode() in head


def check_frame(frame: Frame, window: Box | None = None) -> CheckResult:
    """Check `frame` (FrameError when it is unusable, as for every command: a window off the image or
    mostly opaque is an error, not a warning) and make a preview with a sample portrait. `window`
    (--window) is the window to check instead of the declared or found one, as framer apply takes it."""
    image = frame.open_image()
    notes = [
        _("image: {width} x {height} px, with transparency").format(width=image.width, height=image.height)
    ]
    if window is not None:
        window, shape = frame.window_in(image, window), "rectangle"
        how = _("given with --window")
    elif frame.window is not None:
        window, shape = frame.window_in(image), frame.window_shape
        how = _("declared in frame.toml ({shape})").format(shape=shape_name(shape))
    else:
        found = frame.find_window(image)
        window, shape = found.box, found.shape
        how = _("found from the transparency ({shape})").format(shape=shape_name(shape))
        if found.ignored:
            notes.append(
                ngettext(
                    "ignored {n} small transparent area outside the window",
                    "ignored {n} small transparent areas outside the window",
                    found.ignored,
                ).format(n=found.ignored)
            )
    share = window.w * window.h / (image.width * image.height)
    notes.insert(
        1,
        _("window: x={x} y={y} width={width} height={height}, {how}, {share} of the frame").format(
            x=f"{window.x:g}",
            y=f"{window.y:g}",
            width=f"{window.w:g}",
            height=f"{window.h:g}",
            how=how,
            share=percent(share),
        ),
    )
    if max(image.size) < MIN_SIDE:
        notes.append(
            _(
                "warning: the frame is smaller than the {side} px output: it will be enlarged and look soft"
            ).format(side=MIN_SIDE)
        )
    if share < SMALL_WINDOW:
        notes.append(
            _("warning: the window is small ({share} of the frame): faces will be tiny in the avatar").format(
                share=percent(share)
            )
        )
    cut = cut_by_round_view(image)
    if cut is not None:
        notes.append(
            _(
                "warning: text or fine detail in {parts} lies outside the round view: a round profile "
                "picture cuts it off (see the round avatar in the preview); keep text and logos inside "
                "the circle"
            ).format(parts=cut.where())
        )
    return CheckResult(_preview(image, window, shape), notes)


def _preview(image: Image.Image, window: Box, shape: str) -> Image.Image:
    """The sample portrait framed, the window outlined in red, and beside it the 176 px round avatar."""
    prepared = PreparedFrame.for_output(image, window, PREVIEW_SIDE)
    with (files("framer") / "samples" / "portrait.jpg").open("rb") as f, Image.open(f) as sample:
        photo = np.asarray(to_rgb(sample))
    framed = frame_photo(photo, FaceDetector(), prepared).image
    outlined = framed.copy()
    w = prepared.window
    draw = ImageDraw.Draw(outlined)
    box = (w.x, w.y, w.right, w.bottom)
    if shape in ("circle", "ellipse"):
        draw.ellipse(box, outline=(230, 30, 30), width=4)
    else:
        draw.rectangle(box, outline=(230, 30, 30), width=4)
    avatar = avatar_preview(framed)
    sheet = Image.new(
        "RGB", (outlined.width + avatar.width + 48, max(outlined.height, avatar.height)), "white"
    )
    sheet.paste(outlined, (0, 0))
    sheet.paste(avatar, (outlined.width + 24, 24), avatar)
    return sheet


# What a round profile picture cuts off
# -------------------------------------
#
# Facebook and Zalo show a profile picture as the circle inscribed in its centre square (what
# compose.avatar_preview keeps); the rest is cut:
#
#     +-----------------+
#     |       top       |  a frame taller than wide: the strips beyond the square
#     +-----------------+  (left and right ones for a frame wider than tall)
#     |TL  .-"""""-.  TR|
#     |  /           \  |  TL, TR, BL, BR: the corners of the square outside the circle
#     | |  round view | |
#     |  \           /  |
#     |BL  '-.___.-'  BR|
#     +-----------------+
#     |     bottom      |
#     +-----------------+

ROUND_PARTS = {  # where cut content is, in the order a note names them
    "top-left": N_("the top-left corner"),
    "top-right": N_("the top-right corner"),
    "bottom-left": N_("the bottom-left corner"),
    "bottom-right": N_("the bottom-right corner"),
    "top": N_("the top edge"),
    "bottom": N_("the bottom edge"),
    "left": N_("the left edge"),
    "right": N_("the right edge"),
}
_PART_CODES = tuple(ROUND_PARTS)

# The round view is read at one size whatever the frame's pixel count: its centre square is measured at
# READ_SIDE px, the default output ...
READ_SIDE = 1080
READ_MAX = 4 * READ_SIDE  # but a banner-shaped frame's longer side no more than this (memory, time)
# ... and at half that size too, where large text (~100-150 px) shows enough corners, with a higher bar:
# halving steepens a soft texture's slopes, per pixel, but not a sharp edge's (factor, contrast bar).
SCALES = ((1, 1.0), (2, 1.5))
DERIVATIVE_SIGMA = 1.0  # px: the smoothing before the gradients (an anti-aliased edge is ~1 px)
INTEGRATION_SIGMA = 1.5  # px: the neighbourhood over which gradients must turn (a stroke's end, a curve)
CHROMA_WEIGHT = 0.5  # a difference of hue counts half as much as one of lightness towards legibility
# CIELAB units per px. Text of 16-90 px reaches it when its lightness (L*) differs from the background's by
# 23-30 (12 px text: 36); dx-2023's digits at 22 % opacity differ by about 15.
MIN_CONTRAST = 3.5
LINK = 30  # px (at each scale): details within 2 * LINK across and down are one word or logo
MIN_DETAILS = 7  # a word or logo has at least this many details; a border line's corner has 2-4 ...
MIN_CUT = 3  # ... and it is cut when at least this many of them lie outside the circle
CIRCLE_MARGIN = 2  # px (at each scale) beyond the circle before a detail counts as outside
EDGE_MARGIN = 4  # px: the edge of the image and of the transparency are not details

# Calibration: 261 frames drawn for it (800-3000 px; square, 4:5, 2:3, 3:2, 16:9; text in the shipped
# Noto Sans Bold as Pillow anti-aliases it). Each class's weakest member (must warn) or strongest (must
# not), as a multiple of the threshold it has to pass: "contrast" is the highest MIN_CONTRAST at which it
# would still warn, "details" its group's size over MIN_DETAILS, "cut" its details outside over MIN_CUT.
#
#   must warn                                                         contrast  details  cut
#   text in a corner, 12 colour pairs, 16 px                            1.61      3.3    7.7
#                                      24 px                            1.89      4.4     10
#                                      40 px                            1.58      2.0    4.7
#                                      90 px                            1.49      1.86   4.3
#     (weakest: grey 200 on grey 90, grey 120 on white; hue alone: red on blue 2.4, on green 2.1)
#   low-contrast pairs: orange on red (1.11), light blue on white,      1.11      4.4     10
#     gold on white, white on gold, yellow or grey 150 (1.35-2.07)
#   text beyond the square of a frame that is not square                2.76      3.9    9.0
#   text centred on the circle's edge                                   2.12      8.3    9.7
#   arc text of 24-66 px with its top third outside the circle          3.05      9.9    1.67
#   emblem (toothed wheel, spokes, star), 90-140 px across              1.87      8.9     21
#   must not warn
#   dx-2023 (its digits; its title ends 13 px inside the circle)        0.56
#   faint digits: 22 % over a gradient; 15 % black on light grey        0.66 0.53
#   soft textures, finest grain 3-6 px, +-20-35 levels a channel        0.70
#     the same at +-50 levels: finest grain 4 px, 3 px                  0.78 0.97
#   blurred photo; ring (anti-aliased, JPEG'd, or not anti-aliased)     0.26 0.59
#   flat colour, gradients, transparent window, text inside            never
#   plain border lines along the edges: single, double, triple         never     0.29 0.57 0.86
# Text along the circle warns once its ink reaches 8 px (of 1080) past the circle; up to 6 px it does not.
# Known to warn although decoration: a sharp five-pointed star in a corner (10 points: 2.25, 1.43, 3.3).


@dataclass(frozen=True)
class Finding:
    """Legible content a round profile picture cuts off: where it is (keys of ROUND_PARTS, in order)."""

    parts: tuple[str, ...]

    def where(self) -> str:
        """The parts in words: "the top-left corner and the bottom edge"."""
        words = [_(ROUND_PARTS[part]) for part in self.parts]
        if len(words) == 1:
            return words[0]
        return _("{first} and {last}").format(first=", ".join(words[:-1]), last=words[-1])


def cut_by_round_view(image: Image.Image) -> Finding | None:
    """Where a frame `image` has text, a logo or other legible detail outside the round view; None if
    nowhere.

    Legible detail is what a reader needs to read, measured as people read the picture: the centre
    square scaled to READ_SIDE, and at half that size for large text. A detail is a point where the
    colour (CIELAB, hue at CHROMA_WEIGHT) changes sharply in two directions at once: the smaller
    eigenvalue of the colour structure tensor (its square root, in CIELAB units per px), at a local
    maximum. Letters and emblems are full of them (stroke ends, corners, small curves); a flat colour,
    a smooth gradient, a soft photo-like texture (no sharp change) and a border line or ring (a change in
    one direction only) have none, and faint decoration (dx-2023's digits at 22 % opacity) stays under
    MIN_CONTRAST. Details close together (LINK) make one group: a group of at least MIN_DETAILS (a word, a
    logo) is cut where at least MIN_CUT of its details lie outside the circle, so text across the circle's
    edge counts as well as text in a corner. Only the opaque frame counts (alpha >= 0.5, EDGE_MARGIN px in
    from the window and the image's edge). The thresholds and their margins: see the calibration above.
    """
    rgb, alpha = _reading_copy(image)
    parts: set[int] = set()
    for factor, bar in SCALES:
        if factor == 1:
            scaled, opaque = rgb, alpha
        else:
            size = (max(1, round(alpha.shape[1] / factor)), max(1, round(alpha.shape[0] / factor)))
            scaled = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
            opaque = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
        parts |= _cut_parts(_details(scaled, opaque), MIN_CONTRAST * bar)
    if not parts:
        return None
    return Finding(tuple(_PART_CODES[i] for i in sorted(parts)))


@dataclass(frozen=True)
class _Details:
    """The details of one scale: where they are, how strong, in which part, and outside the circle."""

    shape: tuple[int, int]
    ys: np.ndarray
    xs: np.ndarray
    strength: np.ndarray  # CIELAB units per px
    part: np.ndarray  # index into _PART_CODES
    outside: np.ndarray


def _reading_copy(image: Image.Image) -> tuple[np.ndarray, np.ndarray]:
    """`image` scaled so its centre square is READ_SIDE px (its longer side at most READ_MAX), as float
    RGB over mid grey (what is under transparent pixels does not matter) and float alpha, both 0-1."""
    rgba = image.convert("RGBA")
    scale = min(READ_SIDE / min(rgba.size), READ_MAX / max(rgba.size))
    size = (max(1, round(rgba.width * scale)), max(1, round(rgba.height * scale)))
    if size != rgba.size:
        rgba = rgba.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    pixels = np.asarray(rgba, dtype=np.float32) / 255
    alpha = np.ascontiguousarray(pixels[..., 3])
    rgb = pixels[..., :3] * alpha[..., None] + 0.5 * (1 - alpha[..., None])
    return np.ascontiguousarray(rgb), alpha


def _details(rgb: np.ndarray, alpha: np.ndarray) -> _Details:
    """The details of one scale (see cut_by_round_view): local maxima of the colour structure tensor's
    smaller eigenvalue, on the opaque frame."""
    lab = np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB), np.float32)  # sRGB 0-1 in, L* 0-100 out
    lab[..., 1:] *= CHROMA_WEIGHT
    smooth = cv2.GaussianBlur(lab, (0, 0), DERIVATIVE_SIGMA)
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3, scale=1 / 8)  # per px
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3, scale=1 / 8)
    xx = cv2.GaussianBlur((gx * gx).sum(axis=2), (0, 0), INTEGRATION_SIGMA)
    yy = cv2.GaussianBlur((gy * gy).sum(axis=2), (0, 0), INTEGRATION_SIGMA)
    xy = cv2.GaussianBlur((gx * gy).sum(axis=2), (0, 0), INTEGRATION_SIGMA)
    smaller = (xx + yy) / 2 - np.sqrt(((xx - yy) / 2) ** 2 + xy**2)
    strength = np.sqrt(np.maximum(smaller, 0))
    h, w = alpha.shape
    m = EDGE_MARGIN
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * m + 1, 2 * m + 1))
    usable = cv2.erode((alpha >= 0.5).astype(np.uint8), disc, borderType=cv2.BORDER_REPLICATE)
    usable[:m], usable[h - m :], usable[:, :m], usable[:, w - m :] = 0, 0, 0, 0
    peak = (strength == cv2.dilate(strength, np.ones((5, 5), np.uint8))) & (strength > 0) & (usable > 0)
    ys, xs = np.nonzero(peak)
    x, y = xs + 0.5, ys + 0.5
    side = min(w, h)
    top, left = (h - side) / 2, (w - side) / 2
    part = (y > h / 2) * 2 + (x > w / 2)  # the corners: 0-3
    part = np.select([y < top, y > top + side, x < left, x > left + side], [4, 5, 6, 7], part)
    outside = (x - w / 2) ** 2 + (y - h / 2) ** 2 > (side / 2 + CIRCLE_MARGIN) ** 2
    return _Details((h, w), ys, xs, strength[ys, xs], part, outside)


def _cut_parts(
    details: _Details,
    contrast: float = MIN_CONTRAST,
    legible: int = MIN_DETAILS,
    cut: int = MIN_CUT,
) -> set[int]:
    """The parts (indices into _PART_CODES) where a group of details is cut (see cut_by_round_view)."""
    strong = details.strength >= contrast
    if np.count_nonzero(strong) < legible:
        return set()
    ys, xs = details.ys[strong], details.xs[strong]
    marks = np.zeros(details.shape, np.uint8)
    marks[ys, xs] = 1
    # Each detail grown into a square 2 * LINK + 1 wide: those that touch are one group.
    _, groups = cv2.connectedComponents(cv2.dilate(marks, np.ones((2 * LINK + 1, 2 * LINK + 1), np.uint8)))
    group = groups[ys, xs]
    out = details.outside[strong] & (np.bincount(group)[group] >= legible)
    per_part = np.bincount(group[out] * len(_PART_CODES) + details.part[strong][out])
    return {int(key) % len(_PART_CODES) for key in np.flatnonzero(per_part >= cut)}
