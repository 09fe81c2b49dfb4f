"""ContractForm: a contract's commissioner, consortium, stage, values, dates, boroughs and notes."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult

from desta_tui.domain.choices import CONTRACT_STAGES, PERIOD_KINDS
from desta_tui.services import contracts, lookups
from desta_tui.ui.forms.fields import ChoiceField, FormField, TextAreaField
from desta_tui.ui.forms.reasoned_form_screen import ReasonedFormScreen
from desta_tui.ui.forms.uk_fields import date_field, money_field

__all__ = ["ContractForm", "boroughs_field"]


def boroughs_field(
    label: str, boroughs: tuple[str, ...] | list[str], known: list[str]
) -> FormField:
    """Borough names typed with commas, each matched to a known borough by its first letters."""
    return FormField(
        label,
        "boroughs",
        ", ".join(boroughs),
        placeholder="e.g. " + ", ".join(known[:3]) + " (commas; the start of a name will do)",
        parser=lambda text: contracts.match_boroughs(text, known),
        formatter=lambda names: ", ".join(names) or "(none)",
    )


class ContractForm(ReasonedFormScreen[contracts.ContractDetail]):
    """A new contract, or an existing one's details; moving its stage back asks why."""

    TITLE_TEXT: ClassVar[str] = "New contract"

    def __init__(
        self,
        contract: contracts.ContractDetail | None = None,
        *,
        consortium_uuid: str | None = None,
    ) -> None:
        super().__init__(f"Edit contract: {contract.title}" if contract else None)
        self.contract = contract
        self.consortium_uuid = consortium_uuid

    def compose_fields(self) -> ComposeResult:
        c = self.contract
        known = lookups.borough_names()
        yield FormField("Title", "title", c.title if c else "", required=True)
        yield FormField("Reference", "reference", c.reference if c else "")
        yield ChoiceField(
            "Commissioner",
            "commissioner",
            lookups.commissioner_choices(),
            (c.commissioner_uuid or "") if c else "",
            required=True,
        )
        yield ChoiceField(
            "Consortium",
            "consortium",
            lookups.consortium_choices(),
            c.consortium_uuid if c else (self.consortium_uuid or ""),
            required=True,
        )
        yield ChoiceField(
            "Stage", "stage", CONTRACT_STAGES.options(), c.stage if c else "dialogue", required=True
        )
        yield money_field("Total value", "total_value", c.total_value_pence if c else None)
        yield money_field("Annual value", "annual_value", c.annual_value_pence if c else None)
        yield date_field("Starts on", "starts_on", c.starts_on if c else None)
        yield date_field("Ends on", "ends_on", c.ends_on if c else None)
        yield ChoiceField(
            "Periods for targets and returns",
            "period_kind",
            PERIOD_KINDS.options(),
            c.period_kind if c else "month",
            required=True,
        )
        yield date_field(
            "Tender deadline", "tender_deadline_on", c.tender_deadline_on if c else None
        )
        yield date_field("Decision date", "decision_on", c.decision_on if c else None)
        yield boroughs_field("Boroughs", c.boroughs if c else (), known)
        yield FormField(
            "Commissioner contact expected every (days)",
            "contact_interval_days",
            str(c.contact_interval_days if c else contracts.default_contact_interval_days()),
        )
        yield TextAreaField("Notes", "notes", c.notes if c else "")

    def save_with_reasons(
        self, values: dict[str, Any], reasons: dict[str, str]
    ) -> contracts.ContractDetail:
        if self.contract is None:
            return contracts.create_contract(values)
        return contracts.update_contract(
            self.contract.uuid, values, stage_reason=reasons.get("stage", "")
        )
