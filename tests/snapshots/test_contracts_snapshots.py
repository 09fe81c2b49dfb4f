"""Snapshots of the contracts list, the pipeline and the Expert Patient Service's partners tab,
at 120x36 on the demo data (its own today: 05/11/2012); the list and the partners tab at 80x24
too (#15)."""

from __future__ import annotations

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp


async def _to_contracts(pilot) -> None:
    await pilot.pause()
    await pilot.press("3")
    await pilot.pause()


def test_contracts_list(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=_to_contracts)


def test_contracts_pipeline(demo_db, snap_compare):
    async def run_before(pilot) -> None:
        await _to_contracts(pilot)
        await pilot.press("p")
        await pilot.pause()

    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


async def _partners_tab(pilot) -> None:
    await _to_contracts(pilot)
    await pilot.press("slash", *"expert", "enter", "enter")
    await pilot.pause(0.3)
    await pilot.press("right")
    await pilot.pause(0.3)


def test_contract_partners_tab(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(120, 36), run_before=_partners_tab)


def test_contracts_list_80x24(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(80, 24), run_before=_to_contracts)


def test_contract_partners_tab_80x24(demo_db, snap_compare):
    app = DestaApp(database=current_database())
    assert snap_compare(app, terminal_size=(80, 24), run_before=_partners_tab)
