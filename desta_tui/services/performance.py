"""Targets, monthly returns, period locks and trajectory RAG per partner, metric and contract.

How "target to date" treats a missing return: a month a partner has not returned counts
neither its actual nor its target (see `desta_tui.domain.metrics.sum_to_date`), so a late return
makes a partner look neither better nor worse than the months it did report; the missing return
is listed on its own (`missing_returns`) and the dashboard shows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from peewee import JOIN, fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    AuditLog,
    Consortium,
    Contract,
    ContractPartner,
    Metric,
    MonthlyReturn,
    Organisation,
    PeriodLock,
    Target,
)
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.metrics import (
    CUMULATIVE_RULES,
    ToDate,
    check_return,
    combine_partners,
    first_cumulative_breach,
    format_figure,
    parse_count,
    parse_profile,
    parse_rate,
    rate_figure,
    ratio_basis_points,
    spread_by_profile,
    spread_evenly,
)
from desta_tui.domain.periods import Period
from desta_tui.domain.rag import Rag, RagResult, Thresholds, format_percent, trajectory_status
from desta_tui.services.audit import create_record, update_record, write_audit
from desta_tui.services.context import current_user, now, today
from desta_tui.services.settings import get_setting, set_setting

# Partners that deliver and so send returns; the support provider helps them and does not.
RETURNING_ROLES = ("lead", "delivery")
# Months a sparkline shows, ending with the month the figures run to.
SPARKLINE_MONTHS = 12
ALL_PARTNERS = "All partners"


# --- shared contract (tickets and reports import these) --------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One partner's (or the whole contract's) figure for one metric, to date."""

    contract_uuid: str
    contract_title: str
    partner_uuid: str | None  # ContractPartner.uuid; None on contract-total rows
    organisation_uuid: str | None
    organisation_name: str  # "All partners" on total rows
    metric_code: str
    metric_name: str
    unit: str  # "count" or "rate" (rates in basis points: 8300 = 83%)
    target_to_date: int
    actual_to_date: int
    months_of_data: int
    rag: RagResult
    monthly_actuals: tuple[int | None, ...]  # oldest first, for sparklines
    #: the months `monthly_actuals` covers, oldest first (period keys)
    months: tuple[str, ...] = ()
    #: for rates, the summed counts behind the figure (retained, recruited)
    numerator: int = 0
    denominator: int = 0
    #: the latest month this row has a return for, or None
    last_returned: Period | None = None

    @property
    def is_total(self) -> bool:
        return self.partner_uuid is None

    @property
    def percent(self) -> str:
        return self.rag.percent

    @property
    def target_text(self) -> str:
        return format_figure(self.target_to_date, self.unit) if self.target_to_date else "–"

    @property
    def actual_text(self) -> str:
        if self.months_of_data == 0:
            return "–"
        if self.unit == "rate" and self.denominator == 0:
            return "–"
        return format_figure(self.actual_to_date, self.unit)


@dataclass(frozen=True)
class ContractPerformance:
    contract_uuid: str
    contract_title: str
    up_to: Period
    rows: list[FigureRow]  # partner x metric
    totals: list[FigureRow]  # one per metric for the whole contract
    #: delivery partners whose return for `up_to` is not in (organisation names)
    missing: list[str] = field(default_factory=list)


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


# --- thresholds -------------------------------------------------------------------------------


def rag_thresholds() -> Thresholds:
    """The green and amber thresholds from Settings (the product defaults if unreadable)."""
    try:
        return Thresholds(get_setting("rag_green_at"), get_setting("rag_amber_at"))
    except ValidationError:
        return Thresholds()


def _parse_threshold(text: str, field_name: str) -> Decimal:
    raw = (text or "").strip().rstrip("%").strip()
    if not raw:
        raise ValidationError(field_name, "enter a percentage like 95%")
    try:
        percent = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(field_name, f"{text!r} is not a percentage like 95%") from None
    if not percent.is_finite() or not 0 < percent <= 200:
        raise ValidationError(field_name, "give a percentage above 0% and at most 200%")
    return percent / 100


def set_rag_thresholds(green_text: str, amber_text: str) -> Thresholds:
    """Save the thresholds typed as percentages (`95`, `95%`); both checked before either is."""
    errors = []
    values = {}
    for name, text in (("rag_green_at", green_text), ("rag_amber_at", amber_text)):
        try:
            values[name] = _parse_threshold(text, name)
        except ValidationError as error:
            errors.append(error)
    FormError.raise_if_any(errors)
    try:
        thresholds = Thresholds(values["rag_green_at"], values["rag_amber_at"])
    except ValidationError as error:
        raise FormError([ValidationError("rag_amber_at", error.message)]) from None
    with db.atomic():
        set_setting("rag_green_at", str(thresholds.green_at.normalize()))
        set_setting("rag_amber_at", str(thresholds.amber_at.normalize()))
    return thresholds


# --- look-ups ---------------------------------------------------------------------------------


def _contract(contract_uuid: str) -> Contract:
    contract = Contract.get_or_none(Contract.uuid == contract_uuid)
    if contract is None:
        raise DestaError("That contract no longer exists.")
    return contract


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


def _all_metrics() -> dict[int, Metric]:
    query = Metric.select().where(Metric.archived_at.is_null()).order_by(Metric.sort_order)
    return {metric.id: metric for metric in query}


def contract_metrics(contract_uuid: str) -> list[MetricInfo]:
    """The metrics a contract counts: those it has targets or returns for, with the ratios made
    of them; every metric when it has none yet (so its first returns can be keyed)."""
    contract = _contract(contract_uuid)
    by_id = _all_metrics()
    return [_metric_info(m, by_id) for m in _metrics_for(contract.id, by_id)]


def _metrics_for(contract_id: int, by_id: Mapping[int, Metric]) -> list[Metric]:
    return _metrics_by_contract([contract_id], by_id)[contract_id]


def _metrics_by_contract(
    contract_ids: Sequence[int],
    by_id: Mapping[int, Metric],
    returned: Mapping[int, set[int]] | None = None,
) -> dict[int, list[Metric]]:
    """Per contract, the metrics it counts (see `contract_metrics`), in two queries for all
    (one, when the metrics each has live returns for are already known: `returned`)."""
    used: dict[int, set[int]] = defaultdict(set)
    for contract_id, metric_ids in (returned or {}).items():
        used[contract_id].update(metric_ids)
    for model in (Target,) if returned is not None else (Target, MonthlyReturn):
        query = model.select(model.contract, model.metric).where(
            model.contract.in_(contract_ids) & model.archived_at.is_null()
        )
        for contract_id, metric_id in query.distinct().tuples():
            used[contract_id].add(metric_id)
    return {contract_id: _chosen_metrics(used[contract_id], by_id) for contract_id in contract_ids}


def _chosen_metrics(used: set[int], by_id: Mapping[int, Metric]) -> list[Metric]:
    if not used:
        used = {mid for mid, m in by_id.items() if m.aggregation != "ratio"}
    chosen = []
    for metric_id, metric in by_id.items():
        if metric.aggregation == "ratio":
            parts = {metric.numerator_id, metric.denominator_id}
            if parts <= set(by_id) and parts <= used:
                chosen.append(metric)
        elif metric_id in used:
            chosen.append(metric)
    return chosen


def _partners_for(contract_id: int) -> list[tuple[ContractPartner, str, str]]:
    """(partner, organisation uuid, organisation name) of the partners that return figures."""
    return _partners_by_contract([contract_id])[contract_id]


def _partners_by_contract(
    contract_ids: Sequence[int],
) -> dict[int, list[tuple[ContractPartner, str, str]]]:
    """Per contract, `_partners_for` of each, in one query: delivery partners and any partner
    with targets, by name."""
    has_targets = fn.EXISTS(
        Target.select(Target.id).where(
            (Target.partner == ContractPartner.id)
            & (Target.contract == ContractPartner.contract)
            & Target.archived_at.is_null()
        )
    )
    query = (
        ContractPartner.select(ContractPartner, Organisation.uuid, Organisation.name)
        .join(Organisation)
        .where(
            ContractPartner.contract.in_(contract_ids)
            & ContractPartner.archived_at.is_null()
            & (ContractPartner.role.in_(RETURNING_ROLES) | has_targets)
        )
        .order_by(ContractPartner.contract, fn.LOWER(Organisation.name))
    )
    found: dict[int, list[tuple[ContractPartner, str, str]]] = {cid: [] for cid in contract_ids}
    for p in query:
        found[p.contract_id].append((p, p.organisation.uuid, p.organisation.name))
    return found


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


# --- performance ------------------------------------------------------------------------------


def contract_performance(contract_uuid: str, up_to: Period | None = None) -> ContractPerformance:
    """Every partner's figure for every metric to `up_to` (default: the latest month returned),
    and the contract's totals; counted in SQL, a handful of queries whatever the history."""
    contract = _contract(contract_uuid)
    return _performances([contract], up_to, rag_thresholds(), _all_metrics())[0]


def _performances(
    contracts: Sequence[Contract],
    up_to: Period | None,
    thresholds: Thresholds,
    by_id: Mapping[int, Metric],
    with_missing: bool = True,
    with_totals: bool = True,
) -> list[ContractPerformance]:
    """`contract_performance` of each contract, in order: each query runs once for all of them
    (the per-month ones once per month the figures run to, when contracts' latest differ).
    Without missing returns or totals when the caller wants only the partners' rows."""
    ids = [contract.id for contract in contracts]
    # (partner, metric) -> figure, per contract; with no `up_to`, every live return counts, so
    # the same pass also gives each contract's latest month and the metrics it has returns for
    counted = _sum_figures(ids, up_to)
    if up_to is None:
        fallback = Period.from_date(today()).previous()
        ends = {cid: max(counted[cid].last_returned.values(), default=fallback) for cid in ids}
        returned = {cid: {mid for _pid, mid in counted[cid].sums} for cid in ids}
        metrics = _metrics_by_contract(ids, by_id, returned)
    else:
        ends = dict.fromkeys(ids, up_to)
        metrics = _metrics_by_contract(ids, by_id)
    partners = _partners_by_contract(ids)
    found: dict[int, ContractPerformance] = {}
    for end in sorted(set(ends.values())):
        group = [contract_id for contract_id in ids if ends[contract_id] == end]
        window = tuple(end.shift(-offset).key for offset in range(SPARKLINE_MONTHS - 1, -1, -1))
        series = _monthly_values(group, window)
        used = {m.id: m for contract_id in group for m in metrics[contract_id]}
        latest_ids = sorted(mid for mid, m in used.items() if m.aggregation == "latest")
        if latest_ids:
            for contract_id, figures in _latest_figures(group, end, latest_ids).items():
                counted[contract_id].sums.update(figures)
        # contract id -> metric id -> partner id -> ToDate
        ratios: dict[int, dict[int, dict[int, ToDate]]] = defaultdict(dict)
        for metric in used.values():
            if metric.aggregation == "ratio":
                for contract_id, figures in _ratio_figures(group, end, metric).items():
                    ratios[contract_id][metric.id] = figures
        missing = _missing_by_contract(group, end) if with_missing else {}
        for contract in contracts:
            if contract.id in group:
                found[contract.id] = _contract_figures(
                    contract,
                    end,
                    window,
                    thresholds,
                    metrics[contract.id],
                    partners[contract.id],
                    counted[contract.id],
                    series[contract.id],
                    ratios[contract.id],
                    missing=missing.get(contract.id, []),
                    with_totals=with_totals,
                )
    return [found[contract_id] for contract_id in ids]


def _contract_figures(
    contract: Contract,
    up_to: Period,
    window: tuple[str, ...],
    thresholds: Thresholds,
    metrics: list[Metric],
    partners: list[tuple[ContractPartner, str, str]],
    counted: _Counted,
    series: Mapping[tuple[int, int], Mapping[str, int]],
    ratios: Mapping[int, Mapping[int, ToDate]],
    missing: list[str],
    with_totals: bool = True,
) -> ContractPerformance:
    """One contract's rows (and totals, unless not wanted) from the figures counted for it."""
    sums, last_returned = counted
    rows: list[FigureRow] = []
    parts_by_metric: dict[int, list[ToDate]] = defaultdict(list)
    for partner, org_uuid, org_name in partners:
        partner_id = partner.id
        for metric in metrics:
            metric_id = metric.id
            if metric.aggregation == "ratio":
                figure = ratios.get(metric_id, {}).get(partner_id, ToDate(0, 0, 0))
                monthly = _ratio_series(series, partner_id, metric, window)
            else:
                figure = sums.get((partner_id, metric_id), ToDate(0, 0, 0))
                values = series.get((partner_id, metric_id), {})
                monthly = tuple(map(values.get, window))
            parts_by_metric[metric_id].append(figure)
            rows.append(
                _figure_row(
                    contract,
                    metric,
                    figure,
                    thresholds,
                    monthly,
                    window,
                    partner_uuid=partner.uuid,
                    organisation_uuid=org_uuid,
                    organisation_name=org_name,
                    last_returned=last_returned.get(partner_id),
                )
            )

    totals = []
    for metric in metrics if with_totals else ():
        figure = combine_partners(metric.aggregation, parts_by_metric[metric.id])
        monthly = _total_series(rows, metric, series, partners, window)
        totals.append(
            _figure_row(
                contract,
                metric,
                figure,
                thresholds,
                monthly,
                window,
                partner_uuid=None,
                organisation_uuid=None,
                organisation_name=ALL_PARTNERS,
                last_returned=max(last_returned.values(), default=None),
            )
        )
    return ContractPerformance(
        contract_uuid=contract.uuid,
        contract_title=contract.title,
        up_to=up_to,
        rows=rows,
        totals=totals,
        missing=missing,
    )


def _figure_row(
    contract: Contract,
    metric: Metric,
    figure: ToDate,
    thresholds: Thresholds,
    monthly: tuple[int | None, ...],
    window: tuple[str, ...],
    **who,
) -> FigureRow:
    actual = figure.actual
    if metric.aggregation == "ratio" and figure.denominator == 0:
        # no one recruited yet: there is no rate to judge, whatever the months say
        rag = RagResult(Rag.NO_DATA, None, is_provisional=True, note="nothing to divide yet")
    else:
        rag = trajectory_status(actual, figure.target, figure.months, thresholds)
    return FigureRow(
        contract_uuid=contract.uuid,
        contract_title=contract.title,
        metric_code=metric.code,
        metric_name=metric.name,
        unit=metric.unit,
        target_to_date=figure.target,
        actual_to_date=actual,
        months_of_data=figure.months,
        rag=rag,
        monthly_actuals=monthly,
        months=window,
        numerator=figure.numerator,
        denominator=figure.denominator,
        **who,
    )


def _live_returns(contract_id: int):
    return (MonthlyReturn.contract == contract_id) & MonthlyReturn.archived_at.is_null()


def _live_returns_of(contract_ids: Sequence[int]):
    return MonthlyReturn.contract.in_(contract_ids) & MonthlyReturn.archived_at.is_null()


def _target_join():
    # a target counts only for a month with a return (the rule in domain.metrics.sum_to_date)
    return (
        (Target.partner == MonthlyReturn.partner)
        & (Target.metric == MonthlyReturn.metric)
        & (Target.period == MonthlyReturn.period)
        & Target.archived_at.is_null()
    )


def _rows(query) -> list[tuple]:
    """A query's rows as the driver gives them: no per-value conversion, for long results of
    plain integers and text."""
    return db.execute_sql(*query.sql()).fetchall()


class _Counted(NamedTuple):
    """One contract's returns summed."""

    #: (partner id, metric id) -> the figure to date
    sums: dict[tuple[int, int], ToDate]
    #: partner id -> the latest month it returned
    last_returned: dict[int, Period]


def _sum_figures(contract_ids: Sequence[int], up_to: Period | None) -> dict[int, _Counted]:
    """Per contract: figures to `up_to` (every month when None) by (partner, metric), and each
    partner's latest month."""
    query = (
        MonthlyReturn.select(
            MonthlyReturn.contract,
            MonthlyReturn.partner,
            MonthlyReturn.metric,
            fn.SUM(MonthlyReturn.value),
            fn.SUM(fn.COALESCE(Target.value, 0)),
            fn.COUNT(MonthlyReturn.id),
            fn.MAX(MonthlyReturn.period),
        )
        .join(Target, JOIN.LEFT_OUTER, on=_target_join())
        .where(_live_returns_of(contract_ids))
        # in the order of the index monthly_return_contract_figures: no sorting
        .group_by(MonthlyReturn.contract, MonthlyReturn.metric, MonthlyReturn.partner)
    )
    if up_to is not None:
        query = query.where(MonthlyReturn.period <= up_to.key)
    counted = {cid: _Counted({}, {}) for cid in contract_ids}
    last: dict[int, dict[int, str]] = {cid: {} for cid in contract_ids}
    for cid, pid, mid, actual, target, months, latest in _rows(query):
        counted[cid].sums[(pid, mid)] = ToDate(int(actual or 0), int(target or 0), int(months))
        if latest and latest > last[cid].get(pid, ""):
            last[cid][pid] = latest
    for cid, by_partner in last.items():
        counted[cid].last_returned.update(
            (pid, Period.from_key(key)) for pid, key in by_partner.items()
        )
    return counted


def _monthly_values(
    contract_ids: Sequence[int], window: Sequence[str]
) -> dict[int, dict[tuple[int, int], dict[str, int]]]:
    """Per contract, each (partner, metric)'s values by month over the sparkline's window."""
    query = MonthlyReturn.select(
        MonthlyReturn.contract,
        MonthlyReturn.partner,
        MonthlyReturn.metric,
        MonthlyReturn.period,
        MonthlyReturn.value,
    ).where(
        _live_returns_of(contract_ids)
        & (MonthlyReturn.period >= window[0])
        & (MonthlyReturn.period <= window[-1])
    )
    series: dict[int, dict[tuple[int, int], dict[str, int]]] = {
        cid: defaultdict(dict) for cid in contract_ids
    }
    for cid, pid, mid, period, value in _rows(query):
        series[cid][(pid, mid)][period] = int(value)
    return series


def _latest_figures(
    contract_ids: Sequence[int], up_to: Period, metric_ids: list[int]
) -> dict[int, dict[tuple[int, int], ToDate]]:
    """For "latest" metrics, per contract: the value and target of each partner's latest
    returned month."""
    last = (
        MonthlyReturn.select(
            MonthlyReturn.contract.alias("cid"),
            MonthlyReturn.partner.alias("pid"),
            MonthlyReturn.metric.alias("mid"),
            fn.MAX(MonthlyReturn.period).alias("last_period"),
            fn.COUNT(MonthlyReturn.id).alias("months"),
        )
        .where(
            _live_returns_of(contract_ids)
            & (MonthlyReturn.period <= up_to.key)
            & MonthlyReturn.metric.in_(metric_ids)
        )
        .group_by(MonthlyReturn.contract, MonthlyReturn.partner, MonthlyReturn.metric)
        .alias("last")
    )
    query = (
        MonthlyReturn.select(
            MonthlyReturn.contract,
            MonthlyReturn.partner,
            MonthlyReturn.metric,
            MonthlyReturn.value,
            fn.COALESCE(Target.value, 0),
            last.c.months,
        )
        .join(
            last,
            on=(
                (MonthlyReturn.contract == last.c.cid)
                & (MonthlyReturn.partner == last.c.pid)
                & (MonthlyReturn.metric == last.c.mid)
                & (MonthlyReturn.period == last.c.last_period)
            ),
        )
        .join(Target, JOIN.LEFT_OUTER, on=_target_join())
        .where(MonthlyReturn.archived_at.is_null())
    )
    found: dict[int, dict[tuple[int, int], ToDate]] = defaultdict(dict)
    for cid, pid, mid, value, target, months in _rows(query):
        found[cid][(pid, mid)] = ToDate(int(value or 0), int(target or 0), int(months))
    return found


def _ratio_figures(
    contract_ids: Sequence[int], up_to: Period, metric: Metric
) -> dict[int, dict[int, ToDate]]:
    """Per contract, numerator / denominator per partner, over the months both were returned."""
    Num = MonthlyReturn.alias("num")
    Den = MonthlyReturn.alias("den")
    query = (
        Num.select(
            Num.contract,
            Num.partner,
            fn.SUM(Num.value),
            fn.SUM(Den.value),
            fn.COUNT(Num.id),
            fn.MAX(Num.period),
        )
        .join(
            Den,
            on=(
                (Den.partner == Num.partner)
                & (Den.period == Num.period)
                & (Den.metric == metric.denominator_id)
                & Den.archived_at.is_null()
            ),
        )
        .where(
            Num.contract.in_(contract_ids)
            & (Num.metric == metric.numerator_id)
            & (Num.period <= up_to.key)
            & Num.archived_at.is_null()
        )
        .group_by(Num.contract, Num.partner)
    )
    grouped = _rows(query)
    # the rate due in each partner's latest month with both figures
    targets: dict[tuple[int, int], int] = {}
    if grouped:
        wanted = {(cid, pid, last) for cid, pid, _n, _d, _m, last in grouped}
        periods = sorted({last for _cid, _pid, last in wanted})
        for cid, pid, period, value in _rows(
            Target.select(Target.contract, Target.partner, Target.period, Target.value).where(
                Target.contract.in_(contract_ids)
                & (Target.metric == metric.id)
                & Target.period.in_(periods)
                & Target.archived_at.is_null()
            )
        ):
            if (cid, pid, period) in wanted:
                targets[(cid, pid)] = int(value)
    found: dict[int, dict[int, ToDate]] = defaultdict(dict)
    for cid, pid, num, den, months, _last in grouped:
        found[cid][pid] = rate_figure(
            int(num or 0), int(den or 0), targets.get((cid, pid), 0), int(months)
        )
    return found


def _ratio_series(series, partner_id: int, metric: Metric, window: tuple[str, ...]) -> tuple:
    numerators = series.get((partner_id, metric.numerator_id), {})
    denominators = series.get((partner_id, metric.denominator_id), {})
    out = []
    for key in window:
        if key in numerators and key in denominators:
            out.append(ratio_basis_points(numerators[key], denominators[key]))
        else:
            out.append(None)
    return tuple(out)


def _total_series(rows, metric: Metric, series, partners, window: tuple[str, ...]) -> tuple:
    if metric.aggregation == "ratio":
        numerator = _summed(series, partners, metric.numerator_id, window)
        denominator = _summed(series, partners, metric.denominator_id, window)
        return tuple(
            ratio_basis_points(n, d) if n is not None and d is not None else None
            for n, d in zip(numerator, denominator, strict=True)
        )
    return _summed(series, partners, metric.id, window)


def _summed(series, partners, metric_id: int, window: tuple[str, ...]) -> tuple:
    totals: list[int | None] = [None] * len(window)
    for partner, _uuid, _name in partners:
        values = series.get((partner.id, metric_id))
        if not values:
            continue
        for index, key in enumerate(window):
            if key in values:
                totals[index] = (totals[index] or 0) + values[key]
    return tuple(totals)


def performance_exceptions(
    consortium_uuid: str | None = None, up_to: Period | None = None
) -> list[FigureRow]:
    """Red and amber partner rows of the contracts in delivery, worst first (every contract's
    figures counted by the same few queries)."""
    query = Contract.select().where(
        Contract.archived_at.is_null() & (Contract.stage == "in_delivery")
    )
    if consortium_uuid:
        query = query.join(Consortium).where(Consortium.uuid == consortium_uuid)
    found = []
    for performance in _performances(
        list(query), up_to, rag_thresholds(), _all_metrics(), with_missing=False, with_totals=False
    ):
        found += [row for row in performance.rows if row.rag.rag in (Rag.RED, Rag.AMBER)]
    found.sort(
        key=lambda r: (
            -r.rag.rag.severity,
            r.rag.ratio if r.rag.ratio is not None else Decimal(0),
            r.contract_title.casefold(),
            r.organisation_name.casefold(),
        )
    )
    return found


# --- drill-down -------------------------------------------------------------------------------


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


# --- the returns grid -------------------------------------------------------------------------


@dataclass(frozen=True)
class LockInfo:
    period: Period
    locked_at: datetime
    locked_by: str


@dataclass(frozen=True)
class GridRow:
    """One partner's return for the month: values by metric code (None: not reported)."""

    partner_uuid: str
    organisation_name: str
    values: dict[str, int | None]
    #: the partner's totals of the months before this one, for the checks that run to date
    to_date_before: dict[str, int]
    entered_by: str = ""
    entered_at: datetime | None = None
    correction_note: str = ""

    @property
    def has_return(self) -> bool:
        return any(value is not None for value in self.values.values())


@dataclass(frozen=True)
class ReturnsMonth:
    contract_uuid: str
    contract_title: str
    period: Period
    metrics: tuple[MetricInfo, ...]  # the columns: metrics keyed in a return (no ratios)
    rows: tuple[GridRow, ...]
    lock: LockInfo | None
    missing: tuple[str, ...]

    @property
    def is_locked(self) -> bool:
        return self.lock is not None


@dataclass(frozen=True)
class SaveResult:
    created: int
    changed: int
    cleared: int
    was_correction: bool

    @property
    def total(self) -> int:
        return self.created + self.changed + self.cleared


def _lock_of(contract_id: int, period: Period) -> LockInfo | None:
    lock = PeriodLock.get_or_none(
        (PeriodLock.contract == contract_id)
        & (PeriodLock.period == period.key)
        & PeriodLock.archived_at.is_null()
    )
    return LockInfo(period, lock.locked_at, lock.locked_by) if lock else None


def load_returns_grid(contract_uuid: str, period: Period) -> ReturnsMonth:
    """The month's returns for every partner that sends them, ready to show and edit."""
    contract = _contract(contract_uuid)
    by_id = _all_metrics()
    metrics = [m for m in _metrics_for(contract.id, by_id) if m.aggregation != "ratio"]
    partners = _partners_for(contract.id)
    current: dict[int, dict[int, MonthlyReturn]] = defaultdict(dict)
    for row in MonthlyReturn.select().where(
        _live_returns(contract.id) & (MonthlyReturn.period == period.key)
    ):
        current[row.partner_id][row.metric_id] = row
    before = _to_date_before(contract.id, period)
    rows = []
    for partner, _org_uuid, name in partners:
        returned = current.get(partner.id, {})
        latest = max(returned.values(), key=lambda r: r.entered_at or datetime.min, default=None)
        rows.append(
            GridRow(
                partner_uuid=partner.uuid,
                organisation_name=name,
                values={
                    m.code: (int(returned[m.id].value) if m.id in returned else None)
                    for m in metrics
                },
                to_date_before={
                    by_id[mid].code: total
                    for (pid, mid), total in before.items()
                    if pid == partner.id and mid in by_id
                },
                entered_by=latest.entered_by if latest else "",
                entered_at=latest.entered_at if latest else None,
                correction_note=latest.correction_note if latest else "",
            )
        )
    return ReturnsMonth(
        contract_uuid=contract.uuid,
        contract_title=contract.title,
        period=period,
        metrics=tuple(_metric_info(m, by_id) for m in metrics),
        rows=tuple(rows),
        lock=_lock_of(contract.id, period),
        missing=tuple(_missing_for(contract.id, period)),
    )


def _to_date_before(contract_id: int, period: Period) -> dict[tuple[int, int], int]:
    codes = {rule.part for rule in CUMULATIVE_RULES} | {rule.whole for rule in CUMULATIVE_RULES}
    query = (
        MonthlyReturn.select(
            MonthlyReturn.partner, MonthlyReturn.metric, fn.SUM(MonthlyReturn.value)
        )
        .join(Metric)
        .where(
            _live_returns(contract_id)
            & (MonthlyReturn.period < period.key)
            & Metric.code.in_(sorted(codes))
        )
        .group_by(MonthlyReturn.partner, MonthlyReturn.metric)
    )
    return {(pid, mid): int(total or 0) for pid, mid, total in query.tuples()}


def cell_field(partner_uuid: str, metric_code: str) -> str:
    """The field name a cell's ValidationError carries: `<partner uuid>/<metric code>`."""
    return f"{partner_uuid}/{metric_code}"


def check_grid(
    grid: ReturnsMonth, typed: Mapping[str, Mapping[str, str | int | None]]
) -> dict[str, str]:
    """Problems with the month as typed (unchanged cells keep their saved values), by cell field.

    The same rules `save_returns` enforces, so the grid can mark cells as people type.
    """
    problems: dict[str, str] = {}
    for row in grid.rows:
        edits = typed.get(row.partner_uuid, {})
        values: dict[str, int | None] = dict(row.values)
        for code, raw in edits.items():
            try:
                values[code] = raw if isinstance(raw, int) or raw is None else parse_count(raw)
            except ValidationError as error:
                problems[cell_field(row.partner_uuid, code)] = error.message
                values[code] = row.values.get(code)
        for code, message in check_return(values, row.to_date_before).items():
            problems.setdefault(cell_field(row.partner_uuid, code), message)
    return problems


def save_returns(
    contract_uuid: str,
    period: Period,
    typed: Mapping[str, Mapping[str, str | int | None]],
    correction_note: str = "",
) -> SaveResult:
    """Save the cells typed for one contract and month, in one transaction, with audit.

    `typed` is {partner uuid: {metric code: text}} for the cells changed ("" clears a figure).
    Raises FormError (fields `<partner uuid>/<metric code>`) when a figure breaks a check, and
    ValidationError("correction_note") when the month is locked and no note says why.
    """
    with db.atomic():
        grid = load_returns_grid(contract_uuid, period)
        problems = check_grid(grid, typed)
        problems.update(_later_month_problems(grid, typed, problems))
        if problems:
            raise FormError(ValidationError(f, m) for f, m in problems.items())
        contract = _contract(contract_uuid)
        partners = {p.uuid: p for p, _u, _n in _partners_for(contract.id)}
        metrics = {m.code: m for m in Metric.select().where(Metric.archived_at.is_null())}
        rows_by_partner = {row.partner_uuid: row for row in grid.rows}
        changes = []
        for partner_uuid, edits in typed.items():
            row = rows_by_partner.get(partner_uuid)
            if row is None:
                raise DestaError("A partner in this grid is no longer on the contract.")
            for code, raw in edits.items():
                new = raw if isinstance(raw, int) or raw is None else parse_count(raw)
                if new != row.values.get(code):
                    changes.append(
                        (partners[partner_uuid], metrics[code], row.values.get(code), new)
                    )
        note = (correction_note or "").strip()
        if changes and grid.is_locked and not note:
            raise ValidationError(
                "correction_note",
                f"{period.label} is locked: say why it is being corrected (a correction note)",
            )
        created = changed = cleared = 0
        who, stamp = current_user(), now()
        for partner, metric, old, new in changes:
            existing = MonthlyReturn.get_or_none(
                (MonthlyReturn.partner == partner.id)
                & (MonthlyReturn.metric == metric.id)
                & (MonthlyReturn.period == period.key)
            )
            fields = {"correction_note": note} if grid.is_locked else {}
            if new is None:
                if existing is not None and existing.archived_at is None:
                    update_record(existing, **fields)
                    existing.archived_at = stamp
                    existing.updated_at = stamp
                    existing.save()
                    write_audit(existing, "archive", "value", old, None, who=who)
                    cleared += 1
                continue
            if existing is None:
                create_record(
                    MonthlyReturn,
                    contract=contract,
                    partner=partner,
                    metric=metric,
                    period=period.key,
                    value=new,
                    entered_by=who,
                    entered_at=stamp,
                    correction_note=note if grid.is_locked else "",
                )
                created += 1
                continue
            if existing.archived_at is not None:
                existing.archived_at = None
                write_audit(existing, "restore", "archived_at", None, None, who=who)
            update_record(existing, value=new, **fields)
            existing.entered_by, existing.entered_at = who, stamp
            existing.updated_at = stamp
            existing.save()
            changed += 1
        if changes and grid.is_locked:
            lock = PeriodLock.get(
                (PeriodLock.contract == contract.id) & (PeriodLock.period == period.key)
            )
            write_audit(lock, "update", "correction", None, f"{len(changes)} figures: {note}")
        return SaveResult(created, changed, cleared, bool(changes) and grid.is_locked)


def _later_month_problems(
    grid: ReturnsMonth, typed: Mapping[str, Mapping[str, str | int | None]], known: Mapping
) -> dict[str, str]:
    """A change to an earlier month must not make a later month's to-date figures impossible."""
    contract = _contract(grid.contract_uuid)
    problems: dict[str, str] = {}
    rules = [r for r in CUMULATIVE_RULES if any(r.part == m.code for m in grid.metrics)]
    if not rules or not typed:
        return problems
    later = defaultdict(lambda: defaultdict(dict))  # partner uuid -> code -> {period: value}
    query = (
        MonthlyReturn.select(
            ContractPartner.uuid, Metric.code, MonthlyReturn.period, MonthlyReturn.value
        )
        .join_from(MonthlyReturn, ContractPartner)
        .join_from(MonthlyReturn, Metric)
        .where(_live_returns(contract.id) & (MonthlyReturn.period > grid.period.key))
    )
    for partner_uuid, code, period, value in query.tuples():
        later[partner_uuid][code][period] = int(value)
    for row in grid.rows:
        if row.partner_uuid not in typed or row.partner_uuid not in later:
            continue
        values = dict(row.values)
        for code, raw in typed[row.partner_uuid].items():
            if cell_field(row.partner_uuid, code) in known:
                continue
            values[code] = raw if isinstance(raw, int) or raw is None else parse_count(raw)
        months = sorted({p for series in later[row.partner_uuid].values() for p in series})
        for rule in rules:
            part_start = row.to_date_before.get(rule.part, 0) + (values.get(rule.part) or 0)
            whole_start = row.to_date_before.get(rule.whole, 0) + (values.get(rule.whole) or 0)
            parts = [later[row.partner_uuid][rule.part].get(p, 0) for p in months]
            wholes = [later[row.partner_uuid][rule.whole].get(p, 0) for p in months]
            breach = first_cumulative_breach(parts, wholes, part_start, whole_start)
            if breach is not None:
                month = Period.from_key(months[breach]).label
                changed = rule.whole if rule.whole in typed[row.partner_uuid] else rule.part
                problems[cell_field(row.partner_uuid, changed)] = (
                    f"this would make {month}'s {rule.part} to date more than its {rule.whole}"
                    " to date"
                )
    return problems


def lock_period(contract_uuid: str, period: Period) -> LockInfo:
    """Lock a month once every delivery partner's return is in; later changes need a note."""
    with db.atomic():
        contract = _contract(contract_uuid)
        existing = _lock_of(contract.id, period)
        if existing is not None:
            return existing
        missing = _missing_for(contract.id, period)
        if missing:
            raise ValidationError(
                None,
                f"{period.label} cannot be locked yet: no return from {', '.join(missing)}",
            )
        stamp, who = now(), current_user()
        old = PeriodLock.get_or_none(
            (PeriodLock.contract == contract.id) & (PeriodLock.period == period.key)
        )
        if old is not None:  # an archived lock: bring it back rather than break the unique index
            update_record(old, locked_at=stamp, locked_by=who)
            old.archived_at = None
            old.save()
        else:
            create_record(
                PeriodLock, contract=contract, period=period.key, locked_at=stamp, locked_by=who
            )
        return LockInfo(period, stamp, who)


# --- targets ----------------------------------------------------------------------------------


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
    from desta_tui.domain.periods import parse_period

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


def partner_choices(contract_uuid: str) -> list[tuple[str, str]]:
    """(organisation name, partner uuid) of the partners that send returns."""
    contract = _contract(contract_uuid)
    return [(name, p.uuid) for p, _u, name in _partners_for(contract.id)]


def describe_figure(row: FigureRow) -> str:
    """One sentence for a message line: `Westway Wellbeing Project, Enrolments: 52 of 130 (40%)`."""
    if row.unit == "rate":
        detail = (
            f"{row.actual_text} ({row.numerator:,} of {row.denominator:,}) against "
            f"{row.target_text}"
        )
    else:
        detail = f"{row.actual_text} of {row.target_text} due ({format_percent(row.rag.ratio)})"
    months = f"{row.months_of_data} month{'s' if row.months_of_data != 1 else ''} of returns"
    return f"{row.organisation_name}, {row.metric_name}: {detail}; {months}; {row.rag.label}"


# re-exported for screens that show figures
__all__ = [
    "ALL_PARTNERS",
    "ContractChoice",
    "ContractPerformance",
    "Correction",
    "FigureRow",
    "GridRow",
    "LockInfo",
    "MetricInfo",
    "ReturnLine",
    "ReturnsMonth",
    "SaveResult",
    "TargetsResult",
    "cell_field",
    "check_grid",
    "contract_metrics",
    "contract_months",
    "contract_performance",
    "default_month",
    "describe_figure",
    "figure_returns",
    "format_figure",
    "latest_returned_period",
    "load_returns_grid",
    "lock_period",
    "missing_returns",
    "missing_returns_by_contract",
    "partner_choices",
    "performance_contracts",
    "performance_exceptions",
    "rag_thresholds",
    "save_returns",
    "set_rag_thresholds",
    "set_targets",
]
