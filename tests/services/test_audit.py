"""Services write audit rows in the same transaction: old -> new, who, and archive/restore."""

from __future__ import annotations

from desta_tui.db.database import db
from desta_tui.db.models import AuditLog, Borough, Organisation
from desta_tui.services.audit import create_record, record_history, update_record
from desta_tui.services.records import archive_record, restore_record, undo_last_archive
from desta_tui.services.settings import get_setting, set_setting


def make_org(name="Rain Trust"):
    with db.atomic():
        return create_record(Organisation, name=name, name_key=name.casefold())


def test_create_logs_each_field_with_who(db_path):
    org = make_org()
    rows = list(AuditLog.select().where(AuditLog.record_uuid == org.uuid))
    assert {row.field for row in rows} >= {"name", "kind", "is_member"}
    assert all(row.who == "test.officer" and row.action == "create" for row in rows)
    assert next(r for r in rows if r.field == "name").new_value == "Rain Trust"


def test_update_logs_old_and_new_values_only_for_real_changes(db_path):
    org = make_org()
    hf = Borough.create(name="Hammersmith & Fulham")
    with db.atomic():
        changed = update_record(org, phone="020 7946 0000", name="Rain Trust", borough=hf)
    assert changed == ["phone", "borough"]
    history = record_history(org.uuid)
    latest = {entry.field: entry for entry in history if entry.action == "update"}
    assert latest["phone"].old_value == "" and latest["phone"].new_value == "020 7946 0000"
    assert latest["borough"].old_value is None
    assert latest["borough"].new_value == "Hammersmith & Fulham"


def test_money_and_dates_read_as_a_person_reads_them(db_path):
    from datetime import date

    from desta_tui.db.models import Consortium, Contract

    consortium = Consortium.create(name="Desta")
    with db.atomic():
        contract = create_record(Contract, consortium=consortium, title="Expert Patient Service")
        update_record(contract, total_value_pence=670_000_00, starts_on=date(2011, 10, 1))
    entries = {e.field: e for e in record_history(contract.uuid) if e.action == "update"}
    assert entries["total_value_pence"].new_value == "£670,000.00"
    assert entries["starts_on"].new_value == "01/10/2011"


def test_a_failed_save_writes_neither_the_change_nor_its_audit(db_path):
    org = make_org()
    before = AuditLog.select().count()
    try:
        with db.atomic():
            update_record(org, phone="020 7000 0000")
            raise RuntimeError("power cut")
    except RuntimeError:
        pass
    assert AuditLog.select().count() == before
    assert Organisation.get_by_id(org.id).phone == ""


def test_archive_restore_and_undo_last_archive(db_path):
    first, second = make_org("Rain Trust"), make_org("Westway Wellbeing Project")
    archive_record("organisation", first.uuid)
    archive_record("organisation", second.uuid)
    assert Organisation.get_by_id(second.id).archived_at is not None
    undone = undo_last_archive(["organisation"])
    assert undone is not None and undone.uuid == second.uuid
    assert Organisation.get_by_id(second.id).archived_at is None
    assert undo_last_archive(["organisation"]).uuid == first.uuid
    assert undo_last_archive(["organisation"]) is None
    restore_record("organisation", first.uuid)  # restoring a live record changes nothing
    actions = [e.action for e in record_history(first.uuid)]
    assert actions.count("archive") == 1 and actions.count("restore") == 1


def test_settings_are_saved_and_audited(db_path):
    assert get_setting("rag_green_at") == "0.95"
    set_setting("hub_name", "CaVSA Hammersmith & Fulham")
    assert get_setting("hub_name") == "CaVSA Hammersmith & Fulham"
    row = AuditLog.get(AuditLog.table_name == "setting")
    assert row.field == "hub_name" and row.new_value == '"CaVSA Hammersmith & Fulham"'


def test_create_records_writes_what_create_record_writes(db_path):
    from datetime import date, datetime

    from desta_tui.db.models import Consortium, Contract
    from desta_tui.services.audit import create_records

    with db.atomic():
        consortium = create_record(Consortium, name="Desta Consortium", short_name="Desta")
        commissioner = create_record(Organisation, name="NHS Brent", name_key="nhsbrent")
    values = [
        {"consortium": consortium, "commissioner": commissioner, "title": "Expert Patients",
         "stage": "in_delivery", "total_value_pence": 67_000_000, "starts_on": date(2011, 4, 1),
         "contact_interval_days": 14},
        {"consortium": consortium, "title": "Carers' Breaks", "notes": ""},
    ]  # fmt: skip
    with db.atomic():
        one_by_one = [create_record(Contract, **row).uuid for row in values]
    with db.atomic():
        create_records(Contract, values)
    together = [c.uuid for c in Contract.select().where(Contract.uuid.not_in(one_by_one))]
    assert len(set(together)) == 2

    def stored(uuid):
        contract = Contract.get(Contract.uuid == uuid)
        skipped = {"id", "uuid", "created_at", "updated_at"}
        return {k: v for k, v in contract.__data__.items() if k not in skipped}

    def logged(uuid):
        rows = AuditLog.select().where(AuditLog.record_uuid == uuid).order_by(AuditLog.id)
        return [(r.who, r.table_name, r.record_label, r.action, r.field, r.old_value,
                 r.new_value) for r in rows]  # fmt: skip

    by_title = {Contract.get(Contract.uuid == u).title: u for u in together}
    for uuid in one_by_one:
        twin = by_title[Contract.get(Contract.uuid == uuid).title]
        assert stored(twin) == stored(uuid)
        assert logged(twin) == logged(uuid) and logged(uuid)
    assert ("consortium", "Desta Consortium") in [(f, new) for *_, f, _old, new in logged(twin)]
    times = {row.at for row in AuditLog.select().where(AuditLog.record_uuid.in_(together))}
    assert len(times) == 1 and isinstance(times.pop(), datetime)


def test_insert_rows_writes_every_row_in_order_however_many_a_statement_takes(
    db_path, backend, monkeypatch
):
    """SQLite is sent hundreds of rows per statement (fewer when its limit on a statement's
    values is low): rows past a page, and a last page part full, all arrive, in order, with
    their values (None and datetimes too)."""
    import sqlite3
    from datetime import datetime

    from desta_tui.services import audit

    monkeypatch.setattr(audit, "SQLITE_PAGE", 7)
    monkeypatch.setattr(audit, "POSTGRES_PAGE", 7)
    at = datetime(2026, 1, 2, 9, 30)
    count = 7 * 5 + 3
    rows = [(at, "bench", "organisation", f"uuid-{n:03d}", f"Org {n}", "create", "name", None,
             f"Org {n}" if n % 3 else None) for n in range(count)]  # fmt: skip
    columns = ["at", "who", "table_name", "record_uuid", "record_label", "action", "field",
               "old_value", "new_value"]  # fmt: skip

    def stored():
        query = AuditLog.select().where(AuditLog.who == "bench").order_by(AuditLog.id)
        return [(r.at, r.who, r.table_name, r.record_uuid, r.record_label, r.action, r.field,
                 r.old_value, r.new_value) for r in query]  # fmt: skip

    with db.atomic():
        audit.insert_rows(AuditLog, columns, rows)
    assert len(stored()) == count and stored() == rows
    # the values every row shares given once
    AuditLog.delete().where(AuditLog.who == "bench").execute()
    with db.atomic():
        audit.insert_rows(
            AuditLog, columns[2:], [row[2:] for row in rows], shared={"at": at, "who": "bench"}
        )
    assert stored() == rows
    if backend == "sqlite":
        # room for 2 rows of 9 values a statement
        db.connection().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 20)
        AuditLog.delete().where(AuditLog.who == "bench").execute()
        with db.atomic():
            audit.insert_rows(AuditLog, columns, rows)
        assert stored() == rows
        AuditLog.delete().where(AuditLog.who == "bench").execute()
        with db.atomic():
            audit.insert_rows(AuditLog, columns[1:], [row[1:] for row in rows], {"at": at})
        assert stored() == rows


def test_create_records_gives_each_record_the_id_the_database_gave_it(
    db_path, backend, monkeypatch
):
    """On SQLite the ids are told from the table's largest id, not read back by uuid: they are
    the ids stored (after a gap the deleted rows left, too); where they cannot be told, the
    records come back without ids and read_ids finds them."""
    from desta_tui.services import audit

    with db.atomic():
        made = [make_org(f"Trust {n}") for n in range(5)]
    with db.atomic():
        # the largest ids go: the next rows take them again
        Organisation.delete().where(Organisation.id.in_([made[3].id, made[4].id])).execute()
    rows = [{"name": f"Group {n}", "name_key": f"group {n}"} for n in range(1200)]
    with db.atomic():
        created = audit.create_records(Organisation, rows)
    if backend == "sqlite":  # told, not read back
        assert None not in [record.id for record in created]
    else:  # read back by uuid
        assert {record.id for record in created} == {None}
        audit.read_ids(Organisation, created)
    stored = {uuid: key for key, uuid in Organisation.select(Organisation.id, Organisation.uuid)
              .tuples()}  # fmt: skip
    assert [record.id for record in created] == [stored[record.uuid] for record in created]

    # the table's largest id is not what it was told: nothing is guessed
    monkeypatch.setattr(audit, "_largest_id", lambda model: 0 if audit._is_sqlite(db.obj) else None)
    with db.atomic():
        again = audit.create_records(Organisation, [{"name": "Late", "name_key": "late"}])
        assert again[0].id is None
        audit.read_ids(Organisation, again)
    assert again[0].id == Organisation.get(Organisation.name == "Late").id


def test_create_records_history_when_no_field_is_set_on_every_record(db_path):
    """Records of which none has a field every other has, one with no field set at all: each
    record's history is what create_record writes for it (the bare entry for the empty one)."""
    from desta_tui.db.models import Consortium
    from desta_tui.services.audit import create_records

    values = [{"name": "A", "short_name": ""}, {"name": "", "focus": ""},
              {"name": "D", "focus": "carers"}]  # fmt: skip

    def logged(uuids):
        rows = AuditLog.select().where(AuditLog.record_uuid.in_(uuids)).order_by(AuditLog.id)
        by_record = {uuid: n for n, uuid in enumerate(uuids)}
        return [(by_record[r.record_uuid], r.record_label == r.record_uuid or r.record_label,
                 r.action, r.field, r.old_value, r.new_value) for r in rows]  # fmt: skip

    # each way undone once read: the records have the same unique names
    with db.atomic() as transaction:
        one_by_one = logged([create_record(Consortium, **row).uuid for row in values])
        transaction.rollback()
    with db.atomic() as transaction:
        together = logged([record.uuid for record in create_records(Consortium, values)])
        transaction.rollback()
    assert together == one_by_one
    assert (1, True, "create", "", None, None) in together
