"""The base classes every model shares: the database proxy, UUIDs, timestamps, archiving."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

from peewee import CharField, DateTimeField, Model

from desta_tui.db.database import db


def utc_now() -> datetime:
    """Now in UTC, naive, to the second: the one clock every timestamp column uses."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def new_uuid() -> str:
    return str(uuid.uuid4())


# the variant bits of a random UUID (10xx) over the random hex digit in their place
_VARIANT_DIGIT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def new_uuids(count: int) -> list[str]:
    """`count` new_uuid()s at once, as uuid.uuid4 makes them (16 random bytes, with the
    version and variant bits set), written out without building a UUID object for each."""
    digits = os.urandom(16 * count).hex()
    made = []
    for start in range(0, 32 * count, 32):
        h = digits[start : start + 32]
        made.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT_DIGIT[h[16]]}{h[17:20]}-{h[20:]}")
    return made


class BaseModel(Model):
    """A table in the Desta database."""

    class Meta:
        database = db
        legacy_table_names = False


class RecordModel(BaseModel):
    """A user record: stable UUID, created/updated times, archived (restorable), never deleted."""

    uuid = CharField(max_length=36, unique=True, default=new_uuid)
    created_at = DateTimeField(default=utc_now)
    updated_at = DateTimeField(default=utc_now)
    archived_at = DateTimeField(null=True, index=True)

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
