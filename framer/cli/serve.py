"""`framer serve`: start the web page (framer.web) where people frame their own photo.

The command settles the frames, builds the app, says where the page is (with every address of the
machine and a QR code when it is open to the network) and runs the server; everything else is the web
layer's, which knows nothing of Click.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
import threading
import time
import webbrowser
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.geometry import Box
from ..errors import CannotStart, ExitCode
from ..frames.campaign import Phase
from ..frames.model import Frame, load_frame
from ..i18n import _, display, language, ngettext
from .options import (
    TranslatedCommand,
    argument,
    date_option,
    lang_option,
    option,
    unusable_report,
    usable_cores,
    user_errors,
    user_frames,
)

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette

    from ..core.compose import PreparedFrame

EVERY_ADDRESS = ("0.0.0.0", "::")  # what a server listens on to be reached on every network


frames_option = option(
    "--frame",
    "frame_names",
    multiple=True,
    metavar="NAME|PATH",
    help="A frame to offer: its name, or a frame PNG or folder. Repeat it to let people choose.  "
    "[default: your default (framer frames use), else the frame whose campaign is running today, "
    "else dx-2023]",
)


def _offered(frame_names: tuple[str, ...], day: date | None) -> list[Frame]:
    """The frames named (settled), else the default one (framer.frames.choice), said on stdout."""
    from ..frames.choice import choose

    if frame_names:
        return [load_frame(name, user_frames()).settled() for name in dict.fromkeys(frame_names)]
    choice = choose(None, user_frames(), day)
    for line in choice.said():
        click.echo(line)
    return [choice.frame.settled()]


@click.command(cls=TranslatedCommand)
@lang_option
@option(
    "--host",
    metavar="ADDRESS",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on: 127.0.0.1 for this computer only, 0.0.0.0 for every network it is on.",
)
@option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port to listen on."
)
@frames_option
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
@date_option
@option("--ignore-window", is_flag=True, help="Frame even after the frame's campaign has ended.")
@option("--no-browser", is_flag=True, help="Do not open the page in this computer's browser.")
@option(
    "--poster",
    "poster_path",
    type=click.Path(dir_okay=False, path_type=Path),
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
        sock = _bind(host, port)
    for frame in frames:
        _say_campaign(frame, day, ignore_window)
    with sock:
        local = _say_where(host, sock.getsockname()[1])
        if poster_path is not None:
            _write_poster(poster_path, _url(_addresses(host)[0], sock.getsockname()[1]) + "/", frames[0])
        running = _server(app)
        if not no_browser:
            threading.Thread(target=_open_when_up, args=(running, local), daemon=True).start()
        try:
            running.run(sockets=[sock])
        except KeyboardInterrupt:  # uvicorn stops gracefully on Ctrl-C, then passes the signal on
            click.echo(_("Stopped."), err=True)
            sys.exit(int(ExitCode.INTERRUPTED))
    _said_startup_error(app)


def _say_where(host: str, port: int) -> str:
    """Say where the page is: its URL, or on a network every URL of the machine, who can now reach it,
    and a QR code of the first URL. The URL this computer's own browser opens."""
    urls = [_url(address, port) for address in _addresses(host)]
    if _is_loopback(host):
        click.echo(_("The page is at {url}").format(url=urls[0]))
    else:
        click.echo(_("The page is at:"))
        for url in urls:
            click.echo(f"  {url}")
        click.echo(_("Anyone on this computer's networks can now open it and frame photos, not only you."))
        click.echo(_("Scan this code with a phone on the same network to open the page:"))
        _print_qr(urls[0])
    click.echo(_("Stop the server with Ctrl-C."))
    if _is_loopback(host) or host not in EVERY_ADDRESS:
        return urls[0]
    return _url("::1" if ":" in host else "127.0.0.1", port)


@click.command(cls=TranslatedCommand)
@lang_option
@argument("out", type=click.Path(path_type=Path), metavar="FOLDER")
@frames_option
@option(
    "--url",
    metavar="URL",
    help="The address the folder will have on the web: also writes poster.png, with its QR code.",
)
@option("--ignore-window", is_flag=True, help="Frame even after the frame's campaign has ended.")
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

    from ..frames.cache import prepared_frame
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
    from ..frames.cache import prepared_frame
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


def _bind(host: str, port: int) -> socket.socket:
    """The socket to serve on, bound now so that a port in use is said plainly (CannotStart)."""
    from ..web.serving import listen

    try:
        return listen(host, port)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            message = _("port {port} is already in use: stop what uses it, or choose another with --port")
        elif e.errno == errno.EADDRNOTAVAIL or isinstance(e, socket.gaierror):
            message = _("cannot listen on {host}: it is not an address of this computer")
        else:
            message = _("cannot listen on {host} port {port}: {reason}")
        raise CannotStart(message.format(host=host, port=port, reason=e.strerror or e)) from None


def _say_campaign(frame: Frame, on: date | None, ignore_window: bool) -> None:
    """Where the frame's campaign stands, as framer apply says it (the page says it too)."""
    from ..frames.choice import elsewhere

    if frame.campaign is None:
        return
    status = frame.campaign.status(on or frame.campaign.today())
    if status.phase is Phase.AFTER and ignore_window:
        click.echo(status.framing_anyway(frame.title))
    elif status.phase is Phase.AFTER:
        click.echo(status.message(frame.title, instead=elsewhere(frame, user_frames(), on)))
    else:
        click.echo(status.message(frame.title))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _addresses(host: str) -> list[str]:
    """The addresses people can reach the page at: `host` itself, or for 0.0.0.0 (every network) each
    of the machine's addresses, the one its default route uses first."""
    if host not in EVERY_ADDRESS:
        return [host]
    found: list[str] = []
    try:  # a UDP "connection" sends nothing: it only asks the system which address its route would use
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): never a real host
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM)
        found += [str(info[4][0]) for info in infos]
    except OSError:
        pass
    usable = [a for a in dict.fromkeys(found) if not ipaddress.ip_address(a).is_loopback]
    return usable or [socket.gethostname()]


def _url(address: str, port: int) -> str:
    return f"http://[{address}]:{port}" if ":" in address else f"http://{address}:{port}"


def _print_qr(url: str) -> None:
    """`url` as a QR code in the terminal, for a poster or a phone (a full QR code: phones do not all
    read the smaller Micro QR)."""
    import io

    import segno

    drawn = io.StringIO()
    segno.make_qr(url).terminal(out=drawn, compact=True)
    click.echo(drawn.getvalue(), nl=False)


def _server(app: Starlette) -> uvicorn.Server:
    """The server for `app`, which the app may stop as it starts (framer.web.pool.start_or_stop)."""
    from ..web.serving import server

    running = server(app)
    app.state.stop_server = lambda: setattr(running, "should_exit", True)
    return running


def _said_startup_error(app: Starlette) -> None:
    """The error that stopped the app as it started (a frame its workers could not prepare), if any:
    one 'Error:' line and its exit code."""
    error = getattr(app.state, "startup_error", None)
    if error is not None:
        with user_errors():
            raise error


def _open_when_up(running: uvicorn.Server, url: str) -> None:
    """Open `url` in the default browser once the server answers (its workers are ready)."""
    deadline = time.monotonic() + 120
    while not running.started:
        if time.monotonic() > deadline or running.should_exit:
            return
        time.sleep(0.1)
    webbrowser.open(url)


def serve_review(
    report_path: Path,
    adjust_path: Path | None,
    host: str,
    port: int,
    no_browser: bool,
    frame_name: str | None,
    window: Box | None,
    size: int | None,
    quality: int | None,
) -> None:
    """`framer review REPORT --serve`: the review page, live, where IT staff fix the few photos of a
    batch. Off loopback every request needs a key, printed in the page's address."""
    import secrets

    from click.core import ParameterSource

    from ..review.session import Hints, load
    from ..web.origin import loopback_hosts
    from ..web.review import ReviewConfig, create_review_app

    with user_errors():
        hints = Hints(frame_name, window, size, quality, user_frames())
        try:
            batch = load(report_path, adjust_path, hints)
        except ValueError as e:
            raise unusable_report(report_path, e) from None
        token = None if _is_loopback(host) else secrets.token_urlsafe(24)
        # On loopback (127.0.0.0/8, ::1), only loopback names: DNS rebinding never reaches the photos.
        hosts = tuple(sorted(loopback_hosts(host) or ()))
        given = click.get_current_context().get_parameter_source("lang") is ParameterSource.COMMANDLINE
        config = ReviewConfig(batch, min(2, usable_cores()), token, language() if given else None, hosts)
        app = create_review_app(config)
        sock = _bind(host, port)
    said = ngettext(
        "Review of {n} photo from {report}", "Review of {n} photos from {report}", len(batch.photos)
    )
    click.echo(said.format(n=len(batch.photos), report=display(report_path)))
    click.echo(_("Corrections are kept in {path}").format(path=display(batch.adjust_path)))
    if not batch.known:
        click.echo(
            _(
                "framer could not find this batch's settings in its output folder's journal: saving uses "
                "--frame {frame}, --format {fmt}, --quality {quality}. Give framer review the same "
                "--frame, --size and --quality as framer apply."
            ).format(frame=batch.frame.name, fmt=batch.settings.fmt, quality=batch.settings.quality),
            err=True,
        )
    with sock:
        query = f"?token={token}" if token else ""
        urls = [_url(address, sock.getsockname()[1]) + "/" + query for address in _addresses(host)]
        if token is None:
            click.echo(_("The review page is at {url}").format(url=urls[0]))
            local = urls[0]
        else:
            click.echo(_("The review page is at (only with the key at the end of its address):"))
            for url in urls:
                click.echo(f"  {url}")
            local = urls[0]
            if host in EVERY_ADDRESS:
                local = _url("::1" if ":" in host else "127.0.0.1", sock.getsockname()[1]) + "/" + query
                click.echo(_("On this computer: {url}").format(url=local))
        click.echo(_("Stop the server with Ctrl-C."))
        running = _server(app)
        if not no_browser:
            threading.Thread(target=_open_when_up, args=(running, local), daemon=True).start()
        try:
            running.run(sockets=[sock])
        except KeyboardInterrupt:
            click.echo(_("Stopped."), err=True)
            sys.exit(int(ExitCode.INTERRUPTED))
    _said_startup_error(app)
