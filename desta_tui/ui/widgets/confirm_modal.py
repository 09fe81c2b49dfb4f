"""Small dialogs: ConfirmModal asks yes or no, ReasonModal asks why (a reason is required)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

__all__ = ["ConfirmModal", "ReasonModal"]

_DIALOG_CSS = """
    align: center middle;
    & > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        border: thick $primary;
        background: $panel;
    }
    & .modal--question { width: 1fr; margin: 0 0 1 0; }
    & .modal--error { width: 1fr; color: $text-error; text-style: bold; display: none; }
    & .modal--error.-shown { display: block; }
    & Horizontal { height: auto; align-horizontal: right; margin: 1 0 0 0; }
    & Button { margin: 0 0 0 1; }
"""


class ConfirmModal(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True (`y`, `enter`) or False (`n`, `escape`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "confirm", "Yes", id="confirm_modal.yes"),
        Binding("n,escape", "cancel", "No", id="confirm_modal.no"),
    ]

    BINDING_GROUP_TITLE = "Question"

    DEFAULT_CSS = "ConfirmModal {" + _DIALOG_CSS + "}"

    def __init__(
        self,
        question: str,
        yes_label: str = "Yes",
        no_label: str = "No",
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
    ) -> None:
        super().__init__(name=name, id=id)
        self.question = question
        self.yes_label = yes_label
        self.no_label = no_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="modal--question", markup=False)
            with Horizontal():
                yield Button(f"{self.yes_label} (y)", id="confirm-yes", variant="primary")
                yield Button(f"{self.no_label} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm-yes")
    def _pressed_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _pressed_no(self) -> None:
        self.dismiss(False)


class ReasonModal(ModalScreen[str | None]):
    """Ask for the reason behind a step (a stage moved back, a reallocation, an override).

    `enter` dismisses with the reason (stripped); an empty reason shows an error and keeps the
    dialog open. `escape` dismisses with None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "OK", id="reason_modal.ok"),
        Binding("escape", "cancel", "Cancel", id="reason_modal.cancel"),
    ]

    BINDING_GROUP_TITLE = "Reason"

    DEFAULT_CSS = "ReasonModal {" + _DIALOG_CSS + "}"

    def __init__(
        self,
        question: str,
        *,
        label: str = "Reason",
        ok_label: str = "OK",
        cancel_label: str = "Cancel",
        placeholder: str = "Why? (required)",
        value: str = "",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
    ) -> None:
        super().__init__(name=name, id=id)
        self.question = question
        self.label = label
        self.ok_label = ok_label
        self.cancel_label = cancel_label
        self.placeholder = placeholder
        self.initial_value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="modal--question", markup=False)
            yield Label(f"{self.label} *")
            yield Input(self.initial_value, placeholder=self.placeholder, id="reason-input")
            yield Static("", id="reason-error", classes="modal--error", markup=False)
            with Horizontal():
                yield Button(self.ok_label, id="reason-ok", variant="primary")
                yield Button(f"{self.cancel_label} (esc)", id="reason-cancel")

    def on_mount(self) -> None:
        self.query_one("#reason-input", Input).focus()

    @property
    def reason(self) -> str:
        return self.query_one("#reason-input", Input).value.strip()

    def action_submit(self) -> None:
        reason = self.reason
        if not reason:
            error = self.query_one("#reason-error", Static)
            error.update("✗ Enter a reason: it is kept in the record's history.")
            error.add_class("-shown")
            self.query_one("#reason-input", Input).focus()
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#reason-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#reason-ok")
    def _pressed_ok(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#reason-cancel")
    def _pressed_cancel(self) -> None:
        self.action_cancel()
