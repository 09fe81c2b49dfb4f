"""ContractsScreen: section 3, the list of contracts and the pipeline (stages and deadlines)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, Static

from desta_tui.domain.choices import CONTRACT_STAGES
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.domain.money import format_money
from desta_tui.services import contracts
from desta_tui.ui.messages import OpenRecord
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.screens.contracts.labels import borough_short, days_text, stage_short
from desta_tui.ui.widgets.confirm_modal import ConfirmModal
from desta_tui.ui.widgets.filter_bar import FilterBar
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["ContractsScreen"]

ARCHIVED = "archived"
# The stage filter cycles through these: every live contract, each stage, then the archived.
STAGE_FILTERS: tuple[str | None, ...] = (None, *CONTRACT_STAGES.codes, ARCHIVED)


def filter_label(stage: str | None) -> str:
    if stage is None:
        return "all live contracts"
    if stage == ARCHIVED:
        return "archived contracts"
    return CONTRACT_STAGES.label(stage)


class ContractsScreen(SectionScreen):
    """Every contract with its stage, value, boroughs and next deadline; `p` shows the
    pipeline: count and value per stage, key dates in the next 30 days, overdue contacts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "open_filter", "Filter", id="contracts.filter"),
        Binding("f", "next_stage_filter", "Stage filter", id="contracts.stage_filter"),
        Binding(
            "F,shift+f",
            "previous_stage_filter",
            "Stage filter back",
            id="contracts.stage_filter_back",
            show=False,
        ),
        Binding("n", "new_contract", "New", id="contracts.new"),
        Binding("e", "edit_contract", "Edit", id="contracts.edit"),
        Binding("a", "archive_contract", "Archive", id="contracts.archive"),
        Binding("u", "undo_archive", "Undo archive", id="contracts.undo"),
        Binding("p", "toggle_pipeline", "Pipeline", id="contracts.pipeline"),
    ]

    DEFAULT_CSS = """
    ContractsScreen {
        & #contracts-status { height: 1; color: $text-muted; }
        & #contracts-views { height: 1fr; }
        & #contracts-pipeline { height: 1fr; }
        & .contracts-heading { height: 1; text-style: bold; margin: 1 0 0 0; }
        & #pipeline-table { height: 9; }
        & #pipeline-total { height: 1; }
        & #deadlines-table { height: 3; }
        & #overdue-table { height: 3; }
    }
    """

    AUTO_FOCUS = "#contracts-list"

    mode = "contracts"

    LIST_COLUMNS = (
        Column("title", "Title", None, min_width=20),
        Column("stage", "Stage", 16),
        Column("total", "Total", 10, "right", priority=2),
        Column("annual", "Annual", 10, "right", priority=3),
        Column("deadline", "Next date", 10, priority=1),
        Column("commissioner", "Commissioner", 16, priority=4),
        Column("consortium", "Consortium", 10, priority=5),
        Column("boroughs", "Boroughs", 12, priority=6),
    )
    PIPELINE_COLUMNS = (
        Column("stage", "Stage", 28),
        Column("count", "Contracts", 9, "right"),
        Column("total", "Total value", 12, "right"),
        Column("annual", "Annual value", 12, "right"),
        Column("rest", "", None, min_width=0),
    )
    DEADLINE_COLUMNS = (
        Column("due", "Date", 10),
        Column("in", "In", 8, "right"),
        Column("what", "What", 16),
        Column("contract", "Contract", None, min_width=16),
        Column("stage", "Stage", 18),
    )
    OVERDUE_COLUMNS = (
        Column("contract", "Contract", None, min_width=16),
        Column("commissioner", "Commissioner", 24),
        Column("last", "Last contact", 12),
        Column("days", "Days since", 10, "right"),
        Column("every", "Expected every", 14, "right"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.stage_filter: str | None = None
        self.filter_text = ""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="contracts-status", markup=False)
        yield FilterBar(id="contracts-filter")
        with ContentSwitcher(initial="contracts-list", id="contracts-views"):
            yield RecordTable(self.LIST_COLUMNS, empty_message="No contracts", id="contracts-list")
            with VerticalScroll(id="contracts-pipeline"):
                yield Static("Pipeline: live contracts by stage", classes="contracts-heading")
                yield RecordTable(self.PIPELINE_COLUMNS, id="pipeline-table")
                yield Static("", id="pipeline-total", markup=False)
                yield Static(
                    f"Key dates in the next {contracts.DEADLINE_DAYS} days",
                    classes="contracts-heading",
                )
                yield RecordTable(
                    self.DEADLINE_COLUMNS,
                    empty_message=f"No key dates in the next {contracts.DEADLINE_DAYS} days",
                    id="deadlines-table",
                )
                yield Static("Commissioner contact overdue", classes="contracts-heading")
                yield RecordTable(
                    self.OVERDUE_COLUMNS,
                    empty_message="Every live contract has had commissioner contact in time",
                    id="overdue-table",
                )

    def on_mount(self) -> None:
        self.refresh_data()
        self.list_table.focus()

    # --- state ----------------------------------------------------------------------------

    @property
    def list_table(self) -> RecordTable:
        return self.query_one("#contracts-list", RecordTable)

    @property
    def showing_pipeline(self) -> bool:
        return self.query_one(ContentSwitcher).current == "contracts-pipeline"

    @property
    def consortium_uuid(self) -> str | None:
        return getattr(self.app, "consortium_uuid", None)

    def refresh_data(self) -> None:
        if self.showing_pipeline:
            self.refresh_pipeline()
        else:
            self.refresh_list()

    def refresh_list(self) -> None:
        archived = self.stage_filter == ARCHIVED
        rows = contracts.list_contracts(
            self.filter_text,
            None if archived else self.stage_filter,
            archived=archived,
            consortium_uuid=self.consortium_uuid,
        )
        table = self.list_table
        table.set_rows([self._list_row(row) for row in rows])
        what = filter_label(self.stage_filter)
        if self.stage_filter is None:
            empty = "No contracts"
        elif self.stage_filter == ARCHIVED:
            empty = "No archived contracts"
        else:
            empty = f"No contracts at the stage {what}"
        if self.filter_text:
            empty += f" match {self.filter_text!r}"
        table.empty_message = empty
        total = sum(row.total_value_pence for row in rows)
        words = f" matching {self.filter_text!r}" if self.filter_text else ""
        self.query_one("#contracts-status", Static).update(
            f"Showing {what}{words}: {len(rows)} contract{'s' if len(rows) != 1 else ''}, "
            f"{format_money(total)} in all.   f stage filter · p pipeline"
        )

    @staticmethod
    def _list_row(row: contracts.ContractRow) -> Row:
        deadline = row.next_deadline
        title = f"{row.title} (archived)" if row.is_archived else row.title
        return Row(
            row.uuid,
            (
                title,
                stage_short(row.stage),
                format_money(row.total_value_pence),
                format_money(row.annual_value_pence),
                format_uk_date(deadline.due_on) if deadline else "",
                row.commissioner_name,
                row.consortium_short_name,
                ", ".join(borough_short(name) for name in row.boroughs),
            ),
            "archived" if row.is_archived else None,
        )

    def refresh_pipeline(self) -> None:
        consortium = self.consortium_uuid
        lines = contracts.pipeline(consortium)
        self.query_one("#pipeline-table", RecordTable).set_rows(
            [
                Row(
                    line.stage,
                    (
                        line.label,
                        str(line.count),
                        format_money(line.total_value_pence),
                        format_money(line.annual_value_pence),
                        "",
                    ),
                )
                for line in lines
            ]
        )
        open_lines = [line for line in lines if line.stage not in contracts.CLOSED_STAGES]
        self.query_one("#pipeline-total", Static).update(
            f"Open (not ended or lost): {sum(line.count for line in open_lines)} contracts, "
            f"{format_money(sum(line.total_value_pence for line in open_lines))} in all, "
            f"{format_money(sum(line.annual_value_pence for line in open_lines))} a year.   "
            "enter: list that stage"
        )
        deadlines = self.query_one("#deadlines-table", RecordTable)
        deadlines.set_rows(
            [
                Row(
                    key_date.contract_uuid + "|" + key_date.what,
                    (
                        format_uk_date(key_date.due_on),
                        days_text(key_date.days_left),
                        key_date.what,
                        key_date.contract_title,
                        key_date.stage_label,
                    ),
                    "warning" if key_date.days_left <= 7 else None,
                )
                for key_date in contracts.upcoming_deadlines(consortium_uuid=consortium)
            ]
        )
        overdue_table = self.query_one("#overdue-table", RecordTable)
        overdue_table.set_rows(
            [
                Row(
                    overdue.contract_uuid,
                    (
                        overdue.contract_title,
                        overdue.commissioner_name,
                        format_uk_date(overdue.last_contacted_on) or "never",
                        str(overdue.days_since) if overdue.days_since is not None else "",
                        f"{overdue.interval_days} days",
                    ),
                    "warning",
                )
                for overdue in contracts.overdue_commissioner_contacts(consortium)
            ]
        )
        # each list as tall as its rows (the view scrolls on a small screen)
        for table in (deadlines, overdue_table):
            table.styles.height = max(table.row_count, 1) + 1
        self.query_one("#contracts-status", Static).update(
            "Pipeline.   p back to the list · enter opens · tab next table"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        list_only = {
            "open_filter",
            "next_stage_filter",
            "previous_stage_filter",
            "edit_contract",
            "archive_contract",
        }
        if action in list_only and self.is_mounted and self.showing_pipeline:
            return None  # shown dimmed: these act on the list
        return True

    # --- actions --------------------------------------------------------------------------

    def action_open_filter(self) -> None:
        self.query_one(FilterBar).open(self.list_table)

    @on(FilterBar.Changed, "#contracts-filter")
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self.filter_text = event.text
        self.refresh_list()

    def _set_stage_filter(self, stage: str | None) -> None:
        self.stage_filter = stage
        self.refresh_list()

    def action_next_stage_filter(self) -> None:
        index = STAGE_FILTERS.index(self.stage_filter)
        self._set_stage_filter(STAGE_FILTERS[(index + 1) % len(STAGE_FILTERS)])

    def action_previous_stage_filter(self) -> None:
        index = STAGE_FILTERS.index(self.stage_filter)
        self._set_stage_filter(STAGE_FILTERS[(index - 1) % len(STAGE_FILTERS)])

    def action_toggle_pipeline(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        if self.showing_pipeline:
            switcher.current = "contracts-list"
            self.refresh_list()
            self.list_table.focus()
        else:
            switcher.current = "contracts-pipeline"
            self.refresh_pipeline()
            self.query_one("#pipeline-table", RecordTable).focus()
        self.refresh_bindings()

    def action_new_contract(self) -> None:
        from desta_tui.ui.screens.contracts.contract_form import ContractForm

        self.app.push_screen(
            ContractForm(consortium_uuid=self.consortium_uuid), self._contract_saved
        )

    def action_edit_contract(self) -> None:
        key = self.list_table.current_key
        if key is None:
            self.notify("There is no contract to edit here.", severity="warning")
            return
        from desta_tui.ui.screens.contracts.contract_form import ContractForm

        try:
            detail = contracts.get_contract(key)
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        self.app.push_screen(ContractForm(detail), self._contract_saved)

    def _contract_saved(self, detail: contracts.ContractDetail | None) -> None:
        if detail is None:
            return
        self.notify(f"Saved {detail.title}.")
        if self.stage_filter not in (None, detail.stage):
            self.stage_filter = None  # else the saved contract would vanish from view
        self.refresh_list()
        self.list_table.move_to_key(detail.uuid)

    def action_archive_contract(self) -> None:
        row = self.list_table.current_row
        if row is None:
            self.notify("There is no contract to archive here.", severity="warning")
            return
        if self.stage_filter == ARCHIVED:
            self.notify("That contract is archived already; u brings back the last one.")
            return
        title = row.cells[0]

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            try:
                contracts.archive_contract(row.key)
            except DestaError as error:
                self.notify(error.message, severity="error")
                return
            self.notify(f"Archived {title}. Press u to bring it back.")
            self.refresh_list()

        self.app.push_screen(
            ConfirmModal(
                f"Archive {title}? It leaves the lists and keeps its history; u undoes it.",
                "Archive",
                "Keep",
            ),
            decided,
        )

    def action_undo_archive(self) -> None:
        try:
            ref = contracts.undo_last_contract_archive()
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        if ref is None:
            self.notify("No archived contract to bring back.")
            return
        self.notify(f"Restored {ref.label}.")
        if self.stage_filter == ARCHIVED:
            self.stage_filter = None
        if not self.showing_pipeline:
            self.refresh_list()
            self.list_table.move_to_key(ref.uuid)
        else:
            self.refresh_pipeline()

    # --- opening --------------------------------------------------------------------------

    def show_stage(self, stage: str) -> None:
        """The list of live contracts at one stage of the pipeline (the dashboard's lines)."""
        self.stage_filter = stage
        if self.showing_pipeline:
            self.action_toggle_pipeline()  # back to the list, which it refills
        else:
            self.refresh_list()
        self.list_table.focus()

    def open_contract(self, contract_uuid: str) -> None:
        self.post_message(OpenRecord("contract", contract_uuid))

    @on(RecordTable.Selected, "#contracts-list")
    def _list_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self.open_contract(event.key)

    @on(RecordTable.Selected, "#deadlines-table")
    def _deadline_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self.open_contract(event.key.partition("|")[0])

    @on(RecordTable.Selected, "#overdue-table")
    def _overdue_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self.open_contract(event.key)

    @on(RecordTable.Selected, "#pipeline-table")
    def _stage_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self.stage_filter = event.key
        self.action_toggle_pipeline()
