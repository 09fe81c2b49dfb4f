"""The hybrid logical clock: never behind what it gave or saw, and text that sorts as it does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.clock import ZERO, Hlc, compare, decode, encode, latest, receive, tick

stamps = st.builds(Hlc, st.integers(0, 10**13 - 1), st.integers(0, 10**5))
wall = st.integers(0, 10**13 - 1)


def test_tick_follows_the_wall_clock_when_it_is_ahead():
    assert tick(Hlc(1000, 7), 2000) == Hlc(2000, 0)


def test_tick_counts_on_when_the_wall_clock_is_behind_or_still():
    assert tick(Hlc(5000, 2), 5000) == Hlc(5000, 3)
    # a laptop whose clock was put back still stamps later than before
    assert tick(Hlc(5000, 2), 1000) == Hlc(5000, 3)


def test_receive_goes_past_a_remote_clock_that_is_ahead():
    assert receive(Hlc(1000, 0), Hlc(9000, 4), 2000) == Hlc(9000, 5)
    assert receive(Hlc(9000, 4), Hlc(9000, 2), 100) == Hlc(9000, 5)
    assert receive(Hlc(1000, 0), Hlc(900, 0), 5000) == Hlc(5000, 0)


@given(stamps, wall)
def test_tick_is_always_later(last, now):
    assert tick(last, now) > last


@given(stamps, stamps, wall)
def test_receive_is_later_than_both(last, remote, now):
    after = receive(last, remote, now)
    assert after > last and after > remote and after.wall_ms >= now


@given(stamps, stamps)
def test_text_sorts_as_the_stamps_do(a, b):
    assert (encode(a) < encode(b)) == (a < b)
    assert decode(encode(a)) == a
    assert compare(a, b) == (a > b) - (a < b)


def test_decode_refuses_anything_else():
    for text in ("", "12-3", "0001352073600000-000002x", "abc"):
        with pytest.raises(ValueError):
            decode(text)


def test_latest_of_none_is_zero():
    assert latest([]) == ZERO
    assert latest([encode(Hlc(5, 1)), encode(Hlc(5, 2))]) == Hlc(5, 2)
