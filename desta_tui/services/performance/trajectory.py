"""A counted metric month by month since a contract's first month: each partner's actuals and
targets, to draw cumulative actual against the target trajectory and to add up to date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate

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


@dataclass(frozen=True)
class Trajectory:
    """One partner's (or all partners') months: what was returned and what was due."""

    name: str
    organisation_uuid: str | None
    #: per month of `ContractTrajectories.months`; None where no return came in
    actuals: tuple[int | None, ...]
    targets: tuple[int, ...]

    @property
    def cumulative_actuals(self) -> tuple[int | None, ...]:
        """Delivered to the end of each month, to the last month returned (None after it)."""
        returned = [i for i, value in enumerate(self.actuals) if value is not None]
        if not returned:
            return tuple(None for _ in self.actuals)
        running = list(accumulate(value or 0 for value in self.actuals))
        return tuple(v if i <= returned[-1] else None for i, v in enumerate(running))

    @property
    def cumulative_targets(self) -> tuple[int, ...]:
        return tuple(accumulate(self.targets))

    @property
    def actual_total(self) -> int:
        return sum(value or 0 for value in self.actuals)

    @property
    def target_total(self) -> int:
        return sum(self.targets)


@dataclass(frozen=True)
class ContractTrajectories:
    contract_uuid: str
    contract_title: str
    metric_code: str
    metric_name: str
    #: from the contract's first month with a target or a return to the month asked for
    months: tuple[Period, ...]
    partners: tuple[Trajectory, ...]
    total: Trajectory


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
    actuals: dict[int, dict[str, int]] = defaultdict(dict)
    targets: dict[int, dict[str, int]] = defaultdict(dict)
    for model, into in ((MonthlyReturn, actuals), (Target, targets)):
        query = model.select(model.partner, model.period, model.value).where(
            (model.contract == contract.id)
            & (model.metric == metric.id)
            & (model.period <= up_to.key)
            & model.archived_at.is_null()
        )
        for partner_id, period, value in _rows(query):
            into[partner_id][period] = int(value)
    keys = {key for found in (actuals, targets) for months in found.values() for key in months}
    if not keys:
        return None
    first = Period.from_key(min(keys))
    months = [first]
    while months[-1] < up_to:
        months.append(months[-1].next())
    partners = tuple(
        Trajectory(
            name=name,
            organisation_uuid=organisation_uuid,
            actuals=tuple(actuals[partner.id].get(m.key) for m in months),
            targets=tuple(targets[partner.id].get(m.key, 0) for m in months),
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
    )
    return ContractTrajectories(
        contract_uuid=contract.uuid,
        contract_title=contract.title,
        metric_code=metric.code,
        metric_name=metric.name,
        months=tuple(months),
        partners=partners,
        total=total,
    )
