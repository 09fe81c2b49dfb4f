"""The change log of records created in bulk: written for them all at once, it says what the
record-by-record writing says, to the character."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

from desta_tui.db.database import db
from desta_tui.db.models import (
    Borough,
    Consortium,
    Contract,
    Organisation,
    OrganisationBorough,
    SyncChange,
)
from desta_tui.services import audit
from desta_tui.services.audit import create_record, create_records
from desta_tui.services.importing import import_file
from desta_tui.services.sync import changes, log


def logged_changes(after: int) -> list[tuple]:
    return [
        (c.table_name, c.record_uuid, c.field, c.kind, c.action, c.value, c.old_value,
         c.old_text, c.new_text, c.record_label, c.who)
        for c in SyncChange.select().where(SyncChange.id > after).order_by(SyncChange.id)
    ]  # fmt: skip


def logged_both_ways(write, monkeypatch, slow_way=None) -> list[list[tuple]]:
    """The changes `write` logs with the bulk creates written a field at a time, then with
    each record's create written on its own (`_changes_of`), or as `slow_way` (given the
    monkeypatch) has them written; each write undone once read."""
    stamp = datetime(2026, 3, 4, 10, 30)
    monkeypatch.setattr(audit, "now", lambda: stamp)
    outcomes = []
    logged_before = SyncChange.select().count() and max(c.id for c in SyncChange.select())
    for a_field_at_a_time in (True, False):
        # the same uuids both times, so that the two logs can be compared whole
        numbers = iter(range(1, 10**6))
        monkeypatch.setattr(audit, "new_uuids", lambda count, numbers=numbers: [
            str(uuid.UUID(int=next(numbers))) for _ in range(count)])  # fmt: skip
        if not a_field_at_a_time:
            if slow_way is None:
                monkeypatch.setattr(changes, "_bulk_creates", lambda *args: {})
            else:
                slow_way(monkeypatch)
        with db.atomic() as transaction:
            write()
            log.write_now()
            outcomes.append(logged_changes(logged_before))
            transaction.rollback()
    return outcomes


def organisations_file(tmp_path) -> Path:
    """A file of 699 new organisations, most with boroughs, in a hub with three boroughs."""
    with db.atomic():
        Consortium.create(name="Desta Health and Social Care Consortium", short_name="Desta")
        for name in ("Brent", "Hammersmith & Fulham", "Ealing"):
            create_record(Borough, name=name)
    rows = [
        f'"Trust {n} ""the 100%""",{"cic" if n % 3 else "charity"},{"yes" if n % 2 else "no"},'
        f"W6 9DN,{['Brent', 'Brent; Hammersmith & Fulham', '', 'Ealing; Brent'][n % 4]},"
        f"t{n}@example.org,Ünïcode — row {n} \\ tab\tend"
        for n in range(1, 700)
    ]
    path = Path(tmp_path / "o.csv")
    path.write_text("Name,Kind,Member,Postcode,Boroughs,Email,Notes\n" + "\n".join(rows))
    return path


def test_an_import_logs_each_new_record_as_written_on_its_own(db_path, tmp_path, monkeypatch):
    path = organisations_file(tmp_path)
    field_at_a_time, on_its_own = logged_both_ways(
        lambda: import_file("organisations", path), monkeypatch
    )
    assert len(field_at_a_time) == 699
    assert field_at_a_time == on_its_own
    assert '"boroughs":[' in field_at_a_time[2][5] and "100%" in field_at_a_time[0][5]


def test_records_with_relations_dates_and_money_log_as_written_on_their_own(db_path, monkeypatch):
    with db.atomic():
        consortium = create_record(Consortium, name="Desta Consortium", short_name="Desta")
        commissioner = create_record(Organisation, name="NHS Brent", name_key="nhs brent")
    values = [
        {"consortium": consortium, "commissioner": commissioner if n % 2 else None,
         "title": f"Contract {n} \"quoted\"", "stage": "in_delivery",
         "total_value_pence": 67_000_000 + n, "starts_on": date(2011, 4, 1 + n % 28),
         "contact_interval_days": n % 3, "notes": "" if n % 4 else None}
        for n in range(40)
    ]  # fmt: skip
    for row in values:
        if row["notes"] is None:
            del row["notes"]

    def write():
        create_records(Contract, values)

    field_at_a_time, on_its_own = logged_both_ways(write, monkeypatch)
    assert len(field_at_a_time) == 40
    assert field_at_a_time == on_its_own
    assert '"starts_on":"2011-04-01"' in field_at_a_time[0][5]


def test_new_organisations_boroughs_as_the_import_tells_them_are_those_stored(
    db_path, tmp_path, monkeypatch
):
    """The import tells the change log each new organisation's boroughs: its creates carry
    what reading the boroughs back would give, to the character."""
    path = organisations_file(tmp_path)

    def read_back(monkeypatch):
        monkeypatch.setattr(log, "links_created", lambda *args: None)

    told, read = logged_both_ways(
        lambda: import_file("organisations", path), monkeypatch, read_back
    )
    assert len(told) == 699 and told == read
    assert sum('"boroughs":["' in change[5] for change in told) > 500


def test_links_changed_after_they_were_told_are_read_back(db_path, monkeypatch):
    """A record created in bulk whose links change later in the transaction (the change in its
    history) travels with the links it ends with, not those first told."""
    with db.atomic():
        brent, ealing = (create_record(Borough, name=name) for name in ("Brent", "Ealing"))

    def write():
        (org,) = create_records(Organisation, [{"name": "Rain Trust", "name_key": "rain trust"}])
        audit.read_ids(Organisation, [org])
        OrganisationBorough.create(organisation=org.id, borough=brent.id)
        log.links_created(OrganisationBorough, [(org, [brent.uuid])])
        OrganisationBorough.delete().execute()
        OrganisationBorough.create(organisation=org.id, borough=ealing.id)
        audit.write_audit(org, "update", "boroughs", "Brent", "Ealing")

    told, _slow = logged_both_ways(write, monkeypatch)
    assert f'"boroughs":["{ealing.uuid}"]' in told[0][5]


def test_changes_alike_in_a_column_are_stored_as_each_given_its_own(db_path, tmp_path, monkeypatch):
    """What an import's changes share (table, kind, action, who...) is sent once a statement:
    the changes stored are those sent one value at a time."""
    path = organisations_file(tmp_path)

    def each_its_own(monkeypatch):
        monkeypatch.setattr(audit, "all_alike", lambda column: False)

    shared, own = logged_both_ways(lambda: import_file("organisations", path), monkeypatch,
                                   each_its_own)  # fmt: skip
    assert len(shared) == 699 and shared == own


def test_a_value_every_bulk_record_has_is_logged_as_each_records_own(db_path, monkeypatch):
    """A value all the records share is written once into the JSON of their creates (a "%" in
    it too): each create reads as when written on its own."""
    with db.atomic():
        consortium = create_record(Consortium, name="Desta Consortium", short_name="Desta")
    values = [{"consortium": consortium, "title": f"Contract {n}", "notes": "100% %s sure"}
              for n in range(5)]  # fmt: skip
    field_at_a_time, on_its_own = logged_both_ways(
        lambda: create_records(Contract, values), monkeypatch
    )
    assert len(field_at_a_time) == 5 and field_at_a_time == on_its_own
    assert '"notes":"100% %s sure"' in field_at_a_time[0][5]
