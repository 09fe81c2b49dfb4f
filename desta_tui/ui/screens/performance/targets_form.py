"""TargetsForm: bulk entry of a contract's targets, an annual figure spread over the months."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from desta_tui.domain.periods import format_period, parse_period
from desta_tui.services.performance import (
    TargetsResult,
    contract_metrics,
    partner_choices,
    set_targets,
)
from desta_tui.ui.forms.fields import ChoiceField, FormField
from desta_tui.ui.forms.form_screen import FormScreen

__all__ = ["ALL_DELIVERY_PARTNERS", "TargetsForm"]

ALL_DELIVERY_PARTNERS = "*"


class TargetsForm(FormScreen[TargetsResult]):
    """Spread one figure per partner over a run of months, evenly or by a profile of weights.

    Counts are spread in whole numbers that add up exactly; a rate (63%) is the level for each
    month. Existing targets for those months are replaced, and the change is audited.
    """

    TITLE_TEXT = "Set targets"

    def __init__(self, contract_uuid: str, contract_title: str, first_month: str) -> None:
        super().__init__(f"Set targets: {contract_title}")
        self.contract_uuid = contract_uuid
        self.first_month = first_month

    def compose_fields(self) -> ComposeResult:
        metrics = [
            (f"{m.name} ({'rate, %' if m.unit == 'rate' else 'count'})", m.code)
            for m in contract_metrics(self.contract_uuid)
        ]
        partners = [("All delivery partners", ALL_DELIVERY_PARTNERS)]
        partners += partner_choices(self.contract_uuid)
        yield ChoiceField("Metric", "metric", metrics, metrics[0][1] if metrics else "",
                          required=True)  # fmt: skip
        yield ChoiceField("Partner", "partner", partners, ALL_DELIVERY_PARTNERS, required=True)
        yield FormField(
            "First month",
            "first_month",
            self.first_month,
            required=True,
            placeholder="Oct 2012",
            parser=parse_period,
            formatter=format_period,
        )
        yield FormField("Months", "months", "12", required=True, placeholder="12")
        yield FormField(
            "Figure for each partner over those months (a count, or a rate like 63%)",
            "figure",
            required=True,
            placeholder="120",
        )
        yield FormField(
            "Profile (blank: evenly; else one weight a month, e.g. 1 1 2 2 2 2 2 2 2 2 1 1)",
            "profile",
        )

    def save(self, values: dict[str, Any]) -> TargetsResult:
        partner = values["partner"]
        return set_targets(
            self.contract_uuid,
            values["metric"],
            values["first_month"],
            values["months"],
            values["figure"],
            None if partner in ("", ALL_DELIVERY_PARTNERS) else partner,
            values["profile"],
        )
