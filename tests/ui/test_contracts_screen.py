"""The Contracts section through the keyboard: the list, its filters, the pipeline, the forms."""

from __future__ import annotations

from textual.widgets import Input

from desta_tui.db.database import current_database
from desta_tui.services import contracts
from desta_tui.ui.app import DestaApp
from desta_tui.ui.forms.fields import FormField
from desta_tui.ui.screens.contracts.contract_form import ContractForm
from desta_tui.ui.screens.contracts.contract_screen import ContractScreen
from desta_tui.ui.screens.contracts.contracts_screen import ContractsScreen
from desta_tui.ui.widgets.confirm_modal import ConfirmModal
from desta_tui.ui.widgets.record_table import RecordTable


def table(app, selector: str = "#contracts-list") -> RecordTable:
    return app.screen.query_one(selector, RecordTable)


def titles(app) -> list[str]:
    return [row.cells[0] for row in table(app).rows]


def status(app) -> str:
    return str(app.screen.query_one("#contracts-status").render())


async def open_section(pilot) -> None:
    await pilot.pause()
    await pilot.press("3")
    await pilot.pause()


async def test_section_three_lists_contracts_with_the_table_focused(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(pilot)
        assert isinstance(app.screen, ContractsScreen)
        assert app.focused is table(app)
        assert len(titles(app)) == 8
        row = next(r for r in table(app).rows if r.cells[0] == "Expert Patient Service")
        assert row.cells[1:5] == ("In delivery", "£670,000", "£337,600", "30/09/2013")
        assert row.cells[7] == "H&F, K&C, Westminster"
        assert "8 contracts" in status(app)
        # 1..8 still switch sections from the list
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "dashboard"


async def test_filter_as_you_type_and_escape_clears(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(pilot)
        await pilot.press("slash", *"westminster")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert sorted(titles(app)) == [
            "Carers' Support Hub",
            "Expert Patient Service",
            "Long-term Conditions Peer Support",
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert len(titles(app)) == 8
        assert app.focused is table(app)
        # a digit typed in the filter is typed, not a section switch
        await pilot.press("slash", "2")
        await pilot.pause()
        assert app.current_mode == "contracts"
        assert table(app).empty_message == "No contracts match '2'"


async def test_stage_filter_cycles_and_sort_orders_by_value(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert "Dialogue with commissioner" in status(app)
        assert {row.cells[1] for row in table(app).rows} == {"Dialogue"}
        assert len(titles(app)) == 3
        await pilot.press("F")
        await pilot.pause()
        assert len(titles(app)) == 8
        await pilot.press("F")  # back past "all" to the archived ones
        await pilot.pause()
        assert "archived contracts" in status(app) and titles(app) == []
        await pilot.press("f", "s", "s", "s")  # all again; sort by title, stage, total
        await pilot.pause()
        assert table(app).sort_column == "total"
        totals = [row.cells[2] for row in table(app).rows]
        assert totals[0] == "£96,000" and totals[-1] == "£670,000"


async def test_pipeline_shows_stages_deadlines_and_lists_a_stage(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(pilot)
        await pilot.press("p")
        await pilot.pause()
        stages = table(app, "#pipeline-table").rows
        assert [row.cells[0] for row in stages][:2] == [
            "Dialogue with commissioner",
            "Preparing tender",
        ]
        assert stages[0].cells[1:3] == ("3", "£840,000")
        deadlines = table(app, "#deadlines-table").rows
        assert [row.cells[3] for row in deadlines] == [
            "Young Carers' Short Breaks",
            "Adult Social Care Prevention Services",
        ]
        overdue = [row.cells[0] for row in table(app, "#overdue-table").rows]
        assert overdue == ["White City Work Clubs", "Long-term Conditions Peer Support"]
        # enter on a stage lists that stage
        await pilot.press("down", "enter")
        await pilot.pause()
        assert sorted(titles(app)) == [
            "Adult Social Care Prevention Services",
            "Young Carers' Short Breaks",
        ]
        assert app.focused is table(app)


async def test_enter_on_a_deadline_opens_the_contract(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(pilot)
        await pilot.press("p", "tab")
        await pilot.pause()
        assert app.focused is table(app, "#deadlines-table")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContractScreen)
        assert app.screen.detail.title == "Young Carers' Short Breaks"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContractsScreen)


async def choose(pilot, text: str) -> None:
    """In a focused Select: open it, type to find the option, take it."""
    await pilot.press("enter", *text)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_new_contract_through_the_form(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ContractForm)
        await pilot.press(*"Stroke Recovery Befriending", "tab", "tab")
        await choose(pilot, "NHS")
        await pilot.press("tab")
        await choose(pilot, "Desta")
        await pilot.press("tab", "tab", *"120,000", "tab", *"60000", "tab", *"1/4/13")
        await pilot.press("tab", *"31/3/2015", "tab", "tab", "tab", "tab", *"ealing, brent")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractsScreen), app.screen.query_one("#form-message")
        assert table(app).current_row.cells[0] == "Stroke Recovery Befriending"
        saved = next(r for r in contracts.list_contracts() if r.title.startswith("Stroke"))
        assert saved.total_value_pence == 120_000_00 and saved.boroughs == ("Brent", "Ealing")
        assert saved.commissioner_name == "NHS Inner North West London PCTs"


async def test_bad_input_shows_next_to_the_field_and_keeps_the_typing(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(pilot)
        await pilot.press("n", *"Lunch Clubs", "tab", "tab")
        await choose(pilot, "Ham")
        await pilot.press("tab")
        await choose(pilot, "Valens")
        await pilot.press("tab", "tab", *"12k", "tab", "tab", *"31/02/2013")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContractForm)
        total = form.query_one("#field-total-value", FormField)
        assert "without 'k'" in total.error
        assert total.raw == "12k"
        starts = form.query_one("#field-starts-on", FormField)
        assert "February 2013 has 28 days" in starts.error
        assert form.query_one("#field-title", FormField).raw == "Lunch Clubs"
        assert app.focused is total.input_widget  # the first bad field
        # put it right and save
        await pilot.press("ctrl+u", *"12,000")
        await pilot.press("tab", "tab", "ctrl+u", *"1/3/2013", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractsScreen)
        assert "Lunch Clubs" in titles(app)


async def test_escape_on_a_changed_form_asks_first(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(pilot)
        await pilot.press("e", "end", *" (phase 2)", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ContractForm)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, ContractsScreen)
        assert not any(title.endswith("(phase 2)") for title in titles(app))


async def test_archive_asks_and_u_brings_it_back(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(pilot)
        first = titles(app)[0]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert first in titles(app)
        await pilot.press("a", "y")
        await pilot.pause()
        assert first not in titles(app)
        assert len(contracts.list_contracts(archived=True)) == 1
        await pilot.press("u")
        await pilot.pause()
        assert first in titles(app)
        assert table(app).current_row.cells[0] == first
