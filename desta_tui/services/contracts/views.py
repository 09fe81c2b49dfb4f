"""What the contracts services return: plain dataclasses the screens and reports read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desta_tui.domain.compliance import PaperGap
from desta_tui.domain.contracts import effective_partner_term
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.money import format_money

# re-exported: they live apart, so the dashboard's start loads them without the rest
from desta_tui.services.contracts.overview_views import (  # noqa: F401
    CommissionerContactRow,
    ContactStatus,
    KeyDate,
    OverdueContact,
    StageLine,
)


@dataclass(frozen=True)
class Allocation:
    """The contract value split between partners: what is given out and what is left."""

    total_value_pence: int
    allocated_pence: int

    @property
    def remainder_pence(self) -> int:
        return self.total_value_pence - self.allocated_pence

    @property
    def text(self) -> str:
        total = format_money(self.total_value_pence)
        given = format_money(self.allocated_pence)
        if self.remainder_pence < 0:
            return f"{given} allocated of {total}: OVER by {format_money(-self.remainder_pence)}"
        if self.remainder_pence == 0:
            return f"{given} allocated of {total}: all allocated"
        return f"{given} allocated of {total}: {format_money(self.remainder_pence)} left"


@dataclass(frozen=True)
class SupportProvider:
    """The partner that supports the others on a contract; tickets go to it by default."""

    organisation_uuid: str
    name: str
    partner_uuid: str


@dataclass(frozen=True)
class ContractRow:
    """One contract as the list shows it."""

    uuid: str
    title: str
    reference: str
    commissioner_name: str
    consortium_name: str
    consortium_short_name: str
    stage: str
    stage_label: str
    total_value_pence: int
    annual_value_pence: int
    boroughs: tuple[str, ...]
    next_deadline: KeyDate | None
    contact: ContactStatus
    is_archived: bool


@dataclass(frozen=True)
class ContractDetail:
    """Everything about one contract that its details tab and its form need."""

    uuid: str
    title: str
    reference: str
    commissioner_uuid: str | None
    commissioner_name: str
    consortium_uuid: str
    consortium_name: str
    stage: str
    stage_label: str
    total_value_pence: int
    annual_value_pence: int
    starts_on: date | None
    ends_on: date | None
    period_kind: str
    tender_deadline_on: date | None
    decision_on: date | None
    boroughs: tuple[str, ...]
    contact_interval_days: int
    notes: str
    is_archived: bool
    allocation: Allocation
    support_provider: SupportProvider | None
    contact: ContactStatus
    next_deadline: KeyDate | None


@dataclass(frozen=True)
class PartnerRow:
    """A partner of a contract, as the partners tab and the partner form show it."""

    uuid: str
    contract_uuid: str
    organisation_uuid: str
    organisation_name: str
    role: str
    role_label: str
    allocated_value_pence: int
    #: the partner's own dates as saved; None follows the contract's (the `term_*` below)
    starts_on: date | None
    ends_on: date | None
    contract_starts_on: date | None
    contract_ends_on: date | None
    boroughs: tuple[str, ...]
    compliance_gaps: tuple[PaperGap, ...]
    """Gate papers missing or expired (domain.compliance): they stop the partner unless
    overridden."""
    papers_due: tuple[PaperGap, ...]
    """Gate papers still valid that run out within the warning days."""
    compliance_override_reason: str
    notes: str
    is_archived: bool

    @property
    def term_starts_on(self) -> date | None:
        """When the partner starts: its own date, else the contract's."""
        return effective_partner_term(
            self.contract_starts_on, self.contract_ends_on, self.starts_on, self.ends_on
        )[0]

    @property
    def term_ends_on(self) -> date | None:
        """When the partner ends: its own date, else the contract's."""
        return effective_partner_term(
            self.contract_starts_on, self.contract_ends_on, self.starts_on, self.ends_on
        )[1]

    @property
    def term_text(self) -> str:
        """The partner's own dates, "" when it follows the contract's: `from 05/11/2012`,
        `to 31/03/2013`, or both as months (`11/2012–03/2013`), 15 characters at most."""
        if self.starts_on and self.ends_on:
            return f"{self.starts_on:%m/%Y}–{self.ends_on:%m/%Y}"
        if self.starts_on:
            return f"from {format_uk_date(self.starts_on)}"
        return f"to {format_uk_date(self.ends_on)}" if self.ends_on else ""

    @property
    def term_words(self) -> str:
        """The partner's dates in full, for print: "the contract's" when it follows them."""
        if not (self.starts_on or self.ends_on):
            return "the contract's"
        first = format_uk_date(self.term_starts_on) if self.term_starts_on else "the start"
        last = format_uk_date(self.term_ends_on) if self.term_ends_on else "the end"
        return f"{first} to {last}"

    @property
    def papers_text(self) -> str:
        if not self.compliance_gaps:
            return "; ".join(paper.text for paper in self.papers_due) or "in order"
        text = "; ".join(gap.text for gap in self.compliance_gaps)
        text = text[:1].upper() + text[1:]
        return f"{text} (overridden)" if self.compliance_override_reason else text


@dataclass(frozen=True)
class StageChangeRow:
    """One move of a contract between stages, as its stage history shows it."""

    uuid: str
    from_stage: str | None
    from_label: str
    to_stage: str
    to_label: str
    changed_on: date
    changed_by: str
    reason: str
    is_backwards: bool
