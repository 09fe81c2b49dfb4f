"""The returns' totals the database keeps (migration 0009) stay what summing the returns gives,
whoever writes: the returns grid, a correction, clearing a cell, targets, a plain SQL change."""

from __future__ import annotations

import importlib

import pytest

from desta_tui.db.database import db
from desta_tui.db.models import MonthlyReturn, ReturnTotal
from desta_tui.domain.periods import Period
from desta_tui.services import performance as perf

OCT = Period(2012, 10)
FILL = importlib.import_module("desta_tui.db.migrations.0009_large_hubs").RETURN_TOTALS_FILL
SUMMED = FILL[FILL.index("SELECT") :]


def kept() -> list[tuple]:
    rows = ReturnTotal.select().order_by(
        ReturnTotal.contract_id, ReturnTotal.partner_id, ReturnTotal.metric_id
    )
    return [
        (r.contract_id, r.partner_id, r.metric_id, r.value_sum, r.target_sum, r.months,
         r.last_period)
        for r in rows
    ]  # fmt: skip


def summed() -> list[tuple]:
    rows = db.execute_sql(SUMMED).fetchall()
    return sorted((c, p, m, int(v), int(t), int(n), last) for c, p, m, v, t, n, last in rows)


@pytest.fixture
def eps(demo_db) -> str:
    return next(c.uuid for c in perf.performance_contracts() if c.title == "Expert Patient Service")


def test_the_totals_start_as_the_sums_of_the_returns(eps):
    assert kept() and kept() == summed()


def test_every_way_of_writing_keeps_the_totals(eps):
    grid = perf.load_returns_grid(eps, OCT)
    westway, church = (
        next(r.partner_uuid for r in grid.rows if r.organisation_name == name)
        for name in ("Westway Wellbeing Project", "Church Street Neighbourhood Trust")
    )
    before = kept()
    perf.save_returns(eps, OCT, {westway: {"enrolments": "9"}})  # a figure changed
    assert kept() != before and kept() == summed()
    perf.save_returns(eps, OCT, {church: {"enrolments": "4", "completions": "2"}})  # new ones
    assert kept() == summed()
    perf.save_returns(eps, OCT, {westway: {"deprived_wards": ""}})  # cleared: archived
    assert kept() == summed()
    perf.save_returns(eps, OCT, {westway: {"deprived_wards": "1"}})  # typed again: restored
    assert kept() == summed()
    perf.set_targets(eps, "enrolments", "Apr 2012", "12", "240")  # targets of returned months
    assert kept() == summed()

    p = db.param
    with db.atomic():  # and whatever else writes, by plain SQL
        db.execute_sql(f"UPDATE target SET archived_at = {p} WHERE period = {p}",
                       ("2026-01-01 00:00:00", "2012-09"))  # fmt: skip
        db.execute_sql(f"DELETE FROM monthly_return WHERE period = {p}", ("2012-10",))
    assert kept() == summed()


def test_a_partner_with_no_live_return_left_has_no_total(eps):
    first = MonthlyReturn.select().where(MonthlyReturn.archived_at.is_null()).first()
    with db.atomic():
        MonthlyReturn.delete().where(
            (MonthlyReturn.partner == first.partner_id) & (MonthlyReturn.metric == first.metric_id)
        ).execute()
    assert kept() == summed()
    assert (
        not ReturnTotal.select()
        .where(
            (ReturnTotal.partner_id == first.partner_id)
            & (ReturnTotal.metric_id == first.metric_id)
        )
        .exists()
    )


def test_an_earlier_month_is_summed_from_the_returns(eps):
    """The totals run to the latest month returned: a view of an earlier month sums the
    returns to it, and gives the same figures as it did before the totals were kept."""
    to_september = perf.contract_performance(eps, Period(2012, 9))
    westway = next(
        r for r in to_september.rows
        if r.organisation_name == "Westway Wellbeing Project" and r.metric_code == "enrolments"
    )  # fmt: skip
    latest = perf.contract_performance(eps)
    assert latest.up_to == OCT
    assert westway.months_of_data == next(
        r.months_of_data for r in latest.rows if r.partner_uuid == westway.partner_uuid
        and r.metric_code == "enrolments"
    ) - 1  # fmt: skip


def test_figures_from_the_totals_are_those_summed_from_the_returns(eps, monkeypatch):
    from desta_tui.db.models import Contract, ContractPartner, Metric
    from desta_tui.services.performance import sums

    # a metric judged on its latest month, with returns of two months for one partner
    latest = Metric.create(code="caseload", name="Caseload", aggregation="latest", sort_order=9)
    contract = Contract.get(Contract.uuid == eps)
    partner = ContractPartner.get(
        (ContractPartner.contract == contract) & (ContractPartner.role == "delivery")
    )
    for period, value in (("2012-09", 7), ("2012-10", 4)):
        MonthlyReturn.create(
            contract=contract, partner=partner, metric=latest, period=period, value=value
        )
    assert kept() == summed()
    months = [Period(2012, 8), Period(2012, 9), None]
    from_totals = [perf.contract_performance(eps, month) for month in months]
    from_totals.append(perf.performance_exceptions())
    assert any(row.metric_code == "caseload" for row in from_totals[-2].rows)
    monkeypatch.setattr(sums, "_sum_figures", summed_from_the_returns)
    from_returns = [perf.contract_performance(eps, month) for month in months]
    assert from_returns + [perf.performance_exceptions()] == from_totals


def summed_from_the_returns(contract_ids, up_to):
    """Every figure summed from the returns to `up_to`, as before the totals were kept: the
    reference the kept totals (and the totals less the later months) must equal."""
    from peewee import JOIN, fn

    from desta_tui.db.models import Target
    from desta_tui.services.performance import sums
    from desta_tui.services.performance.queries import _live_returns_of, _target_join

    query = (
        MonthlyReturn.select(
            MonthlyReturn.contract, MonthlyReturn.partner, MonthlyReturn.metric,
            fn.SUM(MonthlyReturn.value), fn.SUM(fn.COALESCE(Target.value, 0)),
            fn.COUNT(MonthlyReturn.id), fn.MAX(MonthlyReturn.period),
        )
        .join(Target, JOIN.LEFT_OUTER, on=_target_join())
        .where(_live_returns_of(contract_ids))
        .group_by(MonthlyReturn.contract, MonthlyReturn.metric, MonthlyReturn.partner)
    )  # fmt: skip
    if up_to is not None:
        query = query.where(MonthlyReturn.period <= up_to.key)
    return sums._counted(contract_ids, [db.execute_sql(*query.sql()).fetchall()])


def test_every_earlier_month_is_the_totals_less_the_months_after(eps):
    """A pack's earlier months read the kept totals less the returns after them: the same
    figures, month by month, as summing every return to that month."""
    from desta_tui.db.models import Contract
    from desta_tui.services.performance import sums

    contract = Contract.get(Contract.uuid == eps)
    perf.save_returns(eps, OCT, {})  # nothing changed: the totals as the demo left them
    checked = 0
    for month in Period.range(Period(2011, 9), OCT):
        expected = summed_from_the_returns([contract.id], month)
        assert sums._sum_figures([contract.id], month) == expected, month
        checked += bool(expected[contract.id].sums)
    assert checked >= 12


@pytest.mark.parametrize("row_by_row", [0, 3, 12])
def test_the_months_after_are_taken_off_alike_row_by_row_or_summed_by_the_database(
    eps, monkeypatch, row_by_row
):
    """The returns after a month are read row by row when they are a few months (a pack's),
    else summed in SQL: either way the figures are those summed from the returns."""
    from desta_tui.db.models import Contract
    from desta_tui.services.performance import sums

    monkeypatch.setattr(sums, "ROW_BY_ROW_MONTHS", row_by_row)
    contract = Contract.get(Contract.uuid == eps)
    for month in Period.range(Period(2011, 9), OCT):
        expected = summed_from_the_returns([contract.id], month)
        assert sums._sum_figures([contract.id], month) == expected, month
        without_latest = sums._sum_figures([contract.id], month, with_latest=False)
        assert without_latest[contract.id].sums == expected[contract.id].sums, month


def test_a_grids_figures_before_its_month_are_the_months_before_summed(eps):
    from desta_tui.db.models import Contract, ContractPartner, Metric
    from desta_tui.domain.returns import ALL_RULES

    contract = Contract.get(Contract.uuid == eps)
    partners = {p.uuid: p.id for p in ContractPartner.select()}
    codes = sorted(ALL_RULES.to_date_codes)
    assert codes
    for period in perf.contract_months(eps):
        expected = {}
        rows = (
            MonthlyReturn.select(MonthlyReturn.partner, Metric.code, MonthlyReturn.value)
            .join(Metric)
            .where(
                (MonthlyReturn.contract == contract)
                & MonthlyReturn.archived_at.is_null()
                & (MonthlyReturn.period < period.key)
                & Metric.code.in_(codes)
            )
            .tuples()
        )
        for partner_id, code, value in rows:
            expected[(partner_id, code)] = expected.get((partner_id, code), 0) + int(value)
        shown = {
            (partners[row.partner_uuid], code): total
            for row in perf.load_returns_grid(eps, period).rows
            for code, total in row.to_date_before.items()
        }
        assert shown == expected, period


def test_an_imports_totals_before_its_first_month_are_the_earlier_months_summed(eps):
    from desta_tui.db.models import Contract, ContractPartner, Metric
    from desta_tui.services.importing.figures import TO_DATE_CODES, _saved_figures

    contract = Contract.get(Contract.uuid == eps)
    partners = {p.id for p in ContractPartner.select().where(ContractPartner.contract == contract)}
    for first in ("2011-10", "2012-03", "2012-10", "2013-01"):
        expected: dict[int, dict[str, int]] = {}
        rows = (
            MonthlyReturn.select(MonthlyReturn.partner, Metric.code, MonthlyReturn.value)
            .join(Metric)
            .where(
                (MonthlyReturn.contract == contract)
                & MonthlyReturn.archived_at.is_null()
                & (MonthlyReturn.period < first)
                & Metric.code.in_(sorted(TO_DATE_CODES))
            )
            .tuples()
        )
        for partner_id, code, value in rows:
            totals = expected.setdefault(partner_id, {})
            totals[code] = totals.get(code, 0) + int(value)
        _months, before = _saved_figures({contract.id}, partners, first)
        assert dict(before) == expected, first


def test_returns_merged_from_another_site_keep_its_totals_and_the_totals_never_travel(
    backend, demo_template, tmp_path
):
    """The totals are worked out at each site: a bundle carries the returns, never the totals,
    and the receiving site's triggers keep them right as the returns land."""
    from desta_tui.services.sync.tables import synced_table
    from tests.services.sync_sites import make_sites, use

    assert synced_table("return_total") is None
    sites = make_sites(backend, demo_template, tmp_path)
    use(sites.a)
    contract = next(
        c.uuid for c in perf.performance_contracts() if c.title == "Expert Patient Service"
    )
    grid = perf.load_returns_grid(contract, OCT)
    westway = next(
        r.partner_uuid for r in grid.rows if r.organisation_name == "Westway Wellbeing Project"
    )
    perf.save_returns(contract, OCT, {westway: {"enrolments": "31", "deprived_wards": ""}})
    assert kept() == summed()
    at_a = figures(contract)
    sites.give(sites.a, sites.b)
    assert kept() == summed()  # worked out at b by its own triggers as the returns landed
    assert figures(contract) == at_a  # ids differ from site to site; the figures do not


def figures(contract_uuid: str) -> dict[tuple, tuple]:
    """Each partner's figures to date by uuid and metric code (what a person reads)."""
    return {
        (row.partner_uuid, row.metric_code): (row.actual_to_date, row.target_to_date,
                                              row.months_of_data)
        for row in perf.contract_performance(contract_uuid).rows
    }  # fmt: skip
