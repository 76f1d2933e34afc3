"""framer.frames.draw: a frame drawn from a few words in the built-in frame's style, its texts fitted or
refused.

The built-in frame is drawn by it, pixel for pixel; every text stays inside the avatar's circle, off the
window's rim and off the other texts, or the design is refused; the window is found where the drawing
says it is; every text reads on what is behind it.
"""

from __future__ import annotations

import io
import math
import struct
import tomllib
import unicodedata
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFilter

from framer.errors import FrameError
from framer.frames.draw.design import Design, design_from_table, design_table
from framer.frames.draw.ink import Ink
from framer.frames.draw.logo import open_logo
from framer.frames.draw.measures import (
    CX,
    CY,
    RIBBON_HALF_DEG,
    RIBBON_R0,
    RIBBON_R1,
    RIBBON_TIP_DEG,
    RIM_OUTER,
    SAFE_R,
    SIZE,
)
from framer.frames.draw.paint import Drawn, draw_frame, text_coverage
from framer.frames.draw.palette import MIN_CONTRAST, PALETTES, background_at, band_at, contrast, palette_for
from framer.frames.draw.plan import Layout, plan
from framer.frames.model import Frame
from helpers import ROOT

FRAMES = ROOT / "frames"
BUILTIN = FRAMES / "dx-2023"
ACCEPTANCE = Design(
    title="NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA",
    subtitle="Chuyển đổi số: nhanh hơn, hiệu quả hơn, gần dân hơn",
    date_text="10.10.2027",
)
THANH_HOA = "ĐẠI HỘI ĐẠI BIỂU ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH TỈNH THANH HÓA LẦN THỨ XIX"
MAGENTA = (255, 0, 255)


def builtin_design() -> Design:
    with (BUILTIN / "frame.toml").open("rb") as f:
        return design_from_table(tomllib.load(f)["design"])


def emblem(size: tuple[int, int] = (400, 400), fmt: str = "PNG") -> bytes:
    """A logo: a magenta disc (a colour no frame uses) on a transparent ground."""
    im = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((8, 8, size[0] - 8, size[1] - 8), fill=(*MAGENTA, 255))
    out = io.BytesIO()
    (im if fmt == "PNG" else im.convert("RGB")).save(out, fmt)
    return out.getvalue()


# --- geometry the tests check with, independent of the module's own --------------------------------------


def points(ink: Ink) -> np.ndarray:
    return np.array(ink.corners, dtype=np.float64) - np.array([CX, CY])


def farthest(p: np.ndarray) -> float:
    return float(np.hypot(p[:, 0], p[:, 1]).max())


def nearest(p: np.ndarray) -> float:
    """The distance from the frame's centre to a convex polygon (0 when it contains the centre)."""
    a, b = p, np.roll(p, -1, axis=0)
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    if (cross >= 0).all() or (cross <= 0).all():
        return 0.0
    e = b - a
    t = np.clip(-(a * e).sum(axis=1) / (e * e).sum(axis=1), 0, 1)
    foot = a + t[:, None] * e
    return float(np.hypot(foot[:, 0], foot[:, 1]).min())


def overlap(p: np.ndarray, q: np.ndarray) -> bool:
    """Whether two convex polygons overlap (separating axis theorem)."""
    for poly in (p, q):
        edges = np.roll(poly, -1, axis=0) - poly
        for nx, ny in np.column_stack([-edges[:, 1], edges[:, 0]]):
            a, b = p @ (nx, ny), q @ (nx, ny)
            if a.max() <= b.min() or b.max() <= a.min():
                return False
    return True


def angle(p: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(p[:, 0], -p[:, 1])) % 360


def band_inner(phi: np.ndarray) -> np.ndarray:
    """The band's inner edge `phi` degrees from 6 o'clock (it tapers to nothing at RIBBON_TIP_DEG)."""
    t = np.clip((phi - RIBBON_HALF_DEG) / (RIBBON_TIP_DEG - RIBBON_HALF_DEG), 0, 1)
    return RIBBON_R1 - (RIBBON_R1 - RIBBON_R0) * (1 - t * t * (3 - 2 * t))


def assert_well_placed(layout: Layout) -> None:
    """Every ink inside SAFE_R, off the window's rim, off every other part; the date on the band; the
    motif kept away from the texts and the logo."""
    inks = layout.inks()
    polys = [points(ink) for ink in inks]
    for ink, p in zip(inks, polys, strict=True):
        assert farthest(p) <= SAFE_R, f"{ink.role} reaches {farthest(p):.1f} px from the centre"
        assert nearest(p) >= RIM_OUTER, f"{ink.role} comes to {nearest(p):.1f} px from the centre, on the rim"
        on_band = ink.role == "date" or (ink.role == "subtitle" and not layout.subtitle_on_top)
        if on_band:
            r, phi = np.hypot(p[:, 0], p[:, 1]), np.abs(angle(p) - 180)
            assert (r <= RIBBON_R1).all() and (r >= band_inner(phi)).all(), f"{ink.role} off the band"
        if ink.role == "star":
            continue  # decoration: the motif may come near it (as it does in the built-in frame)
        # the binary motif hides by angle: every text and the logo lie well inside an angle it keeps out of
        a = angle(p)
        inside = [
            (np.abs((a - centre + 180) % 360 - 180) < half - 1.5).all() for centre, half in layout.zones
        ]
        assert any(inside), f"the motif may run into {ink.role} at {a.min():.1f}-{a.max():.1f} deg"
    boxes = np.array([[p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()] for p in polys])
    for i in range(len(inks)):
        near = np.flatnonzero(
            (boxes[i + 1 :, 0] < boxes[i, 2])
            & (boxes[i + 1 :, 2] > boxes[i, 0])
            & (boxes[i + 1 :, 1] < boxes[i, 3])
            & (boxes[i + 1 :, 3] > boxes[i, 1])
        )
        for j in near + i + 1:
            one, other = inks[i], inks[j]
            if (one.role, one.line) != (other.role, other.line):
                assert not overlap(polys[i], polys[j]), (
                    f"{one.role} {one.line} overlaps {other.role} {other.line}"
                )


# --- the built-in frame ---------------------------------------------------------------------------------


def test_the_builtin_frame_is_drawn_pixel_for_pixel_from_its_design_even_from_nfd_text(
    tmp_path: Path,
) -> None:
    """frame.png is what draw_frame makes of frame.toml's [design]; decomposed accents (as macOS terminals
    send them) make the same frame; its window is found where the drawing says it is."""
    design = builtin_design()
    nfd = Design(
        title=unicodedata.normalize("NFD", design.title),
        subtitle=unicodedata.normalize("NFD", design.subtitle or ""),
        date_text=design.date_text,
        colour=design.colour,
        window_shape=design.window_shape,
    )
    assert nfd.title != design.title
    drawn = draw_frame(nfd)
    with Image.open(BUILTIN / "frame.png") as shipped:
        expected = np.asarray(shipped.convert("RGBA"))
    got = np.asarray(drawn.image)
    assert got.shape == expected.shape
    differ = np.argwhere((got != expected).any(axis=2))
    assert len(differ) == 0, f"{len(differ)} pixels differ, the first at (y, x) {tuple(differ[0])}"
    drawn.image.save(tmp_path / "frame.png", optimize=True)
    assert (tmp_path / "frame.png").read_bytes() == (BUILTIN / "frame.png").read_bytes()
    found = Frame.bare(tmp_path / "frame.png").find_window(drawn.image)
    assert (found.shape, found.box) == (drawn.shape, drawn.window) == ("circle", found.box)
    assert drawn.notes == []


def test_the_builtin_design_table_is_what_design_table_writes() -> None:
    design = builtin_design()
    assert design_table(design) == {
        "title": "NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA",
        "subtitle": "Khai thác dữ liệu số để tạo ra giá trị",
        "date_text": "10.10.2023",
        "colour": "blue",
        "window_shape": "round",
    }
    assert design_from_table(design_table(design)) == design


# --- a drawn frame: a square window, a logo, an agency's colour -------------------------------------------


@pytest.fixture(scope="module")
def square_with_logo() -> tuple[Drawn, Design]:
    design = Design(
        **{**ACCEPTANCE.__dict__, "colour": "#00A3E0", "logo": emblem(), "window_shape": "square"}
    )
    return draw_frame(design), design


def test_a_square_window_is_found_where_the_drawing_says_it_is(
    square_with_logo: tuple[Drawn, Design], tmp_path: Path
) -> None:
    drawn, _design = square_with_logo
    path = tmp_path / "frame.png"
    drawn.image.save(path)
    with Image.open(path) as saved:
        found = Frame.bare(path).find_window(saved.convert("RGBA"))
    assert drawn.shape == found.shape == "rounded rectangle"
    for got, said in zip(
        (found.box.x, found.box.y, found.box.w, found.box.h),
        (drawn.window.x, drawn.window.y, drawn.window.w, drawn.window.h),
        strict=True,
    ):
        assert abs(got - said) <= 1
    assert drawn.image.size == (SIZE, SIZE) and drawn.image.mode == "RGBA"


def test_the_logo_is_drawn_on_its_badge_inside_the_circle_and_the_texts_ink_is_where_it_was_planned(
    square_with_logo: tuple[Drawn, Design],
) -> None:
    drawn, design = square_with_logo
    layout = drawn.layout
    assert_well_placed(layout)
    assert any("logo" in note for note in drawn.notes) or layout.badge is not None
    rgb = np.asarray(drawn.image.convert("RGB")).astype(int)
    logo = (np.abs(rgb - MAGENTA).sum(axis=2) < 60).astype(np.uint8)
    badge = [ink for ink in layout.inks() if ink.role == "logo"]
    assert len(badge) == 1 and logo.sum() > 2000, "the logo is not drawn"
    mask = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).polygon(badge[0].corners, fill=1)
    assert not (logo & ~np.asarray(mask).astype(bool)).any(), "logo pixels outside its badge"
    ys, xs = np.nonzero(logo)
    assert np.hypot(xs + 0.5 - CX, ys + 0.5 - CY).max() < SAFE_R
    # what is painted for each text lies inside the ink boxes it was planned with (which are checked
    # against the circle, the rim and each other): 1 px of slack for anti-aliasing
    for role, coverage in text_coverage(layout).items():
        planned = Image.new("L", (SIZE, SIZE), 0)
        for ink in layout.inks():
            if ink.role == role:
                ImageDraw.Draw(planned).polygon(ink.corners, fill=255)
        planned = planned.filter(ImageFilter.MaxFilter(3))
        stray = (coverage > 0.5 / 255) & (np.asarray(planned) == 0)
        assert not stray.any(), f"{role}: {stray.sum()} px of ink outside its planned boxes"
    assert layout.text_of("title") == design.title.replace(" ", "")


# --- fitting ----------------------------------------------------------------------------------------------


def test_the_acceptance_texts_fit_with_the_title_on_one_line_at_full_size() -> None:
    layout = plan(ACCEPTANCE)
    assert layout.title_size == 125 and len(layout.title) == 1
    assert layout.subtitle_on_top and layout.date is not None and layout.date.size == 184
    assert layout.text_of("subtitle") == ACCEPTANCE.subtitle.replace(" ", "")  # type: ignore[union-attr]
    assert_well_placed(layout)


def test_a_long_vietnamese_title_goes_on_two_lines_and_a_longer_one_is_refused() -> None:
    layout = plan(Design(title=THANH_HOA, subtitle="Tuổi trẻ Thanh Hóa bản lĩnh, đoàn kết", date_text="2027"))
    assert len({arc.base_r for arc in layout.title}) == 2
    assert any("two lines" in note for note in layout.notes)
    assert not layout.subtitle_on_top  # it moved to the band, under the date
    assert layout.text_of("title") == THANH_HOA.replace(" ", "")
    assert_well_placed(layout)
    longer = f"{THANH_HOA} VÀ {THANH_HOA}"
    with pytest.raises(FrameError, match=rf"^--title is too long for the frame \({len(longer)} characters\)"):
        plan(Design(title=longer))


def test_a_line_break_in_the_title_is_where_it_breaks() -> None:
    layout = plan(Design(title="SỞ THÔNG TIN VÀ TRUYỀN THÔNG\nTỈNH QUẢNG NINH"))
    assert [arc.text for arc in sorted(layout.title, key=lambda a: -a.base_r)] == [
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "TỈNH QUẢNG NINH",
    ]


def test_a_date_too_long_for_the_band_is_refused_by_name() -> None:
    with pytest.raises(FrameError, match=r"^--date-text is too long for the band"):
        plan(Design(title="NGÀY HỘI", date_text="Thứ Bảy, ngày 10 tháng 10 năm 2027, lúc 8 giờ sáng"))


LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
words = st.text(alphabet=LETTERS + LETTERS.upper() + "0123456789", min_size=1, max_size=8)
texts = st.lists(words, min_size=1, max_size=14).map(" ".join)
upper_texts = texts.map(str.upper)
dates = st.text(alphabet="0123456789./- " + LETTERS[:40], min_size=1, max_size=18).map(str.strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.one_of(upper_texts, texts),
    subtitle=st.one_of(st.none(), texts),
    date_text=st.one_of(st.none(), dates),
    logo=st.one_of(st.none(), st.floats(min_value=0.3, max_value=4.0)),
    window_shape=st.sampled_from(["round", "square"]),
)
def test_any_vietnamese_text_is_fitted_whole_inside_the_circle_off_the_rim_and_the_other_texts_or_refused(
    title: str, subtitle: str | None, date_text: str | None, logo: float | None, window_shape: str
) -> None:
    image = None if logo is None else Image.new("RGBA", (round(200 * logo), 200), (*MAGENTA, 255))
    design = Design(title=title, subtitle=subtitle, date_text=date_text or None, window_shape=window_shape)
    try:
        layout = plan(design, image)
    except FrameError as e:
        assert str(e).startswith(("--title", "--subtitle", "--date-text", "--logo")), str(e)
        return
    assert layout.text_of("title") == " ".join(title.split()).replace(" ", "")
    if subtitle:
        assert layout.text_of("subtitle") == subtitle.replace(" ", "")
    if date_text:
        assert layout.text_of("date") == date_text.replace(" ", "")
    assert_well_placed(layout)


# --- Vietnamese and the font ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "field", "char"),
    [("--title", "title", "😀"), ("--subtitle", "subtitle", "中"), ("--date-text", "date_text", "\u200b")],
)
def test_a_character_the_font_cannot_draw_is_refused_by_name(option: str, field: str, char: str) -> None:
    texts = {"title": "NGÀY HỘI", "subtitle": "Chung tay", "date_text": "10.10.2027"}
    texts[field] += char
    with pytest.raises(FrameError, match=rf"^{option}: .*U\+{ord(char):04X}"):
        plan(Design(title=texts["title"], subtitle=texts["subtitle"], date_text=texts["date_text"]))


def test_stacked_accents_stay_inside_the_circle_and_off_the_line_above() -> None:
    for design in (
        Design(title="Ể Ỗ Ặ Ẫ Ỡ Ữ Ỷ Ẩ Ễ Ổ Ở Ử " * 3 + "ỆỘẬỴ", subtitle="ễ ỗ ặ ẫ ỡ ữ ỷ"),
        Design(title="ỖẪỄ ẶỴỢ", subtitle="ễ ỗ ặ ẫ ỡ ữ ỷ", date_text="Ỗ Ặ 2027"),
        Design(title="ỖẪỄ ẶỴỢ", subtitle="ễ ỗ ặ ẫ ỡ ữ ỷ Ẫ Ỗ", date_text="10.10.2027"),
    ):
        assert_well_placed(plan(design))


# --- colours ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "colour", [*PALETTES, "#00A3E0", "#FFFFFF", "#FFD700", "#DA251D", "#000000", "#7B2D8E", "#FF69B4"]
)
def test_every_text_reads_on_what_is_behind_it(colour: str) -> None:
    """WCAG contrast of at least 4.5 for the title and theme line on the background all across the ring,
    and for the date (and a theme line set there) on the band as far out as text may go on it."""
    palette, _notes = palette_for(colour)
    for radius in range(RIM_OUTER, SAFE_R + 1, 4):
        behind = background_at(palette, radius)
        assert contrast(palette.title, behind) >= MIN_CONTRAST, (radius, behind)
        assert contrast(palette.subtitle, behind) >= MIN_CONTRAST, (radius, behind)
    for phi in range(0, 71):
        assert contrast(palette.date, band_at(palette, phi)) >= MIN_CONTRAST, (phi, band_at(palette, phi))


def test_blue_is_the_builtin_palette_and_a_red_background_gets_a_band_that_is_not_red() -> None:
    blue, notes = palette_for("blue")
    assert (blue.main, blue.mid, blue.deep, blue.band) == (
        (22, 72, 176),
        (9, 33, 92),
        (5, 16, 48),
        (218, 37, 29),
    )
    assert notes == []
    for colour in ("red", "pink", "#DA251D", "#C8102E"):
        palette, _notes = palette_for(colour)
        assert contrast(palette.band, palette.main) >= 2, colour


def test_a_light_agency_colour_is_darkened_and_says_so() -> None:
    palette, notes = palette_for("#FFD700")
    assert palette.main != (255, 215, 0)
    assert notes and notes[0].startswith("--colour #FFD700 is darkened to #")


@pytest.mark.parametrize("colour", ["purple", "#12345", "12345G", "#GGGGGG"])
def test_an_unknown_colour_is_refused_with_the_choices(colour: str) -> None:
    with pytest.raises(FrameError, match=r"^--colour .*blue, red, green, teal, pink, or #RRGGBB"):
        draw_frame(Design(title="NGÀY HỘI", colour=colour))


def test_an_unknown_window_shape_is_refused_with_the_choices() -> None:
    with pytest.raises(FrameError, match=r"^--window-shape 'oval': use one of round, square"):
        plan(Design(title="NGÀY HỘI", window_shape="oval"))


# --- the logo ---------------------------------------------------------------------------------------------


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` px, with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an image at all", r"^--logo: not an image framer can read"),
        (png_claiming(100_000, 100_000), r"^--logo: the image is 100000 x 100000 px"),
        (emblem(fmt="PNG")[:60], r"^--logo: not a readable image"),
    ],
)
def test_a_logo_that_is_not_a_usable_image_is_refused_by_name(data: bytes, message: str) -> None:
    with pytest.raises(FrameError, match=message):
        open_logo(data)


def test_a_fully_transparent_logo_is_refused_and_a_jpeg_logo_is_taken() -> None:
    clear = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(clear, "PNG")
    with pytest.raises(FrameError, match=r"^--logo: the image is fully transparent"):
        open_logo(clear.getvalue())
    assert open_logo(emblem(fmt="JPEG")).size == (400, 400)


def test_a_logo_needs_a_title_of_two_words_to_sit_between() -> None:
    with pytest.raises(FrameError, match=r"^--logo sits at the top between the words of the title"):
        plan(Design(title="HÀNỘI"), open_logo(emblem()))
    with pytest.raises(FrameError, match=r"^--logo .* one line has one word"):
        plan(Design(title="HÀ NỘI\nVIỆTNAM"), open_logo(emblem()))
    layout = plan(Design(title="HÀ NỘI", subtitle="Thủ đô", date_text="10.10.2027"), open_logo(emblem()))
    assert layout.badge is not None and [arc.text for arc in layout.title] == ["HÀ", "NỘI"]
    assert math.isclose(layout.title[0].centre_deg, -layout.title[1].centre_deg, abs_tol=8)
    assert_well_placed(layout)


# --- the [design] table ------------------------------------------------------------------------------------


def test_a_design_table_names_the_logo_file_and_reads_back() -> None:
    design = Design(
        title="NGÀY HỘI", subtitle="Chung tay", colour="#00A3E0", logo=b"png", window_shape="square"
    )
    table = design_table(design)
    assert table == {
        "title": "NGÀY HỘI",
        "subtitle": "Chung tay",
        "colour": "#00A3E0",
        "window_shape": "square",
        "logo": "logo.png",
    }
    assert design_from_table(table, logo=b"png") == design
    with pytest.raises(FrameError, match=r"^\[design\]: unknown field 'font'"):
        design_from_table({**table, "font": "Arial"}, logo=b"png")
    with pytest.raises(FrameError, match=r"^\[design\]: field 'logo'"):
        design_from_table(table)
