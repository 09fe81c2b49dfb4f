"""Snapshots of the meetings list and of the October SMG's agenda, at 120x36 on the demo data
(05/11/2012)."""

from __future__ import annotations

import time

import pytest

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch):
    """Pin the zone so the pictures match on any machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def _to_meetings(pilot) -> None:
    await pilot.pause()
    await pilot.press("6")
    await pilot.pause()


def test_meetings_list(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=_to_meetings)


def test_meeting_agenda(demo_db, snap_compare):
    async def run_before(pilot) -> None:
        await _to_meetings(pilot)
        await pilot.press("down", "down", "down", "enter")  # the SMG of 09/10/2012, held
        await pilot.pause(0.3)

    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
