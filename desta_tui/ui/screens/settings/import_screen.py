"""ImportScreen: choose a file and a kind of record, see what would change, then import it."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from desta_tui.domain.errors import DestaError
from desta_tui.services.importing import ACTION_WORDS, KINDS, ImportReport, import_file
from desta_tui.ui.data_safety import run_in_thread
from desta_tui.ui.widgets.key_footer import KeyFooter
from desta_tui.ui.widgets.readable_checkbox import ReadableCheckbox
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

PREVIEW_COLUMNS = (
    Column("line", "Line", 6, align="right"),
    Column("result", "Result", 22),
    Column("record", "Record", None, min_width=16),
    Column("detail", "Detail", None, min_width=16),
)
ROW_STYLES = {"create": None, "update": "warning", "exists": "warning", "unchanged": "archived"}


class ImportScreen(Screen):
    """Nothing is written until the preview shows no problems and the officer presses ctrl+s."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "preview", "Preview", id="import.preview"),
        Binding("ctrl+s", "import", "Import", id="import.run"),
        Binding("escape", "back", "Back", id="import.back"),
    ]

    DEFAULT_CSS = """
    ImportScreen {
        & #import-form { height: auto; }
        & #import-form Label { padding: 1 1 0 1; }
        & #import-kind { width: 24; }
        & #import-path { width: 1fr; }
        & #import-summary { padding: 0 1; height: auto; }
        & #import-summary.-error { color: $text-error; text-style: bold; }
        & #import-preview { height: 1fr; }
    }
    """

    def __init__(self, kind: str = "members", path: str = "") -> None:
        super().__init__()
        self.initial_kind = kind
        self.initial_path = path
        self.report: ImportReport | None = None
        self.previewed: tuple[str, str, bool] | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static(
            "[b]Import records[/b] from CSV (as Excel saves it) or an Excel workbook (.xlsx). "
            "If any row is wrong, nothing is imported.",
            id="import-title",
        )
        with Horizontal(id="import-form"):
            yield Label("What")
            yield Select(
                [(kind.capitalize(), kind) for kind in KINDS],
                value=self.initial_kind,
                allow_blank=False,
                id="import-kind",
            )
            yield Label("File")
            yield Input(self.initial_path, placeholder="path to a .csv or .xlsx file",
                        id="import-path")  # fmt: skip
        yield ReadableCheckbox("Update records already there (--update)", id="import-update")
        yield Static("Type the file's path and press enter (or ctrl+r) to preview.",
                     id="import-summary", markup=False)  # fmt: skip
        yield RecordTable(PREVIEW_COLUMNS, empty_message="No preview yet", id="import-preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def choices(self) -> tuple[str, str, bool]:
        kind = self.query_one("#import-kind", Select).value
        path = self.query_one("#import-path", Input).value.strip()
        update = self.query_one("#import-update", Checkbox).value
        return str(kind), path, bool(update)

    def say(self, text: str, *, error: bool = False) -> None:
        summary = self.query_one("#import-summary", Static)
        summary.update(text)
        summary.set_class(error, "-error")

    @on(Input.Submitted, "#import-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    def action_preview(self) -> None:
        self._start(dry_run=True)

    def action_import(self) -> None:
        if self.report is None or self.previewed != self.choices():
            self.say("Preview first (ctrl+r): nothing is imported before you have seen it.",
                     error=True)  # fmt: skip
            return
        if self.report.errors:
            self.say("The preview found problems: correct the file and preview again.", error=True)
            return
        if not self.report.outcomes:
            self.say("There is nothing to import in this file.", error=True)
            return
        self._start(dry_run=False)

    def action_back(self) -> None:
        if isinstance(self.focused, Input | Select | Checkbox) and self.report is not None:
            self.query_one("#import-preview", RecordTable).focus()
            return
        self.dismiss(self.report if self.report and self.report.written else None)

    def _start(self, *, dry_run: bool) -> None:
        if self.busy:
            return
        kind, path, update = self.choices()
        if not path:
            self.say("Type the path of the file to import.", error=True)
            self.query_one("#import-path", Input).focus()
            return
        self.busy = True
        self.say("Reading the file…" if dry_run else "Importing…")
        self.run_worker(
            lambda: run_in_thread(
                import_file, kind, Path(path).expanduser(), update=update, dry_run=dry_run
            ),
            thread=True,
            group="import",
            name="import-preview" if dry_run else "import-write",
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "import" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        self.busy = False
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, DestaError) else f"Import failed: {error}"
            self.report = None
            self.query_one("#import-preview", RecordTable).set_rows([])
            self.say(message, error=True)
            return
        report: ImportReport = event.worker.result
        self.show(report)
        if report.written:
            self.app.notify(report.summary(), title="Import")

    def show(self, report: ImportReport) -> None:
        """Fill the preview with the problems (first) and what each row does."""
        self.report = report
        self.previewed = (report.kind, str(self.choices()[1]), report.update) if report else None
        rows = []
        for index, error in enumerate(report.errors):
            rows.append(Row(f"e{index}", (str(error.line), "✗ problem", error.column or "",
                                          error.message), "error"))  # fmt: skip
        for outcome in report.outcomes:
            detail = "; ".join(outcome.changes)
            result = ACTION_WORDS[outcome.action]
            if outcome.action == "update" and report.written:
                result = "updated"
            elif outcome.action == "create" and report.written:
                result = "created"
            rows.append(Row(f"l{outcome.line}", (str(outcome.line), result, outcome.label, detail),
                            ROW_STYLES.get(outcome.action)))  # fmt: skip
        self.query_one("#import-preview", RecordTable).set_rows(rows)
        text = report.summary()
        if report.ignored_columns:
            text += " Columns left out: " + ", ".join(report.ignored_columns) + "."
        if not report.written and not report.errors and report.outcomes:
            text += " Press ctrl+s to import."
        self.say(text, error=bool(report.errors))
        if report.written:
            self.previewed = None  # a second ctrl+s must not import the file twice
