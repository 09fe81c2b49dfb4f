"""Snapshots of the returns grid (with a bad cell), the performance view and the dashboard, at
120x36; the grid (scrolled to its Check column) and the dashboard at 80x24 too (#15)."""

from __future__ import annotations

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp

SIZE = (120, 36)
NARROW = (80, 24)


def test_returns_grid_with_a_failed_check(demo_db, snap_compare):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("g", "9", "right", "7", "right", "1", "2")  # 12 BME of 9 enrolled
        await pilot.pause()

    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_performance_view(demo_db, snap_compare):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("4", "v", "g")
        await pilot.pause()

    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_dashboard(demo_db, snap_compare):
    async def run_before(pilot) -> None:
        await pilot.pause()

    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_dashboard_80x24(demo_db, snap_compare):
    async def run_before(pilot) -> None:
        await pilot.pause()

    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)


def test_returns_grid_80x24_scrolled_to_check(demo_db, snap_compare):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("g", "9", "right", "7", "right", "1", "2")  # 12 BME of 9 enrolled
        await pilot.press("right", "right", "right")  # the last metric: Check comes into view
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()

    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)
