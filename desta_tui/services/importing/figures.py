"""Targets and returns: one figure a row, read by the returns grid's rules and checked, with
the figures already saved, a partner's month at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from peewee import SQL, NodeList, fn

from desta_tui.db.models import Metric, MonthlyReturn, ReturnTotal, Target
from desta_tui.domain.errors import ImportRowError
from desta_tui.domain.periods import Period, parse_period
from desta_tui.domain.returns import CUMULATIVE_RULES, SUBSET_RULES, check_return, rules_for
from desta_tui.services.importing.lookups import Lookups
from desta_tui.services.importing.outcomes import (
    Planned,
    ReturnFigure,
    given_columns,
    outcome_for,
)
from desta_tui.services.importing.rows import RowReader, parse_figure, parse_timestamp


def plan_figure(
    model: type[Target] | type[MonthlyReturn], reader: RowReader, lookups: Lookups, update: bool
) -> Planned | None:
    contract = lookups.contract(reader)
    partner = lookups.partner(reader, contract)
    metric = lookups.metric(reader)
    period = reader.parse("period", lambda text, key: parse_period(text, key).key, required=True)
    value = reader.parse("value", parse_figure, required=True)
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
    # `is None` each: `None in (...)` would ask each record's __eq__ (peewee's, in Python)
    missing = contract is None or partner is None or metric is None
    if missing or period is None or value is None or reader.errors:
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
    if model is MonthlyReturn:
        # a figure the file may not change (no --update) stands as it was saved
        stands = existing.value if planned.outcome.action == "exists" else value
        planned.figure = ReturnFigure(
            reader.line, partner.id, partner.contract_id, metric.code, period, stands
        )
    return planned


# --- a partner's month, checked as the returns grid checks it --------------------------------

# The metrics the return rules compare; the ones that run to date need the months before too.
RULE_CODES = frozenset(
    code for rule in (*SUBSET_RULES, *CUMULATIVE_RULES) for code in (rule.part, rule.whole)
)
TO_DATE_CODES = frozenset(code for rule in CUMULATIVE_RULES for code in (rule.part, rule.whole))


def _check_return_row(
    values: Mapping[str, int | None], to_date_before: Mapping[str, int]
) -> dict[str, str]:
    """The rules on one partner's month (a row of the returns grid), by metric code.

    The one place the importer applies the return rules: `domain.returns.check_return`, the
    returns grid's own, with the rules of every metric the month reports.
    """
    rules = rules_for(code for code, value in values.items() if value is not None)
    return dict(check_return(values, rules, to_date_before=to_date_before).problems)


def check_return_figures(figures: list[ReturnFigure], value_column: str) -> list[ImportRowError]:
    """Every month of every partner the file gives figures for, checked with the figures already
    saved (the file's in their place) and the totals to date before it; and the partner's later
    saved months, whose totals to date the file's figures change. A problem is named on the line
    of the figure it is about, else on the first line of that partner's month."""
    figures = [figure for figure in figures if figure.code in RULE_CODES]
    if not figures:
        return []
    first = min(figure.period for figure in figures)
    contracts = {figure.contract_id for figure in figures}
    partners = {figure.partner_id for figure in figures}
    months, before = _saved_figures(contracts, partners, first)
    in_file: dict[tuple[int, str], dict[str, ReturnFigure]] = defaultdict(dict)
    for figure in figures:
        months[figure.partner_id][figure.period][figure.code] = figure.value
        in_file[(figure.partner_id, figure.period)][figure.code] = figure
    errors: list[ImportRowError] = []
    for partner_id, by_period in months.items():
        to_date = dict(before.get(partner_id, {}))
        last_in_file: dict[str, ReturnFigure] = {}
        for period in sorted(by_period):
            values = by_period[period]
            given = in_file.get((partner_id, period), {})
            if given:
                last_in_file = given
                problems = _check_return_row(values, to_date)
            elif last_in_file:
                # a saved later month: only its totals to date can have changed
                problems = _check_return_row(
                    {code: values.get(code) for code in TO_DATE_CODES}, to_date
                )
                label = Period.from_key(period).label
                problems = {code: f"{message} in {label}" for code, message in problems.items()}
            else:
                problems = {}
            named = given or last_in_file
            for code, message in problems.items():
                figure = named.get(code) or min(named.values(), key=lambda f: f.line)
                errors.append(ImportRowError(figure.line, value_column, message))
            for code in TO_DATE_CODES:
                to_date[code] = to_date.get(code, 0) + (values.get(code) or 0)
    return errors


def _saved_figures(
    contracts: set[int], partners: set[int], first: str
) -> tuple[dict[int, dict[str, dict[str, int]]], dict[int, dict[str, int]]]:
    """The partners' saved figures the rules compare, by month from `first` on; and their totals
    to date before `first`, for the rules that run to date."""
    live = MonthlyReturn.contract.in_(sorted(contracts)) & MonthlyReturn.archived_at.is_null()
    # the metric joined by `+metric_id`, which SQLite's planner cannot read from an index: it
    # reads the contracts' months from the index on (contract, archived, period, ...) instead of
    # every return of each metric (a second on a hub of ten years)
    metric = NodeList((SQL("+"), MonthlyReturn.metric), glue="") == Metric.id
    months: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    query = (
        MonthlyReturn.select(
            MonthlyReturn.partner, Metric.code, MonthlyReturn.period, MonthlyReturn.value
        )
        .join(Metric, on=metric)
        .where(live & (MonthlyReturn.period >= first) & Metric.code.in_(sorted(RULE_CODES)))
    )
    for partner_id, code, period, value in query.tuples():
        if partner_id in partners:
            months[partner_id][period][code] = int(value)
    # the totals before `first`: the kept totals of every live return (return_total) less the
    # months from `first` on; summing the months before would read the whole history
    to_date = Metric.code.in_(sorted(TO_DATE_CODES))
    since: dict[tuple[int, str], tuple[int, int]] = {}
    query = (
        MonthlyReturn.select(
            MonthlyReturn.partner,
            Metric.code,
            fn.SUM(MonthlyReturn.value),
            fn.COUNT(MonthlyReturn.id),
        )
        .join(Metric, on=metric)
        .where(live & (MonthlyReturn.period >= first) & to_date)
        .group_by(MonthlyReturn.partner, Metric.code)
    )
    for partner_id, code, total, count in query.tuples():
        since[(partner_id, code)] = (int(total or 0), int(count))
    before: dict[int, dict[str, int]] = defaultdict(dict)
    totals = (
        ReturnTotal.select(
            ReturnTotal.partner_id, Metric.code, ReturnTotal.value_sum, ReturnTotal.months
        )
        .join(Metric, on=(ReturnTotal.metric_id == Metric.id))
        .where(ReturnTotal.contract_id.in_(sorted(contracts)) & to_date)
    )
    for partner_id, code, total, count in totals.tuples():
        later_total, later_count = since.get((partner_id, code), (0, 0))
        if partner_id in partners and int(count) > later_count:  # a month before `first`
            before[partner_id][code] = int(total) - later_total
    return months, before
