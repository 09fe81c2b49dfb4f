"""ComplianceForm: one compliance paper (insurance, safeguarding policy, DBS check...)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from desta_tui.domain.choices import COMPLIANCE_KINDS
from desta_tui.services import members
from desta_tui.services.drafts import record_draft_key
from desta_tui.services.members import ComplianceInfo
from desta_tui.ui.forms.fields import ChoiceField, FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.forms.uk_fields import date_field

__all__ = ["ComplianceForm"]


class ComplianceForm(FormScreen[ComplianceInfo]):
    """New paper for the organisation, or edit `item`; dismisses with the saved ComplianceInfo."""

    DRAFT_KIND = "compliance"

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

    def draft_record_key(self) -> str:
        return record_draft_key(self.item.uuid if self.item else None, self.organisation_uuid)

    def compose_fields(self) -> ComposeResult:
        i = self.item
        yield ChoiceField(
            "Paper", "kind", COMPLIANCE_KINDS.options(), i.kind if i else "", required=True
        )
        yield FormField(
            "Reference",
            "reference",
            i.reference if i else "",
            placeholder="policy or certificate number",
        )
        yield date_field("Checked", "checked_on", i.checked_on if i else None)
        yield date_field("Expires", "expires_on", i.expires_on if i else None)
        yield TextAreaField("Notes", "notes", i.notes if i else "")

    def save(self, values: dict[str, Any]) -> ComplianceInfo:
        if self.item is None:
            return members.create_compliance_item(self.organisation_uuid, values)
        return members.update_compliance_item(self.item.uuid, values)
