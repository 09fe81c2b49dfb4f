"""FigureReturnsModal: the returns behind one figure (month, value, who, when, corrections)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.periods import Period
from desta_tui.services.performance import FigureRow, ReturnLine, describe_figure, figure_returns
from desta_tui.ui.widgets.key_footer import KeyFooter
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

COLUMNS = [
    Column("month", "Month", 9),
    Column("partner", "Partner", None, min_width=10),
    Column("metric", "Metric", None, min_width=8),
    Column("value", "Value", 6, align="right"),
    Column("target", "Target", 6, align="right"),
    Column("by", "Entered by", 14),
    Column("at", "Entered", 16),
    Column("corrected", "Corrections", 11),
]


def _when(line: ReturnLine) -> str:
    return line.entered_at.strftime("%d/%m/%Y %H:%M") if line.entered_at else "–"


class FigureReturnsModal(ModalScreen[None]):
    """Every return a figure is made of; the highlighted one's corrections underneath."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="figure_returns.close"),
    ]

    BINDING_GROUP_TITLE = "Returns behind a figure"

    DEFAULT_CSS = """
    FigureReturnsModal {
        align: center middle;
        & > Vertical {
            width: 100%;
            max-width: 118;
            height: 90%;
            border: thick $primary;
            background: $panel;
            padding: 0 1;
        }
        & #figure-title { text-style: bold; }
        & #figure-detail { height: auto; max-height: 8; margin: 1 0 0 0; }
    }
    """

    def __init__(self, figure: FigureRow) -> None:
        super().__init__()
        self.figure = figure
        self.lines: dict[str, ReturnLine] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(describe_figure(self.figure), id="figure-title", markup=False)
            yield RecordTable(COLUMNS, id="figure-returns", empty_message="No returns yet")
            yield Static("", id="figure-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        figure = self.figure
        # the figure runs to the last month of its sparkline window
        up_to = Period.from_key(figure.months[-1]) if figure.months else None
        lines = figure_returns(figure.contract_uuid, figure.metric_code, figure.partner_uuid, up_to)
        self.lines = {line.return_uuid: line for line in lines}
        rows = [
            Row(
                line.return_uuid,
                (
                    line.period.label,
                    line.organisation_name,
                    line.metric_name,
                    f"{line.value:,}",
                    "–" if line.target is None else f"{line.target:,}",
                    line.entered_by or "–",
                    _when(line),
                    f"✎ {len(line.corrections)}" if line.corrections else "",
                ),
                "warning" if line.corrections else None,
            )
            for line in lines
        ]
        table = self.query_one(RecordTable)
        table.set_rows(rows)
        table.action_last()  # the latest month first in view
        table.focus()

    @on(RecordTable.Highlighted)
    def _show_detail(self, event: RecordTable.Highlighted) -> None:
        line = self.lines.get(event.key or "")
        detail = self.query_one("#figure-detail", Static)
        if line is None:
            detail.update("")
            return
        text = [
            f"{line.period.long_label}, {line.organisation_name}, {line.metric_name}: "
            f"{line.value:,} entered by {line.entered_by or 'unknown'} on {_when(line)}"
        ]
        if not line.corrections:
            text.append("Never corrected.")
        for correction in line.corrections:
            note = f": {correction.note}" if correction.note else ""
            text.append(
                f"✎ {format_uk_date(correction.at.date())} {correction.at:%H:%M} "
                f"{correction.who} changed {correction.old_value} → {correction.new_value}{note}"
            )
        detail.update("\n".join(text))

    def action_close(self) -> None:
        self.dismiss(None)
