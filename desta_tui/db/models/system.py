"""System models: the audit log, settings and the applied schema migrations."""

from __future__ import annotations

from peewee import CharField, DateTimeField, IntegerField, TextField

from desta_tui.db.models.base import BaseModel


class AuditLog(BaseModel):
    """Who changed what: one row per field changed, in the same transaction as the change."""

    at = DateTimeField(index=True)
    who = CharField(index=True)
    table_name = CharField(index=True)
    #: looked up through the (record_uuid, at) index below
    record_uuid = CharField()
    record_label = CharField(default="")
    action = CharField(default="update")
    field = CharField(default="")
    old_value = TextField(null=True)
    new_value = TextField(null=True)
    #: a change made at another site: "merged from SITE by WHO on DATE" (migration 0006)
    merged_note = TextField(null=True)

    class Meta:
        indexes = ((("record_uuid", "at"), False),)


class Setting(BaseModel):
    """A named setting, its value as JSON text."""

    key = CharField(unique=True)
    value = TextField(default="null")
    updated_at = DateTimeField(null=True)


class SchemaMigration(BaseModel):
    """A migration that has been applied to this database."""

    version = IntegerField(primary_key=True)
    name = CharField()
    applied_at = DateTimeField()
