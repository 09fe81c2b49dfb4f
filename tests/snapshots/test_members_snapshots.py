"""Snapshots of the members list, an organisation's compliance tab and a form showing an error,
at 120x36 on the demo data with today frozen at 05/11/2012 and times shown in London; the list
and the organisation at 80x24 too (#15)."""

from __future__ import annotations

import time

import pytest

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setenv("DESTA_TODAY", "2012-11-05")
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def _to_members(pilot) -> None:
    await pilot.pause()
    await pilot.press("2")
    await pilot.pause()


async def _members_list(pilot) -> None:
    await _to_members(pilot)
    await pilot.press("c", "down", "enter")  # Desta only
    await pilot.pause()
    await pilot.press("s", "s", "s", "s", "s")  # sorted by compliance: the worst first
    await pilot.pause()


async def _westway_compliance(pilot) -> None:
    await _to_members(pilot)
    await pilot.press("slash", *"westway", "enter", "enter")
    await pilot.pause(0.3)
    await pilot.press("p")
    await pilot.pause(0.3)


def test_members_list(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=_members_list)


def test_members_list_80x24(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(80, 24), run_before=_members_list)


def test_organisation_compliance_tab(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=_westway_compliance)


def test_organisation_compliance_tab_80x24(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(80, 24), run_before=_westway_compliance)


def test_organisation_form_with_errors(demo_db, snap_compare):
    async def run_before(pilot) -> None:
        await _to_members(pilot)
        await pilot.press("n")
        await pilot.pause(0.3)
        await pilot.press(*"rain trust")
        for _ in range(7):
            await pilot.press("tab")
        await pilot.press(*"W6 9XX9", "ctrl+s")
        await pilot.pause(0.3)

    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
