"""FormScreen: the base of every record form (save with ctrl+s, leave with escape), kept as a
draft while it is typed in."""

from __future__ import annotations

import inspect
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Select, SelectionList, Static, TextArea

from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.services.drafts import NEW
from desta_tui.ui.drafts import DraftKey, draft_keeper
from desta_tui.ui.forms.fields import FormField, clear_errors, collect_values, show_errors
from desta_tui.ui.unsaved import UnsavedChanged
from desta_tui.ui.widgets.confirm_modal import (
    DISCARD,
    RESTORE,
    SAVE,
    RestoreDraftModal,
    UnsavedModal,
)
from desta_tui.ui.widgets.key_footer import KeyFooter

__all__ = ["FormScreen"]

ResultT = TypeVar("ResultT")


class FormScreen(ModalScreen[ResultT | None], Generic[ResultT]):
    """A modal record form. Subclasses implement `compose_fields()` and `save(values)`.

    `save` gets `{field_name: raw value}` and returns the result the screen dismisses with. If
    it raises `FormError` or `ValidationError`, each message appears under its field and the
    first bad field gets focus, the cursor at the end of what was typed; other errors (say,
    the database is locked) go to the message line at the bottom. Whatever happens, everything
    typed stays in the fields. Dismisses with None when left without saving.

    A form with a `DRAFT_KIND` is kept as a draft while it is typed in; opening the same form
    for the same record again offers the draft back. Saving, or leaving with Discard, deletes
    it. `escape` on a changed form asks Save / Discard / Cancel, with Cancel focused.
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

    DRAFT_KIND: ClassVar[str | None] = None
    """The kind of record the form's drafts are kept under ("organisation"); None keeps none."""

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
        self._saved = False
        self._keeping_draft = False
        self._was_dirty = False

    # --- for subclasses ---------------------------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        """Yield the form's FormFields (and any other widgets) in tab order."""
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> Any:
        """Hand `values` to a service and return its result; may raise FormError /
        ValidationError / DestaError. May be a coroutine."""
        raise NotImplementedError

    def draft_record_key(self) -> str:
        """Which record the draft is of: its uuid, or "new" (services.drafts.record_draft_key)."""
        return NEW

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog"):
            yield Static(self.form_title, id="form-title", markup=False)
            # never a focus stop of its own: tab goes from field to field, and the focused
            # field scrolls itself into view
            with VerticalScroll(id="form-fields", can_focus=False):
                yield from self.compose_fields()
            yield Static("", id="form-message", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        fields = self.query(FormField)
        if fields:
            fields.first().focus_input()
        self.call_after_refresh(self._offer_draft)

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

    # --- drafts -------------------------------------------------------------------------------

    @property
    def draft_key(self) -> DraftKey | None:
        if self.DRAFT_KIND is None:
            return None
        return (self.DRAFT_KIND, self.draft_record_key())

    def draft_values(self) -> dict[str, Any]:
        """The fields changed from what the form opened with: what a draft keeps."""
        return {field.field_name: field.value for field in self.query(FormField) if field.is_dirty}

    def _offer_draft(self) -> None:
        keeper, key = draft_keeper(self.app), self.draft_key
        if keeper is None or key is None or not self.is_attached:
            return
        draft = keeper.get(key)
        if draft is None or not draft.values:
            return
        now = {field.field_name: field.value for field in self.query(FormField)}
        if all(now.get(name, value) == value for name, value in draft.values.items()):
            keeper.forget(key)  # the record already says what was typed: nothing to offer
            return
        from desta_tui.ui.widgets.history_view import local_time_text

        def decided(answer: str | None) -> None:
            if answer == RESTORE:
                self.restore_values(draft.values)
            elif answer == DISCARD:
                keeper.forget(key)

        self.app.push_screen(
            RestoreDraftModal(
                f"{self.form_title} was left unsaved. "
                f"Restore what you typed on {local_time_text(draft.updated_at)}?"
            ),
            decided,
        )

    def restore_values(self, values: dict[str, Any]) -> None:
        """Put a draft's values back in their fields; the first one restored gets the focus."""
        first: FormField | None = None
        for field in self.query(FormField):
            if field.field_name in values:
                field.set_value(values[field.field_name])
                first = first or field
        if first is not None:
            first.focus_input(at_end=True)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def _field_changed(self) -> None:
        """Any change: keep the draft a second after the typing pauses; mark the section."""
        dirty = self.is_dirty
        keeper, key = draft_keeper(self.app), self.draft_key
        if keeper is not None and key is not None and not self._saved:
            if dirty:
                self._keeping_draft = True
                keeper.typed(key, self.draft_values)
            elif self._keeping_draft:
                # typed back to what it was: nothing left to keep
                self._keeping_draft = False
                keeper.forget(key)
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.post_message(UnsavedChanged())

    def _forget_draft(self) -> None:
        keeper, key = draft_keeper(self.app), self.draft_key
        if keeper is not None and key is not None:
            keeper.forget(key)
        self._keeping_draft = False

    # --- unsaved work (desta_tui/ui/unsaved.py) -----------------------------------------------

    def unsaved_work(self) -> str | None:
        return self.form_title if self.is_dirty and not self._saved else None

    async def save_unsaved_work(self) -> bool:
        await self.action_save()
        return self._saved

    def discard_unsaved_work(self) -> None:
        keeper, key = draft_keeper(self.app), self.draft_key
        if keeper is not None and key is not None:
            keeper.forget_now(key)
        for field in self.query(FormField):
            field.mark_clean()

    def keep_draft_now(self) -> None:
        keeper, key = draft_keeper(self.app), self.draft_key
        if keeper is not None and key is not None and self.is_dirty:
            keeper.write_now(key, self.draft_values())

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
            self._saved = True
            self._forget_draft()
            for field in self.query(FormField):
                field.mark_clean()
            self.post_message(UnsavedChanged())
            self.dismiss(result)
        finally:
            self._saving = False

    def action_cancel(self) -> None:
        if not self.is_dirty:
            self.dismiss(None)
            return

        async def decided(answer: str | None) -> None:
            if answer == SAVE:
                await self.action_save()
            elif answer == DISCARD:
                self._forget_draft()
                for field in self.query(FormField):
                    field.mark_clean()
                self.post_message(UnsavedChanged())
                self.dismiss(None)

        self.app.push_screen(
            UnsavedModal(f"Leave {self.form_title}? What you typed here is not saved."),
            decided,
        )

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        """`enter` saves a form of one text field, as it does every one-field dialog."""
        fields = self.fields
        if len(fields) == 1 and fields[0].input_widget is event.input:
            event.stop()
            await self.action_save()


def _sentence(field: str | None, message: str) -> str:
    text = f"{field}: {message}" if field else message
    return text if text.endswith((".", "!", "?")) else text + "."
