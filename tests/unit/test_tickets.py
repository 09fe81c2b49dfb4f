"""The ticket rules: references, the ladder, status moves, due dates, log entries, green."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.rag import Rag
from desta_tui.domain.tickets import (
    STATUS_MOVES,
    LogEntry,
    TicketReference,
    all_back_at_green,
    allowed_statuses,
    due_date_for,
    format_due,
    format_minutes,
    format_reference,
    green_months_in_a_row,
    has_reached_plan,
    is_back_at_green,
    is_overdue,
    next_reference_after,
    next_stage_down,
    next_stage_up,
    parse_minutes,
    parse_reference,
    resolve_due_on,
    stage_above,
    stage_arrival_text,
    stage_below,
    validate_action,
    validate_due_days,
    validate_ladder_open,
    validate_note,
    validate_stage_move,
    validate_status_move,
    validate_ticket_fields,
    validate_time_entry,
)

DAYS = {"low": 56, "normal": 28, "high": 14, "urgent": 5}
G, A, R, N = Rag.GREEN, Rag.AMBER, Rag.RED, Rag.NO_DATA


def test_ladder_neighbours():
    assert stage_above("support") == "improvement_plan"
    assert stage_above("improvement_plan") == "remedial_action"
    assert stage_above("remedial_action") is None
    assert stage_below("support") is None
    assert stage_below("remedial_action") == "improvement_plan"


def test_moving_up_needs_a_reason():
    with pytest.raises(ValidationError) as raised:
        validate_stage_move("support", "improvement_plan", "  ")
    assert raised.value.field == "reason"
    move = validate_stage_move("support", "improvement_plan", "no tutor for five weeks")
    assert move.is_up and not move.is_override
    assert move.text == "Support -> Improvement plan: no tutor for five weeks"


def test_moving_down_needs_a_reason_and_is_allowed():
    with pytest.raises(ValidationError):
        validate_stage_move("improvement_plan", "support", "")
    move = validate_stage_move("remedial_action", "support", "recovered")
    assert not move.is_up


def test_remedial_action_only_after_an_improvement_plan():
    with pytest.raises(ValidationError) as raised:
        validate_stage_move("support", "remedial_action", "safeguarding failure")
    assert raised.value.field == "stage"
    assert "only after an improvement plan" in raised.value.message
    assert validate_stage_move("improvement_plan", "remedial_action", "plan missed").is_up


def test_override_skips_the_plan_but_still_needs_a_reason():
    with pytest.raises(ValidationError) as raised:
        validate_stage_move("support", "remedial_action", "", override=True)
    assert raised.value.field == "reason"
    move = validate_stage_move("support", "remedial_action", "serious incident", override=True)
    assert move.is_override
    assert "improvement plan skipped" in move.text


def test_a_ticket_that_had_a_plan_may_go_back_to_remedial_without_override():
    move = validate_stage_move("support", "remedial_action", "slipped again", has_had_plan=True)
    assert not move.is_override


def test_same_stage_and_unknown_stage_are_refused():
    with pytest.raises(ValidationError):
        validate_stage_move("support", "support", "why")
    with pytest.raises(ValidationError):
        validate_stage_move("support", "exit", "why")


@pytest.mark.parametrize(
    ("current", "new", "ok"),
    [
        ("open", "waiting_provider", True),
        ("open", "waiting_support", True),
        ("waiting_provider", "waiting_support", True),
        ("waiting_support", "open", True),
        ("open", "resolved", True),
        ("resolved", "open", True),
        ("resolved", "waiting_provider", False),
        ("closed", "resolved", False),
        ("closed", "waiting_support", False),
        ("closed", "open", True),
    ],
)
def test_status_transitions(current, new, ok):
    assert (new in allowed_statuses(current)) is ok
    if ok:
        validate_status_move(current, new, reason="because", outcome="done")
    else:
        with pytest.raises(ValidationError) as raised:
            validate_status_move(current, new, reason="because", outcome="done")
        assert "reopen it first" in raised.value.message


def test_every_status_can_reach_closed_or_reopen():
    for current, moves in STATUS_MOVES.items():
        assert ("closed" in moves) or ("open" in moves), current


def test_closing_needs_an_outcome_and_reopening_a_reason():
    with pytest.raises(ValidationError) as raised:
        validate_status_move("open", "closed", outcome=" ")
    assert raised.value.field == "outcome"
    with pytest.raises(ValidationError) as raised:
        validate_status_move("closed", "open")
    assert raised.value.field == "reason"
    with pytest.raises(ValidationError):
        validate_status_move("open", "open")


def test_due_date_from_priority():
    assert due_date_for("high", date(2012, 11, 5), DAYS) == date(2012, 11, 19)
    assert due_date_for("urgent", date(2012, 11, 5), DAYS) == date(2012, 11, 10)
    assert due_date_for("low", date(2012, 11, 5), {**DAYS, "low": "7"}) == date(2012, 11, 12)
    with pytest.raises(ValidationError):
        due_date_for("whenever", date(2012, 11, 5), DAYS)
    with pytest.raises(ValidationError) as raised:
        validate_due_days({**DAYS, "normal": "soon"})
    assert raised.value.field == "due_days_normal"
    with pytest.raises(ValidationError):
        validate_due_days({**DAYS, "normal": 0})


@pytest.mark.parametrize(
    ("due", "words"),
    [
        (date(2012, 11, 2), "3 days overdue"),
        (date(2012, 11, 4), "1 day overdue"),
        (date(2012, 11, 5), "due today"),
        (date(2012, 11, 6), "due tomorrow"),
        (date(2012, 11, 10), "due in 5 days"),
        (None, ""),
    ],
)
def test_due_in_words(due, words):
    assert format_due(due, date(2012, 11, 5)) == words


def test_finished_tickets_are_never_overdue():
    today = date(2012, 11, 5)
    assert is_overdue(date(2012, 11, 1), today, "waiting_provider")
    assert not is_overdue(date(2012, 11, 1), today, "closed")
    assert not is_overdue(date(2012, 11, 1), today, "resolved")
    assert not is_overdue(date(2012, 11, 5), today, "open")
    assert format_due(date(2012, 11, 1), today, "closed") == ""


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("45", 45), ("45m", 45), ("1h", 60), ("1h30", 90), ("1 h 30 min", 90), ("1.5h", 90),
     ("1:30", 90), ("2 hours", 120)],
)  # fmt: skip
def test_parse_minutes(text, minutes):
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["", "0", "soon", "-5", "25h", "1:75"])
def test_parse_minutes_refuses(text):
    with pytest.raises(ValidationError) as raised:
        parse_minutes(text)
    assert raised.value.field == "minutes"


def test_parse_minutes_blank_allowed_for_notes():
    assert parse_minutes("", allow_zero=True) == 0


def test_format_minutes():
    assert format_minutes(0) == ""
    assert format_minutes(45) == "45 min"
    assert format_minutes(60) == "1 h"
    assert format_minutes(185) == "3 h 5 min"


@pytest.mark.parametrize(
    ("results", "streak", "back"),
    [
        ([R, R, A, G, G], 2, True),
        ([R, G, G, G], 3, True),
        ([R, G, A, G], 1, False),
        ([G, G, R], 0, False),
        ([R, G, N], 0, False),  # a month with no return breaks the run
        ([G], 1, False),
        ([], 0, False),
    ],
)
def test_back_at_green_two_months_in_a_row(results, streak, back):
    assert green_months_in_a_row(results) == streak
    assert is_back_at_green(results) is back


def test_all_metrics_must_be_back_at_green():
    assert all_back_at_green({"enrolments": [R, G, G], "completions": [A, G, G]})
    assert not all_back_at_green({"enrolments": [R, G, G], "completions": [G, A, G]})
    assert not all_back_at_green({})


# --- references ---------------------------------------------------------------------------------


def test_reference_format_keeps_the_hubs_numbering():
    assert format_reference(1) == "T-0001"
    assert format_reference(42) == "T-0042"
    assert format_reference(12345) == "T-12345"
    assert format_reference(7, "LDN") == "T-LDN-0007"
    assert format_reference(7, " ldn ") == "T-LDN-0007"
    assert format_reference(7, "") == "T-0007"
    with pytest.raises(ValueError):
        format_reference(0)


@pytest.mark.parametrize("prefix", ["1AB", "L-N", "TOOLONGPREFIX", "é"])
def test_a_site_prefix_is_a_letter_then_letters_or_digits(prefix):
    with pytest.raises(ValidationError) as raised:
        format_reference(1, prefix)
    assert raised.value.field == "site_prefix"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("T-0001", TicketReference(1, None)),
        ("T-12345", TicketReference(12345, None)),
        ("T-LDN-0007", TicketReference(7, "LDN")),
        ("T-S2-0010", TicketReference(10, "S2")),
        ("T-", None),
        ("t-0001", None),
        ("T-0001 ", None),
        ("X-0001", None),
        ("T-ldn-0001", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_reference(text, found):
    assert parse_reference(text) == found


@given(
    st.integers(min_value=1, max_value=10**7),
    st.from_regex(r"[A-Z][A-Z0-9]{0,7}", fullmatch=True) | st.none(),
)
def test_a_formatted_reference_parses_back(number, prefix):
    assert parse_reference(format_reference(number, prefix)) == TicketReference(number, prefix)


def test_next_reference_counts_only_its_own_sites_numbers():
    taken = ["T-0001", "T-0009", None, "", "imported 12", "T-LDN-0040", "T-0003"]
    assert next_reference_after(taken) == "T-0010"
    assert next_reference_after(taken, "LDN") == "T-LDN-0041"
    assert next_reference_after(taken, "MAN") == "T-MAN-0001"
    assert next_reference_after([]) == "T-0001"


# --- ladder helpers -----------------------------------------------------------------------------


def test_a_stage_move_names_the_rung_it_reached_as_the_plan_check_looks_for_it():
    move = validate_stage_move("support", "improvement_plan", "no tutor")
    assert stage_arrival_text("improvement_plan") == "-> Improvement plan"
    assert stage_arrival_text("improvement_plan") in move.text


def test_reached_plan():
    assert not has_reached_plan("support")
    assert has_reached_plan("improvement_plan")
    assert has_reached_plan("remedial_action")


def test_next_rung_up_and_down():
    assert next_stage_up("support") == "improvement_plan"
    assert next_stage_up("support", override=True) == "remedial_action"
    with pytest.raises(ValidationError, match="top of the ladder"):
        next_stage_up("remedial_action")
    assert next_stage_down("remedial_action") == "improvement_plan"
    with pytest.raises(ValidationError, match="bottom of the ladder"):
        next_stage_down("support")


def test_a_finished_ticket_stays_on_its_rung():
    validate_ladder_open("T-0001", "waiting_provider")
    with pytest.raises(DestaError) as raised:
        validate_ladder_open("T-0001", "resolved")
    assert raised.value.message == "T-0001 is resolved: reopen it before moving it on the ladder."


# --- status moves -------------------------------------------------------------------------------


def test_closing_records_the_outcome_and_the_day():
    on = date(2012, 11, 5)
    move = validate_status_move("open", "closed", reason="ignored", outcome="  tutor found ")
    assert move.text == "Open -> Closed: tutor found"
    assert move.changes(on) == {"status": "closed", "closed_on": on, "outcome": "tutor found"}


def test_reopening_clears_the_closing_day_and_gives_the_reason():
    move = validate_status_move("closed", "open", reason=" slipped again ")
    assert move.text == "Closed -> Open: slipped again"
    assert move.changes(date(2012, 11, 5)) == {"status": "open", "closed_on": None}


def test_a_plain_status_move_changes_the_status_only():
    move = validate_status_move("open", "waiting_provider")
    assert move.text == "Open -> Waiting on provider"
    assert move.changes(date(2012, 11, 5)) == {"status": "waiting_provider"}


# --- due dates ----------------------------------------------------------------------------------


def test_a_blank_due_date_comes_from_the_priority():
    opened = date(2012, 11, 5)
    assert resolve_due_on(None, "high", opened, DAYS) == date(2012, 11, 19)
    assert resolve_due_on(date(2012, 12, 1), "high", opened, DAYS) == date(2012, 12, 1)
    assert resolve_due_on(None, "whenever", opened, DAYS) is None
    assert resolve_due_on(opened, "high", opened, DAYS) == opened


def test_a_due_date_before_the_opening_day_is_refused():
    with pytest.raises(ValidationError) as raised:
        resolve_due_on(date(2012, 11, 4), "high", date(2012, 11, 5), DAYS)
    assert raised.value.field == "due_on"
    assert "before the ticket was opened (05/11/2012)" in raised.value.message


# --- log entries --------------------------------------------------------------------------------


def test_a_note_needs_words_and_its_time_is_optional():
    assert validate_note("  called them ") == LogEntry("note", "called them", 0)
    assert validate_note("visit", "1h30") == LogEntry("note", "visit", 90)
    assert validate_note("visit", 20) == LogEntry("note", "visit", 20)
    with pytest.raises(FormError) as raised:
        validate_note("  ", "soon")
    assert set(raised.value.errors) == {"text", "minutes"}


def test_time_spent_must_be_more_than_nothing():
    assert validate_time_entry("45") == LogEntry("time", "45 min spent", 45)
    assert validate_time_entry("1h", " phone call ") == LogEntry("time", "phone call", 60)
    with pytest.raises(ValidationError) as raised:
        validate_time_entry(0)
    assert raised.value.field == "minutes"
    with pytest.raises(ValidationError):
        validate_time_entry("")


# --- forms --------------------------------------------------------------------------------------

OPENED = date(2012, 11, 5)


def fields(**values):
    return validate_ticket_fields(values, opened_on=OPENED, days_by_priority=DAYS, today=OPENED)


def test_ticket_fields_cleaned_with_defaults():
    clean, errors = fields(subject="  No   tutor ", owner=" Ann  Lee ", description=" text \n")
    assert errors == []
    assert clean == {"subject": "No tutor", "category": "other", "priority": "normal",
                     "owner": "Ann Lee", "description": "text",
                     "due_on": date(2012, 12, 3)}  # fmt: skip


def test_ticket_fields_report_every_mistake_at_once():
    clean, errors = fields(subject="x" * 201, category="gossip", priority="someday",
                           due_on="01/11/2012")  # fmt: skip
    assert [error.field for error in errors] == ["subject", "category", "priority", "due_on"]
    assert "under 200 characters" in errors[0].message
    _, errors = fields(subject="", due_on="04/11/2012", priority="high")
    assert [error.field for error in errors] == ["subject", "due_on"]
    assert "before the ticket was opened" in errors[1].message
    _, errors = fields(subject="ok", due_on="31/02/2012")
    assert [error.field for error in errors] == ["due_on"]


def test_a_bad_days_setting_shows_against_the_due_date():
    values = {"subject": "ok", "priority": "high"}
    bad_days = {**DAYS, "high": 0}
    _, errors = validate_ticket_fields(
        values, opened_on=OPENED, days_by_priority=bad_days, today=OPENED
    )
    assert [error.field for error in errors] == ["due_on"]


def test_an_action_needs_a_description():
    values = {"description": " ring  them ", "owner": " Ann ", "due_on": "10/11/2012", "is_done": 1}
    clean = validate_action(values, today=OPENED)
    assert clean == {"description": "ring them", "owner": "Ann", "due_on": date(2012, 11, 10),
                     "is_done": True}  # fmt: skip
    with pytest.raises(FormError) as raised:
        validate_action({"description": " ", "due_on": "someday"}, today=OPENED)
    assert set(raised.value.errors) == {"description", "due_on"}
