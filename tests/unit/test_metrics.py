"""Metric rules: typed counts, return checks, aggregation to date and target spreading."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.errors import ValidationError
from desta_tui.domain.metrics import (
    MonthFigure,
    ToDate,
    check_return,
    combine_partners,
    first_cumulative_breach,
    format_rate,
    latest_to_date,
    parse_count,
    parse_profile,
    parse_rate,
    ratio_basis_points,
    ratio_to_date,
    spread_by_profile,
    spread_evenly,
    sum_to_date,
)
from desta_tui.domain.rag import Rag, trajectory_status


@pytest.mark.parametrize(
    ("text", "value"), [("12", 12), (" 0 ", 0), ("1,200", 1200), ("", None), ("  ", None)]
)
def test_counts_typed_as_people_type_them(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("text", "words"),
    [("-3", "negative"), ("2.5", "whole number"), ("abc", "not a number"), ("1,20", "not a"),
     ("10000000000", "too large"), ("١٢", "not a number")],
)  # fmt: skip
def test_bad_counts_say_why(text, words):
    with pytest.raises(ValidationError) as caught:
        parse_count(text, "enrolments")
    assert words in caught.value.message and caught.value.field == "enrolments"


def test_a_count_of_thousands_of_digits_is_refused_naming_the_limit():
    # int() itself refuses strings of over 4,300 digits: this must be a sentence, not a crash
    with pytest.raises(ValidationError) as caught:
        parse_count("9" * 5000, "enrolments")
    message = caught.value.message
    assert message == (
        "a number of 5,000 digits is too large for a monthly figure (the most is 1,000,000,000)"
    )
    assert parse_count("0" * 5000 + "12") == 12


def test_rates_are_basis_points():
    assert parse_rate("63%") == 6300 and parse_rate("62.5") == 6250 and parse_rate("") is None
    assert format_rate(8300) == "83%" and format_rate(None) == "–"
    with pytest.raises(ValidationError):
        parse_rate("lots")


def test_each_check_names_the_cell_and_the_figures():
    problems = check_return({"bme_recruited": 2, "bme_retained": 3, "enrolments": 9})
    assert problems == {"bme_retained": "BME retained (3) is more than recruited (2)"}
    problems = check_return({"enrolments": 2, "bme_recruited": 3})
    assert "more than all enrolled (2)" in problems["bme_recruited"]
    problems = check_return({"enrolments": 5, "deprived_wards": 6})
    assert "deprived_wards" in problems
    problems = check_return(
        {"enrolments": 9, "completions": 40}, {"enrolments": 107, "completions": 83}
    )
    assert problems["completions"] == "completions to date (123) exceed enrolments to date (116)"
    assert check_return({"enrolments": 9, "completions": 9}, {"enrolments": 10}) == {}
    assert check_return({"enrolments": None, "completions": None}) == {}


def test_a_later_month_breach_is_found():
    assert first_cumulative_breach([1, 1, 5], [2, 2, 2]) == 2
    assert first_cumulative_breach([1, 1], [2, 2]) is None
    assert first_cumulative_breach([3], [0], start_part=0, start_whole=2) == 0


def test_a_missing_month_counts_neither_actual_nor_target():
    figures = [MonthFigure("2012-09", 9, 10), MonthFigure("2012-10", None, 10)]
    assert sum_to_date(figures) == ToDate(9, 10, 1)


def test_latest_takes_the_latest_returned_month():
    figures = [MonthFigure("2012-10", None, 4), MonthFigure("2012-08", 3, 5),
               MonthFigure("2012-09", 7, 6)]  # fmt: skip
    assert latest_to_date(figures) == ToDate(7, 6, 2)
    assert latest_to_date([]) == ToDate(0, 0, 0)


def test_bme_retention_from_counts_not_from_an_average_of_rates():
    partners = [
        ratio_to_date([MonthFigure("2012-10", 1, None)], [MonthFigure("2012-10", 1, None)],
                      {"2012-10": 6300}),
        ratio_to_date([MonthFigure("2012-10", 248, None)], [MonthFigure("2012-10", 299, None)],
                      {"2012-10": 6300}),
    ]  # fmt: skip
    total = combine_partners("ratio", partners)
    assert (total.numerator, total.denominator, total.actual) == (249, 300, 8300)
    assert total.target == 6300
    status = trajectory_status(total.actual, total.target, 13)
    assert status.rag is Rag.GREEN and status.ratio > Decimal("1.30")


def test_ratio_months_need_both_figures():
    figure = ratio_to_date(
        [MonthFigure("2012-09", 2, None), MonthFigure("2012-10", 3, None)],
        [MonthFigure("2012-10", 4, None)],
        {"2012-09": 5000, "2012-10": 6000},
    )
    assert figure == ToDate(7500, 6000, 1, 3, 4)


def test_spreading_examples():
    assert spread_evenly(125, 12) == [11] * 5 + [10] * 7
    assert spread_by_profile(10, [1, 1, 2, 0]) == [3, 2, 5, 0]
    assert parse_profile("1 1 2 0", 4) == [1, 1, 2, 0] and parse_profile("", 4) is None
    for bad in ("1 2", "1 x 2 3", "0 0 0 0", "-1 1 1 1"):
        with pytest.raises(ValidationError):
            parse_profile(bad, 4)
    with pytest.raises(ValidationError):
        spread_by_profile(-1, [1])


# --- properties -------------------------------------------------------------------------------

months = st.integers(1, 60)
totals = st.integers(0, 10**7)


@given(totals, months)
def test_even_spread_adds_up_exactly_and_differs_by_at_most_one(total, count):
    parts = spread_evenly(total, count)
    assert sum(parts) == total and len(parts) == count
    assert max(parts) - min(parts) <= 1
    assert parts == sorted(parts, reverse=True)  # never back-loaded by rounding


@given(totals, st.lists(st.integers(0, 1000), min_size=1, max_size=36).filter(any))
def test_profile_spread_adds_up_and_stays_within_one_of_exact(total, weights):
    parts = spread_by_profile(total, weights)
    assert sum(parts) == total and all(part >= 0 for part in parts)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(total) * weight / weight_sum
        assert abs(part - exact) < 1
        if weight == 0:
            assert part == 0


figure_lists = st.lists(
    st.tuples(st.integers(0, 500), st.one_of(st.none(), st.integers(0, 500)),
              st.integers(0, 500)),
    max_size=36,
)  # fmt: skip


@given(figure_lists)
def test_sum_to_date_counts_only_returned_months(rows):
    figures = [
        MonthFigure(f"{2010 + i // 12}-{i % 12 + 1:02d}", actual, target)
        for i, (target, actual, _) in enumerate(rows)
    ]
    result = sum_to_date(figures)
    returned = [f for f in figures if f.actual is not None]
    assert result.months == len(returned)
    assert result.actual == sum(f.actual for f in returned)
    assert result.target == sum(f.target for f in returned)


@given(st.lists(st.tuples(st.integers(0, 10**5), st.integers(0, 10**5)), min_size=1, max_size=50))
def test_partners_combine_like_one_big_partner(pairs):
    parts = [ToDate(a, t, 1) for a, t in pairs]
    total = combine_partners("sum", parts)
    assert total.actual == sum(a for a, _ in pairs) and total.target == sum(t for _, t in pairs)
    # the contract's status never depends on how its figures are split between partners
    one = combine_partners("sum", [total])
    assert trajectory_status(one.actual, one.target, 2) == trajectory_status(
        total.actual, total.target, 2
    )


@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=20))
def test_ratio_of_sums_is_within_the_partners_range(pairs):
    pairs = [(min(n, d), d) for n, d in pairs]  # retained never above recruited
    parts = [ToDate(ratio_basis_points(n, d) or 0, 6300, 1, n, d) for n, d in pairs]
    total = combine_partners("ratio", parts)
    assert total.numerator == sum(n for n, _ in pairs)
    assert total.denominator == sum(d for _, d in pairs)
    rates = [ratio_basis_points(n, d) for n, d in pairs if d]
    if rates:
        assert min(rates) - 1 <= total.actual <= max(rates) + 1
        assert 0 <= total.actual <= 10_000
    assert total.target == 6300


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_ratio_basis_points_rounds_half_up(numerator, denominator):
    bp = ratio_basis_points(numerator, denominator)
    exact = Decimal(numerator) * 10_000 / denominator
    assert abs(bp - exact) <= Decimal("0.5")


@given(st.dictionaries(
    st.sampled_from(["enrolments", "completions", "bme_recruited", "bme_retained",
                     "deprived_wards"]),
    st.one_of(st.none(), st.integers(0, 200)),
))  # fmt: skip
def test_checks_flag_exactly_the_broken_rules(values):
    problems = check_return(values)

    def over(part, whole):
        return (values.get(part) is not None and values.get(whole) is not None
                and values[part] > values[whole])  # fmt: skip

    assert ("bme_retained" in problems) == over("bme_retained", "bme_recruited")
    assert ("bme_recruited" in problems) == over("bme_recruited", "enrolments")
    assert ("deprived_wards" in problems) == over("deprived_wards", "enrolments")
    completions_over = (values.get("completions") or 0) > (values.get("enrolments") or 0)
    assert bool({"completions", "enrolments"} & set(problems)) == completions_over
