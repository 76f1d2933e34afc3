"""`framer campaign` and `framer remind`: where today stands in a frame's campaign, and a calendar file
that reminds people to put the framed picture on and to switch back."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import click

from ..errors import CampaignClosed
from ..frames.campaign import ANY_DAY, verdict
from ..frames.choice import elsewhere
from ..i18n import _, day
from .options import (
    chosen,
    date_option,
    file_option,
    frame_option,
    ignore_window_option,
    lang_option,
    user_errors,
    user_frames,
)
from .words import TranslatedCommand


@click.command(cls=TranslatedCommand)
@lang_option
@frame_option()
@date_option()
def campaign(frame_name: str, on_date: datetime | None) -> None:
    """Say where today stands in a frame's campaign: days to go, day N, or ended.

    \b
    Examples:
      framer campaign
      framer campaign --frame dx-2023 --date 2023-10-05
    """
    on = on_date.date() if on_date else None
    with user_errors():
        frame = chosen(frame_name, on, _to_stderr)
    judged = verdict(frame, on, ignore_window=False)
    if judged.status is None:
        click.echo(_(ANY_DAY).format(name=frame.name))
        return
    instead = elsewhere(frame, user_frames(), on) if judged.closed else []
    # this command has no --ignore-window: the advice is to run framer apply with it
    click.echo(judged.said(instead, can_ignore=False))
    if judged.note:
        click.echo(judged.note)


@click.command(cls=TranslatedCommand)
@lang_option
@frame_option()
@file_option("-o", "--output", default=Path("framer-reminders.ics"), help="The calendar file to write.")
@date_option()
@ignore_window_option("Write the reminders even after the campaign has ended.")
def remind(frame_name: str | None, output: Path, on_date: datetime | None, ignore_window: bool) -> None:
    """Write a calendar file with two reminders: put the framed picture on, then switch back.

    The events are at 08:00 in the campaign's time zone, on its first day and on the day after it
    ends. Open the .ics file with Outlook, Google Calendar or your phone's calendar. A campaign that
    has ended gets no reminders (unless --ignore-window).

    \b
    Examples:
      framer remind -o nhac-viec.ics        # the campaign running today (or your default frame)
      framer remind --frame dx-2023 -o nhac-viec.ics
    """
    from ..files import check_target, write_atomic
    from ..frames.remind import looks_like_reminders, reminders

    on = on_date.date() if on_date else None
    with user_errors():
        frame = chosen(frame_name, on, _to_stderr)
        judged = verdict(frame, on, ignore_window)
        if judged.status is None:
            raise click.UsageError(
                _("the frame {name} has no campaign, so there is nothing to remind of").format(
                    name=frame.name
                )
            )
        c = judged.status.campaign
        if judged.closed:
            raise CampaignClosed(
                " ".join(
                    [
                        judged.status.ended(frame.title),
                        _("Nothing was written: its reminders are past."),
                        *elsewhere(frame, user_frames(), on),
                        _("To write them anyway, add --ignore-window."),
                    ]
                )
            )
        check_target(output, frame.protected(), ours=looks_like_reminders)
        write_atomic(output, reminders(frame.title, c), overwrite=True)
    click.echo(
        _("Wrote {path}: put the framed picture on {start}, switch back on {back}").format(
            path=output, start=day(c.start), back=day(c.end + timedelta(days=1))
        )
    )


def _to_stderr(line: str) -> None:
    """Which frame is used, and why, said on stderr (stdout is the command's answer)."""
    click.echo(line, err=True)
