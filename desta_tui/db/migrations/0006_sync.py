"""Migration 0006: offline sites: identity, change log, field versions, other sites, bundles,
conflicts and merged identities; the history notes a change merged from another site
(frozen: never import the models)."""

import uuid

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class SyncSite(Base):
        hub_uuid = CharField(max_length=36)
        hub_name = CharField()
        site_uuid = CharField(max_length=36)
        site_name = CharField()
        ticket_prefix = CharField()
        hlc = CharField()
        last_seq = BigIntegerField()
        held = TextField()
        joined_from = CharField()
        joined_at = DateTimeField(null=True)

    class SyncChange(Base):
        origin_site = CharField(max_length=36)
        seq = BigIntegerField()
        hlc = CharField(max_length=24)
        seen = TextField()
        table_name = CharField()
        record_uuid = CharField(max_length=36)
        field = CharField()
        kind = CharField()
        action = CharField()
        value = TextField(null=True)
        old_value = TextField(null=True)
        old_text = TextField(null=True)
        new_text = TextField(null=True)
        record_label = CharField()
        who = CharField()
        at = DateTimeField()
        received_at = DateTimeField(null=True)
        bundle_uuid = CharField()

        class Meta:
            indexes = (
                (("origin_site", "seq"), True),
                (("table_name", "record_uuid", "field"), False),
            )

    class SyncFieldVersion(Base):
        table_name = CharField()
        record_uuid = CharField(max_length=36)
        field = CharField()
        origin_site = CharField(max_length=36)
        seq = BigIntegerField()
        hlc = CharField(max_length=24)
        seen = TextField()

        class Meta:
            indexes = ((("table_name", "record_uuid", "field"), False),)

    class SyncPeer(Base):
        site_uuid = CharField(max_length=64, unique=True)
        site_name = CharField()
        ticket_prefix = CharField()
        known = TextField()
        is_peer = BooleanField()
        last_bundle_at = DateTimeField(null=True)

    class SyncBundle(Base):
        bundle_uuid = CharField(max_length=36, unique=True)
        direction = CharField()
        site_uuid = CharField(max_length=36)
        site_name = CharField()
        made_at = DateTimeField()
        made_by = CharField()
        handled_at = DateTimeField()
        handled_by = CharField()
        sha256 = CharField(max_length=64)
        is_full = BooleanField()
        changes = IntegerField()
        applied = IntegerField()
        conflicts = IntegerField()

    class SyncConflict(Base):
        key = CharField(max_length=32, unique=True)
        kind = CharField()
        table_name = CharField()
        record_uuid = CharField(max_length=36)
        record_label = CharField()
        field = CharField()
        sides = TextField()
        detail = TextField()
        opened_at = DateTimeField()
        resolved_at = DateTimeField(null=True, index=True)
        resolved_by = CharField()
        resolution = TextField()

        class Meta:
            indexes = ((("table_name", "record_uuid"), False),)

    class SyncAlias(Base):
        table_name = CharField()
        alias_uuid = CharField(max_length=36, unique=True)
        record_uuid = CharField(max_length=36)

    tables = [SyncSite, SyncChange, SyncFieldVersion, SyncPeer, SyncBundle, SyncConflict,
              SyncAlias]  # fmt: skip
    with database.bind_ctx(tables, bind_refs=False, bind_backrefs=False):
        database.create_tables(tables, safe=True)
        # every database is a site of a hub from the start: its own hub, until it joins one
        # from a full bundle
        SyncSite.insert(
            hub_uuid=str(uuid.uuid4()),
            hub_name="",
            site_uuid=str(uuid.uuid4()),
            site_name="",
            ticket_prefix="",
            hlc="",
            last_seq=0,
            held="{}",
            joined_from="",
        ).execute()
    database.execute_sql("ALTER TABLE audit_log ADD COLUMN merged_note TEXT")
