"""The returns behind a figure, oldest first, each with its corrections and their notes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN, fn

from desta_tui.db.models import (
    AuditLog,
    ContractPartner,
    Metric,
    MonthlyReturn,
    Organisation,
    Target,
)
from desta_tui.domain.errors import DestaError
from desta_tui.domain.periods import Period
from desta_tui.services.performance.metrics import _contract
from desta_tui.services.performance.queries import _live_returns, _target_join


@dataclass(frozen=True)
class Correction:
    at: datetime
    who: str
    old_value: str | None
    new_value: str | None
    note: str


@dataclass(frozen=True)
class ReturnLine:
    """One return behind a figure: the month, the value, who entered it and when."""

    return_uuid: str
    period: Period
    organisation_name: str
    metric_code: str
    metric_name: str
    value: int
    target: int | None
    entered_by: str
    entered_at: datetime | None
    correction_note: str
    corrections: tuple[Correction, ...]


def figure_returns(
    contract_uuid: str,
    metric_code: str,
    partner_uuid: str | None = None,
    up_to: Period | None = None,
) -> list[ReturnLine]:
    """The returns a figure is made of, oldest first: for a ratio, both its numerator's and its
    denominator's; for a total row (partner None), every partner's."""
    contract = _contract(contract_uuid)
    metric = Metric.get_or_none(Metric.code == metric_code)
    if metric is None:
        raise DestaError(f"There is no metric {metric_code!r}.")
    metric_ids = (
        [metric.numerator_id, metric.denominator_id]
        if metric.aggregation == "ratio"
        else [metric.id]
    )
    query = (
        MonthlyReturn.select(MonthlyReturn, Metric, ContractPartner, Organisation, Target.value)
        .join_from(MonthlyReturn, Metric)
        .join_from(MonthlyReturn, ContractPartner)
        .join_from(ContractPartner, Organisation)
        .join_from(MonthlyReturn, Target, JOIN.LEFT_OUTER, on=_target_join())
        .where(_live_returns(contract.id) & MonthlyReturn.metric.in_(metric_ids))
        .order_by(MonthlyReturn.period, fn.LOWER(Organisation.name), Metric.sort_order)
    )
    if partner_uuid:
        query = query.where(ContractPartner.uuid == partner_uuid)
    if up_to is not None:
        query = query.where(MonthlyReturn.period <= up_to.key)
    returns = list(query)
    history: dict[str, list[Correction]] = defaultdict(list)
    notes: dict[tuple[str, datetime], str] = {}
    uuids = [r.uuid for r in returns]
    for start in range(0, len(uuids), 500):  # keep the IN list within SQLite's limits
        for entry in (
            AuditLog.select()
            .where(
                AuditLog.record_uuid.in_(uuids[start : start + 500])
                & (AuditLog.action == "update")
                & AuditLog.field.in_(("value", "correction_note"))
            )
            .order_by(AuditLog.at, AuditLog.id)
        ):
            if entry.field == "correction_note":
                notes[(entry.record_uuid, entry.at)] = entry.new_value or ""
            else:
                history[entry.record_uuid].append(
                    Correction(entry.at, entry.who, entry.old_value, entry.new_value, "")
                )
    lines = []
    for r in returns:
        corrections = tuple(
            Correction(c.at, c.who, c.old_value, c.new_value, notes.get((r.uuid, c.at), ""))
            for c in history.get(r.uuid, [])
        )
        target = r.target.value if hasattr(r, "target") and r.target is not None else None
        lines.append(
            ReturnLine(
                return_uuid=r.uuid,
                period=Period.from_key(r.period),
                organisation_name=r.partner.organisation.name,
                metric_code=r.metric.code,
                metric_name=r.metric.name,
                value=int(r.value),
                target=int(target) if target is not None else None,
                entered_by=r.entered_by,
                entered_at=r.entered_at,
                correction_note=r.correction_note,
                corrections=corrections,
            )
        )
    return lines
