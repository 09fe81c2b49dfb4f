"""The read models of the pipeline's overview and the commissioner contact log, apart from the
rest of views.py: the dashboard's start loads these alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desta_tui.domain.dates import format_uk_date


@dataclass(frozen=True)
class KeyDate:
    """A date ahead for a contract: a tender deadline, a decision, a start or an end."""

    contract_uuid: str
    contract_title: str
    what: str
    due_on: date
    days_left: int
    stage_label: str


@dataclass(frozen=True)
class ContactStatus:
    """How long since the commissioner was last contacted, and whether that is too long."""

    last_contacted_on: date | None
    days_since: int | None
    interval_days: int
    is_due: bool
    """The contract is live, so contact with the commissioner is expected."""
    is_overdue: bool

    @property
    def text(self) -> str:
        if not self.is_due:
            return "not expected at this stage"
        if self.last_contacted_on is None:
            return "no contact logged (OVERDUE)"
        days = f"{self.days_since} day{'s' if self.days_since != 1 else ''} ago"
        flag = f" (OVERDUE: every {self.interval_days} days)" if self.is_overdue else ""
        return f"last {format_uk_date(self.last_contacted_on)}, {days}{flag}"


@dataclass(frozen=True)
class StageLine:
    """One stage of the pipeline: how many contracts and what they are worth."""

    stage: str
    label: str
    count: int
    total_value_pence: int
    annual_value_pence: int


@dataclass(frozen=True)
class CommissionerContactRow:
    """One entry of a contract's commissioner contact log."""

    uuid: str
    contract_uuid: str
    contacted_on: date
    kind: str
    kind_label: str
    with_whom: str
    notes: str
    logged_by: str


@dataclass(frozen=True)
class OverdueContact:
    """A live contract whose commissioner has not been contacted within its interval."""

    contract_uuid: str
    contract_title: str
    consortium_name: str
    commissioner_name: str
    last_contacted_on: date | None
    days_since: int | None
    interval_days: int
