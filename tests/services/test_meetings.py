"""The meetings services on the demo data: agenda, attendance and quorum, declarations, votes,
actions, minutes and their lock, risks and the register of interests, the packs' read models."""

from __future__ import annotations

from datetime import date

import pytest

from desta_tui.db.models import AuditLog, Consortium, Contact, Meeting, Organisation
from desta_tui.domain.errors import DestaError, FormError, MinutesLockedError, ValidationError
from desta_tui.services import meetings as svc
from desta_tui.services.settings import set_setting

RAIN = "Rain Trust"
WESTWAY = "Westway Wellbeing Project"
WHITE_CITY = "White City Health Circle"
FULHAM = "Fulham Carers' Network"
SOMALI = "Shepherd's Bush Somali Welfare Group"
GOLBORNE = "Golborne Community Health Forum"
CHURCH_STREET = "Church Street Neighbourhood Trust"
POLISH = "Polish Social & Cultural Support (Łączy Nas)"
BRENT = "Brent Carers Alliance"  # a Desta member not on the SMG


def desta() -> str:
    return Consortium.get(Consortium.short_name == "Desta").uuid


def org(name: str) -> str:
    return Organisation.get(Organisation.name == name).uuid


def person(name: str) -> str:
    """The uuid of the organisation's first contact."""
    return (
        Contact.select()
        .join(Organisation)
        .where(Organisation.name == name)
        .order_by(Contact.is_primary.desc(), Contact.id)
        .first()
        .uuid
    )


def smg(on: str) -> svc.MeetingRow:
    return next(row for row in svc.list_meetings(desta(), "smg") if row.title.endswith(on))


def new_smg(on: str = "30/10/2012", **values) -> svc.MeetingDetail:
    return svc.create_meeting(
        {"consortium": desta(), "body": "smg", "meeting_on": on, "place": "CaVSA", **values}
    )


def item(detail: svc.MeetingDetail, kind_or_title: str) -> svc.AgendaItemView:
    return next(i for i in detail.agenda if kind_or_title in (i.kind, i.title))


def attend(meeting_uuid: str, *names: str, kind: str = "present") -> None:
    for name in names:
        svc.record_attendance(meeting_uuid, {"contact": person(name), "kind": kind})


@pytest.fixture
def nov13(monkeypatch):
    """The day of November's SMG."""
    monkeypatch.setenv("DESTA_TODAY", "13/11/2012")


# --- meetings and the agenda ----------------------------------------------------------------------


def test_a_new_meeting_has_the_standing_agenda_and_names_the_last_meeting(demo_db):
    detail = new_smg("11/12/2012")
    assert detail.title == "Desta SMG, 11/12/2012"
    assert detail.status == "planned" and detail.period == "2012-11"
    assert [i.kind for i in detail.agenda] == ["apologies", "declarations", "minutes",
        "performance", "tickets", "compliance", "pipeline", "aob"]  # fmt: skip
    assert [i.number for i in detail.agenda] == list(range(1, 9))
    minutes = item(detail, "minutes")
    assert minutes.link.table_name == "meeting"
    assert minutes.link.label == "Desta SMG, 13/11/2012"
    assert detail.previous.title == "Desta SMG, 13/11/2012"
    assert (
        AuditLog.select()
        .where((AuditLog.table_name == "meeting") & (AuditLog.record_uuid == detail.uuid))
        .exists()
    )


def test_a_meeting_form_reports_every_bad_field(demo_db):
    with pytest.raises(FormError) as raised:
        svc.create_meeting({"body": "committee", "meeting_on": "31/02/2012", "start_time": "25:00"})
    assert set(raised.value.errors) == {"consortium", "body", "meeting_on", "start_time"}
    with pytest.raises(ValidationError, match="already meets on 13/11/2012"):
        new_smg("13/11/2012")
    assert new_smg("11/12/2012", start_time="9.30").meeting.start_time == "09:30"


def test_deferred_items_are_carried_to_the_next_meeting_once_before_aob(demo_db):
    november = svc.get_meeting(smg("13/11/2012").uuid)
    carried = item(november, "Volunteer expenses for course tutors")
    assert carried.carried_from == "Desta SMG, 09/10/2012"
    assert november.agenda[-1].kind == "aob"
    targets = item(november, "Expert Patient Service: year 2 target profile")
    svc.defer_agenda_item(targets.uuid)
    december = new_smg("11/12/2012")
    titles = [i.title for i in december.agenda]
    assert titles[-2:] == ["Expert Patient Service: year 2 target profile", "Any other business"]
    assert item(december, targets.title).link.label == "Expert Patient Service"
    assert svc.carry_forward_items(december.uuid) == []  # each item once


def test_items_added_before_aob_moved_and_removed(demo_db):
    meeting = new_smg("11/12/2012")
    svc.add_agenda_item(meeting.uuid, {"title": "Tutor pay rates", "presenter": "Rain Trust"})
    added = svc.add_agenda_item(meeting.uuid, {"title": "Winter venues"})
    detail = svc.get_meeting(meeting.uuid)
    assert [i.title for i in detail.agenda][-3:] == ["Tutor pay rates", "Winter venues",
                                                      "Any other business"]  # fmt: skip
    svc.move_agenda_item(added.uuid, -1)
    detail = svc.get_meeting(meeting.uuid)
    assert [i.title for i in detail.agenda][-3:-1] == ["Winter venues", "Tutor pay rates"]
    svc.remove_agenda_item(added.uuid)
    detail = svc.get_meeting(meeting.uuid)
    assert "Winter venues" not in [i.title for i in detail.agenda]
    assert [i.number for i in detail.agenda] == list(range(1, len(detail.agenda) + 1))
    with pytest.raises(FormError) as raised:
        svc.add_agenda_item(meeting.uuid, {"title": "", "link_table": "contract",
                                           "link_uuid": "nope"})  # fmt: skip
    assert set(raised.value.errors) == {"title", "link_uuid"}


def test_status_moves_and_a_meeting_is_not_held_before_its_day(demo_db, monkeypatch):
    meeting = new_smg("11/12/2012")
    assert svc.send_papers(meeting.uuid).papers_sent_on == date(2012, 11, 5)
    with pytest.raises(ValidationError, match="cannot be held yet"):
        svc.mark_meeting_held(meeting.uuid)
    monkeypatch.setenv("DESTA_TODAY", "11/12/2012")
    assert svc.mark_meeting_held(meeting.uuid).status == "held"
    with pytest.raises(ValidationError, match="next meeting"):
        svc.change_meeting_status(meeting.uuid, "minutes_approved")


def test_archive_a_planned_meeting_and_undo_but_keep_one_with_a_record(demo_db):
    meeting = new_smg("11/12/2012")
    svc.archive_meeting(meeting.uuid)
    assert "Desta SMG, 11/12/2012" not in [r.title for r in svc.list_meetings(desta())]
    assert svc.undo_meeting_archive().uuid == meeting.uuid
    with pytest.raises(DestaError, match="stays on the record"):
        svc.archive_meeting(smg("09/10/2012").uuid)


def test_the_meeting_for_a_months_pack(demo_db):
    assert svc.find_meeting_for_period(desta(), "2012-10").title == "Desta SMG, 13/11/2012"
    assert svc.find_meeting_for_period(desta(), "2012-09", "board").title == (
        "Desta Board, 23/10/2012"
    )
    assert svc.find_meeting_for_period(desta(), "2011-01") is None


def test_the_next_meeting_is_the_soonest_from_today(demo_db):
    assert svc.next_meeting(desta()).title == "Desta SMG, 13/11/2012"
    assert svc.next_meeting().title == "Desta SMG, 13/11/2012"
    svc.archive_meeting(svc.next_meeting().uuid)
    assert svc.next_meeting(desta()).title == "Desta Board, 18/12/2012"


# --- attendance and quorum -----------------------------------------------------------------------


def test_quorum_counts_member_organisations_with_a_vote_once_each(demo_db):
    meeting = new_smg()  # 9 SMG members: 5 needed
    attend(meeting.uuid, RAIN, WESTWAY, WHITE_CITY, FULHAM)
    assert svc.meeting_quorum(meeting.uuid).text == (
        "Not quorate: 4 of 9 voting members present (5 needed)"
    )
    second = Contact.select().join(Organisation).where(Organisation.name == WESTWAY)[1]
    svc.record_attendance(meeting.uuid, {"contact": second.uuid})  # a second person, one vote
    svc.record_attendance(meeting.uuid, {"name": "Commissioning manager", "kind": "observer"})
    assert not svc.meeting_quorum(meeting.uuid).is_quorate
    attend(meeting.uuid, CHURCH_STREET, kind="apologies")
    attend(meeting.uuid, SOMALI)
    detail = svc.get_meeting(meeting.uuid)
    assert detail.quorum.is_quorate and detail.quorum.present == 5
    assert [line.name for line in detail.observers] == ["Commissioning manager"]
    assert len(detail.apologies) == 1
    church = next(m for m in detail.voting_members if m.name == CHURCH_STREET)
    assert church.sent_apologies and not church.is_present


def test_attendance_rules(demo_db):
    meeting = new_smg()
    with pytest.raises(FormError) as raised:
        svc.record_attendance(meeting.uuid, {"name": "A walk-in", "kind": "present"})
    assert "contact" in raised.value.errors
    nhs = Contact.select().join(Organisation).where(Organisation.is_commissioner).first()
    with pytest.raises(FormError, match="can only observe"):
        svc.record_attendance(meeting.uuid, {"contact": nhs.uuid, "kind": "present"})
    svc.record_attendance(meeting.uuid, {"contact": nhs.uuid, "kind": "observer"})
    svc.record_attendance(meeting.uuid, {"contact": person(RAIN), "role": "chair"})
    with pytest.raises(FormError, match="already has a chair"):
        svc.record_attendance(meeting.uuid, {"contact": person(FULHAM), "role": "chair"})
    with pytest.raises(ValidationError, match="already on the list"):
        svc.record_attendance(meeting.uuid, {"contact": person(RAIN)})
    detail = svc.get_meeting(meeting.uuid)
    assert detail.chair == detail.present[0].name
    rain = detail.present[0]
    svc.remove_attendance(rain.uuid)
    svc.record_attendance(meeting.uuid, {"contact": person(RAIN), "kind": "apologies"})
    assert [line.uuid for line in svc.get_meeting(meeting.uuid).apologies] == [rain.uuid]


def test_a_member_not_on_the_smg_does_not_count_towards_its_quorum(demo_db):
    meeting = new_smg()
    attend(meeting.uuid, BRENT)
    line = svc.get_meeting(meeting.uuid).present[0]
    assert not line.is_voting_member
    assert svc.meeting_quorum(meeting.uuid).present == 0


# --- declarations, decisions and votes ------------------------------------------------------------


@pytest.fixture
def sitting(demo_db):
    """An SMG on 30/10/2012 with six members present and an item on Westway's ticket."""
    meeting = new_smg()
    attend(meeting.uuid, RAIN, WESTWAY, WHITE_CITY, FULHAM, SOMALI, GOLBORNE)
    ticket = svc.get_meeting(smg("09/10/2012").uuid)
    link = item(ticket, "Westway Wellbeing Project: recovery of enrolments").link
    added = svc.add_agenda_item(meeting.uuid, {"title": "Westway: taster sessions",
                                               "link_table": link.table_name,
                                               "link_uuid": link.uuid})  # fmt: skip
    svc.mark_meeting_held(meeting.uuid)
    return meeting.uuid, added.uuid


def test_declarations_are_suggested_for_a_members_own_ticket(sitting):
    meeting_uuid, item_uuid = sitting
    suggested = svc.suggested_declarations_for(item_uuid)
    assert [(s.organisation_name, s.reason) for s in suggested] == [
        (RAIN, "support provider on T-0001"),
        (WESTWAY, "provider on T-0001"),
    ]
    svc.declare_interest(item_uuid, {"contact": person(WESTWAY), "description": "Our ticket"})
    assert [s.organisation_name for s in svc.suggested_declarations_for(item_uuid)] == [RAIN]
    with pytest.raises(ValidationError, match="already declared"):
        svc.declare_interest(item_uuid, {"organisation": org(WESTWAY), "description": "Again"})
    with pytest.raises(FormError) as raised:
        svc.declare_interest(item_uuid, {"description": ""})
    assert set(raised.value.errors) == {"organisation", "description"}
    detail = svc.get_meeting(meeting_uuid)
    line = detail.declarations[0]
    assert (line.organisation_name, line.is_withdrawn, line.item_title) == (
        WESTWAY, True, "Westway: taster sessions")  # fmt: skip


def test_a_withdrawal_is_recomputed_into_the_items_quorum_and_the_vote(sitting):
    meeting_uuid, item_uuid = sitting
    svc.declare_interest(item_uuid, {"organisation": org(WESTWAY), "description": "Own ticket"})
    svc.declare_interest(item_uuid, {"organisation": org(RAIN), "description": "Support"})
    assert svc.meeting_quorum(meeting_uuid).present == 6
    assert svc.meeting_quorum(meeting_uuid, item_uuid).text == (
        "Not quorate: 4 of 9 voting members present after 2 withdrew (5 needed)"
    )
    decision = svc.propose_decision(meeting_uuid, {
        "title": "Fund two taster sessions", "agenda_item": item_uuid,
        "proposer": person(WHITE_CITY), "seconder": person(FULHAM)})  # fmt: skip
    with pytest.raises(FormError, match="withdrew"):
        svc.record_votes(decision.uuid, {org(WESTWAY): "for"})
    voted = svc.record_votes(
        decision.uuid,
        {
            org(WHITE_CITY): "for",
            org(FULHAM): "for",
            org(SOMALI): "against",
            org(GOLBORNE): "abstain",
        },
    )
    assert voted.outcome == "carried"
    assert voted.tally.text == "For 2, against 1, abstained 1, withdrawn 2"
    assert voted.is_quorate is False
    assert voted.quorate_text.startswith("Not quorate: 4 of 9")
    assert {v.organisation_name: v.choice for v in voted.votes}[WESTWAY] == "withdrawn"
    assert voted.proposer == f"{svc.get_meeting(meeting_uuid).present[-1].name} ({WHITE_CITY})"


def test_equal_votes_are_not_carried_unless_the_chair_has_a_casting_vote(sitting):
    meeting_uuid, item_uuid = sitting
    decision = svc.propose_decision(meeting_uuid, {"title": "Move the SMG to Thursdays"})
    votes = {org(RAIN): "for", org(WESTWAY): "against"}
    assert svc.record_votes(decision.uuid, votes).outcome == "tied"
    with pytest.raises(ValidationError, match="no casting vote"):
        svc.record_votes(decision.uuid, votes, casting_vote="for")
    set_setting("chair_has_casting_vote", True)
    carried = svc.record_votes(decision.uuid, votes, casting_vote="for")
    assert carried.outcome == "carried" and carried.casting_vote == "for"
    assert carried.result_text == (
        "Carried on the chair's casting vote (for 1, against 1, abstained 0)"
    )
    assert svc.reopen_decision(decision.uuid).is_pending
    assert svc.get_meeting(meeting_uuid).decisions[0].votes == ()


def test_only_members_present_with_a_vote_vote_once_each(sitting):
    meeting_uuid, _ = sitting
    decision = svc.propose_decision(meeting_uuid, {"title": "Adopt the tutor handbook"})
    with pytest.raises(FormError) as raised:
        svc.record_votes(decision.uuid, {org(POLISH): "for", org(BRENT): "for",
                                         org(RAIN): "maybe"})  # fmt: skip
    messages = [error.message for error in raised.value.validation_errors]
    assert any("not recorded as present" in m for m in messages)
    assert any("no vote on this body" in m for m in messages)
    assert any("'maybe' is not a vote" in m for m in messages)
    once = svc.record_votes(decision.uuid, {org(RAIN): "for"})
    again = svc.record_votes(decision.uuid, {org(RAIN): "against", org(FULHAM): "against"})
    assert (once.outcome, again.outcome) == ("carried", "not_carried")
    assert len(again.votes) == 2


def test_proposer_and_seconder_are_present_and_speak_for_different_members(sitting):
    meeting_uuid, _ = sitting
    with pytest.raises(FormError) as raised:
        svc.propose_decision(meeting_uuid, {"title": "", "proposer": person(POLISH),
                                            "seconder": person(RAIN)})  # fmt: skip
    assert set(raised.value.errors) == {"title", "proposer"}
    assert "not recorded as present" in raised.value.errors["proposer"]
    with pytest.raises(FormError, match="another member"):
        svc.propose_decision(meeting_uuid, {"title": "X", "proposer": person(RAIN),
                                            "seconder": person(RAIN)})  # fmt: skip


def test_no_votes_before_the_meeting_is_held(demo_db):
    november = smg("13/11/2012")
    decision = svc.get_meeting(november.uuid).decisions[0]
    with pytest.raises(ValidationError, match="held before its votes"):
        svc.record_votes(decision.uuid, {})


# --- actions ------------------------------------------------------------------------------------


def test_actions_come_forward_until_done(demo_db):
    october = smg("09/10/2012")
    added = svc.add_meeting_action(
        october.uuid,
        {"description": "Book the winter venue", "owner": "Hub", "due_on": "30/11/2012"},
    )
    november = svc.get_meeting(smg("13/11/2012").uuid)
    assert added.uuid in [line.uuid for line in november.actions_carried]
    december = new_smg("11/12/2012")
    assert added.uuid in [line.uuid for line in december.actions_carried]
    line = next(a for a in december.actions_carried if a.uuid == added.uuid)
    assert line.times_carried == 2 and line.status_label == "Open"
    done = svc.set_meeting_action_done(added.uuid, progress="Booked")
    assert done.status_label == "Done 05/11/2012" and done.progress == "Booked"
    # done before November sat: reported there once, then no longer carried
    assert added.uuid in [a.uuid for a in svc.get_meeting(smg("13/11/2012").uuid).actions_carried]
    assert added.uuid not in [a.uuid for a in svc.get_meeting(december.uuid).actions_carried]


def test_an_action_needs_what_and_who_and_is_not_due_before_it_was_raised(demo_db):
    october = smg("09/10/2012")
    with pytest.raises(FormError) as raised:
        svc.add_meeting_action(october.uuid, {"description": "", "owner": "",
                                              "due_on": "01/10/2012"})  # fmt: skip
    assert set(raised.value.errors) == {"description", "owner", "due_on"}


def test_the_action_log_across_bodies(demo_db):
    log = svc.action_log(desta())
    assert [line.body for line in log] == ["smg", "smg", "board"]
    assert log[0].is_overdue and log[0].owner == CHURCH_STREET
    assert len(svc.action_log(desta(), "board")) == 1
    with_done = svc.action_log(desta(), done_since=date(2012, 10, 1))
    assert sum(line.is_done for line in with_done) == 2


# --- minutes and the lock -------------------------------------------------------------------------


def test_minutes_are_approved_at_the_next_meeting_then_locked(demo_db, nov13):
    october, november = smg("09/10/2012"), smg("13/11/2012")
    with pytest.raises(ValidationError, match="has not sat yet"):
        svc.approve_minutes(october.uuid)
    svc.mark_meeting_held(november.uuid)
    with pytest.raises(FormError) as raised:
        svc.approve_minutes(november.uuid, october.uuid)  # not a later meeting
    assert "approval_meeting" in raised.value.errors
    attend(november.uuid, RAIN, WESTWAY, WHITE_CITY, FULHAM)
    with pytest.raises(ValidationError, match="not quorate: 4 of 9 voting members present, 5"):
        svc.approve_minutes(october.uuid)  # an inquorate meeting approves nothing
    assert svc.get_meeting(october.uuid).status == "held"
    attend(november.uuid, SOMALI)
    approved = svc.approve_minutes(october.uuid)
    assert approved.status == "minutes_approved" and approved.meeting.is_locked
    assert approved.minutes_approved_on == date(2012, 11, 13)
    assert approved.minutes_approval_meeting.title == "Desta SMG, 13/11/2012"
    pack = svc.meeting_pack_data(november.uuid)
    assert pack.last_meeting.is_approved
    assert pack.last_meeting.approved_at == "Desta SMG, 13/11/2012"


def test_approved_minutes_change_only_as_a_correction_with_a_reason(demo_db):
    september = smg("11/09/2012")  # approved at October's meeting
    detail = svc.get_meeting(september.uuid)
    attempts = [
        lambda **kw: svc.save_minutes(september.uuid, "Rewritten", **kw),
        lambda **kw: svc.update_meeting(
            september.uuid, {"meeting_on": "11/09/2012", "place": "Elsewhere"}, **kw
        ),  # fmt: skip
        lambda **kw: svc.add_agenda_item(september.uuid, {"title": "Late item"}, **kw),
        lambda **kw: svc.record_attendance(
            september.uuid, {"contact": person(POLISH), "kind": "absent"}, **kw
        ),  # fmt: skip
        lambda **kw: svc.update_attendance(detail.present[0].uuid, {"kind": "absent"}, **kw),
        lambda **kw: svc.add_meeting_action(
            september.uuid, {"description": "Late", "owner": "Hub"}, **kw
        ),  # fmt: skip
    ]
    for attempt in attempts:
        with pytest.raises(MinutesLockedError, match="approved on 09/10/2012"):
            attempt()
    assert svc.get_meeting(september.uuid).minutes == detail.minutes
    corrected = svc.correct_minutes(september.uuid, "The Rain Trust will recruit a tutor.",
                                    "the minutes misnamed the Rain Trust's task")  # fmt: skip
    assert corrected.minutes == "The Rain Trust will recruit a tutor."
    assert corrected.status == "minutes_approved"
    history = AuditLog.select().where(AuditLog.record_uuid == september.uuid)
    assert [(row.action, row.new_value) for row in history if row.action == "correct"] == [
        ("correct", "the minutes misnamed the Rain Trust's task")
    ]
    assert any(row.field == "minutes" for row in history)
    with pytest.raises(ValidationError):
        svc.correct_minutes(september.uuid, "Again", " ")
    # the progress of an action raised there still moves on
    action = svc.get_meeting(smg("09/10/2012").uuid).actions_carried
    assert svc.note_action_progress(action[0].uuid, "Still waiting").progress == "Still waiting"


def test_parts_of_a_meeting_are_archived_and_restored_under_the_minutes_lock(demo_db):
    september = smg("11/09/2012")  # approved at October's meeting: locked
    detail = svc.get_meeting(september.uuid)
    attendance, action = detail.attendance[0], detail.actions_raised[0]
    for archive in (
        lambda **kw: svc.remove_attendance(attendance.uuid, **kw),
        lambda **kw: svc.archive_meeting_action(action.uuid, **kw),
    ):
        with pytest.raises(MinutesLockedError):
            archive()
        archive(correction_reason="entered against the wrong meeting")
    detail = svc.get_meeting(september.uuid)
    assert attendance.uuid not in {line.uuid for line in detail.attendance}
    assert action.uuid not in {line.uuid for line in detail.actions_raised}
    with pytest.raises(MinutesLockedError):
        svc.restore_meeting_action(action.uuid)
    svc.restore_meeting_action(action.uuid, correction_reason="it was this meeting's after all")
    assert action.uuid in {line.uuid for line in svc.get_meeting(september.uuid).actions_raised}
    corrections = AuditLog.select().where(
        (AuditLog.record_uuid == september.uuid) & (AuditLog.action == "correct")
    )
    assert corrections.count() == 3
    # a held meeting's motion and declaration (found through its agenda item) need no reason
    october = svc.get_meeting(smg("09/10/2012").uuid)
    decision, declaration = october.decisions[0], october.declarations[0]
    svc.archive_decision(decision.uuid)
    svc.remove_declaration(declaration.uuid)
    after = svc.get_meeting(october.uuid)
    assert (after.decisions, after.declarations) == ((), ())
    svc.restore_decision(decision.uuid)
    assert [d.uuid for d in svc.get_meeting(october.uuid).decisions] == [decision.uuid]


def test_minutes_are_drafted_only_for_a_meeting_held(demo_db):
    with pytest.raises(ValidationError, match="not been held"):
        svc.save_minutes(smg("13/11/2012").uuid, "Too early")
    drafted = svc.save_minutes(smg("09/10/2012").uuid, "Draft two")
    assert drafted.minutes == "Draft two"
    assert drafted.minutes_drafted_on == date(2012, 10, 16)  # the first draft's day stays


# --- registers ------------------------------------------------------------------------------------


def test_the_risk_register(demo_db):
    risks = svc.list_risks(desta())
    assert [r.score for r in risks] == sorted((r.score for r in risks), reverse=True)
    added = svc.add_risk({"consortium": desta(), "title": "Venue lost", "likelihood": "5",
                          "impact": "5", "owner": "Hub", "review_on": "01/11/2012"})  # fmt: skip
    assert (added.score, added.band.label, added.is_review_due) == (25, "Very high", True)
    assert svc.list_risks(desta())[0].uuid == added.uuid
    with pytest.raises(FormError) as raised:
        svc.add_risk({"consortium": desta(), "title": "", "likelihood": "6", "impact": "0"})
    assert set(raised.value.errors) == {"title", "owner", "likelihood", "impact"}
    closed = svc.update_risk(added.uuid, {"status": "closed"})
    assert closed.status_label == "Closed" and closed.title == "Venue lost"
    assert added.uuid not in [r.uuid for r in svc.list_risks(desta())]
    assert added.uuid in [r.uuid for r in svc.list_risks(desta(), include_closed=True)]


def test_the_register_of_interests(demo_db):
    current = svc.list_registered_interests(desta())
    assert [line.organisation_name for line in current] == [RAIN, WHITE_CITY]
    assert len(svc.list_registered_interests(desta(), include_ended=True)) == 3
    added = svc.register_interest(
        {
            "consortium": desta(),
            "contact": person(SOMALI),
            "description": "Trustee of a bidder",
            "starts_on": "01/11/2012",
        }
    )
    assert added.organisation_name == SOMALI and added.is_current
    ended = svc.end_registered_interest(added.uuid, "04/11/2012")
    assert not ended.is_current
    with pytest.raises(FormError) as raised:
        svc.register_interest({"consortium": desta(), "description": "",
                               "starts_on": "05/11/2012", "ends_on": "01/11/2012"})  # fmt: skip
    assert set(raised.value.errors) == {"organisation", "description", "ends_on"}


# --- the packs' read models -----------------------------------------------------------------------


def test_november_pack_data(demo_db):
    pack = svc.meeting_pack_data(smg("13/11/2012").uuid)
    assert pack.meeting.status_label == "Papers sent"
    assert [i.number for i in pack.agenda] == list(range(1, 11))
    assert pack.agenda[2].link.label == "Desta SMG, 09/10/2012"
    assert pack.quorum_line == (
        "Quorum: 5 of the 9 voting members (half of the voting members, and at least 3)"
    )
    assert [line.organisation_name for line in pack.apologies] == [GOLBORNE]
    last = pack.last_meeting
    assert last.meeting.title == "Desta SMG, 09/10/2012" and not last.is_approved
    assert last.decisions[0].result_text == "Carried (for 5, against 0, abstained 1, withdrawn 1)"
    assert len(last.present) == 7 and len(last.apologies) == 2
    assert {a.description for a in pack.matters_arising} < {
        a.description for a in pack.actions_carried
    }
    assert [a.status_label for a in pack.actions_carried][:2] == ["Overdue", "Open"]
    targets = item(svc.get_meeting(pack.meeting.uuid), "Expert Patient Service: year 2 target "
                   "profile")  # fmt: skip
    assert len(targets.suggested_declarations) == 9  # the partners on the contract
    assert len(pack.registered_interests) == 2


def test_board_pack_extras(demo_db):
    extras = svc.board_pack_extras(desta(), "2012-10")
    assert [d.title for d in extras.decisions_due] == [
        "Agree the year 2 target profile for the Expert Patient Service",
        "Approve the consortium's budget for 2013/14",
    ]
    assert len(extras.decisions_taken) == 2
    assert all(d.is_quorate for d in extras.decisions_taken)
    assert [r.band.label for r in extras.risks] == ["High", "High", "Medium", "Low"]
    assert [m.title for m in extras.meetings] == [
        "Desta SMG, 09/10/2012", "Desta Board, 23/10/2012", "Desta SMG, 13/11/2012"]  # fmt: skip
    assert {line.body for line in extras.action_log} == {"smg", "board"}


def test_meetings_are_records_archived_by_the_generic_archive(demo_db):
    from desta_tui.services.records import RECORD_MODELS

    for table in ("meeting", "meeting_attendance", "agenda_item", "declaration",
                  "registered_interest", "decision", "vote", "meeting_action", "risk"):  # fmt: skip
        assert table in RECORD_MODELS
    assert Meeting.select().count() == 5


def test_editing_a_meeting_keeps_what_is_not_given(demo_db):
    meeting = new_smg("11/12/2012", start_time="10:00")
    edited = svc.update_meeting(meeting.uuid, {"place": "Rain Trust offices"})
    assert (edited.place, edited.start_time, edited.meeting_on) == (
        "Rain Trust offices", "10:00", date(2012, 12, 11))  # fmt: skip
    assert edited.period == "2012-11"
    moved = svc.update_meeting(meeting.uuid, {"meeting_on": "18/12/2012", "period": "2012-11"})
    assert moved.meeting_on == date(2012, 12, 18)


def test_who_declared_reads_as_person_and_organisation():
    from desta_tui.services.meetings.views import person_of

    assert person_of("Ann Lee", RAIN) == "Ann Lee (Rain Trust)"
    assert person_of("", RAIN) == RAIN
    assert person_of("Ann Lee", "") == "Ann Lee"
