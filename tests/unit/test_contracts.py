"""The contract rules: the stage road, values, dates, key dates, the split and the roles."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.choices import CONTRACT_STAGES, STAGE_ORDER
from desta_tui.domain.contracts import (
    CLOSED_STAGES,
    effective_partner_term,
    is_backwards,
    is_contact_expected,
    is_contact_overdue,
    over_allocation_pence,
    parse_contact_interval_days,
    parse_partner_role,
    parse_value_pence,
    role_clashes,
    upcoming_key_dates,
    validate_allocation,
    validate_annual_value,
    validate_partner_boroughs,
    validate_partner_term,
    validate_reallocation,
    validate_single_role,
    validate_stage,
    validate_stage_change_on,
    validate_stage_move,
    validate_tender_dates,
    validate_term,
    validate_total_value,
)
from desta_tui.domain.errors import ReasonRequiredError, ValidationError
from desta_tui.domain.money import MAX_PENCE, format_money

stages = st.sampled_from(CONTRACT_STAGES.codes)
pence = st.integers(min_value=0, max_value=10**12)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


# --- the stage road -------------------------------------------------------------------------


def test_validate_stage_knows_the_codes():
    assert validate_stage("in_delivery") == "in_delivery"
    with pytest.raises(ValidationError) as caught:
        validate_stage("won", "reason")
    assert (caught.value.field, caught.value.message) == ("reason", "'won' is not a stage")


def test_not_won_leaves_the_road_after_submitted():
    assert not is_backwards("submitted", "not_won")
    assert is_backwards("not_won", "submitted")
    assert is_backwards("in_delivery", "awarded")
    assert not is_backwards("dialogue", "ended")
    assert not is_backwards(None, "ended")


@given(stages, stages)
def test_a_move_is_backwards_exactly_when_it_loses_ground(from_stage, to_stage):
    assert is_backwards(from_stage, to_stage) == (STAGE_ORDER[to_stage] < STAGE_ORDER[from_stage])
    # of a move and its reverse, at most one goes back
    assert not (is_backwards(from_stage, to_stage) and is_backwards(to_stage, from_stage))


def test_going_back_asks_why_naming_the_contract():
    with pytest.raises(ReasonRequiredError) as caught:
        validate_stage_move("awarded", "submitted", "  ", title="Carers' Support Hub")
    error = caught.value
    assert (error.field, error.kind) == ("stage", "stage")
    assert error.message == "moving from Awarded back to Submitted needs a reason"
    assert error.question == "Why is Carers' Support Hub moving from Awarded back to Submitted?"


def test_a_move_returns_its_reason_tidied():
    assert validate_stage_move("awarded", "submitted", " Award withdrawn ", title="X") == (
        "Award withdrawn"
    )
    assert validate_stage_move("submitted", "awarded", "", title="X") == ""
    with pytest.raises(ValidationError) as caught:
        validate_stage_move("submitted", "won", "", title="X", field="reason")
    assert caught.value.field == "reason"


@given(stages, stages)
def test_only_backward_moves_need_a_reason(from_stage, to_stage):
    if is_backwards(from_stage, to_stage):
        with pytest.raises(ReasonRequiredError):
            validate_stage_move(from_stage, to_stage, "", title="X")
    else:
        assert validate_stage_move(from_stage, to_stage, "", title="X") == ""


def test_a_stage_change_is_dated_between_the_last_one_and_today():
    today = date(2012, 11, 26)
    assert validate_stage_change_on(today, today, date(2012, 11, 2)) == today
    assert validate_stage_change_on(date(2012, 11, 2), today, date(2012, 11, 2))
    with pytest.raises(ValidationError, match="cannot be in the future"):
        validate_stage_change_on(date(2012, 11, 27), today, None)
    with pytest.raises(ValidationError) as caught:
        validate_stage_change_on(date(2012, 9, 1), today, date(2012, 11, 2))
    assert caught.value.field == "changed_on"
    assert caught.value.message == "the last stage change was on 02/11/2012"


# --- values ---------------------------------------------------------------------------------


def test_values_are_typed_as_money():
    assert parse_value_pence("", "total_value") == 0
    assert parse_value_pence(None, "total_value") == 0
    assert parse_value_pence(" £670,000 ", "total_value") == 67_000_000
    with pytest.raises(ValidationError) as caught:
        parse_value_pence("-£1", "annual_value")
    assert caught.value.field == "annual_value"
    assert caught.value.message == "an amount cannot be below £0"
    with pytest.raises(ValidationError) as caught:
        parse_value_pence("lots", "total_value")
    assert caught.value.field == "total_value"


@given(st.integers(min_value=0, max_value=MAX_PENCE))
def test_a_value_shown_reads_back_the_same(amount):
    assert parse_value_pence(format_money(amount), "total_value") == amount


def test_the_annual_value_is_within_a_total_that_is_set():
    validate_annual_value(33_760_000, 33_760_000)
    validate_annual_value(0, 33_760_000)  # no total yet
    with pytest.raises(ValidationError) as caught:
        validate_annual_value(10_000_000, 20_000_000)
    assert caught.value.field == "annual_value"
    assert caught.value.message == "the annual value (£200,000) is more than the total (£100,000)"


@given(pence, pence)
def test_the_annual_value_check_refuses_only_more_than_a_set_total(total, annual):
    if annual > total > 0:
        with pytest.raises(ValidationError):
            validate_annual_value(total, annual)
    else:
        validate_annual_value(total, annual)


def test_the_total_covers_what_the_partners_hold():
    validate_total_value(1_000, 1_000)
    with pytest.raises(ValidationError) as caught:
        validate_total_value(999, 1_000)
    assert caught.value.field == "total_value"
    assert caught.value.message == "the partners already hold £10; lower their allocations first"


# --- dates ----------------------------------------------------------------------------------


@given(st.none() | dates, st.none() | dates)
def test_a_contract_ends_on_or_after_it_starts(starts_on, ends_on):
    if starts_on and ends_on and ends_on < starts_on:
        with pytest.raises(ValidationError) as caught:
            validate_term(starts_on, ends_on)
        assert caught.value.field == "ends_on"
    else:
        validate_term(starts_on, ends_on)


def test_the_end_before_the_start_says_when_it_starts():
    with pytest.raises(ValidationError) as caught:
        validate_term(date(2012, 10, 1), date(2012, 9, 30))
    assert caught.value.message == "the end comes before the start (01/10/2012)"


@given(st.none() | dates, st.none() | dates)
def test_the_decision_comes_on_or_after_the_tender_deadline(deadline, decision):
    if deadline and decision and decision < deadline:
        with pytest.raises(ValidationError, match="before the tender deadline") as caught:
            validate_tender_dates(deadline, decision)
        assert caught.value.field == "decision_on"
    else:
        validate_tender_dates(deadline, decision)


KEY = {
    "tender_deadline_on": date(2012, 12, 14),
    "decision_on": date(2012, 12, 3),
    "starts_on": date(2013, 4, 1),
    "ends_on": date(2015, 3, 31),
}


def test_key_dates_ahead_depend_on_the_stage():
    on = date(2012, 11, 26)
    assert upcoming_key_dates("preparing_tender", KEY, on) == [
        ("Decision", date(2012, 12, 3)),
        ("Tender deadline", date(2012, 12, 14)),
        ("Start", date(2013, 4, 1)),
    ]
    assert upcoming_key_dates("awarded", KEY, on) == [
        ("Start", date(2013, 4, 1)),
        ("End", date(2015, 3, 31)),
    ]
    assert upcoming_key_dates("in_delivery", KEY, on) == [("End", date(2015, 3, 31))]
    assert upcoming_key_dates("ended", KEY, on) == []
    assert upcoming_key_dates("awarded", KEY, date(2013, 4, 2)) == [("End", date(2015, 3, 31))]
    assert upcoming_key_dates("awarded", {"starts_on": None}, on) == []


@given(stages, st.dictionaries(st.sampled_from(sorted(KEY)), st.none() | dates), dates)
def test_key_dates_are_ahead_and_soonest_first(stage, key_dates, on):
    found = upcoming_key_dates(stage, key_dates, on)
    assert all(due_on >= on for _what, due_on in found)
    assert [due_on for _what, due_on in found] == sorted(due_on for _what, due_on in found)
    if stage in CLOSED_STAGES:
        assert found == []


# --- commissioner contact -------------------------------------------------------------------


def test_the_contact_interval_is_days_from_1_to_366():
    assert parse_contact_interval_days("", 90) == 90
    assert parse_contact_interval_days(" 30 ", 90) == 30
    assert parse_contact_interval_days("366", 90) == 366
    for bad in ("0", "367", "-5", "2 weeks", "1.5"):
        with pytest.raises(ValidationError) as caught:
            parse_contact_interval_days(bad, 90)
        assert caught.value.field == "contact_interval_days"
        assert caught.value.message == "enter a number of days from 1 to 366"


def test_contact_is_overdue_only_while_the_contract_is_live():
    assert is_contact_expected("in_delivery", False)
    assert not is_contact_expected("ended", False)
    assert not is_contact_expected("dialogue", True)
    assert is_contact_overdue("in_delivery", False, None, 90)
    assert is_contact_overdue("in_delivery", False, 91, 90)
    assert not is_contact_overdue("in_delivery", False, 90, 90)
    assert not is_contact_overdue("not_won", False, None, 90)
    assert not is_contact_overdue("awarded", True, 400, 90)


# --- partners -------------------------------------------------------------------------------


def test_the_split_stays_within_the_contract_value():
    validate_allocation(67_000_000, 59_000_000, 8_000_000)  # all allocated
    with pytest.raises(ValidationError) as caught:
        validate_allocation(67_000_000, 59_000_000, 8_000_001)
    assert caught.value.field == "allocated_value"
    assert caught.value.message == (
        "over-allocated by £0.01: the contract is worth £670,000 and £80,000 is left to allocate"
    )
    with pytest.raises(ValidationError, match="£0 is left"):
        validate_allocation(1_000, 2_000, 1)  # already over: nothing is left, not a minus


@given(pence, st.lists(pence, max_size=12))
def test_over_allocation_agrees_with_the_single_check(total, allocations):
    excess = over_allocation_pence(total, allocations)
    assert excess == max(sum(allocations) - total, 0)
    if allocations:
        *others, last = allocations
        if excess:
            with pytest.raises(ValidationError):
                validate_allocation(total, sum(others), last)
        else:
            validate_allocation(total, sum(others), last)


def test_a_partner_role_defaults_to_delivery():
    assert parse_partner_role("") == "delivery"
    assert parse_partner_role(None) == "delivery"
    assert parse_partner_role("support") == "support"
    with pytest.raises(ValidationError) as caught:
        parse_partner_role("boss")
    assert caught.value.field == "role"


def test_one_lead_and_one_support_provider():
    validate_single_role("lead", None)
    validate_single_role("delivery", "Rain Trust")  # any number of delivery partners
    with pytest.raises(ValidationError) as caught:
        validate_single_role("support", "Rain Trust")
    assert caught.value.field == "role"
    assert caught.value.message == "Rain Trust is already the support provider of this contract"


def test_role_clashes_name_every_holder_of_a_doubled_role():
    partners = [
        ("Rain Trust", "support"),
        ("Westway Wellbeing Project", "lead"),
        ("Paddington Befriending Scheme", "support"),
        ("Golborne Forum", "delivery"),
        ("Harrow Deaf Access", "delivery"),
    ]
    assert role_clashes(partners) == {"support": ["Rain Trust", "Paddington Befriending Scheme"]}
    assert role_clashes(partners[1:3]) == {}
    assert role_clashes([]) == {}


@given(st.lists(st.tuples(st.text(max_size=5), st.sampled_from(["lead", "support", "delivery"]))))
def test_role_clashes_are_the_single_roles_held_twice(partners):
    clashes = role_clashes(partners)
    for role in ("lead", "support"):
        holders = [name for name, held in partners if held == role]
        assert clashes.get(role, []) == (holders if len(holders) > 1 else [])
    assert "delivery" not in clashes


def test_reallocating_during_delivery_asks_why():
    assert validate_reallocation("awarded", 100, 200, "", organisation_name="Rain Trust") == ""
    assert validate_reallocation("in_delivery", 100, 100, "", organisation_name="Rain Trust") == ""
    assert (
        validate_reallocation("in_delivery", 100, 200, " tutor left ", organisation_name="R")
        == "tutor left"
    )
    with pytest.raises(ReasonRequiredError) as caught:
        validate_reallocation("in_delivery", 5_000_000, 4_500_000, "", organisation_name="Westway")
    error = caught.value
    assert (error.field, error.kind) == ("allocated_value", "reallocation")
    assert error.message == (
        "changing the allocation during delivery (£50,000 to £45,000) needs a reason"
    )
    assert error.question == "Why does Westway's allocation change from £50,000 to £45,000?"


def test_a_partner_delivers_within_the_contracts_boroughs():
    covered = ["Brent", "Westminster"]
    validate_partner_boroughs(["Brent"], covered)
    validate_partner_boroughs(["Ealing"], [])  # a contract without boroughs limits nothing
    with pytest.raises(ValidationError) as caught:
        validate_partner_boroughs(["Ealing"], covered)
    assert caught.value.message == "Ealing is not covered by this contract (Brent, Westminster)"
    with pytest.raises(ValidationError, match="Ealing, Harrow are not covered"):
        validate_partner_boroughs(["Brent", "Ealing", "Harrow"], covered)


# --- a partner's own dates --------------------------------------------------------------------

TERM = (date(2011, 10, 1), date(2013, 9, 30))


def test_partner_dates_within_the_contract_term():
    validate_partner_term(*TERM, None, None)
    validate_partner_term(*TERM, date(2012, 11, 5), None)
    validate_partner_term(*TERM, date(2012, 11, 5), date(2012, 11, 5))
    validate_partner_term(None, None, date(2012, 11, 5), None)  # a contract with no dates yet
    with pytest.raises(ValidationError) as caught:
        validate_partner_term(*TERM, date(2011, 9, 30), None)
    assert caught.value.field == "starts_on" and "before the contract starts" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        validate_partner_term(*TERM, None, date(2013, 10, 1))
    assert caught.value.field == "ends_on" and "after the contract ends" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        validate_partner_term(*TERM, date(2012, 11, 5), date(2012, 11, 4))
    assert caught.value.field == "ends_on" and "comes before its start" in str(caught.value)


@given(st.dates(), st.dates(), st.none() | st.dates(), st.none() | st.dates())
def test_an_accepted_partner_term_lies_within_the_contracts(start, end, own_start, own_end):
    start, end = sorted((start, end))
    try:
        validate_partner_term(start, end, own_start, own_end)
    except ValidationError:
        return
    first, last = effective_partner_term(start, end, own_start, own_end)
    assert start <= first <= last <= end
