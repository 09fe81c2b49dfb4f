"""The months of a contract: those returns can be keyed for, the latest returned, the missing."""

from __future__ import annotations

from collections.abc import Sequence

from peewee import fn

from desta_tui.db.models import Contract, ContractPartner, MonthlyReturn, Organisation
from desta_tui.domain.periods import Period, is_month_due, last_ended_month, months_due
from desta_tui.services.context import today
from desta_tui.services.performance.metrics import RETURNING_ROLES, _contract
from desta_tui.services.performance.queries import _live_returns_of


def contract_months(contract_uuid: str) -> list[Period]:
    """The months returns can be keyed for, newest first: the contract's months due (see
    `desta_tui.domain.periods.months_due`), widened to any month that already has a return
    (within the contract's end); with none due yet, back from the last month that has ended."""
    contract = _contract(contract_uuid)
    on = today()
    due = months_due(contract.starts_on, contract.ends_on, None, None, on)
    contract_end = Period.from_date(contract.ends_on) if contract.ends_on else None
    end = due[-1] if due else _within(last_ended_month(on), contract_end)
    latest = latest_returned_period(contract_uuid)
    if latest is not None and latest > end:  # returns keyed ahead stay in reach to correct
        end = _within(latest, contract_end)
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


def _within(period: Period, end: Period | None) -> Period:
    return period if end is None else min(period, end)


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
    """Delivery partners (organisation names) whose return for `period` is due and not in."""
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
    """Per contract, the returning partners with no return for `period` although it is due from
    them: every count of missing returns (grid, figures, dashboard, packs) comes through here,
    and the months due are `desta_tui.domain.periods.is_month_due`'s alone."""
    returned = fn.EXISTS(
        MonthlyReturn.select(MonthlyReturn.id).where(
            (MonthlyReturn.partner == ContractPartner.id)
            & (MonthlyReturn.contract == ContractPartner.contract)
            & (MonthlyReturn.period == period.key)
            & MonthlyReturn.archived_at.is_null()
        )
    )
    query = (
        ContractPartner.select(
            ContractPartner.contract,
            Organisation.name,
            Contract.starts_on,
            Contract.ends_on,
            ContractPartner.starts_on,
            ContractPartner.ends_on,
        )
        .join_from(ContractPartner, Organisation)
        .join_from(ContractPartner, Contract)
        .where(
            ContractPartner.contract.in_(contract_ids)
            & ContractPartner.archived_at.is_null()
            & ContractPartner.role.in_(RETURNING_ROLES)
            & ~returned
        )
        .order_by(ContractPartner.contract, fn.LOWER(Organisation.name))
    )
    on = today()
    found: dict[int, list[str]] = {contract_id: [] for contract_id in contract_ids}
    for contract_id, name, *terms in query.tuples():
        if is_month_due(period, *terms, on):
            found[contract_id].append(name)
    return found
