"""The base classes every model shares: the database proxy, UUIDs, timestamps, archiving."""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime

from peewee import AutoField, CharField, DateTimeField, Model

from desta_tui.db.database import db


def utc_now() -> datetime:
    """Now in UTC, naive, to the second: the one clock every timestamp column uses."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def new_uuid() -> str:
    """A new record's id: a time-ordered UUID (version 7), as `new_uuids` makes them."""
    return new_uuids(1)[0]


def random_uuid() -> str:
    """A random UUID (version 4) for an identity known by its first digits: a hub, a site (its
    default ticket prefix is S and its first four), a bundle (its backup's name). A
    time-ordered id starts with the clock, the same for every one made within weeks."""
    return str(uuid.uuid4())


# RFC 9562's version 7 layout: 48 bits of Unix milliseconds, the version (7), then 74 bits
# that here hold a 42-bit counter (12 bits, then the 2 variant bits 10, then 30 bits) and 32
# random bits, as CPython 3.14's uuid.uuid7 lays them out. The counter starts each new
# millisecond at a random number below 2**41, so ids made in one process go strictly up even
# within a millisecond, and ids made at other sites in the same millisecond still differ in
# about 73 random bits.
_COUNTER_LIMIT = 1 << 42
_COUNTER_START_LIMIT = 1 << 41
_last_ms = -1
_last_counter = 0
_clock_lock = threading.Lock()


def _forget_the_clock() -> None:
    """In a forked child: start afresh (random counters, a free lock), so that its ids and
    the parent's made in the same millisecond do not share a counter."""
    global _last_ms, _clock_lock
    _last_ms, _clock_lock = -1, threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_forget_the_clock)


def _take_counters(count: int) -> list[tuple[int, int, int]]:
    """Reserve the next `count` (millisecond, counter) pairs: as runs of (millisecond, first
    counter, how many), never going back even if the clock does."""
    global _last_ms, _last_counter
    runs = []
    with _clock_lock:
        while count:
            ms = time.time_ns() // 1_000_000
            if ms > _last_ms:
                counter = int.from_bytes(os.urandom(6)) % _COUNTER_START_LIMIT
            else:
                # the same millisecond (or the clock went back): count on from the last id
                ms, counter = _last_ms, _last_counter + 1
                if counter >= _COUNTER_LIMIT:  # the counter is spent: borrow the next ms
                    ms, counter = ms + 1, int.from_bytes(os.urandom(6)) % _COUNTER_START_LIMIT
            taken = min(count, _COUNTER_LIMIT - counter)
            runs.append((ms, counter, taken))
            _last_ms, _last_counter = ms, counter + taken - 1
            count -= taken
    return runs


def new_uuids(count: int) -> list[str]:
    """`count` new record ids, each later than the last this process made: time-ordered
    UUIDs (version 7) in canonical text, written out without a UUID object each (an import
    makes thousands at once). Being time-ordered, a batch lands at the right-hand end of the
    indexes on uuid instead of on a different page each."""
    tails = os.urandom(4 * count).hex()
    made: list[str] = []
    for ms, counter, taken in _take_counters(count):
        stamp = f"{ms & 0xFFFF_FFFF_FFFF:012x}"
        end = counter + taken
        while counter < end:
            # all but the counter's low 16 bits stay the same for up to 65,536 ids in a row
            upto = min(end, (counter | 0xFFFF) + 1)
            opening = (f"{stamp[:8]}-{stamp[8:]}-7{counter >> 30:03x}-"
                       f"{0x8000 | (counter >> 16) & 0x3FFF:04x}-")  # fmt: skip
            lows = range(counter & 0xFFFF, (counter & 0xFFFF) + upto - counter)
            made += [f"{opening}{low:04x}{tails[8 * n : 8 * n + 8]}"
                     for n, low in enumerate(lows, len(made))]  # fmt: skip
            counter = upto
    return made


class _CopiedCheaply:
    """A field every model inherits (its id; a record's uuid and times): peewee deep-copies each
    inherited field into every model as its class is made (~160 copies, ~2 ms of every start).
    These fields hold nothing that a model changes in place (no constraints, no choices): a
    copy of their attributes is the same copy, made without walking them."""

    def __deepcopy__(self, memo: dict) -> _CopiedCheaply:
        copied = object.__new__(type(self))
        copied.__dict__.update(self.__dict__)
        return copied


class _IdField(_CopiedCheaply, AutoField):
    pass


class _RecordCharField(_CopiedCheaply, CharField):
    pass


class _RecordDateTimeField(_CopiedCheaply, DateTimeField):
    pass


class BaseModel(Model):
    """A table in the Desta database."""

    id = _IdField()  # the integer primary key peewee would add, copied cheaply

    class Meta:
        database = db
        legacy_table_names = False


class RecordModel(BaseModel):
    """A user record: stable UUID, created/updated times, archived (restorable), never deleted."""

    uuid = _RecordCharField(max_length=36, unique=True, default=new_uuid)
    created_at = _RecordDateTimeField(default=utc_now)
    updated_at = _RecordDateTimeField(default=utc_now)
    archived_at = _RecordDateTimeField(null=True, index=True)

    #: the words a person reads for this kind of record, e.g. "organisation"
    record_label = "record"

    def display_name(self) -> str:
        """How audit views and messages name this record."""
        for attribute in ("name", "title", "full_name", "subject", "reference"):
            value = getattr(self, attribute, None)
            if value:
                return str(value)
        return self.uuid

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
