"""One clock: every stamp a service writes falls on the day `today()` gives, demo or not."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from desta_tui.db.models import (
    AuditLog,
    ComplianceItem,
    Contract,
    MonthlyReturn,
    Organisation,
    PeriodLock,
    Setting,
    SupportTicket,
    TicketEvent,
)
from desta_tui.domain.periods import Period
from desta_tui.services import contracts, members, tickets
from desta_tui.services import performance as perf
from desta_tui.services.context import now, today
from desta_tui.services.records import archive_record
from desta_tui.services.settings import set_setting

DEMO_DAY = date(2012, 11, 5)


def _stamps_since(audit_id: int) -> set[date]:
    return {row.at.date() for row in AuditLog.select().where(AuditLog.id > audit_id)}


def _last_audit_id() -> int:
    return AuditLog.select(AuditLog.id).order_by(AuditLog.id.desc()).scalar() or 0


def test_a_demo_database_stamps_its_own_day_at_the_real_time_of_day(demo_db):
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    stamp = now()
    after = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    assert today() == stamp.date() == DEMO_DAY
    # the time of day is the real one (unless midnight passed between the readings)
    assert before.time() <= stamp.time() <= after.time() or before.date() != after.date()


def test_every_stamp_a_service_writes_is_on_the_demos_day(demo_db):
    since = _last_audit_id()
    eps = Contract.get(Contract.title == "Expert Patient Service").uuid
    westway = Organisation.get(Organisation.name == "Westway Wellbeing Project")
    # a new record (created_at, updated_at), an update, an archive, a lock, ticket activity,
    # a stage change and a setting
    paper = members.create_compliance_item(
        westway.uuid, {"kind": "quality_mark", "reference": "PQASSO-1", "checked_on": "today"}
    )
    members.update_compliance_item(
        paper.uuid, {"kind": "quality_mark", "reference": "PQASSO-2", "checked_on": "today"}
    )
    archive_record("compliance_item", paper.uuid)
    church = next(
        uuid for name, uuid in perf.partner_choices(eps) if name.startswith("Church Street")
    )
    perf.save_returns(eps, Period(2012, 10), {church: {"enrolments": "9"}})
    perf.lock_period(eps, Period(2012, 10))
    ticket = SupportTicket.get(SupportTicket.reference == "T-0001")
    tickets.add_ticket_note(ticket.uuid, "Called the tutor", "15")
    ltc = Contract.get(Contract.title == "Long-term Conditions Peer Support").uuid
    contracts.change_contract_stage(ltc, "preparing_tender")
    set_setting("hub_name", "Another hub")

    assert _stamps_since(since) == {DEMO_DAY}
    item = ComplianceItem.get(ComplianceItem.uuid == paper.uuid)
    assert {item.created_at.date(), item.updated_at.date(), item.archived_at.date()} == {DEMO_DAY}
    lock = PeriodLock.get((PeriodLock.period == "2012-10") & PeriodLock.archived_at.is_null())
    assert lock.locked_at.date() == DEMO_DAY
    entered = MonthlyReturn.select().order_by(MonthlyReturn.id.desc()).first()
    assert {entered.entered_at.date(), entered.created_at.date()} == {DEMO_DAY}
    event = TicketEvent.select().order_by(TicketEvent.id.desc()).first()
    assert event.occurred_at.date() == DEMO_DAY and event.text == "Called the tutor"
    assert Setting.get(Setting.key == "hub_name").updated_at.date() == DEMO_DAY


def test_desta_today_moves_the_stamps_too(demo_db, monkeypatch):
    monkeypatch.setenv("DESTA_TODAY", "01/12/2012")
    since = _last_audit_id()
    westway = Organisation.get(Organisation.name == "Westway Wellbeing Project")
    members.create_contact(westway.uuid, {"full_name": "Rosa Santos"})
    assert now().date() == today() == date(2012, 12, 1)
    assert _stamps_since(since) == {date(2012, 12, 1)}


def test_a_real_database_keeps_the_real_clock(db_path):
    real = datetime.now(UTC).replace(tzinfo=None)
    assert abs(now() - real) < timedelta(minutes=1)
    assert today() in {date.today(), real.date()}
    org = members.create_organisation({"name": "Brand New Trust", "kind": "charity"})
    saved = Organisation.get(Organisation.uuid == org.uuid)
    assert abs(saved.created_at - real) < timedelta(minutes=1)
