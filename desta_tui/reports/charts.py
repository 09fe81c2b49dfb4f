"""Charts for the packs: cumulative delivery against the target trajectory, drawn to read in
greyscale (the target a dashed line with open squares, the actual a solid line with dots)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from desta_tui.domain.periods import Period
from desta_tui.reports.styles import (
    BOLD_FONT,
    DEFAULT_FONT,
    INK,
    MUTED,
    RULE,
    ensure_fonts,
    fit_text,
    in_default_font,
    text_width,
)

__all__ = ["ACTUAL_COLOUR", "TARGET_COLOUR", "chart_legend", "trajectory_chart"]

ACTUAL_COLOUR = colors.Color(0.05, 0.25, 0.55)
"""Dark blue: near black in greyscale, and the line is solid with filled dots."""
TARGET_COLOUR = colors.Color(0.45, 0.45, 0.45)
"""Mid grey, dashed, with open squares."""
TARGET_DASH = (4, 2.5)
_TITLE_SIZE = 8.0
_LABEL_SIZE = 6.5


def _nice_top(value: float) -> tuple[float, float]:
    """An axis top at or above `value` and a step giving four or five gridlines."""
    if value <= 0:
        return 4.0, 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0):
        size = step * magnitude
        if value / size <= 5:
            top = size * -(-value // size)
            return max(top, size), size
    return value, value / 4


def _month_label(period: Period) -> str:
    """`Oct 11`: short enough for a small chart's axis."""
    return period.first_day.strftime("%b %y")


def _label_steps(months: int) -> int:
    """Label every month of a short span, every third or sixth of a longer one."""
    for step in (1, 2, 3, 6, 12):
        if months / step <= 6:
            return step
    return 24


def _safe(text: str) -> str:
    """Chart strings are one font (DejaVu Sans): other scripts are left out, not boxes."""
    if in_default_font(text):
        return text
    return "".join(ch if in_default_font(ch) else "" for ch in text).strip() or "?"


def trajectory_chart(
    months: Sequence[Period],
    cumulative_actuals: Sequence[int | None],
    cumulative_targets: Sequence[int],
    *,
    width: float,
    height: float,
    title: str,
    status: str = "",
) -> Drawing:
    """A line chart: cumulative target (dashed, open squares) and cumulative actual (solid,
    filled dots) month by month. `title` (cut with an ellipsis to fit) and `status` (`✗ Red
    40%`, bold) head it."""
    ensure_fonts()
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, strokeColor=RULE, strokeWidth=0.4, fillColor=None))
    drawing.add(
        String(4, height - 11, fit_text(_safe(title), width - 8, _TITLE_SIZE, True),
               fontName=BOLD_FONT, fontSize=_TITLE_SIZE, fillColor=INK)
    )  # fmt: skip
    top_room = 20.0
    if status:
        # the status on a line of its own, so that the name keeps the width
        drawing.add(
            String(4, height - 21, status, fontName=BOLD_FONT, fontSize=_TITLE_SIZE - 0.5,
                   fillColor=INK)
        )  # fmt: skip
        top_room = 30.0
    count = len(months)
    actual_points = [(i, v) for i, v in enumerate(cumulative_actuals) if v is not None]
    target_points = list(enumerate(cumulative_targets))
    if count == 0 or not (actual_points or any(cumulative_targets)):
        drawing.add(
            String(width / 2, height / 2, "No figures yet", fontName=DEFAULT_FONT,
                   fontSize=_LABEL_SIZE + 1, fillColor=MUTED, textAnchor="middle")
        )  # fmt: skip
        return drawing
    highest = max([v for _, v in actual_points] + [v for _, v in target_points] + [1])
    top, step = _nice_top(highest)

    plot = LinePlot()
    plot.x = 30
    plot.y = 16
    plot.width = width - plot.x - 16  # room for the last month's label
    plot.height = height - plot.y - top_room
    series = []
    if target_points:
        series.append(target_points)
    if actual_points:
        series.append(actual_points)
    plot.data = series
    plot.joinedLines = 1
    for index, name in enumerate(
        ["target"] * bool(target_points) + ["actual"] * bool(actual_points)
    ):
        line = plot.lines[index]
        if name == "target":
            line.strokeColor = TARGET_COLOUR
            line.strokeWidth = 1.1
            line.strokeDashArray = TARGET_DASH
            line.symbol = makeMarker("Square", size=3.2, fillColor=colors.white,
                                     strokeColor=TARGET_COLOUR, strokeWidth=0.7)  # fmt: skip
        else:
            line.strokeColor = ACTUAL_COLOUR
            line.strokeWidth = 1.6
            line.symbol = makeMarker("FilledCircle", size=3.2, fillColor=ACTUAL_COLOUR,
                                     strokeColor=ACTUAL_COLOUR)  # fmt: skip
    plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = max(count - 1, 1)
    every = _label_steps(count)
    plot.xValueAxis.valueSteps = list(range(0, count, every))
    plot.xValueAxis.labelTextFormat = lambda i: (
        _month_label(months[int(i)]) if 0 <= i < count else ""
    )
    plot.xValueAxis.labels.fontName = DEFAULT_FONT
    plot.xValueAxis.labels.fontSize = _LABEL_SIZE
    plot.xValueAxis.labels.fillColor = MUTED
    plot.xValueAxis.strokeColor = MUTED
    plot.xValueAxis.strokeWidth = 0.5
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.valueMax = top
    plot.yValueAxis.valueStep = step
    plot.yValueAxis.labelTextFormat = lambda v: f"{int(v):,}" if v == int(v) else f"{v:,.1f}"
    plot.yValueAxis.labels.fontName = DEFAULT_FONT
    plot.yValueAxis.labels.fontSize = _LABEL_SIZE
    plot.yValueAxis.labels.fillColor = MUTED
    plot.yValueAxis.strokeColor = MUTED
    plot.yValueAxis.strokeWidth = 0.5
    plot.yValueAxis.visibleGrid = 1
    plot.yValueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    plot.yValueAxis.gridStrokeWidth = 0.3
    drawing.add(plot)
    return drawing


def chart_legend(width: float, actual: str, target: str) -> Drawing:
    """One line saying which line is which, as the charts draw them."""
    ensure_fonts()
    drawing = Drawing(width, 14)
    x = 0.0
    for label, colour, dash, marker in (
        (actual, ACTUAL_COLOUR, None, "FilledCircle"),
        (target, TARGET_COLOUR, TARGET_DASH, "Square"),
    ):
        drawing.add(
            Line(x, 5, x + 26, 5, strokeColor=colour, strokeWidth=1.4,
                 strokeDashArray=dash)
        )  # fmt: skip
        symbol = makeMarker(
            marker, size=3.6, fillColor=colour if marker == "FilledCircle" else colors.white,
            strokeColor=colour, strokeWidth=0.7,
        )  # fmt: skip
        symbol.x, symbol.y = x + 13, 5
        drawing.add(symbol)
        drawing.add(String(x + 32, 2, label, fontName=DEFAULT_FONT, fontSize=8, fillColor=INK))
        x += 32 + text_width(label, 8) + 18
    return drawing
