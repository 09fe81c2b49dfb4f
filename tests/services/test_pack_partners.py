"""The SMG pack's partner tables: the contract screen's partners, their papers left unjudged."""

from __future__ import annotations

from dataclasses import replace

from desta_tui.services.contracts import list_partners, partners
from desta_tui.services.reporting.smg_pack import smg_pack


def test_the_pack_reads_no_papers_for_its_partner_tables(demo_db, monkeypatch):
    """The partner tables print no papers (the pack's compliance part reads its own): judging
    them was 200 organisations' papers read for nothing."""
    asked = []
    read = partners.papers_of

    def papers_of(organisation_ids):
        asked.append(organisation_ids)
        return read(organisation_ids)

    monkeypatch.setattr(partners, "papers_of", papers_of)
    pack = smg_pack("Desta", "2012-10")
    assert pack.contracts and all(section.partners for section in pack.contracts)
    assert asked == []


def test_the_packs_partners_are_the_contract_screens_but_for_their_papers(demo_db):
    pack = smg_pack("Desta", "2012-10")
    screens = [list_partners(section.contract.uuid) for section in pack.contracts]
    # the demo has partners with papers to judge, so the rows differ in those alone
    assert any(row.compliance_gaps or row.papers_due for rows in screens for row in rows)
    unjudged = [
        tuple(replace(row, compliance_gaps=(), papers_due=()) for row in rows) for rows in screens
    ]
    assert [section.partners for section in pack.contracts] == unjudged
