"""TicketForm: a ticket's provider, contract, support provider, subject, priority and due date."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Select, SelectionList

from desta_tui.domain.choices import TICKET_CATEGORIES, TICKET_PRIORITIES
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.services import lookups, tickets
from desta_tui.ui.forms.fields import ChoiceField, FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.forms.uk_fields import date_field

__all__ = ["MetricsField", "TicketForm"]


class MetricsField(FormField):
    """Several metrics ticked from a list (`space` ticks); `value` is the list of UUIDs."""

    DEFAULT_CSS = """
    MetricsField > SelectionList { height: auto; max-height: 7; }
    """

    def __init__(
        self, label: str, field_name: str, choices: Sequence[tuple[str, str]], value: Any = ()
    ) -> None:
        self.choices = list(choices)
        super().__init__(label, field_name, list(value or ()))

    def _make_control(self, value: Any) -> Widget:
        chosen = set(value or ())
        return SelectionList[str](
            *[(name, uuid, uuid in chosen) for name, uuid in self.choices],
            id=f"{self.field_name.replace('_', '-')}-input",
        )

    @property
    def value(self) -> list[str]:
        control = self.input_widget
        assert isinstance(control, SelectionList)
        return sorted(control.selected)

    @property
    def raw(self) -> str:
        return ",".join(self.value)


class TicketForm(FormScreen[tickets.TicketDetail]):
    """New or edit: stage and status are not here; they move by their own keys, with a reason."""

    TITLE_TEXT = "New support ticket"

    def __init__(
        self,
        ticket: tickets.TicketDetail | None = None,
        *,
        values: dict[str, Any] | None = None,
        title: str | None = None,
    ) -> None:
        if ticket is not None:
            title = title or f"Edit {ticket.reference}: {ticket.subject}"
        super().__init__(title)
        self.ticket = ticket
        self.start = values or (self._values_of(ticket) if ticket else {})

    @staticmethod
    def _values_of(ticket: tickets.TicketDetail) -> dict[str, Any]:
        return {
            "provider": ticket.provider_uuid,
            "contract": ticket.contract_uuid or "",
            "support_provider": ticket.support_provider_uuid or "",
            "subject": ticket.subject,
            "category": ticket.category,
            "priority": ticket.priority,
            "owner": ticket.owner,
            "due_on": format_uk_date(ticket.due_on),
            "description": ticket.description,
            "metrics": [metric.uuid for metric in ticket.metrics],
        }

    def compose_fields(self) -> ComposeResult:
        start = self.start
        yield ChoiceField(
            "Provider", "provider", lookups.provider_choices(), start.get("provider", ""),
            required=True,
        )  # fmt: skip
        yield ChoiceField("Contract", "contract", lookups.contract_choices(),
                          start.get("contract", ""))  # fmt: skip
        yield ChoiceField(
            "Support provider (blank: the contract's support provider)", "support_provider",
            lookups.support_provider_choices(), start.get("support_provider", ""),
        )  # fmt: skip
        yield FormField("Subject", "subject", start.get("subject", ""), required=True,
                        placeholder="What is wrong, in a few words")  # fmt: skip
        yield ChoiceField("Category", "category", TICKET_CATEGORIES.options(),
                          start.get("category", "other"), required=True)  # fmt: skip
        yield ChoiceField("Priority", "priority", TICKET_PRIORITIES.options(),
                          start.get("priority", "normal"), required=True)  # fmt: skip
        yield FormField("Owner", "owner", start.get("owner", ""),
                        placeholder="Who leads the support")  # fmt: skip
        yield date_field("Due date (blank: from the priority)", "due_on", start.get("due_on", ""))
        yield MetricsField("Linked metrics (space ticks)", "metrics", tickets.metric_choices(),
                           start.get("metrics", ()))  # fmt: skip
        yield TextAreaField("Description", "description", start.get("description", ""))

    def on_mount(self) -> None:
        super().on_mount()
        self._hint_due()

    @on(Select.Changed, "#priority-input")
    def _priority_changed(self) -> None:
        self._hint_due()

    def _hint_due(self) -> None:
        """Under the due date: what a blank date would become for the chosen priority."""
        due = self.query_one("#field-due-on", FormField)
        priority = self.query_one("#field-priority", ChoiceField).value
        if due.raw.strip() or not priority:
            return
        try:
            opened = self.ticket.opened_on if self.ticket else None
            when = tickets.default_due_on(priority, opened)
        except DestaError:
            return
        days = tickets.due_days()[priority]
        due.set_hint(f"blank: {format_uk_date(when)} ({TICKET_PRIORITIES.label(priority).lower()}"
                     f" priority, {days} days)")  # fmt: skip

    def save(self, values: dict[str, Any]) -> tickets.TicketDetail:
        if self.ticket is None:
            return tickets.create_ticket(values)
        return tickets.update_ticket(self.ticket.uuid, values)
