"""Small dialogs that cannot be answered by typing: ChoiceModal and ConfirmModal ask, with named
buttons; UnsavedModal asks before work is left; RestoreDraftModal offers a draft back;
ReasonModal asks why (a reason is required).

No letter answers a question: a word typed while the person thought a text field had focus
("laczy" sends `a`, then `y`) must not archive anything. `enter` presses the focused button,
and the focus starts on the safe one; `tab`, `shift+tab`, `left` and `right` move between the
buttons; `escape` always means "back, change nothing".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

__all__ = [
    "Choice",
    "ChoiceModal",
    "ConfirmModal",
    "ReasonModal",
    "RestoreDraftModal",
    "UnsavedModal",
    "action_label",
]

ResultT = TypeVar("ResultT")

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
    & .modal--keys { width: 1fr; color: $text-muted; margin: 1 0 0 0; }
    & Horizontal { height: auto; align-horizontal: right; margin: 1 0 0 0; }
    & Button { margin: 0 0 0 1; }
"""

KEYS_HINT = "tab or ←/→ choose · enter answers · escape goes back"

_LABEL_NAME_LENGTH = 28


def action_label(verb: str, what: str) -> str:
    """A button that says what it does to what: "Archive DBS check", the name cut short."""
    what = " ".join(what.split())
    if len(what) > _LABEL_NAME_LENGTH:
        what = what[: _LABEL_NAME_LENGTH - 1].rstrip() + "…"
    return f"{verb} {what}".strip()


@dataclass(frozen=True, slots=True)
class Choice(Generic[ResultT]):
    """One button: what pressing it returns, and its words ("Archive DBS check", not "Yes")."""

    result: ResultT
    label: str
    variant: str = "default"


class ChoiceModal(ModalScreen[ResultT], Generic[ResultT]):
    """A question answered by one of its buttons; `escape` dismisses with `escape_result`.

    `focus` is the index of the button focused first: the safe answer, so `enter` pressed out
    of habit changes nothing.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back, change nothing", id="choice_modal.back"),
        Binding("left", "move(-1)", "Previous button", show=False, id="choice_modal.previous"),
        Binding("right", "move(1)", "Next button", show=False, id="choice_modal.next"),
    ]

    BINDING_GROUP_TITLE = "Question"

    DEFAULT_CSS = "ChoiceModal {" + _DIALOG_CSS + "}"

    def __init__(
        self,
        question: str,
        choices: Sequence[Choice[ResultT]],
        *,
        focus: int,
        escape_result: ResultT,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
    ) -> None:
        super().__init__(name=name, id=id)
        if not 0 <= focus < len(choices):
            raise ValueError("focus must name one of the choices")
        self.question = question
        self.choices = list(choices)
        self.focus_index = focus
        self.escape_result = escape_result

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="modal--question", markup=False)
            with Horizontal():
                for index, choice in enumerate(self.choices):
                    yield Button(choice.label, id=f"choice-{index}", variant=choice.variant)
            yield Static(KEYS_HINT, classes="modal--keys", markup=False)

    def on_mount(self) -> None:
        self.buttons[self.focus_index].focus()

    @property
    def buttons(self) -> list[Button]:
        return list(self.query(Button))

    @property
    def focused_label(self) -> str:
        """The words on the button `enter` would press now."""
        focused = self.focused
        return str(focused.label) if isinstance(focused, Button) else ""

    def action_back(self) -> None:
        self.dismiss(self.escape_result)

    def action_move(self, step: int) -> None:
        buttons = self.buttons
        focused = self.focused
        index = buttons.index(focused) if focused in buttons else self.focus_index
        buttons[(index + step) % len(buttons)].focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        index = int(str(event.button.id).removeprefix("choice-"))
        self.dismiss(self.choices[index].result)


class ConfirmModal(ChoiceModal[bool]):
    """Ask before a step that changes or archives data; dismisses with True only when the
    person moves to the named button (`yes_label`, say "Archive DBS check") and presses `enter`.
    The safe button (`no_label`) has the focus first; `escape` is False."""

    DEFAULT_CSS = "ConfirmModal {" + _DIALOG_CSS + "}"

    def __init__(
        self,
        question: str,
        yes_label: str = "Yes",
        no_label: str = "Cancel",
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
    ) -> None:
        super().__init__(
            question,
            [Choice(True, yes_label, "warning"), Choice(False, no_label, "primary")],
            focus=1,
            escape_result=False,
            name=name,
            id=id,
        )
        self.yes_label = yes_label
        self.no_label = no_label


SAVE, DISCARD = "save", "discard"
"""What UnsavedModal dismisses with; None is Cancel (stay, change nothing)."""


class UnsavedModal(ChoiceModal[str | None]):
    """Work is not saved and the person is leaving it (quit, escape, another month):
    Save / Discard / Cancel, with Cancel (stay where you are) focused."""

    DEFAULT_CSS = "UnsavedModal {" + _DIALOG_CSS + "}"

    SAVE = SAVE
    DISCARD = DISCARD

    def __init__(self, question: str, *, save_label: str = "Save", discard_label: str = "Discard",
                 cancel_label: str = "Cancel") -> None:  # fmt: skip
        super().__init__(
            question,
            [
                Choice(SAVE, save_label, "success"),
                Choice(DISCARD, discard_label, "warning"),
                Choice(None, cancel_label, "primary"),
            ],
            focus=2,
            escape_result=None,
        )


RESTORE = "restore"


class RestoreDraftModal(ChoiceModal[str | None]):
    """Offer back what was typed and not saved: Restore (focused) or Discard; `escape` leaves
    the draft for next time and opens the form as it was."""

    DEFAULT_CSS = "RestoreDraftModal {" + _DIALOG_CSS + "}"

    RESTORE = RESTORE
    DISCARD = DISCARD

    def __init__(self, question: str) -> None:
        super().__init__(
            question,
            [Choice(RESTORE, "Restore", "success"), Choice(DISCARD, "Discard", "warning")],
            focus=0,
            escape_result=None,
        )


class ReasonModal(ModalScreen[str | None]):
    """Ask for the reason behind a step (a stage moved back, a reallocation, an override).

    `enter` (or `ctrl+s`) dismisses with the reason (stripped); an empty reason shows an error
    and keeps the dialog open. `escape` dismisses with None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,ctrl+s", "submit", "OK", id="reason_modal.ok"),
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
        empty_message: str = "Enter a reason: it is kept in the record's history.",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
    ) -> None:
        """`empty_message` is what an empty answer is told (the dialog asks for other things
        than reasons: a value to settle a conflict with)."""
        super().__init__(name=name, id=id)
        self.question = question
        self.empty_message = empty_message
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
                yield Button(f"{self.ok_label} (enter)", id="reason-ok", variant="primary")
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
            error.update(f"✗ {self.empty_message}")
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
