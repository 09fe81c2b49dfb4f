"""Waiting on the app's own state in UI tests: a bounded loop of `pilot.pause()`, never a sleep."""

from __future__ import annotations

import time
from collections.abc import Callable

import textual._wait
from textual.command import CommandList, CommandPalette

# Textual's pilot waits after every key until the process looks idle: it sleeps in steps of
# SLEEP_GRANULARITY (1/50 s) until a step passes with under SLEEP_IDLE of CPU. At least two
# steps a key, and a cursor blink or a worker during a step costs another: in a UI test most of
# the time went to those sleeps, and to the blinks and repaints they let happen (a contract
# screen's ten tests: 67 s and 28 s of CPU; in steps of 2 ms, 26 s and 20 s). What a test waits
# on is unchanged: every message queued before the wait is handled first, and an idle step still
# has to pass; a test that needs a worker or a file waits on that condition (wait_until).
IDLE_STEP_SECONDS = 0.002


def wait_for_idle_in_small_steps() -> None:
    """Make the pilot's idle check look in steps of IDLE_STEP_SECONDS instead of 1/50 s."""
    textual._wait.SLEEP_GRANULARITY = IDLE_STEP_SECONDS
    textual._wait.SLEEP_IDLE = IDLE_STEP_SECONDS / 20  # the same share of a step as Textual's


async def wait_until(
    pilot, condition: Callable[[], object], what: str, timeout: float = 10
) -> None:
    """Let the app run until `condition()` is true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"waited {timeout} s for {what}; the screen is {pilot.app.screen!r}"
            )
        await pilot.pause()


async def settle(pilot) -> None:
    """Let the app finish its workers and animations, then one more frame (before a snapshot)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def steady(pilot) -> None:
    """Settle, then stop every text field's cursor blinking (hidden, as after a blink): a
    snapshot must not depend on which half of the blink it caught."""
    from textual.widgets import Input

    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def wait_for_screen(pilot, name: str, timeout: float = 10) -> None:
    """Wait until the top screen's class is `name`, then let it settle."""
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == name, f"the {name}", timeout)
    await settle(pilot)


def _palette_matched(app) -> bool:
    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return False
    searching = any(
        not worker.is_finished
        for worker in app.workers
        if worker.group == CommandPalette._GATHER_COMMANDS_GROUP
    )
    return not searching and palette.query_one(CommandList).highlighted is not None


async def wait_for_palette_match(pilot, timeout: float = 10) -> None:
    """After typing into the command palette: wait until its search ended with a hit highlighted."""
    await pilot.pause()
    await wait_until(pilot, lambda: _palette_matched(pilot.app), "a match in the palette", timeout)
