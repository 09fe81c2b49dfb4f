"""What the Performance section and the targets form offer to pick: the contracts with returns,
and a contract's metrics and partners. Apart from metrics.py, which the dashboard's start reads:
it picks none of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from desta_tui.db.models import Consortium, Contract, Metric, Target
from desta_tui.domain.periods import Period
from desta_tui.services.performance.metrics import (
    _all_metrics,
    _contract,
    _metrics_for,
    _partners_for,
)


@dataclass(frozen=True)
class MetricInfo:
    uuid: str
    code: str
    name: str
    unit: str
    aggregation: str
    numerator_code: str | None = None
    denominator_code: str | None = None


@dataclass(frozen=True)
class ContractChoice:
    uuid: str
    title: str
    stage: str
    first_month: Period | None
    last_month: Period | None


def _metric_info(metric: Metric, by_id: Mapping[int, Metric]) -> MetricInfo:
    numerator = by_id.get(metric.numerator_id) if metric.numerator_id else None
    denominator = by_id.get(metric.denominator_id) if metric.denominator_id else None
    return MetricInfo(
        uuid=metric.uuid,
        code=metric.code,
        name=metric.name,
        unit=metric.unit,
        aggregation=metric.aggregation,
        numerator_code=numerator.code if numerator else None,
        denominator_code=denominator.code if denominator else None,
    )


def contract_metrics(contract_uuid: str) -> list[MetricInfo]:
    """The metrics a contract counts: those it has targets or returns for, with the ratios made
    of them; every metric when it has none yet (so its first returns can be keyed)."""
    contract = _contract(contract_uuid)
    by_id = _all_metrics()
    return [_metric_info(m, by_id) for m in _metrics_for(contract.id, by_id)]


def performance_contracts(consortium_uuid: str | None = None) -> list[ContractChoice]:
    """Contracts that have (or will have) returns: awarded, in delivery, ended, or any with
    targets; the ones in delivery first."""
    has_targets = Target.select(Target.contract).where(Target.archived_at.is_null()).distinct()
    query = Contract.select().where(
        Contract.archived_at.is_null()
        & (Contract.stage.in_(("awarded", "in_delivery", "ended")) | Contract.id.in_(has_targets))
    )
    if consortium_uuid:
        query = query.join_from(Contract, Consortium).where(Consortium.uuid == consortium_uuid)
    order = {"in_delivery": 0, "awarded": 1, "ended": 2}
    contracts = sorted(query, key=lambda c: (order.get(c.stage, 3), c.title.casefold()))
    return [
        ContractChoice(
            uuid=c.uuid,
            title=c.title,
            stage=c.stage,
            first_month=Period.from_date(c.starts_on) if c.starts_on else None,
            last_month=Period.from_date(c.ends_on) if c.ends_on else None,
        )
        for c in contracts
    ]


def partner_choices(contract_uuid: str) -> list[tuple[str, str]]:
    """(organisation name, partner uuid) of the partners that send returns."""
    contract = _contract(contract_uuid)
    return [(name, p.uuid) for p, _u, name in _partners_for(contract.id)]
