"""ConsortiumModal: choose which consortium the sections show, or all of them."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from desta_tui.services.lookups import consortia

__all__ = ["ALL_CONSORTIA", "ConsortiumModal"]

ALL_CONSORTIA = ""
"""What the modal dismisses with for "All consortia" (None means it was cancelled)."""


class ConsortiumModal(ModalScreen[str | None]):
    """A short list of the consortia; `enter` chooses, `escape` leaves the choice as it was.
    Dismisses with the consortium's uuid, ALL_CONSORTIA, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="consortium_modal.cancel"),
    ]

    BINDING_GROUP_TITLE = "Consortium"

    DEFAULT_CSS = """
    ConsortiumModal {
        align: center middle;
        & > Vertical {
            width: 70;
            max-width: 100%;
            height: auto;
            border: thick $primary;
            background: $panel;
            padding: 0 1;
        }
        & #consortium-title { text-style: bold; margin: 0 0 1 0; }
        & OptionList { height: auto; max-height: 12; }
    }
    """

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current or ALL_CONSORTIA

    def compose(self) -> ComposeResult:
        choices = [(ALL_CONSORTIA, "All consortia")]
        choices += [(c.uuid, c.name) for c in consortia()]
        options = [
            Option(f"{'● ' if uuid == self.current else '  '}{name}", id=uuid or "all")
            for uuid, name in choices
        ]
        with Vertical():
            yield Static(
                "Show which consortium? (enter chooses, escape keeps)", id="consortium-title"
            )
            yield OptionList(*options, id="consortium-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        try:
            options.highlighted = options.get_option_index(self.current or "all")
        except Exception:  # the current one has gone: start at the top
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#consortium-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or "all"
        self.dismiss(ALL_CONSORTIA if option_id == "all" else option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
