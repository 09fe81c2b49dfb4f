"""The performance service on the demo data: figures to date, RAG, grid save, locks, targets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desta_tui.db.models import AuditLog, MonthlyReturn, PeriodLock, Target
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.metrics import MonthFigure, combine_partners, sum_to_date
from desta_tui.domain.periods import Period
from desta_tui.domain.rag import Rag
from desta_tui.services import performance as perf
from desta_tui.services.settings import get_setting

OCT, SEP = Period(2012, 10), Period(2012, 9)
CHURCH = "Church Street Neighbourhood Trust"
WESTWAY = "Westway Wellbeing Project"


@pytest.fixture
def eps(demo_db) -> str:
    return next(c.uuid for c in perf.performance_contracts() if c.title == "Expert Patient Service")


def row_for(performance, name, code):
    return next(
        r for r in performance.rows if r.organisation_name == name and r.metric_code == code
    )


def total_for(performance, code):
    return next(r for r in performance.totals if r.metric_code == code)


def partner_uuid(grid, name):
    return next(r.partner_uuid for r in grid.rows if r.organisation_name == name)


def test_demo_figures_reproduce_the_case_study(eps):
    performance = perf.contract_performance(eps)
    assert performance.up_to == OCT
    assert performance.missing == [CHURCH]
    westway = row_for(performance, WESTWAY, "enrolments")
    assert westway.rag.rag is Rag.RED and westway.percent == "40%"
    assert westway.target_to_date == 130 and westway.actual_to_date == 52
    enrol = total_for(performance, "enrolments")
    assert enrol.organisation_name == "All partners" and enrol.partner_uuid is None
    assert enrol.percent == "83%"
    retention = total_for(performance, "bme_retention")
    assert (retention.numerator, retention.denominator) == (249, 300)
    assert retention.unit == "rate" and retention.actual_to_date == 8300
    assert retention.target_to_date == 6300 and retention.rag.rag is Rag.GREEN
    assert retention.rag.ratio > 1.30  # "more than 30% above" the 63% target
    # the Rain Trust supports and has no targets: it is not a row
    assert "Rain Trust" not in {r.organisation_name for r in performance.rows}
    assert len(westway.monthly_actuals) == perf.SPARKLINE_MONTHS


def test_a_missing_return_counts_neither_actual_nor_target(eps):
    performance = perf.contract_performance(eps)
    church = row_for(performance, CHURCH, "enrolments")
    assert church.months_of_data == 12 and church.target_to_date == 120
    assert church.last_returned == SEP
    assert church.monthly_actuals[-1] is None
    # the contract's target is the sum of its partners' (each to the months it returned)
    rows = [r for r in performance.rows if r.metric_code == "enrolments"]
    assert total_for(performance, "enrolments").target_to_date == sum(
        r.target_to_date for r in rows
    )


def test_sql_aggregation_agrees_with_the_domain_rules(eps):
    performance = perf.contract_performance(eps, SEP)
    for row in performance.rows:
        if row.unit == "rate":
            continue
        lines = perf.figure_returns(eps, row.metric_code, row.partner_uuid, SEP)
        figures = [MonthFigure(line.period.key, line.value, line.target) for line in lines]
        expected = sum_to_date(figures)
        assert (row.actual_to_date, row.target_to_date, row.months_of_data) == (
            expected.actual,
            expected.target,
            expected.months,
        )
    combined = combine_partners(
        "ratio", [_to_date(r) for r in performance.rows if r.metric_code == "bme_retention"]
    )
    assert combined.actual == total_for(performance, "bme_retention").actual_to_date


def _to_date(row):
    from desta_tui.domain.metrics import ToDate

    return ToDate(row.actual_to_date, row.target_to_date, row.months_of_data,
                  row.numerator, row.denominator)  # fmt: skip


def test_exceptions_are_red_and_amber_worst_first(eps):
    found = perf.performance_exceptions()
    assert found and found[0].rag.rag is Rag.RED
    assert {r.rag.rag for r in found} <= {Rag.RED, Rag.AMBER}
    assert found[0].organisation_name == WESTWAY
    severities = [r.rag.rag.severity for r in found]
    assert severities == sorted(severities, reverse=True)


def test_thresholds_come_from_settings(eps):
    perf.set_rag_thresholds("40%", "30")
    assert get_setting("rag_green_at") == "0.4"
    westway = row_for(perf.contract_performance(eps), WESTWAY, "enrolments")
    assert westway.rag.rag is Rag.GREEN
    with pytest.raises(FormError) as caught:
        perf.set_rag_thresholds("80", "90")
    assert "amber" in caught.value.errors["rag_amber_at"]
    with pytest.raises(FormError) as caught:
        perf.set_rag_thresholds("lots", "")
    assert set(caught.value.errors) == {"rag_green_at", "rag_amber_at"}


def test_missing_returns_and_latest_period(eps, monkeypatch):
    assert perf.missing_returns(eps, OCT) == [CHURCH]
    assert perf.missing_returns(eps, SEP) == []
    assert perf.latest_returned_period(eps) == OCT
    # on the demo's today (05/11/2012) November has not ended: no return is due for it yet
    assert perf.missing_returns(eps, Period(2012, 11)) == []
    monkeypatch.setenv("DESTA_TODAY", "01/12/2012")
    assert perf.missing_returns(eps, Period(2012, 11))[0] == CHURCH  # now all eight are due
    assert len(perf.missing_returns(eps, Period(2012, 11))) == 8


def test_grid_save_creates_returns_with_audit_then_month_can_lock(eps):
    grid = perf.load_returns_grid(eps, OCT)
    assert not grid.is_locked and grid.missing == (CHURCH,)
    church = partner_uuid(grid, CHURCH)
    typed = {church: {"enrolments": "9", "completions": "7", "bme_recruited": "2",
                      "bme_retained": "2", "deprived_wards": "3"}}  # fmt: skip
    with pytest.raises(ValidationError):
        perf.lock_period(eps, OCT)
    result = perf.save_returns(eps, OCT, typed)
    assert result.created == 5 and not result.was_correction
    saved = perf.load_returns_grid(eps, OCT)
    assert saved.missing == ()
    row = next(r for r in saved.rows if r.partner_uuid == church)
    assert row.values["enrolments"] == 9 and row.entered_by == "test.officer"
    created = MonthlyReturn.get(MonthlyReturn.period == "2012-10", MonthlyReturn.value == 9,
                                MonthlyReturn.partner == MonthlyReturn.partner.rel_model.get(
                                    uuid=church))  # fmt: skip
    assert AuditLog.select().where(AuditLog.record_uuid == created.uuid).count() >= 1
    lock = perf.lock_period(eps, OCT)
    assert lock.locked_by == "test.officer"
    assert perf.load_returns_grid(eps, OCT).is_locked


def test_each_check_blocks_the_save_and_writes_nothing(eps):
    grid = perf.load_returns_grid(eps, OCT)
    church = partner_uuid(grid, CHURCH)
    before = MonthlyReturn.select().count()
    cases = {
        "enrolments": ({"enrolments": "-3"}, "negative"),
        "completions": ({"completions": "2.5"}, "whole number"),
        "bme_recruited": ({"bme_recruited": "x"}, "not a number"),
        "bme_retained": ({"bme_recruited": "2", "bme_retained": "3"}, "more than recruited"),
    }
    for code, (cells, words) in cases.items():
        with pytest.raises(FormError) as caught:
            perf.save_returns(eps, OCT, {church: {"enrolments": "9", **cells}})
        assert words in caught.value.errors[perf.cell_field(church, code)]
    with pytest.raises(FormError) as caught:
        perf.save_returns(eps, OCT, {church: {"enrolments": "2", "bme_recruited": "3"}})
    assert "more than all enrolled" in caught.value.errors[perf.cell_field(church, "bme_recruited")]
    # completions to date 83 + 40 would pass enrolments to date 107 + 9
    with pytest.raises(FormError) as caught:
        perf.save_returns(eps, OCT, {church: {"enrolments": "9", "completions": "40"}})
    message = caught.value.errors[perf.cell_field(church, "completions")]
    assert "to date (123)" in message and "(116)" in message
    assert MonthlyReturn.select().count() == before


def test_correcting_a_past_month_cannot_break_a_later_month(eps):
    grid = perf.load_returns_grid(eps, SEP)
    westway = partner_uuid(grid, WESTWAY)
    row = next(r for r in grid.rows if r.partner_uuid == westway)
    # enrolments to date minus a lot: completions in October would then exceed enrolments
    lower = max(0, row.values["enrolments"] - 30)
    with pytest.raises(FormError):
        perf.save_returns(eps, SEP, {westway: {"enrolments": str(lower)}}, "typo")


def test_a_past_month_correction_names_the_later_month_it_would_break(eps):
    westway = partner_uuid(perf.load_returns_grid(eps, OCT), WESTWAY)
    # October: 12 completions of 4 enrolments, which only the months before make possible
    perf.save_returns(eps, OCT, {westway: {"completions": "12"}})
    row = next(r for r in perf.load_returns_grid(eps, SEP).rows if r.partner_uuid == westway)
    assert (row.values["enrolments"], row.to_date_before["enrolments"]) == (4, 44)
    # September's enrolments down to 1 is right for September (38 completed of 45 enrolled)
    # but leaves October with 50 completed of 49 enrolled
    with pytest.raises(FormError) as caught:
        perf.save_returns(eps, SEP, {westway: {"enrolments": "1"}}, "typo")
    assert caught.value.errors == {
        perf.cell_field(westway, "enrolments"): (
            "this would make Oct 2012's completions to date more than its enrolments to date"
        )
    }
    perf.save_returns(eps, SEP, {westway: {"enrolments": "2"}}, "typo")  # 50 of 50: fine


def test_a_locked_month_needs_a_correction_note_and_keeps_history(eps):
    grid = perf.load_returns_grid(eps, SEP)
    assert grid.is_locked
    white_city = partner_uuid(grid, "White City Health Circle")
    old = next(r for r in grid.rows if r.partner_uuid == white_city).values["enrolments"]
    with pytest.raises(ValidationError) as caught:
        perf.save_returns(eps, SEP, {white_city: {"enrolments": str(old + 1)}})
    assert caught.value.field == "correction_note"
    result = perf.save_returns(
        eps, SEP, {white_city: {"enrolments": str(old + 1)}}, "late registrations found"
    )
    assert result.was_correction and result.changed == 1
    lines = perf.figure_returns(eps, "enrolments", white_city)
    september = next(line for line in lines if line.period == SEP)
    assert september.value == old + 1
    assert september.correction_note == "late registrations found"
    (correction,) = september.corrections
    assert (correction.old_value, correction.new_value) == (str(old), str(old + 1))
    assert correction.who == "test.officer" and correction.note == "late registrations found"
    lock = PeriodLock.get(PeriodLock.period == "2012-09")
    assert (
        AuditLog.select()
        .where((AuditLog.record_uuid == lock.uuid) & (AuditLog.field == "correction"))
        .exists()
    )


def test_clearing_a_cell_archives_the_return_and_typing_it_again_restores_it(eps):
    grid = perf.load_returns_grid(eps, OCT)
    westway = partner_uuid(grid, WESTWAY)
    perf.save_returns(eps, OCT, {westway: {"deprived_wards": ""}})
    row = next(r for r in perf.load_returns_grid(eps, OCT).rows if r.partner_uuid == westway)
    assert row.values["deprived_wards"] is None
    perf.save_returns(eps, OCT, {westway: {"deprived_wards": "1"}})
    row = next(r for r in perf.load_returns_grid(eps, OCT).rows if r.partner_uuid == westway)
    assert row.values["deprived_wards"] == 1


def test_drill_down_of_a_ratio_shows_both_counts(eps):
    lines = perf.figure_returns(eps, "bme_retention", None, OCT)
    assert {line.metric_code for line in lines} == {"bme_retained", "bme_recruited"}
    retained = sum(line.value for line in lines if line.metric_code == "bme_retained")
    assert retained == 249
    assert all(line.entered_by and line.entered_at for line in lines)


def test_targets_bulk_entry_spreads_exactly_and_is_audited(eps):
    grid = perf.load_returns_grid(eps, OCT)
    westway = partner_uuid(grid, WESTWAY)
    result = perf.set_targets(eps, "enrolments", "Oct 2013", "12", "125", westway)
    assert result.per_partner == (11, 11, 11, 11, 11, 10, 10, 10, 10, 10, 10, 10)
    assert sum(result.per_partner) == 125 and result.written == 12
    profiled = perf.set_targets(eps, "enrolments", "2013-10", 4, "10", None, "1 1 2 0")
    assert profiled.partners == 8 and profiled.per_partner == (3, 2, 5, 0)
    rate = perf.set_targets(eps, "bme_retention", "2013-10", 2, "70%")
    assert rate.per_partner == (7000, 7000)
    target = Target.get((Target.period == "2013-10") & (Target.value == 7000))
    assert AuditLog.select().where(AuditLog.record_uuid == target.uuid).exists()
    with pytest.raises(FormError) as caught:
        perf.set_targets(eps, "enrolments", "13/2013", "0", "-5", None, "1 2")
    assert set(caught.value.errors) >= {"first_month", "months", "figure"}
    with pytest.raises(FormError) as caught:
        perf.set_targets(eps, "enrolments", "Oct 2013", "3", "9", None, "1 2")
    assert "3 needed" in caught.value.errors["profile"]


def test_contract_months_run_from_start_to_last_month_due(eps):
    months = perf.contract_months(eps)
    assert months[0] == OCT and months[-1] == Period(2011, 10)
    assert perf.default_month(eps) == OCT


def _second_contract() -> tuple[str, str]:
    """Another consortium's contract in delivery, partnered by two of the Expert Patient
    Service's own organisations, with enrolment targets of 10 a month from April 2012 and
    returns to August 2012 only: Westway on target, Church Street at half. (contract, consortium)
    """
    from datetime import date

    from desta_tui.db.models import Consortium, Contract, ContractPartner, Organisation

    consortium = Consortium.create(name="West London Consortium", short_name="West")
    contract = Contract.create(consortium=consortium, title="Second Service", stage="in_delivery",
                               starts_on=date(2012, 4, 1), ends_on=date(2013, 3, 31))  # fmt: skip
    for name in (WESTWAY, CHURCH):
        organisation = Organisation.get(Organisation.name == name)
        ContractPartner.create(contract=contract, organisation=organisation, role="delivery")
    perf.set_targets(contract.uuid, "enrolments", "2012-04", 12, "120")
    for month in Period.range(Period(2012, 4), Period(2012, 8)):
        grid = perf.load_returns_grid(contract.uuid, month)
        figures = {WESTWAY: "10", CHURCH: "5"}
        typed = {row.partner_uuid: {"enrolments": figures[row.organisation_name]}
                 for row in grid.rows}  # fmt: skip
        perf.save_returns(contract.uuid, month, typed)
    return contract.uuid, consortium.uuid


def _red_and_amber(contract_uuid, up_to=None):
    rows = perf.contract_performance(contract_uuid, up_to).rows
    return [row for row in rows if row.rag.rag in (Rag.RED, Rag.AMBER)]


def _by_place(rows):
    return sorted(rows, key=lambda r: (r.contract_uuid, r.partner_uuid, r.metric_code))


def test_exceptions_across_contracts_are_each_contracts_own_figures_worst_first(eps):
    second, west = _second_contract()
    found = perf.performance_exceptions()
    # each contract counted to its own latest month, with its own metrics and partners
    assert _by_place(found) == _by_place(_red_and_amber(eps) + _red_and_amber(second))
    theirs = [row for row in found if row.contract_uuid == second]
    assert [(r.organisation_name, r.metric_code, r.percent) for r in theirs] == [
        (CHURCH, "enrolments", "50%")
    ]
    assert theirs[0].months[-1] == "2012-08" and theirs[0].months_of_data == 5
    assert {r.months[-1] for r in found if r.contract_uuid == eps} == {"2012-10"}
    # worst first: red before amber, and the furthest behind first within each
    order = [(-r.rag.rag.severity, r.rag.ratio) for r in found]
    assert order == sorted(order)
    # a consortium sees its own contracts only
    assert perf.performance_exceptions(west) == theirs
    assert {r.contract_uuid for r in perf.performance_exceptions(_desta())} == {eps}


def test_exceptions_to_a_given_month_across_contracts(eps):
    second, _west = _second_contract()
    found = perf.performance_exceptions(up_to=Period(2012, 7))
    expected = _red_and_amber(eps, Period(2012, 7)) + _red_and_amber(second, Period(2012, 7))
    assert _by_place(found) == _by_place(expected)
    assert {r.months[-1] for r in found} == {"2012-07"}


def test_missing_returns_of_several_contracts_at_once(eps):
    second, _west = _second_contract()
    together = perf.missing_returns_by_contract([eps, second], OCT)
    assert together == {eps: [CHURCH], second: [CHURCH, WESTWAY]}
    assert together[second] == perf.missing_returns(second, OCT)
    assert perf.missing_returns_by_contract([second], Period(2012, 8)) == {second: []}


def test_several_contracts_counted_at_once_are_each_as_counted_alone(eps):
    second, _west = _second_contract()
    for up_to in (OCT, Period(2012, 7), None):
        together = perf.contracts_performance([second, eps], up_to)
        assert together == [perf.contract_performance(u, up_to) for u in (second, eps)]
    assert perf.contracts_performance([]) == []
    with pytest.raises(DestaError, match="no longer exists"):
        perf.contracts_performance([eps, "no-such-contract"], OCT)


def test_contracts_counted_without_sparklines_have_the_same_figures(eps):
    second, _west = _second_contract()
    for up_to in (OCT, Period(2012, 7), None):
        whole = perf.contracts_performance([second, eps], up_to)
        bare = perf.contracts_performance([second, eps], up_to, with_sparklines=False)
        assert any(row.monthly_actuals for p in whole for row in p.rows + p.totals)
        assert all(row.months == () for p in bare for row in p.rows + p.totals)
        assert bare == [
            replace(
                p,
                rows=[replace(r, monthly_actuals=(), months=()) for r in p.rows],
                totals=[replace(r, monthly_actuals=(), months=()) for r in p.totals],
            )
            for p in whole
        ]


def _desta() -> str:
    from desta_tui.db.models import Consortium

    return Consortium.get(Consortium.short_name == "Desta").uuid


@pytest.mark.parametrize("limit", [0, 1, 3, 7, 100])
def test_the_worst_exceptions_are_the_first_of_all_of_them(demo_db, limit):
    every = perf.performance_exceptions()
    worst = perf.worst_exceptions(limit=limit)
    assert worst.rows == every[:limit]
    assert worst.red == sum(1 for row in every if row.rag.rag is Rag.RED)
    assert worst.total == len(every)
    # rates and counts alike (the demo's BME retention is a rate)
    assert {row.unit for row in every} >= {"count"}


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_the_worst_exceptions_without_sparklines_are_the_same_rows_bare(demo_db, limit):
    every = perf.performance_exceptions()
    worst = perf.worst_exceptions(limit=limit, with_sparklines=False)
    assert worst.rows == [replace(row, monthly_actuals=(), months=()) for row in every[:limit]]
    assert (worst.red, worst.amber) == (
        perf.worst_exceptions(limit=limit).red,
        perf.worst_exceptions(limit=limit).amber,
    )


@pytest.mark.parametrize("up_to", [None, Period(2012, 9)])
def test_the_worst_exceptions_judge_every_kind_of_metric_as_every_row_does(eps, up_to):
    """Summed figures are judged as they are read, the rest after: a metric judged on its
    latest month, rates (one of counts with no targets) and a metric no longer live are each
    as `performance_exceptions` has them, to the latest month and to an earlier one."""
    from datetime import datetime

    from desta_tui.db.models import Contract, ContractPartner, Metric

    latest = Metric.create(code="caseload", name="Caseload", aggregation="latest", sort_order=9)
    gone = Metric.create(code="gone", name="Gone", aggregation="sum", sort_order=10)
    contract = Contract.get(Contract.uuid == eps)
    partner = ContractPartner.get(
        (ContractPartner.contract == contract) & (ContractPartner.role == "delivery")
    )
    for metric in (latest, gone):
        for period, value in (("2012-08", 9), ("2012-09", 7), ("2012-10", 1)):
            MonthlyReturn.create(
                contract=contract, partner=partner, metric=metric, period=period, value=value
            )
            Target.create(contract=contract, partner=partner, metric=metric, period=period,
                          value=10)  # fmt: skip
    Metric.update(archived_at=datetime(2012, 11, 1)).where(Metric.id == gone.id).execute()
    # a rate whose counts have returns and no targets: counted for the returns alone
    seen = Metric.create(code="seen", name="Seen", sort_order=11)
    helped = Metric.create(code="helped", name="Helped", sort_order=12)
    rate = Metric.create(code="help_rate", name="Help rate", unit="rate", aggregation="ratio",
                         numerator=helped, denominator=seen, sort_order=13)  # fmt: skip
    for period in ("2012-09", "2012-10"):
        for metric, value in ((seen, 10), (helped, 2)):
            MonthlyReturn.create(
                contract=contract, partner=partner, metric=metric, period=period, value=value
            )
        Target.create(contract=contract, partner=partner, metric=rate, period=period, value=9000)
    perf.set_rag_thresholds("150", "140")  # every figure with a target is red, rates too
    every = perf.performance_exceptions(up_to=up_to)
    assert {"rate", "count"} <= {row.unit for row in every}
    assert {"caseload", "help_rate"} <= {row.metric_code for row in every}
    assert "gone" not in {row.metric_code for row in every}
    for limit in (3, len(every)):
        worst = perf.worst_exceptions(limit=limit, up_to=up_to)
        assert worst.rows == every[:limit]
        assert (worst.red, worst.amber) == (
            sum(1 for row in every if row.rag.rag is Rag.RED),
            sum(1 for row in every if row.rag.rag is Rag.AMBER),
        )


def test_the_worst_exceptions_judge_rates_as_every_row_does(demo_db):
    perf.set_rag_thresholds("150", "140")  # the demo's 130% retention is now red, with the rest
    every = perf.performance_exceptions()
    assert "rate" in {row.unit for row in every}
    worst = perf.worst_exceptions(limit=len(every))
    assert worst.rows == every and worst.total == len(every)
