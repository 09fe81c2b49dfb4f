"""Navigation messages: any screen, widget or palette command posts one, and the router
(desta_tui/ui/router.py) alone decides which screen shows it, so screens never import screens
to move the person about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from desta_tui.ui.sections import SECTIONS

if TYPE_CHECKING:
    from desta_tui.domain.periods import Period
    from desta_tui.services.performance import FigureRow

__all__ = [
    "RECORD_KINDS",
    "SECTION_NAMES",
    "STAGED_SECTIONS",
    "VIEW_NAMES",
    "Navigate",
    "OpenPerformance",
    "OpenRecord",
    "OpenSection",
    "OpenView",
    "StartTicket",
]

RECORD_KINDS = ("organisation", "contract", "ticket", "meeting")
"""The records OpenRecord can open, each in its own section."""

SECTION_NAMES = tuple(section.mode for section in SECTIONS)
"""The sections (the app's modes) OpenSection can show, in the order of their keys."""

STAGED_SECTIONS = ("contracts", "tickets")
"""The sections whose list OpenSection can narrow to a stage (pipeline stage, ladder rung)."""

VIEW_NAMES = ("help", "keys", "import", "audit", "compliance")
"""The screens OpenView opens: help, your keys, importing, the hub history, expiring papers."""


class Navigate(Message):
    """Every navigation message: the app hands each one to the router."""

    @property
    def needs_database(self) -> bool:
        """False for the few places that work before the database is open (help)."""
        return True


class OpenSection(Navigate):
    """Show a section by its mode name ("members"); `stage` narrows the Contracts list to a
    stage of the pipeline, or the Tickets list to a rung of the ladder."""

    def __init__(self, name: str, *, stage: str | None = None) -> None:
        if name not in SECTION_NAMES:
            raise ValueError(f"No section is called {name!r}")
        if stage is not None and name not in STAGED_SECTIONS:
            raise ValueError(f"The {name} section has no stages to narrow to")
        super().__init__()
        self.name = name
        self.stage = stage


class OpenRecord(Navigate):
    """Show one record in its own section: `kind` is "organisation", "contract", "ticket" or
    "meeting".

    An organisation opens on `tab` ("details", "contacts", "memberships", "compliance",
    "contracts", "history") with the row `highlight` (a contact's or paper's uuid) chosen.
    """

    def __init__(
        self, kind: str, uuid: str, *, tab: str | None = None, highlight: str | None = None
    ) -> None:
        if kind not in RECORD_KINDS:
            raise ValueError(f"Cannot open a record of kind {kind!r}")
        super().__init__()
        self.kind = kind
        self.uuid = uuid
        self.tab = tab
        self.highlight = highlight


class OpenPerformance(Navigate):
    """Show a contract in Performance: one figure (`metric_code`, for `partner_uuid` or, with
    no partner, the contract's total) in the view to date, or one `period`'s returns grid."""

    def __init__(
        self,
        contract_uuid: str,
        *,
        period: Period | None = None,
        partner_uuid: str | None = None,
        metric_code: str | None = None,
    ) -> None:
        super().__init__()
        self.contract_uuid = contract_uuid
        self.period = period
        self.partner_uuid = partner_uuid
        self.metric_code = metric_code


class OpenView(Navigate):
    """Open a screen that is neither a section nor a record, by name (see VIEW_NAMES)."""

    def __init__(self, name: str) -> None:
        if name not in VIEW_NAMES:
            raise ValueError(f"No view is called {name!r}")
        super().__init__()
        self.name = name

    @property
    def needs_database(self) -> bool:
        return self.name != "help"


class StartTicket(Navigate):
    """Open a support ticket from a performance figure: the form comes filled in, or the
    ticket already open on that provider and metric is offered first."""

    def __init__(self, figure: FigureRow | None) -> None:
        super().__init__()
        self.figure = figure
