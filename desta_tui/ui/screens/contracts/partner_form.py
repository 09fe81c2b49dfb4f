"""PartnerForm: a member organisation on a contract: role, allocated value, dates, boroughs."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Static

from desta_tui.domain.choices import PARTNER_ROLES
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.money import format_money
from desta_tui.services import contracts, lookups
from desta_tui.ui.forms.fields import ChoiceField, TextAreaField
from desta_tui.ui.forms.reasoned_form_screen import ReasonedFormScreen
from desta_tui.ui.forms.uk_fields import date_field, money_field
from desta_tui.ui.screens.contracts.contract_form import boroughs_field

__all__ = ["PartnerForm"]


class PartnerForm(ReasonedFormScreen[contracts.PartnerRow]):
    """Add a partner (the compliance gate may ask for an override reason) or change one (a
    reallocation during delivery asks why)."""

    TITLE_TEXT: ClassVar[str] = "Add a partner"

    DEFAULT_CSS = """
    PartnerForm #partner-allocation { width: 1fr; margin: 0 0 1 0; color: $text-muted; }
    PartnerForm #partner-organisation { width: 1fr; margin: 0 0 1 0; text-style: bold; }
    """

    def __init__(
        self, contract: contracts.ContractDetail, partner: contracts.PartnerRow | None = None
    ) -> None:
        title = (
            f"Partner of {contract.title}: {partner.organisation_name}"
            if partner
            else f"Add a partner to {contract.title}"
        )
        super().__init__(title)
        self.contract = contract
        self.partner = partner

    def compose_fields(self) -> ComposeResult:
        p = self.partner
        allocation = self.contract.allocation
        left = allocation.remainder_pence + (p.allocated_value_pence if p else 0)
        if p is None:
            yield ChoiceField(
                "Member organisation",
                "organisation",
                [
                    (choice.label, choice.uuid)
                    for choice in contracts.partner_organisation_choices(self.contract.uuid)
                ],
                required=True,
            )
        else:
            yield Static(p.organisation_name, id="partner-organisation", markup=False)
        yield ChoiceField(
            "Role", "role", PARTNER_ROLES.options(), p.role if p else "delivery", required=True
        )
        yield money_field(
            "Allocated value", "allocated_value", p.allocated_value_pence if p else None
        )
        yield Static(
            f"{allocation.text}. This partner can hold up to {format_money(max(left, 0))}.",
            id="partner-allocation",
            markup=False,
        )
        known = list(self.contract.boroughs) or lookups.borough_names()
        yield boroughs_field("Boroughs it delivers in", p.boroughs if p else (), known)
        yield date_field(
            "Starts on", "starts_on", p.starts_on if p else None,
            placeholder=_follows("start", self.contract.starts_on),
        )  # fmt: skip
        yield date_field(
            "Ends on", "ends_on", p.ends_on if p else None,
            placeholder=_follows("end", self.contract.ends_on),
        )  # fmt: skip
        yield TextAreaField("Notes", "notes", p.notes if p else "")

    def save_with_reasons(
        self, values: dict[str, Any], reasons: dict[str, str]
    ) -> contracts.PartnerRow:
        if self.partner is None:
            return contracts.add_partner(
                self.contract.uuid, values, override_reason=reasons.get("override", "")
            )
        return contracts.update_partner(
            self.partner.uuid, values, reallocation_reason=reasons.get("reallocation", "")
        )


def _follows(which: str, on: date | None) -> str:
    """The placeholder of a partner date left blank: it follows the contract's."""
    when = format_uk_date(on) if on else "not set yet"
    return f"dd/mm/yyyy; blank: the contract's {which} ({when})"
