"""Red and amber figures: every one, worst first (the packs), or the worst few and how many
there are (the dashboard, which a hub of thousands of partners must not wait for)."""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from desta_tui.db.models import Contract
from desta_tui.domain.periods import Period
from desta_tui.domain.rag import Rag, trajectory_rag
from desta_tui.services.performance.figures import (
    FigureRow,
    _ends_and_metrics,
    _figure_of,
    _figure_row,
    _figures_there,
    _other_figures,
    _performances,
    _rag_of,
    _ratio_series,
    sparkline_window,
)
from desta_tui.services.performance.metrics import (
    _all_metrics,
    _partner_refs_by_contract,
    contracts_in_delivery,
)
from desta_tui.services.performance.sums import (
    _as_periods,
    _Counted,
    _figure_batches,
    _monthly_values,
)
from desta_tui.services.performance.thresholds import rag_thresholds

RED_OR_AMBER = (Rag.RED, Rag.AMBER)
# `_worst_first`'s first term for each, worked out once: the dashboard judges every figure
_RED_FIRST, _AMBER_NEXT = -Rag.RED.severity, -Rag.AMBER.severity


def _in_delivery(consortium_uuid: str | None) -> list[Contract]:
    return list(contracts_in_delivery(consortium_uuid))


def _worst_first(rag: Rag, ratio: Decimal | None, title_key: str, name_key: str) -> tuple:
    """The order exceptions are listed in: red before amber, the lowest share of target first,
    then by contract and partner (their `_text_key`s)."""
    return (
        -rag.severity,
        ratio if ratio is not None else Decimal(0),
        title_key,
        name_key,
    )


def _text_key(text: str) -> str:
    """A contract's title or a partner's name as exceptions are ordered by it."""
    return text.casefold()


def performance_exceptions(
    consortium_uuid: str | None = None, up_to: Period | None = None
) -> list[FigureRow]:
    """Red and amber partner rows of the contracts in delivery, worst first (every contract's
    figures counted by the same few queries)."""
    found = []
    for performance in _performances(
        _in_delivery(consortium_uuid),
        up_to,
        rag_thresholds(),
        _all_metrics(),
        with_missing=False,
        with_totals=False,
    ):
        found += [row for row in performance.rows if row.rag.rag in RED_OR_AMBER]
    found.sort(
        key=lambda r: _worst_first(
            r.rag.rag, r.rag.ratio, _text_key(r.contract_title), _text_key(r.organisation_name)
        )
    )
    return found


@dataclass(frozen=True)
class WorstFigures:
    """The worst red and amber figures, in `performance_exceptions`' order, and how many of
    each there are in all."""

    rows: list[FigureRow]
    red: int
    amber: int

    @property
    def total(self) -> int:
        return self.red + self.amber


def worst_exceptions(
    consortium_uuid: str | None = None,
    limit: int = 20,
    up_to: Period | None = None,
    *,
    with_sparklines: bool = True,
) -> WorstFigures:
    """The first `limit` rows of `performance_exceptions`, and its counts of red and amber;
    without their sparklines (`monthly_actuals` and `months` empty) when not wanted, as on the
    dashboard, which shows none.

    Every figure is judged (from the kept totals, in whole numbers), but only the worst
    `limit` become rows with their sparklines."""
    # the few fields the figures use of a contract: a whole contract is a dozen more to convert
    contracts = list(
        contracts_in_delivery(
            consortium_uuid,
            Contract.id,
            Contract.uuid,
            Contract.title,
            Contract.starts_on,
            Contract.ends_on,
        )
    )
    ids = [contract.id for contract in contracts]
    thresholds, by_id = rag_thresholds(), _all_metrics()
    # (in no order: the worst are put in order by name themselves)
    partners = _partner_refs_by_contract(ids, in_order=False)
    judged = _judge_summed(ids, up_to, by_id, partners, thresholds, limit)
    counted = judged.counted
    ends, metrics = _ends_and_metrics(contracts, up_to, counted, by_id, judged.returned)
    ratios = {}
    for end in set(ends.values()):
        ratios.update(_other_figures([c for c in ids if ends[c] == end], end, metrics, counted))
    found = judged.found
    red, amber = judged.red, judged.amber
    # the rest, "latest" metrics' and ratios' figures, judged as `_figure_row` would
    for contract_id in ids:
        counts, rates = _figures_there(
            partners[contract_id], metrics[contract_id], counted[contract_id].sums,
            ratios.get(contract_id, {}),
        )  # fmt: skip
        for aggregation, figures in (("latest", counts), ("ratio", rates)):
            for (partner_id, metric_id), figure in figures:
                actual, target, months, _numerator, denominator = figure
                rag = _rag_of(aggregation, actual, target, months, denominator, thresholds)
                if rag is Rag.RED:
                    red += 1
                    order = _RED_FIRST
                elif rag is Rag.AMBER:
                    amber += 1
                    order = _AMBER_NEXT
                else:
                    continue
                share = actual / target
                found.append(
                    (order, share, actual, target, contract_id, partner_id, metric_id, months)
                )
    worst = _worst_of(found, limit, contracts, partners)
    # the worst summed figures as `_rows_of` reads every figure (a partner's id names its
    # contract too)
    worst_partners = {partner_id for _key, _cid, partner_id, _mid in worst}
    for _order, _share, actual, target, cid, pid, mid, months in found:
        if pid in worst_partners and by_id[mid].aggregation == "sum":
            counted[cid].sums[pid, mid] = (actual, target, months, 0, 0)
    return WorstFigures(
        _rows_of(
            worst, contracts, ends, metrics, partners, counted, ratios, thresholds,
            with_sparklines,
        ),
        red,
        amber,
    )  # fmt: skip


@dataclass
class _Judged:
    """`_judge_summed`'s reading of the figures."""

    #: per contract, the figures but the summed metrics' (which `found` holds if red or
    #: amber), and each partner's latest month
    counted: dict[int, _Counted]
    #: per contract, the metrics it has figures for (`_ends_and_metrics`); None with `up_to`
    returned: dict[int, set[int]] | None
    #: each red or amber figure: (`_RED_FIRST` or `_AMBER_NEXT`, rough share, actual, target,
    #: contract, partner, metric, months)
    found: list[tuple]
    red: int
    amber: int


def _judge_summed(ids, up_to: Period | None, by_id, partners, thresholds, limit: int) -> _Judged:
    """The figures to `up_to` read once (`_sum_figures`' rows), those of the metrics summed
    judged as they are read: a hub has tens of thousands, and each kept in a dict to be
    listed and judged later costs more than the judging.

    A summed metric with a figure is one the contract counts (`_chosen_metrics`), so its
    figure is judged whenever its partner is counted; "latest" metrics' figures (which
    `_other_figures` replaces) and those of metrics no longer live are kept, as
    `_sum_figures` keeps every one.

    Of the red and amber figures, `found` holds those that can be among the worst `limit`:
    every one at or before the `limit`-th least (order, rough share) read so far, which only
    falls as figures are read; so it holds every one at or before the last of the worst,
    all `_worst_of` needs, and not thousands of tuples it would pass over."""
    summed = {metric_id for metric_id, m in by_id.items() if m.aggregation == "sum"}
    counted_partners = {cid: {ref[0] for ref in refs} for cid, refs in partners.items()}
    kept: dict[int, dict[tuple[int, int], tuple]] = {cid: {} for cid in ids}
    last: dict[int, dict[int, str]] = {cid: {} for cid in ids}
    returned: dict[int, set[int]] = {cid: set() for cid in ids}
    found: list[tuple] = []
    append = found.append
    red = amber = 0
    # the `limit` least (order, share) read so far, negated: the first is the cut, the last
    # that can be among the worst (nothing can be with no limit)
    least: list[tuple[int, float]] = []
    cut_order, cut_share = (0, 0.0) if limit > 0 else (_RED_FIRST - 1, 0.0)
    # plain values and `is` in the loop: it runs for every figure of the hub (an enum's hash,
    # a model's field or a named tuple each time would add up); the figures are whole
    # numbers already (BIGINT columns, or worked out in Python)
    for rows in _figure_batches(ids, up_to):
        for cid, pid, mid, actual, target, months, latest in rows:
            if latest:
                partners_last = last[cid]
                if latest > partners_last.get(pid, ""):
                    partners_last[pid] = latest
            returned[cid].add(mid)
            if mid not in summed:
                kept[cid][pid, mid] = (actual, target, months, 0, 0)
                continue
            if pid not in counted_partners[cid]:
                continue
            rag = trajectory_rag(actual, target, months, thresholds)
            if rag is Rag.RED:
                red += 1
                order = _RED_FIRST
            elif rag is Rag.AMBER:
                amber += 1
                order = _AMBER_NEXT
            else:
                continue
            # (a red or amber figure has a target: `trajectory_rag`)
            share = actual / target
            if len(least) < limit:
                heapq.heappush(least, (-order, -share))
            elif order > cut_order or (order == cut_order and share > cut_share):
                continue
            elif order < cut_order or share < cut_share:
                heapq.heapreplace(least, (-order, -share))
            else:
                # level with the cut: kept (the exact order may put it first), cut unchanged
                append((order, share, actual, target, cid, pid, mid, months))
                continue
            if len(least) == limit:
                cut_order, cut_share = -least[0][0], -least[0][1]
            # plain numbers alone, which the garbage collector soon stops walking
            append((order, share, actual, target, cid, pid, mid, months))
    latest_months = _as_periods(last)
    counted = {cid: _Counted(kept[cid], latest_months[cid]) for cid in ids}
    return _Judged(counted, returned if up_to is None else None, found, red, amber)


def _worst_of(found: list[tuple], limit: int, contracts, partners) -> list[tuple]:
    """The first `limit` of the `found` figures (`_RED_FIRST` or `_AMBER_NEXT`, rough share,
    actual, target, contract, partner, metric, and anything after) in `_worst_first`'s order,
    as (key, contract, partner, metric).

    The order wants each figure's exact share of its target; the float share never orders
    two figures the other way round (whole numbers below 2**53, divided and correctly
    rounded), so it picks the figures that can be among the worst, and only those are put
    in order exactly."""
    if limit <= 0:
        return []
    if len(found) > limit:
        # the figures before the last of the roughly worst are among them; those level with
        # it may be before it exactly
        picked = heapq.nsmallest(limit, found)
        order, share = picked[-1][0], picked[-1][1]
        found = [each for each in picked if (each[0], each[1]) < (order, share)] + [
            each for each in found if each[0] == order and each[1] == share
        ]
    titles = {contract.id: _text_key(contract.title) for contract in contracts}
    names = {
        (contract_id, partner_id): name
        for contract_id, refs in partners.items()
        for partner_id, _partner_uuid, _org_uuid, name in refs
    }
    keyed = [
        (
            _worst_first(
                Rag.RED if order == _RED_FIRST else Rag.AMBER,
                Decimal(actual) / Decimal(target),
                titles[contract_id],
                _text_key(names[contract_id, partner_id]),
            ),
            contract_id,
            partner_id,
            metric_id,
        )
        for order, _share, actual, target, contract_id, partner_id, metric_id, *_ in found
    ]
    return heapq.nsmallest(limit, keyed)


def _rows_of(
    worst, contracts, ends, metrics, partners, counted, ratios, thresholds, with_sparklines=True
):
    """The figure rows of the `worst` (key, contract, partner, metric), in their order, with
    the sparklines of their partners alone (or none)."""
    by_id = {contract.id: contract for contract in contracts}
    wanted: dict[Period, set[int]] = defaultdict(set)
    for _key, contract_id, partner_id, _metric_id in worst:
        wanted[ends[contract_id]].add(partner_id)
    series: dict[int, dict] = {}
    for end, partner_ids in wanted.items() if with_sparklines else ():
        group = sorted({c for _k, c, _p, _m in worst if ends[c] == end})
        series.update(_monthly_values(group, sparkline_window(end), sorted(partner_ids)))
    rows = []
    for _key, contract_id, partner_id, metric_id in worst:
        contract = by_id[contract_id]
        window = sparkline_window(ends[contract_id]) if with_sparklines else ()
        metric = next(m for m in metrics[contract_id] if m.id == metric_id)
        _id, partner_uuid, org_uuid, name = next(
            p for p in partners[contract_id] if p[0] == partner_id
        )
        figure = _figure_of(
            metric_id,
            metric.aggregation,
            partner_id,
            counted[contract_id].sums,
            ratios.get(contract_id, {}),
        )
        if not with_sparklines:
            monthly = ()
        elif metric.aggregation == "ratio":
            monthly = _ratio_series(series[contract_id], partner_id, metric, window)
        else:
            values = series[contract_id].get((partner_id, metric_id), {})
            monthly = tuple(map(values.get, window))
        rows.append(
            _figure_row(
                contract, metric, figure, thresholds, monthly, window,
                partner_uuid=partner_uuid, organisation_uuid=org_uuid, organisation_name=name,
                last_returned=counted[contract_id].last_returned.get(partner_id),
            )
        )  # fmt: skip
    return rows
