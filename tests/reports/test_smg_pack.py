"""The SMG pack from the demo database: case-study figures, section order, greyscale, scripts."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from desta_tui.reports.printing import print_pack
from desta_tui.reports.smg_pack import SECTIONS
from desta_tui.services.reporting.smg_pack import smg_pack
from tests.reports.conftest import AMHARIC_NAME, MARKUP_NAME, read_pdf, squash


@pytest.fixture
def pack_pdf(demo_db, markup_member, tmp_path):
    return read_pdf(print_pack(None, "2012-10", tmp_path / "pack.pdf"))


def test_case_study_figures_are_printed(pack_pdf):
    text = pack_pdf.text
    for figure in ("£670,000", "£337,600", "Rain Trust", "83%", "Expert Patient Service"):
        assert figure in text, figure
    assert "CaVSA Hammersmith & Fulham" in text  # the hub on the cover
    assert "Tuesday 13/11/2012" in text  # the second Tuesday after October


def test_sections_come_in_the_meeting_order(pack_pdf):
    positions = [pack_pdf.index(f"{n} {name}\n") for n, name in enumerate(SECTIONS, start=1)]
    assert positions == sorted(positions)
    # the cover stands alone; exceptions open page 2
    assert pack_pdf.page_of("Service Management Group meeting pack") == 1
    assert pack_pdf.page_of("1 Exceptions\n") == 2


def test_every_page_numbered_and_stamped(pack_pdf):
    total = len(pack_pdf.pages)
    assert 6 <= total <= 14
    for number, text in enumerate(pack_pdf.pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Printed on 05/11/2012 by test.officer" in text
        assert "Desta Health and Social Care Consortium" in text


def test_rag_reads_in_greyscale_as_symbol_and_word(pack_pdf):
    text = pack_pdf.text
    for label in ("✗ Red", "! Amber", "✓ Green"):
        assert label in text, label


def test_exceptions_name_their_ticket_or_flag_none(pack_pdf):
    exceptions = squash(
        pack_pdf.text[pack_pdf.index("1 Exceptions") : pack_pdf.index("2 Contracts")]
    )
    assert "Westway Wellbeing Project" in exceptions
    assert "T-0001 (Improvement plan)" in exceptions
    assert "NO TICKET" in exceptions


def test_sections_hold_the_demo_facts(pack_pdf):
    text = squash(pack_pdf.text)
    assert "Enrolments far below target since the tutor left" in text  # open ticket
    assert "Replacement tutor trained" in text  # its latest event
    assert "Run two taster sessions at the Westway centre" in text  # action due
    assert "Golborne Community Health Forum Insurance" in text  # expired paper
    assert "Adult Social Care Prevention Services" in text  # pipeline with deadline
    assert "30/11/2012" in text
    missing = text[text.index("7 Returns missing") :]
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

    page = PdfReader(pack_pdf.path).pages[pack_pdf.page_of("£55,000") - 1]
    edges = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() in ("£55,000", "£150,000"):
            size = font_size * cm[0]
            edges.append(tm[4] * cm[0] + cm[4] + stringWidth(text.strip(), DEFAULT_FONT, size))

    page.extract_text(visitor_text=visit)
    assert len(edges) >= 8
    assert max(edges) - min(edges) < 1.0


def test_month_by_month_table_is_on_a_landscape_page(pack_pdf):
    number = pack_pdf.page_of("Enrolments month by month")
    assert pack_pdf.landscape[number - 1]
    assert "Oct 2012" in pack_pdf.pages[number - 1] and "Nov 2011" in pack_pdf.pages[number - 1]
    assert not pack_pdf.landscape[number]  # back to portrait after it
    assert sum(pack_pdf.landscape) == 1


def test_long_partner_table_repeats_its_header(pack_pdf):
    first = pack_pdf.page_of("Each partner: to date")
    last = pack_pdf.page_of("Enrolments month by month") - 1
    assert last > first  # the table runs over several pages
    header = "Partner Metric Target to date Actual to date Achieved RAG"
    for number in range(first, last + 1):
        assert header in squash(pack_pdf.pages[number - 1]), number


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


def test_each_contracts_figures_are_counted_once(demo_db, monkeypatch):
    from desta_tui.services import performance
    from desta_tui.services.reporting import smg_pack as gathering

    counted = []

    def count_once(contract_uuid, up_to=None):
        counted.append(contract_uuid)
        return performance.contract_performance(contract_uuid, up_to=up_to)

    monkeypatch.setattr(gathering, "contract_performance", count_once)
    pack = smg_pack("Desta", "2012-10")
    assert counted == [section.contract.uuid for section in pack.contracts]
    # the exceptions read from those figures are the performance service's own, in its order
    desta = gathering.find_consortium("Desta")
    assert [line.figure for line in pack.exceptions] == performance.performance_exceptions(
        desta.uuid, up_to=pack.period
    )
    assert len(pack.exceptions) >= 2


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


def _month_by_month(partners: int) -> SimpleNamespace:
    """Performance for one counted metric with `partners` partners and its all-partners total,
    twelve months each: what `monthly_story` reads."""
    months = tuple(f"2012-{m:02d}" for m in range(1, 13))

    def row(name: str, sessions: int) -> SimpleNamespace:
        return SimpleNamespace(
            organisation_name=name,
            metric_code="enrol",
            metric_name="Enrolments",
            contract_title="Expert Patient Service",
            unit="count",
            monthly_actuals=(sessions,) * 12,
            months=months,
        )

    rows = [row(f"Partner {n:02d}", n) for n in range(1, partners + 1)]
    total = row("All partners", sum(range(1, partners + 1)))
    return SimpleNamespace(totals=[total], rows=rows)


def test_the_all_partners_row_never_starts_a_page_alone(tmp_path):
    from desta_tui.reports.document import build_pdf
    from desta_tui.reports.smg_pack import monthly_story

    # however many partners, somewhere the table's rows fill a page exactly
    for partners in range(30, 75):
        story = monthly_story(_month_by_month(partners))
        path = build_pdf(tmp_path / f"months-{partners}.pdf", story, title="Months",
                         printed_on=date(2012, 11, 5), printed_by="Hana Tesfaye")  # fmt: skip
        pdf = read_pdf(path)
        last_partner = f"Partner {partners:02d}"
        assert pdf.page_of("All partners") == pdf.page_of(last_partner), partners
        assert [int(n) for n in re.findall(r"Partner (\d\d)", pdf.text)] == list(
            range(1, partners + 1)
        )
