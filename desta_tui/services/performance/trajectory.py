"""A counted metric month by month since a contract's first month: each partner's actuals and
targets, to draw cumulative actual against the target trajectory and to add up to date.

The last year is kept month by month; the months before them as one sum per partner, so
that what a pack holds (and draws) does not grow with the years of history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate

from peewee import fn

from desta_tui.db.models import MonthlyReturn, Target
from desta_tui.domain.periods import Period
from desta_tui.services.performance.figures import ALL_PARTNERS
from desta_tui.services.performance.metrics import (
    _all_metrics,
    _contract,
    _metrics_for,
    _partners_for,
)
from desta_tui.services.performance.queries import _rows

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
    summed = [m for m in _metrics_for(contract.id, _all_metrics()) if m.aggregation == "sum"]
    metric = next((m for m in summed if metric_code in (None, m.code)), None)
    if metric is None:
        return None
    window_start = up_to.shift(-(TRAJECTORY_MONTHS - 1))
    actuals: dict[int, dict[str, int]] = defaultdict(dict)
    targets: dict[int, dict[str, int]] = defaultdict(dict)
    earlier: dict[tuple[str, int], int] = {}
    firsts: list[str] = []
    for label, model, into in (("actual", MonthlyReturn, actuals), ("target", Target, targets)):
        live = (
            (model.contract == contract.id)
            & (model.metric == metric.id)
            & (model.period <= up_to.key)
            & model.archived_at.is_null()
        )
        query = model.select(model.partner, model.period, model.value).where(
            live & (model.period >= window_start.key)
        )
        for partner_id, period, value in _rows(query):
            into[partner_id][period] = int(value)
        summed = (
            model.select(model.partner, fn.SUM(model.value), fn.MIN(model.period))
            .where(live & (model.period < window_start.key))
            .group_by(model.partner)
        )
        for partner_id, total, first in _rows(summed):
            earlier[(label, partner_id)] = int(total or 0)
            firsts.append(first)
    keys = {key for found in (actuals, targets) for months in found.values() for key in months}
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
            actuals=tuple(actuals[partner.id].get(m.key) for m in months),
            targets=tuple(targets[partner.id].get(m.key, 0) for m in months),
            earlier_actual=earlier.get(("actual", partner.id), 0),
            earlier_target=earlier.get(("target", partner.id), 0),
        )
        for partner, organisation_uuid, name in _partners_for(contract.id)
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
