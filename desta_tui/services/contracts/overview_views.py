"""The read models of the pipeline's overview and the commissioner contact log, apart from the
rest of views.py (a contact's status and an overdue contact are services.contracts.contact_due's,
which the dashboard's start loads alone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desta_tui.services.contracts.contact_due import (  # noqa: F401  (from here too)
    ContactStatus,
    OverdueContact,
)


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
