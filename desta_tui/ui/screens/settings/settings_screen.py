"""SettingsScreen: the database in use and the name written in the audit log."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from desta_tui.domain.errors import FormError
from desta_tui.domain.rag import format_percent
from desta_tui.services.context import current_user
from desta_tui.services.performance import rag_thresholds, set_rag_thresholds
from desta_tui.services.settings import get_setting, set_setting
from desta_tui.ui.messages import OpenView
from desta_tui.ui.screens.common.section_screen import SectionScreen


class SettingsScreen(SectionScreen):
    """Which database is open, and who you are in the audit log."""

    BINDINGS = [
        Binding("ctrl+s", "save_settings", "Save", id="settings.save"),
        Binding("escape", "leave_field", "Leave field", id="settings.leave_field", show=False),
        Binding("b", "backup_now", "Back up now", id="settings.backup_now"),
        Binding("i", "import_records", "Import", id="settings.import"),
        Binding("h", "hub_history", "History", id="settings.history"),
        Binding("k", "change_keys", "Keys", id="settings.keys"),
    ]
    # no field takes the keys on arrival, so 1..8 still switch sections; tab moves in
    AUTO_FOCUS = ""

    mode = "settings"

    DEFAULT_CSS = """
    SettingsScreen #settings-rag { height: auto; }
    SettingsScreen #settings-rag > Input { width: 16; }
    """

    def compose_body(self) -> ComposeResult:
        yield Static(id="settings-database")
        yield Label("Your name in the audit log (blank: DESTA_USER, else your login name)")
        yield Input(id="settings-user-name", placeholder=current_user())
        yield Label("RAG: green at or above (%), amber at or above (%); below amber is red")
        with Horizontal(id="settings-rag"):
            yield Input(id="settings-rag-green", placeholder="95%")
            yield Input(id="settings-rag-amber", placeholder="80%")
        yield Static(id="settings-message")
        yield Static(
            "b  back up now    i  import records from CSV or Excel    h  hub history (audit log)"
            "    k  change keys",
            id="settings-data-keys",
        )

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        database = getattr(self.app, "database", None)
        lines = []
        if database is not None:
            lines.append(f"Database:  {database.label} ({database.kind})")
        hub = get_setting("hub_name")
        if hub:
            lines.append(f"Hub:       {hub}")
        if get_setting("is_demo"):
            lines.append(f"Demo data, dated as at {get_setting('demo_as_of')}")
        lines.append(f"Signed in as: {current_user()}")
        self.query_one("#settings-database", Static).update("\n".join(lines))
        self.query_one("#settings-user-name", Input).value = get_setting("user_name") or ""
        thresholds = rag_thresholds()
        self.query_one("#settings-rag-green", Input).value = format_percent(thresholds.green_at)
        self.query_one("#settings-rag-amber", Input).value = format_percent(thresholds.amber_at)

    def action_change_keys(self) -> None:
        self.post_message(OpenView("keys"))

    def action_leave_field(self) -> None:
        self.set_focus(None)

    def action_save_settings(self) -> None:
        name = self.query_one("#settings-user-name", Input).value.strip()
        try:  # thresholds first: nothing is saved until both are right, and the typing stays
            set_rag_thresholds(
                self.query_one("#settings-rag-green", Input).value,
                self.query_one("#settings-rag-amber", Input).value,
            )
        except FormError as error:
            words = {"rag_green_at": "Green", "rag_amber_at": "Amber"}
            self.query_one("#settings-message", Static).update(
                "✗ Not saved. "
                + " ".join(f"{words.get(f or '', 'RAG')}: {m}." for f, m in error.errors.items())
            )
            return
        set_setting("user_name", name)
        self.query_one("#settings-message", Static).update(f"Saved. You are {current_user()}.")
        self.refresh_data()

    def action_backup_now(self) -> None:
        from desta_tui.ui.data_safety import back_up_now

        back_up_now(self.app, self.query_one("#settings-message", Static))

    def action_import_records(self) -> None:
        self.post_message(OpenView("import"))

    def action_hub_history(self) -> None:
        self.post_message(OpenView("audit"))
