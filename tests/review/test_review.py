"""The review sheet: problems first, thumbnails of the outputs only, and nothing fetched from anywhere."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

import framer.batch.record
from framer.batch.record import Record
from framer.batch.report_file import ReportFile, read_records
from framer.reasons import WARNING_TEXT
from framer.review.sheet import build_review, write_review
from helpers import DATA, Page, stand_in_output

# A file name cannot hold "/", so no "</script>": an opening tag is enough to hurt if not escaped.
EVIL = "Nguyễn Thị Ánh <script>alert('x')<img src=x onerror=alert(1)> & \"Lê\" 😀.jpg"
EVIL_DIR = "photos/phòng kế toán"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like a batch run: inputs under photos/, outputs under framed/ (read-only)."""
    tmp_path = tmp_path_factory.mktemp("run")
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("grace_hopper.jpg", "astronaut.png", "chelsea.png", "hopper_tiny.jpg"):
        shutil.copy(DATA / name, photos / name)
    (photos / "broken.jpg").write_bytes(b"")
    outputs = {
        "grace_hopper.jpg": "grace_hopper.jpg",
        "astronaut.png": "astronaut.jpg",
        "chelsea.png": "chelsea.jpg",
        "hopper_tiny.jpg": "hopper_tiny.jpg",
        "astronaut_edge.jpg": "team.jpg",
        "hopper_gray.jpg": "an.png.jpg",
        "hopper.webp": f"phòng kế toán/{EVIL}",
    }
    for src, out in outputs.items():
        stand_in_output(DATA / src, tmp_path / "framed" / out)
    (tmp_path / "framed" / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    return tmp_path


# A team photo's output (360 px square) showing the photo's region [100, 0, 400, 400]: face 1 in the
# middle, face 2 off the picture to the left, face 3 on its right.
CROP = [100, 0, 400, 400]
BOXES = [[250, 100, 100, 120], [20, 150, 70, 80], [400, 120, 60, 70]]


def records() -> list[Record]:
    """Every group, deliberately out of order (the page must sort them, and keep report order within)."""
    return [
        Record("photos/grace_hopper.jpg", "framed/grace_hopper.jpg", "ok", 1, [1, 2, 3, 4], [0, 0, 9, 9]),
        Record("photos/astronaut.png", "framed/astronaut.jpg", "skipped"),
        Record("photos/broken.jpg", None, "error", error="not an image, or a damaged one"),
        Record("photos/chelsea.png", "framed/chelsea.jpg", "no_face", 0, None, [0, 0, 9, 9], ["no_face"]),
        Record("photos/hopper_tiny.jpg", "framed/hopper_tiny.jpg", "ok", 1, warnings=["low_resolution"]),
        Record("photos/gone.jpg", "framed/gone.jpg", "ok", 1),  # its output was deleted since
        Record(
            "photos/team.jpg",
            "framed/team.jpg",
            "ok",
            3,
            BOXES[0],
            CROP,
            ["edges_filled", "several_faces"],
            face_number=1,
            invented=0.05,
            face_boxes=BOXES,
        ),
        Record("photos/an.png", "framed/an.png.jpg", "ok", 1, warnings=["renamed"]),
        Record(f"{EVIL_DIR}/{EVIL}", f"framed/phòng kế toán/{EVIL}", "ok", 1),
        # The output would have replaced an input photo: that photo must not appear on the page.
        Record(
            "photos/hopper.jpg",
            "photos/grace_hopper.jpg",
            "error",
            error="its output would replace an input photo: choose another output folder (-o)",
        ),
        Record("photos/corrupt.jpg", "framed/corrupt.jpg", "ok", 1),
        Record("photos/late.jpg", "framed/late.jpg", "error", error="cannot write the output: No space"),
    ]


EXPECTED = [  # (input, group, status) in page order
    ("photos/broken.jpg", "error", "error"),
    ("photos/hopper.jpg", "error", "error"),
    ("photos/late.jpg", "error", "error"),
    ("photos/chelsea.png", "no_face", "no_face"),
    ("photos/team.jpg", "several_faces", "ok"),
    ("photos/hopper_tiny.jpg", "low_resolution", "ok"),
    ("photos/an.png", "renamed", "ok"),
    ("photos/grace_hopper.jpg", "ok", "ok"),
    ("photos/gone.jpg", "ok", "ok"),
    (f"{EVIL_DIR}/{EVIL}", "ok", "ok"),
    ("photos/corrupt.jpg", "ok", "ok"),
    ("photos/astronaut.png", "skipped", "skipped"),
]


@pytest.fixture(scope="module")
def page(base: Path) -> Page:
    return Page(build_review(records(), base_dir=base))


def decode(uri: str) -> Image.Image:
    prefix = "data:image/jpeg;base64,"
    assert uri.startswith(prefix)
    im = Image.open(io.BytesIO(base64.b64decode(uri[len(prefix) :], validate=True)))
    assert im.format == "JPEG"
    im.load()
    return im


def test_problems_come_first_in_group_order_and_report_order_within(page: Page) -> None:
    got = [(c.attrs["data-input"], c.attrs["data-group"], c.attrs["data-status"]) for c in page.cards]
    assert got == EXPECTED
    assert page.headings == [
        "Failed (3)",
        "No face found (1)",
        "Several faces (1)",
        "Face enlarged a lot (1)",
        "Renamed (1)",
        "Framed (4)",
        "Skipped — already done (1)",
    ]


def test_thumbnails_are_small_jpegs_of_the_outputs(base: Path, page: Page) -> None:
    shown = [c for c in page.cards if c.img is not None]
    assert shown
    for card in shown:
        assert card.img is not None
        thumb = decode(card.img["src"])
        assert max(thumb.size) <= 176 and thumb.mode == "RGB"
        with Image.open(base / card.attrs["data-output"]) as out:
            expected = out.convert("RGB").resize(thumb.size)
        diff = ImageStat.Stat(ImageChops.difference(thumb, expected)).mean
        assert max(diff) < 6, f"{card.attrs['data-input']}: the thumbnail is not its output ({diff})"


def test_thumbnail_size_is_a_parameter(base: Path) -> None:
    page = Page(build_review(records(), base_dir=base, thumb_px=64))
    sizes = [decode(c.img["src"]).size for c in page.cards if c.img is not None]
    assert sizes and all(max(s) == 64 for s in sizes)


def test_only_outputs_on_disk_are_embedded_never_an_input(base: Path, page: Page) -> None:
    on_disk = [
        r.input
        for r in records()
        if r.status != "error" and r.output and _is_image(base / r.output)  # not the corrupt one
    ]
    assert [c.attrs["data-input"] for c in page.cards if c.img is not None] == [
        i for i, _, _ in EXPECTED if i in on_disk
    ]
    imgs = [a for tag, a in page.tags if tag == "img"]
    assert len(imgs) == len(on_disk) == 7
    replacing = next(c for c in page.cards if c.attrs["data-input"] == "photos/hopper.jpg")
    assert replacing.img is None and replacing.attrs["data-thumb"] == "none"


def _is_image(path: Path) -> bool:
    try:
        with Image.open(path) as im:
            im.load()
    except (OSError, ValueError):
        return False
    return True


def test_missing_broken_or_absent_outputs_get_a_placeholder_with_the_reason(page: Page) -> None:
    cards = {c.attrs["data-input"]: c for c in page.cards}
    broken = cards["photos/broken.jpg"]
    assert broken.placeholder == "Not framed" and broken.reasons == ["not an image, or a damaged one"]
    gone = cards["photos/gone.jpg"]
    assert (gone.attrs["data-thumb"], gone.placeholder) == ("missing", "Output file not found")
    assert "output not found: framed/gone.jpg" in gone.reasons
    corrupt = cards["photos/corrupt.jpg"]
    assert (corrupt.attrs["data-thumb"], corrupt.placeholder) == ("unreadable", "Output cannot be opened")
    assert corrupt.reasons[0].startswith("output cannot be opened: ")
    # A missing output in the Framed group is still marked for a look; a failure is marked red.
    assert "check" in gone.attrs["class"].split() and "failed" in broken.attrs["class"].split()
    assert "failed" not in cards["photos/grace_hopper.jpg"].attrs["class"].split()


def test_reasons_are_in_words(page: Page) -> None:
    cards = {c.attrs["data-input"]: c for c in page.cards}
    assert cards["photos/chelsea.png"].reasons == [WARNING_TEXT["no_face"]]
    # Only what needs a look is in words ('edges filled' is true of most photos); every code is in data-.
    assert cards["photos/team.jpg"].reasons == [WARNING_TEXT["several_faces"]]
    assert cards["photos/team.jpg"].attrs["data-warnings"] == "edges_filled several_faces"
    # The reason for the card's group comes first, then the others in report order.
    both = Record("a.jpg", "a.jpg", "ok", 1, warnings=["renamed", "edges_filled", "low_resolution"])
    card = Page(build_review([both], base_dir=Path("/nonexistent"))).cards[0]
    assert card.attrs["data-group"] == "low_resolution"
    assert card.reasons[:2] == [WARNING_TEXT["low_resolution"], WARNING_TEXT["renamed"]]
    assert cards["photos/late.jpg"].reasons == ["cannot write the output: No space"]
    assert cards["photos/grace_hopper.jpg"].reasons == []
    assert cards["photos/grace_hopper.jpg"].name == "grace_hopper.jpg"
    assert cards["photos/grace_hopper.jpg"].folder == "photos"


def test_up_to_date_is_no_warning_on_the_card(base: Path) -> None:
    """A re-run's report: every photo up to date, which is fine; only what the earlier run found shows."""
    rerun = [
        Record("photos/grace_hopper.jpg", "framed/grace_hopper.jpg", "skipped", 1, warnings=["up_to_date"]),
        Record("photos/an.png", "framed/an.png.jpg", "skipped", 1, warnings=["low_resolution", "up_to_date"]),
    ]
    cards = {c.attrs["data-input"]: c for c in Page(build_review(rerun, base_dir=base)).cards}
    assert cards["photos/grace_hopper.jpg"].reasons == []
    assert cards["photos/grace_hopper.jpg"].attrs["data-group"] == "skipped"
    assert "check" not in cards["photos/grace_hopper.jpg"].attrs["class"].split()
    assert cards["photos/an.png"].reasons == [WARNING_TEXT["low_resolution"]]


def largely_invented(share: float) -> Record:
    return Record(
        "photos/grace_hopper.jpg",
        "framed/grace_hopper.jpg",
        "ok",
        1,
        warnings=["edges_filled"],
        invented=share,
    )


def test_a_window_largely_filled_beyond_the_photo_is_to_check_and_says_why(base: Path) -> None:
    limit = framer.batch.record.INVENTED_TO_CHECK
    assert 0.02 < limit <= 0.15  # stronger than edges_filled (2 %), a share a person sees at full size
    page = Page(build_review([largely_invented(0.23)], base_dir=base))
    (card,) = page.cards
    assert card.attrs["data-group"] == "invented" and "check" in card.attrs["class"].split()
    assert card.reasons == [
        "23 % of the frame's window lies beyond the photo's edges and was filled in: check it at full size"
    ]
    assert page.headings == ["Window filled in beyond the photo (1)"]
    (section,) = [a for tag, a in page.tags if tag == "section"]
    assert "problem" in section["class"].split()


@pytest.mark.parametrize("of_the_limit", [0.0, 0.5, 1.0])
def test_a_window_filled_a_little_is_only_a_note(base: Path, of_the_limit: float) -> None:
    share = of_the_limit * framer.batch.record.INVENTED_TO_CHECK
    (card,) = Page(build_review([largely_invented(share)], base_dir=base)).cards
    assert card.attrs["data-group"] == "ok" and card.reasons == []


def test_a_largely_filled_window_comes_after_low_resolution_and_before_renamed(base: Path) -> None:
    soft = Record(
        "photos/an.png", "framed/an.png.jpg", "ok", 1, warnings=["renamed", "low_resolution"], invented=0.3
    )
    renamed = Record("photos/x.jpg", "framed/grace_hopper.jpg", "ok", 1, warnings=["renamed"], invented=0.3)
    filled = (
        "30 % of the frame's window lies beyond the photo's edges and was filled in: check it at full size"
    )
    cards = Page(build_review([renamed, soft], base_dir=base)).cards
    assert [c.attrs["data-group"] for c in cards] == ["low_resolution", "invented"]
    assert cards[0].reasons == [WARNING_TEXT["low_resolution"], WARNING_TEXT["renamed"], filled]
    assert cards[1].reasons == [filled, WARNING_TEXT["renamed"]]  # the reason for its group first


def team(**fields: object) -> Record:
    values = {"faces": 3, "face": BOXES[0], "crop": CROP, "warnings": ["several_faces"], "face_boxes": BOXES}
    return Record("photos/team.jpg", "framed/team.jpg", "ok", **(values | fields))


def test_several_faces_are_numbered_on_the_picture(base: Path) -> None:
    (card,) = Page(build_review([team()], base_dir=base)).cards
    assert card.img is not None and card.svg is not None
    assert card.svg["viewbox"] == "100 0 400 400"  # the output's own coordinates: the photo's, cropped
    assert card.svg["preserveaspectratio"] == "xMidYMid slice"  # as the thumbnail's object-fit: cover
    # A face on the picture is outlined where the report says it is, with its number.
    assert [(r["data-face"], [int(r[k]) for k in ("x", "y", "width", "height")]) for r in card.rects] == [
        ("1", BOXES[0]),
        ("3", BOXES[2]),
    ]
    assert [(a["data-face"], text) for a, text in card.numbers] == [("1", "1"), ("2", "← 2"), ("3", "3")]
    centre, radius = (300, 200), 200  # the thumbnail is shown round
    for attrs, text in card.numbers:
        x, y = float(attrs["x"]), float(attrs["y"])
        assert (x - centre[0]) ** 2 + (y - centre[1]) ** 2 < radius**2, f"{text} is off the picture"
    at = {a["data-face"]: (float(a["x"]), float(a["y"])) for a, _ in card.numbers}
    assert 250 <= at["1"][0] <= 350 and at["1"][1] <= 100  # above face 1
    assert at["2"][0] < centre[0] - radius / 2  # at the left edge, pointing to where face 2 is
    assert 400 <= at["3"][0] <= 460


def test_one_face_is_not_numbered_and_an_old_report_says_why_it_cannot_be(base: Path) -> None:
    alone = team(faces=1, face_boxes=[BOXES[0]], warnings=[])
    assert Page(build_review([alone], base_dir=base)).cards[0].svg is None
    (old,) = Page(build_review([team(face_boxes=None)], base_dir=base)).cards
    assert old.svg is None
    assert old.reasons == [
        WARNING_TEXT["several_faces"],
        "this report does not say where each face is, so they are not numbered on the picture: "
        "face 1 is the largest",
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_the_faces_places_are_kept_in_the_report_and_an_old_report_still_reads(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"report{suffix}"
    with ReportFile(path) as report:
        report.write(team())
        report.write(Record("photos/cat.png", "framed/cat.jpg", "no_face", warnings=["no_face"]))
    assert read_records(path) == [
        team(),
        Record("photos/cat.png", "framed/cat.jpg", "no_face", warnings=["no_face"]),
    ]
    old = tmp_path / "old.jsonl"  # written before the report kept them
    old.write_text('{"input": "a.jpg", "output": "a.jpg", "status": "ok", "faces": 2}\n', encoding="utf-8")
    assert read_records(old)[0].face_boxes is None


def test_nothing_is_fetched_from_anywhere(page: Page, base: Path) -> None:
    html = build_review(records(), base_dir=base)
    text = re.sub(r"data:image/jpeg;base64,[A-Za-z0-9+/=]+", "", html).lower()
    for banned in ("http:", "https:", "//", "<link", "@import", "url(", "<script", "<iframe", "<object"):
        assert banned not in text, banned
    for tag, attrs in page.tags:
        assert "srcset" not in attrs and "style" not in attrs
        if "src" in attrs:
            assert attrs["src"].startswith("data:image/jpeg;base64,"), tag
        if "href" in attrs:
            assert attrs["href"].startswith("#"), tag
    assert '<meta charset="utf-8">' in html
    assert "default-src 'none'" in html  # the browser itself refuses anything else


def test_names_are_escaped_and_unicode_survives(page: Page, base: Path) -> None:
    html = build_review(records(), base_dir=base)
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;img src=x onerror=alert(1)&gt;" in html
    evil = next(c for c in page.cards if c.attrs["data-input"].endswith(EVIL))
    assert evil.name == EVIL and evil.folder == EVIL_DIR and evil.img is not None
    assert evil.img["alt"] == EVIL
    assert html.encode("utf-8").decode("utf-8") == html


def test_title_is_escaped(base: Path) -> None:
    page = Page(build_review(records()[:1], base_dir=base, title="Sở <Tài chính> & co"))
    assert "Sở <Tài chính> & co" in "".join(page.text)
    assert not any(tag == "tài" for tag, _ in page.tags)


def test_summary_counts_each_status(base: Path) -> None:
    html = build_review(records(), base_dir=base)
    summary = html.split('<p class="summary">')[1].split("</p>")[0]
    assert summary == (
        "<strong>12 photos</strong> · 7 framed · 1 no face found · 3 failed · 1 skipped"
        " · 2 outputs missing or unreadable"
    )


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_report_on_disk_gives_the_same_page(base: Path, suffix: str) -> None:
    path = base / f"report{suffix}"
    with ReportFile(path) as report:
        for record in records():
            report.write(record)
    assert build_review(read_records(path), base_dir=base) == build_review(records(), base_dir=base)


def test_relative_outputs_are_found_from_base_dir_and_absolute_ones_anywhere(
    base: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    lost = Page(build_review(records(), base_dir=elsewhere))
    assert not any(c.img for c in lost.cards)
    absolute = [Record(str(base / "photos/x.jpg"), str(base / "framed/grace_hopper.jpg"), "ok", 1)]
    assert Page(build_review(absolute, base_dir=elsewhere)).cards[0].img is not None
    monkeypatch.chdir(base)  # the default base is the current directory
    assert build_review(records()) == build_review(records(), base_dir=base)


def test_the_page_is_deterministic(base: Path) -> None:
    assert build_review(records(), base_dir=base) == build_review(records(), base_dir=base)


def test_an_empty_report_still_makes_a_page() -> None:
    page = Page(build_review([], base_dir=Path("/nonexistent")))
    assert page.cards == [] and "The report has no photos." in "".join(page.text)


def test_write_review_replaces_the_page_in_one_step(base: Path, tmp_path: Path) -> None:
    out = tmp_path / "review" / "review.html"
    write_review(records()[:2], out, base_dir=base, title="first")
    write_review(records(), out, base_dir=base, title="second")
    assert out.read_text(encoding="utf-8") == build_review(records(), base_dir=base, title="second")
    assert os.listdir(out.parent) == ["review.html"]  # no temporary file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
