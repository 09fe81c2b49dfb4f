"""Snapshots of the tickets list and of ticket T-0001, at 120x36 and 80x24 (#15) on the demo
data (05/11/2012)."""

from __future__ import annotations

import time

import pytest

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch):
    """The log shows local times: pin the zone so the pictures match on any machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def _to_tickets(pilot) -> None:
    await pilot.pause()
    await pilot.press("5")
    await pilot.pause()


async def _tickets_list(pilot) -> None:
    await _to_tickets(pilot)
    await pilot.press("c")  # the closed ticket too, dimmed
    await pilot.pause()


async def _ticket_t0001(pilot) -> None:
    await _to_tickets(pilot)
    await pilot.press("enter")
    await pilot.pause(0.3)


def test_tickets_list(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=_tickets_list)


def test_tickets_list_80x24(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(80, 24), run_before=_tickets_list)


def test_ticket_t0001(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=_ticket_t0001)


def test_ticket_t0001_80x24(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ticket_t0001)


def test_ticket_plan_actions(demo_db, snap_compare):
    async def run_before(pilot) -> None:
        await _to_tickets(pilot)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("p")
        await pilot.pause()

    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
