"""Single reports: a member, a contract, the tickets, each whole and with its history."""

from __future__ import annotations

import re

import pytest

from desta_tui.domain.errors import DestaError
from desta_tui.reports.printing import print_contract, print_member, print_record, print_tickets
from desta_tui.services.reporting.contract_record import find_contract
from desta_tui.services.reporting.member_record import find_organisation
from tests.reports.conftest import AMHARIC_NAME, MARKUP_NAME, read_pdf, squash


def test_member_report_has_the_record_and_its_history(demo_db, markup_member, tmp_path):
    pdf = read_pdf(print_member(MARKUP_NAME, tmp_path / "member.pdf"))
    text = squash(pdf.text)
    assert MARKUP_NAME in pdf.text
    assert "&amp;" not in pdf.text
    for part in ("Memberships", "Contacts", "Compliance papers", "Contracts", "History"):
        assert f"\n{part}\n" in pdf.text, part
    assert "Desta Health and Social Care Consortium" in text
    assert "INS<7>&1" in text and "expiring in 15 days" in text
    # the phone change, old -> new, who made it
    assert "020 7946 0001" in text and "020 7946 0002" in text
    assert "test.officer" in text
    assert "Changed" in text and "Created" in text
    # the heading travels with its table (landscape page), and parts are named, not by uuid
    assert pdf.page_of("\nHistory\n") == pdf.page_of("020 7946 0001")
    history = squash(pdf.text[pdf.index("\nHistory\n") :])
    assert "Membership Created Consortium" in history


def test_member_report_prints_a_non_latin_name(demo_db, tmp_path):
    pdf = read_pdf(print_member("Ethiopian Community", tmp_path / "m.pdf"))
    assert AMHARIC_NAME in squash(pdf.text)
    assert "Expert Patient Service" in squash(pdf.text)
    assert "£55,000" in pdf.text


def test_contract_report_has_values_partners_stages_figures(demo_db, tmp_path):
    pdf = read_pdf(print_contract("expert patient service", tmp_path / "c.pdf"))
    text = squash(pdf.text)
    for figure in ("£670,000", "£337,600", "Rain Trust", "83%", "INWL-EPS-2011"):
        assert figure in text
    assert "Dialogue with commissioner" in text and "In delivery" in text
    assert "T-0001" in text and "T-0002" in text
    for label in ("✗ Red", "! Amber", "✓ Green"):
        assert label in text
    for part in ("Partners", "Stages", "Performance", "Support tickets", "History"):
        assert f"\n{part}\n" in pdf.text, part


def test_contract_report_history_shows_old_and_new(demo_db, tmp_path):
    from desta_tui.db.database import db
    from desta_tui.db.models import Contract
    from desta_tui.services.audit import update_record

    contract = Contract.get(Contract.uuid == find_contract("Carers' Support Hub").uuid)
    with db.atomic():
        update_record(contract, annual_value_pence=80_000_00)
    pdf = read_pdf(print_contract("Carers' Support Hub", tmp_path / "c.pdf"))
    text = squash(pdf.text)
    assert "£75,000.00" in text and "£80,000.00" in text  # old -> new in the history
    assert "Annual value" in text


def test_tickets_report_open_and_all(demo_db, tmp_path):
    everything = read_pdf(print_tickets(False, tmp_path / "all.pdf"))
    text = squash(everything.text)
    assert "T-0001" in text and "T-0002" in text
    assert "Replacement tutor trained" in text  # the whole log
    assert "Ticket opened from the SMG" in text
    assert "Returns template simplified" in text  # the closed one's outcome
    assert "Recruit and train a replacement tutor" in text
    assert "31/05/2012 ()" not in text and "Due 31/05/2012" in text  # closed: no "due in"
    only_open = read_pdf(print_tickets(True, tmp_path / "open.pdf"))
    assert "T-0001" in only_open.text and "T-0002" not in only_open.text
    assert "Open support tickets" in only_open.pages[0]


def test_print_record_each_kind(demo_db, markup_member, tmp_path):
    from desta_tui.services.tickets import TicketFilter, list_tickets

    member = read_pdf(print_record("member", markup_member, tmp_path))
    assert member.path.parent == tmp_path and member.path.name.startswith("desta-member-")
    assert MARKUP_NAME in member.text
    contract = read_pdf(print_record("contract", find_contract("Expert Patient Service").uuid))
    assert contract.path.name == "desta-contract-expert-patient-service.pdf"
    (ticket,) = list_tickets(TicketFilter(text="T-0001"))
    single = read_pdf(print_record("ticket", ticket.uuid, tmp_path / "t.pdf"))
    assert "Support ticket T-0001" in single.pages[0]
    with pytest.raises(DestaError):
        print_record("invoice", ticket.uuid)


def test_names_that_match_nothing_or_many_say_so(demo_db):
    with pytest.raises(DestaError, match="No member organisation is called 'Nobody'"):
        find_organisation("Nobody")
    with pytest.raises(DestaError, match="several organisations"):
        find_organisation("Trust")
    with pytest.raises(DestaError, match="No contract is called"):
        find_contract("Nothing like it")
    assert find_organisation("rain trust").name == "Rain Trust"


def _too_tall_story(*_args):
    from reportlab.platypus import Spacer

    return [Spacer(10, 5_000)]  # cannot be split: reportlab's LayoutError


@pytest.mark.parametrize(
    ("kind", "name"), [("member", "Rain Trust"), ("contract", "Expert Patient Service")]
)
def test_a_report_that_cannot_be_laid_out_says_so_in_one_sentence(
    demo_db, tmp_path, monkeypatch, kind, name
):
    from desta_tui.reports import contract_report, member_report

    if kind == "member":
        report, uuid = member_report, find_organisation(name).uuid
    else:
        report, uuid = contract_report, find_contract(name).uuid
    monkeypatch.setattr(report, "story", _too_tall_story)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "r.pdf"
    target.write_bytes(b"the earlier copy")
    with pytest.raises(DestaError) as raised:
        print_record(kind, uuid, target)
    assert re.fullmatch(
        rf"Cannot write {re.escape(str(target))}: something in it is too large for a page "
        r"\(at page \d+\); nothing was written\.",
        str(raised.value),
    )
    assert target.read_bytes() == b"the earlier copy"  # the earlier file is left as it was
    assert [p.name for p in folder.iterdir()] == ["r.pdf"]  # and no half-written one
