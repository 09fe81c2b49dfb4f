"""ContractForm: a contract's commissioner, consortium, stage, values, dates, boroughs and notes."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult

from desta_tui.domain.choices import CONTRACT_STAGES, PERIOD_KINDS
from desta_tui.domain.dates import format_uk_date, parse_uk_date
from desta_tui.domain.money import format_money, parse_money
from desta_tui.services import contracts
from desta_tui.services.context import today
from desta_tui.ui.widgets.confirm_modal import ReasonModal
from desta_tui.ui.widgets.fields import (
    ChoiceField,
    DateField,
    FormField,
    MoneyField,
    TextAreaField,
)
from desta_tui.ui.widgets.form_screen import FormScreen

__all__ = ["ContractForm", "ReasonedFormScreen", "boroughs_field", "date_field", "money_field"]

ResultT = TypeVar("ResultT")


class ReasonedFormScreen(FormScreen[ResultT]):
    """A form whose save may need a reason first (a stage moved back, a reallocation, a
    compliance override): the service says which, a ReasonModal asks, and the save runs again
    with the reason. Cancelling the question leaves the form as typed, with the message shown."""

    def __init__(self, title: str | None = None) -> None:
        super().__init__(title)
        self.reasons: dict[str, str] = {}

    def save_with_reasons(self, values: dict[str, Any], reasons: dict[str, str]) -> ResultT:
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> ResultT:
        try:
            return self.save_with_reasons(values, self.reasons)
        except contracts.ReasonRequiredError as error:
            self.app.push_screen(
                ReasonModal(error.question, ok_label="Save with this reason"),
                partial(self._reason_given, error.kind),
            )
            raise

    def _reason_given(self, kind: str, reason: str | None) -> None:
        if reason:
            self.reasons[kind] = reason
            self.call_later(self.action_save)


def money_field(label: str, name: str, pence: int | None, **kwargs: Any) -> MoneyField:
    value = format_money(pence) if pence else ""
    return MoneyField(label, name, value, parser=parse_money, formatter=format_money, **kwargs)


def date_field(label: str, name: str, value: Any = None, **kwargs: Any) -> DateField:
    shown = format_uk_date(value) if value is not None and not isinstance(value, str) else value
    return DateField(
        label,
        name,
        shown or "",
        parser=partial(parse_uk_date, today=today()),
        formatter=format_uk_date,
        **kwargs,
    )


def boroughs_field(
    label: str, boroughs: tuple[str, ...] | list[str], known: list[str]
) -> FormField:
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
        known = contracts.borough_names()
        yield FormField("Title", "title", c.title if c else "", required=True)
        yield FormField("Reference", "reference", c.reference if c else "")
        yield ChoiceField(
            "Commissioner",
            "commissioner",
            [(choice.label, choice.uuid) for choice in contracts.commissioner_choices()],
            (c.commissioner_uuid or "") if c else "",
            required=True,
        )
        yield ChoiceField(
            "Consortium",
            "consortium",
            [(choice.label, choice.uuid) for choice in contracts.consortium_choices()],
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
