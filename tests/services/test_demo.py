"""The demo database reproduces the case study's figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from peewee import fn

from desta_tui.db.database import close_database
from desta_tui.db.models import (
    ComplianceItem,
    Consortium,
    Contract,
    ContractBorough,
    ContractPartner,
    Membership,
    Metric,
    MonthlyReturn,
    SupportTicket,
    Target,
)
from desta_tui.domain.errors import DatabaseError
from desta_tui.services.context import today
from desta_tui.services.demo import apportion, write_demo_database


def members_of(short_name):
    consortium = Consortium.get(Consortium.short_name == short_name)
    return Membership.select().where(Membership.consortium == consortium).count()


def metric_total(code, partner=None):
    query = MonthlyReturn.select(fn.SUM(MonthlyReturn.value)).join(Metric)
    query = query.where(Metric.code == code)
    if partner is not None:
        query = query.where(MonthlyReturn.partner == partner)
    return query.scalar() or 0


def test_consortia_and_membership(demo_db):
    assert members_of("Desta") == 37
    assert members_of("Valens") == 19
    assert Consortium.select().count() == 3


def test_expert_patient_service(demo_db):
    eps = Contract.get(Contract.title == "Expert Patient Service")
    assert eps.total_value_pence == 670_000_00
    assert eps.annual_value_pence == 337_600_00
    assert eps.stage == "in_delivery"
    assert ContractBorough.select().where(ContractBorough.contract == eps).count() == 3
    roles = [p.role for p in ContractPartner.select().where(ContractPartner.contract == eps)]
    assert roles.count("delivery") == 8 and roles.count("support") == 1
    support = ContractPartner.get(
        (ContractPartner.contract == eps) & (ContractPartner.role == "support")
    )
    assert support.organisation.name == "Rain Trust"
    assert eps.commissioner.is_commissioner and "NHS" in eps.commissioner.name


def test_returns_reproduce_the_case_study(demo_db):
    months = {r.period for r in MonthlyReturn.select(MonthlyReturn.period).distinct()}
    assert len(months) >= 12
    enrolment_target = (
        Target.select(fn.SUM(Target.value))
        .join(Metric)
        .where((Metric.code == "enrolments") & Target.period.in_(sorted(months)))
        .scalar()
    )
    assert metric_total("enrolments") / enrolment_target > 0.70
    retention = metric_total("bme_retained") / metric_total("bme_recruited")
    assert round(retention * 100) == 83


def test_one_partner_clearly_behind_with_an_open_ticket(demo_db):
    eps = Contract.get(Contract.title == "Expert Patient Service")
    ratios = {}
    for partner in ContractPartner.select().where(
        (ContractPartner.contract == eps) & (ContractPartner.role == "delivery")
    ):
        months = {r.period for r in partner.returns}
        target = sum(t.value for t in partner.targets.join(Metric).where(
            (Metric.code == "enrolments") & Target.period.in_(sorted(months))))  # fmt: skip
        ratios[partner.organisation.name] = metric_total("enrolments", partner) / target
    behind = [name for name, ratio in ratios.items() if ratio < 0.6]
    assert behind == ["Westway Wellbeing Project"]
    ticket = SupportTicket.get(SupportTicket.status == "open")
    assert ticket.provider.name == "Westway Wellbeing Project"
    assert ticket.support_provider.name == "Rain Trust"


def test_compliance_needs_attention(demo_db):
    now = today()
    expired = ComplianceItem.select().where(ComplianceItem.expires_on < now).count()
    soon = (
        ComplianceItem.select()
        .where(
            (ComplianceItem.expires_on >= now)
            & (ComplianceItem.expires_on <= now + timedelta(days=60))
        )
        .count()
    )
    assert expired == 1
    assert soon >= 2


def test_demo_refuses_to_overwrite_a_real_database(tmp_path):
    from desta_tui.db.database import open_database
    from desta_tui.db.models import Organisation

    real = tmp_path / "real.sqlite3"
    open_database(str(real))
    Organisation.create(name="Our own", name_key="our own")
    close_database()
    before = real.read_bytes()
    with pytest.raises(DatabaseError, match="not a demo one"):
        write_demo_database(str(real))
    assert real.read_bytes() == before
    write_demo_database(str(real), force=True)
    assert members_of("Desta") == 37


def test_demo_overwrites_an_older_demo(tmp_path):
    path = tmp_path / "demo.sqlite3"
    write_demo_database(str(path))
    close_database()
    write_demo_database(str(path))
    assert members_of("Desta") == 37


def test_apportion_keeps_total_and_caps():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    parts = apportion(249, [18, 44, 40, 52, 38, 48, 30, 30], [18, 44, 40, 52, 38, 48, 30, 30])
    assert sum(parts) == 249
    assert all(p <= c for p, c in zip(parts, [18, 44, 40, 52, 38, 48, 30, 30], strict=True))
    with pytest.raises(ValueError):
        apportion(10, [1, 1], [2, 2])


def test_demo_has_the_smg_and_board_meetings(demo_db):
    from desta_tui.services import meetings

    desta = Consortium.get(Consortium.short_name == "Desta").uuid
    rows = {row.title: row for row in meetings.list_meetings(desta)}
    assert {title: row.status for title, row in rows.items()} == {
        "Desta SMG, 11/09/2012": "minutes_approved",
        "Desta SMG, 09/10/2012": "held",
        "Desta SMG, 13/11/2012": "papers_sent",
        "Desta Board, 23/10/2012": "held",
        "Desta Board, 18/12/2012": "planned",
    }
    october = meetings.get_meeting(rows["Desta SMG, 09/10/2012"].uuid)
    assert (len(october.present), len(october.apologies), len(october.observers)) == (7, 2, 1)
    assert october.quorum.is_quorate and october.chair
    [declaration] = october.declarations
    assert declaration.organisation_name == "Westway Wellbeing Project"
    assert declaration.is_withdrawn
    [decision] = october.decisions
    assert decision.outcome == "carried" and decision.is_quorate
    assert decision.tally.text == "For 5, against 0, abstained 1, withdrawn 1"
    assert decision.proposer and decision.seconder
    assert october.minutes and october.meeting.minutes_drafted_on
    september = meetings.get_meeting(rows["Desta SMG, 11/09/2012"].uuid)
    assert september.minutes_approval_meeting.title == "Desta SMG, 09/10/2012"
    # the pack for October's figures is November's meeting: October's minutes go to it for
    # approval, and October's open actions come forward
    pack = meetings.meeting_pack_data(meetings.find_meeting_for_period(desta, "2012-10").uuid)
    assert pack.meeting.title == "Desta SMG, 13/11/2012"
    assert pack.last_meeting.meeting.title == "Desta SMG, 09/10/2012"
    assert any(not a.is_done and a.times_carried == 1 for a in pack.actions_carried)
    assert any(item.carried_from for item in pack.agenda)
    assert pack.apologies
    board = meetings.get_meeting(rows["Desta Board, 23/10/2012"].uuid)
    assert board.decisions[0].outcome == "carried" and board.quorum.is_quorate
    assert len(meetings.list_risks(desta)) == 4
