"""MonthDrafts: the returns grid's typed cells kept as a draft, offered back, and asked about
before they are left (Save / Discard / Cancel), for PerformanceScreen."""

from __future__ import annotations

from collections.abc import Callable

from desta_tui.services.drafts import RETURNS_KIND, returns_draft_key
from desta_tui.ui.drafts import DraftKey, draft_keeper
from desta_tui.ui.unsaved import UnsavedChanged
from desta_tui.ui.widgets.confirm_modal import (
    DISCARD,
    RESTORE,
    SAVE,
    RestoreDraftModal,
    UnsavedModal,
)
from desta_tui.ui.widgets.history_view import local_time_text
from desta_tui.ui.widgets.returns_grid import ReturnsGrid

__all__ = ["MonthDrafts"]


def _cells(count: int) -> str:
    return f"{count} cell{'s' if count != 1 else ''}"


class MonthDrafts:
    """Mixed into PerformanceScreen, which gives `grid`, `save_month()` (True once saved)
    and `set_message()`. Every change of the grid passes through `grid_changed()`."""

    grid: ReturnsGrid
    drafts_offered: set[DraftKey]
    """The months whose draft was offered this visit (escape leaves it for the next)."""
    _draft_live: DraftKey | None = None
    _grid_was_dirty = False

    def save_month(self, correction_note: str = "") -> bool:
        raise NotImplementedError

    # --- the key of the month shown ---------------------------------------------------------

    def month_draft_key(self) -> DraftKey | None:
        month = self.grid.month
        if month is None:
            return None
        return (RETURNS_KIND, returns_draft_key(month.contract_uuid, month.period.key))

    def _typed_cells(self, key: DraftKey) -> dict:
        if self.month_draft_key() != key:
            raise LookupError("the grid shows another month now")
        return self.grid.typed

    # --- as the person types ----------------------------------------------------------------

    def grid_changed(self) -> None:
        """Keep the typed cells as a draft a second after the typing pauses; delete it once
        nothing is left unsaved (saved, discarded, or typed back)."""
        keeper, key = draft_keeper(self.app), self.month_draft_key()
        dirty = self.grid.is_dirty
        if keeper is not None and key is not None:
            if dirty:
                self._draft_live = key
                keeper.typed(key, lambda: self._typed_cells(key))
            elif self._draft_live is not None:
                keeper.forget(self._draft_live)
                self._draft_live = None
        if dirty != self._grid_was_dirty:
            self._grid_was_dirty = dirty
            self.post_message(UnsavedChanged())

    def offer_month_draft(self) -> None:
        """A month just opened: offer back cells typed in it and never saved (once a visit)."""
        keeper, key = draft_keeper(self.app), self.month_draft_key()
        if keeper is None or key is None or key in self.drafts_offered or self.grid.is_dirty:
            return
        self.drafts_offered.add(key)
        draft = keeper.get(key)
        if draft is None or not draft.values:
            return
        count = sum(len(cells) for cells in draft.values.values() if isinstance(cells, dict))
        month = self.grid.month

        def decided(answer: str | None) -> None:
            if answer == RESTORE and self.month_draft_key() == key:
                restored = self.grid.restore(draft.values)
                self.grid.focus()
                self.set_message(
                    f"* {_cells(restored)} put back: ctrl+s saves {month.period.label}."
                )
            elif answer == DISCARD:
                keeper.forget(key)

        self.app.push_screen(
            RestoreDraftModal(
                f"{_cells(count)} of {month.period.long_label} ({month.contract_title}) were "
                f"typed and not saved. Restore what you typed on "
                f"{local_time_text(draft.updated_at)}?"
            ),
            decided,
        )

    # --- leaving the month ------------------------------------------------------------------

    def unless_unsaved(self, go: Callable[[], None], stay: Callable[[], None] | None = None):
        """Run `go` now, or once the unsaved cells are saved or discarded; Cancel (focused,
        so `enter` out of habit loses nothing) or `escape` runs `stay`."""
        if not self.grid.is_dirty:
            go()
            return
        count = sum(len(cells) for cells in self.grid.typed.values())
        month = self.grid.month.period.label if self.grid.month else "this month"

        def decided(answer: str | None) -> None:
            if answer == SAVE and self.save_month():
                go()
            elif answer == DISCARD:
                self.grid.discard()
                go()
            elif stay is not None:
                stay()

        self.app.push_screen(
            UnsavedModal(f"{_cells(count)} of {month} not saved. Save them before leaving?"),
            decided,
        )

    # --- unsaved work (desta_tui/ui/unsaved.py) -----------------------------------------------

    def unsaved_work(self) -> str | None:
        grid = self.grid
        if not grid.is_dirty or grid.month is None:
            return None
        count = sum(len(cells) for cells in grid.typed.values())
        return f"{_cells(count)} of {grid.month.period.label} returns"

    async def save_unsaved_work(self) -> bool:
        return self.save_month()

    def discard_unsaved_work(self) -> None:
        keeper, key = draft_keeper(self.app), self.month_draft_key()
        self.grid.discard()
        if keeper is not None and key is not None:
            keeper.forget_now(key)
        self._draft_live = None

    def keep_draft_now(self) -> None:
        keeper, key = draft_keeper(self.app), self.month_draft_key()
        if keeper is not None and key is not None and self.grid.is_dirty:
            keeper.write_now(key, self.grid.typed)
