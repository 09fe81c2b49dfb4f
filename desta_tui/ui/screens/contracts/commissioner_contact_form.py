"""CommissionerContactForm: one dated entry of a contract's commissioner contact log."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult

from desta_tui.domain.choices import CONTACT_KINDS
from desta_tui.services import contracts
from desta_tui.services.context import today
from desta_tui.ui.forms.fields import ChoiceField, FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.forms.uk_fields import date_field

__all__ = ["CommissionerContactForm"]


class CommissionerContactForm(FormScreen[contracts.CommissionerContactRow]):
    """Log a meeting, call or email with the commissioner (or correct an entry)."""

    TITLE_TEXT: ClassVar[str] = "Log a commissioner contact"

    def __init__(
        self,
        contract: contracts.ContractDetail,
        entry: contracts.CommissionerContactRow | None = None,
    ) -> None:
        verb = "Edit the contact" if entry else "Log a contact with"
        who = contract.commissioner_name or "the commissioner"
        super().__init__(f"{verb} {who}: {contract.title}")
        self.contract = contract
        self.entry = entry

    def compose_fields(self) -> ComposeResult:
        e = self.entry
        yield date_field("Date", "contacted_on", e.contacted_on if e else today(), required=True)
        yield ChoiceField(
            "Kind", "kind", CONTACT_KINDS.options(), e.kind if e else "meeting", required=True
        )
        yield FormField("With whom", "with_whom", e.with_whom if e else "")
        yield TextAreaField("Notes", "notes", e.notes if e else "")

    def save(self, values: dict[str, Any]) -> contracts.CommissionerContactRow:
        if self.entry is None:
            return contracts.log_commissioner_contact(self.contract.uuid, values)
        return contracts.update_commissioner_contact(self.entry.uuid, values)
