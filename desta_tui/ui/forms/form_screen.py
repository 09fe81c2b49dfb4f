"""FormScreen: the base of every record form (save with ctrl+s, cancel with escape)."""

from __future__ import annotations

import inspect
from typing import Any, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.ui.forms.fields import FormField, clear_errors, collect_values, show_errors
from desta_tui.ui.widgets.confirm_modal import ConfirmModal

__all__ = ["FormScreen"]

ResultT = TypeVar("ResultT")


class FormScreen(ModalScreen[ResultT | None], Generic[ResultT]):
    """A modal record form. Subclasses implement `compose_fields()` and `save(values)`.

    `save` gets `{field_name: raw value}` and returns the result the screen dismisses with. If
    it raises `FormError` or `ValidationError`, each message appears under its field and the
    first bad field gets focus; other errors (say, the database is locked) go to the message
    line at the bottom. Whatever happens, everything typed stays in the fields.
    Dismisses with None when cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    BINDING_GROUP_TITLE = "Form"

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
        & > #form-dialog {
            width: 80;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: thick $primary;
            background: $panel;
            padding: 0 1;
        }
        & #form-title { width: 1fr; text-style: bold; margin: 0 0 1 0; }
        & #form-fields { height: auto; max-height: 1fr; }
        & #form-message { width: 1fr; color: $text-error; text-style: bold; display: none; }
        & #form-message.-shown { display: block; }
    }
    """

    TITLE_TEXT: ClassVar[str] = "Edit"
    """The heading shown at the top of the form, unless `title` is passed in."""

    DISCARD_QUESTION: ClassVar[str] = "Discard your changes?"

    def __init__(
        self,
        title: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.form_title = title if title is not None else self.TITLE_TEXT
        self._saving = False

    # --- for subclasses ---------------------------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        """Yield the form's FormFields (and any other widgets) in tab order."""
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> Any:
        """Hand `values` to a service and return its result; may raise FormError /
        ValidationError / DestaError. May be a coroutine."""
        raise NotImplementedError

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog"):
            yield Static(self.form_title, id="form-title", markup=False)
            with VerticalScroll(id="form-fields"):
                yield from self.compose_fields()
            yield Static("", id="form-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        fields = self.query(FormField)
        if fields:
            fields.first().focus_input()

    # --- state --------------------------------------------------------------------------------

    @property
    def fields(self) -> list[FormField]:
        return list(self.query(FormField))

    @property
    def is_dirty(self) -> bool:
        """True when any field differs from what it started with."""
        return any(field.is_dirty for field in self.query(FormField))

    def values(self) -> dict[str, Any]:
        return collect_values(self)

    def set_message(self, message: str) -> None:
        """Show a message not tied to one field at the bottom of the form ("" hides it)."""
        line = self.query_one("#form-message", Static)
        line.update(f"✗ {message}" if message else "")
        line.set_class(bool(message), "-shown")

    def show_errors(self, errors: dict[str | None, str]) -> None:
        """Put each message under its field; the rest go to the message line."""
        unplaced = show_errors(self, errors)
        self.set_message(" ".join(_sentence(field, text) for field, text in unplaced.items()))

    # --- actions ----------------------------------------------------------------------------

    async def action_save(self) -> None:
        if self._saving:
            return
        self._saving = True
        try:
            result = self.save(self.values())
            if inspect.isawaitable(result):
                result = await result
        except FormError as error:
            self.show_errors(dict(error.errors))
        except ValidationError as error:
            self.show_errors({error.field: error.message})
        except DestaError as error:
            clear_errors(self)
            self.set_message(error.message)
        except Exception as error:  # no traceback reaches a user; the typing stays
            self.log.error("form save failed", error)
            clear_errors(self)
            self.set_message(f"Could not save: {error}")
        else:
            for field in self.query(FormField):
                field.mark_clean()
            self.dismiss(result)
        finally:
            self._saving = False

    def action_cancel(self) -> None:
        if not self.is_dirty:
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal(self.DISCARD_QUESTION, "Discard", "Keep editing"), decided
        )


def _sentence(field: str | None, message: str) -> str:
    text = f"{field}: {message}" if field else message
    return text if text.endswith((".", "!", "?")) else text + "."
