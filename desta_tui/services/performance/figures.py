"""Each partner's figure for each metric to date, the contract's totals, and their RAG."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from desta_tui.db.models import Contract, Metric
from desta_tui.domain.errors import DestaError
from desta_tui.domain.metrics import (
    NOTHING,
    ToDate,
    combine_partners,
    format_figure,
    ratio_basis_points,
)
from desta_tui.domain.periods import Period, last_ended_month, months_due
from desta_tui.domain.rag import (
    Rag,
    RagResult,
    Thresholds,
    format_percent,
    trajectory_rag,
    trajectory_status,
)
from desta_tui.services.context import today
from desta_tui.services.performance.metrics import (
    CountedContracts,
    PartnerRef,
    _all_metrics,
    _contract,
    _metrics_by_contract,
    _partner_refs_by_contract,
)
from desta_tui.services.performance.months import _missing_by_contract
from desta_tui.services.performance.sums import (
    _Counted,
    _latest_figures,
    _monthly_values,
    _ratio_figures,
    _sum_figures,
)
from desta_tui.services.performance.thresholds import rag_thresholds

# Months a sparkline shows, ending with the month the figures run to.
SPARKLINE_MONTHS = 12
ALL_PARTNERS = "All partners"


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


def contract_performance(contract_uuid: str, up_to: Period | None = None) -> ContractPerformance:
    """Every partner's figure for every metric to `up_to` (default: the latest month returned),
    and the contract's totals; counted in SQL, a handful of queries whatever the history."""
    contract = _contract(contract_uuid)
    return _performances([contract], up_to, rag_thresholds(), _all_metrics())[0]


def contracts_performance(
    contract_uuids: Sequence[str] | CountedContracts,
    up_to: Period | None = None,
    *,
    with_sparklines: bool = True,
) -> list[ContractPerformance]:
    """`contract_performance` of each contract, in the order given, each query run once for
    them all (a meeting pack's ten contracts: a third of the time of one at a time); given
    `CountedContracts`, those contracts and their look-ups. Without the sparklines' months
    (`monthly_actuals` and `months` empty) when not wanted, as in a pack, which prints none:
    each month of the last year of every figure is not read."""
    if isinstance(contract_uuids, CountedContracts):
        known = contract_uuids
        return _performances(known.contracts, up_to, known.thresholds, known.metrics_by_id,
                             known=known, with_sparklines=with_sparklines,
                             ) if known.contracts else []  # fmt: skip
    by_uuid = {c.uuid: c for c in Contract.select().where(Contract.uuid.in_(list(contract_uuids)))}
    missing = [uuid for uuid in contract_uuids if uuid not in by_uuid]
    if missing:
        raise DestaError("That contract no longer exists.")
    contracts = [by_uuid[uuid] for uuid in contract_uuids]
    if not contracts:
        return []
    return _performances(
        contracts, up_to, rag_thresholds(), _all_metrics(), with_sparklines=with_sparklines
    )


def _performances(
    contracts: Sequence[Contract],
    up_to: Period | None,
    thresholds: Thresholds,
    by_id: Mapping[int, Metric],
    with_missing: bool = True,
    with_totals: bool = True,
    known: CountedContracts | None = None,
    with_sparklines: bool = True,
) -> list[ContractPerformance]:
    """`contract_performance` of each contract, in order: each query runs once for all of them
    (the per-month ones once per month the figures run to, when contracts' latest differ).
    Without missing returns, totals or sparklines when the caller wants only the partners'
    rows or their figures; the contracts' metrics and partners taken from `known` when they
    were looked up already."""
    ids = [contract.id for contract in contracts]
    counted = _sum_figures(ids, up_to)
    if known is not None and up_to is not None:
        ends, metrics = dict.fromkeys(ids, up_to), known.metrics
    else:
        ends, metrics = _ends_and_metrics(contracts, up_to, counted, by_id)
    partners = known.partners if known is not None else _partner_refs_by_contract(ids)
    found: dict[int, ContractPerformance] = {}
    for end in sorted(set(ends.values())):
        group = [contract_id for contract_id in ids if ends[contract_id] == end]
        window = sparkline_window(end) if with_sparklines else ()
        series = _monthly_values(group, window) if with_sparklines else defaultdict(dict)
        ratios = _other_figures(group, end, metrics, counted)
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


def sparkline_window(end: Period) -> tuple[str, ...]:
    """The months a sparkline ending with `end` shows, oldest first (period keys)."""
    return tuple(end.shift(-offset).key for offset in range(SPARKLINE_MONTHS - 1, -1, -1))


def _ends_and_metrics(
    contracts: Sequence[Contract],
    up_to: Period | None,
    counted: dict[int, _Counted],
    by_id,
    returned: Mapping[int, set[int]] | None = None,
) -> tuple[dict[int, Period], dict[int, list[Metric]]]:
    """Per contract, the month its figures run to and the metrics it counts. With no `up_to`,
    every live return counted, so the sums also give each contract's latest month and the
    metrics it has returns for (`returned`, when the caller has them already)."""
    ids = [contract.id for contract in contracts]
    if up_to is None:
        # with no return yet, the last month due on the contract (the one rule of months due)
        on = today()
        # (the months due only of a contract with no return: listing them is not free, and
        # a default argument would be worked out for every contract)
        ends = {
            contract.id: max(counted[contract.id].last_returned.values())
            if counted[contract.id].last_returned
            else _last_month_due(contract, on)
            for contract in contracts
        }
        if returned is None:
            returned = {cid: {mid for _pid, mid in counted[cid].sums} for cid in ids}
        return ends, _metrics_by_contract(ids, by_id, returned)
    return dict.fromkeys(ids, up_to), _metrics_by_contract(ids, by_id)


def _last_month_due(contract: Contract, on: date) -> Period:
    """The contract's last month due by `on`; the last month ended when none is due yet."""
    due = months_due(contract.starts_on, contract.ends_on, None, None, on)
    return due[-1] if due else last_ended_month(on)


def _other_figures(
    group: Sequence[int], end: Period, metrics: Mapping[int, list[Metric]], counted
) -> dict[int, dict[int, dict[int, ToDate]]]:
    """The figures not summed: "latest" metrics' go into `counted`; ratios' are returned,
    contract id -> metric id -> partner id -> ToDate."""
    used = {m.id: m for contract_id in group for m in metrics[contract_id]}
    latest_ids = sorted(mid for mid, m in used.items() if m.aggregation == "latest")
    if latest_ids:
        for contract_id, figures in _latest_figures(group, end, latest_ids).items():
            counted[contract_id].sums.update((key, tuple(f)) for key, f in figures.items())
    ratios: dict[int, dict[int, dict[int, ToDate]]] = defaultdict(dict)
    for metric in used.values():
        if metric.aggregation == "ratio":
            for contract_id, figures in _ratio_figures(group, end, metric).items():
                ratios[contract_id][metric.id] = figures
    return ratios


def _figure_of(
    metric_id: int,
    aggregation: str,
    partner_id: int,
    sums: Mapping,
    ratios: Mapping[int, Mapping[int, ToDate]],
) -> ToDate:
    """A partner's figure of a metric (given by id and aggregation: thousands of figures are
    judged at once, and reading a model's fields is not free)."""
    if aggregation == "ratio":
        return ratios.get(metric_id, {}).get(partner_id, NOTHING)
    found = sums.get((partner_id, metric_id))  # a `_Counted.sums` tuple
    return NOTHING if found is None else ToDate(*found)


def _figures_there(
    partners: Sequence[PartnerRef],
    metrics: Sequence[Metric],
    sums: Mapping,
    ratios: Mapping[int, Mapping[int, ToDate]],
) -> tuple[list[tuple[tuple[int, int], tuple]], list[tuple[tuple[int, int], tuple]]]:
    """The figures a contract has of the partners and metrics it counts, as two lists (the
    summed and latest metrics', then the ratios') of ((partner id, metric id), the fields of
    its ToDate), in no order: `_figure_of` of each partner and metric but those with no
    figure, which have no data (no months: `trajectory_rag`). Two lists, not an aggregation
    beside each figure: thousands are judged at once, and only a ratio's judging differs."""
    counted = {partner_id for partner_id, *_ in partners}
    summed = {m.id for m in metrics if m.aggregation != "ratio"}
    rated = [m.id for m in metrics if m.aggregation == "ratio"]
    counts = [
        (key, figure) for key, figure in sums.items() if key[1] in summed and key[0] in counted
    ]
    rates = [
        ((partner_id, metric_id), figure)
        for metric_id in rated
        for partner_id, figure in ratios.get(metric_id, {}).items()
        if partner_id in counted
    ]
    return counts, rates


def _rag_of(
    aggregation: str, actual: int, target: int, months: int, denominator: int, thresholds
) -> Rag:
    """The status `_figure_row` gives a figure (its ToDate's fields), without building the
    row."""
    if aggregation == "ratio" and denominator == 0:
        return Rag.NO_DATA
    return trajectory_rag(actual, target, months, thresholds)


def _contract_figures(
    contract: Contract,
    up_to: Period,
    window: tuple[str, ...],
    thresholds: Thresholds,
    metrics: list[Metric],
    partners: list[PartnerRef],
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
    for partner_id, partner_uuid, org_uuid, org_name in partners:
        for metric in metrics:
            metric_id = metric.id
            figure = _figure_of(metric_id, metric.aggregation, partner_id, sums, ratios)
            if metric.aggregation == "ratio":
                monthly = _ratio_series(series, partner_id, metric, window)
            else:
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
                    partner_uuid=partner_uuid,
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


def _figure_status(aggregation: str, figure: ToDate, thresholds: Thresholds) -> RagResult:
    """A figure's status to date, as its row shows it."""
    if aggregation == "ratio" and figure.denominator == 0:
        # no one recruited yet: there is no rate to judge, whatever the months say
        return RagResult(Rag.NO_DATA, None, is_provisional=True, note="nothing to divide yet")
    return trajectory_status(figure.actual, figure.target, figure.months, thresholds)


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
    rag = _figure_status(metric.aggregation, figure, thresholds)
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
    for partner_id, _partner_uuid, _org_uuid, _name in partners:
        values = series.get((partner_id, metric_id))
        if not values:
            continue
        for index, key in enumerate(window):
            if key in values:
                totals[index] = (totals[index] or 0) + values[key]
    return tuple(totals)


def partner_statuses(
    contract_uuids: Sequence[str] | CountedContracts, up_to: Period
) -> dict[tuple[str, str], Rag]:
    """(contract partner uuid, metric code) -> each partner's status to the end of `up_to`, as
    the performance view showed it then: a pack's "last three months" reads it month by month.
    Only the statuses (the Rag of each row's RagResult): none of the months a row shows, the
    share achieved, nor the figures' rows themselves. Given `CountedContracts`, those
    contracts and their look-ups."""
    if isinstance(contract_uuids, CountedContracts):
        ids = [contract.id for contract in contract_uuids.contracts]
        thresholds = contract_uuids.thresholds
        metrics = contract_uuids.metrics
        partners = contract_uuids.partners
    elif not contract_uuids:
        return {}
    else:
        ids = [
            contract_id
            for (contract_id,) in Contract.select(Contract.id)
            .where(Contract.uuid.in_(list(contract_uuids)))
            .tuples()
        ]
        thresholds = rag_thresholds()
        metrics = _metrics_by_contract(ids, _all_metrics())
        partners = _partner_refs_by_contract(ids)
    if not ids:
        return {}
    counted = _sum_figures(ids, up_to, with_latest=False)
    ratios = _other_figures(ids, up_to, metrics, counted)
    found: dict[tuple[str, str], Rag] = {}
    for contract_id in ids:
        sums = counted[contract_id].sums
        rated = ratios[contract_id]
        for partner_id, partner_uuid, _org_uuid, _name in partners[contract_id]:
            for metric in metrics[contract_id]:
                aggregation = metric.aggregation
                figure = _figure_of(metric.id, aggregation, partner_id, sums, rated)
                actual, target, months, _numerator, denominator = figure
                found[(partner_uuid, metric.code)] = _rag_of(
                    aggregation, actual, target, months, denominator, thresholds
                )
    return found


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
