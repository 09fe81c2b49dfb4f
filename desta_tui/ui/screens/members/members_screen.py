"""MembersScreen: section 2, the organisations of one consortium or all, filtered as you type."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from desta_tui.domain.errors import DestaError
from desta_tui.services import members
from desta_tui.services.members import OrganisationRow
from desta_tui.ui.messages import OpenRecord, OpenView
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.screens.members.compliance_style import compliance_style
from desta_tui.ui.widgets.confirm_modal import ConfirmModal
from desta_tui.ui.widgets.consortium_modal import ALL_CONSORTIA, ConsortiumModal
from desta_tui.ui.widgets.filter_bar import FilterBar
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["MembersScreen"]

# The table's columns and the service's sort for each.
COLUMN_SORTS = {
    "name": "name",
    "boroughs": "boroughs",
    "status": "status",
    "board": "board",
    "compliance": "compliance",
    "contacts": "contacts",
}


class MembersScreen(SectionScreen):
    """Name, boroughs, membership status, board seat, compliance and contacts of every
    organisation in the chosen consortium. `/` filters over names, boroughs and contacts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "open_filter", "Filter", id="members.filter"),
        Binding("n", "new_organisation", "New", id="members.new"),
        Binding("e", "edit_organisation", "Edit", id="members.edit"),
        Binding("a", "archive_organisation", "Archive", id="members.archive"),
        Binding("u", "undo_archive", "Undo", id="members.undo"),
        Binding("h", "toggle_archived", "Archived", id="members.show_archived"),
        Binding("c", "choose_consortium", "Consortium", id="members.consortium"),
        Binding("x", "show_expiring", "Expiring", id="members.expiring"),
    ]

    DEFAULT_CSS = """
    MembersScreen {
        & #members-heading { height: 1; text-style: bold; }
        & #members-status { height: 1; color: $text-muted; }
    }
    """

    AUTO_FOCUS = "#members-table"

    mode = "members"

    COLUMNS = (
        Column("name", "Name", None, min_width=30),
        Column("boroughs", "Boroughs", None, min_width=10, priority=1),
        Column("status", "Status", 10),
        Column("board", "Board", 5, priority=2),
        Column("compliance", "Compliance", 10),
        Column("contacts", "Contacts", 8, "right", priority=3),
    )

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self.show_archived = False
        self.page: members.OrganisationPage | None = None
        self._rows_by_key: dict[str, OrganisationRow] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="members-heading", markup=False)
        yield FilterBar(
            id="members-filter",
            placeholder="Filter by name, borough or contact: enter keeps, escape clears",
        )
        yield RecordTable(self.COLUMNS, empty_message="No organisations", id="members-table")
        yield Static("", id="members-status", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "consortium_uuid", self._consortium_changed, init=False)
        self.refresh_data()

    # --- state ------------------------------------------------------------------------------

    @property
    def table(self) -> RecordTable:
        return self.query_one("#members-table", RecordTable)

    @property
    def consortium_uuid(self) -> str | None:
        return getattr(self.app, "consortium_uuid", None)

    @property
    def current(self) -> OrganisationRow | None:
        key = self.table.current_key
        return self._rows_by_key.get(key) if key else None

    def _consortium_changed(self, _value: str | None) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Ask the database for the rows the filter, consortium, sort and archived toggle want."""
        table = self.table
        sort = COLUMN_SORTS.get(table.sort_column or "name", "name")
        try:
            page = members.list_organisations(
                self.filter_text,
                self.consortium_uuid,
                include_archived=self.show_archived,
                sort=sort,
                descending=table.sort_reverse,
            )
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        self.page = page
        self._rows_by_key = {row.uuid: row for row in page.rows}
        table.set_rows([self._row(row) for row in page.rows])
        where = members.consortium_name(self.consortium_uuid)
        if self.filter_text:
            table.empty_message = f"No organisations match {self.filter_text!r}"
        elif self.consortium_uuid:
            table.empty_message = f"No organisations in {where} yet: n adds one"
        else:
            table.empty_message = "No organisations yet: n adds one"
        self._update_heading()
        self._update_status()

    def _row(self, row: OrganisationRow) -> Row:
        name = f"{row.name} (archived)" if row.is_archived else row.name
        cells = (
            name,
            row.boroughs,
            row.status,
            "yes" if row.has_board_seat else "",
            row.compliance if row.compliance != members.NONE else "",
            str(row.contact_count),
        )
        style = "archived" if row.is_archived else compliance_style(row.compliance)
        return Row(row.uuid, cells, style)

    def _update_heading(self) -> None:
        page = self.page
        if page is None:
            return
        where = members.consortium_name(self.consortium_uuid)
        if page.total is None:
            count = f"more than {page.limit} organisations"
        else:
            count = f"{page.total} organisation{'s' * (page.total != 1)}"
        if self.filter_text:
            one = page.total == 1
            count = f"{count} match{'es' * one} {self.filter_text!r}"
        parts = [where, count]
        if page.is_cut:
            parts.append(f"showing the first {len(page.rows)}: type / to narrow")
        if self.show_archived:
            parts.append("archived shown")
        self.query_one("#members-heading", Static).update(" · ".join(parts))

    def _update_status(self) -> None:
        row = self.current
        text = ""
        if row is not None:
            text = f"{row.name}: {row.compliance_detail}"
            if row.is_archived:
                text += " · archived (u brings back the last one you archived)"
        self.query_one("#members-status", Static).update(text)

    # --- events -----------------------------------------------------------------------------

    @on(FilterBar.Changed, "#members-filter")
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        event.stop()
        if event.text != self.filter_text:
            self.filter_text = event.text
            self.refresh_data()

    @on(RecordTable.Highlighted, "#members-table")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        self._update_status()

    @on(RecordTable.SortChanged, "#members-table")
    def _sort_changed(self, event: RecordTable.SortChanged) -> None:
        # the database sorts all the matches, not just the rows on screen
        if self.page is not None and self.page.is_cut:
            self.refresh_data()

    @on(RecordTable.Selected, "#members-table")
    def _selected(self, event: RecordTable.Selected) -> None:
        self._open(event.key)

    # --- actions ----------------------------------------------------------------------------

    def action_open_filter(self) -> None:
        self.query_one("#members-filter", FilterBar).open(return_focus=self.table)

    def _open(self, uuid: str) -> None:
        self.post_message(OpenRecord("organisation", uuid))

    def action_new_organisation(self) -> None:
        from desta_tui.ui.screens.members.organisation_form import OrganisationForm

        self.app.push_screen(OrganisationForm(), self._saved)

    def action_edit_organisation(self) -> None:
        from desta_tui.ui.screens.members.organisation_form import OrganisationForm

        row = self.current
        if row is None:
            self.notify("There is no organisation to edit here.", severity="warning")
            return
        try:
            detail = members.get_organisation(row.uuid)
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        self.app.push_screen(OrganisationForm(detail), self._saved)

    def _saved(self, detail: members.OrganisationDetail | None) -> None:
        if detail is None:
            return
        self.refresh_data()
        if not self.table.move_to_key(detail.uuid) and self.filter_text:
            # the filter hides the saved record: clear it so the person sees what they saved
            self.query_one("#members-filter", FilterBar).close()
            self.filter_text = ""
            self.refresh_data()
            self.table.move_to_key(detail.uuid)
        self.notify(f"Saved {detail.name}.")

    def action_archive_organisation(self) -> None:
        row = self.current
        if row is None:
            self.notify("There is no organisation to archive here.", severity="warning")
            return
        if row.is_archived:
            self.notify(f"{row.name} is already archived.", severity="warning")
            return

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            try:
                members.archive_organisation(row.uuid)
            except DestaError as error:
                self.notify(error.message, severity="error")
                return
            self.refresh_data()
            self.notify(f"Archived {row.name}. Press u to undo.")

        self.app.push_screen(
            ConfirmModal(
                f"Archive {row.name}? It leaves the lists but keeps its history; u brings it back.",
                "Archive",
                "Keep",
            ),
            decided,
        )

    def action_undo_archive(self) -> None:
        try:
            ref = members.undo_last_archive_in_members()
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        if ref is None:
            self.notify("Nothing to undo: you have not archived anything here.")
            return
        self.refresh_data()
        if ref.table_name == "organisation":
            self.table.move_to_key(ref.uuid)
        self.notify(f"Restored the {ref.kind} {ref.label}.")

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_data()
        self.notify(
            "Archived organisations shown."
            if self.show_archived
            else "Archived organisations hidden."
        )

    def action_choose_consortium(self) -> None:
        def chosen(uuid: str | None) -> None:
            if uuid is None:
                return
            self.app.consortium_uuid = None if uuid == ALL_CONSORTIA else uuid

        self.app.push_screen(ConsortiumModal(self.consortium_uuid), chosen)

    def action_show_expiring(self) -> None:
        self.post_message(OpenView("compliance"))
