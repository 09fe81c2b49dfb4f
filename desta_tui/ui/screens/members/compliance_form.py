"""ComplianceForm: one compliance paper (insurance, safeguarding policy, DBS check...)."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.app import ComposeResult

from desta_tui.domain.choices import COMPLIANCE_KINDS
from desta_tui.domain.dates import format_uk_date, parse_uk_date
from desta_tui.services import members
from desta_tui.services.context import today
from desta_tui.services.members import ComplianceInfo
from desta_tui.ui.forms.fields import ChoiceField, DateField, FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen

__all__ = ["ComplianceForm"]


class ComplianceForm(FormScreen[ComplianceInfo]):
    """New paper for the organisation, or edit `item`; dismisses with the saved ComplianceInfo."""

    def __init__(
        self, organisation_uuid: str, organisation_name: str, item: ComplianceInfo | None = None
    ) -> None:
        title = (
            f"{item.kind_label} of {organisation_name}"
            if item
            else (f"New compliance paper for {organisation_name}")
        )
        super().__init__(title)
        self.organisation_uuid = organisation_uuid
        self.item = item

    def compose_fields(self) -> ComposeResult:
        i = self.item
        date_parser = partial(parse_uk_date, today=today())
        yield ChoiceField(
            "Paper", "kind", COMPLIANCE_KINDS.options(), i.kind if i else "", required=True
        )
        yield FormField(
            "Reference",
            "reference",
            i.reference if i else "",
            placeholder="policy or certificate number",
        )
        yield DateField(
            "Checked",
            "checked_on",
            format_uk_date(i.checked_on) if i else "",
            parser=date_parser,
            formatter=format_uk_date,
        )
        yield DateField(
            "Expires",
            "expires_on",
            format_uk_date(i.expires_on) if i else "",
            parser=date_parser,
            formatter=format_uk_date,
        )
        yield TextAreaField("Notes", "notes", i.notes if i else "")

    def save(self, values: dict[str, Any]) -> ComplianceInfo:
        if self.item is None:
            return members.create_compliance_item(self.organisation_uuid, values)
        return members.update_compliance_item(self.item.uuid, values)
