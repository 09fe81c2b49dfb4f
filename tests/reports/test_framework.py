"""The report framework: fonts per script, escaping, page layout, repeated headers, atomic build."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable

from desta_tui.reports.document import build_pdf
from desta_tui.reports.flowables import (
    data_table,
    empty_note,
    heading,
    key_value_table,
    para,
    rag_cell,
    section_break,
    title_block,
)
from desta_tui.reports.styles import (
    ARABIC_FONT,
    BENGALI_FONT,
    DEFAULT_FONT,
    ETHIOPIC_FONT,
    font_runs,
    markup,
)

MARKUP_NAME = "R&D <b>Trust</b> a<b"
POLISH = "Łódź Społeczność"
TURKISH = "Türk Toplumu Derneği Ğ ş ı"
AMHARIC = "የኢትዮጵያ ማህበረሰብ"
BENGALI = "বাংলাদেশ সমিতি"
SOMALI = "Ururka Soomaalida"
ARABIC = "الجالية العربية"
NAMES = [MARKUP_NAME, POLISH, TURKISH, AMHARIC, BENGALI, SOMALI, ARABIC]
RAGS = [("Green", "✓"), ("Amber", "!"), ("Red", "✗"), ("No data", "–")]
PRINTED_ON = date(2012, 11, 5)
HEADERS = ["Ref", "Organisation", "Borough", "Contract value", "Status"]


def _sample_story() -> list[Flowable]:
    story: list[Flowable] = []
    story += title_block("Service Management Group pack", "October 2012")
    story.append(heading("Contract", 1))
    story.append(
        key_value_table(
            [("Contract", "Expert Patient Service"), ("Value", "£670,000"), ("Lead", MARKUP_NAME)]
        )
    )
    story.append(para(f"Paragraph with {MARKUP_NAME} and {POLISH}."))
    story.append(heading("Providers", 1))
    rows = []
    for i in range(120):
        word, symbol = RAGS[i % len(RAGS)]
        rows.append(
            [
                f"Org-{i + 1:03d}",
                NAMES[i % len(NAMES)],
                "Hammersmith & Fulham" if i % 2 else "Brent",
                f"£{(i + 1) * 5_580:,}",
                rag_cell(word, symbol),
            ]
        )
    story += data_table(HEADERS, rows, numeric_cols=(3,))
    story.append(heading("Tickets", 1))
    story.append(empty_note("None this month"))
    story.append(section_break())
    months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
    wide_headers = ["Provider", *(f"{m} 2012" for m in months), "Total"]
    wide_rows = [
        [NAMES[i % len(NAMES)], *(str(i * j % 40) for j in range(12)), "£12,345"] for i in range(10)
    ]
    story += data_table(
        wide_headers,
        wide_rows,
        numeric_cols=range(1, 14),
        landscape_if_wider_than=520,
        title="Wide returns table",
    )
    story.append(heading("Back in portrait", 1))
    story.append(para("The end."))
    return story


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "pack.pdf"
    result = build_pdf(
        path,
        _sample_story(),
        title="Meeting pack",
        subtitle="Service Management Group",
        consortium="Desta Health and Social Care Consortium",
        period="October 2012",
        printed_on=PRINTED_ON,
        printed_by="Hana Tesfaye",
    )
    assert result == path
    return path


@pytest.fixture(scope="module")
def reader(sample_pdf: Path) -> PdfReader:
    return PdfReader(sample_pdf)


@pytest.fixture(scope="module")
def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def _page_fonts(page) -> set[str]:
    fonts = page["/Resources"].get("/Font", {})
    return {str(font.get_object()["/BaseFont"]) for font in fonts.values()}


def test_long_table_spans_pages_and_repeats_its_header(page_texts: list[str]) -> None:
    table_pages = [text for text in page_texts if re.search(r"Org-\d{3}", text)]
    assert len(table_pages) >= 3
    for text in table_pages:
        for header in HEADERS:
            assert header in text
    everything = "\n".join(page_texts)
    for number in range(1, 121):
        assert f"Org-{number:03d}" in everything


def test_wide_table_lands_on_a_landscape_page_and_the_rest_on_portrait(
    reader: PdfReader, page_texts: list[str]
) -> None:
    for page, text in zip(reader.pages, page_texts, strict=True):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if "Wide returns table" in text:
            assert width > height
            assert "Mar 2012" in text  # the last month column fits on the page
        else:
            assert height > width
    assert any("Wide returns table" in text for text in page_texts)
    assert "Back in portrait" in page_texts[-1]


def test_markup_characters_and_latin_names_extract_exactly(page_texts: list[str]) -> None:
    everything = "\n".join(page_texts)
    for name in (MARKUP_NAME, POLISH, TURKISH, SOMALI, AMHARIC, "Hammersmith & Fulham"):
        assert name in everything
    assert "£670,000" in everything
    assert "&amp;" not in everything
    assert "R&D;" not in everything


def test_fonts_for_each_script_are_embedded(reader: PdfReader) -> None:
    fonts: set[str] = set()
    for page in reader.pages:
        fonts |= _page_fonts(page)
    names = " ".join(fonts)
    for wanted in ("DejaVuSans", "NotoSansEthiopic", "NotoSansBengali", "NotoSansArabic"):
        assert wanted in names, fonts
    # only embedded subsets (AAAAAA+Name): no standard font that would print black boxes
    assert all("+" in font for font in fonts), fonts


def test_footer_has_page_x_of_y_and_printed_on(page_texts: list[str]) -> None:
    total = len(page_texts)
    for number, text in enumerate(page_texts, start=1):
        assert f"Page {number} of {total}" in text
        assert "Printed on 05/11/2012 by Hana Tesfaye" in text
        assert "Meeting pack" in text
        assert "Desta Health and Social Care Consortium" in text


def test_rag_cells_show_symbol_and_word(page_texts: list[str]) -> None:
    everything = "\n".join(page_texts)
    for word, symbol in RAGS:
        assert f"{symbol} {word}" in everything


def test_money_column_is_right_aligned(sample_pdf: Path) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    reader = PdfReader(sample_pdf)
    right_edges: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if re.fullmatch(r"£[\d,]+", text.strip()):
            x = tm[4] * cm[0] + cm[4]
            size = font_size * cm[0]
            right_edges.append(x + stringWidth(text.strip(), DEFAULT_FONT, size))

    reader.pages[1].extract_text(visitor_text=visit)
    assert len(right_edges) > 20
    assert max(right_edges) - min(right_edges) < 1.0


def test_pdf_metadata(reader: PdfReader) -> None:
    meta = reader.metadata
    assert meta.title == "Meeting pack"
    assert meta.author == "Hana Tesfaye"
    assert "October 2012" in meta.subject


def test_font_runs_pick_a_font_per_script() -> None:
    assert font_runs(POLISH) == [(DEFAULT_FONT, POLISH)]
    assert font_runs(AMHARIC) == [(ETHIOPIC_FONT, AMHARIC)]
    assert font_runs(BENGALI) == [(BENGALI_FONT, BENGALI)]
    assert font_runs(ARABIC) == [(ARABIC_FONT, ARABIC)]
    assert font_runs("") == []
    runs = font_runs(f"{SOMALI} ({BENGALI}) {AMHARIC}")
    assert [font for font, _ in runs] == [DEFAULT_FONT, BENGALI_FONT, ETHIOPIC_FONT]
    assert "".join(chunk for _, chunk in runs) == f"{SOMALI} ({BENGALI}) {AMHARIC}"
    assert runs[1][1].strip() == f"({BENGALI})"  # brackets stay with their word's script


def test_markup_escapes_and_wraps_runs() -> None:
    assert markup(MARKUP_NAME) == "R&amp;D &lt;b&gt;Trust&lt;/b&gt; a&lt;b"
    assert markup("a\nb") == "a<br/>b"
    assert markup(AMHARIC) == f'<font name="{ETHIOPIC_FONT}">{AMHARIC}</font>'
    assert markup(f"x {AMHARIC}", bold=True) == (
        f'<b>x <font name="{ETHIOPIC_FONT}-Bold">{AMHARIC}</font></b>'
    )


def test_shaped_paragraph_keeps_latin_pieces_in_their_own_font() -> None:
    # reportlab alone shapes a whole word with its first fragment's font (crash or boxes for
    # "UK") and puts an "st" ligature into "Trust"; styles installs a per-font shaper.
    paragraph = para(f"{BENGALI}-UK Trust")
    paragraph.wrap(400, 100)
    pieces = [
        (word.fontName, str(word.text)) for line in paragraph.blPara.lines for word in line.words
    ]
    assert (DEFAULT_FONT, "UK Trust") in pieces
    assert pieces[0][0] == BENGALI_FONT


def test_failed_build_leaves_no_file(tmp_path: Path) -> None:
    class Boom(Flowable):
        def wrap(self, avail_width, avail_height):
            raise RuntimeError("boom")

    target = tmp_path / "pack.pdf"
    with pytest.raises(RuntimeError, match="boom"):
        build_pdf(
            target,
            [para("before"), Boom()],
            title="T",
            printed_on=PRINTED_ON,
            printed_by="X",
        )
    assert list(tmp_path.iterdir()) == []


def test_failed_build_keeps_the_existing_file(tmp_path: Path) -> None:
    class Boom(Flowable):
        def wrap(self, avail_width, avail_height):
            raise RuntimeError("boom")

    target = tmp_path / "pack.pdf"
    build_pdf(target, [para("first version")], title="T", printed_on=PRINTED_ON, printed_by="X")
    before = target.read_bytes()
    with pytest.raises(RuntimeError):
        build_pdf(target, [para("x"), Boom()], title="T", printed_on=PRINTED_ON, printed_by="X")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]


def test_wide_tables_leave_no_blank_pages(tmp_path: Path) -> None:
    headers = [f"Column {n}" for n in range(14)]
    rows = [[f"value {r}-{c}" for c in range(14)] for r in range(5)]
    story: list[Flowable] = []
    story += data_table(headers, rows, landscape_if_wider_than=500, title="First wide")
    story += data_table(headers, rows, landscape_if_wider_than=500, title="Second wide")
    target = build_pdf(
        tmp_path / "wide.pdf", story, title="Wide", printed_on=PRINTED_ON, printed_by="X"
    )
    pages = PdfReader(target).pages
    assert len(pages) == 2
    for page in pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)
        assert "value 4-13" in page.extract_text()


def test_framework_imports_no_ui_or_database() -> None:
    code = (
        "import sys\n"
        "import desta_tui.reports.document, desta_tui.reports.flowables\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'peewee')\n"
        "       or m.startswith(('desta_tui.db', 'desta_tui.services', 'desta_tui.ui'))]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
