"""Small ticket forms: a note or time spent for the log, a status change, the list's filters."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from desta_tui.domain.choices import TICKET_STAGES, TICKET_STATUSES
from desta_tui.services import tickets
from desta_tui.ui.forms.fields import CheckField, ChoiceField, FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen

__all__ = ["TicketFilterForm", "TicketLogForm", "TicketStatusForm"]


class TicketLogForm(FormScreen[tickets.TicketEventView]):
    """Add to the activity log: a note (time optional) or time spent (what on, optional)."""

    def __init__(self, ticket: tickets.TicketDetail, *, is_time: bool = False) -> None:
        what = "Log time on" if is_time else "Add a note to"
        super().__init__(f"{what} {ticket.reference}: {ticket.subject}")
        self.ticket = ticket
        self.is_time = is_time

    def compose_fields(self) -> ComposeResult:
        minutes = FormField(
            "Time spent" if self.is_time else "Time spent (optional)",
            "minutes",
            required=self.is_time,
            placeholder="45, 1h30 or 1:30",
        )
        if self.is_time:
            yield minutes
            yield FormField("What it was spent on (optional)", "text")
        else:
            yield TextAreaField("Note", "text", required=True)
            yield minutes

    def save(self, values: dict[str, Any]) -> tickets.TicketEventView:
        if self.is_time:
            return tickets.log_ticket_time(self.ticket.uuid, values["minutes"], values["text"])
        return tickets.add_ticket_note(self.ticket.uuid, values["text"], values["minutes"])


class TicketStatusForm(FormScreen[tickets.TicketDetail]):
    """Move a ticket's status; closing asks for the outcome, reopening for a reason."""

    def __init__(self, ticket: tickets.TicketDetail, status: str = "") -> None:
        word = "Close" if status == "closed" else "Status of"
        super().__init__(f"{word} {ticket.reference}: {ticket.subject}")
        self.ticket = ticket
        self.status = status

    def compose_fields(self) -> ComposeResult:
        options = [(TICKET_STATUSES.label(code), code) for code in self.ticket.next_statuses]
        yield ChoiceField(
            f"New status (now {TICKET_STATUSES.label(self.ticket.status).lower()})",
            "status", options, self.status, required=True,
        )  # fmt: skip
        yield FormField("Reason (needed to reopen)", "reason",
                        placeholder="Why the status changes")  # fmt: skip
        yield TextAreaField("Outcome (needed to close)", "outcome", self.ticket.outcome)

    def save(self, values: dict[str, Any]) -> tickets.TicketDetail:
        if not values["status"]:
            from desta_tui.domain.errors import ValidationError

            raise ValidationError("status", "choose the new status")
        return tickets.change_ticket_status(
            self.ticket.uuid, values["status"], reason=values["reason"], outcome=values["outcome"]
        )


class TicketFilterForm(FormScreen[tickets.TicketFilter]):
    """Narrow the tickets list by status, stage, provider, contract and overdue."""

    TITLE_TEXT = "Filter tickets"

    STATUS_OPTIONS = [("Open and waiting (not resolved or closed)", ""), ("Any status", "all")]

    def __init__(self, current: tickets.TicketFilter) -> None:
        super().__init__()
        self.current = current

    def compose_fields(self) -> ComposeResult:
        now = self.current
        yield ChoiceField("Status", "status", self.STATUS_OPTIONS + TICKET_STATUSES.options(),
                          now.status, required=True)  # fmt: skip
        yield ChoiceField("Stage", "stage", [("Any stage", "")] + TICKET_STAGES.options(),
                          now.stage, required=True)  # fmt: skip
        yield ChoiceField("Provider", "provider_uuid",
                          [("Any provider", "")] + tickets.ticket_provider_choices(),
                          now.provider_uuid, required=True)  # fmt: skip
        yield ChoiceField("Contract", "contract_uuid",
                          [("Any contract", "")] + tickets.ticket_contract_choices(),
                          now.contract_uuid, required=True)  # fmt: skip
        yield CheckField("Overdue only", "overdue_only", now.overdue_only)

    def save(self, values: dict[str, Any]) -> tickets.TicketFilter:
        return tickets.TicketFilter(
            text=self.current.text,
            status=values["status"],
            stage=values["stage"],
            provider_uuid=values["provider_uuid"],
            contract_uuid=values["contract_uuid"],
            overdue_only=bool(values["overdue_only"]),
            consortium_uuid=self.current.consortium_uuid,
        )
