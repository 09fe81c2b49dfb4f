"""The contracts overview: value by stage, key dates ahead, how recent commissioner contact is."""

from __future__ import annotations

from datetime import date, timedelta

from peewee import fn

from desta_tui.db.models import Consortium, Contract
from desta_tui.domain.choices import CONTRACT_STAGES
from desta_tui.domain.contracts import (
    CLOSED_STAGES,
    KEY_DATES,
    upcoming_key_dates,
)
from desta_tui.services.context import today
from desta_tui.services.contracts.contact_due import (  # noqa: F401  (from here too)
    contact_status,
    last_contacts,
)
from desta_tui.services.contracts.overview_views import KeyDate, StageLine

# How far ahead the pipeline looks for key dates.
DEADLINE_DAYS = 30


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
