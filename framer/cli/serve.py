"""`framer serve` and `framer publish`: the web page (framer.web) where people frame their own photo,
served or written as static files.

The command settles the frames, builds the app, says where the page is (with every address of the
machine and a QR code when it is open to the network) and runs the server; everything else is the web
layer's, which knows nothing of Click.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..frames.campaign import verdict
from ..frames.model import Frame
from ..frames.registry import load_frame
from ..i18n import _, display, language
from .hosting import (
    EVERY_ADDRESS,
    addresses,
    bind,
    is_loopback,
    print_qr,
    run_until_stopped,
    said_startup_error,
    url_of,
)
from .options import (
    chosen,
    date_option,
    file_option,
    frame_option,
    host_option,
    ignore_window_option,
    lang_option,
    no_browser_option,
    port_option,
    usable_cores,
    user_errors,
    user_frames,
)
from .words import TranslatedCommand, argument, option

if TYPE_CHECKING:
    from ..core.compose import PreparedFrame

FRAMES_HELP = (
    "A frame to offer: its name, or a frame PNG or folder. Repeat it to let people choose.  "
    "[default: your default (framer frames use), else the frame whose campaign is running today, "
    "else dx-2023]"
)


def _offered(frame_names: tuple[str, ...], day: date | None) -> list[Frame]:
    """The frames named (settled), else the default one (framer.frames.choice), said on stdout."""
    if frame_names:
        return [load_frame(name, user_frames()).settled() for name in dict.fromkeys(frame_names)]
    return [chosen(None, day, click.echo).settled()]


@click.command(cls=TranslatedCommand)
@lang_option
@host_option()
@port_option()
@frame_option(FRAMES_HELP, multiple=True)
@option(
    "--workers",
    type=click.IntRange(1, 256),
    show_default="the machine's cores",
    help="Processes that frame photos, in parallel.",
)
@option(
    "--max-upload-mb",
    type=click.IntRange(1, 1000),
    default=25,
    show_default=True,
    help="Refuse photos larger than this many megabytes, unread.",
)
@date_option()
@ignore_window_option()
@no_browser_option()
@file_option(
    "--poster",
    "poster_path",
    metavar="FILE.png",
    help="Also write an A4 poster with the page's QR code (its first address), to print.",
)
def serve(
    host: str,
    port: int,
    frame_names: tuple[str, ...],
    workers: int | None,
    max_upload_mb: int,
    on_date: datetime | None,
    ignore_window: bool,
    no_browser: bool,
    poster_path: Path | None,
) -> None:
    """Serve the page where people frame their own photo: choose it, adjust it, download it.

    The page frames the photo in the person's browser: it is never uploaded (framer publish writes the
    same page as static files). By default only this computer can open the page; with --host 0.0.0.0
    everyone on its networks can (framer prints the addresses and a QR code).

    \b
    Examples:
      framer serve                     # http://127.0.0.1:8000, opened in your browser
      framer serve --host 0.0.0.0 --poster poster.png   # for the agency's network
      framer serve --frame dx-2023 --frame so-tt-2024 --date 2023-10-05
    """
    from ..web.app import create_app
    from ..web.origin import loopback_hosts
    from ..web.service import Config

    with user_errors():
        day = on_date.date() if on_date else None
        frames = _offered(frame_names, day)
        app = create_app(
            Config(
                frames=frames,
                workers=workers or usable_cores(),
                max_upload_mb=max_upload_mb,
                on_date=day,
                ignore_window=ignore_window,
                hosts=loopback_hosts(host),
            )
        )
        sock = bind(host, port)
    for frame in frames:
        _say_campaign(frame, day, ignore_window)
    with sock:
        local = _say_where(host, sock.getsockname()[1])
        if poster_path is not None:
            _write_poster(poster_path, url_of(addresses(host)[0], sock.getsockname()[1]) + "/", frames[0])
        run_until_stopped(app, sock, None if no_browser else local)
    said_startup_error(app)


def _say_where(host: str, port: int) -> str:
    """Say where the page is: its URL, or on a network every URL of the machine, who can now reach it,
    and a QR code of the first URL. The URL this computer's own browser opens."""
    urls = [url_of(address, port) for address in addresses(host)]
    if is_loopback(host):
        click.echo(_("The page is at {url}").format(url=urls[0]))
    else:
        click.echo(_("The page is at:"))
        for url in urls:
            click.echo(f"  {url}")
        click.echo(_("Anyone on this computer's networks can now open it and frame photos, not only you."))
        click.echo(_("Scan this code with a phone on the same network to open the page:"))
        print_qr(urls[0])
    click.echo(_("Stop the server with Ctrl-C."))
    if is_loopback(host) or host not in EVERY_ADDRESS:
        return urls[0]
    return url_of("::1" if ":" in host else "127.0.0.1", port)


@click.command(cls=TranslatedCommand)
@lang_option
@argument("out", type=click.Path(path_type=Path), metavar="FOLDER")
@frame_option(FRAMES_HELP, multiple=True)
@option(
    "--url",
    metavar="URL",
    help="The address the folder will have on the web: also writes poster.png, with its QR code.",
)
@ignore_window_option()
def publish(out: Path, frame_names: tuple[str, ...], url: str | None, ignore_window: bool) -> None:
    """Write the page where people frame their own photo as static files, for any web server.

    The page does framer's work in the phone's browser: the photo is never uploaded. Copy FOLDER to
    the agency's portal, intranet server, IIS, nginx or any static host (FOLDER/HOSTING.txt says how).
    The page's language is the browser's (Vietnamese first), or --lang.

    \b
    Examples:
      framer publish khung-anh/
      framer publish khung-anh/ --frame cds-2026 --url https://stttt.example.gov.vn/khung-anh/
    """
    from click.core import ParameterSource

    from ..frames.prepared import prepared_frame
    from ..web.publish import publish as write

    given = click.get_current_context().get_parameter_source("lang") is ParameterSource.COMMANDLINE
    with user_errors():
        frames = _offered(frame_names, None)
        if url is not None and not url.lower().startswith(("https://", "http://")):
            raise click.BadParameter(
                _("give the page's full address, starting with https://"), param_hint="'--url'"
            )
        made = []
        for frame in frames:
            prepared = prepared_frame(frame, frame.output_size)
            made.append((frame, _png(prepared), prepared.size, _window(prepared)))
        poster = _poster(url, made[0][0], prepared_frame(frames[0], frames[0].output_size)) if url else None
        done = write(
            out, made, ignore_window=ignore_window, lang=language() if given else None, poster_png=poster
        )
    for frame in frames:
        _say_campaign(frame, None, ignore_window)
    click.echo(
        _("Wrote the page into {folder} ({n} files, {mb} MB): copy the whole folder to a web server.").format(
            folder=display(out), n=done.files, mb=round(done.bytes / 1_000_000, 1)
        )
    )
    if done.poster is not None:
        click.echo(_("Poster to print, with the page's QR code: {path}").format(path=display(done.poster)))
    click.echo(
        _("To try it here: python -m http.server 8080 --directory {folder}").format(folder=display(out))
    )


def _write_poster(path: Path, url: str, frame: Frame) -> None:
    """The poster for `url`, written to `path` (never over a file framer did not write: a PNG poster of
    framer's own is recognised by its mark), and said."""
    from ..files import check_target, write_atomic
    from ..frames.prepared import prepared_frame
    from ..web.poster import looks_like_poster

    with user_errors():
        check_target(path, frame.protected(), ours=looks_like_poster)
        write_atomic(path, _poster(url, frame, prepared_frame(frame, frame.output_size)), overwrite=True)
    click.echo(_("Poster to print, with the page's QR code: {path}").format(path=display(path)))


def _png(prepared: PreparedFrame) -> bytes:
    """A prepared frame as the RGBA PNG the page lays over the photo."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.merge("RGBA", (*prepared.rgb.split(), prepared.alpha)).save(buffer, "PNG")
    return buffer.getvalue()


def _window(prepared: PreparedFrame) -> tuple[float, float, float, float]:
    w = prepared.window
    return w.x, w.y, w.w, w.h


def _poster(url: str, frame: Frame, prepared: PreparedFrame) -> bytes:
    """The A4 poster for `url`: the frame with the sample portrait in it, and the page's QR code."""
    from importlib.resources import files

    import numpy as np
    from PIL import Image

    from ..core.colour import to_rgb
    from ..core.detect import FaceDetector
    from ..core.pipeline import frame_photo
    from ..web.poster import poster

    with (files("framer") / "samples" / "portrait.jpg").open("rb") as f, Image.open(f) as sample:
        photo = np.asarray(to_rgb(sample))
    framed = frame_photo(photo, FaceDetector(), prepared).image
    return poster(url, framed, frame.title)


def _say_campaign(frame: Frame, on: date | None, ignore_window: bool) -> None:
    """Where the frame's campaign stands, as framer apply says it (the page says it too)."""
    from ..frames.choice import elsewhere

    judged = verdict(frame, on, ignore_window)
    said = judged.said(elsewhere(frame, user_frames(), on) if judged.closed else ())
    if said is not None:
        click.echo(said)
