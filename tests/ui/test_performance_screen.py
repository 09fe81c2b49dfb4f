"""Section 4 by keyboard: type a month of returns, hit each check, lock a month and correct it."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from desta_tui.db.database import current_database
from desta_tui.domain.periods import Period
from desta_tui.services import performance as perf
from desta_tui.ui.app import DestaApp
from desta_tui.ui.widgets.returns_grid import ReturnsGrid

OCT, SEP = Period(2012, 10), Period(2012, 9)
SIZE = (120, 36)


def eps_uuid() -> str:
    return perf.performance_contracts()[0].uuid


def message(app) -> str:
    return str(app.screen.query_one("#returns-message", Static).render())


async def open_grid(pilot) -> ReturnsGrid:
    await pilot.press("4")
    await pilot.pause()
    await pilot.press("g")
    await pilot.pause()
    grid = pilot.app.screen.query_one(ReturnsGrid)
    assert pilot.app.focused is grid
    return grid


async def test_type_a_month_of_returns_save_and_lock_it(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        assert grid.month.period == OCT
        # Church Street (first by name) has not sent October: type its return across the row
        await pilot.press("9", "right", "7", "right", "2", "right", "2", "right", "3")
        await pilot.pause()
        assert app.current_mode == "performance"  # digits typed in the grid switch nothing
        assert grid.is_dirty and "unsaved" in message(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "✓ Saved: 5 figures of Oct 2012 (5 new" in message(app)
        assert perf.missing_returns(eps_uuid(), OCT) == []
        row = perf.load_returns_grid(eps_uuid(), OCT).rows[0]
        assert row.values == {"enrolments": 9, "completions": 7, "bme_recruited": 2,
                              "bme_retained": 2, "deprived_wards": 3}  # fmt: skip
        assert row.entered_by == "test.officer"
        await pilot.press("l")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("y")
        await pilot.pause()
        assert perf.load_returns_grid(eps_uuid(), OCT).is_locked
        assert "locked" in message(app)
        title = str(app.screen.query_one("#returns-title", Static).render())
        assert "LOCKED" in title and "8 of 8 partners in" in title


async def test_each_check_is_shown_in_the_cell_and_blocks_the_save(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        church = grid.month.rows[0].partner_uuid

        async def cell_problem(code: str) -> str:
            await pilot.pause()
            return grid.problems.get(perf.cell_field(church, code), "")

        await pilot.press("-", "3")
        assert "negative" in await cell_problem("enrolments")
        assert "✗ Church Street Neighbourhood Trust, Enrolments: -3 is negative" in message(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved" in message(app)
        assert perf.missing_returns(eps_uuid(), OCT) == ["Church Street Neighbourhood Trust"]
        await pilot.press("backspace", "backspace", "2", ".", "5")
        assert "whole number" in await cell_problem("enrolments")
        await pilot.press("backspace", "backspace", "backspace", "1", "-", "2")
        assert "not a number" in await cell_problem("enrolments")
        await pilot.press("delete", "2", "right", "right", "3")  # enrolled 2, BME recruited 3
        assert "more than all enrolled" in await cell_problem("bme_recruited")
        await pilot.press("left", "left", "backspace", "9", "right", "right", "right", "4")
        assert "more than recruited" in await cell_problem("bme_retained")
        await pilot.press("backspace", "1", "left", "left", "4", "0")  # 40 completions
        assert "completions to date (123) exceed enrolments to date (116)" in await cell_problem(
            "completions"
        )
        # the cell and the row say it in words, not only in colour
        assert str(grid.get_cell(church, "completions")).startswith("✗ 40")
        assert str(grid.get_cell(church, "check")).startswith("✗ ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved" in message(app)
        assert grid.typed[church]["completions"] == "40"  # nothing typed is lost
        await pilot.press("backspace", "backspace", "7", "ctrl+s")
        await pilot.pause()
        assert "✓ Saved" in message(app)
        assert not grid.problems


async def test_a_locked_month_asks_for_a_correction_note(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        await pilot.press("left_square_bracket")  # September, locked
        await pilot.pause()
        assert grid.month.period == SEP and grid.month.is_locked
        white_city = grid.month.rows[-1]
        old = white_city.values["enrolments"]
        await pilot.press("g", "end")  # last partner by name: White City Health Circle
        for _ in range(len(grid.month.rows)):
            await pilot.press("down")
        await pilot.press(*str(old + 1), "enter", "ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReasonModal"
        await pilot.press("enter")  # an empty note is refused
        await pilot.pause()
        assert type(app.screen).__name__ == "ReasonModal"
        await pilot.press(*"late registrations", "enter")
        await pilot.pause()
        assert "Correction saved: 1 figure of Sep 2012" in message(app)
        lines = perf.figure_returns(eps_uuid(), "enrolments", white_city.partner_uuid)
        september = next(line for line in lines if line.period == SEP)
        assert september.value == old + 1
        assert september.corrections[0].note == "late registrations"


async def test_escape_with_unsaved_cells_asks_then_leaves_for_the_pickers(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        await pilot.press("1", "2", "enter")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert grid.is_dirty and app.focused is grid
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert not grid.is_dirty
        assert app.focused is app.screen.query_one("#perf-contract", Select)
        await pilot.press("1")  # out of the grid, digits switch sections again
        await pilot.pause()
        assert app.current_mode == "dashboard"


async def test_performance_view_drills_down_to_the_returns(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "v", "g")
        await pilot.pause()
        screen = app.screen
        figure = screen.highlighted_figure()
        assert figure is not None and figure.is_total and figure.metric_code == "enrolments"
        assert figure.percent == "83%"
        screen.show_figure(eps_uuid(), _partner("Westway Wellbeing Project"), "enrolments")
        await pilot.pause()
        figure = screen.highlighted_figure()
        assert figure.organisation_name == "Westway Wellbeing Project"
        assert figure.rag.label == "✗ Red"
        shown = str(screen.query_one("#perf-message", Static).render())
        assert "52 of 130 due (40%)" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "FigureReturnsModal"
        table = app.screen.query_one("#figure-returns")
        assert table.row_count == 13
        detail = str(app.screen.query_one("#figure-detail", Static).render())
        assert "October 2012" in detail and "entered by" in detail
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "PerformanceScreen"
        await pilot.press("slash", *"westway")
        await pilot.pause()
        assert screen.table.row_count == 6


def _partner(name: str) -> str:
    grid = perf.load_returns_grid(eps_uuid(), OCT)
    return next(r.partner_uuid for r in grid.rows if r.organisation_name == name)


async def test_targets_form_spreads_a_figure(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "t")
        await pilot.pause()
        assert type(app.screen).__name__ == "TargetsForm"
        form = app.screen
        form.query_one("#first-month-input", Input).value = "Oct 2013"
        form.query_one("#figure-input", Input).value = "abc"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "TargetsForm"
        assert "not a number" in form.query_one("#field-figure").error
        form.query_one("#figure-input", Input).value = "125"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PerformanceScreen"
        assert "Targets set: 12 months for 8 partners" in message(app)


async def test_settings_thresholds_change_the_status(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await pilot.pause()
        green = app.screen.query_one("#settings-rag-green", Input)
        amber = app.screen.query_one("#settings-rag-amber", Input)
        assert (green.value, amber.value) == ("95%", "80%")
        green.value, amber.value = "70", "80"
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = str(app.screen.query_one("#settings-message", Static).render())
        assert "Not saved" in shown and "must not be above" in shown
        assert green.value == "70"  # the typing stays
        amber.value = "35"
        await pilot.press("ctrl+s")
        await pilot.pause()
        rows = perf.contract_performance(eps_uuid()).rows
        westway = next(r for r in rows if r.organisation_name.startswith("Westway")
                       and r.metric_code == "enrolments")  # fmt: skip
        assert westway.rag.label == "! Amber"
