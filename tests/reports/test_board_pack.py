"""The board pack: members by borough, contracts and values, pipeline, performance summary."""

from __future__ import annotations

from desta_tui.reports.board_pack import SECTIONS
from desta_tui.reports.printing import print_pack
from desta_tui.services.reporting.board_pack import board_pack
from tests.reports.conftest import AMHARIC_NAME, MARKUP_NAME, read_pdf, squash


def test_board_pack_prints_its_sections_in_order(demo_db, markup_member, tmp_path):
    pdf = read_pdf(print_pack("Desta", "2012-10", tmp_path / "board.pdf", board=True))
    positions = [pdf.index(f"{n} {name}\n") for n, name in enumerate(SECTIONS, start=1)]
    assert positions == sorted(positions)
    text = squash(pdf.text)
    assert "Board pack" in pdf.pages[0]
    for figure in ("£670,000", "£337,600", "83%", "Rain Trust"):
        assert figure in text
    assert MARKUP_NAME in pdf.text
    assert AMHARIC_NAME in text
    for label in ("! Amber", "✓ Green"):
        assert label in text
    total = len(pdf.pages)
    assert 3 <= total <= 8
    assert all(f"Page {n} of {total}" in page for n, page in enumerate(pdf.pages, start=1))


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


def test_the_total_rows_stay_with_the_row_before_them(demo_db):
    from desta_tui.reports.board_pack import story
    from desta_tui.reports.flowables import PagedTable

    tables = [f for f in story(board_pack("Desta", "2012-10")) if isinstance(f, PagedTable)]
    totals = {table.rows[-1][0]: table.total_rows for table in tables if table.total_rows}
    assert totals == {"All boroughs": 1, "All contracts": 1}
