"""`framer review`: the review page of a run, written to a file or served live (--serve), where the few
photos of a batch that need it are fixed and framed again."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.geometry import Box
from ..i18n import _, display, language, ngettext
from .hosting import (
    EVERY_ADDRESS,
    addresses,
    bind,
    is_loopback,
    run_until_stopped,
    said_startup_error,
    url_of,
)
from .options import (
    file_option,
    frame_option,
    host_option,
    lang_option,
    no_browser_option,
    port_option,
    quality_option,
    size_option,
    usable_cores,
    user_errors,
    user_frames,
    window_option,
)
from .words import TranslatedCommand, argument, option


@click.command(cls=TranslatedCommand)
@lang_option
@argument("report_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="REPORT")
@file_option("-o", "--output", "output", default=Path("review.html"), help="The page to write.")
@option(
    "--serve",
    is_flag=True,
    help="Serve the review page live instead, where each photo can be fixed (drag, zoom, pick the face) "
    "and framed again.",
)
@file_option(
    "--adjust",
    "adjust_path",
    metavar="FILE.csv",
    help="With --serve: the adjust file the corrections go to (made if need be; its rows are kept). "
    "[default: framer-adjust.csv in the output folder]",
)
@host_option("With --serve: the address to listen on; any other than 127.0.0.1 needs the printed key.")
@port_option("With --serve: the port.")
@no_browser_option("With --serve: do not open the page in this computer's browser.")
@frame_option("With --serve: the frame the batch was framed with.  [default: found from the output folder]")
@window_option("With --serve: the --window the batch was framed with.")
@size_option("With --serve: the --size the batch was framed with.  [default: found from the output folder]")
@quality_option(
    "With --serve: the --quality the batch was framed with.  [default: found from the output folder]"
)
def review(
    report_path: Path,
    output: Path,
    serve: bool,
    adjust_path: Path | None,
    host: str,
    port: int,
    no_browser: bool,
    frame_name: str | None,
    window_box: Box | None,
    size: int | None,
    quality: int | None,
) -> None:
    """Write a review page for a run: thumbnails of every output, the ones to check first.

    REPORT is the file written by `framer apply --report` (JSON Lines or CSV). The page is a
    single HTML file that works offline; open it in any browser. With --serve the page is live:
    fix a photo in the browser and framer frames it again, as framer apply --adjust would.

    \b
    Example:
      framer apply photos/ -o framed/ --report report.jsonl
      framer review report.jsonl -o review.html
      framer review report.jsonl --serve
    """
    from click.core import ParameterSource

    context = click.get_current_context()
    if serve:
        if context.get_parameter_source("output") is ParameterSource.COMMANDLINE:
            raise click.UsageError(_("-o writes the page to a file; --serve serves it: give one of them"))
        serve_review(report_path, adjust_path, host, port, no_browser, frame_name, window_box, size, quality)
        return
    for name in ("adjust_path", "host", "port", "no_browser", "frame_name", "window_box", "size", "quality"):
        if context.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            flag = next(p.opts[-1] for p in context.command.params if p.name == name)
            raise click.UsageError(_("{option} goes with --serve").format(option=flag))
    from ..batch.report_file import protected_paths, read_records
    from ..review.sheet import write_review

    try:
        records = read_records(report_path)
    except (ValueError, OSError) as e:
        raise unusable_report(report_path, e) from None
    from ..files import check_target
    from ..review.sheet import looks_like_review

    # The report's paths are relative to where its run was: here, or beside the report. Both are kept
    # from harm.
    bases = (Path.cwd(), report_path.parent)
    photos = [(b / r.input, b / r.output if r.output else None) for b in bases for r in records]
    protected = protected_paths(report_path, photos)
    with user_errors():
        check_target(output, protected, ours=looks_like_review)
        write_review(records, output)
    click.echo(
        ngettext("Review page: {path} ({n} photo)", "Review page: {path} ({n} photos)", len(records)).format(
            path=display(output), n=len(records)
        ),
        err=True,
    )


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
    from ..web.review_app import create_review_app
    from ..web.review_service import ReviewConfig

    with user_errors():
        hints = Hints(frame_name, window, size, quality, user_frames())
        try:
            batch = load(report_path, adjust_path, hints)
        except ValueError as e:
            raise unusable_report(report_path, e) from None
        token = None if is_loopback(host) else secrets.token_urlsafe(24)
        # On loopback (127.0.0.0/8, ::1), only loopback names: DNS rebinding never reaches the photos.
        hosts = tuple(sorted(loopback_hosts(host) or ()))
        given = click.get_current_context().get_parameter_source("lang") is ParameterSource.COMMANDLINE
        config = ReviewConfig(batch, min(2, usable_cores()), token, language() if given else None, hosts)
        app = create_review_app(config)
        sock = bind(host, port)
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
        urls = [url_of(address, sock.getsockname()[1]) + "/" + query for address in addresses(host)]
        if token is None:
            click.echo(_("The review page is at {url}").format(url=urls[0]))
            local = urls[0]
        else:
            click.echo(_("The review page is at (only with the key at the end of its address):"))
            for url in urls:
                click.echo(f"  {url}")
            local = urls[0]
            if host in EVERY_ADDRESS:
                local = url_of("::1" if ":" in host else "127.0.0.1", sock.getsockname()[1]) + "/" + query
                click.echo(_("On this computer: {url}").format(url=local))
        click.echo(_("Stop the server with Ctrl-C."))
        run_until_stopped(app, sock, None if no_browser else local)
    said_startup_error(app)


def unusable_report(path: Path, error: Exception) -> click.UsageError:
    """framer review's answer to a REPORT it cannot use (exit 2, after the usage line that shows what
    REPORT is): the argument by its placeholder in the user's language, the file, and why, in framer's
    words. `error` is read_records' ValueError, whose words are framer's own, or an OSError, told by
    its errno (framer.reasons), never in Python's words."""
    from ..reasons import worded_os

    report, name = _("REPORT"), display(path)
    if isinstance(error, OSError):
        message = _("{report} {path} cannot be read ({reason}).").format(
            report=report, path=name, reason=worded_os(error)
        )
    else:
        message = _("{report} {path} is not a framer report ({reason}).").format(
            report=report, path=name, reason=error
        )
    return click.UsageError(message)
