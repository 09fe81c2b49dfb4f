"""OrganisationForm: add or change an organisation (name, kind, numbers, address, boroughs)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from desta_tui.domain.choices import ORGANISATION_KINDS
from desta_tui.domain.validation import validate_email, validate_phone, validate_postcode
from desta_tui.services import lookups, members
from desta_tui.services.members import OrganisationDetail
from desta_tui.ui.forms.fields import CheckField, ChoiceField, FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen

__all__ = ["OrganisationForm"]


def _same(text: str) -> str:
    return text


class OrganisationForm(FormScreen[OrganisationDetail]):
    """New organisation, or edit `detail`; dismisses with the saved OrganisationDetail."""

    def __init__(self, detail: OrganisationDetail | None = None) -> None:
        title = f"Edit {detail.name}" if detail else "New organisation"
        super().__init__(title)
        self.detail = detail

    def compose_fields(self) -> ComposeResult:
        d = self.detail
        boroughs = lookups.borough_names()
        yield FormField("Name", "name", d.name if d else "", required=True)
        yield ChoiceField(
            "Kind", "kind", ORGANISATION_KINDS.options(), d.kind if d else "charity", required=True
        )
        yield FormField(
            "Based in (borough)",
            "borough",
            d.borough if d else "",
            placeholder="e.g. Brent (the start of a name will do)",
        )
        yield FormField(
            "Works in (boroughs, with commas)",
            "boroughs",
            ", ".join(d.boroughs) if d else "",
            placeholder=", ".join(boroughs[:3]) + "…  (blank: where it is based)",
        )
        yield FormField(
            "Charity number",
            "charity_number",
            d.charity_number if d else "",
            placeholder="e.g. 1012345",
        )
        yield FormField(
            "Company number",
            "company_number",
            d.company_number if d else "",
            placeholder="e.g. 01234567 or SC123456",
        )
        yield FormField("Address", "address", d.address if d else "")
        yield FormField(
            "Postcode",
            "postcode",
            d.postcode if d else "",
            placeholder="e.g. W6 9DN",
            parser=validate_postcode,
            formatter=_same,
        )
        yield FormField(
            "Email", "email", d.email if d else "", parser=validate_email, formatter=_same
        )
        yield FormField(
            "Phone",
            "phone",
            d.phone if d else "",
            placeholder="e.g. 020 7946 0000",
            parser=validate_phone,
            formatter=_same,
        )
        yield FormField("Website", "website", d.website if d else "")
        yield CheckField("Member organisation", "is_member", d.is_member if d else True)
        yield CheckField(
            "Commissioner (NHS, council)", "is_commissioner", d.is_commissioner if d else False
        )
        yield TextAreaField("Notes", "notes", d.notes if d else "")

    def save(self, values: dict[str, Any]) -> OrganisationDetail:
        if self.detail is None:
            return members.create_organisation(values)
        return members.update_organisation(self.detail.uuid, values)
