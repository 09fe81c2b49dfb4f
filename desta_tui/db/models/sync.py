"""Offline sites: this database's identity, its change log, field versions, the other sites,
bundles handled, conflicts for a person, and records merged under one identity."""

from __future__ import annotations

from peewee import BigIntegerField, BooleanField, CharField, DateTimeField, IntegerField, TextField

from desta_tui.db.models.base import BaseModel


class SyncSite(BaseModel):
    """This database: which hub it belongs to and which of the hub's sites it is (one row)."""

    hub_uuid = CharField(max_length=36)
    hub_name = CharField(default="")
    site_uuid = CharField(max_length=36)
    site_name = CharField(default="")
    #: the letters this site's own ticket references carry (T-LDN-0001); empty at the hub
    ticket_prefix = CharField(default="")
    #: the last clock stamp this site gave or received (domain/clock.py text)
    hlc = CharField(default="")
    #: the sequence number of the last change made here
    last_seq = BigIntegerField(default=0)
    #: JSON: origin site -> the last of its changes held here
    held = TextField(default="{}")
    #: the full bundle this site started from (empty: it is where the hub began)
    joined_from = CharField(default="")
    joined_at = DateTimeField(null=True)

    class Meta:
        table_name = "sync_site"


class SyncChange(BaseModel):
    """One change, made here or received: the change log bundles carry between sites."""

    origin_site = CharField(max_length=36)
    seq = BigIntegerField()
    hlc = CharField(max_length=24)
    #: JSON pairs [site, seq]: what the author held from the other sites when making it
    seen = TextField(default="[]")
    table_name = CharField()
    record_uuid = CharField(max_length=36)
    field = CharField(default="")
    #: create, update, links, erase or note (history only)
    kind = CharField()
    #: the history's word for it: create, update, archive, restore, resolve...
    action = CharField(default="")
    #: JSON: the new value (a create: every field of the record)
    value = TextField(null=True)
    old_value = TextField(null=True)
    old_text = TextField(null=True)
    new_text = TextField(null=True)
    record_label = CharField(default="")
    who = CharField(default="")
    at = DateTimeField()
    #: when a bundle brought it here (null: made here)
    received_at = DateTimeField(null=True)
    bundle_uuid = CharField(default="")

    class Meta:
        table_name = "sync_change"
        indexes = (
            (("origin_site", "seq"), True),
            (("table_name", "record_uuid", "field"), False),
        )


class SyncFieldVersion(BaseModel):
    """A head of a field: a change to it no later known change replaced (two or more: a
    conflict). A field without a row is as its record was created."""

    table_name = CharField()
    record_uuid = CharField(max_length=36)
    field = CharField()
    origin_site = CharField(max_length=36)
    seq = BigIntegerField()
    hlc = CharField(max_length=24)
    seen = TextField(default="[]")

    class Meta:
        table_name = "sync_field_version"
        indexes = ((("table_name", "record_uuid", "field"), False),)


class SyncPeer(BaseModel):
    """Another site of the hub (or a full bundle written here), and what it is known to hold."""

    site_uuid = CharField(max_length=64, unique=True)
    site_name = CharField(default="")
    ticket_prefix = CharField(default="")
    #: JSON: origin site -> the last change it is known to hold (from its last bundle)
    known = TextField(default="{}")
    #: its knowledge decides what bundles written here carry (a site bundles came from, or a
    #: full bundle written here whose site has not yet sent one)
    is_peer = BooleanField(default=False)
    last_bundle_at = DateTimeField(null=True)

    class Meta:
        table_name = "sync_peer"


class SyncBundle(BaseModel):
    """A bundle written here or imported here."""

    bundle_uuid = CharField(max_length=36, unique=True)
    #: "out" (written here) or "in" (imported here)
    direction = CharField()
    site_uuid = CharField(max_length=36)
    site_name = CharField(default="")
    made_at = DateTimeField()
    made_by = CharField(default="")
    handled_at = DateTimeField()
    handled_by = CharField(default="")
    sha256 = CharField(max_length=64)
    is_full = BooleanField(default=False)
    changes = IntegerField(default=0)
    applied = IntegerField(default=0)
    conflicts = IntegerField(default=0)

    class Meta:
        table_name = "sync_bundle"


class SyncConflict(BaseModel):
    """Something a merge could not settle by itself, kept for a person."""

    #: the same at every site for the same conflict (domain/sync.py conflict_key)
    key = CharField(max_length=32, unique=True)
    #: field, archive, twin, or the rule broken (allocation, role, returns, locked, gate...)
    kind = CharField()
    table_name = CharField()
    record_uuid = CharField(max_length=36)
    record_label = CharField(default="")
    field = CharField(default="")
    #: JSON list: each side's change (site, who, when, value)
    sides = TextField(default="[]")
    #: the rule broken, in words
    detail = TextField(default="")
    opened_at = DateTimeField()
    resolved_at = DateTimeField(null=True, index=True)
    resolved_by = CharField(default="")
    resolution = TextField(default="")

    class Meta:
        table_name = "sync_conflict"
        indexes = ((("table_name", "record_uuid"), False),)


class SyncAlias(BaseModel):
    """A record created at two sites for the same thing, merged: the other identity's uuid."""

    table_name = CharField()
    alias_uuid = CharField(max_length=36, unique=True)
    record_uuid = CharField(max_length=36)

    class Meta:
        table_name = "sync_alias"
