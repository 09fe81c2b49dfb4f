"""The seven sections in their order: key, mode name, title and the screen that shows each."""

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


SCREENS = "desta_tui.ui.screens"
SECTIONS = [
    Section("1", "dashboard", "Dashboard", f"{SCREENS}.dashboard_screen:DashboardScreen"),
    Section("2", "members", "Members", f"{SCREENS}.members_screen:MembersScreen"),
    Section("3", "contracts", "Contracts", f"{SCREENS}.contracts_screen:ContractsScreen"),
    Section("4", "performance", "Performance", f"{SCREENS}.performance_screen:PerformanceScreen"),
    Section("5", "tickets", "Tickets", f"{SCREENS}.tickets_screen:TicketsScreen"),
    Section("6", "reports", "Reports", f"{SCREENS}.reports_screen:ReportsScreen"),
    Section("7", "settings", "Settings", f"{SCREENS}.settings_screen:SettingsScreen"),
]
SECTIONS_BY_MODE = {section.mode: section for section in SECTIONS}
