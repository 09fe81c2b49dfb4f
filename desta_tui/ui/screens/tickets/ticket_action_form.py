"""TicketActionForm: one improvement plan action, with its owner, due date and done flag."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from desta_tui.services import tickets
from desta_tui.ui.forms.fields import CheckField, FormField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.forms.uk_fields import date_field

__all__ = ["TicketActionForm"]


class TicketActionForm(FormScreen[tickets.TicketActionView]):
    """Add an action to a ticket's improvement plan, or edit one."""

    TITLE_TEXT = "New improvement plan action"

    def __init__(
        self,
        ticket_uuid: str,
        action: tickets.TicketActionView | None = None,
        *,
        title: str | None = None,
    ) -> None:
        super().__init__(title or ("Edit action" if action else None))
        self.ticket_uuid = ticket_uuid
        self.action = action

    def compose_fields(self) -> ComposeResult:
        action = self.action
        yield FormField("Action", "description", action.description if action else "",
                        required=True, placeholder="What is to be done")  # fmt: skip
        yield FormField("Owner", "owner", action.owner if action else "",
                        placeholder="Who does it")  # fmt: skip
        yield date_field("Due date", "due_on", action.due_on if action else "")
        yield CheckField("Done", "is_done", action.is_done if action else False)

    def save(self, values: dict[str, Any]) -> tickets.TicketActionView:
        if self.action is None:
            return tickets.add_ticket_action(self.ticket_uuid, values)
        return tickets.update_ticket_action(self.action.uuid, values)
