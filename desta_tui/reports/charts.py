"""Charts for the packs: cumulative delivery against the target trajectory, drawn to read in
greyscale (the target a dashed line with open squares, the actual a solid line with dots).

Drawn with reportlab.graphics shapes rather than its LinePlot widget: the same lines, markers
and axes at a tenth of the cost (LinePlot made a marker widget per point, 40 ms a chart)."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from reportlab import rl_config
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, Shape, String
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
#: the least room between two month labels on the axis, in points
_LABEL_GAP = 6


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


_checking = threading.Lock()


@contextlib.contextmanager
def _unchecked() -> Iterator[None]:
    """Shapes made in the block skip reportlab's check of every attribute as it is set (two
    thirds of a chart's cost, 200 charts in a large pack): the values here are ours and of
    fixed kinds, and the tests verify every shape of a chart with the check on. The switch is
    reportlab's own, process-wide, so it is held under a lock and put back after."""
    with _checking:
        before = rl_config.shapeChecking
        rl_config.shapeChecking = 0
        try:
            yield
        finally:
            rl_config.shapeChecking = before


@functools.lru_cache(maxsize=512)
def _month_label(period: Period) -> str:
    """`Oct 11`: short enough for a small chart's axis."""
    return period.first_day.strftime("%b %y")


def _label_steps(months: int, plot_width: float, label_width: float) -> int:
    """Label every month of a short span, every second, third... of a longer one: the labels'
    centres far enough apart that neighbours keep a gap, six labels at the most."""
    for step in (1, 2, 3, 4, 6, 12):
        spacing = plot_width * step / max(months - 1, 1)
        if -(-months // step) <= 6 and spacing >= label_width + _LABEL_GAP:
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
    with _unchecked():
        return _trajectory_chart(
            months, cumulative_actuals, cumulative_targets, width, height, title, status
        )


def _trajectory_chart(
    months: Sequence[Period],
    cumulative_actuals: Sequence[int | None],
    cumulative_targets: Sequence[int],
    width: float,
    height: float,
    title: str,
    status: str,
) -> Drawing:
    model = _models()
    drawing = _placed(model.drawing, width=width, height=height, contents=[])
    # children appended to the list itself: Group.add checks each one is a shape, and ours are
    add = drawing.contents.append
    add(_placed(model.border, width=width, height=height))
    add(_placed(model.title, x=4, y=height - 11,
                text=fit_text(_safe(title), width - 8, _TITLE_SIZE, True)))  # fmt: skip
    top_room = 20.0
    if status:
        # the status on a line of its own, so that the name keeps the width
        add(_placed(model.status, x=4, y=height - 21, text=status))
        top_room = 30.0
    count = len(months)
    actual_points = [(i, v) for i, v in enumerate(cumulative_actuals) if v is not None]
    target_points = list(enumerate(cumulative_targets))
    if count == 0 or not (actual_points or any(cumulative_targets)):
        add(_placed(model.empty, x=width / 2, y=height / 2))
        return drawing
    highest = max([v for _, v in actual_points] + [v for _, v in target_points] + [1])
    top, step = _nice_top(highest)
    drawing.contents.extend(_axes(width, height, top_room, top, step, tuple(months)))
    area = _PlotArea.of(width, height, top_room)
    if target_points:
        points = [(area.x_of(i, count), area.y_of(v, top)) for i, v in target_points]
        add(_placed(model.target_line, points=_flat(points)))
        for x, y in points:
            add(_placed(model.square, x=x - 1.6, y=y - 1.6))
    if actual_points:
        points = [(area.x_of(i, count), area.y_of(v, top)) for i, v in actual_points]
        add(_placed(model.actual_line, points=_flat(points)))
        for x, y in points:
            add(_placed(model.dot, cx=x, cy=y))
    return drawing


class _PlotArea(NamedTuple):
    """Where a chart plots: its left, bottom, width and height, and where a month and a figure
    fall in it."""

    left: float
    bottom: float
    width: float
    height: float

    @classmethod
    def of(cls, width: float, height: float, top_room: float) -> _PlotArea:
        left, bottom = 30.0, 16.0
        return cls(left, bottom, width - left - 16, height - bottom - top_room)  # 16: last label

    def x_of(self, index: float, count: int) -> float:
        return self.left + self.width * index / max(count - 1, 1)

    def y_of(self, value: float, top: float) -> float:
        return self.bottom + self.height * value / top


@functools.lru_cache(maxsize=256)
def _axes(
    width: float, height: float, top_room: float, top: float, step: float, months: tuple
) -> tuple[Shape, ...]:
    """The gridlines, the figures up the side, the axes and the months along the bottom: the
    same shapes for every chart of the same size, scale and months (a contract's partners'
    charts share them, as a form would; drawing a shape does not change it)."""
    model = _models()
    shapes: list[Shape] = []
    add = shapes.append
    count = len(months)
    area = _PlotArea.of(width, height, top_room)
    left, bottom, plot_width, plot_height = area
    value = 0.0
    while value <= top + step / 1000:
        y = area.y_of(value, top)
        if value:
            add(_placed(model.grid, x1=left, y1=y, x2=left + plot_width, y2=y))
        text = f"{int(value):,}" if value == int(value) else f"{value:,.1f}"
        add(_placed(model.label, x=left - 3, y=y - 2.2, text=text))
        value += step
    add(_placed(model.axis, x1=left, y1=bottom, x2=left + plot_width, y2=bottom))
    add(_placed(model.axis, x1=left, y1=bottom, x2=left, y2=bottom + plot_height))
    labels = [_month_label(period) for period in months]
    widest = max(text_width(label, _LABEL_SIZE) for label in labels)
    for index in range(0, count, _label_steps(count, plot_width, widest)):
        x = area.x_of(index, count)
        add(_placed(model.axis, x1=x, y1=bottom, x2=x, y2=bottom - 2))
        add(_placed(model.month, x=x, y=bottom - 9, text=labels[index]))
    return tuple(shapes)


class _Models(NamedTuple):
    """A chart's shapes, each made once with its look; a chart places copies (`_placed`)."""

    drawing: Drawing
    """A chart's own drawing: copied with its size and new contents, it shares the model's
    map of attributes, which a drawing copies for itself only so that a child added by name
    can extend it (charts add none)."""
    border: Rect
    title: String
    status: String
    empty: String
    grid: Line
    label: String
    axis: Line
    month: String
    square: Rect
    dot: Circle
    target_line: PolyLine
    actual_line: PolyLine


@functools.cache
def _models() -> _Models:
    return _Models(
        drawing=Drawing(0, 0),
        border=Rect(0, 0, 0, 0, strokeColor=RULE, strokeWidth=0.4, fillColor=None),
        title=String(0, 0, "", fontName=BOLD_FONT, fontSize=_TITLE_SIZE, fillColor=INK),
        status=String(0, 0, "", fontName=BOLD_FONT, fontSize=_TITLE_SIZE - 0.5, fillColor=INK),
        empty=String(0, 0, "No figures yet", fontName=DEFAULT_FONT, fontSize=_LABEL_SIZE + 1,
                     fillColor=MUTED, textAnchor="middle"),
        grid=Line(0, 0, 0, 0, strokeColor=colors.Color(0.85, 0.85, 0.85), strokeWidth=0.3),
        label=String(0, 0, "", fontName=DEFAULT_FONT, fontSize=_LABEL_SIZE, fillColor=MUTED,
                     textAnchor="end"),
        axis=Line(0, 0, 0, 0, strokeColor=MUTED, strokeWidth=0.5),
        month=String(0, 0, "", fontName=DEFAULT_FONT, fontSize=_LABEL_SIZE, fillColor=MUTED,
                     textAnchor="middle"),
        square=Rect(0, 0, 3.2, 3.2, fillColor=colors.white, strokeColor=TARGET_COLOUR,
                    strokeWidth=0.7),
        dot=Circle(0, 0, 1.7, fillColor=ACTUAL_COLOUR, strokeColor=None),
        target_line=_polyline((), TARGET_COLOUR, 1.1, TARGET_DASH),
        actual_line=_polyline((), ACTUAL_COLOUR, 1.6, None),
    )  # fmt: skip


def _placed(model: Shape, **place: float | str) -> Shape:
    """A copy of `model` at another place (or with other text): its attributes copied whole
    rather than set one by one (a chart has fifty markers, ticks and labels, and a shape's
    constructor sets each attribute through reportlab's attribute machinery)."""
    made = object.__new__(type(model))
    made.__dict__.update(model.__dict__, **place)
    return made


def _flat(points: Sequence[tuple[float, float]]) -> list[float]:
    """`[(x, y), ...]` as a polyline holds its points: `[x, y, ...]`."""
    return [coordinate for point in points for coordinate in point]


def _polyline(
    points: Sequence[tuple[float, float]],
    colour: colors.Color,
    width: float,
    dash: tuple[float, ...] | None,
) -> PolyLine:
    return PolyLine(
        _flat(points),
        strokeColor=colour,
        strokeWidth=width,
        strokeDashArray=dash,
        strokeLineJoin=1,
    )


def chart_legend(width: float, actual: str, target: str) -> Drawing:
    """One line saying which line is which, as the charts draw them."""
    ensure_fonts()
    with _unchecked():
        return _chart_legend(width, actual, target)


def _chart_legend(width: float, actual: str, target: str) -> Drawing:
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
        if marker == "FilledCircle":
            drawing.add(Circle(x + 13, 5, 1.9, fillColor=colour, strokeColor=None))
        else:
            drawing.add(Rect(x + 11.2, 3.2, 3.6, 3.6, fillColor=colors.white, strokeColor=colour,
                             strokeWidth=0.7))  # fmt: skip
        drawing.add(String(x + 32, 2, label, fontName=DEFAULT_FONT, fontSize=8, fillColor=INK))
        x += 32 + text_width(label, 8) + 18
    return drawing
