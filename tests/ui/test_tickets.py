"""The Tickets section through the keyboard: the list, a ticket, the ladder, actions, log, close."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from desta_tui.db.database import current_database
from desta_tui.services import tickets as svc
from desta_tui.ui.app import DestaApp
from desta_tui.ui.forms.fields import FormField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.screens.tickets.ticket_screen import TicketScreen
from desta_tui.ui.screens.tickets.tickets_screen import TicketsScreen
from desta_tui.ui.widgets.record_table import RecordTable


def cells(table: RecordTable) -> list[tuple[str, ...]]:
    return [row.cells for row in table.rows]


async def open_tickets(pilot) -> TicketsScreen:
    await pilot.pause()
    await pilot.press("5")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TicketsScreen)
    return screen


async def test_list_shows_live_tickets_soonest_due_and_focuses_the_table(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_tickets(pilot)
        table = screen.table
        assert app.focused is table
        assert cells(table) == [
            ("T-0001", "Westway Wellbeing Project",
             "Enrolments far below target since the tutor left",
             "Improvement plan", "Open", "16/11/2012", "due in 11 days")
        ]  # fmt: skip
        await pilot.press("c")
        await pilot.pause()
        assert [c[0] for c in cells(screen.table)] == ["T-0002", "T-0001"]
        assert cells(screen.table)[0][-1] == "Closed"
        await pilot.press("slash", *"church")
        await pilot.pause()
        assert [c[0] for c in cells(screen.table)] == ["T-0002"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is screen.table
        await pilot.press("c", "o")
        await pilot.pause()
        assert cells(screen.table) == []
        assert "No tickets match these filters" in screen.table.empty_message


async def test_overdue_in_words_and_the_overdue_filter(demo_db, monkeypatch):
    monkeypatch.setenv("DESTA_TODAY", "2012-11-20")
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_tickets(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert cells(screen.table)[0][-1] == "4 days overdue"
        assert screen.table.rows[0].style == "error"
        assert "overdue only" in str(screen.query_one("#tickets-filters").render())


async def test_filters_form_narrows_by_stage(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_tickets(pilot)
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#stage-input", Select).value = "remedial_action"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and cells(screen.table) == []
        assert "remedial action" in str(screen.query_one("#tickets-filters").render())


async def test_narrow_terminal_keeps_the_due_words(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tickets(pilot)
        assert screen.table.id == "tickets-table-narrow"
        assert cells(screen.table)[0][-1] == "due in 11 days"
        assert app.focused is screen.table


async def test_new_ticket_shows_errors_by_the_fields_and_keeps_the_typing(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_tickets(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#subject-input", Input).value = "Tutor off sick"
        form.query_one("#due-on-input", Input).value = "31/02/2013"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#field-provider", FormField).error.startswith("choose the provider")
        assert "February 2013 has 28 days" in form.query_one("#field-due-on", FormField).error
        assert form.query_one("#subject-input", Input).value == "Tutor off sick"
        provider = dict(svc.provider_choices())["Westway Wellbeing Project"]
        form.query_one("#provider-input", Select).value = provider
        form.query_one("#due-on-input", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "T-0003 opened, due 03/12/2012" in str(screen.query_one("#tickets-message").render())
        assert screen.table.current_key == svc.list_tickets()[-1].uuid or "T-0003" in [
            c[0] for c in cells(screen.table)]  # fmt: skip


async def test_climb_the_ladder_add_actions_log_and_close(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_tickets(pilot)
        await pilot.press("enter")
        await pilot.pause()
        ticket_screen = app.screen
        assert isinstance(ticket_screen, TicketScreen)
        assert "[Improvement plan]" in str(ticket_screen.query_one("#ticket-ladder").render())

        # up the ladder: a reason is asked for, and an empty one is refused
        await pilot.press("greater_than_sign")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Enter a reason" in str(app.screen.query_one("#reason-error").render())
        await pilot.press(*"Plan missed twice", "enter")
        await pilot.pause()
        assert app.screen is ticket_screen
        assert ticket_screen.ticket.stage == "remedial_action"
        events = ticket_screen.query_one("#ticket-events", RecordTable)
        assert events.rows[0].cells[2] == "Stage change"
        assert events.rows[0].cells[4] == "Improvement plan -> Remedial action: Plan missed twice"
        await pilot.press("less_than_sign", *"New manager in post", "enter")
        await pilot.pause()
        assert ticket_screen.ticket.stage == "improvement_plan"

        # a plan action with owner and due date; space ticks it done
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*"Weekly call with the manager", "tab", *"Rain Trust", "tab")
        await pilot.press(*"30/11/2012", "ctrl+s")
        await pilot.pause()
        actions = ticket_screen.query_one("#ticket-actions", RecordTable)
        assert app.focused is actions
        row = next(r for r in actions.rows if r.cells[1] == "Weekly call with the manager")
        assert row.cells[2:] == ("Rain Trust", "30/11/2012", "due in 25 days")
        actions.move_to_key(row.key)
        await pilot.press("space")
        await pilot.pause()
        done = next(r for r in actions.rows if r.key == row.key)
        assert done.cells[0] == "✓"

        # time spent: bad input is explained under the field and kept
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"an hour", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert "is not a time" in form.query_one("#field-minutes", FormField).error
        assert form.query_one("#minutes-input", Input).value == "an hour"
        form.query_one("#minutes-input", Input).value = "1h30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is ticket_screen
        assert events.rows[0].cells[2:4] == ("Time spent", "1 h 30 min")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Spoke to the trustees")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert events.rows[0].cells[4] == "Spoke to the trustees"

        # close: the outcome is required
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "say what came of the support" in form.query_one("#field-outcome", FormField).error
        form.query_one("#outcome-input", TextArea).text = "Tutor in post; courses running"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is ticket_screen
        assert ticket_screen.ticket.status == "closed"
        assert ticket_screen.ticket.outcome == "Tutor in post; courses running"
        assert events.rows[0].cells[4] == "Open -> Closed: Tutor in post; courses running"
        assert ticket_screen.check_action("stage_up", ()) is None  # reopen first

        await pilot.press("h")
        await pilot.pause()
        history = ticket_screen.query_one("#history-table", RecordTable)
        assert app.focused is history and history.row_count > 0

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TicketsScreen)
        assert cells(app.screen.table) == []  # closed: off the live list


async def test_archive_and_undo_from_the_list(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_tickets(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert cells(screen.table) == []
        assert "archived: u brings it back" in str(screen.query_one("#tickets-message").render())
        await pilot.press("u")
        await pilot.pause()
        assert [c[0] for c in cells(screen.table)] == ["T-0001"]


async def test_palette_opens_a_ticket(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"T-0001 Enrolments")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.current_mode == "tickets"
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.ticket.reference == "T-0001"
