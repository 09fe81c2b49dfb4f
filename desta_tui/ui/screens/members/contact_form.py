"""ContactForm: add or change a person at an organisation."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from desta_tui.domain.validation import validate_email, validate_phone
from desta_tui.services import members
from desta_tui.services.members import ContactInfo
from desta_tui.ui.forms.fields import CheckField, FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen

__all__ = ["ContactForm"]


def _same(text: str) -> str:
    return text


class ContactForm(FormScreen[ContactInfo]):
    """New contact at the organisation, or edit `contact`; dismisses with the saved ContactInfo."""

    def __init__(
        self, organisation_uuid: str, organisation_name: str, contact: ContactInfo | None = None
    ) -> None:
        title = f"Edit {contact.full_name}" if contact else f"New contact at {organisation_name}"
        super().__init__(title)
        self.organisation_uuid = organisation_uuid
        self.contact = contact

    def compose_fields(self) -> ComposeResult:
        c = self.contact
        yield FormField("Name", "full_name", c.full_name if c else "", required=True)
        yield FormField("Role", "role", c.role if c else "", placeholder="e.g. Service manager")
        yield FormField(
            "Email", "email", c.email if c else "", parser=validate_email, formatter=_same
        )
        yield FormField(
            "Phone",
            "phone",
            c.phone if c else "",
            placeholder="e.g. 07700 900123",
            parser=validate_phone,
            formatter=_same,
        )
        yield CheckField("Main contact", "is_primary", c.is_primary if c else False)
        yield TextAreaField("Notes", "notes", c.notes if c else "")

    def save(self, values: dict[str, Any]) -> ContactInfo:
        if self.contact is None:
            return members.create_contact(self.organisation_uuid, values)
        return members.update_contact(self.contact.uuid, values)
