"""The ticket service on the demo data: opening, the ladder, the log, actions, lists, overdue."""

from __future__ import annotations

from datetime import date

import pytest

from desta_tui.db.models import AuditLog, Organisation, SupportTicket, TicketEvent
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.services import tickets as svc
from desta_tui.services.export import export_table
from desta_tui.services.settings import set_setting

WESTWAY = "Westway Wellbeing Project"
CHURCH_STREET = "Church Street Neighbourhood Trust"


def org_uuid(name: str) -> str:
    return Organisation.get(Organisation.name == name).uuid


def eps_uuid() -> str:
    return dict(svc.contract_choices())["Expert Patient Service"]


def t0001() -> svc.TicketDetail:
    row = next(
        r for r in svc.list_tickets(svc.TicketFilter(status="all")) if r.reference == "T-0001"
    )
    return svc.get_ticket(row.uuid)


def new_ticket(**overrides) -> svc.TicketDetail:
    values = {
        "provider": org_uuid(CHURCH_STREET),
        "contract": eps_uuid(),
        "subject": "Completions slipping",
        "category": "training",
        "priority": "normal",
        "owner": "Rain Trust",
        "due_on": "",
        "description": "",
        "metrics": [],
    }
    values.update(overrides)
    return svc.create_ticket(values)


def test_create_takes_next_reference_default_support_provider_and_due_date(demo_db):
    ticket = new_ticket()
    assert ticket.reference == "T-0003"
    assert ticket.support_provider_name == "Rain Trust"  # the contract's support provider
    assert ticket.opened_on == date(2012, 11, 5)  # the demo's today
    assert ticket.due_on == date(2012, 12, 3)  # normal: 28 days
    assert (ticket.stage, ticket.status) == ("support", "open")
    assert [e.kind for e in ticket.events] == ["created"]
    assert ticket.events[0].who == "test.officer"
    assert new_ticket().reference == "T-0004"


def test_the_hubs_numbering_passes_over_site_references(demo_db):
    # a ticket opened on a site's laptop carries the site's prefix and its own numbers
    site_ticket = new_ticket()
    SupportTicket.update(reference="T-LDN-0050").where(
        SupportTicket.uuid == site_ticket.uuid
    ).execute()
    assert svc.next_reference() == "T-0003"
    assert svc.next_reference("LDN") == "T-LDN-0051"
    assert svc.next_reference("MAN") == "T-MAN-0001"
    assert new_ticket().reference == "T-0003"


def test_due_days_come_from_settings(demo_db):
    set_setting("ticket_due_days", {"low": 60, "normal": 10, "high": 7, "urgent": 2})
    assert new_ticket(priority="urgent").due_on == date(2012, 11, 7)
    assert new_ticket(due_on="30/11/2012").due_on == date(2012, 11, 30)


def test_create_reports_every_bad_field_and_saves_nothing(demo_db):
    before = SupportTicket.select().count()
    with pytest.raises(FormError) as raised:
        new_ticket(provider="", subject=" ", due_on="31/02/2012")
    errors = raised.value.errors
    assert set(errors) >= {"provider", "subject", "due_on"}
    assert "February 2012 has 29 days" in errors["due_on"]
    with pytest.raises(FormError) as raised:
        new_ticket(due_on="01/11/2012")
    assert "before the ticket was opened" in raised.value.errors["due_on"]
    with pytest.raises(FormError) as raised:
        new_ticket(provider=org_uuid("Rain Trust"), support_provider=org_uuid("Rain Trust"))
    assert "own support provider" in raised.value.errors["support_provider"]
    with pytest.raises(FormError) as raised:
        new_ticket(provider=org_uuid("Acton Mental Health Forum"))
    assert "not a partner on Expert Patient Service" in raised.value.errors["provider"]
    assert SupportTicket.select().count() == before


def test_climbing_the_ladder_logs_each_move_with_who_and_why(demo_db):
    ticket = new_ticket()
    with pytest.raises(ValidationError):
        svc.move_ticket_up(ticket.uuid, "")
    with pytest.raises(ValidationError) as raised:
        svc.change_ticket_stage(ticket.uuid, "remedial_action", "no progress")
    assert "only after an improvement plan" in raised.value.message
    ticket = svc.move_ticket_up(ticket.uuid, "two courses cancelled")
    assert ticket.stage == "improvement_plan"
    ticket = svc.move_ticket_up(ticket.uuid, "plan not kept")
    assert ticket.stage == "remedial_action" and ticket.stage_up is None
    with pytest.raises(ValidationError):
        svc.move_ticket_up(ticket.uuid, "again")
    ticket = svc.move_ticket_down(ticket.uuid, "new manager in post")
    assert ticket.stage == "improvement_plan"
    stage_events = [e.text for e in ticket.events if e.kind == "stage"]
    assert stage_events == [
        "Remedial action -> Improvement plan: new manager in post",
        "Improvement plan -> Remedial action: plan not kept",
        "Support -> Improvement plan: two courses cancelled",
    ]
    assert all(e.who == "test.officer" and e.occurred_at for e in ticket.events)
    fields = {row.field for row in AuditLog.select().where(AuditLog.record_uuid == ticket.uuid)}
    assert "stage" in fields


def test_override_goes_straight_to_remedial_action(demo_db):
    ticket = new_ticket()
    ticket = svc.move_ticket_up(ticket.uuid, "safeguarding incident", override=True)
    assert ticket.stage == "remedial_action"
    assert "improvement plan skipped" in ticket.events[0].text


def test_after_a_plan_remedial_needs_no_override(demo_db):
    ticket = new_ticket()
    svc.move_ticket_up(ticket.uuid, "behind")
    svc.move_ticket_down(ticket.uuid, "caught up")
    ticket = svc.change_ticket_stage(ticket.uuid, "remedial_action", "slipped again")
    assert ticket.stage == "remedial_action"


def test_status_moves_close_with_outcome_and_reopen_with_reason(demo_db):
    ticket = new_ticket()
    ticket = svc.change_ticket_status(ticket.uuid, "waiting_provider", reason="asked for figures")
    assert ticket.status == "waiting_provider"
    with pytest.raises(ValidationError) as raised:
        svc.close_ticket(ticket.uuid, "")
    assert raised.value.field == "outcome"
    ticket = svc.close_ticket(ticket.uuid, "Tutor trained; back on target")
    assert (ticket.status, ticket.closed_on, ticket.outcome) == (
        "closed", date(2012, 11, 5), "Tutor trained; back on target")  # fmt: skip
    assert ticket.events[0].text == "Waiting on provider -> Closed: Tutor trained; back on target"
    with pytest.raises(DestaError):
        svc.move_ticket_up(ticket.uuid, "why")  # finished: reopen first
    with pytest.raises(ValidationError):
        svc.change_ticket_status(ticket.uuid, "resolved")
    ticket = svc.change_ticket_status(ticket.uuid, "open", reason="slipped again")
    assert ticket.status == "open" and ticket.closed_on is None


def test_notes_and_time_are_added_never_changed(demo_db):
    ticket = new_ticket()
    with pytest.raises(FormError) as raised:
        svc.add_ticket_note(ticket.uuid, "  ", "soon")
    assert set(raised.value.errors) == {"text", "minutes"}
    first = svc.add_ticket_note(ticket.uuid, "Visited the project", "1h30")
    assert (first.kind, first.minutes) == ("note", 90)
    with pytest.raises(ValidationError):
        svc.log_ticket_time(ticket.uuid, "0")
    svc.log_ticket_time(ticket.uuid, "45", "Phone call with the manager")
    svc.log_ticket_time(ticket.uuid, 15)
    ticket = svc.get_ticket(ticket.uuid)
    assert ticket.minutes_total == 150 and ticket.time_text == "2 h 30 min"
    assert [e.text for e in ticket.events[:3]] == [
        "15 min spent", "Phone call with the manager", "Visited the project"]  # fmt: skip
    stored = TicketEvent.get(TicketEvent.uuid == first.uuid)
    assert (stored.text, stored.minutes) == ("Visited the project", 90)
    # the service offers no way to edit or delete an entry
    assert not [
        name for name in dir(svc) if name.startswith(("edit_", "delete_", "update_ticket_e"))
    ]


def test_edit_is_audited_and_summed_up_in_the_log(demo_db):
    ticket = new_ticket()
    values = {
        "provider": ticket.provider_uuid, "contract": ticket.contract_uuid,
        "support_provider": ticket.support_provider_uuid, "subject": ticket.subject,
        "category": ticket.category, "priority": "high", "owner": "Hub officer",
        "due_on": "20/11/2012", "description": "", "metrics": [],
    }  # fmt: skip
    ticket = svc.update_ticket(ticket.uuid, values)
    assert ticket.priority == "high" and ticket.due_on == date(2012, 11, 20)
    assert ticket.events[0].kind == "change"
    assert "priority Normal -> High" in ticket.events[0].text
    assert "due date 03/12/2012 -> 20/11/2012" in ticket.events[0].text
    audited = {(r.field, r.old_value, r.new_value) for r in
               AuditLog.select().where(AuditLog.record_uuid == ticket.uuid)}  # fmt: skip
    assert ("owner", "Rain Trust", "Hub officer") in audited
    # saving unchanged adds nothing to the log
    assert len(svc.update_ticket(ticket.uuid, values).events) == len(ticket.events)


def test_improvement_plan_actions(demo_db):
    ticket = new_ticket()
    with pytest.raises(FormError) as raised:
        svc.add_ticket_action(ticket.uuid, {"description": "", "due_on": "someday"})
    assert set(raised.value.errors) == {"description", "due_on"}
    action = svc.add_ticket_action(
        ticket.uuid, {"description": "Train a tutor", "owner": "Rain Trust", "due_on": "01/11/2012"}
    )
    assert action.is_overdue and action.due_text == "4 days overdue"
    done = svc.set_action_done(action.uuid)
    assert done.is_done and done.done_on == date(2012, 11, 5) and not done.is_overdue
    svc.add_ticket_action(ticket.uuid, {"description": "Taster sessions", "due_on": ""})
    ticket = svc.get_ticket(ticket.uuid)
    assert [a.description for a in ticket.actions] == ["Taster sessions", "Train a tutor"]
    texts = [e.text for e in ticket.events if e.kind == "action"]
    assert "Action done: Train a tutor" in texts
    assert "Action added: Train a tutor (Rain Trust, due 01/11/2012)" in texts
    svc.archive_ticket_action(done.uuid)
    ticket = svc.get_ticket(ticket.uuid)
    assert [a.description for a in ticket.actions] == ["Taster sessions"]
    assert ticket.events[0].text == "Action removed: Train a tutor"


def test_list_filters(demo_db):
    mine = new_ticket(priority="urgent")  # due 10/11/2012
    svc.move_ticket_up(mine.uuid, "behind")
    everything = svc.list_tickets(svc.TicketFilter(status="all"))
    assert [r.reference for r in everything] == ["T-0003", "T-0001", "T-0002"]  # soonest due
    assert [r.reference for r in svc.list_tickets()] == ["T-0003", "T-0001"]  # live work only
    assert [r.reference for r in svc.list_tickets(svc.TicketFilter(status="closed"))] == ["T-0002"]
    by_provider = svc.TicketFilter(status="all", provider_uuid=org_uuid(CHURCH_STREET))
    assert {r.reference for r in svc.list_tickets(by_provider)} == {"T-0002", "T-0003"}
    assert [r.reference for r in svc.list_tickets(svc.TicketFilter(stage="improvement_plan"))] == [
        "T-0003", "T-0001"]  # fmt: skip
    by_contract = svc.TicketFilter(status="all", contract_uuid=eps_uuid())
    assert len(svc.list_tickets(by_contract)) == 3
    assert [r.reference for r in svc.list_tickets(svc.TicketFilter(text="westway tutor"))] == [
        "T-0001"]  # fmt: skip
    assert [r.reference for r in svc.list_tickets(svc.TicketFilter(text="late tutor"))] == []
    assert [r.reference for r in svc.list_tickets(svc.TicketFilter(text="returns arriving"))] == [
        "T-0002"]  # the search looks at closed tickets too  # fmt: skip
    assert svc.list_tickets(svc.TicketFilter(overdue_only=True)) == []


def test_overdue_rules_follow_today(demo_db, monkeypatch):
    mine = new_ticket(priority="urgent")  # due 10/11/2012
    monkeypatch.setenv("DESTA_TODAY", "2012-11-20")
    overdue = svc.overdue_tickets()
    assert [(r.reference, r.due_text) for r in overdue] == [
        ("T-0003", "10 days overdue"), ("T-0001", "4 days overdue")]  # fmt: skip
    svc.change_ticket_status(mine.uuid, "resolved")
    assert [r.reference for r in svc.overdue_tickets()] == ["T-0001"]
    stages = {s.stage: (s.count, s.overdue) for s in svc.open_tickets_by_stage()}
    assert stages == {"support": (0, 0), "improvement_plan": (1, 1), "remedial_action": (0, 0)}
    monkeypatch.setenv("DESTA_TODAY", "2012-11-16")
    assert svc.get_ticket(t0001().uuid).due_text == "due today"
    assert svc.overdue_tickets() == []


def test_overdue_by_consortium(demo_db, monkeypatch):
    from desta_tui.services.dashboard import consortium_choices

    monkeypatch.setenv("DESTA_TODAY", "2012-12-01")
    consortia = dict(consortium_choices())
    desta = next(uuid for name, uuid in consortia.items() if name.startswith("Desta"))
    valens = next(uuid for name, uuid in consortia.items() if name.startswith("Valens"))
    assert [r.reference for r in svc.overdue_tickets(desta)] == ["T-0001"]
    assert svc.overdue_tickets(valens) == []
    assert sum(s.count for s in svc.open_tickets_by_stage(valens)) == 0


def test_archive_and_undo(demo_db):
    ticket = t0001()
    svc.archive_ticket(ticket.uuid)
    assert [r.reference for r in svc.list_tickets()] == []
    with pytest.raises(DestaError):
        svc.add_ticket_note(ticket.uuid, "still there?")
    restored = svc.undo_ticket_archive()
    assert restored is not None and restored.uuid == ticket.uuid
    assert [r.reference for r in svc.list_tickets()] == ["T-0001"]
    assert svc.undo_ticket_archive() is None


def test_demo_ticket_has_had_its_plan_and_log(demo_db):
    ticket = t0001()
    assert ticket.stage == "improvement_plan" and ticket.has_had_plan
    assert ticket.minutes_total == 185
    assert [m.code for m in ticket.metrics] == ["enrolments", "completions"]
    assert len(ticket.actions) == 3 and ticket.actions[-1].is_done
    assert svc.ticket_history(ticket.uuid) is not None


def test_export_has_stage_status_due_and_last_event(demo_db):
    new_ticket()
    table = export_table("tickets")
    row = dict(zip(table.headers, table.rows[0], strict=True))
    assert row["Stage"] == "Improvement plan" and row["Status"] == "Open"
    assert row["Due"] == "16/11/2012"
    assert row["Last event"].startswith("Replacement tutor trained")
    assert row["Overdue"] == "due in 11 days"


def red_figure(name: str = WESTWAY, code: str = "enrolments"):
    from desta_tui.services.performance import performance_exceptions

    return next(
        row for row in performance_exceptions()
        if row.organisation_name == name and row.metric_code == code
    )  # fmt: skip


def test_a_red_figure_fills_in_a_new_ticket(demo_db):
    figure = red_figure()
    assert figure.rag.rag.word == "Red"
    draft = svc.open_ticket_from_figure(figure)
    values = draft.values
    assert values["provider"] == org_uuid(WESTWAY)
    assert values["contract"] == eps_uuid()
    assert values["support_provider"] == org_uuid("Rain Trust")
    assert values["subject"] == "Enrolments behind target (40% of target to date)"
    assert "52 of 130" in values["description"]
    assert values["priority"] == "high" and values["due_on"] == "19/11/2012"
    assert draft.existing_reference == "T-0001"  # already open for Westway's enrolments
    ticket = svc.create_ticket(values)
    assert [m.code for m in ticket.metrics] == ["enrolments"]
    assert "Enrolments" in ticket.events[0].text


def test_a_red_figure_with_no_open_ticket_offers_none(demo_db):
    from desta_tui.services.performance import performance_exceptions

    figure = next(r for r in performance_exceptions() if r.organisation_name != WESTWAY
                  and r.rag.rag.word == "Red")  # fmt: skip
    assert svc.open_ticket_from_figure(figure).existing_uuid is None


def test_recovery_not_yet_while_the_figures_are_red(demo_db):
    recovery = svc.ticket_recovery(t0001().uuid)
    assert not recovery.is_back_at_green
    assert recovery.message == (
        "Not yet back at green: Enrolments red in Oct 2012; Completions red in Oct 2012."
    )
    assert recovery.metrics[0].months == (("Aug 2012", "Red"), ("Sep 2012", "Red"),
                                          ("Oct 2012", "Red"))  # fmt: skip


def test_recovery_back_at_green_offers_to_close(demo_db):
    from desta_tui.services.performance import contract_performance

    green = next(
        row for row in contract_performance(eps_uuid()).rows
        if row.metric_code == "enrolments" and row.rag.rag.word == "Green"
    )  # fmt: skip
    metric = dict((name, uuid) for name, uuid in svc.metric_choices())["Enrolments"]
    ticket = new_ticket(provider=green.organisation_uuid, metrics=[metric])
    recovery = svc.ticket_recovery(ticket.uuid)
    assert recovery.is_back_at_green, recovery
    assert recovery.message.startswith("Back at green for 2 months in a row to Oct 2012")
    closed = svc.close_ticket(ticket.uuid, "Enrolments back on target")
    assert closed.status == "closed"


def test_recovery_needs_linked_metrics(demo_db):
    recovery = svc.ticket_recovery(new_ticket().uuid)
    assert not recovery.is_back_at_green and "No metrics are linked" in recovery.message
