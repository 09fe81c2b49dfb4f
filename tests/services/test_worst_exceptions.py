"""The dashboard's worst figures: picked by a rough share first, they are exactly the first of
every red and amber figure in `_worst_first`'s order, ties and near ties included."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from desta_tui.domain.rag import Rag
from desta_tui.services.performance.exceptions import (
    _AMBER_NEXT,
    _RED_FIRST,
    _text_key,
    _worst_first,
    _worst_of,
)

# k / (3k + 1) and (k + 1) / (3k + 4) differ by less than a float can tell at a third
K = 10**8
FIGURES = [  # (contract, partner, metric, rag, actual, target)
    (1, 11, 1, Rag.RED, K + 1, 3 * K + 4),
    (1, 12, 1, Rag.RED, K, 3 * K + 1),
    (2, 21, 1, Rag.RED, 1, 3),  # a third exactly, in a contract sorting before "Bravo"
    (2, 22, 1, Rag.RED, 2, 6),  # the same share: the partner's name decides
    (1, 13, 2, Rag.RED, 1, 3),
    (1, 11, 2, Rag.RED, 50, 100),
    (2, 21, 2, Rag.AMBER, 80, 100),
    (1, 12, 2, Rag.AMBER, 81, 100),
    (2, 22, 2, Rag.AMBER, 4, 5),
    (1, 13, 1, Rag.AMBER, 90, 100),
]
CONTRACTS = [SimpleNamespace(id=1, title="Bravo"), SimpleNamespace(id=2, title="alpha")]
NAMES = {11: "Cedar", 12: "birch", 13: "Ash", 21: "Yew", 22: "elm"}
PARTNERS = {
    cid: [(pid, f"p{pid}", f"o{pid}", NAMES[pid]) for pid in NAMES if pid // 10 == cid]
    for cid in (1, 2)
}


def _found() -> list[tuple]:
    return [
        (_RED_FIRST if rag is Rag.RED else _AMBER_NEXT, actual / target, actual, target,
         cid, pid, mid)
        for cid, pid, mid, rag, actual, target in FIGURES
    ]  # fmt: skip


def _every_in_order() -> list[tuple]:
    titles = {c.id: c.title for c in CONTRACTS}
    keyed = [
        (
            _worst_first(rag, Decimal(actual) / Decimal(target),
                         _text_key(titles[cid]), _text_key(NAMES[pid])),
            cid, pid, mid,
        )
        for cid, pid, mid, rag, actual, target in FIGURES
    ]  # fmt: skip
    return sorted(keyed)


def test_near_ties_are_ones_a_float_cannot_tell_apart():
    assert (K + 1) / (3 * K + 4) == K / (3 * K + 1)
    assert Decimal(K) / Decimal(3 * K + 1) < Decimal(K + 1) / Decimal(3 * K + 4)


@pytest.mark.parametrize("limit", range(0, len(FIGURES) + 2))
def test_the_worst_are_the_first_of_every_figure_in_order(limit):
    every = _every_in_order()
    assert _worst_of(_found(), limit, CONTRACTS, PARTNERS) == every[:limit]
    # red first, then amber; the float-equal pair in its exact order
    assert [pid for _key, _cid, pid, _mid in every[:2]] == [12, 11]


def test_the_figures_there_are_those_of_the_partners_and_metrics_counted():
    from desta_tui.domain.metrics import NOTHING, ToDate
    from desta_tui.services.performance.figures import _figure_of, _figures_there

    metrics = [
        SimpleNamespace(id=1, aggregation="sum"),
        SimpleNamespace(id=2, aggregation="latest"),
        SimpleNamespace(id=3, aggregation="ratio"),
    ]
    partners = [(11, "p11", "o11", "Cedar"), (12, "p12", "o12", "birch")]
    sums = {
        (11, 1): (5, 10, 2, 0, 0),
        (12, 2): (7, 9, 3, 0, 0),
        (13, 1): (1, 10, 1, 0, 0),  # a partner not counted (archived, or supporting only)
        (11, 4): (1, 10, 1, 0, 0),  # a metric the contract does not count
        (12, 3): (1, 10, 1, 0, 0),  # a ratio's figure comes from the ratios, never the sums
    }
    ratios = {3: {12: ToDate(8000, 9000, 4, 8, 10), 13: ToDate(1, 1, 1, 1, 1)}}
    counts, rates = _figures_there(partners, metrics, sums, ratios)
    assert sorted(counts) == sorted([((11, 1), sums[11, 1]), ((12, 2), sums[12, 2])])
    assert rates == [((12, 3), ratios[3][12])]
    # each is `_figure_of` the partner and metric; every other one counted has no figure
    aggregations = {m.id: m.aggregation for m in metrics}
    there = counts + rates
    for (partner_id, metric_id), figure in there:
        found = _figure_of(metric_id, aggregations[metric_id], partner_id, sums, ratios)
        assert tuple(found) == figure
    listed = {key for key, _figure in there}
    for partner_id, *_ in partners:
        for metric in metrics:
            if (partner_id, metric.id) not in listed:
                found = _figure_of(metric.id, metric.aggregation, partner_id, sums, ratios)
                assert found == NOTHING


@pytest.mark.parametrize("limit", range(0, len(FIGURES) + 2))
@pytest.mark.parametrize("turn", range(len(FIGURES)))
def test_the_figures_kept_as_they_are_read_hold_the_worst(monkeypatch, limit, turn):
    """Judged as read, only the figures that can still be among the worst are kept: in any
    order of reading, with ties and near ties at the cut, the worst are those of every
    figure, and every figure is counted."""
    from desta_tui.domain.rag import Thresholds
    from desta_tui.services.performance import exceptions

    rows = [
        (cid, pid, mid, actual, target, 6, "2012-10")
        for cid, pid, mid, _rag, actual, target in FIGURES
    ]
    rows = rows[turn:] + rows[:turn]
    for read in (rows, rows[::-1]):
        monkeypatch.setattr(exceptions, "_figure_batches", lambda _ids, _up_to, read=read: [read])
        by_id = {1: SimpleNamespace(aggregation="sum"), 2: SimpleNamespace(aggregation="sum")}
        judged = exceptions._judge_summed([1, 2], None, by_id, PARTNERS, Thresholds(), limit)
        assert _worst_of(judged.found, limit, CONTRACTS, PARTNERS) == _every_in_order()[:limit]
        rags = [rag for *_, rag, _actual, _target in FIGURES]
        assert (judged.red, judged.amber) == (rags.count(Rag.RED), rags.count(Rag.AMBER))
        if limit < 3 and turn == 0 and read is rows:  # the red first: the amber passed over
            assert len(judged.found) <= len(FIGURES) - rags.count(Rag.AMBER)
