"""A note of 20,000 characters prints whole in every report, over as many pages as it takes;
the meeting pack alone cuts a long log entry short and says the ticket report has the rest."""

from __future__ import annotations

import re

import pytest

from desta_tui.reports.printing import (
    print_contract,
    print_member,
    print_pack,
    print_record,
    print_tickets,
)
from tests.reports.conftest import read_pdf, squash


def huge_note(word: str) -> str:
    """20,000 characters of numbered words (`alpha0001 alpha0002 ...`), told apart by `word`."""
    words, length = [], -1
    while length < 20_000:
        words.append(f"{word}{len(words) + 1:04d}")
        length += len(words[-1]) + 1
    return " ".join(words)


def printed_whole(word: str, text: str) -> bool:
    """True when every word of `huge_note(word)` is in `text`, in order and none missing."""
    found = " ".join(re.findall(rf"{word}\d{{4}}", text))
    return huge_note(word) in found


def test_the_note_is_20000_characters():
    assert len(huge_note("alpha")) >= 20_000


def test_member_report_prints_long_notes_and_their_history(demo_db, tmp_path):
    from desta_tui.services import members

    values = {"name": "Long Notes Trust", "kind": "charity", "borough": "Brent"}
    org = members.create_organisation({**values, "notes": huge_note("alpha")})
    members.update_organisation(org.uuid, {**values, "notes": huge_note("bravo")})
    pdf = read_pdf(print_member("Long Notes Trust", tmp_path / "member.pdf"))
    assert printed_whole("bravo", pdf.text)  # the notes now, and the new value in the history
    assert printed_whole("alpha", pdf.text)  # the old value in the history
    assert len(pdf.pages) > 10


def test_contract_report_prints_a_long_commissioner_contact_note(demo_db, tmp_path):
    from desta_tui.services.contracts import log_commissioner_contact
    from desta_tui.services.reporting.contract_record import find_contract

    contract = find_contract("Expert Patient Service")
    log_commissioner_contact(contract.uuid, {"contacted_on": "01/10/2012", "kind": "meeting",
                                             "with_whom": "Jo Smith",
                                             "notes": huge_note("delta")})  # fmt: skip
    pdf = read_pdf(print_contract("Expert Patient Service", tmp_path / "contract.pdf"))
    assert printed_whole("delta", pdf.text)
    assert pdf.index("Commissioner contacts") < pdf.index("delta0001")
    assert pdf.index("Jo Smith") < pdf.index("delta0001")


@pytest.fixture
def long_ticket_note(demo_db) -> str:
    from desta_tui.services.tickets import TicketFilter, add_ticket_note, list_tickets

    (ticket,) = list_tickets(TicketFilter(text="T-0001"))
    add_ticket_note(ticket.uuid, huge_note("echo"))
    return ticket.uuid


def test_tickets_report_prints_a_long_log_entry(long_ticket_note, tmp_path):
    pdf = read_pdf(print_tickets(True, tmp_path / "tickets.pdf"))
    assert printed_whole("echo", pdf.text)


def test_smg_pack_cuts_a_long_latest_event_and_the_ticket_report_prints_it_whole(demo_db, tmp_path):
    from desta_tui.services.tickets import TicketFilter, add_ticket_note, list_tickets

    before = read_pdf(print_pack(None, "2012-10", tmp_path / "before.pdf"))
    (ticket,) = list_tickets(TicketFilter(text="T-0001"))
    add_ticket_note(ticket.uuid, huge_note("echo"))
    pack = read_pdf(print_pack(None, "2012-10", tmp_path / "pack.pdf"))
    printed = re.findall(r"echo\d{4}", pack.text)
    # the note's first words, in order, about 600 characters of them; the rest is not there
    assert printed == huge_note("echo").split()[: len(printed)]
    assert 400 < len(" ".join(printed)) <= 600
    assert "… (continued in the ticket report)" in squash(pack.text)
    pages = [n for n, page in enumerate(pack.pages, 1) if "ticket report)" in squash(page)]
    assert pages == [pack.page_of("echo0001")]  # the cut note fits on the page it starts on
    assert len(pack.pages) <= len(before.pages) + 1  # not a dozen pages more
    whole = read_pdf(print_record("ticket", ticket.uuid, tmp_path / "ticket.pdf"))
    assert printed_whole("echo", whole.text)
    assert "continued in the ticket report" not in whole.text


def test_tickets_report_prints_a_long_description_and_outcome(demo_db, tmp_path):
    from desta_tui.services.reporting.member_record import find_organisation
    from desta_tui.services.tickets import close_ticket, create_ticket

    provider = find_organisation("Rain Trust")
    ticket = create_ticket({"provider": provider.uuid, "subject": "Long description",
                            "description": huge_note("fox")})  # fmt: skip
    close_ticket(ticket.uuid, huge_note("golf"))
    pdf = read_pdf(print_tickets(False, tmp_path / "tickets.pdf"))
    assert printed_whole("fox", pdf.text)
    assert printed_whole("golf", pdf.text)
