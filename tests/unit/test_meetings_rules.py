"""The meeting rules: quorum, equal votes, declarations to suggest, risks, the minutes lock."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.errors import FormError, MinutesLockedError, ValidationError
from desta_tui.domain.meetings import (
    QuorumRule,
    Stake,
    check_editable,
    decision_outcome,
    default_meeting_period,
    is_on_action_log,
    meeting_title,
    parse_quorum_rule,
    quorum,
    quorum_for_item,
    quorum_rule_for,
    risk_band,
    risk_score,
    standing_agenda,
    suggested_declarations,
    tally_votes,
    validate_attendee,
    validate_meeting_status_move,
    validate_minutes_approval,
    validate_vote,
)
from desta_tui.domain.rag import Rag

HALF = QuorumRule(Fraction(1, 2), 3)
rules = st.builds(
    QuorumRule,
    st.fractions(min_value=0, max_value=1, max_denominator=12),
    st.integers(min_value=0, max_value=12),
)
choices = st.sampled_from(["for", "against", "abstain", "withdrawn"])


# --- quorum -------------------------------------------------------------------------------------


def test_half_the_voting_members_and_at_least_three():
    assert quorum(5, 9, HALF).is_quorate
    assert not quorum(4, 9, HALF).is_quorate
    assert quorum(4, 9, HALF).needed == 5
    assert quorum(3, 4, HALF).needed == 3  # the minimum is above half of four
    assert quorum(5, 9, HALF).text == "Quorate: 5 of 9 voting members present (5 needed)"


def test_a_meeting_with_no_voting_member_present_is_never_quorate():
    assert not quorum(0, 0, QuorumRule()).is_quorate
    assert quorum(0, 0, QuorumRule()).needed == 1


def test_rules_read_from_settings():
    assert parse_quorum_rule("1/2") == QuorumRule(Fraction(1, 2), 0)
    assert parse_quorum_rule("50%") == QuorumRule(Fraction(1, 2), 0)
    assert parse_quorum_rule(0.5) == QuorumRule(Fraction(1, 2), 0)
    assert parse_quorum_rule(4) == QuorumRule(Fraction(0), 4)
    assert parse_quorum_rule("4") == QuorumRule(Fraction(0), 4)
    assert parse_quorum_rule({"fraction": "2/3", "minimum": 3}) == QuorumRule(Fraction(2, 3), 3)
    assert quorum_rule_for("board", {"board": 5}).minimum == 5
    assert quorum_rule_for("smg", None) == HALF  # the default when Settings say nothing
    assert HALF.text == "half of the voting members, and at least 3"


@pytest.mark.parametrize("bad", ["half", "3/2", "-1", {"share": "1/2"}, True, None, "150%"])
def test_a_bad_rule_is_refused_naming_the_setting(bad):
    with pytest.raises(ValidationError) as raised:
        parse_quorum_rule(bad)
    assert raised.value.field == "quorum_rule"


@given(rules, st.integers(0, 60), st.integers(0, 60), st.integers(0, 60))
def test_quorum_is_monotone_in_attendance(rule, members, present, more):
    """Someone else arriving never makes a quorate meeting inquorate."""
    present = min(present, members)
    more_present = min(present + more, members)
    if quorum(present, members, rule).is_quorate:
        assert quorum(more_present, members, rule).is_quorate


@given(rules, st.integers(0, 60), st.integers(0, 60))
def test_the_quorum_needed_is_the_rule(rule, members, present):
    result = quorum(present, members, rule)
    assert result.needed >= max(1, rule.minimum)
    assert result.needed >= rule.fraction * members
    assert result.is_quorate == (present >= result.needed)


@given(rules, st.sets(st.integers(0, 20)), st.sets(st.integers(0, 20)))
def test_withdrawing_from_an_item_never_adds_to_its_quorum(rule, present, withdrawn):
    members = 21
    whole = quorum(len(present), members, rule)
    item = quorum_for_item(present, withdrawn, members, rule)
    assert item.present == len(present - withdrawn)
    assert item.present <= whole.present
    assert item.withdrawn == len(present & withdrawn)
    if item.is_quorate:
        assert whole.is_quorate


def test_a_withdrawal_can_cost_an_item_its_quorum():
    item = quorum_for_item({"a", "b", "c", "d", "e"}, {"e"}, 9, HALF)
    assert not item.is_quorate
    assert item.text == "Not quorate: 4 of 9 voting members present after 1 withdrew (5 needed)"


# --- decisions ----------------------------------------------------------------------------------


def test_more_for_than_against_is_carried_abstentions_do_not_count():
    result = decision_outcome(["for", "for", "against", "abstain", "abstain", "withdrawn"])
    assert result.outcome == "carried" and result.is_carried
    assert result.tally.text == "For 2, against 1, abstained 2, withdrawn 1"
    assert decision_outcome(["against", "for", "against"]).outcome == "not_carried"


def test_equal_votes_without_a_casting_vote_are_not_carried():
    result = decision_outcome(["for", "against"])
    assert result.outcome == "tied" and not result.is_carried and result.is_tied
    assert result.text == "Not carried (votes equal) (for 1, against 1, abstained 0)"
    assert decision_outcome([]).outcome == "tied"


def test_the_chairs_casting_vote_settles_equal_votes():
    assert decision_outcome(["for", "against"], "for").outcome == "carried"
    result = decision_outcome(["for", "against"], "against")
    assert result.outcome == "not_carried" and result.casting_vote == "against"
    assert "casting vote" in result.text


def test_a_casting_vote_only_when_the_rules_give_one_and_the_votes_are_equal():
    with pytest.raises(ValidationError, match="no casting vote") as raised:
        decision_outcome(["for", "against"], "for", chair_has_casting_vote=False)
    assert raised.value.field == "casting_vote"
    with pytest.raises(ValidationError, match="only when the votes are equal"):
        decision_outcome(["for", "for", "against"], "for")
    with pytest.raises(ValidationError):
        decision_outcome(["for", "against"], "abstain")


def test_an_unknown_vote_is_refused():
    with pytest.raises(ValidationError) as raised:
        tally_votes(["for", "maybe"])
    assert raised.value.field == "votes"


@given(st.lists(choices, max_size=40), st.randoms(use_true_random=False))
def test_the_outcome_does_not_depend_on_the_order_of_the_votes(votes, random):
    shuffled = list(votes)
    random.shuffle(shuffled)
    assert decision_outcome(votes) == decision_outcome(shuffled)


@given(st.lists(choices, max_size=40))
def test_one_more_vote_for_never_turns_carried_into_not_carried(votes):
    before = decision_outcome(votes)
    after = decision_outcome([*votes, "for"])
    if before.is_carried:
        assert after.is_carried
    assert after.tally.votes_for == before.tally.votes_for + 1


def test_a_vote_comes_from_a_voting_member_present_who_has_not_withdrawn():
    ok = {"is_voting_member": True, "is_present": True, "has_withdrawn": False}
    validate_vote("for", **ok)
    with pytest.raises(ValidationError, match="no vote"):
        validate_vote("for", **{**ok, "is_voting_member": False}, member="Bush Theatre")
    with pytest.raises(ValidationError, match="not recorded as present"):
        validate_vote("for", **{**ok, "is_present": False})
    with pytest.raises(ValidationError, match="withdrew"):
        validate_vote("for", **{**ok, "has_withdrawn": True})
    validate_vote("withdrawn", **{**ok, "has_withdrawn": True})
    with pytest.raises(ValidationError, match="declaring an interest"):
        validate_vote("withdrawn", **ok)


# --- attendance, agenda, status ------------------------------------------------------------------


def test_members_attend_through_contacts_observers_may_be_a_typed_name():
    validate_attendee("present", has_contact=True, name="")
    validate_attendee("observer", has_contact=False, name="Commissioning manager")
    with pytest.raises(ValidationError) as raised:
        validate_attendee("present", has_contact=False, name="Someone")
    assert raised.value.field == "contact"
    with pytest.raises(ValidationError):
        validate_attendee("apologies", has_contact=False, name="")
    with pytest.raises(ValidationError):
        validate_attendee("late", has_contact=True, name="")


def test_standing_agenda_of_the_smg_ends_with_any_other_business():
    kinds = [item.kind for item in standing_agenda("smg")]
    assert kinds == ["apologies", "declarations", "minutes", "performance", "tickets",
                     "compliance", "pipeline", "aob"]  # fmt: skip
    assert [item.kind for item in standing_agenda("board")][-1] == "aob"
    assert "risks" in [item.kind for item in standing_agenda("Board")]
    with pytest.raises(ValidationError):
        standing_agenda("committee")


def test_meeting_names_and_the_month_a_meeting_reports_on():
    assert meeting_title("smg", date(2012, 10, 9), "Desta") == "Desta SMG, 09/10/2012"
    assert default_meeting_period(date(2012, 11, 13)).key == "2012-10"
    assert default_meeting_period(date(2013, 1, 8)).key == "2012-12"


def test_status_moves_by_hand():
    validate_meeting_status_move("planned", "papers_sent", has_record=False)
    validate_meeting_status_move("papers_sent", "held", has_record=False)
    validate_meeting_status_move("held", "papers_sent", has_record=False)
    with pytest.raises(ValidationError, match="stays held"):
        validate_meeting_status_move("held", "papers_sent", has_record=True)
    with pytest.raises(ValidationError, match="next meeting"):
        validate_meeting_status_move("held", "minutes_approved", has_record=True)
    with pytest.raises(ValidationError):
        validate_meeting_status_move("minutes_approved", "held", has_record=True)


def test_approved_minutes_are_locked_a_correction_needs_a_reason():
    assert check_editable("held") == ""
    with pytest.raises(MinutesLockedError, match="approved on 13/11/2012") as raised:
        check_editable("minutes_approved", "  ", approved_on=date(2012, 11, 13))
    assert raised.value.field == "correction_reason"
    assert check_editable("minutes_approved", " wrong  date ") == "wrong date"


def test_minutes_are_approved_at_the_next_meeting_once_it_sits():
    validate_minutes_approval("held", "Minutes", "held", is_next_meeting=True)
    with pytest.raises(ValidationError) as raised:
        validate_minutes_approval("held", "Minutes", "papers_sent", is_next_meeting=True)
    assert raised.value.field == "approval_meeting"
    with pytest.raises(FormError) as every:
        validate_minutes_approval("planned", "", "held", is_next_meeting=False)
    assert set(every.value.errors) == {"status", "minutes", "approval_meeting"}


def test_actions_come_to_each_meeting_until_done_and_once_more_to_report_it():
    raised, previous, meeting = date(2012, 9, 11), date(2012, 10, 9), date(2012, 11, 13)
    assert is_on_action_log(raised, False, None, meeting, previous)
    assert is_on_action_log(raised, True, date(2012, 10, 29), meeting, previous)
    assert not is_on_action_log(raised, True, date(2012, 10, 1), meeting, previous)
    assert not is_on_action_log(meeting, False, None, meeting, previous)  # raised there


# --- declarations and risks ---------------------------------------------------------------------


def test_declarations_suggested_for_a_members_own_contract_or_ticket():
    stakes = [
        Stake("w", "Westway", "support_ticket", "t1", "provider on T-0001"),
        Stake("r", "Rain Trust", "support_ticket", "t1", "support provider on T-0001"),
        Stake("r", "Rain Trust", "contract", "c1", "support provider on EPS"),
        Stake("w", "Westway", "contract", "c1", "delivery partner on EPS"),
    ]
    found = suggested_declarations("support_ticket", "t1", stakes)
    assert [(s.organisation_name, s.reason) for s in found] == [
        ("Rain Trust", "support provider on T-0001"),
        ("Westway", "provider on T-0001"),
    ]
    assert [
        s.organisation_uuid for s in suggested_declarations("contract", "c1", stakes, {"w"})
    ] == ["r"]
    assert suggested_declarations("", "", stakes) == []
    assert suggested_declarations("organisation", "x", stakes) == []


def test_risk_score_and_band():
    assert risk_score(4, 3) == 12
    assert risk_band(12).label == "High" and risk_band(12).rag is Rag.RED
    assert risk_band(4).rag is Rag.GREEN and risk_band(9).rag is Rag.AMBER
    assert risk_band(25).code == "very_high"
    with pytest.raises(ValidationError) as raised:
        risk_score(6, 1)
    assert raised.value.field == "likelihood"
    with pytest.raises(ValidationError) as raised:
        risk_score(1, "x")
    assert raised.value.field == "impact"


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
def test_a_higher_likelihood_never_lowers_the_band(likelihood, impact, more):
    higher = min(5, likelihood + more)
    assert (
        risk_band(risk_score(higher, impact)).rag.severity
        >= risk_band(risk_score(likelihood, impact)).rag.severity
    )


def test_minutes_locked_error_pickles():
    import pickle

    error = pickle.loads(pickle.dumps(MinutesLockedError("locked")))
    assert error.field == "correction_reason" and error.message == "locked"
