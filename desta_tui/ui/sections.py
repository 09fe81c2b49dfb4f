"""The eight sections in their order: key, mode name, title and the screen that shows each."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.screen import Screen


@dataclass(frozen=True)
class Section:
    """One section of the app: `key` switches to it from anywhere outside a text field."""

    key: str
    mode: str
    title: str
    screen_path: str  # "module:Class", imported when the section is first shown

    def make_screen(self) -> Screen:
        module_name, _, class_name = self.screen_path.partition(":")
        return getattr(importlib.import_module(module_name), class_name)()


def _screen(feature: str, class_name: str) -> str:
    """The "module:Class" of a section's screen, in its feature's folder under ui/screens."""
    return f"desta_tui.ui.screens.{feature}.{feature}_screen:{class_name}"


SECTIONS = [
    Section("1", "dashboard", "Dashboard", _screen("dashboard", "DashboardScreen")),
    Section("2", "members", "Members", _screen("members", "MembersScreen")),
    Section("3", "contracts", "Contracts", _screen("contracts", "ContractsScreen")),
    Section("4", "performance", "Performance", _screen("performance", "PerformanceScreen")),
    Section("5", "tickets", "Tickets", _screen("tickets", "TicketsScreen")),
    Section("6", "meetings", "Meetings", _screen("meetings", "MeetingsScreen")),
    Section("7", "reports", "Reports", _screen("reports", "ReportsScreen")),
    Section("8", "settings", "Settings", _screen("settings", "SettingsScreen")),
]
