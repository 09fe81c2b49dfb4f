"""The months of a contract: those returns can be keyed for, the latest returned, the missing."""

from __future__ import annotations

from collections.abc import Sequence

from peewee import fn

from desta_tui.db.models import Contract, ContractPartner, MonthlyReturn, Organisation
from desta_tui.domain.periods import Period
from desta_tui.services.context import today
from desta_tui.services.performance.metrics import RETURNING_ROLES, _contract
from desta_tui.services.performance.queries import _live_returns_of


def contract_months(contract_uuid: str) -> list[Period]:
    """The months returns can be keyed for, newest first: from the contract's start (or its first
    return) to the month before today (or its end, if earlier)."""
    contract = _contract(contract_uuid)
    last_due = Period.from_date(today()).previous()
    latest = latest_returned_period(contract_uuid)
    end = Period.from_date(contract.ends_on) if contract.ends_on else last_due
    end = min(end, max(last_due, latest) if latest else last_due)
    first_return = (
        MonthlyReturn.select(fn.MIN(MonthlyReturn.period))
        .where((MonthlyReturn.contract == contract.id) & MonthlyReturn.archived_at.is_null())
        .scalar()
    )
    starts = [Period.from_key(first_return)] if first_return else []
    if contract.starts_on:
        starts.append(Period.from_date(contract.starts_on))
    start = min(starts) if starts else end.shift(-11)
    months = list(Period.range(start, end))
    return list(reversed(months)) or [end]


def default_month(contract_uuid: str) -> Period:
    """The month a person most likely wants to key: the last month due, within the contract."""
    return contract_months(contract_uuid)[0]


def latest_returned_period(contract_uuid: str) -> Period | None:
    """The latest month any partner has sent a return for."""
    contract = _contract(contract_uuid)
    return _latest_periods([contract.id]).get(contract.id)


def _latest_periods(contract_ids: Sequence[int]) -> dict[int, Period]:
    """Per contract with returns, the latest month any partner has sent one for."""
    query = (
        MonthlyReturn.select(MonthlyReturn.contract, fn.MAX(MonthlyReturn.period))
        .where(_live_returns_of(contract_ids))
        .group_by(MonthlyReturn.contract)
    )
    return {contract_id: Period.from_key(key) for contract_id, key in query.tuples() if key}


def missing_returns(contract_uuid: str, period: Period) -> list[str]:
    """Delivery partners (organisation names) with no return for `period`."""
    contract = _contract(contract_uuid)
    return _missing_for(contract.id, period)


def missing_returns_by_contract(
    contract_uuids: Sequence[str], period: Period
) -> dict[str, list[str]]:
    """`missing_returns` of several contracts at once, by contract uuid."""
    ids = dict(
        Contract.select(Contract.id, Contract.uuid)
        .where(Contract.uuid.in_(contract_uuids))
        .tuples()
    )
    missing = _missing_by_contract(list(ids), period)
    return {ids[contract_id]: names for contract_id, names in missing.items()}


def _missing_for(contract_id: int, period: Period) -> list[str]:
    return _missing_by_contract([contract_id], period)[contract_id]


def _missing_by_contract(contract_ids: Sequence[int], period: Period) -> dict[int, list[str]]:
    returned = fn.EXISTS(
        MonthlyReturn.select(MonthlyReturn.id).where(
            (MonthlyReturn.partner == ContractPartner.id)
            & (MonthlyReturn.contract == ContractPartner.contract)
            & (MonthlyReturn.period == period.key)
            & MonthlyReturn.archived_at.is_null()
        )
    )
    query = (
        ContractPartner.select(ContractPartner.contract, Organisation.name)
        .join(Organisation)
        .where(
            ContractPartner.contract.in_(contract_ids)
            & ContractPartner.archived_at.is_null()
            & ContractPartner.role.in_(RETURNING_ROLES)
            & ~returned
        )
        .order_by(ContractPartner.contract, fn.LOWER(Organisation.name))
    )
    found: dict[int, list[str]] = {contract_id: [] for contract_id in contract_ids}
    for contract_id, name in query.tuples():
        found[contract_id].append(name)
    return found
