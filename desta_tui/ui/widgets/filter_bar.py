"""FilterBar: the filter-as-you-type line a list opens with `/`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input

__all__ = ["FilterBar"]


class FilterBar(Input):
    """A one-line filter, hidden until the owning list calls `open()`.

    Every keystroke posts `FilterBar.Changed`. `escape` clears the text, hides the bar, posts
    `Changed("")` and gives focus back; `enter` or `down` gives focus back and keeps the filter
    (the bar stays visible so people can see the list is filtered).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear filter", id="filter_bar.clear"),
        Binding("enter,down", "done", "Back to list", id="filter_bar.done"),
    ]

    DEFAULT_CSS = """
    FilterBar {
        display: none;
        &.-open { display: block; }
    }
    """

    @dataclass
    class Changed(Input.Changed):
        """The filter text changed (each keystroke); `text` is the whole filter."""

        @property
        def text(self) -> str:
            return self.value

        @property
        def filter_bar(self) -> FilterBar:
            assert isinstance(self.input, FilterBar)
            return self.input

    def __init__(
        self,
        *,
        placeholder: str = "Filter: type to narrow the list, enter to keep, escape to clear",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
        classes: str | None = None,
    ) -> None:
        super().__init__(placeholder=placeholder, name=name, id=id, classes=classes)
        self._return_to: Widget | None = None

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, return_focus: Widget | None = None) -> None:
        """Show the bar and focus it; `return_focus` (default: whatever had focus) gets the
        focus back when the person is done."""
        focused = return_focus if return_focus is not None else self.app.focused
        if focused is not self:
            self._return_to = focused
        self.add_class("-open")
        self.focus()
        self.cursor_position = len(self.value)

    def close(self) -> None:
        """Clear, hide and give focus back (what `escape` does)."""
        self.action_clear()

    def action_clear(self) -> None:
        if self.value:
            self.value = ""  # Input posts Changed("") itself
        else:
            self.post_message(self.Changed(self, ""))
        self.remove_class("-open")
        self._give_focus_back()

    def action_done(self) -> None:
        if not self.value:
            self.remove_class("-open")
        self._give_focus_back()

    def _give_focus_back(self) -> None:
        target = self._return_to
        if target is not None and target.is_attached and target.focusable:
            target.focus()
        elif self.has_focus:
            self.screen.focus_next()
