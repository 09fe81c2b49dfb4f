"""KeysScreen: every action that has a key, and a way to give it your own (saved in keymap.toml)."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from desta_tui.paths import config_dir
from desta_tui.ui.keymap import KEYMAP_FILENAME, KeymapError, check_key, read_keymap, save_keymap
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["BindingInfo", "KeyModal", "KeysScreen", "all_bindings"]


@dataclass(frozen=True)
class BindingInfo:
    """One remappable action: its id, where it works, what it does and its built-in key."""

    binding_id: str
    where: str
    description: str
    default_keys: str


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found += _subclasses(sub)
    return found


def all_bindings() -> list[BindingInfo]:
    """Every binding with an id in Desta's screens and widgets (each module is imported, so
    sections not yet opened count too), sorted by id."""
    import desta_tui.ui as ui_package

    for module in pkgutil.walk_packages(ui_package.__path__, "desta_tui.ui."):
        try:
            importlib.import_module(module.name)
        except Exception:  # a module that cannot load offers no keys; the rest still do
            continue
    seen: dict[str, BindingInfo] = {}
    for cls in [c for c in _subclasses(DOMNode) if c.__module__.startswith("desta_tui.")]:
        where = getattr(cls, "BINDING_GROUP_TITLE", None) or cls.__name__
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id and binding.id not in seen:
                description = binding.description or binding.action.split("(")[0]
                seen[binding.id] = BindingInfo(binding.id, where, description, binding.key)
    return [seen[key] for key in sorted(seen)]


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

    def __init__(self, info: BindingInfo, current: str) -> None:
        super().__init__()
        self.info = info
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"{self.info.description} ({self.info.binding_id}, {self.info.where}); "
                f"built-in key: {self.info.default_keys}",
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
        if keys and (reason := check_key(keys)):
            self.query_one("#key-error", Static).update(f"✗ {reason}")
            return
        self.dismiss(keys)

    def action_cancel(self) -> None:
        self.dismiss(None)


class KeysScreen(ModalScreen[None]):
    """The actions and their keys; `enter` changes one, `escape` closes. Changes are saved to
    keymap.toml in your config folder and work at once (the `?` help shows them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="keys.close"),
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
        Column("id", "Action id", 30),
        Column("where", "Where", 18),
        Column("description", "What it does", None, min_width=12),
        Column("default", "Built-in", 12),
        Column("yours", "Your key", 12),
    )

    def __init__(self) -> None:
        super().__init__()
        self.bindings_info = {info.binding_id: info for info in all_bindings()}
        self.keymap: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Keys: enter changes the highlighted one; saved in {keymap_path()}",
                id="keys-title",
                markup=False,
            )
            yield RecordTable(self.COLUMNS, id="keys-table")

    def on_mount(self) -> None:
        try:
            self.keymap = dict(read_keymap(keymap_path()).keymap)
        except KeymapError as error:
            self.notify(error.message, severity="warning")
            self.keymap = {}
        self._fill()
        self.query_one("#keys-table", RecordTable).focus()

    def _fill(self) -> None:
        rows = [
            Row(
                info.binding_id,
                (
                    info.binding_id,
                    info.where,
                    info.description,
                    info.default_keys,
                    self.keymap.get(info.binding_id, ""),
                ),
            )
            for info in self.bindings_info.values()
        ]
        self.query_one("#keys-table", RecordTable).set_rows(rows)

    @on(RecordTable.Selected, "#keys-table")
    def _selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        info = self.bindings_info[event.key]

        def chosen(keys: str | None) -> None:
            if keys is None:
                return
            self.set_key(info.binding_id, keys)

        self.app.push_screen(KeyModal(info, self.keymap.get(info.binding_id, "")), chosen)

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
        what = keys or f"the built-in {self.bindings_info[binding_id].default_keys}"
        self.notify(f"{binding_id} is now {what}.")

    def action_close(self) -> None:
        self.dismiss(None)
