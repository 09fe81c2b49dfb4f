"""A support ticket started from a red performance figure (the dashboard's or Performance's)."""

from __future__ import annotations

from textual.app import App

from desta_tui.domain.errors import DestaError
from desta_tui.domain.rag import Rag
from desta_tui.services import tickets
from desta_tui.services.performance import FigureRow
from desta_tui.ui.messages import OpenRecord
from desta_tui.ui.screens.tickets.ticket_form import TicketForm
from desta_tui.ui.widgets.confirm_modal import ConfirmModal

__all__ = ["start_ticket_from_figure"]


async def start_ticket_from_figure(app: App, figure: FigureRow | None) -> None:
    """A new ticket's form, filled in from the figure; if a ticket is already open on that
    provider and metric, offer it first. Run in a worker: it waits on the dialogs."""
    if figure is None or figure.rag.rag is not Rag.RED or figure.organisation_uuid is None:
        app.notify("Highlight a partner's red figure to open a support ticket for it.",
                   severity="warning")  # fmt: skip
        return
    try:
        draft = tickets.open_ticket_from_figure(figure)
    except DestaError as error:
        app.notify(error.message, severity="error")
        return
    if draft.existing_uuid:
        question = (
            f"{draft.existing_reference} is already open for {figure.organisation_name} on "
            f"{figure.metric_name}. Open it? (n starts a new ticket)"
        )
        if await app.push_screen_wait(
            ConfirmModal(question, f"Open {draft.existing_reference}", "New ticket")
        ):
            app.post_message(OpenRecord("ticket", draft.existing_uuid))
            return
    saved = await app.push_screen_wait(TicketForm(values=draft.values, title=draft.title))
    if saved is not None:
        app.post_message(OpenRecord("ticket", saved.uuid))
        app.notify(f"{saved.reference} opened for {saved.provider_name}.")
