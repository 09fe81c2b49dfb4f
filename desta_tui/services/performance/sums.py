"""The grouped sums figures are made of: to date, by month, latest month and ratios, in SQL.

Figures to date come from the returns' totals the database keeps (return_total, migration 0009)
whenever they hold exactly what is asked: to the latest month returned, or to a month no live
return of the contracts is later than. A pack or view of an earlier month takes the totals less
the returns after that month (a few months, not the whole history)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from peewee import JOIN, SQL, fn

from desta_tui.db.database import db
from desta_tui.db.models import Metric, MonthlyReturn, ReturnTotal, Target
from desta_tui.domain.metrics import ToDate, rate_figure
from desta_tui.domain.periods import Period
from desta_tui.services.performance.queries import _live_returns_of, _rows, _target_join


class _Counted(NamedTuple):
    """One contract's returns summed."""

    #: (partner id, metric id) -> the figure to date, the fields of a ToDate as a plain tuple
    #: (which `figures._figure_of` makes the ToDate of): a hub holds tens of thousands, and
    #: the garbage collector soon stops walking a tuple of numbers, never a named tuple
    sums: dict[tuple[int, int], tuple[int, ...]]
    #: partner id -> the latest month it returned
    last_returned: dict[int, Period]


def _totals_hold(contract_ids: Sequence[int], up_to: Period | None) -> bool:
    """Whether the kept totals are the figures to `up_to`: no live return is later."""
    if up_to is None:
        return True
    later = ReturnTotal.select(ReturnTotal.contract_id).where(
        ReturnTotal.contract_id.in_(contract_ids) & (ReturnTotal.last_period > up_to.key)
    )
    return not later.exists()


def _sum_figures(
    contract_ids: Sequence[int], up_to: Period | None, *, with_latest: bool = True
) -> dict[int, _Counted]:
    """Per contract: figures to `up_to` (every month when None) by (partner, metric), and each
    partner's latest month (none without `with_latest`: a status does not need it, and to an
    earlier month it is looked up figure by figure)."""
    return _counted(contract_ids, _figure_batches(contract_ids, up_to, with_latest))


def _figure_batches(
    contract_ids: Sequence[int], up_to: Period | None, with_latest: bool = True
) -> Iterable[list[tuple]]:
    """The figures to `up_to` (every month when None), in batches of rows of (contract,
    partner, metric, actual, target, months, latest month): the kept totals, or them less the
    returns after `up_to` (the latest month None without `with_latest`)."""
    if _totals_hold(contract_ids, up_to):
        return _batches(_kept_totals(contract_ids))
    return [_totals_less_later(contract_ids, up_to, with_latest)]


def _kept_totals(contract_ids: Sequence[int]):
    """The kept totals of the contracts, as rows of (contract, partner, metric, actual, target,
    months, latest month)."""
    return ReturnTotal.select(
        ReturnTotal.contract_id,
        ReturnTotal.partner_id,
        ReturnTotal.metric_id,
        ReturnTotal.value_sum,
        ReturnTotal.target_sum,
        ReturnTotal.months,
        ReturnTotal.last_period,
    ).where(ReturnTotal.contract_id.in_(contract_ids))


def _totals_less_later(
    contract_ids: Sequence[int], up_to: Period, with_latest: bool = True
) -> list[tuple]:
    """The figures to `up_to` as rows of (contract, partner, metric, actual, target, months,
    latest month): each kept total less the live returns after `up_to` (and the targets of
    their months), the latest month to `up_to` read from the index (None without
    `with_latest`). Exactly what summing the returns to `up_to` gives, as the totals are kept
    exact."""
    after = _later_sums(contract_ids, up_to)
    Earlier = MonthlyReturn.alias("earlier")
    latest = Earlier.select(fn.MAX(Earlier.period)).where(
        (Earlier.contract == ReturnTotal.contract_id)
        & Earlier.archived_at.is_null()
        & (Earlier.metric == ReturnTotal.metric_id)
        & (Earlier.partner == ReturnTotal.partner_id)
        & (Earlier.period <= up_to.key)
    )
    rows = []
    kept = _kept_totals(contract_ids).select_extend(
        latest.alias("latest_to_month") if with_latest else SQL("NULL")
    )
    for cid, pid, mid, actual, target, months, _last, latest_to_month in _rows(kept):
        less_actual, less_target, less_months = after.get((cid, pid, mid), (0, 0, 0))
        if months > less_months:  # a figure whose every return is later has none to `up_to`
            rows.append((cid, pid, mid, int(actual) - less_actual, int(target) - less_target,
                         months - less_months, latest_to_month))  # fmt: skip
    return rows


ROW_BY_ROW_MONTHS = 12
"""Returns later than a figure's month are read row by row up to this many months back from
the latest (and summed here), else summed by the database."""


def _later_sums(
    contract_ids: Sequence[int], up_to: Period
) -> dict[tuple[int, int, int], tuple[int, int, int]]:
    """(contract, partner, metric) -> the live returns after `up_to` summed: value, the targets
    of their months, how many."""
    later = (
        MonthlyReturn.select(MonthlyReturn.contract, MonthlyReturn.partner, MonthlyReturn.metric)
        .join(Target, JOIN.LEFT_OUTER, on=_target_join())
        .where(_live_returns_of(contract_ids) & (MonthlyReturn.period > up_to.key))
    )
    latest = (
        ReturnTotal.select(fn.MAX(ReturnTotal.last_period))
        .where(ReturnTotal.contract_id.in_(contract_ids))
        .scalar()
    )
    if latest and Period.from_key(latest) <= up_to.shift(ROW_BY_ROW_MONTHS):
        # a few months (a pack's months before its last): asked to sum them, SQLite reads
        # every return of the contracts' history in the order it groups them; row by row, only
        # the months after `up_to`, from the index by month
        after: dict[tuple[int, int, int], tuple[int, int, int]] = {}
        rows = later.select_extend(MonthlyReturn.value, fn.COALESCE(Target.value, 0))
        for c, p, m, v, t in _rows(rows):
            value, target, months = after.get((c, p, m), (0, 0, 0))
            after[(c, p, m)] = (value + int(v or 0), target + int(t or 0), months + 1)
        return after
    grouped = later.select_extend(
        fn.SUM(MonthlyReturn.value),
        fn.SUM(fn.COALESCE(Target.value, 0)),
        fn.COUNT(MonthlyReturn.id),
    ).group_by(MonthlyReturn.contract, MonthlyReturn.partner, MonthlyReturn.metric)
    return {(c, p, m): (int(v or 0), int(t or 0), n) for c, p, m, v, t, n in _rows(grouped)}


def _batches(query, size: int = 1000) -> Iterator[list[tuple]]:
    """A query's rows as the driver gives them, a batch at a time: tens of thousands of rows
    held at once would each be a tuple for the garbage collector to walk, more than once."""
    cursor = db.execute_sql(*query.sql())
    while rows := cursor.fetchmany(size):
        yield rows


def _counted(contract_ids: Sequence[int], batches: Iterable[list[tuple]]) -> dict[int, _Counted]:
    """_Counted per contract from batches of rows of (contract, partner, metric, actual, target,
    months, latest month)."""
    sums: dict[int, dict[tuple[int, int], tuple[int, ...]]] = {cid: {} for cid in contract_ids}
    last: dict[int, dict[int, str]] = {cid: {} for cid in contract_ids}
    # plain values in the loop: a large hub has a row for each of tens of thousands of
    # partners' metrics (PostgreSQL sums integers as numeric: int() keeps figures whole)
    for rows in batches:
        for cid, pid, mid, actual, target, months, latest in rows:
            sums[cid][pid, mid] = (int(actual or 0), int(target or 0), months, 0, 0)
            if latest:
                partners_last = last[cid]
                if latest > partners_last.get(pid, ""):
                    partners_last[pid] = latest
    latest_months = _as_periods(last)
    return {cid: _Counted(sums[cid], latest_months[cid]) for cid in contract_ids}


def _as_periods(last: dict[int, dict[int, str]]) -> dict[int, dict[int, Period]]:
    """Per contract, each partner's latest month (a period key) as a Period, each key parsed
    once: a few months for thousands of partners."""
    keys = {key for by_partner in last.values() for key in by_partner.values()}
    periods = {key: Period.from_key(key) for key in keys}
    return {
        cid: {pid: periods[key] for pid, key in by_partner.items()}
        for cid, by_partner in last.items()
    }


def _monthly_values(
    contract_ids: Sequence[int], window: Sequence[str], partner_ids: Sequence[int] | None = None
) -> dict[int, dict[tuple[int, int], dict[str, int]]]:
    """Per contract, each (partner, metric)'s values by month over the sparkline's window (of
    the partners given, or all)."""
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
    if partner_ids is not None:
        query = query.where(MonthlyReturn.partner.in_(list(partner_ids)))
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
    if _totals_hold(contract_ids, up_to):
        query = (
            ReturnTotal.select(
                ReturnTotal.contract_id,
                ReturnTotal.partner_id,
                ReturnTotal.metric_id,
                MonthlyReturn.value,
                fn.COALESCE(Target.value, 0),
                ReturnTotal.months,
            )
            .join(
                MonthlyReturn,
                on=(
                    (MonthlyReturn.partner == ReturnTotal.partner_id)
                    & (MonthlyReturn.metric == ReturnTotal.metric_id)
                    & (MonthlyReturn.period == ReturnTotal.last_period)
                ),
            )
            .join(Target, JOIN.LEFT_OUTER, on=_target_join())
            .where(
                ReturnTotal.contract_id.in_(contract_ids)
                & ReturnTotal.metric_id.in_(metric_ids)
                & MonthlyReturn.archived_at.is_null()
            )
        )
        return _latest_found(_rows(query))
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
    return _latest_found(_rows(query))


def _latest_found(rows: list[tuple]) -> dict[int, dict[tuple[int, int], ToDate]]:
    found: dict[int, dict[tuple[int, int], ToDate]] = defaultdict(dict)
    for cid, pid, mid, value, target, months in rows:
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
