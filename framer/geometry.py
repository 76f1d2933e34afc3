r"""Where the portrait goes: pure placement geometry, no pixels.

The output canvas is the frame's size. The frame's *window* (its transparent hole) is a box on that
canvas. We choose a scale and an offset for the photo so that its face lands in the window::

      canvas (the frame, S_w x S_h)
    +-----------------------------------+
    |      window                       |
    |    +-----------------------+      |
    |    |       +-------+       |      |       face height = FACE_SHARE x window height
    |    |       | o   o | <-----+------+------ eye line at EYE_LINE x window height from its top
    |    |       |  \_/  |       |      |       face centre x = window centre x
    |    |       +-------+       |      |
    |    |                       |      |
    |    +-----------------------+      |
    +-----------------------------------+

The photo is scaled by `scale` (canvas px per photo px) and the canvas then shows the photo's region
`crop` (in photo px). `crop` may reach past the photo's edges when the photo lacks room around the face:
the composer fills that area from the photo itself; the face is never slid off its place to avoid it.

All boxes are (x, y, w, h) floats: x, y the top-left corner, in the pixels of the image they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass

FACE_SHARE = 0.45  # face height / window height
MAX_FACE_WIDTH = 0.60  # face width / window width, the cap for unusually wide face boxes
EYE_LINE = 0.45  # eye line, from the window's top, as a share of its height (a little above the middle)
EYE_POSITION = 0.42  # where the eyes sit in a face box, from its top, when landmarks are not known
SHARP_UPSCALE = 2.5  # enlarging a face more than this makes it visibly soft


@dataclass(frozen=True)
class Box:
    """An axis-aligned box: top-left corner and size."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def scaled(self, sx: float, sy: float | None = None) -> Box:
        """This box in an image `sx` (and `sy`) times as large."""
        sy = sx if sy is None else sy
        return Box(self.x * sx, self.y * sy, self.w * sx, self.h * sy)

    def rounded(self) -> list[int]:
        """[x, y, w, h] as whole pixels, for reports."""
        return [round(self.x), round(self.y), round(self.w), round(self.h)]


@dataclass(frozen=True)
class Face:
    """A face in photo pixels: its box and, when known, the heights of its eye line and mouth."""

    box: Box
    eye_y: float | None = None
    mouth_y: float | None = None
    score: float = 1.0

    @property
    def upright(self) -> bool | None:
        """Eyes above the mouth (None when the landmarks are not known)."""
        if self.eye_y is None or self.mouth_y is None:
            return None
        return self.eye_y < self.mouth_y


@dataclass(frozen=True)
class Placement:
    """How the photo maps onto the canvas: canvas = (photo - crop.xy) * scale."""

    scale: float
    crop: Box  # the photo region (photo px) that covers the whole canvas; may exceed the photo

    def to_canvas(self, box: Box) -> Box:
        """A box in photo pixels, as it lands on the canvas."""
        return Box(
            (box.x - self.crop.x) * self.scale,
            (box.y - self.crop.y) * self.scale,
            box.w * self.scale,
            box.h * self.scale,
        )

    @property
    def is_soft(self) -> bool:
        """Whether the photo is enlarged so much that the face will look soft."""
        return self.scale > SHARP_UPSCALE

    def to_photo(self, box: Box) -> Box:
        """A box in canvas pixels, as it lies on the photo."""
        s = self.scale
        return Box(self.crop.x + box.x / s, self.crop.y + box.y / s, box.w / s, box.h / s)

    def shows_beyond(self, photo_w: int, photo_h: int, region: Box) -> bool:
        """Whether the canvas `region` shows area past the photo's edges (half a pixel of tolerance)."""
        r = self.to_photo(region)
        return r.x < -0.5 or r.y < -0.5 or r.right > photo_w + 0.5 or r.bottom > photo_h + 0.5


def place_face(face: Face, canvas: tuple[int, int], window: Box) -> Placement:
    """Scale and offset the photo so `face` sits in `window` (canvas px)."""
    fb = face.box
    if fb.w <= 0 or fb.h <= 0:
        raise ValueError(f"face box must have a positive size, got {fb}")
    scale = min(FACE_SHARE * window.h / fb.h, MAX_FACE_WIDTH * window.w / fb.w)
    eye_y = face.eye_y if face.eye_y is not None else fb.y + EYE_POSITION * fb.h
    # A landmark far outside the usual band (an odd detection) must not push the face out of the window.
    eye_y = min(max(eye_y, fb.y + 0.2 * fb.h), fb.y + 0.6 * fb.h)
    ax, ay = anchor(window)
    return Placement(scale, Box(fb.cx - ax / scale, eye_y - ay / scale, canvas[0] / scale, canvas[1] / scale))


def anchor(window: Box) -> tuple[float, float]:
    """The canvas point the face is pinned to: the middle of its eye line."""
    return window.cx, window.y + EYE_LINE * window.h


def nudge(
    placement: Placement, window: Box, zoom: float = 1.0, shift: tuple[float, float] = (0.0, 0.0)
) -> Placement:
    """A person's correction: enlarge by `zoom` about the anchor, then move the photo right/down by
    `shift` (fractions of the window's width and height)."""
    if zoom <= 0:
        raise ValueError(f"zoom must be positive, got {zoom}")
    ax, ay = anchor(window)
    s, c = placement.scale, placement.crop
    # The photo point under the anchor stays under it while zooming.
    px, py = c.x + ax / s, c.y + ay / s
    s2 = s * zoom
    x = px - ax / s2 - shift[0] * window.w / s2
    y = py - ay / s2 - shift[1] * window.h / s2
    return Placement(s2, Box(x, y, c.w / zoom, c.h / zoom))


def place_without_face(photo: tuple[int, int], canvas: tuple[int, int]) -> Placement:
    """A portrait-aware guess when no face was found: the widest top-centre crop with the canvas's shape.

    Portraits put the head in the upper part of the picture, so the crop is centred horizontally and
    sits a quarter of the way down the spare height (at the very top for landscape photos).
    """
    pw, ph = photo
    aspect = canvas[0] / canvas[1]
    w = min(pw, ph * aspect)
    h = w / aspect
    return Placement(canvas[0] / w, Box((pw - w) / 2, (ph - h) * 0.25, w, h))


@dataclass(frozen=True)
class Adjust:
    """A person's corrections for one photo: size, nudge, and which face (0 = the largest)."""

    zoom: float = 1.0
    shift: tuple[float, float] = (0.0, 0.0)
    face: int = 0


NO_ADJUST = Adjust()
