"""The hybrid logical clock every site stamps its changes with: wall time that never runs back.

A site's clock is its wall clock in milliseconds, except that it never goes below a time it
has already given or seen: a laptop whose clock is slow (or was put back) still stamps every
change after the changes it has received, so sorting by the stamp puts a change after every
change its author could have seen. The counter orders stamps given in the same millisecond.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: digits of the milliseconds in the text form (enough until the year 2286)
WALL_DIGITS = 13
#: digits of the counter in the text form
COUNTER_DIGITS = 6

_TEXT = re.compile(rf"(\d{{{WALL_DIGITS}}})-(\d{{{COUNTER_DIGITS}}})")


@dataclass(frozen=True, order=True)
class Hlc:
    """A stamp: milliseconds since 1970 (UTC) and a counter within the millisecond."""

    wall_ms: int
    counter: int = 0

    def __post_init__(self) -> None:
        if self.wall_ms < 0 or self.counter < 0:
            raise ValueError("a clock stamp cannot be negative")
        if self.wall_ms >= 10**WALL_DIGITS or self.counter >= 10**COUNTER_DIGITS:
            raise ValueError("a clock stamp is out of range")


ZERO = Hlc(0, 0)


def tick(last: Hlc, now_ms: int) -> Hlc:
    """The stamp for a change made now, after `last` (the last stamp this site gave or saw)."""
    if now_ms > last.wall_ms:
        return Hlc(now_ms, 0)
    return Hlc(last.wall_ms, last.counter + 1)


def receive(last: Hlc, remote: Hlc, now_ms: int) -> Hlc:
    """The clock after receiving a change stamped `remote`: later than both it and `last`."""
    wall = max(last.wall_ms, remote.wall_ms, now_ms)
    if wall == last.wall_ms and wall == remote.wall_ms:
        counter = max(last.counter, remote.counter) + 1
    elif wall == last.wall_ms:
        counter = last.counter + 1
    elif wall == remote.wall_ms:
        counter = remote.counter + 1
    else:
        counter = 0
    return Hlc(wall, counter)


def compare(a: Hlc, b: Hlc) -> int:
    """-1, 0 or 1 as `a` is before, the same as, or after `b`."""
    return (a > b) - (a < b)


def encode(stamp: Hlc) -> str:
    """The stamp as text that sorts as the stamps do: `0001352073600000-000002`."""
    return f"{stamp.wall_ms:0{WALL_DIGITS}d}-{stamp.counter:0{COUNTER_DIGITS}d}"


def decode(text: str) -> Hlc:
    """The stamp `encode` wrote; ValueError for anything else."""
    match = _TEXT.fullmatch(text or "")
    if match is None:
        raise ValueError(f"{text!r} is not a clock stamp")
    return Hlc(int(match[1]), int(match[2]))


def latest(texts: list[str] | tuple[str, ...]) -> Hlc:
    """The latest of some encoded stamps (ZERO when there are none)."""
    return max((decode(text) for text in texts), default=ZERO)
