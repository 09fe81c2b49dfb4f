"""HelpScreen: every key that works right now, grouped by where it applies, as mapped now."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

__all__ = ["HelpEntry", "HelpGroup", "HelpScreen", "help_groups"]


@dataclass(frozen=True)
class HelpEntry:
    """One action: the keys that run it (as displayed), what it does, and whether it can run
    now (a disabled action is listed but marked)."""

    keys: str
    description: str
    enabled: bool = True


@dataclass(frozen=True)
class HelpGroup:
    title: str
    entries: tuple[HelpEntry, ...]


def _words(name: str) -> str:
    """ "RecordTable" -> "Record table"; "cycle_sort" -> "Cycle sort"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").strip()
    return spaced[:1].upper() + spaced[1:].lower()


def _group_title(node: DOMNode) -> str:
    if node.BINDING_GROUP_TITLE:
        return node.BINDING_GROUP_TITLE
    if isinstance(node, App):
        return "Anywhere"
    if isinstance(node, Screen):
        return "On this screen"
    return _words(type(node).__name__)


def _describe(binding: Binding) -> str:
    text = binding.description or _words(binding.action.rpartition(".")[2].split("(")[0])
    return f"{text}: {binding.tooltip}" if binding.tooltip else text


def help_groups(screen: Screen) -> list[HelpGroup]:
    """The bindings active on `screen` (its focused widget, its containers, the screen and the
    app), with their keys as currently mapped (after `App.set_keymap`), most specific first.

    A widget's hidden bindings without an id (an Input's cursor and editing keys) are left out;
    everything else is listed, enabled or not.
    """
    app = screen.app
    grouped: dict[DOMNode, dict[tuple[str, str], list[str]]] = {}
    enabled_actions: set[tuple[DOMNode, str, str]] = set()
    for node, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.system:
            continue
        if not (binding.show or binding.id or isinstance(node, App | Screen)):
            continue  # a text field's own editing keys (cursor left, delete word...)
        description = _describe(binding)
        keys = grouped.setdefault(node, {}).setdefault((binding.action, description), [])
        key_display = app.get_key_display(binding)
        if key_display not in keys:
            keys.append(key_display)
        if enabled:
            enabled_actions.add((node, binding.action, description))
    return [
        HelpGroup(
            _group_title(node),
            tuple(
                HelpEntry(
                    " / ".join(keys), description, (node, action, description) in enabled_actions
                )
                for (action, description), keys in actions.items()
            ),
        )
        for node, actions in grouped.items()
    ]


class HelpScreen(ModalScreen[None]):
    """Lists every key that works on the screen beneath it; `escape`, `?` or `q` closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close help", id="help.close"),
    ]

    BINDING_GROUP_TITLE = "Help"

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 80;
            max-width: 100%;
            height: auto;
            max-height: 90%;
            border: thick $primary;
            background: $panel;
            padding: 0 1;
        }
        & #help-title { text-style: bold; margin: 0 0 1 0; }
        & VerticalScroll { height: auto; max-height: 1fr; }
        & #help-footer { color: $text-muted; margin: 1 0 0 0; }
    }
    """

    def __init__(
        self,
        screen: Screen | None = None,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
    ) -> None:
        """`screen` is the screen whose keys to list; by default the one beneath this."""
        super().__init__(name=name, id=id)
        self._target = screen
        self.groups: list[HelpGroup] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Keys", id="help-title")
            with VerticalScroll():
                yield Static(id="help-table")
            yield Static("escape, ? or q closes this help", id="help-footer")

    def on_mount(self) -> None:
        self.groups = help_groups(self._screen_beneath())
        self.query_one("#help-table", Static).update(self._table())

    def _screen_beneath(self) -> Screen:
        if self._target is not None:
            return self._target
        stack = self.app.screen_stack
        index = stack.index(self) if self in stack else len(stack)
        return stack[index - 1] if index > 0 else self

    def as_text(self) -> str:
        """The listed keys as plain text, one line per action."""
        lines = []
        for group in self.groups:
            lines.append(f"{group.title}:")
            lines += [
                f"  {entry.keys}: {entry.description}"
                + ("" if entry.enabled else " (not available now)")
                for entry in group.entries
            ]
        return "\n".join(lines)

    def _table(self) -> Table:
        table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
        table.add_column("keys", justify="right", style="bold", no_wrap=True)
        table.add_column("action", ratio=1)
        for index, group in enumerate(self.groups):
            if index:
                table.add_row("", "")
            table.add_row("", Text(group.title, style="bold underline"))
            for entry in group.entries:
                description = Text(entry.description)
                if not entry.enabled:
                    description.append(" (not available now)", style="italic")
                table.add_row(entry.keys, description)
        if not self.groups:
            table.add_row("", "No keys are bound here.")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
