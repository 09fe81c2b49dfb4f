"""Report colours, paragraph and table styles (the fonts they name come from reports/fonts.py)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

# the fonts, as the report modules have always imported them from here
from desta_tui.reports.fonts import (
    ARABIC_FONT,
    BENGALI_FONT,
    BOLD_FONT,
    DEFAULT_FONT,
    ELLIPSIS,
    ETHIOPIC_FONT,
    ITALIC_FONT,
    ensure_fonts,
    fit_text,
    font_runs,
    fonts_dir,
    in_default_font,
    markup,
    needs_shaping,
    shaping_available,
    text_width,
)

__all__ = [
    "ARABIC_FONT",
    "BENGALI_FONT",
    "BOLD_FONT",
    "DEFAULT_FONT",
    "ETHIOPIC_FONT",
    "ITALIC_FONT",
    "STYLES",
    "ELLIPSIS",
    "ensure_fonts",
    "fit_text",
    "fonts_dir",
    "font_runs",
    "get_style",
    "grid_table_style",
    "in_default_font",
    "is_bold",
    "key_value_table_style",
    "markup",
    "needs_shaping",
    "shaping_available",
    "style_for_text",
    "text_width",
]

# --- colours (greyscale-safe: every distinction also shows in black and white) --------------

INK = colors.Color(0.1, 0.1, 0.1)
MUTED = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.55, 0.55, 0.55)
HEADER_FILL = colors.Color(0.25, 0.25, 0.25)
ZEBRA_FILL = colors.Color(0.92, 0.92, 0.92)
LABEL_FILL = colors.Color(0.88, 0.88, 0.88)
WHITE = colors.white

# --- paragraph styles ------------------------------------------------------------------------


CELL_FONT_SIZE = 8.5
CELL_LEADING = 10.5
"""Table cells: one size and line spacing for paragraph cells and plain-text cells alike."""


def _style(name: str, **kw: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": DEFAULT_FONT,
        "fontSize": 9.5,
        "leading": 12.5,
        "textColor": INK,
        "alignment": TA_LEFT,
    }
    base.update(kw)
    return ParagraphStyle(name, **base)


STYLES: dict[str, ParagraphStyle] = {
    "title": _style(
        "title", fontName=BOLD_FONT, fontSize=18, leading=22, spaceAfter=4, keepWithNext=1
    ),
    "subtitle": _style("subtitle", fontSize=11, leading=14, textColor=MUTED, spaceAfter=10),
    "heading1": _style(
        "heading1",
        fontName=BOLD_FONT,
        fontSize=14,
        leading=17,
        spaceBefore=12,
        spaceAfter=5,
        keepWithNext=1,
    ),
    "heading2": _style(
        "heading2",
        fontName=BOLD_FONT,
        fontSize=11.5,
        leading=14,
        spaceBefore=9,
        spaceAfter=4,
        keepWithNext=1,
    ),
    "body": _style("body", spaceAfter=5),
    "body_strong": _style("body_strong", fontName=BOLD_FONT, spaceAfter=5),
    "small": _style("small", fontSize=8, leading=10, textColor=MUTED),
    "note": _style(
        "note", fontName=ITALIC_FONT, fontSize=9, leading=12, textColor=MUTED, spaceAfter=5
    ),
    "cell": _style("cell", fontSize=CELL_FONT_SIZE, leading=CELL_LEADING),
    "cell_right": _style(
        "cell_right", fontSize=CELL_FONT_SIZE, leading=CELL_LEADING, alignment=TA_RIGHT
    ),
    "cell_header": _style(
        "cell_header",
        fontName=BOLD_FONT,
        fontSize=CELL_FONT_SIZE,
        leading=CELL_LEADING,
        textColor=WHITE,
    ),
    "cell_header_right": _style(
        "cell_header_right",
        fontName=BOLD_FONT,
        fontSize=CELL_FONT_SIZE,
        leading=CELL_LEADING,
        textColor=WHITE,
        alignment=TA_RIGHT,
    ),
    "cell_header_small": _style(
        "cell_header_small", fontName=BOLD_FONT, fontSize=7.5, leading=9, textColor=WHITE
    ),
    "cell_label": _style(
        "cell_label", fontName=BOLD_FONT, fontSize=CELL_FONT_SIZE, leading=CELL_LEADING
    ),
    "cell_label_right": _style(
        "cell_label_right",
        fontName=BOLD_FONT,
        fontSize=CELL_FONT_SIZE,
        leading=CELL_LEADING,
        alignment=TA_RIGHT,
    ),
    "page_header": _style("page_header", fontSize=8, leading=10, textColor=MUTED),
    "page_header_right": _style(
        "page_header_right", fontSize=8, leading=10, textColor=MUTED, alignment=TA_RIGHT
    ),
    "page_footer": _style("page_footer", fontSize=7.5, leading=9, textColor=MUTED),
}
"""The named paragraph styles. Bold styles use DejaVuSans-Bold as their font."""

_shaped: dict[str, ParagraphStyle] = {}


def get_style(style: str | ParagraphStyle) -> ParagraphStyle:
    """A style by name (see STYLES), or the style itself; registers the fonts on first use.

    reportlab resolves a style's font family when a Paragraph is made, so the fonts must be
    registered before any flowable is built: every helper gets its style through here.
    """
    ensure_fonts()
    if isinstance(style, ParagraphStyle):
        return style
    try:
        return STYLES[style]
    except KeyError:
        raise KeyError(f"no paragraph style {style!r}; known: {', '.join(STYLES)}") from None


def is_bold(style: ParagraphStyle) -> bool:
    """True when the style's own font is a bold one."""
    return style.fontName.endswith("-Bold")


def style_for_text(style: str | ParagraphStyle, text: str) -> ParagraphStyle:
    """`style`, or its shaping twin when `text` holds Bengali or Arabic.

    reportlab 5 shapes with uharfbuzz only where a ParagraphStyle has `shaping=1`; shaping
    every paragraph would slow Latin-only tables for nothing.
    """
    base = get_style(style)
    if not needs_shaping(text):
        return base
    key = f"{base.name}#{id(base)}"
    twin = _shaped.get(key)
    if twin is None:
        twin = ParagraphStyle(f"{base.name}-shaped", parent=base, shaping=1)
        _shaped[key] = twin
    return twin


# --- table styles ----------------------------------------------------------------------------

GRID_WIDTH = 0.25
CELL_PADDING = 3


CELL_PAD_X = CELL_PADDING + 1
"""Left and right padding of a table cell, in points."""
CELL_PAD_TOP = CELL_PADDING - 1
CELL_PAD_BOTTOM = CELL_PADDING


def grid_table_style(
    header_rows: int = 1,
    zebra: bool = True,
    numeric_cols: Iterable[int] = (),
    zebra_phase: int = 0,
) -> TableStyle:
    """A data table: thin grid, dark grey header row (white bold text), light grey zebra rows.

    `zebra_phase` 1 shades the first body row: a table continued on a new page keeps the
    stripes of the rows before it. The style is built once per shape and shared.
    """
    return _grid_table_style(header_rows, zebra, tuple(sorted(numeric_cols)), zebra_phase % 2)


@functools.lru_cache(maxsize=256)
def _grid_table_style(
    header_rows: int, zebra: bool, numeric_cols: tuple[int, ...], zebra_phase: int
) -> TableStyle:
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), GRID_WIDTH, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, MUTED),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), DEFAULT_FONT),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_FONT_SIZE),
        # plain-text cells take their line spacing from here, paragraph cells from their style
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_BOTTOM),
    ]
    if header_rows:
        last = header_rows - 1
        commands += [
            ("BACKGROUND", (0, 0), (-1, last), HEADER_FILL),
            ("TEXTCOLOR", (0, 0), (-1, last), WHITE),
            ("FONTNAME", (0, 0), (-1, last), BOLD_FONT),
            ("VALIGN", (0, 0), (-1, last), "BOTTOM"),
            ("LINEBELOW", (0, last), (-1, last), 1, INK),
        ]
    if zebra:
        shades = [ZEBRA_FILL, WHITE] if zebra_phase else [WHITE, ZEBRA_FILL]
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), shades))
    for col in numeric_cols:
        commands.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    return TableStyle(commands)


@functools.lru_cache(maxsize=1)
def key_value_table_style() -> TableStyle:
    """Label/value pairs: labels bold on a light grey column, thin grid (one style, shared)."""
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), GRID_WIDTH, RULE),
            ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
            ("FONTNAME", (0, 0), (-1, -1), DEFAULT_FONT),
            ("FONTSIZE", (0, 0), (-1, -1), CELL_FONT_SIZE),
            ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_TOP),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_BOTTOM),
        ]
    )
