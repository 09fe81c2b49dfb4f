"""A counted metric month by month since a contract's first month: each partner's actuals and
targets, to draw cumulative actual against the target trajectory and to add up to date.

The last year is kept month by month; the months before them as one sum per partner, so
that what a pack holds (and draws) does not grow with the years of history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from peewee import SQL, Case, NodeList, fn

from desta_tui.db.models import Contract, ContractPartner, Metric, MonthlyReturn, Target
from desta_tui.domain.errors import DestaError
from desta_tui.domain.periods import Period
from desta_tui.services.performance.figures import ALL_PARTNERS
from desta_tui.services.performance.metrics import (
    CountedContracts,
    PartnerRef,
    _all_metrics,
    _contract,
    _metrics_by_contract,
    _partner_refs_by_contract,
)
from desta_tui.services.performance.queries import _live_returns_of, _rows

TRAJECTORY_MONTHS = 12
"""Months kept one by one (a year, as the month-by-month table shows); those before are summed
and still count in every total, so a pack holds as much for ten years as for one."""


@dataclass(frozen=True)
class Trajectory:
    """One partner's (or all partners') months: what was returned and what was due."""

    name: str
    organisation_uuid: str | None
    #: per month of `ContractTrajectories.months`; None where no return came in
    actuals: tuple[int | None, ...]
    targets: tuple[int, ...]
    #: delivered and due in the months before `ContractTrajectories.months`
    earlier_actual: int = 0
    earlier_target: int = 0

    @property
    def cumulative_actuals(self) -> tuple[int | None, ...]:
        """Delivered to the end of each month since the contract's first, to the last month
        returned (None after it)."""
        returned = [i for i, value in enumerate(self.actuals) if value is not None]
        if not returned:
            return tuple(None for _ in self.actuals)
        running = list(accumulate((value or 0 for value in self.actuals), initial=0))[1:]
        return tuple(
            self.earlier_actual + v if i <= returned[-1] else None for i, v in enumerate(running)
        )

    @property
    def cumulative_targets(self) -> tuple[int, ...]:
        return tuple(self.earlier_target + v for v in accumulate(self.targets))

    @property
    def actual_total(self) -> int:
        return self.earlier_actual + sum(value or 0 for value in self.actuals)

    @property
    def target_total(self) -> int:
        return self.earlier_target + sum(self.targets)


@dataclass(frozen=True)
class ContractTrajectories:
    contract_uuid: str
    contract_title: str
    metric_code: str
    metric_name: str
    #: the last months to the month asked for (at most `TRAJECTORY_MONTHS`), month by month
    months: tuple[Period, ...]
    partners: tuple[Trajectory, ...]
    total: Trajectory
    #: the contract's first month with a target or a return
    first_month: Period | None = None


def contract_trajectories(
    contract_uuid: str, up_to: Period, metric_code: str | None = None
) -> ContractTrajectories | None:
    """`metric_code` (default: the contract's first summed metric) month by month to `up_to`
    for each partner that returns figures, and for all of them; None when the contract counts
    no summed metric or has nothing before `up_to`."""
    contract = _contract(contract_uuid)
    return _trajectories([contract], up_to, metric_code)[0]


def contracts_trajectories(
    contract_uuids: Sequence[str] | CountedContracts, up_to: Period
) -> list[ContractTrajectories | None]:
    """`contract_trajectories` of each contract (its first summed metric), in the order given,
    each query run once for them all (a meeting pack's ten contracts); given
    `CountedContracts`, those contracts and their look-ups."""
    if isinstance(contract_uuids, CountedContracts):
        return _trajectories(contract_uuids.contracts, up_to, None, contract_uuids)
    by_uuid = {c.uuid: c for c in Contract.select().where(Contract.uuid.in_(list(contract_uuids)))}
    if any(uuid not in by_uuid for uuid in contract_uuids):
        raise DestaError("That contract no longer exists.")
    return _trajectories([by_uuid[uuid] for uuid in contract_uuids], up_to, None)


def _trajectories(
    contracts: Sequence[Contract],
    up_to: Period,
    metric_code: str | None,
    known: CountedContracts | None = None,
) -> list[ContractTrajectories | None]:
    ids = [contract.id for contract in contracts]
    if known is None:
        counts = _metrics_by_contract(ids, _all_metrics())
        partners = _partner_refs_by_contract(ids)
    else:
        counts, partners = known.metrics, known.partners
    chosen: dict[int, Metric] = {}
    for contract_id, metrics in counts.items():
        summed = [m for m in metrics if m.aggregation == "sum"]
        metric = next((m for m in summed if metric_code in (None, m.code)), None)
        if metric is not None:
            chosen[contract_id] = metric
    window_start = up_to.shift(-(TRAJECTORY_MONTHS - 1))
    found: dict[int, _Months] = {}
    for metric_id in sorted({metric.id for metric in chosen.values()}):
        group = [cid for cid in ids if cid in chosen and chosen[cid].id == metric_id]
        found.update(_months_of(group, metric_id, window_start, up_to))
    return [
        _contract_trajectory(contract, chosen[contract.id], found[contract.id],
                             partners[contract.id], window_start, up_to)
        if contract.id in chosen
        else None
        for contract in contracts
    ]  # fmt: skip


class _Months(NamedTuple):
    """One contract's metric as read: actuals and targets by partner and month in the window,
    sums before it by ("actual" or "target", partner), and the first month of each sum."""

    actuals: dict[int, dict[str, int]]
    targets: dict[int, dict[str, int]]
    earlier: dict[tuple[str, int], int]
    firsts: list[str]


def _months_of(
    contract_ids: list[int], metric_id: int, window_start: Period, up_to: Period
) -> dict[int, _Months]:
    """The contracts' returns and targets of one metric: the window's month by month, those
    before it summed per partner; a query of each for all the contracts."""
    found = {cid: _Months(defaultdict(dict), defaultdict(dict), {}, []) for cid in contract_ids}
    live = _live_returns_of(contract_ids)
    # `+metric_id`, which SQLite's planner cannot read from an index: it reads the contracts'
    # months from their index on (contract, archived, period, ...), not every return of the
    # metric
    metric = NodeList((SQL("+"), MonthlyReturn.metric), glue="") == metric_id
    window = MonthlyReturn.select(
        MonthlyReturn.contract, MonthlyReturn.partner, MonthlyReturn.period, MonthlyReturn.value
    ).where(
        live & metric & (MonthlyReturn.period >= window_start.key)
        & (MonthlyReturn.period <= up_to.key)
    )  # fmt: skip
    for cid, partner_id, period, value in _rows(window):
        found[cid].actuals[partner_id][period] = int(value)
    before = (
        MonthlyReturn.select(
            MonthlyReturn.contract,
            MonthlyReturn.partner,
            fn.SUM(MonthlyReturn.value),
            fn.MIN(MonthlyReturn.period),
        )
        .where(
            live & (MonthlyReturn.metric == metric_id) & (MonthlyReturn.period < window_start.key)
        )
        .group_by(MonthlyReturn.contract, MonthlyReturn.partner)
    )
    for cid, partner_id, total, first in _rows(before):
        found[cid].earlier[("actual", partner_id)] = int(total or 0)
        found[cid].firsts.append(first)
    # targets by partner (every partner of the contracts, archived too, as by contract), read
    # from the index on (partner, metric, period, archived, value) alone: asked by contract, or
    # with "not archived" in the filter, SQLite reads every target of the contracts' history
    # (or of the hub) instead
    contract_of = dict(
        ContractPartner.select(ContractPartner.id, ContractPartner.contract)
        .where(ContractPartner.contract.in_(contract_ids))
        .tuples()
    )
    partner_ids = sorted(contract_of)
    of_metric = Target.partner.in_(partner_ids) & (Target.metric == metric_id)
    window = Target.select(Target.partner, Target.period, Target.value, Target.archived_at).where(
        of_metric & (Target.period >= window_start.key) & (Target.period <= up_to.key)
    )
    for partner_id, period, value, archived_at in _rows(window):
        if archived_at is None:
            found[contract_of[partner_id]].targets[partner_id][period] = int(value)
    live_target = Target.archived_at.is_null()
    before = (
        Target.select(
            Target.partner,
            fn.SUM(Case(None, [(live_target, Target.value)])),
            fn.MIN(Case(None, [(live_target, Target.period)])),
        )
        .where(of_metric & (Target.period < window_start.key))
        .group_by(Target.partner)
    )
    for partner_id, total, first in _rows(before):
        if first is not None:  # a partner whose every earlier target is archived has none
            months = found[contract_of[partner_id]]
            months.earlier[("target", partner_id)] = int(total or 0)
            months.firsts.append(first)
    return found


def _contract_trajectory(
    contract: Contract,
    metric: Metric,
    found: _Months,
    partner_refs: Sequence[PartnerRef],
    window_start: Period,
    up_to: Period,
) -> ContractTrajectories | None:
    actuals, targets, earlier, firsts = found
    keys = {key for by in (actuals, targets) for months in by.values() for key in months}
    if not keys and not firsts:
        return None
    first = Period.from_key(min([*keys, *firsts]))
    months = [max(first, window_start)]
    while months[-1] < up_to:
        months.append(months[-1].next())
    partners = tuple(
        Trajectory(
            name=name,
            organisation_uuid=organisation_uuid,
            actuals=tuple(actuals[partner_id].get(m.key) for m in months),
            targets=tuple(targets[partner_id].get(m.key, 0) for m in months),
            earlier_actual=earlier.get(("actual", partner_id), 0),
            earlier_target=earlier.get(("target", partner_id), 0),
        )
        for partner_id, _partner_uuid, organisation_uuid, name in partner_refs
    )
    total = Trajectory(
        name=ALL_PARTNERS,
        organisation_uuid=None,
        actuals=tuple(
            None
            if all(p.actuals[i] is None for p in partners)
            else sum(p.actuals[i] or 0 for p in partners)
            for i in range(len(months))
        ),
        targets=tuple(sum(p.targets[i] for p in partners) for i in range(len(months))),
        earlier_actual=sum(p.earlier_actual for p in partners),
        earlier_target=sum(p.earlier_target for p in partners),
    )
    return ContractTrajectories(
        contract_uuid=contract.uuid,
        contract_title=contract.title,
        metric_code=metric.code,
        metric_name=metric.name,
        months=tuple(months),
        partners=partners,
        total=total,
        first_month=first,
    )
