"""Targets and returns: one figure a row, read by the returns grid's rules and checked, with
the figures already saved, a partner's month at a time."""

from __future__ import annotations

from typing import Any

from desta_tui.db.models import MonthlyReturn, Target
from desta_tui.domain.periods import parse_period
from desta_tui.services.importing.lookups import Lookups
from desta_tui.services.importing.outcomes import Planned, given_columns, outcome_for
from desta_tui.services.importing.rows import RowReader, parse_count, parse_timestamp


def plan_figure(
    model: type[Target] | type[MonthlyReturn], reader: RowReader, lookups: Lookups, update: bool
) -> Planned | None:
    contract = lookups.contract(reader)
    partner = lookups.partner(reader, contract)
    metric = lookups.metric(reader)
    period = reader.parse("period", lambda text, key: parse_period(text, key).key, required=True)
    value = reader.parse("value", parse_count, required=True)
    extra: dict[str, Any] = {}
    if model is MonthlyReturn:
        extra = given_columns(
            reader,
            {
                "entered_by": reader.text("entered_by"),
                "entered_at": reader.parse("entered_at", parse_timestamp),
                "correction_note": reader.text("correction_note"),
            },
        )
    if None in (contract, partner, metric, period, value) or reader.errors:
        return None
    key = (model.__name__, partner.id, metric.id, period)
    label = f"{contract.title} · {partner.organisation.name} · {metric.code} · {period}"
    if not lookups.first_line(key, reader, "metric", label):
        return None
    existing = lookups.figure(model, partner, metric, period)
    if existing is not None and existing.archived_at is not None:
        reader.fail("period", f"{label} is archived: restore it first")
        return None
    values = {"value": value, **extra}
    if existing is None:
        values.update(contract=contract, partner=partner, metric=metric, period=period)
        if model is MonthlyReturn:
            values["entered_by"] = values.get("entered_by") or lookups.who
            values["entered_at"] = values.get("entered_at") or lookups.started_at
    elif model is MonthlyReturn:
        # who entered the figure is history, not data to overwrite from a file
        values.pop("entered_by", None)
        values.pop("entered_at", None)
    planned = outcome_for(reader, label, model, existing, values, update)
    if model is MonthlyReturn and planned.steps and lookups.is_locked(contract, period):
        # a locked month has been reported to the commissioner: it changes only once unlocked
        reader.fail(
            "period", f"{period} is locked for {contract.title}: unlock it to change returns"
        )
        return None
    return planned
