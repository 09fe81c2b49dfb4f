"""The board pack: its meeting's agenda, decisions due and taken with their tally, the action
log, the risk register, contracts and their money, performance, members by borough."""

from __future__ import annotations

from desta_tui.reports.printing import print_pack
from desta_tui.services.reporting.board_pack import board_pack
from tests.reports.conftest import AMHARIC_NAME, MARKUP_NAME, outline, read_pdf, squash

STANDING = [
    "Welcome and apologies",
    "Declarations of interest",
    "Minutes of the last meeting and matters arising",
    "Action log",
    "Decisions due",
    "Performance exceptions",
    "Risk register",
    "Pipeline",
    "Any other business",
]
"""The board's standing agenda: no board meeting reports on October 2012 in the demo."""


def test_board_pack_prints_its_agenda_in_order(demo_db, markup_member, tmp_path):
    pdf = read_pdf(print_pack("Desta", "2012-10", tmp_path / "board.pdf", board=True))
    positions = [pdf.index(f"{n} {title}\n") for n, title in enumerate(STANDING, start=1)]
    assert positions == sorted(positions)
    assert pdf.index("10 Appendix: members by borough") > positions[-1]
    text = squash(pdf.text)
    assert "Board pack" in pdf.pages[0]
    assert "No Board meeting reporting on October 2012 is in the meetings records" in text
    for figure in ("£670,000", "£337,600", "83%", "Rain Trust"):
        assert figure in text
    assert MARKUP_NAME in pdf.text
    assert AMHARIC_NAME in text
    for label in ("! Amber", "✓ Green", "✗ Red"):
        assert label in text
    total = len(pdf.pages)
    assert 4 <= total <= 10
    assert all(f"Page {n} of {total}" in page for n, page in enumerate(pdf.pages, start=1))
    top = [title for title, _, level in outline(pdf.path) if level == 0]
    assert top[: len(STANDING)] == [f"{n} {t}" for n, t in enumerate(STANDING, start=1)]


def test_decisions_actions_risks_and_money(demo_db, tmp_path):
    pdf = read_pdf(print_pack("Desta", "2012-10", tmp_path / "board.pdf", board=True))
    text = squash(pdf.text)
    due = text[text.index("5.1 Decisions due") : text.index("5.2 Decisions taken")]
    assert "Approve the consortium's budget for 2013/14" in due
    assert "To be decided (due 18/12/2012)" in due
    taken = text[text.index("5.2 Decisions taken in October 2012") :]
    assert "Submit a tender for Adult Social Care Prevention Services (£280,000)" in taken
    assert "Hana Shah (Rain Trust)" in taken  # the proposer
    assert "Carried (for 3, against 1, abstained 1); Quorate: 5 of 7" in taken
    start = text.index("The open actions of every body")
    log = text[start : text.index("5 Decisions due", start)]
    assert "Prepare the tender budget and the partners' allocations" in log
    assert "Send the overdue October return" in log and "Overdue" in log
    risks = text[text.index("7 Risk register") :]
    assert "Westway's enrolments do not recover before year 2 4 x 3 = 12 ✗ Red High SMG chair" in (
        risks
    )
    assert "Late monitoring returns delay the commissioner's payment 2 x 2 = 4 ✓ Green Low" in risks
    money = text[text.index("6.1 Contracts and their money") :]
    assert "£670,000 £337,600 £590,000 £80,000 9" in money
    assert "All contracts £1,550,000 £702,600 £590,000 £960,000" in money


def test_a_board_meeting_on_record_brings_its_attendance(demo_db, tmp_path):
    # the board of 23/10/2012 reports on September
    text = squash(read_pdf(print_pack("Desta", "2012-09", tmp_path / "b.pdf", board=True)).text)
    assert "Quorate: 5 of 7 voting members present (4 needed)" in text
    assert "Selam Farah White City Health Circle Chair" in text
    assert "Attendance sheet: Board, Tuesday 23/10/2012 at 10:00" in text


def test_members_are_grouped_by_borough_with_counts(demo_db, markup_member):
    pack = board_pack("Desta", "2012-10")
    boroughs = [group.borough for group in pack.members_by_borough]
    assert boroughs == sorted(boroughs)
    brent = next(g for g in pack.members_by_borough if g.borough == "Brent")
    assert MARKUP_NAME in [m.name for m in brent.members]
    assert pack.member_count == 38  # the 37 of the case study and the one added here
    assert pack.board_seats == 7
    eps = next(c for c in pack.contracts if c.contract.title == "Expert Patient Service")
    assert (eps.contract.total_value_pence, eps.contract.annual_value_pence, eps.partner_count) == (
        670_000_00,
        337_600_00,
        9,
    )
    # a contract not won is not among them
    assert "Community Health Champions" not in [c.contract.title for c in pack.contracts]
    assert [p.contract_title for p in pack.performance] == ["Expert Patient Service"]
    assert [r.title for r in pack.extras.risks][0].startswith("Westway's enrolments")


def test_the_total_rows_stay_with_the_row_before_them(demo_db):
    from desta_tui.reports.board_pack import story
    from desta_tui.reports.flowables import PagedTable

    def tables(flowables):
        for flowable in flowables:
            if isinstance(flowable, PagedTable):
                yield flowable
            yield from tables(getattr(flowable, "_content", ()))

    found = list(tables(story(board_pack("Desta", "2012-10"))))
    totals = {str(table.rows[-1][0]): table.total_rows for table in found if table.total_rows}
    assert totals == {"All boroughs": 1, "All contracts": 1, "All partners": 1}
