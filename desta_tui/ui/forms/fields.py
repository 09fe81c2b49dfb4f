"""Form fields that keep what was typed and show their error message right under the field."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from desta_tui.ui.widgets.readable_checkbox import ReadableCheckbox

__all__ = [
    "CheckField",
    "ChoiceField",
    "DateField",
    "FormField",
    "MoneyField",
    "TextAreaField",
    "clear_errors",
    "collect_values",
    "show_errors",
]

Parser = Callable[[str], Any]
"""Turns typed text into a value, raising an exception (ideally with `.message`) if it can't."""
Formatter = Callable[[Any], str]
"""Shows a parsed value the way the app writes it, for the hint under the field."""


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class FormField(Widget):
    """A labelled one-line text field with its error line underneath.

    The field never parses or rewrites what was typed: the form hands the raw strings to a
    service, and the service's `ValidationError`s come back through `show_errors()`. With a
    `parser`, the field checks the text when the person leaves it and shows a hint (or the
    parser's message) under it, still leaving the text as typed.
    """

    DEFAULT_CSS = """
    FormField {
        layout: vertical;
        height: auto;
        margin: 0 0 1 0;
        & > .form-field--label { width: 1fr; text-style: bold; }
        & > .form-field--error { width: 1fr; color: $text-error; text-style: bold; display: none; }
        & > .form-field--hint { width: 1fr; color: $text-muted; display: none; }
        &.-invalid > .form-field--error { display: block; }
        &.-hinted > .form-field--hint { display: block; }
        & > TextArea { height: 6; }
    }
    """

    SHOW_LABEL: ClassVar[bool] = True
    """Whether the label sits on its own line above the control (a checkbox labels itself)."""

    #: shown in an empty field unless the caller gives its own placeholder
    DEFAULT_PLACEHOLDER = ""

    def __init__(
        self,
        label: str,
        field_name: str,
        value: Any = "",
        *,
        required: bool = False,
        placeholder: str | None = None,
        parser: Parser | None = None,
        formatter: Formatter | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=id or f"field-{_kebab(field_name)}", classes=classes, disabled=disabled)
        self.label = label
        self.field_name = field_name
        self.required = required
        self.placeholder = self.DEFAULT_PLACEHOLDER if placeholder is None else placeholder
        self.parser = parser
        self.formatter = formatter
        self.input_widget: Widget = self._make_control(value)
        self.initial_value: Any = self.value
        self._error_raw: str | None = None
        self._error_message = ""
        self._label = Label(f"{label} *" if required else label, classes="form-field--label")
        self._error = Static("", classes="form-field--error", markup=False)
        self._hint = Static("", classes="form-field--hint", markup=False)

    def compose(self) -> ComposeResult:
        if self.SHOW_LABEL:
            yield self._label
        yield self.input_widget
        yield self._error
        yield self._hint

    def _make_control(self, value: Any) -> Widget:
        return Input(
            value="" if value is None else str(value),
            placeholder=self.placeholder,
            id=f"{_kebab(self.field_name)}-input",
        )

    # --- values ---------------------------------------------------------------------------

    @property
    def raw(self) -> str:
        """The text as typed (for a checkbox "1" or "")."""
        control = self.input_widget
        assert isinstance(control, Input)
        return control.value

    @property
    def value(self) -> Any:
        """What the form sends to the service: the raw text for text fields."""
        return self.raw

    @property
    def is_dirty(self) -> bool:
        """True once the value differs from the one the field started with."""
        return self.value != self.initial_value

    def mark_clean(self) -> None:
        """Take the current value as the new starting point (after a successful save)."""
        self.initial_value = self.value

    # --- messages ---------------------------------------------------------------------------

    @property
    def error(self) -> str:
        """The error shown under the field, or "" when there is none."""
        return self._error_message

    def set_error(self, message: str) -> None:
        """Show `message` under the field (prefixed with ✗, so it reads without colour)."""
        self._error_message = message
        self._error.update(f"✗ {message}")
        self._error_raw = self.raw
        self.add_class("-invalid")
        self.input_widget.add_class("-invalid")

    def clear_error(self) -> None:
        self._error.update("")
        self._error_message = ""
        self._error_raw = None
        self.remove_class("-invalid")
        self.input_widget.remove_class("-invalid")

    def set_hint(self, text: str) -> None:
        """Show a quiet hint under the field ("" hides it)."""
        self._hint.update(text)
        self.set_class(bool(text), "-hinted")

    def focus_input(self) -> None:
        self.input_widget.focus()

    @on(Input.Blurred)
    def _check_on_blur(self, event: Input.Blurred) -> None:
        """Live hint: parse the text on leaving the field; never change it."""
        if self.parser is None or event.input is not self.input_widget:
            return
        raw = self.raw
        if not raw.strip():
            self.set_hint("")
            if self._error_raw is not None and self._error_raw != raw:
                self.clear_error()
            return
        try:
            parsed = self.parser(raw)
        except Exception as error:  # any parser complaint is a hint, never a crash
            self.set_hint("")
            self.set_error(str(getattr(error, "message", None) or error))
            return
        if self._error_raw is not None and self._error_raw != raw:
            self.clear_error()
        self.set_hint(f"= {self.formatter(parsed)}" if self.formatter else "")


class MoneyField(FormField):
    """Money typed as people write it ("£1,234.50", "1234"); pass `parser=parse_money` and
    `formatter=format_money` for a hint on leaving the field."""

    DEFAULT_PLACEHOLDER = "£0.00"


class DateField(FormField):
    """A UK date typed as dd/mm/yyyy (also d/m/yy, 2012-10-01, today); pass
    `parser=parse_uk_date` and `formatter=format_uk_date` for a hint on leaving the field."""

    DEFAULT_PLACEHOLDER = "dd/mm/yyyy"


class ChoiceField(FormField):
    """One of a fixed list: `choices` are (label, value) pairs, as `Vocabulary.options()` gives.

    `value` is the chosen value, or "" when nothing is chosen (only possible if not required).
    """

    def __init__(
        self,
        label: str,
        field_name: str,
        choices: Sequence[tuple[str, Any]],
        value: Any = "",
        *,
        required: bool = False,
        placeholder: str = "Choose…",
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        self.choices = list(choices)
        super().__init__(
            label,
            field_name,
            value,
            required=required,
            placeholder=placeholder,
            id=id,
            classes=classes,
            disabled=disabled,
        )
        # a Select reports no value until it is mounted: start from the value it was given,
        # so an untouched form is not taken for a changed one
        known = any(choice_value == value for _label, choice_value in self.choices)
        self.initial_value = value if known else ""

    def _make_control(self, value: Any) -> Widget:
        known = any(choice_value == value for _label, choice_value in self.choices)
        return Select(
            self.choices,
            prompt=self.placeholder,
            allow_blank=not self.required or not known,
            value=value if known else Select.NULL,
            id=f"{_kebab(self.field_name)}-input",
        )

    @property
    def value(self) -> Any:
        control = self.input_widget
        assert isinstance(control, Select)
        return "" if control.value is Select.NULL else control.value

    @property
    def raw(self) -> str:
        return str(self.value)


class CheckField(FormField):
    """A yes/no box; `value` is a bool. The checkbox carries the label itself."""

    SHOW_LABEL: ClassVar[bool] = False

    def _make_control(self, value: Any) -> Widget:
        control_id = f"{_kebab(self.field_name)}-input"
        return ReadableCheckbox(self.label, value=bool(value), id=control_id)

    @property
    def value(self) -> bool:
        control = self.input_widget
        assert isinstance(control, Checkbox)
        return control.value

    @property
    def raw(self) -> str:
        return "1" if self.value else ""


class TextAreaField(FormField):
    """Several lines of notes; `tab` still moves to the next field."""

    def _make_control(self, value: Any) -> Widget:
        return TextArea(
            "" if value is None else str(value),
            soft_wrap=True,
            tab_behavior="focus",
            id=f"{_kebab(self.field_name)}-input",
        )

    @property
    def raw(self) -> str:
        control = self.input_widget
        assert isinstance(control, TextArea)
        return control.text


# --- helpers a form uses ------------------------------------------------------------------


def collect_values(container: DOMNode) -> dict[str, Any]:
    """{field_name: value} for every FormField inside `container` (str, or bool for checks)."""
    return {field.field_name: field.value for field in container.query(FormField)}


def clear_errors(container: DOMNode) -> None:
    for field in container.query(FormField):
        field.clear_error()


def show_errors(container: DOMNode, errors: Mapping[str | None, str]) -> dict[str | None, str]:
    """Show each message under the field whose `field_name` matches, clear the others, and
    focus the first bad field on screen. Returns the messages that belong to no field (the
    key None, or a name no field has) for the form's own message line."""
    unplaced = dict(errors)
    first: FormField | None = None
    for field in container.query(FormField):
        message = unplaced.pop(field.field_name, None)
        if message is None:
            field.clear_error()
            continue
        field.set_error(message)
        if first is None:
            first = field
    if first is not None:
        first.focus_input()
        first.scroll_visible(animate=False)
    return unplaced
