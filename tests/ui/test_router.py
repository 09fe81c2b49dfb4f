"""Navigation messages and the router: posting OpenRecord, OpenSection or OpenView from anywhere
shows the right screen in the right section, with escape going back to that section's list."""

from __future__ import annotations

import pytest

from desta_tui.db.database import current_database
from desta_tui.services import contracts, members, tickets
from desta_tui.ui.app import DestaApp
from desta_tui.ui.messages import OpenRecord, OpenSection, OpenView
from desta_tui.ui.screens.common.help_screen import HelpScreen
from desta_tui.ui.screens.contracts.contract_screen import ContractScreen
from desta_tui.ui.screens.contracts.contracts_screen import ContractsScreen
from desta_tui.ui.screens.members.compliance_screen import ComplianceScreen
from desta_tui.ui.screens.members.members_screen import MembersScreen
from desta_tui.ui.screens.members.organisation_screen import OrganisationScreen
from desta_tui.ui.screens.tickets.ticket_screen import TicketScreen
from desta_tui.ui.screens.tickets.tickets_screen import TicketsScreen
from desta_tui.ui.widgets.record_table import RecordTable

SIZE = (120, 36)


async def navigate(pilot, message) -> None:
    """Post `message` as a screen would, and wait until the router has carried it out."""
    pilot.app.post_message(message)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def organisation_uuid(name: str) -> str:
    return next(found.uuid for found in members.find_organisations(name) if found.name == name)


def contract_uuid(title: str) -> str:
    return next(choice.uuid for choice in contracts.contract_choices() if choice.label == title)


def ticket_uuid(reference: str) -> str:
    rows = tickets.list_tickets(tickets.TicketFilter(status="all"))
    return next(row.uuid for row in rows if row.reference == reference)


async def test_open_record_shows_an_organisation_a_contract_and_a_ticket(demo_db):
    rain_trust = organisation_uuid("Rain Trust")
    expert_patients = contract_uuid("Expert Patient Service")
    first_ticket = ticket_uuid("T-0001")
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.current_mode == "dashboard"

        await navigate(pilot, OpenRecord("organisation", rain_trust))
        assert app.current_mode == "members"
        assert isinstance(app.screen, OrganisationScreen) and app.screen.uuid == rain_trust
        assert app.screen.detail.name == "Rain Trust"

        await navigate(pilot, OpenRecord("contract", expert_patients))
        assert app.current_mode == "contracts"
        assert isinstance(app.screen, ContractScreen)
        assert app.screen.contract_uuid == expert_patients
        assert app.screen.detail.title == "Expert Patient Service"

        await navigate(pilot, OpenRecord("ticket", first_ticket))
        assert app.current_mode == "tickets"
        assert isinstance(app.screen, TicketScreen) and app.screen.ticket.reference == "T-0001"

        # each record sits on its own section's list: escape lands there
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TicketsScreen)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, ContractScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContractsScreen)
        await pilot.press("2", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)


async def test_an_organisation_opens_on_the_tab_and_row_asked_for(demo_db):
    rain_trust = organisation_uuid("Rain Trust")
    contact = members.list_contacts(rain_trust)[-1]
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await navigate(
            pilot, OpenRecord("organisation", rain_trust, tab="contacts", highlight=contact.uuid)
        )
        screen = app.screen
        assert isinstance(screen, OrganisationScreen) and screen.active_tab == "contacts"
        assert screen.query_one("#contacts-table", RecordTable).current_key == contact.uuid


async def test_one_ticket_open_at_a_time(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await navigate(pilot, OpenRecord("ticket", ticket_uuid("T-0001")))
        await navigate(pilot, OpenRecord("ticket", ticket_uuid("T-0002")))
        assert app.screen.ticket.reference == "T-0002"
        assert [type(s) for s in app.screen_stack] == [TicketsScreen, TicketScreen]


async def test_open_section_with_a_stage_narrows_the_list(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await navigate(pilot, OpenRecord("ticket", ticket_uuid("T-0001")))
        await navigate(pilot, OpenSection("tickets", stage="improvement_plan"))
        screen = app.screen
        assert isinstance(screen, TicketsScreen)  # the open ticket closed, the list shows
        assert screen.wanted.stage == "improvement_plan"
        assert [row.reference for row in screen.rows] == ["T-0001"]

        await navigate(pilot, OpenSection("contracts", stage="in_delivery"))
        screen = app.screen
        assert isinstance(screen, ContractsScreen) and screen.stage_filter == "in_delivery"
        titles = [row.cells[0] for row in screen.list_table.rows]
        assert titles == ["Expert Patient Service"]


async def test_open_view_shows_the_expiring_papers_in_members(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await navigate(pilot, OpenView("compliance"))
        assert app.current_mode == "members" and isinstance(app.screen, ComplianceScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)


async def test_nothing_but_help_opens_before_the_database_is_open(tmp_path):
    app = DestaApp(target=str(tmp_path / "missing-folder" / "x.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await navigate(pilot, OpenSection("members"))
        await navigate(pilot, OpenView("import"))
        assert type(app.screen).__name__ == "StartScreen"
        await navigate(pilot, OpenView("help"))
        assert isinstance(app.screen, HelpScreen)


def test_a_message_names_only_what_the_router_knows():
    with pytest.raises(ValueError):
        OpenRecord("invoice", "x")  # meetings are records now (#17)
    with pytest.raises(ValueError):
        OpenSection("dashboard", stage="in_delivery")  # only contracts and tickets have stages
    with pytest.raises(ValueError):
        OpenView("nowhere")


async def test_open_record_shows_a_meeting_over_the_meetings_list(demo_db):
    from desta_tui.services.meetings import list_meetings
    from desta_tui.ui.screens.meetings.meeting_screen import MeetingScreen
    from desta_tui.ui.screens.meetings.meetings_screen import MeetingsScreen

    board = next(row for row in list_meetings() if row.body == "board")
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await navigate(pilot, OpenRecord("meeting", board.uuid))
        assert app.current_mode == "meetings"
        assert isinstance(app.screen, MeetingScreen) and app.screen.detail.uuid == board.uuid
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)
