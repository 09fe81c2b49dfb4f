"""ExceptionNoteForm: why a red or amber figure is behind, what is being done, by whom, by when."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from desta_tui.domain.periods import Period
from desta_tui.services.performance import ExceptionNoteView, FigureRow, note_exception
from desta_tui.ui.forms.fields import FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.forms.uk_fields import date_field

__all__ = ["ExceptionNoteForm"]


class ExceptionNoteForm(FormScreen[ExceptionNoteView]):
    """The note the meeting pack prints beside a red or amber figure that no support ticket
    covers; one per partner, metric and month, standing for the months after it. `note` is the
    latest typed for the figure, whose words the form starts from."""

    DRAFT_KIND = "exception_note"

    def __init__(self, figure: FigureRow, period: Period, note: ExceptionNoteView | None) -> None:
        super().__init__(
            f"Exception note: {figure.organisation_name}, {figure.metric_name} ({period.label})"
        )
        self.figure = figure
        self.period = period
        self.note = note

    def draft_record_key(self) -> str:
        return f"{self.figure.partner_uuid}:{self.figure.metric_code}:{self.period.key}"

    def compose_fields(self) -> ComposeResult:
        n = self.note
        yield TextAreaField("Cause: why the figure is behind", "cause", n.cause if n else "")
        yield TextAreaField("Action: what is being done", "action", n.action if n else "")
        yield FormField("Owner of the action", "owner", n.owner if n else "")
        yield date_field("Recovery expected by", "recovery_on", n.recovery_on if n else None)

    def save(self, values: dict[str, Any]) -> ExceptionNoteView:
        return note_exception(
            self.figure.contract_uuid,
            self.figure.partner_uuid or "",
            self.figure.metric_code,
            self.period,
            values,
        )
