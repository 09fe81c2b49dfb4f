"""One contract through the keyboard: tabs, partners with the gate and reallocation, stages,
commissioner contacts, history and the command palette."""

from __future__ import annotations

from textual.widgets import Static

from desta_tui.db.database import current_database
from desta_tui.services import contracts
from desta_tui.services.audit import record_history
from desta_tui.ui.app import DestaApp
from desta_tui.ui.forms.fields import FormField
from desta_tui.ui.screens.contracts.contract_form import ContractForm
from desta_tui.ui.screens.contracts.contract_screen import ContractScreen
from desta_tui.ui.screens.contracts.partner_form import PartnerForm
from desta_tui.ui.screens.contracts.stage_form import StageForm
from desta_tui.ui.widgets.confirm_modal import ConfirmModal, ReasonModal
from desta_tui.ui.widgets.history_view import HistoryView
from desta_tui.ui.widgets.record_table import RecordTable


def table(app, selector: str) -> RecordTable:
    return app.screen.query_one(selector, RecordTable)


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def contract_uuid(title: str) -> str:
    return next(row.uuid for row in contracts.list_contracts() if row.title == title)


async def open_contract(pilot, title: str) -> None:
    await pilot.pause()
    await pilot.press("3", "slash", *title, "enter", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ContractScreen)
    assert pilot.app.screen.detail.title == title


async def choose(pilot, typed: str) -> None:
    await pilot.press("enter", *typed)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_tabs_move_with_arrows_and_show_the_contract(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_contract(pilot, "Expert Patient Service")
        details = text(app, "#contract-details")
        assert "NHS Inner North West London PCTs" in details
        assert "£590,000 allocated of £670,000: £80,000 left" in details
        assert "Support provider:" in details and "Rain Trust" in details
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.active_tab == "tab-partners"
        assert app.focused is table(app, "#partners-table")
        partners = table(app, "#partners-table").rows
        assert len(partners) == 9
        golborne = next(r for r in partners if r.cells[0].startswith("Golborne"))
        assert golborne.cells[4] == "Insurance expired 16 days ago"
        await pilot.press("right")
        await pilot.pause()
        stages = table(app, "#stages-table").rows
        assert [row.cells[2] for row in stages][0] == "In delivery"
        await pilot.press("right")
        await pilot.pause()
        assert "13 days ago" in text(app, "#contacts-summary")
        await pilot.press("left", "left", "left")
        await pilot.pause()
        assert app.screen.active_tab == "tab-details"


async def test_adding_a_partner_without_papers_asks_for_an_override(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_contract(pilot, "Expert Patient Service")
        await pilot.press("right", "n")
        await pilot.pause()
        assert isinstance(app.screen, PartnerForm)
        await choose(pilot, "Pim")
        await pilot.press("tab", "tab", *"10,000", "tab", *"west", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReasonModal)
        assert "no quality mark on file" in app.screen.question
        # escape: back to the form, nothing saved, the message under the organisation
        await pilot.press("escape")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PartnerForm)
        assert "no quality mark" in form.query_one("#field-organisation", FormField).error
        assert form.query_one("#field-allocated-value", FormField).raw == "10,000"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"Assessment booked for 20/11/2012", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContractScreen)
        rows = table(app, "#partners-table").rows
        assert len(rows) == 10
        pimlico = next(r for r in rows if r.cells[0] == "Pimlico Healthy Living Club")
        assert pimlico.cells[2:5] == (
            "£10,000",
            "Westminster",
            "No quality mark on file (overridden)",
        )
        assert "£70,000 left" in text(app, "#partners-summary")
        history = record_history(pimlico.key)
        assert any(e.field == "compliance_override_reason" for e in history)


async def test_a_partner_joining_late_gets_its_own_start_date(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_contract(pilot, "Expert Patient Service")
        await pilot.press("right")
        await pilot.pause()
        assert [c.key for c in table(app, "#partners-table").columns][-1] == "papers"
        await pilot.press("n")
        await pilot.pause()
        await choose(pilot, "Padd")
        await pilot.press("tab", "tab", *"10,000", "tab", *"west", "tab", *"30/09/2011")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PartnerForm)
        starts = form.query_one("#field-starts-on", FormField)
        assert "before the contract starts (01/10/2011 to 30/09/2013)" in starts.error
        assert "blank: the contract's end (30/09/2013)" in str(
            form.query_one("#field-ends-on", FormField).placeholder
        )
        starts.focus_input()
        await pilot.press("ctrl+u", *"today", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractScreen)
        partners = table(app, "#partners-table")
        assert [c.key for c in partners.columns][-1] == "term"
        paddington = next(r for r in partners.rows if r.cells[0].startswith("Paddington"))
        assert paddington.cells[-1] == "from 05/11/2012"
        assert {r.cells[-1] for r in partners.rows if r is not paddington} == {"contract's"}


async def test_over_allocation_is_shown_under_the_amount(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_contract(pilot, "Expert Patient Service")
        await pilot.press("right", "n")
        await pilot.pause()
        await choose(pilot, "Padd")
        await pilot.press("tab", "tab", *"90,000", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PartnerForm)
        amount = form.query_one("#field-allocated-value", FormField)
        assert "over-allocated by £10,000" in amount.error
        assert "£80,000 is left" in amount.error
        assert app.focused is amount.input_widget


async def test_reallocation_in_delivery_asks_why_and_is_audited(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_contract(pilot, "Expert Patient Service")
        await pilot.press("right")
        await pilot.pause()
        partners = table(app, "#partners-table")
        westway = next(r for r in partners.rows if r.cells[0] == "Westway Wellbeing Project")
        partners.move_to_key(westway.key)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PartnerForm)
        await pilot.press("tab", "ctrl+u", *"40,000", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReasonModal)
        await pilot.press("enter")  # an empty reason is refused
        await pilot.pause()
        assert isinstance(app.screen, ReasonModal)
        await pilot.press(*"Two courses moved to White City", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContractScreen)
        row = next(r for r in partners.rows if r.key == westway.key)
        assert row.cells[2] == "£40,000"
        history = record_history(westway.key)
        change = next(e for e in history if e.field == "allocated_value_pence")
        assert (change.old_value, change.new_value) == ("£55,000.00", "£40,000.00")
        reason = next(e for e in history if e.field == "reallocation_reason")
        assert reason.new_value == "Two courses moved to White City"
        # the History tab shows it
        await pilot.press("right", "right", "right")
        await pilot.pause()
        view = app.screen.query_one(HistoryView)
        assert any(entry.field == "reallocation_reason" for entry in view.entries)


async def test_moving_a_stage_back_needs_a_reason_next_to_the_field(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_contract(pilot, "Carers' Support Hub")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, StageForm)
        await choose(pilot, "Prep")
        await pilot.press("ctrl+s")
        await pilot.pause()
        reason = app.screen.query_one("#field-reason", FormField)
        assert "back to Preparing tender needs a reason" in reason.error
        assert app.focused is reason.input_widget
        await pilot.press(*"Commissioner asked for a revised bid", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractScreen)
        assert app.screen.detail.stage == "preparing_tender"
        await pilot.press("right", "right")
        await pilot.pause()
        newest = table(app, "#stages-table").rows[0]
        assert newest.cells[1:3] == ("Submitted", "Preparing tender  (back)")
        assert newest.cells[4] == "Commissioner asked for a revised bid"


async def test_contract_form_stage_back_asks_in_a_dialog(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_contract(pilot, "Carers' Support Hub")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ContractForm)
        for _ in range(4):
            await pilot.press("tab")
        await choose(pilot, "Dia")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReasonModal)
        await pilot.press(*"Procurement cancelled; back to talks", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContractScreen)
        history = contracts.stage_history(contract_uuid("Carers' Support Hub"))
        assert history[-1].to_stage == "dialogue"
        assert history[-1].reason == "Procurement cancelled; back to talks"


async def test_logging_a_commissioner_contact_clears_the_overdue_flag(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_contract(pilot, "Long-term Conditions Peer Support")
        assert "OVERDUE" in text(app, "#contract-details")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("tab")
        await choose(pilot, "Phone")
        await pilot.press("tab", *"Head of commissioning", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractScreen)
        assert "OVERDUE" not in text(app, "#contract-details")
        await pilot.press("right", "right", "right")
        await pilot.pause()
        first = table(app, "#contacts-table").rows[0]
        assert first.cells[:3] == ("05/11/2012", "Phone call", "Head of commissioning")
        assert "0 days ago" in text(app, "#contacts-summary")


async def test_archive_a_partner_and_undo(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_contract(pilot, "Expert Patient Service")
        await pilot.press("right", "end", "a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert len(table(app, "#partners-table").rows) == 8
        assert "£135,000 left" in text(app, "#partners-summary")
        await pilot.press("u")
        await pilot.pause()
        assert len(table(app, "#partners-table").rows) == 9


async def test_palette_opens_a_contract_by_title(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"Open contract: Young Carers")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "contracts"
        assert isinstance(app.screen, ContractScreen)
        assert app.screen.detail.title == "Young Carers' Short Breaks"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ContractsScreen"
