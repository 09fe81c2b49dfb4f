"""The ticket rules: the ladder, status moves, due dates, overdue in words, back at green."""

from __future__ import annotations

from datetime import date

import pytest

from desta_tui.domain.errors import ValidationError
from desta_tui.domain.rag import Rag
from desta_tui.domain.tickets import (
    STATUS_MOVES,
    all_back_at_green,
    allowed_statuses,
    due_date_for,
    format_due,
    format_minutes,
    green_months_in_a_row,
    is_back_at_green,
    is_overdue,
    parse_minutes,
    stage_above,
    stage_below,
    validate_due_days,
    validate_stage_move,
    validate_status_move,
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
