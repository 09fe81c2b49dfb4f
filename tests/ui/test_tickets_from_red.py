"""A support ticket from a red figure, by keyboard: on the dashboard and in the performance view."""

from __future__ import annotations

from desta_tui.db.database import current_database
from desta_tui.services import tickets as svc
from desta_tui.ui.app import DestaApp
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.screens.tickets.ticket_screen import TicketScreen
from desta_tui.ui.widgets.confirm_modal import ConfirmModal


async def test_dashboard_red_line_offers_the_open_ticket_then_a_new_one(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.3)
        screen = app.screen
        while (line := screen.highlighted_line()) is not None and line.area != "✗ Red":
            await pilot.press("down")
        figure = screen.highlighted_figure()
        assert figure.organisation_name == "Westway Wellbeing Project"
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)  # T-0001 already covers Westway
        assert "T-0001 is already open" in app.screen.question
        await pilot.press("y")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TicketScreen) and app.current_mode == "tickets"
        assert app.screen.ticket.reference == "T-0001"

        await pilot.press("1")
        await pilot.pause(0.3)
        await pilot.press("T", "n")  # the same red line: a new ticket anyway
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values()["subject"].startswith(f"{figure.metric_name} behind target")
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TicketScreen)
        ticket = app.screen.ticket
        assert (ticket.reference, ticket.provider_name) == ("T-0003", "Westway Wellbeing Project")
        assert ticket.support_provider_name == "Rain Trust"
        assert [m.code for m in ticket.metrics] == [figure.metric_code]


async def test_performance_view_red_figure_opens_a_filled_in_ticket(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("4")
        await pilot.pause(0.3)
        await pilot.press("v", "g", "slash", *"Polish", "enter")
        await pilot.pause(0.3)
        screen = app.screen
        for _ in range(12):
            figure = screen.highlighted_figure()
            if figure is not None and figure.metric_code == "completions":
                break
            await pilot.press("down")
        assert figure.rag.rag.word == "Red"
        await pilot.press("T")
        await pilot.pause(0.3)
        form = app.screen
        assert isinstance(form, FormScreen)  # nothing open for this one: straight to the form
        values = form.values()
        assert values["priority"] == "high" and values["due_on"] == "19/11/2012"
        assert "82 of 104" in values["description"]
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.ticket.provider_name == figure.organisation_name
        assert len(svc.list_tickets()) == 2


async def test_a_green_figure_opens_no_ticket(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("T")  # the first dashboard line is a contracts count
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert len(svc.list_tickets()) == 1
