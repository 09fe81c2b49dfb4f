"""Targets set in bulk: a figure per partner spread over months, evenly or by a profile."""

from __future__ import annotations

from dataclasses import dataclass

from desta_tui.db.database import db
from desta_tui.db.models import Metric, Target
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.metrics import parse_profile, parse_rate, spread_by_profile, spread_evenly
from desta_tui.domain.periods import parse_period
from desta_tui.domain.returns import parse_count
from desta_tui.services.audit import create_record, update_record, write_audit
from desta_tui.services.performance.metrics import RETURNING_ROLES, _contract, _partners_for


@dataclass(frozen=True)
class TargetsResult:
    partners: int
    months: int
    written: int
    per_partner: tuple[int, ...]  # the monthly figures each partner got, first month first


def set_targets(
    contract_uuid: str,
    metric_code: str,
    first_month: str,
    months: str | int,
    figure: str,
    partner_uuid: str | None = None,
    profile: str = "",
) -> TargetsResult:
    """Bulk entry: an annual (or whole-span) figure per partner spread over `months` months,
    evenly or by a profile, in whole numbers that add up exactly. A rate metric's figure (63%)
    is the level for every month. `partner_uuid` None sets every delivery partner."""
    contract = _contract(contract_uuid)
    errors: list[ValidationError] = []
    metric = Metric.get_or_none((Metric.code == metric_code) & Metric.archived_at.is_null())
    if metric is None:
        errors.append(ValidationError("metric", "choose a metric"))
    start = count = None
    try:
        start = parse_period(first_month, "first_month")
    except ValidationError as error:
        errors.append(error)
    try:
        count = int(str(months).strip())
        if not 1 <= count <= 120:
            raise ValueError
    except ValueError:
        errors.append(ValidationError("months", "give a number of months from 1 to 120"))
    value = None
    try:
        if metric is not None and metric.unit == "rate":
            value = parse_rate(figure, "figure")
        else:
            value = parse_count(figure, "figure")
        if value is None:
            errors.append(ValidationError("figure", "enter the figure to spread"))
    except ValidationError as error:
        errors.append(error)
    weights = None
    if count is not None:
        try:
            weights = parse_profile(profile, count)
        except ValidationError as error:
            errors.append(error)
    FormError.raise_if_any(errors)
    assert metric is not None and start is not None and count is not None and value is not None
    partners = [
        p
        for p, _u, _n in _partners_for(contract.id)
        if partner_uuid is None or p.uuid == partner_uuid
    ]
    if partner_uuid is not None and not partners:
        raise ValidationError("partner", "that partner is not on this contract")
    if partner_uuid is None:
        partners = [p for p in partners if p.role in RETURNING_ROLES]
    if not partners:
        raise ValidationError("partner", "this contract has no delivery partners yet")
    if metric.unit == "rate":
        monthly = [value] * count
    elif weights is None:
        monthly = spread_evenly(value, count)
    else:
        monthly = spread_by_profile(value, weights)
    periods = [start.shift(offset) for offset in range(count)]
    written = 0
    with db.atomic():
        existing = {
            (t.partner_id, t.period): t
            for t in Target.select().where(
                (Target.contract == contract.id)
                & (Target.metric == metric.id)
                & Target.period.in_([p.key for p in periods])
            )
        }
        for partner in partners:
            for period, amount in zip(periods, monthly, strict=True):
                target = existing.get((partner.id, period.key))
                if target is None:
                    create_record(
                        Target,
                        contract=contract,
                        partner=partner,
                        metric=metric,
                        period=period.key,
                        value=amount,
                    )
                    written += 1
                    continue
                if target.archived_at is not None:
                    target.archived_at = None
                    target.save()
                    write_audit(target, "restore", "archived_at")
                if update_record(target, value=amount):
                    written += 1
    return TargetsResult(len(partners), count, written, tuple(monthly))
