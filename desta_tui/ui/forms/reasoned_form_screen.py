"""ReasonedFormScreen: a form whose save may first need a reason, asked for in a ReasonModal."""

from __future__ import annotations

from functools import partial
from typing import Any, TypeVar

from desta_tui.services import contracts
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.widgets.confirm_modal import ReasonModal

__all__ = ["ReasonedFormScreen"]

ResultT = TypeVar("ResultT")


class ReasonedFormScreen(FormScreen[ResultT]):
    """A form whose save may need a reason first (a stage moved back, a reallocation, a
    compliance override): the service says which, a ReasonModal asks, and the save runs again
    with the reason. Cancelling the question leaves the form as typed, with the message shown."""

    def __init__(self, title: str | None = None) -> None:
        super().__init__(title)
        self.reasons: dict[str, str] = {}

    def save_with_reasons(self, values: dict[str, Any], reasons: dict[str, str]) -> ResultT:
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> ResultT:
        try:
            return self.save_with_reasons(values, self.reasons)
        except contracts.ReasonRequiredError as error:
            self.app.push_screen(
                ReasonModal(error.question, ok_label="Save with this reason"),
                partial(self._reason_given, error.kind),
            )
            raise

    def _reason_given(self, kind: str, reason: str | None) -> None:
        if reason:
            self.reasons[kind] = reason
            self.call_later(self.action_save)
