"""ComplianceScreen: every paper in the hub that has expired or expires within 30, 60 or 90 days."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.services import members
from desta_tui.ui.messages import OpenRecord
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.screens.members.compliance_style import compliance_style
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["WINDOWS", "ComplianceScreen"]

WINDOWS = (30, 60, 90)


class ComplianceScreen(SectionScreen):
    """Expired and expiring papers, soonest first; `w` widens or narrows the window,
    `enter` opens the organisation on its compliance tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="compliance.back"),
        Binding("w", "next_window", "30/60/90 days", id="compliance.window"),
    ]

    DEFAULT_CSS = """
    ComplianceScreen {
        & #compliance-heading { height: 1; text-style: bold; }
        & #compliance-status { height: 1; color: $text-muted; }
    }
    """

    AUTO_FOCUS = "#expiring-table"

    mode = "members"

    COLUMNS = (
        Column("expires", "Expires", 10),
        Column("state", "State", 22),
        Column("organisation", "Organisation", None, min_width=16),
        Column("kind", "Paper", 20),
        Column("reference", "Reference", 14),
    )

    def __init__(self, within_days: int = 60) -> None:
        super().__init__()
        self.within_days = within_days if within_days in WINDOWS else 60
        self._org_by_key: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="compliance-heading", markup=False)
        yield RecordTable(self.COLUMNS, id="expiring-table")
        yield Static(
            "enter opens the organisation · w: 30, 60 or 90 days · s sorts · escape goes back",
            id="compliance-status",
            markup=False,
        )

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        consortium = getattr(self.app, "consortium_uuid", None)
        try:
            items = members.expiring_compliance(self.within_days, consortium)
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        self._org_by_key = {item.uuid: item.organisation_uuid for item in items}
        table = self.query_one("#expiring-table", RecordTable)
        table.empty_message = f"Nothing expired or expiring within {self.within_days} days"
        table.set_rows(
            [
                Row(
                    item.uuid,
                    (
                        format_uk_date(item.expires_on),
                        item.state_text,
                        item.organisation_name,
                        item.kind_label,
                        item.reference,
                    ),
                    compliance_style(item.state),
                )
                for item in items
            ]
        )
        expired = sum(1 for item in items if item.state == members.EXPIRED)
        where = members.consortium_name(consortium)
        self.query_one("#compliance-heading", Static).update(
            f"Papers expired or expiring within {self.within_days} days · {where} · "
            f"{expired} expired, {len(items) - expired} expiring"
        )

    def action_next_window(self) -> None:
        index = WINDOWS.index(self.within_days)
        self.within_days = WINDOWS[(index + 1) % len(WINDOWS)]
        self.refresh_data()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(RecordTable.Selected, "#expiring-table")
    def _selected(self, event: RecordTable.Selected) -> None:
        org = self._org_by_key.get(event.key)
        if org:
            self.post_message(
                OpenRecord("organisation", org, tab="compliance", highlight=event.key)
            )
