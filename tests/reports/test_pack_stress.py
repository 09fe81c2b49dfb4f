"""Real data that used to break the pack: 200-character names (one a single unbroken word),
20,000-character notes everywhere a pack prints text. The pack stays within two pages of the
plain one, its running header one line high, and no column is squeezed to a letter."""

from __future__ import annotations

import pytest

from desta_tui.reports.printing import print_pack
from tests.reports.conftest import read_pdf, squash
from tests.reports.test_long_text import huge_note

LONG_WORDS = ("Westway Wellbeing Project for the Residents of the Golborne, Dalgarno and "
              "Notting Barns Wards of North Kensington, with the Carers, Volunteers and Friends "
              "of the Westway Centre and its Garden, 1987 AD")  # fmt: skip
UNBROKEN = "Polish" + "Ł" * 194
CONSORTIUM = ("Desta Health and Social Care Consortium of the Voluntary and Community Sector "
              "Organisations Serving the Eight Boroughs of North West London and the City of "
              "Westminster, Est 2008 (the Desta Consortium)")  # fmt: skip


@pytest.fixture
def plain_pages(demo_db, tmp_path) -> int:
    return len(read_pdf(print_pack(None, "2012-10", tmp_path / "plain.pdf")).pages)


def _stress(demo_db) -> None:
    """Long names and long notes, through the services where they let them be typed."""
    from desta_tui.db.models import Consortium, Organisation
    from desta_tui.services.contracts import list_partners
    from desta_tui.services.meetings import (
        find_meeting_for_period,
        get_meeting,
        note_action_progress,
        update_agenda_item,
    )
    from desta_tui.services.performance import note_exception
    from desta_tui.services.reporting.consortium import find_consortium
    from desta_tui.services.reporting.contract_record import find_contract
    from desta_tui.services.tickets import TicketFilter, add_ticket_note, list_tickets

    assert len(LONG_WORDS) == 200 and len(UNBROKEN) == 200 and len(CONSORTIUM) == 200
    desta = find_consortium("Desta")
    meeting = find_meeting_for_period(desta.uuid, "2012-10")
    detail = get_meeting(meeting.uuid)
    item = next(i for i in detail.agenda if i.title.startswith("Expert Patient Service"))
    update_agenda_item(item.uuid, {"kind": item.kind, "title": item.title,
                                   "description": huge_note("alpha")})  # fmt: skip
    for action in detail.actions_carried:
        if not action.is_done:
            note_action_progress(action.uuid, huge_note("bravo"))
    (ticket,) = list_tickets(TicketFilter(text="T-0001"))
    add_ticket_note(ticket.uuid, huge_note("charlie"))
    contract = find_contract("Expert Patient Service")
    golborne = next(
        p for p in list_partners(contract.uuid) if p.organisation_name.startswith("Golborne")
    )
    note_exception(contract.uuid, golborne.uuid, "enrolments", "2012-10",
                   {"cause": "x" * 600, "action": "y " * 300, "owner": "z" * 120})  # fmt: skip
    # names at the longest a form takes (200 characters), set as a merge or an import would
    Organisation.update(name=LONG_WORDS).where(
        Organisation.name == "Westway Wellbeing Project"
    ).execute()
    Organisation.update(name=UNBROKEN).where(Organisation.name.startswith("Polish")).execute()
    Consortium.update(name=CONSORTIUM).where(Consortium.short_name == "Desta").execute()


def test_long_names_and_notes_stay_within_two_pages_of_the_plain_pack(
    demo_db, plain_pages, tmp_path
):
    _stress(demo_db)
    pdf = read_pdf(print_pack(None, "2012-10", tmp_path / "stress.pdf"))
    assert len(pdf.pages) <= plain_pages + 2, (len(pdf.pages), plain_pages)
    text = squash(pdf.text)
    # the long texts are cut, and say where the rest is
    assert "alpha0001" in text and "alpha2000" not in text
    assert "bravo0001" in text and "bravo2000" not in text
    assert "… (continued in the meeting's record)" in text
    assert "… (continued in the ticket report)" in text
    # the names are all there (wrapped, never lost), the case typed on Golborne too
    assert squash(LONG_WORDS) in text
    assert "z" * 120 in text.replace(" ", "")


def test_the_running_header_stays_one_line(demo_db, tmp_path):
    _stress(demo_db)
    pdf = read_pdf(print_pack(None, "2012-10", tmp_path / "stress.pdf"))
    for page in pdf.pages:
        header = page.splitlines()[:4]
        # title, month; consortium cut with an ellipsis, month: four short lines
        assert header[0] == "SMG meeting pack" and header[1] == "October 2012", header
        assert header[2].strip().endswith("…") and len(header[2]) < 90, header
        assert header[3].strip() == "October 2012", header


def test_a_long_unbroken_name_wraps_inside_its_column(demo_db, tmp_path):
    from pypdf import PdfReader

    _stress(demo_db)
    path = print_pack(None, "2012-10", tmp_path / "stress.pdf")
    pdf = read_pdf(path)
    page = pdf.page_of("Partners\n")
    lines = pdf.pages[page - 1].splitlines()
    # the other columns keep their words whole beside it
    assert "Hammersmith & Fulham" in lines and "£55,000" in lines
    # no line of the page is a single letter (a column squeezed to nothing)
    reader = PdfReader(path)
    widths = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.startswith("ŁŁŁ"):
            widths.append(len(text))

    reader.pages[page - 1].extract_text(visitor_text=visit)
    assert widths and max(widths) < 60  # the name broken into lines of its column's width
    assert all(len(line.strip()) != 1 for line in lines if line.strip() not in "–-|")
