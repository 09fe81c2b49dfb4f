"""Placeholders for the sections still being built: one honest line each."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from desta_tui.ui.screens.section_screen import SectionScreen


class PlaceholderScreen(SectionScreen):
    """A section that is not built yet says so plainly."""

    message = "This section is not built yet."

    def compose_body(self) -> ComposeResult:
        yield Static(self.message, id="placeholder")


class MembersPlaceholder(PlaceholderScreen):
    mode = "members"
    message = "Members: the list of organisations is not built yet (desta export members works)."


class ContractsPlaceholder(PlaceholderScreen):
    mode = "contracts"
    message = "Contracts: not built yet (desta export contracts works)."


class PerformancePlaceholder(PlaceholderScreen):
    mode = "performance"
    message = "Performance: targets and returns are not built yet (desta export returns works)."


class TicketsPlaceholder(PlaceholderScreen):
    mode = "tickets"
    message = "Tickets: not built yet (desta export tickets works)."


class ReportsPlaceholder(PlaceholderScreen):
    mode = "reports"
    message = "Reports: the meeting pack is not built yet."
