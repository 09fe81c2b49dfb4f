"""SettingsScreen: the database in use and the name written in the audit log."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from desta_tui.domain.errors import DestaError, FormError
from desta_tui.domain.rag import format_percent
from desta_tui.services.context import current_user
from desta_tui.services.performance import rag_thresholds, set_rag_thresholds
from desta_tui.services.settings import get_setting, set_setting
from desta_tui.ui.messages import OpenView
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.unsaved import UnsavedChanged


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
        if self.unsaved_work():
            return  # back from another section: what was typed here stays as it was
        thresholds = rag_thresholds()
        self._saved_values = {
            "#settings-user-name": get_setting("user_name") or "",
            "#settings-rag-green": format_percent(thresholds.green_at),
            "#settings-rag-amber": format_percent(thresholds.amber_at),
        }
        for selector, value in self._saved_values.items():
            self.query_one(selector, Input).value = value

    # --- unsaved work (desta_tui/ui/unsaved.py) -----------------------------------------------

    def unsaved_work(self) -> str | None:
        saved = getattr(self, "_saved_values", None)
        if not saved:
            return None
        changed = any(self.query_one(key, Input).value != value for key, value in saved.items())
        return "Settings" if changed else None

    async def save_unsaved_work(self) -> bool:
        return self.action_save_settings()

    def discard_unsaved_work(self) -> None:
        for selector, value in getattr(self, "_saved_values", {}).items():
            self.query_one(selector, Input).value = value

    def keep_draft_now(self) -> None:
        """Three short settings: nothing worth a draft."""

    @on(Input.Changed)
    def _typed(self) -> None:
        self.post_message(UnsavedChanged())

    def action_change_keys(self) -> None:
        self.post_message(OpenView("keys"))

    def action_leave_field(self) -> None:
        self.set_focus(None)

    def action_save_settings(self) -> bool:
        """Save the name and the thresholds; True once saved. Nothing typed is lost."""
        name = self.query_one("#settings-user-name", Input).value.strip()
        message = self.query_one("#settings-message", Static)
        try:  # thresholds first: nothing is saved until both are right, and the typing stays
            set_rag_thresholds(
                self.query_one("#settings-rag-green", Input).value,
                self.query_one("#settings-rag-amber", Input).value,
            )
            set_setting("user_name", name)
        except FormError as error:
            words = {"rag_green_at": "Green", "rag_amber_at": "Amber"}
            message.update(
                "✗ Not saved. "
                + " ".join(f"{words.get(f or '', 'RAG')}: {m}." for f, m in error.errors.items())
            )
            return False
        except DestaError as error:  # the database is busy, read-only, full...
            message.update(f"✗ Not saved. {error.message}")
            return False
        self._saved_values = {}
        message.update(f"Saved. You are {current_user()}.")
        self.refresh_data()
        self.post_message(UnsavedChanged())
        return True

    def action_backup_now(self) -> None:
        from desta_tui.ui.data_safety import back_up_now

        back_up_now(self.app, self.query_one("#settings-message", Static))

    def action_import_records(self) -> None:
        self.post_message(OpenView("import"))

    def action_hub_history(self) -> None:
        self.post_message(OpenView("audit"))
