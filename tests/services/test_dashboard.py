"""The dashboard's lists that grow with the hub: the worst lines first, and how many in all."""

from __future__ import annotations

from dataclasses import replace

from desta_tui.db.models import Organisation, SupportTicket
from desta_tui.domain.rag import Rag
from desta_tui.domain.tickets import UNFINISHED_STATUSES
from desta_tui.services import dashboard
from desta_tui.services.dashboard import dashboard_summary
from desta_tui.services.performance import performance_exceptions
from desta_tui.services.tickets import count_overdue_tickets, create_ticket, overdue_tickets


def test_each_growing_list_shows_its_worst_lines_and_counts_them_all(demo_db, monkeypatch):
    monkeypatch.setattr(dashboard, "DASHBOARD_LIST_LIMIT", 3)
    open_tickets = SupportTicket.select().where(
        SupportTicket.archived_at.is_null() & SupportTicket.status.in_(UNFINISHED_STATUSES)
    )
    # open tickets at two stages, so their count is more than one stage's
    provider = Organisation.get(Organisation.name == "Church Street Neighbourhood Trust").uuid
    for _ in range(2):
        create_ticket(
            {"provider": provider, "contract": "", "subject": "Two stages",
             "category": "training", "priority": "normal", "owner": "", "due_on": "",
             "description": "", "metrics": []}
        )  # fmt: skip
    last = open_tickets.order_by(SupportTicket.id.desc()).first()
    SupportTicket.update(stage="remedial_action").where(SupportTicket.id == last.id).execute()
    summary = dashboard_summary()
    exceptions = performance_exceptions()
    assert len(exceptions) > 3

    figures = summary.group("figures")
    assert figures.total == len(exceptions) and figures.more == len(exceptions) - 3
    # the worst three, in the order performance_exceptions ranks them (with no sparklines:
    # the dashboard shows none)
    bare = [replace(row, monthly_actuals=(), months=()) for row in exceptions[:3]]
    assert [line.figure_row for line in figures.lines] == bare
    assert summary.red_count == sum(1 for row in exceptions if row.rag.rag is Rag.RED)
    assert summary.red_count + summary.amber_count == len(exceptions)

    papers = summary.group("papers")
    assert len(papers.lines) == 3
    assert papers.total == summary.compliance_expired + summary.compliance_expiring > 3

    # the open tickets in all are those of the lines by stage
    assert summary.open_ticket_count == open_tickets.count() > 1
    by_stage = [int(line.text.rsplit(": ", 1)[1].split()[0]) for line in summary.group(
        "ticket_stages").lines]  # fmt: skip
    assert len(by_stage) >= 2 and sum(by_stage) == summary.open_ticket_count

    contacts = summary.group("contacts")
    assert contacts.more == 0 and len(contacts.lines) == contacts.total == 2
    # every line shown is one of a group's first lines; none is a "more" line
    assert len(summary.lines) == sum(len(group.lines) for group in summary.groups)


def test_the_most_overdue_tickets_are_picked_and_counted_by_the_database(demo_db, monkeypatch):
    provider = Organisation.get(Organisation.name == "Church Street Neighbourhood Trust").uuid
    monkeypatch.setenv("DESTA_TODAY", "2012-06-01")  # opened then, falling due before T-0001
    for due_on in ("01/10/2012", "01/08/2012", "01/09/2012"):
        create_ticket(
            {"provider": provider, "contract": "", "subject": f"Due {due_on}",
             "category": "training", "priority": "normal", "owner": "", "due_on": due_on,
             "description": "", "metrics": []}
        )  # fmt: skip
    monkeypatch.setenv("DESTA_TODAY", "2014-06-30")  # every open ticket is overdue by then
    every = overdue_tickets()
    assert len(every) >= 4
    assert count_overdue_tickets() == len(every)
    assert overdue_tickets(limit=1) == every[:1]
    assert [row.days_overdue for row in every] == sorted(
        (row.days_overdue for row in every), reverse=True
    )
    monkeypatch.setattr(dashboard, "DASHBOARD_LIST_LIMIT", 1)
    group = dashboard_summary().group("overdue_tickets")
    assert [line.key for line in group.lines] == [f"ticket|{every[0].uuid}"]
    assert group.total == len(every)


def test_members_and_member_organisations_are_counted_as_each_is_defined(demo_db):
    from datetime import datetime

    from desta_tui.db.models import Consortium, Membership

    live = Membership.select().where(Membership.archived_at.is_null())
    first, second, third = live.order_by(Membership.id)[:3]
    # a suspended membership, an archived one, and an archived organisation still a member
    Membership.update(status="suspended").where(Membership.id == first.id).execute()
    Membership.update(archived_at=datetime(2020, 1, 1)).where(Membership.id == second.id).execute()
    Organisation.update(archived_at=datetime(2020, 1, 1)).where(
        Organisation.id == third.organisation_id
    ).execute()

    def expected(consortium=None):
        rows = [m for m in live if consortium is None or m.consortium_id == consortium.id]
        active = sum(1 for m in rows if m.status == "active")
        organisations = {m.organisation_id for m in rows if m.organisation.archived_at is None}
        return active, len(organisations)

    summary = dashboard_summary()
    assert (summary.member_count, summary.organisation_count) == expected()
    assert summary.member_count < live.count()  # the suspended one is not counted
    for consortium in Consortium.select():
        summary = dashboard_summary(consortium.uuid)
        assert (summary.member_count, summary.organisation_count) == expected(consortium)
