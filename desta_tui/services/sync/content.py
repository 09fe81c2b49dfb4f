"""A fingerprint of everything that travels between sites: two sites that agree hash alike.

It covers every user record's travelling fields (relations by uuid) and linked records, and
leaves out what each site keeps for itself: ids, `updated_at`, the derived columns, the
history, settings, drafts and the sync bookkeeping.
"""

from __future__ import annotations

import hashlib

from desta_tui.services.sync.tables import UuidResolver, dumps, link_values, synced_tables


def content_hash() -> str:
    """The sha256 of every travelling value, the same for the same content on SQLite or
    PostgreSQL."""
    digest = hashlib.sha256()
    resolver = UuidResolver()
    for table in sorted(synced_tables().values(), key=lambda found: found.rank):
        model = table.model
        rows = list(model.select(model.id, model.uuid, *table.fields).dicts())
        resolver.want(table, rows)
        linked = {link.name: link_values(link, [row["id"] for row in rows]) for link in table.links}
        for row in sorted(rows, key=lambda found: found["uuid"]):
            image = resolver.image(table, row)
            for name, values in linked.items():
                image[name] = values.get(row["id"], [])
            digest.update(dumps([table.name, row["uuid"], image]).encode())
            digest.update(b"\n")
    return digest.hexdigest()
