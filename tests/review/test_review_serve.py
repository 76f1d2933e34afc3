"""framer review --serve over HTTP (Starlette's test client, real worker processes): the photos of a real
batch, fixing one as framer apply --adjust would, the adjust file it keeps, and what it never serves."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from framer.batch.adjust import read_adjustments
from framer.batch.journal import folder_lock
from framer.review.session import Hints, load
from framer.web.review_app import create_review_app
from framer.web.review_service import ReviewConfig
from helpers import DATA, ON, TEST_SIZE, TestClient, make_batch, pixels, rerun, run, two_people

SIZE = str(TEST_SIZE)


@pytest.fixture
def batch_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    make_batch(tmp_path)
    return tmp_path


def client(
    report: Path = Path("report.jsonl"),
    adjust: Path | None = Path("FIXES.csv"),
    token: str | None = None,
    **hints: object,
) -> TestClient:
    batch = load(report, adjust, Hints(**hints))  # type: ignore[arg-type]
    return TestClient(create_review_app(ReviewConfig(batch, workers=1, token=token)))


@pytest.fixture
def api(batch_dir: Path) -> Iterator[TestClient]:
    with client() as c:
        yield c


# ---- the photos ------------------------------------------------------------------------------------


def test_every_photo_of_the_report_is_listed_as_the_adjust_file_names_it(api: TestClient) -> None:
    answer = api.get("/api/photos").json()
    rows = {r["file"]: r for r in answer["photos"]}
    assert set(rows) == {"cat.png", "group.jpg", "sub/hopper.jpg"}
    assert rows["group.jpg"]["faces"] == 2 and "several_faces" in rows["group.jpg"]["warnings"]
    assert rows["cat.png"]["status"] == "no_face" and rows["cat.png"]["problem"]
    assert rows["sub/hopper.jpg"]["folder"] == "sub" and not rows["sub/hopper.jpg"]["problem"]
    assert answer["settings_known"], "the batch's settings (--size 540) were not found from its journal"
    assert answer["counts"] == {"photos": 3, "problems": 2, "checked": 0}
    assert answer["adjust_file"] == "FIXES.csv"
    thumb = api.get(rows["group.jpg"]["thumb"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    page = api.get("/")
    assert page.status_code == 200 and "review.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_the_editor_gets_the_originals_faces_and_placements(api: TestClient) -> None:
    group = next(r for r in api.get("/api/photos").json()["photos"] if r["file"] == "group.jpg")
    edit = api.get(f"/api/photos/{group['id']}/edit").json()
    assert len(edit["faces"]) == 2 and len(edit["placements"]) == 2
    assert edit["adjust"] == edit["start"] == {"zoom": 1.0, "dx": 0.0, "dy": 0.0, "face": 1}
    assert api.get(edit["preview"]).headers["content-type"] == "image/jpeg"
    api.post("/api/adjust", json={"file": "group.jpg", "face": 2, "zoom": 1.2})
    edit = api.get(f"/api/photos/{group['id']}/edit").json()
    assert edit["start"] == {"zoom": 1.2, "dx": 0.0, "dy": 0.0, "face": 2}  # as it is framed today


def test_a_reruns_report_gives_up_to_date_photos_no_warning(batch_dir: Path) -> None:
    again = run("apply", "photos", "-o", "framed", "--report", "again.jsonl", "--size", SIZE, *ON)
    assert again.exit_code in (0, 1), again.output
    with client(Path("again.jsonl")) as api:
        rows = {r["file"]: r for r in api.get("/api/photos?lang=en").json()["photos"]}
    assert all("up_to_date" in r["warnings"] for r in rows.values())
    assert rows["sub/hopper.jpg"]["reasons"] == [] and not rows["sub/hopper.jpg"]["problem"]
    assert rows["cat.png"]["reasons"] == [
        "no face found: framed from the top centre of the photo, please check it"
    ]  # what the run that framed it found


def test_a_window_largely_filled_beyond_the_photo_is_to_check(batch_dir: Path) -> None:
    report = Path("report.jsonl")
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    for row in rows:
        if row["input"] == "photos/sub/hopper.jpg":
            row["invented"] = 0.23
    report.write_text("".join(json.dumps(row) + "\n" for row in rows))
    with client() as api:
        answer = api.get("/api/photos?lang=en").json()
        groups = api.get("/api/messages?lang=en").json()["groups"]
    hopper = next(r for r in answer["photos"] if r["file"] == "sub/hopper.jpg")
    assert hopper["group"] == "invented" and hopper["problem"]
    assert hopper["reasons"] == [
        "23 % of the frame's window lies beyond the photo's edges and was filled in: check it at full size"
    ]
    assert answer["counts"]["problems"] == 3
    assert groups["invented"]["problem"] and "Fix" in groups["invented"]["hint"]


def test_the_check_marks_words_say_what_a_click_does_in_both_languages(batch_dir: Path) -> None:
    with client() as api:
        en = api.get("/api/messages?lang=en").json()["messages"]
        vi = api.get("/api/messages?lang=vi").json()["messages"]
    said = [(m["checked_badge"], m["mark_checked"], m["unmark_checked"]) for m in (en, vi)]
    assert said == [
        ("Checked ✓", "Mark as checked", "Un-check"),
        ("Đã kiểm tra ✓", "Đánh dấu đã kiểm tra", "Bỏ đánh dấu đã kiểm tra"),
    ]


# ---- fixing one ------------------------------------------------------------------------------------


def test_face_2_frames_what_apply_face_2_frames_and_a_rerun_is_up_to_date(api: TestClient) -> None:
    originals = {p: p.read_bytes() for p in Path("photos").rglob("*.*")}
    answer = api.post("/api/adjust", json={"file": "group.jpg", "face": 2})
    assert answer.status_code == 200, answer.text
    row = answer.json()
    assert row["face_number"] == 2 and row["checked"] and not row["problem"]
    assert row["counts"]["problems"] == 1
    alone = run("apply", "photos/group.jpg", "-o", "face2.jpg", "--face", "2", "--size", SIZE, *ON)
    assert alone.exit_code == 0, alone.output
    assert np.array_equal(pixels(Path("framed/group.jpg")), pixels(Path("face2.jpg")))
    rows = read_adjustments(Path("FIXES.csv"))
    assert [(r.file, r.adjust.face) for r in rows] == [("group.jpg", 1)]
    before = Path("framed/group.jpg").read_bytes()
    again = rerun()
    assert all("up_to_date" in r["warnings"] for r in again), again
    assert Path("framed/group.jpg").read_bytes() == before
    assert {p: p.read_bytes() for p in Path("photos").rglob("*.*")} == originals, "an original was written"
    report = [json.loads(line) for line in Path("report.jsonl").read_text().splitlines()]
    assert next(r for r in report if r["input"] == "photos/group.jpg")["face_number"] == 2


def test_zoom_and_shift_of_a_photo_without_a_face_go_to_the_adjust_file(api: TestClient) -> None:
    before = pixels(Path("framed/cat.jpg"))
    answer = api.post("/api/adjust", json={"file": "cat.png", "zoom": 1.3, "dx": 0.1, "dy": -0.05})
    assert answer.status_code == 200, answer.text
    assert not np.array_equal(pixels(Path("framed/cat.jpg")), before)
    (row,) = read_adjustments(Path("FIXES.csv"))
    assert row.file == "cat.png" and row.adjust.zoom == 1.3 and row.adjust.shift == (0.1, -0.05)
    alone = run(
        "apply",
        "photos/cat.png",
        "-o",
        "cat.jpg",
        "--zoom",
        "1.3",
        "--shift",
        "0.1,-0.05",
        "--size",
        SIZE,
        *ON,
    )
    assert alone.exit_code == 0, alone.output  # no face found, but corrected by hand: looked at
    assert np.array_equal(pixels(Path("framed/cat.jpg")), pixels(Path("cat.jpg")))
    assert all("up_to_date" in r["warnings"] for r in rerun())


def test_the_adjust_file_a_save_makes_reads_as_a_plain_csv(api: TestClient) -> None:
    assert api.post("/api/adjust", json={"file": "group.jpg", "face": "2"}).status_code == 200
    with open("FIXES.csv", newline="", encoding="utf-8") as f:
        (row,) = csv.DictReader(f)
    assert row["file"] == "group.jpg" and row["face"] == "2" and row["zoom"] == ""


def test_the_same_fix_twice_is_up_to_date_and_a_new_one_replaces_the_row(api: TestClient) -> None:
    assert api.post("/api/adjust", json={"file": "group.jpg", "face": 2}).status_code == 200
    second = api.post("/api/adjust", json={"file": "group.jpg", "face": 2}).json()
    assert "up_to_date" in second["warnings"]
    assert api.post("/api/adjust", json={"file": "group.jpg", "face": 1, "zoom": 0.9}).status_code == 200
    (row,) = read_adjustments(Path("FIXES.csv"))
    assert (row.adjust.face, row.adjust.zoom) == (0, 0.9)


def test_a_persons_adjust_file_keeps_their_rows_columns_and_separator(batch_dir: Path) -> None:
    fixes = Path("FIXES.csv")
    text = "file;zoom;ghi chú\r\nsub/hopper.jpg;1,1;Chị Hà\r\n"  # Excel set to Vietnamese saves so
    fixes.write_bytes(unicodedata.normalize("NFD", text).encode("cp1258"))
    with client() as api:
        assert api.post("/api/adjust", json={"file": "group.jpg", "face": 2}).status_code == 200
    rows = {r.file: r.adjust for r in read_adjustments(fixes)}
    assert rows["sub/hopper.jpg"].zoom == 1.1 and rows["group.jpg"].face == 1
    text = fixes.read_text(encoding="utf-8-sig")
    assert "ghi chú" in text and "Chị Hà" in text and text.splitlines()[0].startswith("file;zoom;")


def test_an_adjust_file_framer_cannot_read_is_never_written_over(batch_dir: Path) -> None:
    fixes = Path("FIXES.csv")
    fixes.write_text("file,zoom\ngroup.jpg,huge\n")
    with pytest.raises(Exception, match="zoom must be a number"):
        load(Path("report.jsonl"), fixes, Hints())
    assert fixes.read_text() == "file,zoom\ngroup.jpg,huge\n"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"file": "group.jpg", "zoom": 5}, 400),
        ({"file": "group.jpg", "zoom": "big"}, 400),
        ({"file": "group.jpg", "zoom": "nan"}, 400),
        ({"file": "group.jpg", "zoom": [1]}, 400),
        ({"file": "group.jpg", "zoom": True}, 400),
        ({"file": "group.jpg", "dx": -1.5}, 400),
        ({"file": "group.jpg", "face": 1.5}, 400),
        ({"file": "group.jpg", "face": 0}, 400),
        ({"file": "group.jpg", "face": 3}, 400),  # two faces only
        ({"file": "nobody.jpg", "face": 2}, 404),
        ({"file": 7}, 404),
        ({"face": 2}, 404),
    ],
)
def test_a_bad_correction_is_refused_in_words_and_nothing_is_written(
    api: TestClient, body: dict, status: int
) -> None:
    before = Path("framed/group.jpg").read_bytes()
    answer = api.post("/api/adjust", json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]
    assert not Path("FIXES.csv").exists()
    assert Path("framed/group.jpg").read_bytes() == before


def test_a_body_that_is_not_a_small_json_object_from_the_page_is_refused(api: TestClient) -> None:
    as_json = {"Content-Type": "application/json"}
    assert api.post("/api/adjust", content=b"not json", headers=as_json).status_code == 400
    assert api.post("/api/adjust", content=b"[1, 2]", headers=as_json).status_code == 400
    big = json.dumps({"file": "group.jpg", "pad": "x" * 100_000}).encode()
    assert api.post("/api/adjust", content=big, headers=as_json).status_code == 413
    body = json.dumps({"file": "group.jpg", "face": 2}).encode()
    # Another site's page in the same browser: a "simple" request (no preflight), or its Origin.
    assert api.post("/api/adjust", content=body, headers={"Content-Type": "text/plain"}).status_code == 415
    elsewhere = {**as_json, "Origin": "http://evil.example"}
    assert api.post("/api/adjust", content=body, headers=elsewhere).status_code == 403
    assert api.post("/api/checked", content=body, headers=elsewhere).status_code == 403
    assert not Path("FIXES.csv").exists()
    mine = {**as_json, "Origin": "http://testserver"}
    assert api.post("/api/adjust", content=body, headers=mine).status_code == 200


def test_on_loopback_only_loopback_names_are_answered(batch_dir: Path) -> None:
    """A site whose name was made to lead to 127.0.0.1 (DNS rebinding) gets nothing."""
    batch = load(Path("report.jsonl"), Path("FIXES.csv"), Hints())
    app = create_review_app(ReviewConfig(batch, workers=1, hosts=("127.0.0.1", "localhost")))
    with TestClient(app, base_url="http://127.0.0.1:8000") as api:
        assert api.get("/api/photos").status_code == 200
        assert api.get("/api/photos", headers={"Host": "evil.example:8000"}).status_code == 400


def test_a_photo_may_be_named_as_the_report_names_it(api: TestClient) -> None:
    row = api.post("/api/adjust", json={"file": "photos/group.jpg", "face": 2}).json()
    assert row["file"] == "group.jpg" and row["face_number"] == 2
    assert read_adjustments(Path("FIXES.csv"))[0].file == "group.jpg"


def test_a_running_framer_apply_on_the_folder_makes_save_wait(api: TestClient) -> None:
    with folder_lock(Path("framed")):
        answer = api.post("/api/adjust", json={"file": "group.jpg", "face": 2})
    assert answer.status_code == 423
    assert "another framer run" in answer.json()["error"]
    assert not Path("FIXES.csv").exists()


def test_mark_as_checked_survives_a_restart(batch_dir: Path) -> None:
    with client() as api:
        row = api.post("/api/checked", json={"file": "cat.png", "checked": True}).json()
        assert row["checked"] and not row["problem"] and row["counts"]["checked"] == 1
    assert read_adjustments(Path("FIXES.csv"))[0].adjust == read_adjustments(Path("FIXES.csv"))[0].adjust
    with client() as api:
        rows = {r["file"]: r for r in api.get("/api/photos").json()["photos"]}
        assert rows["cat.png"]["checked"] and not rows["cat.png"]["problem"]
        api.post("/api/checked", json={"file": "cat.png", "checked": False})
    assert all("up_to_date" in r["warnings"] for r in rerun())  # a checked row changes no picture


def test_the_settings_are_found_from_the_journal_whatever_quality_the_batch_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make_batch(tmp_path, "--quality", "71", "--format", "png")
    with client() as api:
        assert api.get("/api/photos").json()["settings_known"]
        assert api.post("/api/adjust", json={"file": "group.jpg", "face": 2}).status_code == 200
    again = rerun("--quality", "71", "--format", "png")
    assert all("up_to_date" in r["warnings"] for r in again), again


def test_the_default_adjust_file_is_in_the_output_folder(batch_dir: Path) -> None:
    with client(adjust=None) as api:
        assert api.get("/api/photos").json()["adjust_file"] == "framed/framer-adjust.csv"
        assert api.post("/api/adjust", json={"file": "group.jpg", "face": 2}).status_code == 200
    assert read_adjustments(Path("framed/framer-adjust.csv"))[0].file == "group.jpg"
    result = run(
        "apply", "photos", "-o", "framed", "--size", SIZE, *ON, "--adjust", "framed/framer-adjust.csv"
    )
    assert "3 skipped" in result.output or "bỏ qua" in result.output, result.output


# ---- what is never served --------------------------------------------------------------------------


TRAVERSALS = [
    "/api/photos/99/thumb.jpg",
    "/api/photos/-1/thumb.jpg",
    "/api/photos/..%2f..%2f..%2fetc%2fpasswd/thumb.jpg",
    "/api/photos/%2e%2e%2f%2e%2e%2fetc%2fpasswd/edit",
    "/api/photos/0/../../../../etc/passwd",
    "/static/../../../../etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/fixes.py",
    "/static/..%5c..%5cfixes.py",
    "//etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_batch_is_served(api: TestClient, path: str) -> None:
    answer = api.get(path)
    assert answer.status_code in (400, 404), (path, answer.status_code)
    assert b"root:" not in answer.content and b"def " not in answer.content


@pytest.mark.parametrize(
    "file", ["../../etc/passwd", "/etc/passwd", "%2e%2e%2fetc%2fpasswd", "photos/../report.jsonl"]
)
def test_a_path_in_a_correction_is_only_looked_up_never_opened(api: TestClient, file: str) -> None:
    answer = api.post("/api/adjust", json={"file": file, "zoom": 1.1})
    assert answer.status_code == 404
    assert not Path("FIXES.csv").exists()


def test_links_leading_outside_the_batch_are_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(DATA / "hopper.webp", outside / "secret.webp")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "link.webp").symlink_to(outside / "secret.webp")
    make_batch_dir = tmp_path / "photos"
    shutil.copy(DATA / "chelsea.png", make_batch_dir / "cat.png")
    result = run("apply", "photos", "-o", "framed", "--report", "report.jsonl", "--size", SIZE, *ON)
    assert result.exit_code in (0, 1), result.output
    secret = outside / "secret.jpg"
    shutil.copy(DATA / "grace_hopper.jpg", secret)
    Path("framed/cat.jpg").unlink()
    Path("framed/cat.jpg").symlink_to(secret)  # planted in the output folder
    with client() as api:
        rows = {r["file"]: r for r in api.get("/api/photos").json()["photos"]}
        link = rows["link.webp"]
        assert not link["editable"]
        assert api.get(f"/api/photos/{link['id']}/edit").status_code == 404
        assert api.post("/api/adjust", json={"file": "link.webp", "zoom": 1.2}).status_code == 409
        cat = rows["cat.png"]
        assert cat["thumb"] is None
        assert api.get(f"/api/photos/{cat['id']}/thumb.jpg").status_code == 404


# ---- the key, off loopback -------------------------------------------------------------------------


def test_off_loopback_every_request_needs_the_token(batch_dir: Path) -> None:
    token = "s3cret-token-of-the-server"
    with client(token=token) as api:
        for path in ("/", "/api/photos", "/static/review.js", "/api/photos/0/thumb.jpg"):
            assert api.get(path).status_code == 403, path
        assert api.get("/api/photos?token=wrong").status_code == 403
        assert api.get("/api/photos", headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert api.post("/api/adjust", json={"file": "group.jpg", "face": 2}).status_code == 403
        assert not Path("FIXES.csv").exists()
        assert api.get("/api/photos", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        first = api.get(f"/?token={token}")
        assert first.status_code == 200
        cookie = first.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert api.get("/api/photos").status_code == 200  # the cookie the first visit set
        assert api.post("/api/adjust", json={"file": "group.jpg", "face": 2}).status_code == 200
        api.cookies.clear()
        assert api.get("/api/photos").status_code == 403


# ---- the command -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--serve", "-o", "page.html"],
        ["--port", "9000"],
        ["--host", "0.0.0.0"],
        ["--adjust", "FIXES.csv"],
        ["--no-browser"],
        ["--size", "540"],
    ],
)
def test_review_options_of_the_live_page_need_serve(batch_dir: Path, args: list[str]) -> None:
    result = run("review", "report.jsonl", *args)
    assert result.exit_code == 2, result.output
    assert "--serve" in result.output
    assert not Path("page.html").exists() and not Path("review.html").exists()


def test_review_serve_refuses_what_is_not_a_report_or_an_adjust_file_over_a_photo(batch_dir: Path) -> None:
    Path("notes.txt").write_text("hello\n")
    result = run("review", "notes.txt", "--serve", "--no-browser")
    assert result.exit_code == 2 and "not a framer report" in result.output
    result = run("review", "report.jsonl", "--serve", "--no-browser", "--adjust", "photos/group.jpg")
    assert result.exit_code == 2 and "input photo" in result.output, result.output
    result = run("review", "report.jsonl", "--serve", "--no-browser", "--port", "70000")
    assert result.exit_code == 2


@contextmanager
def review_server(*args: str) -> Iterator[tuple[str, str | None]]:
    """`framer review ARGS --serve --no-browser --port 0` as a person (or the checker) runs it, in its own
    process: the base URL of this computer and the key (None when it printed none), from what it says."""
    command = [sys.executable, "-m", "framer", "review", *args, "--serve", "--no-browser", "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        said = ""
        assert server.stdout is not None
        while not (found := re.search(r"http://[^\s/]+:(\d+)/(?:\?token=([\w-]+))?\s", said)):
            line = server.stdout.readline()
            assert line, f"framer review stopped: {said}"
            said += line
        port, token = found.groups()
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(200):  # its workers are starting
            try:
                http("GET", base + "/healthz", token=token)
                break
            except urllib.error.URLError:
                time.sleep(0.05)
        yield base, token
    finally:
        server.terminate()
        server.wait(30)
        if server.stdout is not None:
            server.stdout.close()


def http(method: str, url: str, body: object = None, token: str | None = None) -> tuple[int, object]:
    """One request: its status and its JSON (or bytes)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as r:
            raw, status, kind = r.read(), r.status, r.headers.get("content-type", "")
    except urllib.error.HTTPError as e:
        raw, status, kind = e.read(), e.code, e.headers.get("content-type", "")
        e.close()
    return status, json.loads(raw) if kind.startswith("application/json") else raw


def test_review_serve_on_the_network_prints_its_address_with_the_key(batch_dir: Path) -> None:
    with review_server("report.jsonl", "--adjust", "FIXES.csv", "--host", "0.0.0.0") as (base, token):
        assert token is not None and len(token) >= 32
        assert http("GET", base + "/api/photos")[0] == 403
        assert http("GET", base + "/api/photos?token=nope")[0] == 403
        assert http("GET", base + f"/api/photos?token={token}")[0] == 200
        assert http("GET", base + "/", token=token)[0] == 200


def test_the_whole_round_at_framer_applys_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the batch is checked: framed with every default, fixed over HTTP, framed again: up to date."""
    monkeypatch.chdir(tmp_path)
    photos = tmp_path / "photos"
    photos.mkdir()
    two_people(photos / "group.jpg")
    shutil.copy(DATA / "chelsea.png", photos / "cat.png")
    shutil.copy(DATA / "hopper.webp", photos / "hopper.webp")
    assert run("apply", "photos", "-o", "framed", "--report", "report.jsonl", *ON).exit_code == 1
    with review_server("report.jsonl", "--adjust", "FIXES") as (base, token):
        assert token is None
        status, listed = http("GET", base + "/api/photos")
        assert status == 200
        assert {r["file"] for r in listed["photos"]} == {"group.jpg", "cat.png", "hopper.webp"}
        status, row = http("POST", base + "/api/adjust", {"file": "group.jpg", "face": 2})
        assert status == 200, row
        assert http("GET", base + "/api/photos/0/thumb.jpg", token=None)[0] == 200
    alone = run("apply", "photos/group.jpg", "-o", "face2.jpg", "--face", "2", *ON)
    assert alone.exit_code == 0, alone.output
    assert Path("framed/group.jpg").read_bytes() == Path("face2.jpg").read_bytes()
    assert [(r.file, r.adjust.face) for r in read_adjustments(Path("FIXES"))] == [("group.jpg", 1)]
    before = Path("framed/group.jpg").read_bytes()
    again = run("apply", "photos", "-o", "framed", "--report", "again.jsonl", "--adjust", "FIXES", *ON)
    rows = [json.loads(line) for line in Path("again.jsonl").read_text().splitlines()]
    assert all("up_to_date" in r["warnings"] for r in rows), again.output
    assert Path("framed/group.jpg").read_bytes() == before


def test_save_never_writes_over_a_file_someone_put_in_the_outputs_place(api: TestClient) -> None:
    Path("framed/group.jpg").unlink()
    Path("framed/group.jpg").write_bytes(b"someone else's picture")
    answer = api.post("/api/adjust?lang=en", json={"file": "group.jpg", "face": 2})
    assert answer.status_code == 409 and "framer did not write it" in answer.json()["error"]
    assert Path("framed/group.jpg").read_bytes() == b"someone else's picture"
    assert not Path("FIXES.csv").exists()


def test_the_page_speaks_review_langs_language_unless_a_request_asks(batch_dir: Path) -> None:
    batch = load(Path("report.jsonl"), Path("FIXES.csv"), Hints())
    with TestClient(create_review_app(ReviewConfig(batch, workers=1, lang="en"))) as api:
        assert '<html lang="en">' in api.get("/", headers={"Accept-Language": "vi"}).text
        assert api.get("/api/messages").json()["messages"]["save"] == "Save"
        assert api.get("/api/messages?lang=vi").json()["messages"]["save"] == "Lưu"
    with client() as api:  # no --lang: the browser's, Vietnamese first
        assert api.get("/api/messages").json()["messages"]["review_title"] == "Rà soát các ảnh đã gắn khung"


def test_a_csv_report_keeps_its_language_and_names_when_served_from_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "photos").mkdir()
    two_people(tmp_path / "photos" / "group.jpg")
    result = run(
        "--lang", "vi", "apply", "photos", "-o", "framed", "--report", "report.csv", "--size", SIZE, *ON
    )
    assert result.exit_code == 0, result.output
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("LANGUAGE", raising=False)
    with client(tmp_path / "report.csv", tmp_path / "FIXES.csv") as api:
        assert api.post("/api/adjust", json={"file": "group.jpg", "face": 2}).status_code == 200
    header, row = (tmp_path / "report.csv").read_text(encoding="utf-8-sig").splitlines()[:2]
    assert header.startswith("ảnh gốc,") and row.startswith("photos/group.jpg,framed/group.jpg,")


def test_raw_traversals_over_a_real_socket_get_nothing(batch_dir: Path) -> None:
    """As an attacker sends them, not normalised by any client: `..`, encoded or not, and absolute."""
    import http.client

    from framer.web.serving import in_thread

    secret = batch_dir / "secret.txt"
    secret.write_text("root:x:0:0 the agency's secret\n")
    batch = load(Path("report.jsonl"), Path("FIXES.csv"), Hints())
    with in_thread(create_review_app(ReviewConfig(batch, workers=1))) as url:
        host, port = url.removeprefix("http://").split(":")
        for path in [
            "/static/../../../../secret.txt",
            "/static/..%2f..%2f..%2f..%2fsecret.txt",
            "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt",
            "/static/....//....//secret.txt",
            "/api/photos/../../secret.txt",
            "/api/photos/0/../../../secret.txt",
            f"/static/{secret}",
            f"/static/%2f{str(secret).lstrip('/')}",
            "/api/photos/0%2f..%2f..%2fsecret.txt/thumb.jpg",
            "/../secret.txt",
        ]:
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            connection.request("GET", path)
            answer = connection.getresponse()
            body = answer.read()
            connection.close()
            assert answer.status in (400, 404), (path, answer.status)
            assert b"secret" not in body, path
