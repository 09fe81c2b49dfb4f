"""Sites for the sync tests: a hub holding the demo data (a file, or the PostgreSQL server) and
laptops (files) started from its full bundle, with edits made through the services."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from desta_tui.db.database import close_database, open_database
from desta_tui.db.models import AuditLog, Contact, Organisation, SyncChange, SyncConflict
from desta_tui.services import members
from desta_tui.services.settings import forget_cached_settings
from desta_tui.services.sync import content_hash, export_bundle, import_bundle, set_site_name
from tests.postgres import demo_database_url

#: each site's own postcodes, so two sites never type the same one by chance
POSTCODES = {"a": ["W6 9BE", "NW10 4RT", "W5 2HL"], "b": ["HA1 1AA", "UB8 1QS", "TW3 3EB"],
             "c": ["W11 2PT", "SW1A 2AA", "W2 1AB"]}  # fmt: skip
ORGANISATION_FIELDS = ("phone", "email", "website", "notes", "postcode")
CONTACT_FIELDS = ("role", "phone", "email", "notes")


def use(target: str | Path) -> None:
    """Work on another site's database."""
    close_database()
    forget_cached_settings()
    open_database(str(target))


@dataclass
class Sites:
    """A hub and its laptops; bundles are written into `folder`."""

    folder: Path
    hub: str
    laptops: dict[str, str] = field(default_factory=dict)
    written: int = 0
    #: the hub's first full bundle, the laptops started from
    full: Path | None = None

    def __getattr__(self, name: str) -> str:
        laptops = self.__dict__.get("laptops", {})
        if name in laptops:
            return laptops[name]
        raise AttributeError(name)

    def bundle(self, target: str, *, full: bool = False) -> Path:
        """A bundle written at `target` (what the other sites lack, or everything)."""
        use(target)
        self.written += 1
        return export_bundle(self.folder / f"bundle-{self.written}.desta-bundle", full=full).path

    def give(self, source: str, target: str):
        """A bundle from `source` imported at `target`; the import's report."""
        path = self.bundle(source)
        use(target)
        return import_bundle(path)

    def join(self, name: str, full_bundle: Path) -> str:
        target = str(self.folder / f"{name}.sqlite3")
        use(target)
        import_bundle(full_bundle)
        set_site_name(f"Laptop {name.upper()}")
        self.laptops[name] = target
        return target


def make_sites(backend: str, demo_template: Path, folder: Path, laptops: str = "ab") -> Sites:
    """The demo hub (on the backend under test) and laptops joined from its full bundle."""
    if backend == "postgresql":
        hub = demo_database_url()
    else:
        hub = str(folder / "hub.sqlite3")
        shutil.copyfile(demo_template, hub)
    sites = Sites(folder, hub)
    use(hub)
    set_site_name("Hub office")
    full = sites.full = sites.bundle(hub, full=True)
    for name in laptops:
        sites.join(name, full)
    return sites


def fingerprint(target: str) -> tuple[str, list[tuple]]:
    """What two sites must agree on: the content hash and the open conflicts, side by side."""
    use(target)
    conflicts = sorted(
        (c.key, c.kind, c.table_name, c.record_uuid, c.field, json.dumps(json.loads(c.sides),
                                                                         sort_keys=True))
        for c in SyncConflict.select().where(SyncConflict.resolved_at.is_null())
    )  # fmt: skip
    return content_hash(), conflicts


def open_field_conflicts() -> set[tuple[str, str, str]]:
    return {
        (c.table_name, c.record_uuid, c.field)
        for c in SyncConflict.select().where(
            SyncConflict.resolved_at.is_null() & (SyncConflict.kind == "field")
        )
    }


def untouched_state() -> tuple:
    """What a refused import must leave as it was."""
    return (content_hash(), SyncChange.select().count(), AuditLog.select().count())


# --- edits through the services ---------------------------------------------------------------


def organisation_values(uuid: str) -> dict[str, object]:
    """An organisation's form as the app would fill it from the record."""
    org = Organisation.get(Organisation.uuid == uuid)
    detail = members.get_organisation(uuid)
    return {
        "name": org.name,
        "kind": org.kind,
        "charity_number": org.charity_number,
        "company_number": org.company_number,
        "postcode": org.postcode,
        "email": org.email,
        "phone": org.phone,
        "website": org.website,
        "address": org.address,
        "notes": org.notes,
        "is_member": org.is_member,
        "is_commissioner": org.is_commissioner,
        "borough": org.borough.name if org.borough_id else "",
        "boroughs": ", ".join(detail.boroughs) if hasattr(detail, "boroughs") else "",
    }


def contact_values(uuid: str) -> dict[str, object]:
    contact = Contact.get(Contact.uuid == uuid)
    return {
        "full_name": contact.full_name,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
        "is_primary": contact.is_primary,
        "notes": contact.notes,
    }


def value_for(field_name: str, site: str, number: int) -> str:
    """A valid value, different at each site and each edit."""
    mark = {"a": 1, "b": 2, "c": 3}[site]
    if field_name == "phone":
        return f"020 79{mark}6 {number:04d}"
    if field_name == "email":
        return f"office{number}@site-{site}.example.org"
    if field_name == "website":
        return f"www.site-{site}-{number}.example.org"
    if field_name == "postcode":
        return POSTCODES[site][number % len(POSTCODES[site])]
    return f"{field_name.title()} {site.upper()}{number}"


def edit(table_name: str, uuid: str, field_name: str, value: str) -> None:
    """One edit, as the Members screens save it."""
    if table_name == "organisation":
        values = organisation_values(uuid)
        values[field_name] = value
        members.update_organisation(uuid, values)
    else:
        values = contact_values(uuid)
        values[field_name] = value
        members.update_contact(uuid, values)


def targets(seed: int, organisations: int = 30, contacts: int = 30) -> list[tuple[str, str, str]]:
    """(table, uuid, field) the generated edits pick from: live records of the demo data."""
    rng = random.Random(seed)
    orgs = [o.uuid for o in Organisation.select().where(Organisation.archived_at.is_null())
            .order_by(Organisation.uuid)]  # fmt: skip
    people = [c.uuid for c in Contact.select().where(Contact.archived_at.is_null())
              .order_by(Contact.uuid)]  # fmt: skip
    found = [("organisation", uuid, name) for uuid in rng.sample(orgs, organisations)
             for name in ORGANISATION_FIELDS]  # fmt: skip
    found += [("contact", uuid, name) for uuid in rng.sample(people, contacts)
              for name in CONTACT_FIELDS]  # fmt: skip
    return found


def make_edits(site: str, rng: random.Random, pool: list[tuple[str, str, str]], count: int,
               start: int = 0) -> dict[tuple[str, str, str], str]:  # fmt: skip
    """`count` edits through the services; the last value each (table, uuid, field) got."""
    last = {}
    for number in range(start, start + count):
        table_name, uuid, field_name = rng.choice(pool)
        value = value_for(field_name, site, number)
        edit(table_name, uuid, field_name, value)
        last[(table_name, uuid, field_name)] = value
    return last


def current_value(table_name: str, uuid: str, field_name: str) -> str:
    model = Organisation if table_name == "organisation" else Contact
    return getattr(model.get(model.uuid == uuid), field_name)
