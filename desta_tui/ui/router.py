"""The router: the one place where a navigation message (desta_tui/ui/messages.py) becomes a
screen. Screens post messages; only this module knows which screen shows a record or a view.

Screens are imported when first wanted, as the sections are, so start-up loads none of them.
"""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen

from desta_tui.ui.messages import (
    Navigate,
    OpenPerformance,
    OpenRecord,
    OpenSection,
    OpenView,
    StartTicket,
)

__all__ = ["NAVIGATE_GROUP", "route"]

NAVIGATE_GROUP = "navigate"
"""The worker group of every move: a newer move replaces one still under way."""


def route(app: App, message: Navigate) -> None:
    """Carry out `message` in a worker (switching sections waits on screens being mounted)."""
    if isinstance(message, StartTicket):
        from desta_tui.ui.screens.tickets.ticket_from_figure import start_ticket_from_figure

        # its own group: it waits on the ticket form, which a later move must not cancel
        app.run_worker(
            start_ticket_from_figure(app, message.figure), group="start-ticket", exclusive=True
        )
        return
    app.run_worker(_go(app, message), group=NAVIGATE_GROUP, exclusive=True)


async def _go(app: App, message: Navigate) -> None:
    match message:
        case OpenSection():
            await _open_section(app, message)
        case OpenRecord():
            await _open_record(app, message)
        case OpenPerformance():
            await _open_performance(app, message)
        case OpenView():
            await _open_view(app, message.name)
        case _:
            raise TypeError(f"No route for {type(message).__name__}")


async def _show_section(app: App, mode: str, *, to_list: bool = False) -> Screen:
    """Switch to the section `mode` and return its own screen (the bottom of its stack).

    With `to_list`, records opened on top (a ticket, a contract) are closed so the list shows;
    a form or dialog stops that, so nothing typed is lost.
    """
    from desta_tui.ui.screens.common.section_screen import SectionScreen

    if app.current_mode != mode:
        await app.switch_mode(mode)
    if to_list:
        while len(app.screen_stack) > 1 and isinstance(app.screen, SectionScreen):
            await app.pop_screen()
    return app.screen_stack[0]


async def _open_section(app: App, message: OpenSection) -> None:
    section = await _show_section(app, message.name, to_list=message.stage is not None)
    if message.stage is not None:
        # OpenSection takes a stage only for the sections with show_stage (STAGED_SECTIONS)
        section.show_stage(message.stage)


async def _open_record(app: App, message: OpenRecord) -> None:
    """The record opens on top of its section's list, so escape lands on the list."""
    if message.kind == "organisation":
        from desta_tui.ui.screens.members.organisation_screen import OrganisationScreen

        await _show_section(app, "members")
        screen = OrganisationScreen(
            message.uuid, tab=message.tab or "details", highlight=message.highlight
        )
    elif message.kind == "contract":
        from desta_tui.ui.screens.contracts.contract_screen import ContractScreen

        await _show_section(app, "contracts")
        screen = ContractScreen(message.uuid)
    elif message.kind == "meeting":
        from desta_tui.ui.screens.meetings.meeting_screen import MeetingScreen

        await _show_section(app, "meetings", to_list=True)
        screen = MeetingScreen(message.uuid)
    else:
        from desta_tui.ui.screens.tickets.ticket_screen import TicketScreen

        await _show_section(app, "tickets")
        # one ticket open at a time: going back always lands on the list
        while isinstance(app.screen, TicketScreen):
            await app.pop_screen()
        screen = TicketScreen(message.uuid)
    await app.push_screen(screen)


async def _open_performance(app: App, message: OpenPerformance) -> None:
    from desta_tui.ui.screens.performance.performance_screen import PerformanceScreen

    section = await _show_section(app, "performance", to_list=True)
    assert isinstance(section, PerformanceScreen)
    if message.metric_code is not None:
        section.show_figure(message.contract_uuid, message.partner_uuid, message.metric_code)
    elif message.period is not None:
        section.show_month(message.contract_uuid, message.period)
    else:
        section.select_contract(message.contract_uuid)


async def _open_view(app: App, name: str) -> None:
    """Views open over whatever is shown (escape goes back there), except the expiring papers,
    which belong to Members."""
    screen: Screen
    if name == "help":
        from desta_tui.ui.screens.common.help_screen import HelpScreen

        screen = HelpScreen()
    elif name == "keys":
        from desta_tui.ui.screens.common.keys_screen import KeysScreen

        screen = KeysScreen()
    elif name == "audit":
        from desta_tui.ui.screens.common.audit_screen import AuditScreen

        screen = AuditScreen()
    elif name == "import":
        from desta_tui.ui.screens.settings.import_screen import ImportScreen

        screen = ImportScreen()
    else:
        from desta_tui.ui.screens.members.compliance_screen import ComplianceScreen

        await _show_section(app, "members")
        screen = ComplianceScreen()
    await app.push_screen(screen)
