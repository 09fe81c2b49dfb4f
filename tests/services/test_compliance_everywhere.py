"""One paper reads the same everywhere: every place that shows compliance asks domain.compliance.

On the demo database an organisation's DBS check is expiring; a renewed check is added. Each
place that shows the organisation's papers (the members summary and list, the expiring view,
the contract gate, the dashboard, the SMG pack and the member report) must then stop reporting
the old check as expiring, and before and after all of them use the same words for a state.
"""

from __future__ import annotations

from datetime import timedelta

from desta_tui.domain.compliance import EXPIRED, EXPIRING, OK, RENEWED, paper_words, state_words
from desta_tui.services import contracts, members
from desta_tui.services.context import today
from desta_tui.services.dashboard import dashboard_summary
from desta_tui.services.reporting.consortium import default_pack_period
from desta_tui.services.reporting.member_record import member_record
from desta_tui.services.reporting.smg_pack import smg_pack

DBS = "DBS check"


def _expiring_dbs_partner() -> tuple[members.ComplianceInfo, contracts.PartnerRow]:
    """A DBS check that is expiring, of an organisation that partners a contract in delivery."""
    due = [p for p in members.expiring_compliance(members.warning_days()) if p.kind == "dbs_check"]
    for paper in due:
        if paper.state != EXPIRING:
            continue
        for contract in contracts.list_contracts():
            if contract.stage != "in_delivery":
                continue
            for partner in contracts.list_partners(contract.uuid):
                if partner.organisation_uuid == paper.organisation_uuid:
                    return paper, partner
    raise AssertionError("the demo has no partner whose DBS check is expiring")


def _words_everywhere(organisation_uuid: str, organisation_name: str) -> dict[str, list[str]]:
    """What each place says about the organisation's DBS check(s): [] where it says nothing."""
    said: dict[str, list[str]] = {}
    said["members papers"] = [
        p.state_text for p in members.list_compliance(organisation_uuid) if p.kind == "dbs_check"
    ]
    summary = members.organisation_compliance(organisation_uuid)
    said["members summary"] = [summary.detail] if DBS in summary.detail else []
    page = members.list_organisations(organisation_name)
    said["members list"] = [
        row.compliance_detail
        for row in page.rows
        if row.uuid == organisation_uuid and DBS in row.compliance_detail
    ]
    said["expiring papers"] = [
        p.state_text
        for p in members.expiring_compliance(members.warning_days())
        if p.organisation_uuid == organisation_uuid and p.kind == "dbs_check"
    ]
    organisation = _organisation(organisation_uuid)
    gate = contracts.compliance_gaps(organisation) + contracts.papers_expiring(organisation)
    said["contract gate"] = [gap.text for gap in gate if gap.kind == "dbs_check"]
    partners = [
        partner
        for contract in contracts.list_contracts()
        for partner in contracts.list_partners(contract.uuid)
        if partner.organisation_uuid == organisation_uuid
    ]
    said["contract partners"] = [p.papers_text for p in partners if DBS in p.papers_text]
    said["dashboard"] = [
        line.figure
        for line in dashboard_summary().lines
        if line.area == "Compliance"
        and line.opens == ("organisation", organisation_uuid)
        and line.text.endswith(DBS)
    ]
    pack = smg_pack(None, default_pack_period())
    said["smg pack"] = [
        line.state
        for line in pack.compliance
        if line.organisation_name == organisation_name and line.kind == DBS
    ]
    said["member report"] = [
        line.state
        for line in member_record(organisation_uuid).papers
        if line.paper.kind == "dbs_check"
    ]
    return said


def _organisation(uuid: str):
    from desta_tui.db.models import Organisation

    return Organisation.get(Organisation.uuid == uuid)


def test_a_renewed_paper_reads_the_same_everywhere(demo_db):
    paper, partner = _expiring_dbs_partner()
    org_uuid, name = paper.organisation_uuid, paper.organisation_name
    expiring = state_words(EXPIRING, paper.days_left)  # "expiring in 12 days"
    sentence = paper_words("dbs_check", EXPIRING, paper.days_left)  # "DBS check expiring ..."

    before = _words_everywhere(org_uuid, name)
    # every place shows the expiring check, and in the domain's words
    assert all(before.values()), before
    for place in ("members papers", "expiring papers", "dashboard", "smg pack", "member report"):
        assert before[place] == [expiring], (place, before[place])
    for place in ("members summary", "members list", "contract gate", "contract partners"):
        assert before[place] == [sentence], (place, before[place])

    renewed_until = today() + timedelta(days=3 * 365)
    renewal = members.create_compliance_item(
        org_uuid,
        {"kind": "dbs_check", "reference": "DBS-RENEWED", "checked_on": "today",
         "expires_on": renewed_until.strftime("%d/%m/%Y")},
    )  # fmt: skip
    assert renewal.state == OK

    after = _words_everywhere(org_uuid, name)
    # the places that list every paper say the old one is renewed and the new one ok
    for place in ("members papers", "member report"):
        assert sorted(after[place]) == sorted([state_words(RENEWED, None), state_words(OK, 1)])
    # the places that show only what needs attention show nothing for the DBS check now
    for place, words in after.items():
        if place in ("members papers", "member report"):
            continue
        assert words == [], (place, words)
    assert not any("expir" in w for words in after.values() for w in words), after


def test_the_hub_wide_due_list_is_the_domains_judgement(demo_db):
    """The database sifts out papers a later one of their kind renews; what it keeps, and how
    it settles ties on expiry and the standalone kind "other", is the domain's judgement of
    each organisation's papers."""
    from desta_tui.db.models import ComplianceItem, Organisation
    from desta_tui.domain.compliance import Paper, papers_due

    on, within = today(), members.warning_days()
    # organisations with no papers yet, in a fixed order, so what they hold is what is added
    with_papers = ComplianceItem.select(ComplianceItem.organisation)
    live = list(
        Organisation.select()
        .where(Organisation.archived_at.is_null() & Organisation.id.not_in(with_papers))
        .order_by(Organisation.id)
    )
    names = [o.name for o in live]
    # live ones only: an archived organisation may share a live one's name
    uuid_of = {o.name: o.uuid for o in live}

    def add(name: str, kind: str, expires_in: int | None, checked_ago: int = 30) -> None:
        expires = "" if expires_in is None else (on + timedelta(days=expires_in))
        members.create_compliance_item(
            uuid_of[name],
            {"kind": kind, "checked_on": (on - timedelta(days=checked_ago)).strftime("%d/%m/%Y"),
             "expires_on": expires and expires.strftime("%d/%m/%Y")},
        )  # fmt: skip

    add(names[0], "insurance", 5, checked_ago=40)  # a tie on expiry: the later check is current
    add(names[0], "insurance", 5, checked_ago=10)
    add(names[1], "other", -3)  # "other" papers never renew one another
    add(names[1], "other", 20)
    add(names[2], "dbs_check", -10)  # renewed by an open-ended check
    add(names[2], "dbs_check", None)
    add(names[3], "quality_mark", -40, checked_ago=400)  # renewed by one that is itself expiring
    add(names[3], "quality_mark", 9)

    expected = []
    items = (
        ComplianceItem.select()
        .join(Organisation)
        .where(ComplianceItem.archived_at.is_null() & Organisation.archived_at.is_null())
    )
    by_org: dict[int, list[Paper]] = {}
    for item in items.order_by(ComplianceItem.id):
        paper = Paper(item.kind, item.expires_on, item.checked_on, item.created_at, item.uuid)
        by_org.setdefault(item.organisation_id, []).append(paper)
    for papers in by_org.values():
        expected += [
            (paper.ref, state, days) for paper, state, days in papers_due(papers, on, within)
        ]

    found = members.papers_due_among(None, within)
    assert sorted((p.uuid, p.state, p.days_left) for p in found) == sorted(expected)
    counts = members.count_papers_due(None, within)
    assert counts == {
        EXPIRED: sum(1 for _, state, _ in expected if state == EXPIRED),
        EXPIRING: sum(1 for _, state, _ in expected if state == EXPIRING),
    }
    # the tie is one paper, the later-checked one, also when only the first few are read
    tied = [p for p in found if p.organisation_name == names[0] and p.kind == "insurance"]
    assert len(tied) == 1 and tied[0].checked_on == on - timedelta(days=10)
    for limit in (1, found.index(tied[0]) + 1):
        assert members.papers_due_among(None, within, limit=limit) == found[:limit]


def test_an_archived_organisations_papers_are_not_due_anywhere(demo_db):
    """The due papers of an organisation leave the hub-wide list and counts, and those among
    members (the dashboard's), while it is archived: the organisation alone, its papers and
    memberships left live (as another desk's archive may arrive)."""
    from datetime import datetime

    from desta_tui.db.models import Membership, Organisation

    within = members.warning_days()
    member_orgs = Membership.select(Membership.organisation).where(Membership.archived_at.is_null())
    due = members.papers_due_among(member_orgs, within)
    paper = next(p for p in due if p.state == EXPIRED)
    theirs = sum(
        1 for p in due if p.organisation_uuid == paper.organisation_uuid and p.state == EXPIRED
    )

    def counts() -> tuple:
        return (
            members.count_papers_due(None, within)[EXPIRED],
            members.count_papers_due(member_orgs, within)[EXPIRED],
            dashboard_summary().compliance_expired,
        )

    before = counts()
    organisation = Organisation.uuid == paper.organisation_uuid
    Organisation.update(archived_at=datetime(2012, 11, 1, 9, 0)).where(organisation).execute()
    for among in (None, member_orgs):
        assert paper.uuid not in {p.uuid for p in members.papers_due_among(among, within)}
    assert counts() == tuple(count - theirs for count in before)
    Organisation.update(archived_at=None).where(organisation).execute()
    assert counts() == before
