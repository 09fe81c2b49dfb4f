"""Archive the highlighted record after asking, and undo the last archive: one way on every list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from desta_tui.domain.errors import DestaError
from desta_tui.ui.widgets.confirm_modal import ConfirmModal, action_label


class ListScreen(Protocol):
    """A section list with a message line: what these helpers need of the screen."""

    app: Any

    def say(self, text: str) -> None: ...

    def refresh_data(self) -> None: ...


async def archive_after_asking(
    screen: ListScreen, question: str, name: str, archive: Callable[[], object]
) -> bool:
    """Ask `question` with Keep focused; on "Archive NAME", archive and say how to undo.
    True when the record was archived; a refusal is said on the message line."""
    ask = ConfirmModal(question, action_label("Archive", name), "Keep")
    if not await screen.app.push_screen_wait(ask):
        return False
    try:
        archive()
    except DestaError as error:
        screen.say(f"✗ {error.message}")
        return False
    screen.say(f"{name} archived: u brings it back.")
    screen.refresh_data()
    return True


def undo_last_archive(screen: ListScreen, undo: Callable[[], Any], nothing: str) -> Any:
    """Bring back what this person last archived here (`undo` returns it, or None when there
    is nothing): say what was restored, or `nothing`, and return it."""
    try:
        restored = undo()
    except DestaError as error:
        screen.say(f"✗ {error.message}")
        return None
    if restored is None:
        screen.say(nothing)
        return None
    screen.say(f"{restored.label} restored.")
    screen.refresh_data()
    return restored
