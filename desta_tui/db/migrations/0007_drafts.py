"""Migration 0007: drafts, what a person typed but has not saved yet (frozen: never import the
models)."""

from peewee import CharField, DateTimeField, Model, TextField


def up(migrator, database):
    class Draft(Model):
        who = CharField()
        kind = CharField()
        record_key = CharField()
        values_json = TextField(default="{}")
        updated_at = DateTimeField()

        class Meta:
            database = None
            legacy_table_names = False
            indexes = ((("who", "kind", "record_key"), True),)

    with database.bind_ctx([Draft]):
        database.create_tables([Draft], safe=False)
