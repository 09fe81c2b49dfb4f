"""HistoryView: a record's audit log as a list (when, who, what, field, old -> new) with details."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from desta_tui.domain.choices import AUDIT_ACTIONS
from desta_tui.domain.text import field_words as words_for_field
from desta_tui.services.audit import AuditEntry
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["HistoryView", "change_text", "field_words", "local_time_text"]

# The audit log keeps UTC; people read their own clock.
_TIME_FORMAT = "%d/%m/%Y %H:%M"


def local_time_text(at: datetime) -> str:
    """A UTC, timezone-naive audit time as the local wall-clock `dd/mm/yyyy hh:mm`."""
    return at.replace(tzinfo=UTC).astimezone().strftime(_TIME_FORMAT)


def field_words(field: str) -> str:
    """ "has_board_seat" -> "Has board seat" (domain.text.field_words); "" (a record created
    or archived) -> "—"."""
    return words_for_field(field) or "—"


def change_text(entry: AuditEntry) -> str:
    """ "old -> new" in one line, with "(blank)" standing for a missing value."""
    if entry.action == "archive":
        return "archived"
    if entry.action == "restore":
        return "restored"
    old = entry.old_value if entry.old_value not in (None, "") else "(blank)"
    new = entry.new_value if entry.new_value not in (None, "") else "(blank)"
    if entry.action == "create":
        return new
    return f"{old} -> {new}"


class HistoryView(Vertical):
    """Who changed what and when, newest first; the highlighted change is shown in full below
    (long notes do not fit a table cell). Give it `AuditEntry`s; `set_entries()` replaces them."""

    DEFAULT_CSS = """
    HistoryView {
        height: 1fr;
        & > RecordTable { height: 1fr; }
        & > .history-view--detail {
            height: auto;
            max-height: 6;
            padding: 0 1;
            border-top: solid $primary-muted;
        }
    }
    """

    COLUMNS = (
        Column("at", "When", 16),
        Column("who", "Who", 16),
        Column("action", "What", 9),
        Column("record", "Record", None, min_width=10),
        Column("field", "Field", 18),
        Column("change", "Old -> new", None, min_width=16),
    )

    def __init__(
        self,
        entries: Sequence[AuditEntry] = (),
        *,
        show_record: bool = True,
        empty_message: str = "No changes recorded yet",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
        classes: str | None = None,
    ) -> None:
        """`show_record` adds a column naming the record each change belongs to, for a history
        that mixes a record and its parts (an organisation with its contacts and papers)."""
        super().__init__(name=name, id=id, classes=classes)
        self._entries: list[AuditEntry] = list(entries)
        columns = [c for c in self.COLUMNS if show_record or c.key != "record"]
        self.table = RecordTable(columns, empty_message=empty_message, id="history-table")
        self._detail = Static("", classes="history-view--detail", markup=False)

    def compose(self) -> ComposeResult:
        yield self.table
        yield self._detail

    def on_mount(self) -> None:
        self.set_entries(self._entries)

    @property
    def entries(self) -> list[AuditEntry]:
        return list(self._entries)

    def set_entries(self, entries: Sequence[AuditEntry]) -> None:
        """Show `entries` (newest first, as `services.audit.record_history` gives them)."""
        self._entries = list(entries)
        if not self.table.is_attached:
            return  # on_mount shows them
        rows = []
        for index, entry in enumerate(self._entries):
            cells = {
                "at": local_time_text(entry.at),
                "who": entry.who,
                "action": AUDIT_ACTIONS.label(entry.action),
                "record": entry.record_label,
                "field": field_words(entry.field),
                "change": change_text(entry),
            }
            style = "warning" if entry.action in ("archive", "erase") else None
            rows.append(Row(str(index), tuple(cells[c.key] for c in self.table.columns), style))
        self.table.set_rows(rows)
        self._show_detail(self.table.current_key)

    @on(RecordTable.Highlighted, "#history-table")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        event.stop()
        self._show_detail(event.key)

    @on(RecordTable.Selected, "#history-table")
    def _selected(self, event: RecordTable.Selected) -> None:
        event.stop()  # nothing to open: the detail line already shows the change in full

    def _show_detail(self, key: str | None) -> None:
        if key is None or not key.isdigit() or int(key) >= len(self._entries):
            self._detail.update("")
            self._detail.display = False
            return
        entry = self._entries[int(key)]
        head = (
            f"{local_time_text(entry.at)}  {entry.who}  {AUDIT_ACTIONS.label(entry.action)} "
            f"{entry.record_label}"
        )
        if entry.field:
            head += f": {field_words(entry.field)}"
        lines = [head]
        if entry.action == "update":
            lines.append(f"was: {entry.old_value if entry.old_value else '(blank)'}")
            lines.append(f"now: {entry.new_value if entry.new_value else '(blank)'}")
        elif entry.action == "create" and entry.new_value:
            lines.append(f"set to: {entry.new_value}")
        if entry.merged_note:  # made at another site: who made it stays the author
            lines.append(entry.merged_note)
        self._detail.update("\n".join(lines))
        self._detail.display = True
