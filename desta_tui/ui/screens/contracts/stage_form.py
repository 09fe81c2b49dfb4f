"""StageForm: move a contract to another stage on a given date, with a reason when going back."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult

from desta_tui.domain.choices import CONTRACT_STAGES
from desta_tui.services import contracts
from desta_tui.services.context import today
from desta_tui.ui.forms.fields import ChoiceField, FormField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.forms.uk_fields import date_field

__all__ = ["StageForm"]


class StageForm(FormScreen[contracts.ContractDetail]):
    """The stage change is dated (today unless said otherwise) and kept in the stage history."""

    TITLE_TEXT: ClassVar[str] = "Move stage"

    def __init__(self, contract: contracts.ContractDetail) -> None:
        super().__init__(f"Move {contract.title} on from {contract.stage_label}")
        self.contract = contract

    def compose_fields(self) -> ComposeResult:
        others = [(label, code) for label, code in CONTRACT_STAGES.options()
                  if code != self.contract.stage]  # fmt: skip
        yield ChoiceField("New stage", "stage", others, required=True)
        yield date_field("Changed on", "changed_on", today(), required=True)
        yield FormField(
            "Reason", "reason", "", placeholder="needed when the stage goes back; else optional"
        )

    def save(self, values: dict[str, Any]) -> contracts.ContractDetail:
        return contracts.change_contract_stage(
            self.contract.uuid, values["stage"], values["changed_on"], values["reason"]
        )
