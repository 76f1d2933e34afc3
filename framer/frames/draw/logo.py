"""The logo: read from its file, and set on its badge at 12 o'clock."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ...core import colour as _colour  # noqa: F401 (loading it turns Pillow's size guard off: the logo is checked here)
from ...errors import FrameError
from ...i18n import _
from .measures import CX, CY, INNER_GAP, LOGO_MAX_SPINE, LOGO_PAD, LOGO_RING_W, RIM_OUTER, SAFE_R

MAX_LOGO_BYTES = 8_000_000  # a logo file, read whole
MAX_LOGO_SIDE = 4096  # px, a logo's longer side (from its header, before it is decoded)
LOGO_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")  # never one Pillow renders with another program


@dataclass(frozen=True)
class Badge:
    """The logo's place: a white capsule (a circle when `spine` is 0) centred on 12 o'clock."""

    cy: float  # its centre's y, frame px (x is CX)
    radius: float  # half its height
    spine: float  # half the length of its straight part

    def polygon(self, steps: int = 24) -> np.ndarray:
        """A convex polygon around the capsule (its circular ends circumscribed, never cut)."""
        grow = 1 / math.cos(math.pi / steps)
        pts = []
        ends = range(steps // 2 + 1) if self.spine > 0 else range(steps // 2)  # a circle: no point twice
        for side, start in ((1, -90.0), (-1, 90.0)):
            for k in ends:
                a = math.radians(start + 180 * k / (steps // 2))
                pts.append(
                    (
                        CX + side * self.spine + self.radius * grow * math.cos(a),
                        self.cy + self.radius * grow * math.sin(a),
                    )
                )
        return np.array(pts)

    @property
    def far(self) -> float:
        """Its farthest point from the frame's centre."""
        return math.hypot(self.spine, CY - self.cy) + self.radius

    @property
    def near(self) -> float:
        """Its nearest point to the frame's centre."""
        return CY - self.cy - self.radius


def open_logo(data: bytes) -> Image.Image:
    """The logo in `data` as RGBA, trimmed to its visible part. FrameError naming --logo when it is not a
    readable image, claims more than MAX_LOGO_SIDE px (checked from its header, before decoding: a small
    file can claim a huge picture) or has nothing visible."""
    from PIL import UnidentifiedImageError

    if len(data) > MAX_LOGO_BYTES:
        raise FrameError(
            _("--logo: the file is larger than {limit} MB, too large for a logo").format(
                limit=MAX_LOGO_BYTES // 1_000_000
            )
        )
    try:
        with Image.open(io.BytesIO(data), formats=LOGO_FORMATS) as im:
            if max(im.size) > MAX_LOGO_SIDE:
                raise FrameError(
                    _(
                        "--logo: the image is {w} x {h} px; a logo may be at most {limit} px on its longer "
                        "side"
                    ).format(w=im.width, h=im.height, limit=MAX_LOGO_SIDE)
                )
            im.load()
            rgba = im.convert("RGBA")
    except UnidentifiedImageError:
        raise FrameError(
            _("--logo: not an image framer can read (a PNG with transparency is best)")
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise FrameError(_("--logo: not a readable image ({detail})").format(detail=e)) from None
    box = rgba.getchannel("A").point(lambda a: 255 if a >= 8 else 0).getbbox()
    if box is None:
        raise FrameError(_("--logo: the image is fully transparent: there is nothing to show"))
    return rgba.crop(box)


def fit_logo(logo: Image.Image, badge: Badge) -> tuple[Image.Image, int, int]:
    """The logo scaled (keeping its aspect) so that every visible pixel lies inside the badge, less its
    padding and ring, and where it goes (top-left, frame px)."""
    alpha = np.asarray(logo.getchannel("A"), dtype=np.uint8)
    step = max(1, max(alpha.shape) // 256)  # the shape, not every pixel, decides the scale
    ys, xs = np.nonzero(alpha[::step, ::step] >= 8)
    w, h = logo.size
    u = (xs * step + step / 2) - w / 2  # from the logo's centre, in logo px
    v = (ys * step + step / 2) - h / 2
    room = badge.radius * (1 - 2 * LOGO_PAD) - LOGO_RING_W
    # scale k: every point (k u, k v) within `room` of the spine [-spine, spine] x {0}
    lo, hi = 0.0, 4 * badge.radius / max(w, h, 1)
    for _i in range(40):
        k = (lo + hi) / 2
        along = np.clip(k * u, -badge.spine, badge.spine)
        inside = np.hypot(k * u - along, k * v).max() <= room
        lo, hi = (k, hi) if inside else (lo, k)
    tw, th = max(1, round(w * lo)), max(1, round(h * lo))
    scaled = logo.resize((tw, th), Image.Resampling.LANCZOS)
    return scaled, round(CX - tw / 2), round(badge.cy - th / 2)


def badge_for(logo: Image.Image | None) -> Badge | None:
    """The logo's badge: a crest at 12 o'clock as deep as the ring, a capsule as long as the logo is wide,
    as large as fits between the rim and SAFE_R."""
    if logo is None:
        return None
    near, far = RIM_OUTER + INNER_GAP + 2, SAFE_R - 2
    aspect = logo.width / logo.height
    stretch = min(max(aspect - 1.0, 0.0) * 0.8, LOGO_MAX_SPINE)  # the straight part, in radii
    radius = (far - near) / 2
    # a capsule's ends reach further out than its middle: smaller until they are inside SAFE_R
    while math.hypot(stretch * radius, near + radius) + radius > far:
        radius -= 0.5
    return Badge(CY - (near + radius), radius, stretch * radius)
