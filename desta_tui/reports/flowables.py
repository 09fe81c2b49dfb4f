"""Story helpers that take plain values: escaped paragraphs, headings, data tables, RAG cells."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    PageBreakIfNotEmpty,
    Paragraph,
    Table,
)

from desta_tui.reports.document import (
    LANDSCAPE,
    LANDSCAPE_FRAME_WIDTH,
    PORTRAIT,
    PORTRAIT_FRAME_WIDTH,
)
from desta_tui.reports.laid_out import LaidParagraph, LaidTable, build_token
from desta_tui.reports.paged_table import BoldText, PagedTable, cell_styles
from desta_tui.reports.styles import (
    BOLD_FONT,
    CELL_FONT_SIZE,
    CELL_LEADING,
    CELL_PAD_BOTTOM,
    CELL_PAD_TOP,
    CELL_PAD_X,
    DEFAULT_FONT,
    INK,
    RULE,
    get_style,
    in_default_font,
    is_bold,
    key_value_table_style,
    markup,
    style_for_text,
    text_width,
)

__all__ = [
    "BoldText",
    "MarkedHeading",
    "PageRef",
    "PagedTable",
    "RagCell",
    "cell",
    "data_table",
    "empty_note",
    "heading",
    "key_value_table",
    "para",
    "rag_cell",
    "section_break",
    "title_block",
]

CellValue = str | int | float | Flowable | None

_HEADING_STYLES = {0: "title", 1: "heading1", 2: "heading2"}
_CELL_PAD = 2 * CELL_PAD_X  # left + right padding of a table cell
_MIN_COL = 28.0  # narrowest auto column, in points
_LONGEST_WORD_SHARE = 0.3
"""A column shrunk to fit the page claims at most this share of it for its longest word: a long
unbroken name wraps inside its column instead of squeezing the others to a letter each."""
_WIDEST_SHARE = 0.5
"""... and asks for at most half the page, so the room left is shared out fairly."""
_KEY_VALUE_LEAST_PART = 2 * CELL_LEADING + CELL_PAD_TOP + CELL_PAD_BOTTOM


_PARSED_LIMIT = 4096
_parsed: dict[tuple[str, ParagraphStyle], tuple[str, list]] = {}
"""Paragraph markup already parsed, by text and style: its cleaned text and fragments."""


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """reportlab's `Paragraph(text, style)`, its markup parsed once per text and style: a pack
    repeats the same labels and notes hundreds of times ("NO TICKET"; a thousand paragraphs,
    three hundred different), and reportlab takes parsed fragments as they are (`frags`),
    reading them when it lays a paragraph out, never changing them."""
    found = _parsed.get((text, style))
    if found is None:
        made = LaidParagraph(text, style)
        if len(_parsed) < _PARSED_LIMIT:
            _parsed[(text, style)] = (made.text, made.frags)
        return made
    return LaidParagraph(found[0], style, frags=found[1])


def para(text: str, style: str | ParagraphStyle = "body") -> Paragraph:
    """A paragraph of plain text (escaped, one font per script run) in a named style."""
    base = get_style(style)
    text = "" if text is None else str(text)
    return paragraph(markup(text, bold=is_bold(base)), style_for_text(base, text))


def heading(
    text: str, level: int = 1, *, bookmark: str = "", outline: str = "", outline_level: int = 0
) -> Paragraph:
    """A heading: level 0 is the report title, 1 a section, 2 a sub-section.

    With `bookmark`, the heading is a place in the PDF: its page can be cited (`PageRef`) and,
    with `outline` (the words in the viewer's bookmarks pane), it is an outline entry at
    `outline_level` (0 a paper, 1 a part of one).
    """
    try:
        style = get_style(_HEADING_STYLES[level])
    except KeyError:
        raise ValueError(f"heading level must be 0, 1 or 2, not {level!r}") from None
    text = "" if text is None else str(text)
    if not bookmark:
        return para(text, style)
    return MarkedHeading(
        markup(text, bold=is_bold(style)),
        style_for_text(style, text),
        key=bookmark,
        outline=outline,
        outline_level=outline_level if outline else -1,
    )


class MarkedHeading(LaidParagraph):
    """A heading that marks its place: a PDF destination, an outline entry, a citable page."""

    def __init__(
        self, text: str, style: ParagraphStyle, *, key: str, outline: str, outline_level: int
    ) -> None:
        super().__init__(text, style)
        self.key = key
        self.outline = outline
        self.outline_level = outline_level

    def draw(self) -> None:
        mark = getattr(self.canv, "mark_place", None)
        if mark is not None:
            mark(self.key, self.outline, self.outline_level, 0, self.height)
        super().draw()


class PageRef(Flowable):
    """The number of the page a bookmarked place is on (see `heading`), right-aligned: known
    only when the whole pack is laid out, so the canvas fills it in at the end."""

    def __init__(self, key: str, width: float = 26.0, bold: bool = False) -> None:
        super().__init__()
        self.key = key
        self.width = self.natural_width = width
        self.height = CELL_LEADING
        self.bold = bold

    def __repr__(self) -> str:
        return f"PageRef({self.key!r})"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        page_ref = getattr(self.canv, "page_ref", None)
        if page_ref is None:
            return
        self.canv.saveState()
        # where a one-line cell puts its baseline: one font size below its top
        self.canv.translate(0, self.height - CELL_FONT_SIZE)
        page_ref(self.key, self.width, CELL_FONT_SIZE, self.bold)
        self.canv.restoreState()


def title_block(title: str, subtitle: str = "") -> list[Flowable]:
    """The report title at the top of page one, with an optional subtitle line under it."""
    story: list[Flowable] = [para(title, "title")]
    if subtitle:
        story.append(para(subtitle, "subtitle"))
    return story


def empty_note(text: str = "None this month.") -> Paragraph:
    """A quiet italic line for an empty section, e.g. "None this month"."""
    return para(text, "note")


def section_break() -> Flowable:
    """A thin full-width rule with space around it, between sections."""
    return HRFlowable(
        width="100%", thickness=0.5, color=RULE, spaceBefore=6, spaceAfter=8, hAlign="CENTER"
    )


def cell(value: CellValue, *, header: bool = False, right: bool = False) -> Flowable:
    """A table cell: a flowable is kept, None is blank, anything else becomes escaped text.

    `BoldText` prints bold, like a header cell.
    """
    if isinstance(value, Flowable):
        return value
    text = "" if value is None else str(value)
    if header:
        style = get_style("cell_header_right" if right else "cell_header")
    elif isinstance(value, BoldText):
        style = get_style("cell_label_right" if right else "cell_label")
    else:
        style = get_style("cell_right" if right else "cell")
    return paragraph(markup(text, bold=is_bold(style)), style_for_text(style, text))


def _line_width(text: str, bold: bool) -> float:
    """Width in points of the longest line of `text` in a table cell."""
    if "\n" not in text:
        return text_width(text, CELL_FONT_SIZE, bold)
    return max(text_width(line, CELL_FONT_SIZE, bold) for line in text.split("\n"))


_GAPS = re.compile(r"[^\S\n\xa0]+")
"""Where a line may break: a run of white space other than a newline or a no-break space."""


def _wrapped(text: str, width: float, bold: bool) -> str | None:
    """`text` broken into lines no wider than `width` points, between words and greedily as a
    paragraph breaks them; None when a word alone is wider (a paragraph would split the word).

    As in a paragraph, runs of spaces and tabs print as one space and a newline starts a new
    line. A paragraph lets a line run past its width by 5% of a space per word (its space
    shrinkage, meant for justified text); these lines never cross the cell's padding.
    """
    sources = [_GAPS.sub(" ", line).strip(" ") for line in text.split("\n")]
    if len(sources) > 1 and not sources[-1]:
        sources.pop()  # a newline at the very end ends the last line; it adds no empty one
    if all(text_width(line, CELL_FONT_SIZE, bold) <= width for line in sources):
        return "\n".join(sources)
    space = text_width(" ", CELL_FONT_SIZE, bold)
    lines: list[str] = []
    for source in sources:
        line: list[str] = []
        used = 0.0
        for word in source.split(" ") if source else ():
            word_width = text_width(word, CELL_FONT_SIZE, bold)
            if word_width > width:
                return None
            if line and used + space + word_width > width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used += word_width + (space if line else 0.0)
            line.append(word)
        lines.append(" ".join(line))
    return "\n".join(lines)


def _plain_lines(text: str, width: float, bold: bool) -> str | None:
    """`text` in lines as a cell `width` wide prints it; None when it needs a paragraph."""
    if not in_default_font(text):
        return None
    return _wrapped(text.replace("\r\n", "\n"), width, bold)


_SHORT = 120
_plain_lines_short = functools.lru_cache(maxsize=8192)(_plain_lines)
"""`_plain_lines` remembered for short texts: a column repeats the same names, roles, dates
and sums row after row (long notes are rarely repeated, and would fill the memory)."""


def _table_cell(value: CellValue, inner_width: float, *, header: bool, right: bool) -> Any:
    """A cell for `PagedTable`. Text in DejaVu Sans stays a plain string, broken into lines
    here: reportlab draws it as typed (no markup parsed, so nothing to escape) without building
    a paragraph. Other scripts, and words too long for their column, become paragraphs."""
    if isinstance(value, Flowable):
        return value
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    bold = header or isinstance(value, BoldText)
    lines = (_plain_lines_short if len(text) <= _SHORT else _plain_lines)(text, inner_width, bold)
    if lines is not None:
        return BoldText(lines) if isinstance(value, BoldText) else lines
    return cell(value, header=header, right=right)


# --- RAG -------------------------------------------------------------------------------------

# word -> (fill, border width, border dash, bold). The fills are tints whose greys differ
# (about 66%, 84%, 95% light), and the border differs too: solid heavy, dashed, none. With the
# symbol and the word itself, a RAG status never rests on colour alone.
_RAG_LOOK: dict[str, tuple[colors.Color, float, tuple[float, ...] | None, bool]] = {
    "red": (colors.Color(0.93, 0.55, 0.55), 1.4, None, True),
    "amber": (colors.Color(1.0, 0.83, 0.45), 0.9, (2.5, 1.5), False),
    "green": (colors.Color(0.91, 0.97, 0.91), 0.0, None, False),
}
_RAG_OTHER = (colors.white, 0.5, (1, 1.5), False)


class RagCell(Flowable):
    """A red/amber/green badge that reads in greyscale: symbol + word, shade and border.

    Red is bold on a mid-grey tint with a heavy solid border; Amber on a light tint with a
    dashed border; Green on a near-white tint with no border. Any other word gets a dotted
    border and no fill. A `detail` (the percentage achieved) goes on a second line.
    """

    PAD_X = 3.0
    PAD_Y = 1.5

    def __init__(self, word: str, symbol: str = "", detail: str = "") -> None:
        # a pack has thousands of badges in a few dozen looks: each look worked out once
        self.__dict__.update(_badge_fields(word, symbol, detail))

    def _set_up(self, word: str, symbol: str, detail: str) -> None:
        super().__init__()
        self.word = str(word or "")
        self.symbol = str(symbol or "")
        self.detail = str(detail or "")
        self.fill, self.border, self.dash, self.bold = _RAG_LOOK.get(
            self.word.strip().lower(), _RAG_OTHER
        )
        self.text = f"{self.symbol} {self.word}".strip()
        self._style = get_style("cell_label" if self.bold else "cell")
        self._text_width = text_width(self.text, self._style.fontSize, bold=self.bold)
        self._detail_width = text_width(self.detail, self._style.fontSize) if self.detail else 0
        self.natural_width = max(self._text_width, self._detail_width) + 2 * self.PAD_X + 2
        self._para: Paragraph | None = None
        self._plain = True
        # the build and width it last laid out as one line in (laid_out: a table measures a
        # badge, then draws it)
        self._one_line_at: tuple[object, float] | None = None

    def __repr__(self) -> str:
        return f"RagCell({self.word!r}, {self.symbol!r})"

    def _one_line(self) -> bool:
        """True when the badge prints as one line of DejaVu text (no paragraph needed)."""
        room = self.width - 2 * self.PAD_X
        return (
            self._text_width <= room
            and self._detail_width <= room
            and in_default_font(self.text + self.detail)
        )

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        token = build_token()
        if token is not None and self._one_line_at == (token, avail_width):
            return self.width, self.height  # one line does not depend on the height
        self.width = max(min(self.natural_width, avail_width), 2 * self.PAD_X + 1)
        self._plain = self._one_line()
        self._one_line_at = (token, avail_width) if self._plain and token is not None else None
        if self._plain:
            h = self._style.leading * (2 if self.detail else 1)
        else:
            if self._para is None:
                text = markup(self.text, bold=self.bold)
                if self.detail:
                    text += "<br/>" + markup(self.detail)
                self._para = Paragraph(text, style_for_text(self._style, self.text + self.detail))
            _, h = self._para.wrap(self.width - 2 * self.PAD_X, avail_height)
        self.height = h + 2 * self.PAD_Y
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.fill)
        if self.border:
            canv.setStrokeColor(INK)
            canv.setLineWidth(self.border)
            if self.dash:
                canv.setDash(*self.dash)
        inset = self.border / 2
        canv.rect(
            inset,
            inset,
            self.width - 2 * inset,
            self.height - 2 * inset,
            stroke=1 if self.border else 0,
            fill=1,
        )
        canv.restoreState()
        if self._plain:
            # where a one-line paragraph puts its baseline: one font size below its top
            canv.saveState()
            canv.setFillColor(self._style.textColor)
            canv.setFont(BOLD_FONT if self.bold else DEFAULT_FONT, self._style.fontSize)
            baseline = self.height - self.PAD_Y - self._style.fontSize
            canv.drawString(self.PAD_X, baseline, self.text)
            if self.detail:
                canv.setFont(DEFAULT_FONT, self._style.fontSize)
                canv.drawString(self.PAD_X, baseline - self._style.leading, self.detail)
            canv.restoreState()
        else:
            self._para.drawOn(canv, self.PAD_X, self.PAD_Y)


@functools.lru_cache(maxsize=1024)
def _badge_fields(word: str, symbol: str, detail: str) -> dict[str, Any]:
    """A new badge's attributes as first set up (laying one out replaces, never changes, them)."""
    badge = object.__new__(RagCell)
    badge._set_up(word, symbol, detail)
    return badge.__dict__


def rag_cell(word: str, symbol: str = "", detail: str = "") -> RagCell:
    """A RAG status for a table cell or the story, e.g. `rag_cell("Red", "▲")`; `detail` (such
    as the percentage achieved) prints on a second line."""
    return RagCell(word, symbol, detail)


# --- tables ----------------------------------------------------------------------------------


def _cell_text(value: CellValue) -> str:
    return "" if value is None or isinstance(value, Flowable) else str(value)


def _natural_widths(
    headers: Sequence[CellValue], rows: Sequence[Sequence[CellValue]]
) -> list[float]:
    """Per column: the width its longest line needs."""
    natural: list[float] = []
    for col in range(len(headers)):
        best = _line_width(_cell_text(headers[col]), bold=True)
        texts: set[tuple[str, bool]] = set()  # each measured once: columns repeat dates, states
        for row in rows:
            value = row[col]
            if isinstance(value, Flowable):
                best = max(best, float(getattr(value, "natural_width", 60.0)))
            elif value is not None and value != "":
                text = value if isinstance(value, str) else str(value)
                texts.add((text, isinstance(value, BoldText)))
        for text, bold in texts:
            best = max(best, _line_width(text, bold))
        natural.append(best + _CELL_PAD + 1)
    return natural


def _word_widths(headers: Sequence[CellValue], rows: Sequence[Sequence[CellValue]]) -> list[float]:
    """Per column: the width its longest word needs (a column narrower breaks words)."""
    minimum: list[float] = []
    for col in range(len(headers)):
        words = {(w, True) for w in _cell_text(headers[col]).split()}
        widest_flowable = 0.0
        for row in rows:
            value = row[col]
            if isinstance(value, Flowable):
                widest_flowable = max(widest_flowable, getattr(value, "natural_width", 60.0))
            elif value is not None:
                bold = isinstance(value, BoldText)
                words.update((w, bold) for w in str(value).split())
        word = max((text_width(w, CELL_FONT_SIZE, bold) for w, bold in words), default=0.0)
        minimum.append(max(max(word, widest_flowable) + _CELL_PAD + 1, _MIN_COL))
    return minimum


def _fit_widths(
    natural: list[float],
    minimum: list[float],
    available: float,
    rigid: set[int] = frozenset(),
) -> list[float]:
    """Stretch the natural widths to fill `available`, or shrink them down to it.

    Shrinking keeps the `rigid` columns (numbers, money: short cells whose headers should not
    wrap) whole when it can, gives every other column the width of its longest word, then
    shares out the rest in proportion to how much more each column would like.
    """
    total = sum(natural)
    if total <= available:
        return [w * available / total for w in natural]
    floor = [min(m, n) for m, n in zip(minimum, natural, strict=True)]
    firm = [n if i in rigid else f for i, (n, f) in enumerate(zip(natural, floor, strict=True))]
    if sum(firm) < available:
        floor = firm
    floor_total = sum(floor)
    if floor_total >= available:
        return [w * available / floor_total for w in floor]
    wants = [n - f for n, f in zip(natural, floor, strict=True)]
    spare = available - floor_total
    want_total = sum(wants) or 1.0
    return [f + w * spare / want_total for f, w in zip(floor, wants, strict=True)]


def data_table(
    headers: Sequence[CellValue],
    rows: Iterable[Sequence[CellValue]],
    col_widths: Sequence[float] | None = None,
    numeric_cols: Iterable[int] = (),
    repeat_header: bool = True,
    landscape_if_wider_than: float | None = None,
    *,
    title: str | None = None,
    total_rows: int = 0,
) -> list[Flowable]:
    """A data table as story flowables: dark header row (repeated on every page), zebra rows.

    `rows` hold plain values (str, numbers, None) or flowables such as `rag_cell(...)`.
    Columns in `numeric_cols` are right-aligned: pass money already formatted ("£670,000").
    Without `col_widths`, widths come from the text: stretched to the page width, or shrunk to
    it without breaking words where possible. When the table's width (given, or natural) is
    more than `landscape_if_wider_than` points, the table goes on landscape page(s) and the
    story returns to portrait after it; pass `title` to keep a heading with it there.
    The last `total_rows` rows are totals: a page never starts with them alone. A row taller
    than a page continues on the next one.
    """
    rows = [list(row) for row in rows]
    ncols = len(headers)
    for number, row in enumerate(rows, start=1):
        if len(row) > ncols:
            raise ValueError(f"row {number} has {len(row)} cells for {ncols} headers")
        row.extend([None] * (ncols - len(row)))
    numeric = {c if c >= 0 else ncols + c for c in numeric_cols}

    if col_widths is not None:
        if len(col_widths) != ncols:
            raise ValueError(f"{len(col_widths)} column widths for {ncols} headers")
        wanted = float(sum(col_widths))
    else:
        natural = _natural_widths(headers, rows)
        wanted = sum(natural)
    landscape = landscape_if_wider_than is not None and wanted > landscape_if_wider_than
    available = LANDSCAPE_FRAME_WIDTH if landscape else PORTRAIT_FRAME_WIDTH
    if col_widths is None:
        # the longest words matter only when the columns must shrink to fit the page
        if wanted > available:
            widest_word = max(available * _LONGEST_WORD_SHARE, _MIN_COL)
            minimum = [min(m, widest_word) for m in _word_widths(headers, rows)]
            natural = [min(n, available * _WIDEST_SHARE) for n in natural]
        else:
            minimum = natural
        widths = _fit_widths(natural, minimum, available, numeric)
    else:
        widths = list(col_widths)
        if wanted > available:  # never spill off the page
            widths = [w * available / wanted for w in widths]

    inner = [w - _CELL_PAD for w in widths]
    columns = [(inner[i], i in numeric) for i in range(ncols)]
    header_cells = [
        _table_cell(h, w, header=True, right=r) for h, (w, r) in zip(headers, columns, strict=True)
    ]
    body = [
        [_table_cell(v, w, header=False, right=r) for v, (w, r) in zip(row, columns, strict=True)]
        for row in rows
    ]
    table = PagedTable(
        header_cells,
        body,
        widths,
        numeric_cols=sorted(numeric),
        repeat_header=repeat_header,
        total_rows=total_rows,
        space_after=8,
    )
    story: list[Flowable] = []
    if landscape:
        story.append(PageBreakIfNotEmpty(LANDSCAPE))
    if title:
        story.append(heading(title, 2))
    story.append(table)
    if landscape:
        story.append(PageBreakIfNotEmpty(PORTRAIT))
    return story


def key_value_table(
    pairs: Iterable[tuple[CellValue, CellValue]], label_width: float | None = None
) -> Table:
    """Label/value rows (contract details, contact card): bold labels in a grey column."""
    pairs = [(label, value) for label, value in pairs]
    size = get_style("cell_label").fontSize
    if label_width is None:
        longest = max((text_width(_cell_text(k), size, bold=True) for k, _ in pairs), default=0)
        label_width = min(longest + _CELL_PAD + 2, PORTRAIT_FRAME_WIDTH * 0.35)
    data = [
        [
            label
            if isinstance(label, Flowable)
            else paragraph(
                markup(_cell_text(label), bold=True),
                style_for_text("cell_label", _cell_text(label)),
            ),
            cell(value),
        ]
        for label, value in pairs
    ]
    if not data:
        data = [["", ""]]
    # every cell styled alike: one style a column, shared by every row (as a PagedTable's)
    shared, rest = cell_styles(key_value_table_style(), data, 0, 2)
    return LaidTable(
        data,
        colWidths=[label_width, PORTRAIT_FRAME_WIDTH - label_width],
        style=rest,
        cellStyles=shared,
        hAlign="LEFT",
        spaceAfter=8,
        # a long note may be taller than a page: a row reaching past the foot of the page is
        # cut between its lines (at least two on each side), as a paragraph would be
        splitByRow=0,
        splitInRow=_KEY_VALUE_LEAST_PART,
    )
