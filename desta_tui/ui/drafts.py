"""DraftKeeper: writes what a person types as a draft about a second after the last key, in a
worker, so a crash, a `kill -9` or a power cut loses at most that second.

Each form or month tells the keeper when it changed and how to read its values; the keeper
waits for a pause in the typing, then writes them through services/drafts.py in a thread
worker. Writes to one draft are numbered: a write that finds a newer one queued (the work was
saved or discarded meanwhile) does nothing, so a late write never brings a deleted draft back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.timer import Timer

from desta_tui.domain.errors import DestaError
from desta_tui.services.session import release_thread_connection

# services/drafts.py (peewee and every model) is imported where it is used: the app makes its
# keeper before the first frame, which must not wait for the database layer to load
if TYPE_CHECKING:
    from desta_tui.services.drafts import DraftView

__all__ = ["DRAFT_DELAY_SECONDS", "DraftKeeper", "DraftKey", "draft_keeper", "tell_drafts_left"]

DRAFT_DELAY_SECONDS = 1.0
"""How long after the last key a draft is written."""

DraftKey = tuple[str, str]
"""(kind, record key): which draft, as services/drafts.py names it."""

Snapshot = Callable[[], Mapping[str, Any]]


class DraftKeeper:
    """The app's one writer of drafts. Main-thread methods only; the writes run in workers."""

    def __init__(self, app: App, delay: float = DRAFT_DELAY_SECONDS) -> None:
        self.app = app
        self.delay = delay
        self._timers: dict[DraftKey, Timer] = {}
        self._snapshots: dict[DraftKey, Snapshot] = {}
        self._generation: dict[DraftKey, int] = {}
        self._deleted: set[DraftKey] = set()
        self._write_lock = threading.Lock()
        self._outstanding: set[threading.Event] = set()
        self._failure: str | None = None
        self._failure_told = False

    # --- what the forms and the grid call ------------------------------------------------

    def typed(self, key: DraftKey, snapshot: Snapshot) -> None:
        """The work under `key` changed: write `snapshot()` once the typing pauses."""
        self._tell_failure()
        self._deleted.discard(key)
        self._snapshots[key] = snapshot
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.stop()
        self._timers[key] = self.app.set_timer(
            self.delay, lambda: self._write_due(key), name=f"draft {key[0]}"
        )

    def forget(self, key: DraftKey) -> None:
        """The work was saved or discarded on purpose: delete its draft (in a worker)."""
        self._cancel(key)
        self._deleted.add(key)
        self._start(key, None)

    def get(self, key: DraftKey) -> DraftView | None:
        """The draft to offer back when `key`'s form or month opens, or None."""
        if key in self._deleted:
            return None
        from desta_tui.services import drafts

        try:
            return drafts.get_draft(*key)
        except DestaError:  # a draft that cannot be read is not offered; the form still opens
            return None

    # --- quitting and hanging up -----------------------------------------------------------

    def write_now(self, key: DraftKey, values: Mapping[str, Any]) -> bool:
        """Write a draft at once, on this thread (the terminal has gone: no time to wait)."""
        self._cancel(key)
        self._deleted.discard(key)
        generation = self._next_generation(key)
        return self._write(key, dict(values), generation)

    def forget_now(self, key: DraftKey) -> bool:
        """Delete a draft at once, on this thread (quitting: nothing may be left behind)."""
        self._cancel(key)
        self._deleted.add(key)
        return self._write(key, None, self._next_generation(key))

    def settle(self, timeout: float = 5.0) -> None:
        """Wait for the writes under way (quitting: let them finish before the app goes)."""
        for event in list(self._outstanding):
            event.wait(timeout)

    @property
    def failure(self) -> str | None:
        """Why the last draft could not be written (say, the database is busy), if it failed."""
        return self._failure

    # --- inside ------------------------------------------------------------------------------

    def _cancel(self, key: DraftKey) -> None:
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.stop()
        self._snapshots.pop(key, None)

    def _next_generation(self, key: DraftKey) -> int:
        self._generation[key] = self._generation.get(key, 0) + 1
        return self._generation[key]

    def _write_due(self, key: DraftKey) -> None:
        self._timers.pop(key, None)
        snapshot = self._snapshots.pop(key, None)
        if snapshot is None:
            return
        try:
            values = dict(snapshot())  # read the widgets here, on the main thread
        except Exception as error:  # the form has gone: nothing to keep
            self.app.log.warning("draft snapshot failed", error)
            return
        self._start(key, values)

    def _start(self, key: DraftKey, values: dict[str, Any] | None) -> None:
        generation = self._next_generation(key)
        done = threading.Event()

        def write() -> None:
            try:
                self._write(key, values, generation)
            finally:
                release_thread_connection()
                done.set()

        self._outstanding = {event for event in self._outstanding if not event.is_set()}
        self._outstanding.add(done)
        self.app.run_worker(
            write, thread=True, group="drafts", name=f"draft {key[0]}", exit_on_error=False
        )

    def _write(self, key: DraftKey, values: dict[str, Any] | None, generation: int) -> bool:
        """Save (values) or delete (None) the draft, unless a newer write for it is queued."""
        from desta_tui.services import drafts

        with self._write_lock:
            if self._generation.get(key) != generation:
                return True  # a newer save or delete of this draft supersedes this one
            try:
                if values is None:
                    drafts.delete_draft(*key)
                else:
                    drafts.save_draft(*key, values)
            except (DestaError, ValueError) as error:
                # never into the app from a worker: the next key press tells the person
                self._failure = str(error)
                self._failure_told = False
                return False
            self._failure = None
            return True

    def _tell_failure(self) -> None:
        if self._failure and not self._failure_told:
            self._failure_told = True
            self.app.notify(
                f"What you type is not being kept as a draft: {self._failure}",
                title="Draft not kept",
                severity="warning",
            )


def draft_keeper(app: App) -> DraftKeeper | None:
    """The app's keeper, or None in an app without one (widget tests) or before a database."""
    keeper = getattr(app, "drafts", None)
    if not isinstance(keeper, DraftKeeper):
        return None
    if getattr(app, "database", True) is None:
        return None
    return keeper


def tell_drafts_left(app: App) -> None:
    """Once the database opens: say that work typed and not saved last time is waiting."""
    from desta_tui.services import drafts

    try:
        left = drafts.list_drafts()
    except DestaError:
        return
    if not left:
        return
    kinds = sorted({draft.kind.replace("_", " ") for draft in left})
    count = len(left)
    app.notify(
        f"{count} piece{'s' if count != 1 else ''} of work typed and not saved ({', '.join(kinds)})"
        " kept from last time: open the same form or month to restore or discard it.",
        title="Drafts kept",
        timeout=15,
    )
