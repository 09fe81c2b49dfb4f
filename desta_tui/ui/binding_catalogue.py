"""Every remappable key in Desta: what it does, on which screen (in words), and which other
actions a new key would collide with."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

__all__ = ["BindingInfo", "all_bindings", "key_conflict", "screen_name"]

# Human names for the places keys work; a class not listed uses its BINDING_GROUP_TITLE or its
# class name in words ("FigureReturnsModal" -> "Figure returns").
_SCREEN_NAMES = {
    "DestaApp": "Everywhere",
    "RecordTable": "Any list",
    "ActionsTable": "Ticket plan actions",
    "ReturnsGrid": "Returns grid",
    "FilterBar": "Filter line",
    "DashboardScreen": "Dashboard",
    "MembersScreen": "Members list",
    "OrganisationScreen": "Organisation screen",
    "ComplianceScreen": "Compliance papers",
    "ContractsScreen": "Contracts list",
    "ContractScreen": "Contract screen",
    "PerformanceScreen": "Performance",
    "TicketsScreen": "Tickets list",
    "TicketScreen": "Ticket screen",
    "ReportsScreen": "Reports",
    "SettingsScreen": "Settings",
    "ImportScreen": "Import",
    "AuditScreen": "Audit log",
    "KeysScreen": "Keys",
    "KeyModal": "New key dialog",
    "HelpScreen": "Help",
}
# The shared list widget's keys work on every full screen that shows a list.
_LIST_WIDGETS = frozenset({"RecordTable"})
_APP = "DestaApp"


@dataclass(frozen=True)
class BindingInfo:
    """One remappable action: its id, where it works (in words), what it does, its built-in
    key, and the class that holds it (for finding keys that collide)."""

    binding_id: str
    where: str
    description: str
    default_keys: str
    owner: type | None = field(default=None, compare=False, repr=False)
    #: a priority key acts before the focused widget sees it, even in a text field
    is_priority: bool = False

    @property
    def where_phrase(self) -> str:
        """ "on the Contract screen", "everywhere", "in any list"."""
        if self.where == "Everywhere":
            return "everywhere"
        if self.where.startswith("Any "):
            return f"in {self.where[0].lower()}{self.where[1:]}"
        return f"on the {self.where}"


def screen_name(cls: type) -> str:
    """Where a class's keys work, in words."""
    if cls.__name__ in _SCREEN_NAMES:
        return _SCREEN_NAMES[cls.__name__]
    title = getattr(cls, "BINDING_GROUP_TITLE", None)
    if title:
        return title
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__.removesuffix("Modal")).split()
    return " ".join([words[0], *(word.lower() for word in words[1:])]) if words else cls.__name__


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found += _subclasses(sub)
    return found


def all_bindings() -> list[BindingInfo]:
    """Every binding with an id in Desta's screens and widgets (each module is imported, so
    sections not yet opened count too), sorted by where it works and then what it does."""
    import desta_tui.ui as ui_package

    for module in pkgutil.walk_packages(ui_package.__path__, "desta_tui.ui."):
        try:
            importlib.import_module(module.name)
        except Exception:  # a module that cannot load offers no keys; the rest still do
            continue
    seen: dict[str, BindingInfo] = {}
    for cls in [c for c in _subclasses(DOMNode) if c.__module__.startswith("desta_tui.")]:
        where = screen_name(cls)
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id and binding.id not in seen:
                description = binding.description or binding.action.split("(")[0]
                seen[binding.id] = BindingInfo(
                    binding.id, where, description, binding.key, owner=cls,
                    is_priority=bool(binding.priority),
                )  # fmt: skip
    return sorted(seen.values(), key=lambda info: (info.where, info.description, info.binding_id))


def _is_list_screen(cls: type) -> bool:
    return issubclass(cls, Screen) and not issubclass(cls, ModalScreen)


def _share_keys(first: type | None, second: type | None) -> bool:
    """Whether keys of `first` and `second` are live at the same time, so one would hide
    the other: the same class or one inherits the other, the app's keys (live everywhere), or
    the shared list widget on a full screen."""
    if first is None or second is None:
        return False
    if first is second or issubclass(first, second) or issubclass(second, first):
        return True
    if _APP in (first.__name__, second.__name__):
        return True
    for widget, other in ((first, second), (second, first)):
        if widget.__name__ in _LIST_WIDGETS and _is_list_screen(other):
            return True
    return False


def _is_typing_key(key: str) -> bool:
    """Whether pressing `key` types a character into a text field: a letter, digit or sign,
    with or without shift (Textual names them `a`, `A`, `1`, `slash`, `shift+a`...)."""
    name = key.removeprefix("shift+")
    if "+" in name:
        return False  # ctrl+, alt+, super+ ... never type
    return len(name) == 1 or name in _SIGN_NAMES


#: the names Textual gives printable signs, besides single characters
_SIGN_NAMES = frozenset({"space", "slash", "backslash", "comma", "full_stop", "minus", "plus",
                         "equals_sign", "left_square_bracket", "right_square_bracket",
                         "semicolon", "apostrophe", "number_sign", "asterisk", "question_mark",
                         "exclamation_mark", "quotation_mark", "dollar_sign", "percent_sign",
                         "ampersand", "left_parenthesis", "right_parenthesis", "underscore",
                         "colon", "less_than_sign", "greater_than_sign", "at", "circumflex_accent",
                         "grave_accent", "left_curly_bracket", "right_curly_bracket",
                         "vertical_line", "tilde"})  # fmt: skip


def _keys(text: str) -> set[str]:
    return {key.strip() for key in text.split(",") if key.strip()}


def key_conflict(
    binding_id: str,
    keys: str,
    bindings: Iterable[BindingInfo],
    keymap: Mapping[str, str],
) -> str | None:
    """Why `keys` cannot be given to `binding_id`: the first action that already has one of
    them where both work ("`e` is already Edit on the Contract screen"), or None."""
    infos = {info.binding_id: info for info in bindings}
    this = infos.get(binding_id)
    wanted = _keys(keys)
    if this is None or not wanted:
        return None
    if this.is_priority:
        typed = sorted(key for key in wanted if _is_typing_key(key))
        if typed:
            return (
                f"`{typed[0]}` would be typed into text fields: {this.description} acts even "
                "while you type, so it needs a key with ctrl, alt or a function key"
            )
    for other in infos.values():
        if other.binding_id == binding_id or not _share_keys(this.owner, other.owner):
            continue
        taken = wanted & _keys(keymap.get(other.binding_id) or other.default_keys)
        if taken:
            key = sorted(taken)[0]
            return f"`{key}` is already {other.description} {other.where_phrase}"
    return None
