"""The contracts overview: value by stage, key dates ahead, how recent commissioner contact is."""

from __future__ import annotations

from datetime import date, timedelta

from peewee import fn

from desta_tui.db.models import CommissionerContact, Consortium, Contract
from desta_tui.domain.choices import CONTRACT_STAGES
from desta_tui.domain.contracts import (
    CLOSED_STAGES,
    KEY_DATES,
    is_contact_expected,
    is_contact_overdue,
    upcoming_key_dates,
)
from desta_tui.services.context import today
from desta_tui.services.contracts.choices import default_contact_interval_days
from desta_tui.services.contracts.overview_views import ContactStatus, KeyDate, StageLine

# How far ahead the pipeline looks for key dates.
DEADLINE_DAYS = 30


def last_contacts(contract_ids: list[int]) -> dict[int, date]:
    """When each contract's commissioner was last contacted (those never contacted left out)."""
    if not contract_ids:
        return {}
    query = (
        CommissionerContact.select(
            CommissionerContact.contract, fn.MAX(CommissionerContact.contacted_on)
        )
        .where(
            CommissionerContact.contract.in_(contract_ids)
            & CommissionerContact.archived_at.is_null()
        )
        .group_by(CommissionerContact.contract)
        .tuples()
    )
    result = {}
    for contract_id, last in query:
        # SQLite hands back MAX() of a date column as text
        result[contract_id] = date.fromisoformat(last) if isinstance(last, str) else last
    return result


def contact_status(contract: Contract, last: date | None, on: date) -> ContactStatus:
    """Whether `contract`'s commissioner, last contacted on `last`, is due or overdue on `on`."""
    interval = contract.contact_interval_days or default_contact_interval_days()
    is_archived = contract.archived_at is not None
    days = (on - last).days if last is not None else None
    return ContactStatus(
        last,
        days,
        interval,
        is_contact_expected(contract.stage, is_archived),
        is_contact_overdue(contract.stage, is_archived, days, interval),
    )


def key_dates(contract: Contract, on: date) -> list[KeyDate]:
    """The contract's key dates still ahead on `on`, soonest first."""
    dates = {name: getattr(contract, name) for name, _what, _stages in KEY_DATES}
    stage_label = CONTRACT_STAGES.label(contract.stage)
    return [
        KeyDate(contract.uuid, contract.title, what, due_on, (due_on - on).days, stage_label)
        for what, due_on in upcoming_key_dates(contract.stage, dates, on)
    ]


def pipeline(consortium_uuid: str | None = None) -> list[StageLine]:
    """Count and value of the live contracts at each stage, every stage listed in order."""
    query = Contract.select(
        Contract.stage,
        fn.COUNT(Contract.id),
        fn.SUM(Contract.total_value_pence),
        fn.SUM(Contract.annual_value_pence),
    ).where(Contract.archived_at.is_null())
    if consortium_uuid:
        query = query.join(Consortium).where(Consortium.uuid == consortium_uuid)
    sums = {stage: (count, total or 0, annual or 0)
            for stage, count, total, annual in query.group_by(Contract.stage).tuples()}  # fmt: skip
    return [
        StageLine(choice.code, choice.label, *map(int, sums.get(choice.code, (0, 0, 0))))
        for choice in CONTRACT_STAGES
    ]


def upcoming_deadlines(
    days: int = DEADLINE_DAYS, consortium_uuid: str | None = None
) -> list[KeyDate]:
    """Key dates from today to `days` ahead on live contracts, soonest first."""
    on = today()
    until = on + timedelta(days=days)
    query = Contract.select().where(
        Contract.archived_at.is_null() & Contract.stage.not_in(CLOSED_STAGES)
    )
    if consortium_uuid:
        query = query.join(Consortium).where(Consortium.uuid == consortium_uuid)
    found = [
        key_date
        for contract in query
        for key_date in key_dates(contract, on)
        if key_date.due_on <= until
    ]
    return sorted(found, key=lambda key_date: (key_date.due_on, key_date.contract_title))
