"""Tests for desta_tui.domain.periods: months, quarters, financial and contract years."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.errors import ValidationError
from desta_tui.domain.periods import (
    Period,
    contract_year_months,
    contract_year_of,
    format_period,
    is_month_due,
    last_ended_month,
    months_due,
    months_elapsed,
    parse_period,
)
from desta_tui.domain.quarters import (
    FinancialYear,
    Quarter,
    financial_year_of,
    parse_any_period,
    parse_quarter,
    quarter_of,
)

OCT_2012 = Period(2012, 10)
periods = st.builds(Period, st.integers(1900, 2100), st.integers(1, 12))


def test_period_basics():
    assert OCT_2012.key == "2012-10"
    assert OCT_2012.label == "Oct 2012"
    assert OCT_2012.long_label == "October 2012"
    assert str(OCT_2012) == "2012-10"
    assert f"{OCT_2012}" == "2012-10"
    assert OCT_2012.first_day == date(2012, 10, 1)
    assert OCT_2012.last_day == date(2012, 10, 31)
    assert Period(2012, 2).last_day == date(2012, 2, 29)
    assert Period(2013, 2).last_day == date(2013, 2, 28)
    assert OCT_2012.contains(date(2012, 10, 31))
    assert not OCT_2012.contains(date(2012, 11, 1))


def test_period_next_previous_wrap_years():
    assert Period(2012, 12).next() == Period(2013, 1)
    assert Period(2013, 1).previous() == Period(2012, 12)
    assert OCT_2012.next() == Period(2012, 11)
    assert OCT_2012.shift(-22) == Period(2010, 12)
    assert OCT_2012.shift(0) == OCT_2012


def test_period_order_and_hash():
    assert Period(2012, 12) < Period(2013, 1) < Period(2013, 2)
    assert sorted([Period(2013, 1), Period(2012, 3), Period(2012, 11)]) == [
        Period(2012, 3),
        Period(2012, 11),
        Period(2013, 1),
    ]
    assert {Period(2012, 10), Period(2012, 10)} == {OCT_2012}


def test_period_is_frozen():
    with pytest.raises(AttributeError):
        OCT_2012.month = 11


@pytest.mark.parametrize(("year", "month"), [(2012, 0), (2012, 13), (0, 1), (10000, 1)])
def test_period_rejects_impossible_values(year, month):
    with pytest.raises(ValueError):
        Period(year, month)


def test_period_from_date_and_key():
    assert Period.from_date(date(2012, 10, 17)) == OCT_2012
    assert Period.from_key("2012-10") == OCT_2012
    with pytest.raises(ValueError):
        Period.from_key("Oct 2012")


def test_period_range_is_inclusive():
    months = list(Period.range(Period(2012, 11), Period(2013, 2)))
    assert [p.key for p in months] == ["2012-11", "2012-12", "2013-01", "2013-02"]
    assert list(Period.range(OCT_2012, OCT_2012)) == [OCT_2012]
    assert list(Period.range(OCT_2012, Period(2012, 9))) == []


def test_months_between():
    assert OCT_2012.months_between(Period(2013, 1)) == 3
    assert Period(2013, 1).months_between(OCT_2012) == -3
    assert OCT_2012.months_between(OCT_2012) == 0


@pytest.mark.parametrize(
    "text",
    [
        "2012-10",
        "2012/10",
        "2012.10",
        "2012 - 10",
        "10/2012",
        "10-2012",
        "Oct 2012",
        "October 2012",
        "oct-12",
        "OCT-12",
        "Oct. 2012",
        "Oct '12",
        "Oct2012",
        " october 2012 ",
        "01/10/2012",  # Excel turns "Oct-12" into this date
        "2012-10-01",
        "2012-10-01 00:00:00",
    ],
)
def test_parse_period_accepts(text):
    assert parse_period(text) == OCT_2012


def test_parse_period_other_months():
    assert parse_period("Sept 2012") == Period(2012, 9)
    assert parse_period("9/2012") == Period(2012, 9)
    assert parse_period("jan-99") == Period(1999, 1)
    assert parse_period("May 2013") == Period(2013, 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter a month"),
        ("2012-13", "'2012-13' is not a month: there is no month 13"),
        ("2012-00", "'2012-00' is not a month: there is no month 0"),
        ("13/2012", "'13/2012' is not a month: there is no month 13"),
        ("Octo 2012", "'Octo 2012' is not a month: 'Octo' is not the name of a month"),
        ("x", "'x' is not a month: type a month like 2012-10, 10/2012 or Oct 2012"),
        ("today", "'today' is not a month: type a month like 2012-10, 10/2012 or Oct 2012"),
        ("2012", "'2012' is not a month: type a month like 2012-10, 10/2012 or Oct 2012"),
        (
            "15/10/2012",
            "'15/10/2012' is not a month: that is a day; did you mean the month 10/2012?",
        ),
    ],
)
def test_parse_period_rejects_with_reason(text, message):
    with pytest.raises(ValidationError) as caught:
        parse_period(text, field="month")
    assert caught.value.field == "month"
    assert caught.value.message == message


@pytest.mark.parametrize("text", ["10/0212", "0212-10", "Oct 0212", "10/1899", "2200-01"])
def test_parse_period_refuses_a_year_outside_the_dates_window(text):
    # `10/0212` is 10/2012 with a slip of the keyboard: it must not become October in AD 212
    with pytest.raises(ValidationError) as caught:
        parse_period(text, field="month")
    assert "looks wrong (use a year from 1900 to 2199)" in caught.value.message


def test_parse_quarter_refuses_a_year_outside_the_dates_window():
    with pytest.raises(ValidationError, match="looks wrong"):
        parse_quarter("0212-Q3")


def test_format_period():
    assert format_period(OCT_2012) == "Oct 2012"
    assert format_period(Quarter(2012, 3)) == "Jul–Sep 2012"
    assert format_period(None) == ""


def test_quarter_basics():
    q3 = Quarter(2012, 3)
    assert q3.key == "2012-Q3"
    assert str(q3) == "2012-Q3"
    assert q3.label == "Jul–Sep 2012"
    assert q3.months() == [Period(2012, 7), Period(2012, 8), Period(2012, 9)]
    assert q3.first_period == Period(2012, 7)
    assert q3.last_period == Period(2012, 9)
    assert q3.first_day == date(2012, 7, 1)
    assert q3.last_day == date(2012, 9, 30)
    assert Quarter(2012, 4).next() == Quarter(2013, 1)
    assert Quarter(2013, 1).previous() == Quarter(2012, 4)
    assert Quarter(2012, 1).label == "Jan–Mar 2012"
    assert Quarter.from_date(date(2012, 11, 5)) == Quarter(2012, 4)
    assert Quarter(2012, 4) < Quarter(2013, 1)


@pytest.mark.parametrize("q", [0, 5])
def test_quarter_rejects_impossible_values(q):
    with pytest.raises(ValueError):
        Quarter(2012, q)


@pytest.mark.parametrize(
    ("month", "q"), [(1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (9, 3), (10, 4), (12, 4)]
)
def test_quarter_of(month, q):
    assert quarter_of(Period(2012, month)) == Quarter(2012, q)


@pytest.mark.parametrize("text", ["2012-Q3", "2012 Q3", "2012Q3", "Q3 2012", "q3-12", "Q3/2012"])
def test_parse_quarter_accepts(text):
    assert parse_quarter(text) == Quarter(2012, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter a quarter"),
        ("2012-Q5", "'2012-Q5' is not a quarter: there is no quarter 5"),
        ("Q0 2012", "'Q0 2012' is not a quarter: there is no quarter 0"),
        ("2012-10", "'2012-10' is not a quarter: type a quarter like 2012-Q3 or Q3 2012"),
    ],
)
def test_parse_quarter_rejects_with_reason(text, message):
    with pytest.raises(ValidationError) as caught:
        parse_quarter(text)
    assert caught.value.field == "quarter"
    assert caught.value.message == message


def test_parse_any_period():
    assert parse_any_period("2012-Q3") == Quarter(2012, 3)
    assert parse_any_period("q4 2012") == Quarter(2012, 4)
    assert parse_any_period("2012-10") == OCT_2012
    assert parse_any_period("Oct 2012") == OCT_2012
    with pytest.raises(ValidationError, match="there is no quarter 7"):
        parse_any_period("2012-Q7")
    with pytest.raises(ValidationError, match="there is no month 13"):
        parse_any_period("2012-13")


def test_financial_year():
    fy = financial_year_of(OCT_2012)
    assert fy == FinancialYear(2012)
    assert fy.label == "2012/13"
    assert str(fy) == "2012/13"
    assert financial_year_of(Period(2013, 3)) == fy
    assert financial_year_of(Period(2013, 4)) == FinancialYear(2013)
    assert financial_year_of(date(2013, 3, 31)) == fy
    assert FinancialYear(1999).label == "1999/00"
    assert fy.months()[0] == Period(2012, 4)
    assert fy.months()[-1] == Period(2013, 3)
    assert len(fy.months()) == 12
    assert (fy.first_day, fy.last_day) == (date(2012, 4, 1), date(2013, 3, 31))


def test_contract_year_months_count_from_the_start_month():
    starts_on = date(2012, 10, 15)
    year_1 = contract_year_months(starts_on, 1)
    assert year_1[0] == OCT_2012
    assert year_1[-1] == Period(2013, 9)
    assert len(year_1) == 12
    year_2 = contract_year_months(starts_on, 2)
    assert (year_2[0], year_2[-1]) == (Period(2013, 10), Period(2014, 9))
    with pytest.raises(ValueError):
        contract_year_months(starts_on, 0)


def test_months_elapsed_counts_the_period_itself():
    starts_on = date(2012, 10, 1)
    assert months_elapsed(starts_on, Period(2012, 9)) == 0
    assert months_elapsed(starts_on, OCT_2012) == 1
    assert months_elapsed(starts_on, Period(2013, 3)) == 6
    assert months_elapsed(date(2012, 10, 31), Period(2013, 9)) == 12


def test_contract_year_of():
    starts_on = date(2012, 10, 1)
    assert contract_year_of(starts_on, Period(2012, 9)) is None
    assert contract_year_of(starts_on, OCT_2012) == 1
    assert contract_year_of(starts_on, Period(2013, 9)) == 1
    assert contract_year_of(starts_on, Period(2013, 10)) == 2


@given(periods)
def test_key_and_label_round_trip(period):
    assert parse_period(period.key) == period
    assert parse_period(period.label) == period
    assert parse_period(period.long_label) == period
    assert Period.from_key(period.key) == period
    assert parse_any_period(period.key) == period


@given(periods)
def test_next_and_previous_are_inverse(period):
    assert period.next().previous() == period
    assert period.next() > period
    assert period.months_between(period.next()) == 1
    assert period.next().first_day == period.last_day + timedelta(days=1)


@given(periods)
def test_quarter_months_hold_the_period(period):
    quarter = quarter_of(period)
    months = quarter.months()
    assert len(months) == 3
    assert period in months
    assert months[0].month in (1, 4, 7, 10)
    assert all(quarter_of(month) == quarter for month in months)
    assert parse_quarter(quarter.key) == quarter
    assert quarter.next().first_period == months[-1].next()


@given(periods, periods)
def test_range_length_matches_months_between(start, end):
    months = list(Period.range(start, end))
    assert len(months) == max(0, start.months_between(end) + 1)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), periods)
def test_contract_year_of_agrees_with_contract_year_months(starts_on, period):
    year = contract_year_of(starts_on, period)
    if year is None:
        assert period < Period.from_date(starts_on)
    else:
        assert period in contract_year_months(starts_on, year)


# --- months due: the one rule of which months a partner owes a return for ---------------------

DEMO_TODAY = date(2012, 11, 5)
EPS_START, EPS_END = date(2011, 10, 1), date(2013, 9, 30)
days = st.dates(date(2005, 1, 1), date(2020, 12, 31))
maybe_days = st.none() | days


def test_months_due_on_the_demo_contract():
    due = months_due(EPS_START, EPS_END, None, None, DEMO_TODAY)
    assert due[0] == Period(2011, 10) and due[-1] == OCT_2012 and len(due) == 13
    # November has not ended on 05/11/2012, so it is not due
    assert not is_month_due(Period(2012, 11), EPS_START, EPS_END, None, None, DEMO_TODAY)
    assert is_month_due(Period(2012, 11), EPS_START, EPS_END, None, None, date(2012, 12, 1))
    assert last_ended_month(DEMO_TODAY) == OCT_2012


def test_a_partner_added_today_owes_no_past_month():
    assert months_due(EPS_START, EPS_END, DEMO_TODAY, None, DEMO_TODAY) == []
    # its first month falls due once that month has ended
    assert months_due(EPS_START, EPS_END, DEMO_TODAY, None, date(2012, 12, 3)) == [Period(2012, 11)]


def test_a_partner_that_left_owes_nothing_after_its_end():
    due = months_due(EPS_START, EPS_END, None, date(2012, 6, 15), DEMO_TODAY)
    assert due[-1] == Period(2012, 6)  # a month it worked part of is due
    assert not is_month_due(Period(2012, 7), EPS_START, EPS_END, None, date(2012, 6, 15),
                            DEMO_TODAY)  # fmt: skip


def test_nothing_is_due_before_a_start_or_after_an_end():
    assert months_due(None, None, None, None, DEMO_TODAY) == []  # no start on paper yet
    assert months_due(date(2013, 4, 1), date(2015, 3, 31), None, None, DEMO_TODAY) == []
    ended = months_due(date(2010, 1, 1), date(2010, 3, 31), None, None, DEMO_TODAY)
    assert ended == [Period(2010, 1), Period(2010, 2), Period(2010, 3)]


@given(maybe_days, maybe_days, maybe_days, maybe_days, days)
def test_months_due_lie_within_both_terms_and_before_todays_month(
    contract_start, contract_end, partner_start, partner_end, today
):
    due = months_due(contract_start, contract_end, partner_start, partner_end, today)
    assert due == sorted(set(due))
    for month in due:
        assert month < Period.from_date(today)  # it has ended
        for start in (contract_start, partner_start):
            assert start is None or month.last_day >= start
        for end in (contract_end, partner_end):
            assert end is None or month.first_day <= end
        assert is_month_due(month, contract_start, contract_end, partner_start, partner_end,
                            today)  # fmt: skip
    if due:  # no gaps: every month between the first and the last is due too
        assert due == list(Period.range(due[0], due[-1]))


@given(maybe_days, maybe_days, maybe_days, maybe_days, days, days, periods)
def test_months_due_only_grow_as_today_moves_on(
    contract_start, contract_end, partner_start, partner_end, one_day, other_day, month
):
    earlier, later = sorted((one_day, other_day))
    terms = (contract_start, contract_end, partner_start, partner_end)
    assert set(months_due(*terms, earlier)) <= set(months_due(*terms, later))
    if is_month_due(month, *terms, earlier):
        assert is_month_due(month, *terms, later)
