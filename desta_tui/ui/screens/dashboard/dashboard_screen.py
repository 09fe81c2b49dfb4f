"""DashboardScreen: the chosen consortium at a glance; every line opens the place it is about."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
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
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

COLUMNS = [
    Column("area", "Area", 14),
    Column("what", "What", None, min_width=20),
    Column("figure", "Figure", 30),
]


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

    def compose_body(self) -> ComposeResult:
        yield Static(id="dashboard-summary")
        yield RecordTable(COLUMNS, id="dashboard-lines", empty_message="Nothing needs attention")
        yield Static("", id="dashboard-message", markup=False)

    def on_mount(self) -> None:
        self.refresh_data()

    def action_reload(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        self.show(dashboard_summary(getattr(self.app, "consortium_uuid", None)))

    def show(self, summary: DashboardSummary) -> None:
        """The headline counts, then each group's lines, worst first, with "… and N more"."""
        self.summary = summary
        missing = summary.group("missing")
        contacts = summary.group("contacts")
        month = summary.last_month.label if summary.last_month else "last month"
        self.query_one("#dashboard-summary", Static).update(
            f"[b]{_escape(summary.consortium_name)}[/b]\n"
            f"Members (active): {summary.member_count}    "
            f"Member organisations: {summary.organisation_count}    "
            f"Open support tickets: {summary.open_ticket_count}\n"
            f"Figures at ✗ red: {summary.red_count:,}    at ! amber: {summary.amber_count:,}    "
            f"Returns missing for {month}: {missing.total if missing else 0:,}    "
            f"Compliance papers expired: {summary.compliance_expired}, expiring within "
            f"{summary.compliance_warning_days} days: {summary.compliance_expiring}    "
            f"Commissioner contact overdue: {contacts.total if contacts else 0}"
        )
        lines = []
        for group in summary.groups:
            lines += group.lines
            if group.more > 0:
                lines.append(_more_line(group))
        self.lines = {line.key: line for line in lines}
        table = self.query_one("#dashboard-lines", RecordTable)
        table.set_rows(
            [Row(line.key, (line.area, line.text, line.figure), line.severity) for line in lines]
        )

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


def _escape(text: str) -> str:
    return text.replace("[", r"\[")
