"""Draft: what a person typed but has not saved yet, kept on this desk until saved or discarded."""

from __future__ import annotations

from peewee import CharField, DateTimeField, TextField

from desta_tui.db.models.base import BaseModel


class Draft(BaseModel):
    """A half-filled form or an unsaved month of returns, written as the person types.

    Site-local: not a record (no uuid, no audit, never archived) and never sent to another
    site; a save or a deliberate discard deletes it. One row per person, kind and key.
    """

    who = CharField()
    #: the form kind ("organisation", "contact", ...) or "returns" for the grid
    kind = CharField()
    #: the record's uuid, "new" (or "new:<parent uuid>"), or "<contract uuid>:<YYYY-MM>"
    record_key = CharField()
    #: the typed values as JSON
    values_json = TextField(default="{}")
    updated_at = DateTimeField()

    class Meta:
        indexes = ((("who", "kind", "record_key"), True),)
