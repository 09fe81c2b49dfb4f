"""The SMG pack from the demo database: case-study figures, the agenda's order, greyscale,
scripts; the meeting's record, exceptions that argue, the RAG grid, charts and bookmarks."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from desta_tui.reports.printing import print_pack
from desta_tui.services.reporting.smg_pack import smg_pack
from tests.reports.conftest import AMHARIC_NAME, MARKUP_NAME, outline, read_pdf, squash

AGENDA = [
    "Welcome and apologies",
    "Declarations of interest",
    "Minutes of the last meeting and matters arising",
    "Performance exceptions",
    "Support tickets",
    "Compliance",
    "Pipeline",
    "Volunteer expenses for course tutors",
    "Expert Patient Service: year 2 target profile",
    "Any other business",
]
"""The November SMG's agenda (it reports on October 2012): standing items, the item carried
forward from October and the one added, any other business last."""


@pytest.fixture
def pack_pdf(demo_db, markup_member, tmp_path):
    return read_pdf(print_pack(None, "2012-10", tmp_path / "pack.pdf"))


def test_case_study_figures_are_printed(pack_pdf):
    text = pack_pdf.text
    for figure in ("£670,000", "£337,600", "Rain Trust", "83%", "Expert Patient Service"):
        assert figure in text, figure
    assert "CaVSA Hammersmith & Fulham" in text  # the hub on the cover
    assert "Tuesday 13/11/2012" in text  # the November meeting


def test_papers_come_in_the_agenda_order_and_the_cover_gives_their_pages(pack_pdf):
    positions = [pack_pdf.index(f"{n} {title}\n") for n, title in enumerate(AGENDA, start=1)]
    assert positions == sorted(positions)
    assert pack_pdf.page_of("Service Management Group meeting pack") == 1
    assert pack_pdf.page_of("1 Welcome and apologies\n") == 2
    cover = squash(pack_pdf.pages[0])
    assert "Tuesday 13/11/2012 at 10:00" in cover and "CaVSA, Hammersmith" in cover
    # each item's line on the cover ends with the page its paper starts on
    titles = [*AGENDA, "Attendance sheet"]
    starts = [cover.index(f" {title}") for title in titles] + [cover.index("Page 1 of")]
    for number, title in enumerate(titles):
        line = cover[starts[number] : starts[number + 1]].strip()
        heading = f"{number + 1} {title}\n" if number < len(AGENDA) else "Attendance sheet: SMG"
        # the page, then the next item's number (the sheet's line has none)
        page = pack_pdf.page_of(heading)
        assert re.search(rf" {page}( {number + 2})?$", line), (title, line)


def test_bookmarks_follow_the_agenda(pack_pdf):
    entries = outline(pack_pdf.path)
    top = [(title, page) for title, page, level in entries if level == 0]
    assert [title for title, _ in top][: len(AGENDA)] == [
        f"{n} {title}" for n, title in enumerate(AGENDA, start=1)
    ]
    assert top[-1][0].startswith("Attendance sheet")
    assert top[-1][1] == len(pack_pdf.pages)
    for title, page, _level in entries:
        # a bookmark opens the page its heading is on
        assert squash(title) in squash(pack_pdf.pages[page - 1]), title
    parts = [title for title, _, level in entries if level == 1]
    assert "4.1 Exceptions" in parts and "4.2 Every partner at a glance" in parts
    assert any(title.startswith("4.4 Enrolments by partner") for title in parts)


def test_every_page_numbered_and_stamped(pack_pdf):
    total = len(pack_pdf.pages)
    assert 8 <= total <= 16
    for number, text in enumerate(pack_pdf.pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Printed on 05/11/2012 by test.officer" in text
        assert "Desta Health and Social Care Consortium" in text


def test_rag_reads_in_greyscale_as_symbol_and_word(pack_pdf):
    text = pack_pdf.text
    for label in ("✗ Red", "! Amber", "✓ Green"):
        assert label in text, label


def _exceptions(pdf) -> str:
    return squash(pdf.text[pdf.index("4.1 Exceptions") : pdf.index("4.2 Every partner")])


def test_exceptions_argue_their_case(pack_pdf):
    exceptions = _exceptions(pack_pdf)
    westway = exceptions[exceptions.index("Westway Wellbeing Project (5 red)") :]
    westway = westway[: westway.index("Polish Social")]
    # why it is behind, what is being done, by whom and by when: from ticket T-0001
    assert "Cause Westway's enrolments are at about 40% of target" in westway
    assert "Action Run two taster sessions at the Westway centre (and 1 more in the plan)" in (
        westway
    )
    assert "Owner Westway Wellbeing Project" in westway
    assert "Recovery by 16/11/2012" in westway
    assert "Support ticket T-0001 (Improvement plan)" in westway
    # the last three months, and the figures behind the status
    assert "Metric Aug 2012 Sep 2012 Oct 2012" in westway
    assert "52 of 130 due by October 2012: 40% (red: under 80%); 13 months of returns" in westway
    assert westway.count("✗ Red") == 15
    # a figure nobody is dealing with says who should act
    polish = exceptions[exceptions.index("Polish Social & Cultural Support") :]
    assert polish.index("NO TICKET") < polish.index(
        "Rain Trust, the contract's support provider, should act"
    )


def test_a_note_typed_on_an_exception_is_its_case(demo_db, tmp_path):
    from desta_tui.services.contracts import list_partners
    from desta_tui.services.performance import note_exception
    from desta_tui.services.reporting.contract_record import find_contract

    contract = find_contract("Expert Patient Service")
    polish = next(
        p for p in list_partners(contract.uuid) if p.organisation_name.startswith("Polish")
    )
    values = {
        "cause": "Two courses ended late: completions count in November.",
        "action": "Count the late completions in the November return",
        "owner": "Polish Social & Cultural Support",
        "recovery_on": "30/11/2012",
    }
    note_exception(contract.uuid, polish.uuid, "completions", "2012-09", values)
    exceptions = _exceptions(read_pdf(print_pack(None, "2012-10", tmp_path / "pack.pdf")))
    block = exceptions[exceptions.index("Polish Social & Cultural Support") :]
    block = block[: block.index("Ethiopian Community")]
    # the note stands for the figure it was typed on, from its month on; the other figure
    # still has nobody on it
    assert "For Completions Cause Two courses ended late: completions count in November." in block
    assert "Owner Polish Social & Cultural Support Recovery by 30/11/2012" in block
    assert "Noted on the exception for September 2012" in block
    assert "For Enrolments NO TICKET" in block


def test_sections_hold_the_demo_facts(pack_pdf):
    text = squash(pack_pdf.text)
    assert "Enrolments far below target since the tutor left" in text  # open ticket
    assert "Replacement tutor trained" in text  # its latest event
    assert "Run two taster sessions at the Westway centre" in text  # action due
    assert "Golborne Community Health Forum Insurance" in text  # expired paper
    assert "Adult Social Care Prevention Services" in text  # pipeline with deadline
    assert "30/11/2012" in text
    missing = text[text.index("4.5 Returns missing") :]
    assert "Church Street Neighbourhood Trust" in missing


def test_names_print_as_typed(pack_pdf):
    text = pack_pdf.text
    assert MARKUP_NAME in text
    assert "INS<7>&1" in text
    assert "&amp;" not in text and "R&D;" not in text
    assert AMHARIC_NAME in squash(text)
    assert "Polish Social & Cultural Support (Łączy Nas)" in squash(text)


def test_money_is_right_aligned_in_the_partner_table(pack_pdf):
    from pypdf import PdfReader
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from desta_tui.reports.styles import DEFAULT_FONT

    edges = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() in ("£55,000", "£150,000"):
            size = font_size * cm[0]
            edges.append(tm[4] * cm[0] + cm[4] + stringWidth(text.strip(), DEFAULT_FONT, size))

    reader = PdfReader(pack_pdf.path)
    for number, page in enumerate(pack_pdf.pages):
        if "£55,000" in page:
            reader.pages[number].extract_text(visitor_text=visit)
    assert len(edges) >= 8
    assert max(edges) - min(edges) < 1.0


def test_month_by_month_adds_up_to_date_with_the_target_due(pack_pdf):
    number = pack_pdf.page_of("Enrolments month by month")
    page = squash(pack_pdf.pages[number - 1])
    assert "Oct '12" in page and "Nov '11" in page and "To date" in page
    # the contract's first month (Oct 2011) before the twelve shown, then the total to date
    assert "All partners 36 51 58 75 75 75 74 73 72 71 70 69 60 859" in page
    assert "Target due 80 80 80" in page and "1,040" in page
    # the charts' heading says where the totals start and which months are drawn
    charts = squash(pack_pdf.pages[pack_pdf.page_of("Enrolments by partner") - 1])
    assert "Enrolments by partner: cumulative since Oct 2011, Nov 2011 to Oct 2012" in charts
    assert not pack_pdf.landscape[number]  # back to portrait after it
    assert sum(pack_pdf.landscape) <= 1


def test_every_partner_on_one_page(pack_pdf):
    number = pack_pdf.page_of("4.2 Every partner at a glance")
    page = squash(pack_pdf.pages[number - 1])
    grid = page[page.index("4.2 Every partner") : page.index("Each cell:")]
    names = ("Church Street Neighbourhood Trust", "Fulham Carers' Network",
             "Westway Wellbeing Project", "White City Health Circle", "All partners")  # fmt: skip
    for name in names:
        assert name in grid, name
    # symbol and word in each cell, and the share of the target achieved
    assert grid.count("✗ Red") == 6 and grid.count("! Amber") == 12
    assert "Westway Wellbeing Project ✗ Red 40% ✗ Red 39%" in grid


def test_charts_are_drawn_in_lines_and_markers(pack_pdf):
    from pypdf import PdfReader

    number = pack_pdf.page_of("4.4 Enrolments by partner")
    content = PdfReader(pack_pdf.path).pages[number - 1].get_contents().get_data()
    assert len(re.findall(rb"[\d.]+ [\d.]+ l\b", content)) > 100  # line segments drawn
    assert b"[4 2.5] 0 d" in content  # the target dashed: it reads in greyscale too
    text = squash(" ".join(pack_pdf.pages[number - 1 : number + 1]))
    assert "Westway Wellbeing Project ✗ Red 40%" in text
    assert "delivered, cumulative" in text and "target trajectory, cumulative" in text


def test_the_meeting_is_in_the_pack(pack_pdf):
    text = squash(pack_pdf.text)
    assert "Quorum: 5 of the 9 voting members (half of the voting members, and at least 3)" in text
    assert "Apologies Name Organisation Role Ayşe Ionescu Golborne Community Health Forum" in text
    assert "Chair of the Rain Trust is a trustee of Golborne Community Health Forum" in text
    # the last meeting's minutes, its decision with proposer, seconder and the tally
    minutes = text[text.index("3.1 Minutes of the Desta SMG, 09/10/2012") :]
    assert "Put to this meeting for approval as a true record." in minutes
    assert "Selam Farah (White City Health Circle)" in minutes
    assert "Farhan Abebe (Fulham Carers' Network)" in minutes
    assert "Carried (for 5, against 0, abstained 1, withdrawn 1)" in minutes
    # matters arising: actions carried forward with owner, due date and times carried
    start = text.index("3.2 Matters arising")
    arising = text[start : text.index("4 Performance exceptions", start)]
    assert (
        "Send the overdue October return Desta SMG, 09/10/2012 Church Street Neighbourhood "
        "Trust 19/10/2012 Once Overdue" in arising
    )
    assert "Recruit and train a replacement tutor for Westway" in arising
    assert "2 times" in arising
    # a motion still to be decided, the item carried forward, any other business
    assert "Agree the year 2 target profile for the Expert Patient Service" in text
    assert "To be decided (due 13/11/2012)" in text
    assert "Carried forward from the Desta SMG, 09/10/2012" in text
    assert "To consider declaring (delivery partner on Expert Patient Service)" in text
    assert "10 Any other business" in text
    # the attendance sheet to sign, on the last page
    sheet = squash(pack_pdf.pages[-1])
    assert "Attendance sheet: SMG, Tuesday 13/11/2012 at 10:00" in sheet
    assert "Signature" in sheet and "Westway Wellbeing Project" in sheet


def test_declarations_made_at_the_meeting(demo_db, tmp_path):
    # the October meeting reports on September: Westway declared and withdrew from its item
    text = squash(read_pdf(print_pack(None, "2012-09", tmp_path / "september.pdf")).text)
    assert "Quorate: 7 of 9 voting members present (5 needed)" in text
    declared = text[text.index("Declared for this meeting") :]
    assert "Westway Wellbeing Project: recovery of enrolments" in declared
    assert "The ticket is about Westway's own delivery. Withdrew" in declared
    assert "The ticket is about Westway's own delivery. and withdrew from the item." in text
    assert "Carried (for 5, against 0, abstained 1, withdrawn 1); Quorate: 6 of 9" in text


def test_a_month_with_no_meeting_follows_the_standing_agenda(demo_db, tmp_path):
    pdf = read_pdf(print_pack(None, "2012-06", tmp_path / "june.pdf"))
    cover = squash(pdf.pages[0])
    assert "No SMG meeting reporting on June 2012 is in the meetings records" in cover
    standing = ["Welcome and apologies", "Declarations of interest",
                "Minutes of the last meeting and matters arising", "Performance exceptions",
                "Support tickets", "Compliance", "Pipeline", "Any other business"]  # fmt: skip
    positions = [pdf.index(f"{n} {title}\n") for n, title in enumerate(standing, start=1)]
    assert positions == sorted(positions)


def test_a_paper_whose_item_is_off_the_agenda_comes_after_it(demo_db, tmp_path):
    from desta_tui.services.meetings import (
        find_meeting_for_period,
        get_meeting,
        remove_agenda_item,
    )
    from desta_tui.services.reporting.consortium import find_consortium

    meeting = find_meeting_for_period(find_consortium("Desta").uuid, "2012-10")
    item = next(i for i in get_meeting(meeting.uuid).agenda if i.kind == "performance")
    remove_agenda_item(item.uuid)
    pdf = read_pdf(print_pack(None, "2012-10", tmp_path / "pack.pdf"))
    assert pdf.index("9 Any other business\n") < pdf.index("10 Performance: exceptions")
    assert "4.1 Exceptions" not in pdf.text and "10.1 Exceptions" in pdf.text


def test_pack_data_has_no_figures_invented(demo_db):
    pack = smg_pack("Desta", "2012-10")
    (eps,) = pack.contracts
    assert eps.contract.total_value_pence == 670_000_00
    assert len(eps.partners) == 9
    retention = next(t for t in eps.performance.totals if t.metric_code == "bme_retention")
    assert retention.actual_text == "83%"
    assert [m.organisation_name for m in pack.missing_returns] == [
        "Church Street Neighbourhood Trust"
    ]
    assert [a.action.description for a in pack.actions][0].startswith("Run two taster")
    # the chart's trajectory adds up to the figures to date
    enrolments = next(t for t in eps.performance.totals if t.metric_code == "enrolments")
    assert eps.trajectory.total.actual_total == enrolments.actual_to_date == 859


def _without_sparklines_row(row):
    return dataclasses.replace(row, monthly_actuals=(), months=())


def _without_sparklines(performance):
    return dataclasses.replace(
        performance,
        rows=[_without_sparklines_row(row) for row in performance.rows],
        totals=[_without_sparklines_row(row) for row in performance.totals],
    )


def test_each_contracts_figures_are_counted_once(demo_db, monkeypatch):
    from desta_tui.services import performance
    from desta_tui.services.reporting import smg_pack as gathering

    counted = []

    def count_once(contracts, up_to=None, **options):
        counted.extend(contract.uuid for contract in contracts.contracts)
        return performance.contracts_performance(contracts, up_to=up_to, **options)

    monkeypatch.setattr(gathering, "contracts_performance", count_once)
    pack = smg_pack("Desta", "2012-10")
    assert counted == [section.contract.uuid for section in pack.contracts]
    # the figures are the service's own, without the sparklines a pack does not print
    assert [s.performance for s in pack.contracts] == [
        _without_sparklines(performance.contract_performance(s.contract.uuid, up_to=pack.period))
        for s in pack.contracts
    ]
    assert all(not row.monthly_actuals for s in pack.contracts for row in s.performance.rows)
    # the exceptions read from those figures are the performance service's own, in its order
    desta = gathering.find_consortium("Desta")
    assert [line.figure for line in pack.exceptions] == [
        _without_sparklines_row(row)
        for row in performance.performance_exceptions(desta.uuid, up_to=pack.period)
    ]
    assert len(pack.exceptions) >= 2


def test_the_contracts_metrics_and_partners_are_looked_up_once(demo_db, monkeypatch):
    from desta_tui.services import performance
    from desta_tui.services.performance import figures, metrics, trajectory

    looked_up = []
    read = metrics._partner_refs_by_contract

    def partners(contract_ids, in_order=True):
        looked_up.append(list(contract_ids))
        return read(contract_ids, in_order)

    for module in (metrics, figures, trajectory):
        monkeypatch.setattr(module, "_partner_refs_by_contract", partners)
    pack = smg_pack("Desta", "2012-10")
    assert len(pack.exceptions) >= 2  # the earlier months' statuses were read too
    assert len(looked_up) == 1
    # and the figures are those each count gives when it looks them up itself
    monkeypatch.undo()
    uuids = [s.contract.uuid for s in pack.contracts]
    assert [s.performance for s in pack.contracts] == performance.contracts_performance(
        uuids, pack.period, with_sparklines=False
    )
    assert [s.trajectory for s in pack.contracts] == performance.contracts_trajectories(
        uuids, pack.period
    )
    known = pack.contracts[0].counted
    month = pack.period.shift(-1)
    assert performance.partner_statuses(known, month) == performance.partner_statuses(uuids, month)


def test_a_page_renders_and_reads_in_greyscale(pack_pdf, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (Debian package poppler-utils)")
    done = subprocess.run(
        ["pdftoppm", "-png", "-gray", "-r", "40", "-f", "2", "-l", "2", str(pack_pdf.path),
         str(tmp_path / "page")],
        capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert any(p.stat().st_size > 1000 for p in Path(tmp_path).glob("page*.png"))


def _month_by_month(partners: int):
    """Enrolments month by month with `partners` partners over twelve months: what
    `monthly_story` reads."""
    from desta_tui.domain.periods import Period
    from desta_tui.services.performance import ContractTrajectories, Trajectory

    months = tuple(Period(2012, m) for m in range(1, 13))

    def row(name: str, sessions: int) -> Trajectory:
        return Trajectory(name, None, (sessions,) * 12, (sessions,) * 12)

    rows = tuple(row(f"Partner {n:02d}", n) for n in range(1, partners + 1))
    total = row("All partners", sum(range(1, partners + 1)))
    return ContractTrajectories("uuid", "Expert Patient Service", "enrolments", "Enrolments",
                                months, rows, total)  # fmt: skip


def test_the_all_partners_row_never_starts_a_page_alone(tmp_path):
    from desta_tui.reports.document import build_pdf
    from desta_tui.reports.performance_papers import monthly_story

    # however many partners, somewhere the table's rows fill a page exactly
    for partners in range(30, 75):
        story = monthly_story(_month_by_month(partners))
        path = build_pdf(tmp_path / f"months-{partners}.pdf", story, title="Months",
                         printed_on=date(2012, 11, 5), printed_by="Hana Tesfaye")  # fmt: skip
        pdf = read_pdf(path)
        last_partner = f"Partner {partners:02d}"
        assert pdf.page_of("All partners") == pdf.page_of(last_partner), partners
        assert pdf.page_of("Target due") == pdf.page_of(last_partner), partners
        assert [int(n) for n in re.findall(r"Partner (\d\d)", pdf.text)] == list(
            range(1, partners + 1)
        )


def test_a_big_contract_draws_the_partners_behind_target(tmp_path):
    from types import SimpleNamespace

    from desta_tui.domain.periods import Period
    from desta_tui.domain.rag import Rag, RagResult
    from desta_tui.reports.document import build_pdf
    from desta_tui.reports.performance_papers import MOST_CHARTS, partner_charts
    from desta_tui.services.performance import ContractTrajectories, Trajectory

    months = tuple(Period(2012, m) for m in range(1, 13))
    partners = tuple(
        Trajectory(f"Partner {n:02d}", f"org-{n}", (n,) * 12, (n,) * 12) for n in range(40)
    )
    trajectory = ContractTrajectories("uuid", "Big", "enrolments", "Enrolments", months,
                                      partners, partners[0])  # fmt: skip
    behind = {f"org-{n}" for n in range(0, 40, 4)}  # ten partners red
    rows = [SimpleNamespace(metric_code="enrolments", organisation_uuid=p.organisation_uuid,
                            rag=RagResult(Rag.RED if p.organisation_uuid in behind else Rag.GREEN,
                                          None)) for p in partners]  # fmt: skip
    story = partner_charts(trajectory, SimpleNamespace(rows=rows), "4.4")
    pdf = read_pdf(build_pdf(tmp_path / "big.pdf", story, title="Big",
                             printed_on=date(2012, 11, 5), printed_by="test"))  # fmt: skip
    drawn = sorted(set(re.findall(r"Partner (\d\d)", pdf.text)))
    assert drawn == [f"{n:02d}" for n in range(0, 40, 4)]
    assert f"30 partners not drawn: the first {MOST_CHARTS} behind target are" in squash(pdf.text)
