"""The demo data obeys every rule the app enforces: each demo record saved again, unchanged,
through the service a person's save goes through, is accepted and changes nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from desta_tui.db.models import (
    AuditLog,
    CommissionerContact,
    ComplianceItem,
    Contact,
    Contract,
    ContractPartner,
    Membership,
    MonthlyReturn,
    Organisation,
    PeriodLock,
    SupportTicket,
    Target,
    TicketAction,
    TicketEvent,
)
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.metrics import format_rate
from desta_tui.domain.money import format_money
from desta_tui.domain.periods import Period
from desta_tui.services import contracts, members, performance, tickets


def _uk(on: date | None) -> str:
    return format_uk_date(on) if on else ""


def _money(pence: int) -> str:
    return format_money(pence) if pence else ""


def _live(model):
    return list(model.select().where(model.archived_at.is_null()).order_by(model.id))


@pytest.fixture
def history_untouched(demo_db):
    """After the test: saving unchanged records wrote no change to the history."""
    before = AuditLog.select().count()
    events = TicketEvent.select().count()
    yield
    changes = list(AuditLog.select().offset(before))
    assert [(c.table_name, c.record_label, c.field, c.old_value, c.new_value)
            for c in changes] == []  # fmt: skip
    assert TicketEvent.select().count() == events


def test_organisations_and_contacts_save_unchanged(demo_db, history_untouched):
    organisations = _live(Organisation)
    assert len(organisations) > 50
    for org in organisations:
        detail = members.get_organisation(org.uuid)
        members.update_organisation(
            org.uuid,
            {
                "name": detail.name,
                "kind": detail.kind,
                "borough": detail.borough,
                "boroughs": ", ".join(detail.boroughs),
                "charity_number": detail.charity_number,
                "company_number": detail.company_number,
                "address": detail.address,
                "postcode": detail.postcode,
                "email": detail.email,
                "phone": detail.phone,
                "website": detail.website,
                "is_member": detail.is_member,
                "is_commissioner": detail.is_commissioner,
                "notes": detail.notes,
            },
        )
    for contact in _live(Contact):
        info = members.get_contact(contact.uuid)
        members.update_contact(
            contact.uuid,
            {
                "full_name": info.full_name,
                "role": info.role,
                "email": info.email,
                "phone": info.phone,
                "is_primary": info.is_primary,
                "notes": info.notes,
            },
        )


def test_memberships_and_compliance_papers_save_unchanged(demo_db, history_untouched):
    for membership in _live(Membership):
        info = members.get_membership(membership.uuid)
        members.update_membership(
            membership.uuid,
            {
                "consortium": info.consortium_uuid,
                "status": info.status,
                "joined_on": _uk(info.joined_on),
                "left_on": _uk(info.left_on),
                "has_board_seat": info.has_board_seat,
                "is_smg_member": info.is_smg_member,
                "has_vote": info.has_vote,
                "notes": info.notes,
            },
        )
    papers = _live(ComplianceItem)
    assert len(papers) > 200
    for paper in papers:
        info = members.get_compliance_item(paper.uuid)
        members.update_compliance_item(
            paper.uuid,
            {
                "kind": info.kind,
                "reference": info.reference,
                "checked_on": _uk(info.checked_on),
                "expires_on": _uk(info.expires_on),
                "notes": info.notes,
            },
        )


def test_contracts_partners_and_contact_logs_save_unchanged(demo_db, history_untouched):
    for contract in _live(Contract):
        detail = contracts.get_contract(contract.uuid)
        contracts.update_contract(
            contract.uuid,
            {
                "title": detail.title,
                "reference": detail.reference,
                "commissioner": detail.commissioner_uuid or "",
                "consortium": detail.consortium_uuid,
                "stage": detail.stage,
                "total_value": _money(detail.total_value_pence),
                "annual_value": _money(detail.annual_value_pence),
                "starts_on": _uk(detail.starts_on),
                "ends_on": _uk(detail.ends_on),
                "period_kind": detail.period_kind,
                "tender_deadline_on": _uk(detail.tender_deadline_on),
                "decision_on": _uk(detail.decision_on),
                "boroughs": ", ".join(detail.boroughs),
                "contact_interval_days": str(detail.contact_interval_days),
                "notes": detail.notes,
            },
        )
    partners = _live(ContractPartner)
    assert len(partners) == 9
    for partner in partners:
        row = contracts.get_partner(partner.uuid)
        contracts.update_partner(
            partner.uuid,
            {
                "role": row.role,
                "allocated_value": _money(row.allocated_value_pence),
                "boroughs": ", ".join(row.boroughs),
                "starts_on": _uk(row.starts_on),
                "ends_on": _uk(row.ends_on),
                "notes": row.notes,
            },
        )
    entries = _live(CommissionerContact)
    assert entries
    for entry in entries:
        row = contracts.get_commissioner_contact(entry.uuid)
        contracts.update_commissioner_contact(
            entry.uuid,
            {
                "contacted_on": _uk(row.contacted_on),
                "kind": row.kind,
                "with_whom": row.with_whom,
                "notes": row.notes,
            },
        )


def test_targets_and_every_month_of_returns_save_unchanged(demo_db, history_untouched):
    # targets: each partner's run of months for a metric, typed again as the bulk form takes it
    runs: dict[tuple[str, str, str], list[tuple[str, int]]] = defaultdict(list)
    for target in _live(Target):
        key = (target.contract.uuid, target.partner.uuid, target.metric.code)
        runs[key].append((target.period, target.value))
    assert runs
    for (contract_uuid, partner_uuid, code), months in runs.items():
        months.sort()
        values = {value for _period, value in months}
        assert len(values) == 1, f"{code}: the demo's targets are level month by month"
        (value,) = values
        first = Period.from_key(months[0][0])
        assert [Period.from_key(p) for p, _v in months] == [
            first.shift(n) for n in range(len(months))
        ]
        is_rate = code == "bme_retention"
        performance.set_targets(
            contract_uuid,
            code,
            first.key,
            len(months),
            format_rate(value) if is_rate else str(value * len(months)),
            partner_uuid=partner_uuid,
        )
    # returns: every month with returns, every cell typed again as it is
    months_by_contract: dict[str, set[str]] = defaultdict(set)
    for contract_uuid, period in (
        MonthlyReturn.select(Contract.uuid, MonthlyReturn.period)
        .join(Contract)
        .where(MonthlyReturn.archived_at.is_null())
        .distinct()
        .tuples()
    ):
        months_by_contract[contract_uuid].add(period)
    assert months_by_contract
    for contract_uuid, periods in months_by_contract.items():
        for key in sorted(periods):
            period = Period.from_key(key)
            grid = performance.load_returns_grid(contract_uuid, period)
            typed = {
                row.partner_uuid: {
                    code: str(value) for code, value in row.values.items() if value is not None
                }
                for row in grid.rows
                if row.has_return
            }
            assert performance.check_grid(grid, typed) == {}, period.label
            result = performance.save_returns(contract_uuid, period, typed)
            assert result.total == 0 and not result.was_correction
    # the locked months stay locked as they were
    for lock in _live(PeriodLock):
        info = performance.lock_period(lock.contract.uuid, Period.from_key(lock.period))
        assert (info.locked_at, info.locked_by) == (lock.locked_at, lock.locked_by)


def test_tickets_and_their_actions_save_unchanged(demo_db, history_untouched):
    found = _live(SupportTicket)
    assert len(found) == 2
    for ticket in found:
        detail = tickets.get_ticket(ticket.uuid)
        tickets.update_ticket(
            ticket.uuid,
            {
                "provider": detail.provider_uuid,
                "contract": detail.contract_uuid or "",
                "support_provider": detail.support_provider_uuid or "",
                "subject": detail.subject,
                "category": detail.category,
                "priority": detail.priority,
                "owner": detail.owner,
                "due_on": _uk(detail.due_on),
                "description": detail.description,
                "metrics": [metric.uuid for metric in detail.metrics],
            },
        )
    actions = _live(TicketAction)
    assert actions
    for action in actions:
        tickets.update_ticket_action(
            action.uuid,
            {
                "description": action.description,
                "owner": action.owner,
                "due_on": _uk(action.due_on),
                "is_done": action.is_done,
            },
        )


# dates that say something has happened: none can be after the demo's today
_PAST_DATES = {"checked_on", "changed_on", "contacted_on", "opened_on", "closed_on", "done_on",
               "joined_on", "left_on", "incorporated_on"}  # fmt: skip


def test_nothing_in_the_demo_happened_after_its_today(demo_db):
    from peewee import DateField, DateTimeField

    from desta_tui.db.models import ALL_MODELS
    from desta_tui.services.context import today

    on = today()
    assert on == date(2012, 11, 5)
    late = []
    for model in ALL_MODELS:
        if model._meta.table_name == "schema_migration":
            continue  # when this machine upgraded the file: the real clock's, on purpose
        for field in model._meta.sorted_fields:
            is_stamp = isinstance(field, DateTimeField)
            if not is_stamp and not (isinstance(field, DateField) and field.name in _PAST_DATES):
                continue
            newest = model.select(field).where(field.is_null(False)).order_by(field.desc())
            value = newest.scalar()
            if isinstance(value, str):  # SQLite may hand a bare value back as text
                value = date.fromisoformat(value[:10])
            if value is not None and (value.date() if is_stamp else value) > on:
                late.append(f"{model._meta.table_name}.{field.name} = {value}")
    assert late == [], "\n".join(late)
