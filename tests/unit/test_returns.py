"""What a valid monthly return is: counts typed, parts within wholes, totals to date."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.metrics import format_count
from desta_tui.domain.returns import (
    ALL_RULES,
    CUMULATIVE_RULES,
    MAX_COUNT,
    SUBSET_RULES,
    check_return,
    first_cumulative_breach,
    parse_count,
    rules_for,
)

CODES = ["enrolments", "completions", "bme_recruited", "bme_retained", "deprived_wards"]


@pytest.mark.parametrize(
    ("text", "value"), [("12", 12), (" 0 ", 0), ("1,200", 1200), ("", None), ("  ", None)]
)
def test_counts_typed_as_people_type_them(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("text", "words"),
    [("-3", "negative"), ("2.5", "whole number"), ("abc", "not a number"), ("1,20", "not a"),
     ("10000000000", "too large"), ("١٢", "not a number"), ("-1", "-1 is negative: enter 0"),
     ("12.0", "leave off the decimals and type 12"), ("1,2x", "'1,2x' is not a number"),
     ("\u22121", "negative")],
)  # fmt: skip
def test_bad_counts_say_why(text, words):
    with pytest.raises(ValidationError) as caught:
        parse_count(text, "enrolments")
    assert words in caught.value.message and caught.value.field == "enrolments"


def test_each_check_names_the_cell_and_the_figures():
    problems = check_return({"bme_recruited": 2, "bme_retained": 3, "enrolments": 9}).problems
    assert problems == {"bme_retained": "BME retained (3) is more than recruited (2)"}
    problems = check_return({"enrolments": 2, "bme_recruited": 3}).problems
    assert "more than all enrolled (2)" in problems["bme_recruited"]
    problems = check_return({"enrolments": 5, "deprived_wards": 6}).problems
    assert "deprived_wards" in problems
    problems = check_return(
        {"enrolments": 9, "completions": 40},
        to_date_before={"enrolments": 107, "completions": 83},
    ).problems
    assert problems["completions"] == "completions to date (123) exceed enrolments to date (116)"
    assert check_return({"enrolments": 9, "completions": 9}, to_date_before={"enrolments": 10}).ok
    assert check_return({"enrolments": None, "completions": None}).problems == {}


def test_a_later_month_breach_is_found():
    assert first_cumulative_breach([1, 1, 5], [2, 2, 2]) == 2
    assert first_cumulative_breach([1, 1], [2, 2]) is None
    assert first_cumulative_breach([3], [0], start_part=0, start_whole=2) == 0


def test_text_and_numbers_are_held_to_the_same_rules():
    check = check_return({"enrolments": "1,200", "completions": -1, "bme_recruited": 10**10})
    assert check.values["enrolments"] == 1200
    assert check.problems["completions"] == "-1 is negative: enter 0 or more"
    assert "too large" in check.problems["bme_recruited"]
    assert check_return({"enrolments": "", "completions": None}).values == {
        "enrolments": None,
        "completions": None,
    }


def test_a_figure_that_does_not_parse_leaves_the_saved_one_for_the_other_rules():
    saved = {"enrolments": 5, "bme_recruited": 4}
    check = check_return({"enrolments": "abc", "bme_recruited": "8"}, saved=saved)
    assert check.problems == {
        "enrolments": "'abc' is not a number: type a whole number like 12",
        "bme_recruited": "BME recruited (8) is more than all enrolled (5)",
    }
    assert check.values == {"enrolments": 5, "bme_recruited": 8}


def test_every_problem_is_raised_at_once_under_its_metric_code():
    check = check_return({"enrolments": "x", "bme_retained": "3", "bme_recruited": "2"})
    with pytest.raises(FormError) as caught:
        check.raise_if_any()
    assert set(caught.value.errors) == {"enrolments", "bme_retained"}
    assert all(isinstance(error, ValidationError) for error in check.errors())
    check_return({"enrolments": "3"}).raise_if_any()  # nothing wrong: nothing raised


def test_a_change_that_breaks_a_later_month_names_that_month():
    later = {"2012-11": {"enrolments": 1, "completions": 4}, "2012-12": {"completions": 2}}
    before = {"enrolments": 10, "completions": 6}
    check = check_return({"enrolments": "2"}, saved={"completions": 1}, later_months=later,
                         to_date_before=before)  # fmt: skip
    # Oct: 12 enrolled, 7 completed; Nov: 13 and 11; Dec: 13 and 13; fine
    assert check.ok
    check = check_return({"enrolments": "0"}, saved={"completions": 1}, later_months=later,
                         to_date_before=before)  # fmt: skip
    # Nov: 11 enrolled, 11 completed; Dec: 11 and 13: the change to enrolments broke December
    assert check.problems == {
        "enrolments": "this would make Dec 2012's completions to date more than its enrolments"
        " to date"
    }
    # without later months the same figures are only checked to this month
    assert check_return({"enrolments": "0"}, saved={"completions": 1},
                        to_date_before=before).ok  # fmt: skip


def test_a_contracts_rules_are_those_whose_part_it_counts():
    rules = rules_for(["enrolments", "bme_recruited"])
    assert [rule.part for rule in rules.subset] == ["bme_recruited"]
    assert rules.cumulative == ()
    assert ALL_RULES.subset == SUBSET_RULES and ALL_RULES.cumulative == CUMULATIVE_RULES
    assert ALL_RULES.to_date_codes == {"completions", "enrolments"}
    assert check_return({"bme_retained": 3, "bme_recruited": 2}, rules).ok


def test_an_importer_can_check_row_by_row_with_running_totals():
    rows = [{"enrolments": "10", "completions": "4"}, {"enrolments": "0", "completions": "5"},
            {"enrolments": "1", "completions": "3"}]  # fmt: skip
    totals: dict[str, int] = {}
    found = []
    for line, row in enumerate(rows, start=2):
        check = check_return(row, ALL_RULES, to_date_before=totals)
        found += [(line, error.field) for error in check.errors()]
        if check.ok:
            for code in ALL_RULES.to_date_codes:
                totals[code] = totals.get(code, 0) + (check.values.get(code) or 0)
    assert found == [(4, "completions")]  # 12 completed of 11 enrolled by the third row


# --- properties -------------------------------------------------------------------------------

counts = st.integers(0, MAX_COUNT)
small = st.integers(0, 300)


@given(counts)
def test_counts_round_trip_through_how_they_are_shown(value):
    assert parse_count(format_count(value)) == value
    assert parse_count(str(value)) == value
    assert parse_count(f"  {value:,} ") == value


@given(st.integers(1, MAX_COUNT))
def test_a_negative_count_is_always_refused_as_negative(value):
    for text in (f"-{value}", f"-{value:,}", f"\u2212{value}"):
        with pytest.raises(ValidationError, match="negative"):
            parse_count(text)


@given(counts, st.integers(1, 99))
def test_a_count_with_decimals_is_never_taken_as_a_number(value, decimals):
    with pytest.raises(ValidationError, match="whole number"):
        parse_count(f"{value}.{decimals}")


def as_typed(value: int | None):
    """A figure in any of the forms it comes in."""
    return st.sampled_from(
        [value, None if value is None else str(value), None if value is None else f"{value:,}"]
    )


figures = st.dictionaries(
    st.sampled_from(CODES), st.one_of(st.none(), small).flatmap(as_typed) | st.just("x")
)
totals_before = st.dictionaries(st.sampled_from(CODES), small)
later = st.dictionaries(
    st.sampled_from([f"2013-{month:02d}" for month in range(1, 13)]),
    st.dictionaries(st.sampled_from(CODES), st.integers(0, 30)),
    max_size=6,
)


@given(figures, totals_before, st.one_of(st.none(), later))
def test_any_figures_accepted_satisfy_every_rule(typed, before, later_months):
    check = check_return(typed, to_date_before=before, later_months=later_months)
    rule_codes = {
        code for rule in (*SUBSET_RULES, *CUMULATIVE_RULES) for code in (rule.part, rule.whole)
    }
    assert set(check.problems) <= set(typed) | rule_codes  # each problem under a metric code
    if not check.ok:
        with pytest.raises(FormError):
            check.raise_if_any()
        return
    values = check.values
    for rule in SUBSET_RULES:
        part, whole = values.get(rule.part), values.get(rule.whole)
        assert part is None or whole is None or part <= whole
    for rule in CUMULATIVE_RULES:
        part_total = before.get(rule.part, 0) + (values.get(rule.part) or 0)
        whole_total = before.get(rule.whole, 0) + (values.get(rule.whole) or 0)
        reported = values.get(rule.part) is not None or values.get(rule.whole) is not None
        assert part_total <= whole_total or not reported  # nothing to judge this month
        for month in sorted(later_months or {}):
            part_total += later_months[month].get(rule.part, 0)
            whole_total += later_months[month].get(rule.whole, 0)
            assert part_total <= whole_total


@given(st.dictionaries(st.sampled_from(CODES), st.one_of(st.none(), st.integers(0, 200))))
def test_checks_flag_exactly_the_broken_rules(values):
    problems = check_return(values).problems

    def over(part, whole):
        return (values.get(part) is not None and values.get(whole) is not None
                and values[part] > values[whole])  # fmt: skip

    assert ("bme_retained" in problems) == over("bme_retained", "bme_recruited")
    assert ("bme_recruited" in problems) == over("bme_recruited", "enrolments")
    assert ("deprived_wards" in problems) == over("deprived_wards", "enrolments")
    completions_over = (values.get("completions") or 0) > (values.get("enrolments") or 0)
    assert bool({"completions", "enrolments"} & set(problems)) == completions_over


def test_a_count_of_thousands_of_digits_is_refused_naming_the_limit():
    # int() itself refuses strings of over 4,300 digits: this must be a sentence, not a crash
    with pytest.raises(ValidationError) as caught:
        parse_count("9" * 5000, "enrolments")
    assert caught.value.message == (
        "a number of 5,000 digits is too large for a monthly figure (the most is 1,000,000,000)"
    )
    assert parse_count("0" * 5000 + "12") == 12
