"""The pack's charts: made without reportlab's attribute checks, every shape still valid."""

from __future__ import annotations

from reportlab import rl_config
from reportlab.graphics.shapes import Group

from desta_tui.domain.periods import Period
from desta_tui.reports.charts import chart_legend, trajectory_chart


def _shapes(node):
    yield node
    if isinstance(node, Group):
        for child in node.contents:
            yield from _shapes(child)


def test_chart_shapes_pass_reportlabs_checks_though_made_without_them():
    months = [Period(2015, 4).shift(i) for i in range(12)]
    actuals = [10 * i if i < 9 else None for i in range(12)]
    targets = [12 * i for i in range(12)]
    chart = trajectory_chart(
        months, actuals, targets, width=240, height=150, title="Youth Advice", status="✗ Red 40%"
    )
    legend = chart_legend(400, "Actual", "Target")
    assert rl_config.shapeChecking  # put back after
    shapes = [*_shapes(chart), *_shapes(legend)]
    assert len(shapes) > 40
    checked = 0
    for shape in shapes:
        # what reportlab checks as each attribute is set (attrmap.validateSetattr)
        for name, value in shape.__dict__.items():
            if name[0] != "_" and name in shape._attrMap:
                assert shape._attrMap[name].validate(value), (type(shape).__name__, name, value)
                checked += 1
    assert checked > 200


def test_an_empty_chart_says_so():
    chart = trajectory_chart([], [], [], width=240, height=150, title="New contract")
    texts = [s.text for s in _shapes(chart) if hasattr(s, "text")]
    assert "No figures yet" in texts
    assert rl_config.shapeChecking


def test_month_labels_never_touch_however_narrow_the_chart():
    """Neighbouring month labels keep a gap on the axis: 12 months in a third of a page."""
    from reportlab.graphics.shapes import String

    from desta_tui.reports.charts import _LABEL_GAP, text_width

    months = list(Period.range(Period(2015, 4), Period(2016, 3)))
    for width in (150, 170, 250, 480):
        drawing = trajectory_chart(months, list(range(12)), list(range(0, 24, 2)), width=width,
                                   height=150, title="A partner")  # fmt: skip
        labels = sorted(
            (s for s in drawing.contents if isinstance(s, String) and s.text[:3] in
             {p.first_day.strftime("%b") for p in months} and s.text[-2:].isdigit()),
            key=lambda s: s.x,
        )  # fmt: skip
        assert len(labels) >= 2, width
        for left, right in zip(labels, labels[1:], strict=False):
            room = right.x - left.x
            halves = text_width(left.text, left.fontSize) + text_width(right.text, right.fontSize)
            need = halves / 2
            assert room >= need + _LABEL_GAP - 0.01, (width, left.text, right.text)


def test_charts_copied_from_models_are_as_reportlab_makes_them():
    """A chart's drawing and lines are copies of made-once models: each chart's own, with the
    attributes (in the order) reportlab's constructors give them."""
    from reportlab.graphics.shapes import Drawing, PolyLine

    from desta_tui.reports.charts import ACTUAL_COLOUR, TARGET_COLOUR, TARGET_DASH

    months = [Period(2015, 4).shift(i) for i in range(6)]
    make = lambda: trajectory_chart(  # noqa: E731
        months, [1, 3, 6, None, None, None], [2, 4, 6, 8, 10, 12], width=240, height=150,
        title="Youth Advice",
    )  # fmt: skip
    chart, again = make(), make()
    assert chart.contents is not again.contents
    assert list(chart.__dict__) == [*Drawing(240, 150).__dict__]
    assert {k: v for k, v in chart.__dict__.items() if k != "contents"} == {
        k: v for k, v in Drawing(240, 150).__dict__.items() if k != "contents"
    }
    target, actual = (s for s in chart.contents if isinstance(s, PolyLine))
    assert target.points is not next(s for s in again.contents if isinstance(s, PolyLine)).points
    for line, colour, width, dash in (
        (target, TARGET_COLOUR, 1.1, TARGET_DASH),
        (actual, ACTUAL_COLOUR, 1.6, None),
    ):
        made = PolyLine(line.points, strokeColor=colour, strokeWidth=width, strokeDashArray=dash,
                        strokeLineJoin=1)  # fmt: skip
        assert list(line.__dict__.items()) == list(made.__dict__.items())
    assert len(actual.points) == 6 and len(target.points) == 12


def test_charts_of_one_size_scale_and_months_share_their_axes():
    from reportlab.graphics.shapes import Line, PolyLine, String

    from desta_tui.reports.charts import _axes

    months = [Period(2015, 4).shift(i) for i in range(6)]
    _axes.cache_clear()
    first = trajectory_chart(months, [1, 3, 6, 8, 9, 12], [2, 4, 6, 8, 10, 12], width=160,
                             height=140, title="Partner A")  # fmt: skip
    second = trajectory_chart(months, [2, 2, 5, None, None, None], [2, 4, 6, 8, 10, 12],
                              width=160, height=140, title="Partner B")  # fmt: skip
    assert _axes.cache_info().hits == 1

    def axes(chart):
        return [s for s in chart.contents if isinstance(s, (Line, String))][1:]  # not the title

    assert [id(s) for s in axes(first)] == [id(s) for s in axes(second)]
    lines = [s for c in (first, second) for s in c.contents if isinstance(s, PolyLine)]
    assert len({id(line) for line in lines}) == 4  # each chart's own lines
    texts = [s.text for s in axes(first) if isinstance(s, String)]
    assert texts[0] == "0" and "Apr 15" in texts
