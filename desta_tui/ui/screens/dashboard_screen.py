"""DashboardScreen: the chosen consortium at a glance, counted from the database."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from desta_tui.domain.money import format_money
from desta_tui.services.dashboard import dashboard_summary
from desta_tui.ui.screens.section_screen import SectionScreen


class DashboardScreen(SectionScreen):
    """Counts of members, contracts by stage, open tickets and compliance papers due."""

    mode = "dashboard"

    def compose_body(self) -> ComposeResult:
        yield Static(id="dashboard-summary")

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        summary = dashboard_summary(getattr(self.app, "consortium_uuid", None))
        lines = [
            f"[b]{summary.consortium_name}[/b]",
            "",
            f"Members (active):        {summary.member_count}",
            f"Member organisations:    {summary.organisation_count}",
            "",
            "[b]Contracts by stage[/b]",
        ]
        for line in summary.contracts_by_stage:
            lines.append(
                f"  {line.label:<28} {line.count:>3}   {format_money(line.value_pence):>12}"
            )
        lines += [
            "",
            f"Open support tickets:    {summary.open_ticket_count}",
            f"Compliance papers expired:                  {summary.compliance_expired}",
            f"Compliance papers expiring within {summary.compliance_warning_days} days:  "
            f"{summary.compliance_expiring}",
        ]
        self.query_one("#dashboard-summary", Static).update("\n".join(lines))
