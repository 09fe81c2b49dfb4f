"""KeysScreen: every action that has a key, and a way to give it your own (saved in keymap.toml)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from desta_tui.paths import config_dir
from desta_tui.ui.binding_catalogue import BindingInfo, all_bindings, key_conflict
from desta_tui.ui.keymap import KEYMAP_FILENAME, KeymapError, check_key, read_keymap, save_keymap
from desta_tui.ui.widgets.filter_bar import FilterBar
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

# BindingInfo and all_bindings live in desta_tui.ui.binding_catalogue; kept here for callers
__all__ = ["BindingInfo", "KeyModal", "KeysScreen", "all_bindings"]


def keymap_path():
    return config_dir() / KEYMAP_FILENAME


class KeyModal(ModalScreen[str | None]):
    """Ask for the new key of one action; a key Desta cannot use is refused under the field,
    with what was typed left in place. Blank puts the built-in key back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="key_modal.cancel"),
    ]

    DEFAULT_CSS = """
    KeyModal {
        align: center middle;
        & > Vertical {
            width: 70; max-width: 100%; height: auto;
            border: thick $primary; background: $panel; padding: 0 1;
        }
        & #key-error { color: $text-error; text-style: bold; }
    }
    """

    def __init__(
        self,
        info: BindingInfo,
        current: str,
        conflict: Callable[[str], str | None] = lambda _keys: None,
    ) -> None:
        super().__init__()
        self.info = info
        self.current = current
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"{self.info.description} {self.info.where_phrase} "
                f"(built-in key: {self.info.default_keys}; in keymap.toml: "
                f"{self.info.binding_id})",
                markup=False,
            )
            yield Label("New key (like ctrl+n or f2; several with commas; blank: the built-in)")
            yield Input(self.current, id="key-input")
            yield Static("", id="key-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#key-input", Input).focus()

    @on(Input.Submitted, "#key-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        keys = event.value.strip()
        reason = check_key(keys) if keys else None
        if keys and reason is None and (taken := self.conflict(keys)):
            reason = f"{taken}; choose another key, or give that one a new key first"
        if reason:
            self.query_one("#key-error", Static).update(f"✗ {reason}")
            return
        self.dismiss(keys)

    def action_cancel(self) -> None:
        self.dismiss(None)


class KeysScreen(ModalScreen[None]):
    """The actions and their keys, grouped by the screen they work on; `/` filters, `enter`
    changes one, `escape` closes. A key another action already has where both work is refused
    naming that action. Changes are saved to keymap.toml in your config folder and work at
    once (the `?` help shows them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="keys.close"),
        Binding("slash", "filter", "Filter", id="keys.filter"),
    ]

    DEFAULT_CSS = """
    KeysScreen {
        align: center middle;
        & > Vertical {
            width: 110; max-width: 100%; height: 90%;
            border: thick $primary; background: $panel; padding: 0 1;
        }
        & #keys-title { height: auto; }
    }
    """

    COLUMNS = (
        Column("where", "Where", 20),
        Column("description", "What it does", None, min_width=16),
        Column("key", "Key", 12),
        Column("default", "Built-in", 12, priority=1),
        Column("id", "In keymap.toml", 28, priority=2),
    )

    def __init__(self) -> None:
        super().__init__()
        self.bindings_info = {info.binding_id: info for info in all_bindings()}
        self.keymap: dict[str, str] = {}
        self.filter_text = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Keys by screen: / filters, enter changes the highlighted one; saved in "
                f"{keymap_path()}",
                id="keys-title",
                markup=False,
            )
            yield FilterBar(
                placeholder="Filter: a screen, an action or a key; enter keeps, escape clears",
                id="keys-filter",
            )
            yield RecordTable(self.COLUMNS, id="keys-table", empty_message="No key matches")

    def on_mount(self) -> None:
        try:
            self.keymap = dict(read_keymap(keymap_path()).keymap)
        except KeymapError as error:
            self.notify(error.message, severity="warning")
            self.keymap = {}
        self._fill()
        self.query_one("#keys-table", RecordTable).focus()

    def _fill(self) -> None:
        words = self.filter_text.casefold().split()
        rows = []
        for info in self.bindings_info.values():
            cells = (
                info.where,
                info.description,
                self.keymap.get(info.binding_id) or info.default_keys,
                info.default_keys,
                info.binding_id,
            )
            seen = " ".join(cells).casefold()
            if all(word in seen for word in words):
                rows.append(Row(info.binding_id, cells))
        self.query_one("#keys-table", RecordTable).set_rows(rows)

    def action_filter(self) -> None:
        self.query_one("#keys-filter", FilterBar).open(self.query_one("#keys-table"))

    @on(FilterBar.Changed, "#keys-filter")
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        event.stop()
        self.filter_text = event.text
        self._fill()

    def conflict(self, binding_id: str, keys: str) -> str | None:
        """The action that already has one of `keys` where `binding_id` works, in words."""
        return key_conflict(binding_id, keys, self.bindings_info.values(), self.keymap)

    @on(RecordTable.Selected, "#keys-table")
    def _selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        info = self.bindings_info[event.key]

        def chosen(keys: str | None) -> None:
            if keys is None:
                return
            self.set_key(info.binding_id, keys)

        modal = KeyModal(
            info,
            self.keymap.get(info.binding_id, ""),
            lambda keys: self.conflict(info.binding_id, keys),
        )
        self.app.push_screen(modal, chosen)

    def set_key(self, binding_id: str, keys: str) -> None:
        """Save `keys` for `binding_id` ("" goes back to the built-in key) and apply it now."""
        keymap = dict(self.keymap)
        if keys:
            keymap[binding_id] = keys
        else:
            keymap.pop(binding_id, None)
        try:
            save_keymap(keymap_path(), keymap)
        except (KeymapError, OSError) as error:
            self.notify(getattr(error, "message", None) or str(error), severity="error")
            return
        self.keymap = keymap
        self.app.set_keymap(keymap)
        self._fill()
        info = self.bindings_info[binding_id]
        what = keys or f"the built-in {info.default_keys}"
        self.notify(f"{info.description} {info.where_phrase} is now {what}.")

    def action_close(self) -> None:
        self.dismiss(None)
