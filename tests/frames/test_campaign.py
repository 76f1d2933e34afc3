"""The campaign window, in the campaign's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from framer.frames.campaign import Campaign, Phase

DX = Campaign(date(2023, 10, 1), date(2023, 10, 10), "Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("on", "phase"),
    [
        (date(2023, 9, 30), Phase.BEFORE),
        (date(2023, 10, 1), Phase.DURING),
        (date(2023, 10, 10), Phase.DURING),
        (date(2023, 10, 11), Phase.AFTER),
    ],
)
def test_phase_on_the_edges_of_the_window(on: date, phase: Phase) -> None:
    assert DX.status(on).phase is phase


def test_today_is_vietnams_date_not_utcs() -> None:
    # 17:30 UTC on 10 October is 00:30 on 11 October in Hanoi: the campaign is over there.
    late = datetime(2023, 10, 10, 17, 30, tzinfo=UTC)
    assert DX.today(late) == date(2023, 10, 11)
    assert DX.status(DX.today(late)).phase is Phase.AFTER
    # 23:30 UTC on 30 September is already 1 October in Hanoi: day 1.
    early = datetime(2023, 9, 30, 23, 30, tzinfo=UTC)
    assert DX.status(DX.today(early)).day_number == 1


def test_messages_say_what_to_do() -> None:
    before = DX.status(date(2023, 9, 28)).message("dx-2023")
    assert "in 3 days" in before and "from 2023-10-01" in before
    during = DX.status(date(2023, 10, 4)).message("dx-2023")
    assert "day 4 of 10" in during and "2023-10-11" in during
    assert "the last day" in DX.status(date(2023, 10, 10)).message("dx-2023")
    after = DX.status(date(2024, 1, 1)).message("dx-2023")
    assert "2023-10-01 to 2023-10-10" in after and "--ignore-window" in after
