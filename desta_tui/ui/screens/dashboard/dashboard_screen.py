"""DashboardScreen: the chosen consortium at a glance; every line opens the place it is about."""

from __future__ import annotations

import re
from concurrent.futures import Future
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from desta_tui.domain.periods import Period
from desta_tui.services.dashboard import (
    DashboardLine,
    DashboardSummary,
    LineGroup,
    dashboard_summary,
)
from desta_tui.services.performance import FigureRow
from desta_tui.ui.messages import (
    Navigate,
    OpenPerformance,
    OpenRecord,
    OpenSection,
    OpenView,
    StartTicket,
)
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row, column_widths

COLUMNS = [
    Column("area", "Area", 14),
    Column("what", "What", None, min_width=20),
    Column("figure", "Figure", 30),
]
_NARROW = 110  # below this many cells the figure column shrinks to _NARROW_FIGURE
_NARROW_FIGURE = 18
_PHRASE_GAP = "    "
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)?\s*$")


def narrow_figure(figure: str) -> str:
    """A figure for a narrow screen: "expires 17/11/2012 (12 days)" loses its note in brackets
    when too long, so the date stays whole; "39% (41 of 104)" fits and keeps it."""
    if len(figure) <= _NARROW_FIGURE:
        return figure
    return _TRAILING_NOTE.sub("", figure) or figure


def narrow_cells(line: DashboardLine, what_width: int) -> tuple[str, str, str]:
    """A line's cells on a narrow screen: a line with no figure whose words would be cut
    ("Church Street Neighbourhood Trust: no Oct 2012 return (…)") puts what follows its
    colon in the figure column, so the organisation and what is wrong both show."""
    text, figure = line.text, narrow_figure(line.figure)
    if not figure and len(text) > what_width and ": " in text:
        head, _, tail = text.partition(": ")
        text, figure = head, narrow_figure(tail)
    return line.area, text, figure


def table_columns(width: int) -> list[Column]:
    """The dashboard's columns for `width` cells: "What" takes what the others leave."""
    if width >= _NARROW:
        return COLUMNS
    return [COLUMNS[0], COLUMNS[1], Column("figure", "Figure", _NARROW_FIGURE)]


def wrap_phrases(rows: list[list[str]], width: int) -> str:
    """Each row's phrases on one line where they fit, else broken between phrases (never
    inside one), so "Open support tickets: 1" is never split from its number."""
    out: list[str] = []
    for phrases in rows:
        line = ""
        for phrase in phrases:
            if line and len(line) + len(_PHRASE_GAP) + len(phrase) > width:
                out.append(line)
                line = phrase
            else:
                line = f"{line}{_PHRASE_GAP}{phrase}" if line else phrase
        out.append(line)
    return "\n".join(out)


class DashboardScreen(SectionScreen):
    """Headline counts, then the lines that need attention: contracts by stage, partners at red
    or amber, returns missing for last month, open tickets by stage, compliance papers expiring,
    commissioner contact overdue. `enter` on a line opens its section at that record."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Reload", id="dashboard.reload"),
        Binding("T,shift+t", "support_ticket", "Support ticket", id="dashboard.ticket"),
    ]

    DEFAULT_CSS = """
    DashboardScreen {
        & #dashboard-summary { height: auto; padding: 1 1; }
        & #dashboard-lines { height: 1fr; }
        & #dashboard-message { height: auto; }
    }
    """

    mode = "dashboard"

    def __init__(self) -> None:
        super().__init__()
        self.summary: DashboardSummary | None = None
        self.lines: dict[str, DashboardLine] = {}
        self._phrases: list[list[str]] = []
        self._next_meeting = ""
        #: the lines shown: each group's first lines, and "… and N more" under a long one
        self._shown: list[DashboardLine] = []
        #: what the table and the summary show now: the resize after the first frame finds
        #: them drawn at the width they have, and redrawing them the same costs another frame
        self._rows_shown: list[Row] | None = None
        self._summary_shown: str | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="dashboard-summary")
        yield RecordTable(COLUMNS, id="dashboard-lines", empty_message="Nothing needs attention")
        yield Static("", id="dashboard-message", markup=False)

    def on_mount(self) -> None:
        consortium_uuid = getattr(self.app, "consortium_uuid", None)
        ahead = getattr(self.app, "figures_ahead", None)
        if isinstance(ahead, FiguresAhead):
            self.app.figures_ahead = None  # read once, for the first frame only
            figures = ahead.take(consortium_uuid)
            if figures is not None:
                self.show(*figures)
                return
        self.refresh_data()

    def action_reload(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        self.show(dashboard_summary(getattr(self.app, "consortium_uuid", None)))

    def show(self, summary: DashboardSummary, next_meeting: str | None = None) -> None:
        """The headline counts, then each group's lines, worst first, with "… and N more"."""
        self.summary = summary
        missing = summary.group("missing")
        contacts = summary.group("contacts")
        month = summary.last_month.label if summary.last_month else "last month"
        self._phrases = [
            [f"Members (active): {summary.member_count:,}",
             f"Member organisations: {summary.organisation_count:,}",
             f"Open support tickets: {summary.open_ticket_count:,}"],
            [f"Figures at ✗ red: {summary.red_count:,}", f"at ! amber: {summary.amber_count:,}",
             f"Returns missing for {month}: {missing.total if missing else 0:,}",
             f"Compliance papers expired: {summary.compliance_expired:,}",
             f"expiring within {summary.compliance_warning_days} days: "
             f"{summary.compliance_expiring:,}",
             f"Commissioner contact overdue: {contacts.total if contacts else 0:,}"],
        ]  # fmt: skip
        if summary.conflict_count > 0:
            self._phrases[1].append(f"Conflicts from other sites: {summary.conflict_count}")
        if next_meeting is None:
            next_meeting = next_meeting_words(getattr(self.app, "consortium_uuid", None))
        self._next_meeting = next_meeting
        self._show_summary()
        self._shown = []
        for group in summary.groups:
            self._shown += group.lines
            if group.more > 0:
                self._shown.append(_more_line(group))
        self.lines = {line.key: line for line in self._shown}
        self._fill_table()

    def _fill_table(self) -> None:
        if self.summary is None:
            return
        table = self.query_one("#dashboard-lines", RecordTable)
        width = table.scrollable_content_region.width or self.app.size.width - 4
        columns = table_columns(width)
        table.set_columns(columns)
        what_width = column_widths(columns, width)[1]
        narrow = width < _NARROW
        rows = [Row(line.key, narrow_cells(line, what_width) if narrow else
                    (line.area, line.text, line.figure), line.severity)
                for line in self._shown]  # fmt: skip
        if rows != self._rows_shown:
            self._rows_shown = rows
            table.set_rows(rows)

    def _show_summary(self) -> None:
        if self.summary is None:
            return
        widget = self.query_one("#dashboard-summary", Static)
        width = widget.content_size.width or width_before_layout(widget)
        text = (
            f"[b]{_escape(self.summary.consortium_name)}[/b]\n"
            + _escape(wrap_phrases(self._phrases, width))
            + (f"\n{_escape(self._next_meeting)}" if self._next_meeting else "")
        )
        if text != self._summary_shown:
            self._summary_shown = text
            widget.update(text)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show_summary)
        self.call_after_refresh(self._fill_table)

    # --- a ticket can start from a red figure ----------------------------------------------

    def highlighted_line(self) -> DashboardLine | None:
        key = self.query_one("#dashboard-lines", RecordTable).current_key
        return self.lines.get(key) if key else None

    def highlighted_figure(self) -> FigureRow | None:
        """The performance figure under the cursor, if the line is one."""
        line = self.highlighted_line()
        return line.figure_row if line is not None else None

    def action_support_ticket(self) -> None:
        """Open a support ticket filled in from the highlighted red figure (#7)."""
        self.post_message(StartTicket(self.highlighted_figure()))

    # --- opening ----------------------------------------------------------------------------

    @on(RecordTable.Selected, "#dashboard-lines")
    def _line_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        line = self.lines.get(event.key)
        if line is not None:
            self.post_message(line_destination(line))


class FiguresAhead:
    """The dashboard's figures read in the thread that opened the database, while the main
    thread builds the screen: SQLite lets go of the GIL while it reads, so the two overlap.
    The screen takes them for its first frame; it reads them itself if they failed."""

    def __init__(self, consortium_uuid: str | None) -> None:
        self.consortium_uuid = consortium_uuid
        self._figures: Future[tuple[DashboardSummary, str]] = Future()

    def read(self) -> None:
        """In the worker thread: read the figures as the screen would."""
        try:
            summary = dashboard_summary(self.consortium_uuid)
            self._figures.set_result((summary, next_meeting_words(self.consortium_uuid)))
        except Exception as error:  # the screen reads again and meets it where it shows
            self._figures.set_exception(error)
        finally:
            self._figures.cancel()  # a no-op once set; never leaves the screen waiting

    def take(self, consortium_uuid: str | None) -> tuple[DashboardSummary, str] | None:
        """The figures (waiting for the read to end), or None if they are for another
        consortium or the read failed."""
        if consortium_uuid != self.consortium_uuid:
            return None
        try:
            return self._figures.result()
        except Exception:
            return None


def next_meeting_words(consortium_uuid: str | None) -> str:
    """`Next meeting: Desta SMG, 13/11/2012 at 10:00, papers sent (ctrl+b builds the pack)`."""
    from desta_tui.services.meetings import next_meeting

    coming = next_meeting(consortium_uuid)
    if coming is None:
        return "Next meeting: none planned (Meetings, 6)"
    time = f" at {coming.start_time}" if coming.start_time else ""
    return (
        f"Next meeting: {coming.title}{time}, {coming.status_label.lower()} "
        "(ctrl+b builds the pack; Meetings, 6)"
    )


def line_destination(line: DashboardLine) -> Navigate:
    """Where a line leads: its record, or its section's list when the line names no record
    (a "… and N more" line, a count of contracts at a stage or of tickets at a rung)."""
    kind, *args = line.opens
    match kind:
        case "contract_stage":
            return OpenSection("contracts", stage=args[0])
        case "contracts":
            return OpenRecord("contract", args[0]) if args[0] else OpenSection("contracts")
        case "figure" | "month" if args[0] is None:
            return OpenSection("performance")  # every red figure, every return missing
        case "figure":
            contract_uuid, partner_uuid, metric_code = args
            return OpenPerformance(
                contract_uuid, partner_uuid=partner_uuid, metric_code=metric_code
            )
        case "month":
            contract_uuid, period_key = args
            return OpenPerformance(contract_uuid, period=Period.from_key(str(period_key)))
        case "organisation":
            if args[0] is None:
                return OpenView("compliance")  # every paper due, not just the first few
            return OpenRecord("organisation", args[0], tab="compliance")
        case "tickets":
            return OpenSection("tickets", stage=args[0])
        case "ticket":
            return OpenRecord("ticket", args[0])
        case "conflicts":
            return OpenView("conflicts")
    raise ValueError(f"A dashboard line cannot open {kind!r}")


def _more_line(group: LineGroup) -> DashboardLine:
    """The line under a group's first lines saying how many more there are, and where."""
    return DashboardLine(
        key=f"{group.kind}|more",
        area=group.rest_area,
        text=f"… and {group.more:,} more {group.rest_are}: enter shows them all",
        figure="",
        severity=None,
        opens=group.rest_opens,
    )


def width_before_layout(widget: Widget) -> int:
    """The width `widget`'s content will have, before the first layout gives it one: the
    screen's width less the padding and borders of the widget and the containers around it.
    Wrapped to it, the summary is drawn once, not again at the width the layout gives."""
    gutters = sum(node.styles.gutter.width for node in widget.ancestors_with_self
                  if isinstance(node, Widget))  # fmt: skip
    return max(widget.app.size.width - gutters, 1)


def _escape(text: str) -> str:
    return text.replace("[", r"\[")
