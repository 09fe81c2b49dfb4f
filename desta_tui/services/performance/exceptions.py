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
from desta_tui.services.performance.sums import _monthly_values, _sum_figures
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
    counted = _sum_figures(ids, up_to)
    ends, metrics = _ends_and_metrics(contracts, up_to, counted, by_id)
    partners = _partner_refs_by_contract(ids)
    ratios = {}
    for end in set(ends.values()):
        ratios.update(_other_figures([c for c in ids if ends[c] == end], end, metrics, counted))
    red = amber = 0
    found = []
    append = found.append
    # plain values and `is` in the loop: it runs for every figure of the hub (an enum's hash,
    # a model's field or a named tuple each time would add up)
    for contract in contracts:
        contract_id = contract.id
        counts, rates = _figures_there(
            partners[contract_id], metrics[contract_id], counted[contract_id].sums,
            ratios.get(contract_id, {}),
        )  # fmt: skip
        for is_rate, figures in ((False, counts), (True, rates)):
            for (partner_id, metric_id), figure in figures:
                actual, target, months, _numerator, denominator = figure
                if is_rate:
                    rag = _rag_of("ratio", actual, target, months, denominator, thresholds)
                else:
                    rag = trajectory_rag(actual, target, months, thresholds)
                if rag is Rag.RED:
                    red += 1
                    order = _RED_FIRST
                elif rag is Rag.AMBER:
                    amber += 1
                    order = _AMBER_NEXT
                else:
                    continue
                # (a red or amber figure has a target: `trajectory_rag`); plain numbers
                # alone, which the garbage collector soon stops walking (an enum would not)
                share = actual / target
                append((order, share, actual, target, contract_id, partner_id, metric_id))
    worst = _worst_of(found, limit, contracts, partners)
    return WorstFigures(
        _rows_of(
            worst, contracts, ends, metrics, partners, counted, ratios, thresholds,
            with_sparklines,
        ),
        red,
        amber,
    )  # fmt: skip


def _worst_of(found: list[tuple], limit: int, contracts, partners) -> list[tuple]:
    """The first `limit` of the `found` figures (`_RED_FIRST` or `_AMBER_NEXT`, rough share,
    actual, target, contract, partner, metric) in `_worst_first`'s order, as (key, contract,
    partner, metric).

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
        for order, _share, actual, target, contract_id, partner_id, metric_id in found
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
