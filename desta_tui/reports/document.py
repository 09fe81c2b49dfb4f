"""Report pages (A4 portrait and landscape, header, footer, "Page x of y") and build_pdf."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
)

from desta_tui.paths import create_private_file
from desta_tui.reports.laid_out import laying_out
from desta_tui.reports.paged_table import PagedTable
from desta_tui.reports.styles import (
    BOLD_FONT,
    DEFAULT_FONT,
    INK,
    MUTED,
    RULE,
    ensure_fonts,
    fit_text,
    get_style,
    markup,
    style_for_text,
)

__all__ = [
    "LANDSCAPE",
    "LANDSCAPE_FRAME_WIDTH",
    "PORTRAIT",
    "PORTRAIT_FRAME_WIDTH",
    "KeptTogether",
    "NumberedCanvas",
    "ReportDocument",
    "build_pdf",
    "format_printed_on",
]

PORTRAIT = "portrait"
"""Id of the A4 portrait page template (the default)."""
LANDSCAPE = "landscape"
"""Id of the A4 landscape page template, for wide tables."""

MARGIN = 16 * mm
TOP_MARGIN = 24 * mm  # the running header sits in here
BOTTOM_MARGIN = 18 * mm  # the footer sits in here
HEADER_TOP = 9 * mm  # from the top edge to the top of the header text
FOOTER_BASELINE = 10 * mm  # from the bottom edge

PORTRAIT_SIZE = A4
LANDSCAPE_SIZE = landscape(A4)
PORTRAIT_FRAME_WIDTH = PORTRAIT_SIZE[0] - 2 * MARGIN
"""Width in points available to flowables on a portrait page."""
LANDSCAPE_FRAME_WIDTH = LANDSCAPE_SIZE[0] - 2 * MARGIN
"""Width in points available to flowables on a landscape page."""

FOOTER_FONT_SIZE = 7.5
HEADER_LINE = 10.0
"""Each line of the running header: one line high, always (long names end in an ellipsis)."""
TABLE_START_HEIGHT = 70.0
"""Room a heading wants under it for the start of a table (header row and a few rows)."""


def format_printed_on(day: date) -> str:
    """`dd/mm/yyyy`, the UK form used everywhere the user reads a date."""
    return day.strftime("%d/%m/%Y")


class NumberedCanvas(Canvas):
    """A canvas that writes "Page x of y" on every page once the page count is known.

    Pages are kept until `save()`, then each is finished with its number and the total
    (the classic two-pass canvasmaker). Each page keeps its own size, so landscape pages get
    their number in their own bottom-right corner.

    It also holds the pack's bookmarks: `mark_place` (called by `flowables.Bookmark`) notes a
    place, which becomes a PDF destination and an outline entry when its page is finished
    (a destination made at once would name the wrong page: no page is finished until the end);
    `page_ref` prints the number of the page a place is on, wherever it is asked for, even
    before the place is reached (a form filled in at the end: the agenda on the cover).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_page_states: list[dict[str, Any]] = []
        # shared by every saved page state (a dict copy keeps the same object)
        self._places: dict[str, int] = {}
        self._marks: dict[int, list[tuple[str, str, int, float, float]]] = {}
        self._page_refs: dict[str, tuple[float, float, bool]] = {}

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._saved_page_states.append(dict(self.__dict__))
        self._startPage()

    def mark_place(self, key: str, title: str, level: int, x: float, y: float) -> None:
        """A place on this page: `key` for page references, `title` in the PDF outline at
        `level` (0 a paper, 1 a part of one; -1: no outline entry), (x, y) its top left in
        the flowable's own space."""
        left, top = self.absolutePosition(x, y)
        self._places.setdefault(key, self._pageNumber)
        self._marks.setdefault(self._pageNumber, []).append((key, title, level, left, top))

    def page_ref(self, key: str, width: float, size: float, bold: bool = False) -> None:
        """Draw, right-aligned in `width` points from here, the number of the page `key`'s
        place is on (a dash when the pack has no such place)."""
        self._page_refs.setdefault(key, (width, size, bold))
        self.doForm(_page_ref_form(key))

    def save(self) -> None:
        total = len(self._saved_page_states)
        deepest = -1  # an outline level may go one deeper than the entry before it, no more
        for state in self._saved_page_states:
            self.__dict__.update(state)
            self.draw_page_number(total)
            for key, title, level, left, top in self._marks.get(self._pageNumber, ()):
                self.bookmarkPage(key, fit="XYZ", left=left, top=top)
                if level >= 0:
                    deepest = min(level, deepest + 1)
                    self.addOutlineEntry(title, key, deepest)
            super().showPage()
        for key, (width, size, bold) in self._page_refs.items():
            self.beginForm(_page_ref_form(key))
            self.setFont(BOLD_FONT if bold else DEFAULT_FONT, size)
            self.setFillColor(INK)
            page = self._places.get(key)
            self.drawRightString(width, 0, str(page) if page else "–")
            self.endForm()
        if self._marks:
            self.showOutline()
        super().save()

    def draw_page_number(self, total: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setFont(DEFAULT_FONT, FOOTER_FONT_SIZE)
        self.setFillColor(MUTED)
        self.drawRightString(width - MARGIN, FOOTER_BASELINE, f"Page {self._pageNumber} of {total}")
        self.restoreState()


def _page_ref_form(key: str) -> str:
    return "pageref-" + "".join(c if c.isalnum() else "-" for c in key)


class KeptTogether(KeepTogether):
    """reportlab's KeepTogether, measured without copying the page's frame when nothing in
    it can touch the frame.

    reportlab measures a kept block against a deep copy of the frame, so that a flowable
    inside it adding to the frame as it is laid out (a conditional page break) changes the
    copy alone. Paragraphs and tables (ours, whose cells are text, paragraphs and badges)
    neither read nor add to the frame: measured with no frame at all, they give the same
    heights and the same page breaks, without a copy for each block (~242 in a pack).
    """

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        document = getattr(getattr(self, "canv", None), "_doctemplate", None)
        frame = getattr(document, "frame", None)
        if frame is None or not all(isinstance(f, _FRAME_FREE) for f in self._content):
            return super().wrap(aW, aH)
        document.frame = None  # reportlab's measure copies the frame only when there is one
        try:
            return super().wrap(aW, aH)
        finally:
            document.frame = frame


_FRAME_FREE = (Paragraph, Table, PagedTable)
"""Flowables whose layout neither reads nor adds to the frame they are laid out in."""


class ReportDocument(BaseDocTemplate):
    """A4 report: portrait and landscape page templates, running header and footer.

    Header: report title (and subtitle) on the left, consortium and period on the right.
    Footer: "Printed on dd/mm/yyyy by NAME" on the left, "Page x of y" on the right.
    Switch to landscape for wide content with `PageBreakIfNotEmpty(LANDSCAPE)` (what
    `flowables.data_table` does); it does not leave an empty page behind.
    """

    keepTogetherClass = KeptTogether  # noqa: N815 (reportlab's name)

    def __init__(
        self,
        filename: str | os.PathLike[str] | Any,
        *,
        title: str,
        subtitle: str = "",
        consortium: str = "",
        period: str = "",
        printed_on: date,
        printed_by: str,
        author: str | None = None,
        subject: str | None = None,
        keywords: Iterable[str] = (),
        first_template: str = PORTRAIT,
    ) -> None:
        ensure_fonts()
        self.report_title = title
        self.report_subtitle = subtitle
        self.consortium = consortium
        self.period = period
        self.printed_on = printed_on
        self.printed_by = printed_by
        if hasattr(filename, "__fspath__"):
            filename = os.fspath(filename)
        super().__init__(
            filename,
            pagesize=PORTRAIT_SIZE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            title=title,
            author=author if author is not None else printed_by,
            subject=subject
            if subject is not None
            else " · ".join(part for part in (subtitle, consortium, period) if part),
            creator="Desta hub desk",
            keywords=list(keywords),
            lang="en-GB",
            initialFontName=DEFAULT_FONT,
        )
        self.addPageTemplates(
            [
                self._template(PORTRAIT, PORTRAIT_SIZE),
                self._template(LANDSCAPE, LANDSCAPE_SIZE),
            ]
        )
        if first_template != PORTRAIT:
            self._firstPageTemplateIndex = [t.id for t in self.pageTemplates].index(first_template)

    def _template(self, template_id: str, size: tuple[float, float]) -> PageTemplate:
        width, height = size
        frame = Frame(
            MARGIN,
            BOTTOM_MARGIN,
            width - 2 * MARGIN,
            height - TOP_MARGIN - BOTTOM_MARGIN,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=f"{template_id}-body",
        )
        return PageTemplate(
            id=template_id, frames=[frame], onPage=self._decorate_page, pagesize=size
        )

    def _paragraph(self, text: str, style: str, bold: bool = False) -> Paragraph:
        return Paragraph(markup(text, bold=bold), style_for_text(style, text))

    def _decorate_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Draw the running header and the left part of the footer on the current page.

        Header, left: title (bold) over subtitle; right: consortium over period.
        """
        width, height = canv._pagesize
        # drawn once per page size as a form that every page of that size shows: the same
        # marks, without laying five paragraphs out again on each of a pack's 180 pages
        name = f"furniture-{width:g}x{height:g}"
        made = canv.__dict__.setdefault("_furniture_forms", set())
        canv.saveState()
        if name not in made:
            made.add(name)
            canv.beginForm(name)
            self._draw_furniture(canv, width, height)
            canv.endForm()
        canv.doForm(name)
        canv.restoreState()

    def _draw_furniture(self, canv: Canvas, width: float, height: float) -> None:
        blocks, rule_y = self._page_furniture(width, height)
        canv.saveState()
        for block, x, y in blocks:
            block.drawOn(canv, x, y)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, rule_y, width - MARGIN, rule_y)
        canv.line(MARGIN, FOOTER_BASELINE + 9, width - MARGIN, FOOTER_BASELINE + 9)
        canv.restoreState()

    def _page_furniture(
        self, width: float, height: float
    ) -> tuple[list[tuple[Paragraph, float, float]], float]:
        """The header and footer paragraphs placed on a page of this size, and the header
        rule's height: laid out once per page size, as every page of a report repeats them
        (a pack of 140 pages would lay out 600 paragraphs)."""
        cache = self.__dict__.setdefault("_furniture", {})
        if (width, height) in cache:
            return cache[(width, height)]
        inner = width - 2 * MARGIN
        gap = 12
        left_width = (inner - gap) * 0.5
        top = height - HEADER_TOP
        lowest = top
        blocks = []
        columns = (
            (MARGIN, [(self.report_title, True), (self.report_subtitle, False)], "page_header"),
            (
                MARGIN + left_width + gap,
                [(self.consortium, False), (self.period, False)],
                "page_header_right",
            ),
        )
        for x, lines, style in columns:
            y = top
            for text, bold in lines:
                if not text:
                    continue
                # one line each, whatever the name: the header never grows into the page
                size = get_style(style).fontSize
                block = self._paragraph(fit_text(text, left_width, size, bold), style, bold=bold)
                block.wrap(left_width, TOP_MARGIN)
                y -= HEADER_LINE
                blocks.append((block, x, y))
            lowest = min(lowest, y)
        footer_text = f"Printed on {format_printed_on(self.printed_on)} by {self.printed_by}"
        size = get_style("page_footer").fontSize
        footer = self._paragraph(fit_text(footer_text, inner * 0.75, size), "page_footer")
        footer.wrap(inner * 0.75, BOTTOM_MARGIN)
        blocks.append((footer, MARGIN, FOOTER_BASELINE - 2))
        cache[(width, height)] = blocks, lowest - 3
        return cache[(width, height)]

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:  # noqa: N802
        """Keep headings with the start of a table, not with the whole table.

        reportlab wraps "heading + next flowable" in a KeepTogether, which pushes a heading
        and a long table to a new page whenever the whole table does not fit, leaving most of
        a page empty. Before a table, a conditional page break asks only for room for the
        headings plus the table's first rows; the table then splits as usual.
        """
        count = 0
        while (
            count < len(flowables)
            and flowables[count].getKeepWithNext()
            and not getattr(flowables[count], "locChanger", False)
        ):
            count += 1
        if count and count < len(flowables) and isinstance(flowables[count], (Table, PagedTable)):
            table = flowables[count]
            needed = TABLE_START_HEIGHT
            if isinstance(table, PagedTable):
                # its first row whole, when a row is tall (a ticket's latest events)
                needed = max(needed, table.start_height(self.frame._aH / 3))
            for flowable in flowables[:count]:
                _, h = flowable.wrap(self.frame._aW, self.frame._aH)
                needed += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
                flowable.__dict__["keepWithNext"] = 0
            flowables.insert(0, CondPageBreak(needed))
            return
        if count and count < len(flowables) and isinstance(flowables[count], KeepTogether):
            # reportlab will not put a KeepTogether in another: the headings join its content
            for flowable in flowables[:count]:
                flowable.__dict__["keepWithNext"] = 0
            joined = KeptTogether([*flowables[:count], *flowables[count]._content])
            del flowables[: count + 1]
            flowables.insert(0, joined)
            return
        super().handle_keepWithNext(flowables)

    def build(self, flowables: list[Flowable], **kwargs: Any) -> None:  # type: ignore[override]
        kwargs.setdefault("canvasmaker", NumberedCanvas)
        with laying_out():
            super().build(flowables, **kwargs)


def _move_beside(tmp: Path, target: Path) -> None:
    """Give the finished file its name unless a file has it already (FileExistsError): a hard
    link takes a name only if it is free, in one step; where links cannot be made, a check
    just before the move stands in."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def build_pdf(
    path: str | os.PathLike[str],
    story: Iterable[Flowable],
    *,
    title: str,
    subtitle: str = "",
    consortium: str = "",
    period: str = "",
    printed_on: date,
    printed_by: str,
    author: str | None = None,
    subject: str | None = None,
    keywords: Iterable[str] = (),
    first_template: str = PORTRAIT,
    replace: bool = True,
) -> Path:
    """Build `story` into a PDF at `path`, atomically; return the path.

    The PDF is written to a hidden temporary file in the same folder, flushed to disk and
    then moved over `path` with `os.replace`: a build that fails (any exception, also in the
    story) leaves no file behind and an existing file at `path` untouched. Without `replace`,
    a file at `path` is never written over: FileExistsError, and nothing is written.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    # owner-only whatever the umask (a pack names people); O_EXCL never follows a link there
    fd = create_private_file(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            doc = ReportDocument(
                handle,
                title=title,
                subtitle=subtitle,
                consortium=consortium,
                period=period,
                printed_on=printed_on,
                printed_by=printed_by,
                author=author,
                subject=subject,
                keywords=keywords,
                first_template=first_template,
            )
            doc.build(list(story))
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, target)
        else:
            _move_beside(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
