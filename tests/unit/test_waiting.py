"""The pilot's idle check reads the step the tests set (tests/waiting.py): a Textual upgrade that
stops reading it would quietly bring back the 1/50 s steps, and the suite's minutes with them."""

from __future__ import annotations

import textual._wait

from tests.waiting import IDLE_STEP_SECONDS


def test_the_idle_check_looks_in_the_tests_small_steps():
    assert textual._wait.SLEEP_GRANULARITY == IDLE_STEP_SECONDS
    assert textual._wait.SLEEP_IDLE == IDLE_STEP_SECONDS / 20


def test_textual_still_reads_the_step_when_it_waits():
    # module globals, read at each call: what wait_for_idle_in_small_steps changes
    names = textual._wait.wait_for_idle.__code__.co_names
    assert "SLEEP_GRANULARITY" in names and "SLEEP_IDLE" in names
