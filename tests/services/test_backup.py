"""Backups while the database is in use, the daily backup's rota, and restoring only sound files."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from desta_tui.db.backup import integrity_problems
from desta_tui.db.database import current_database, db
from desta_tui.db.models import Organisation
from desta_tui.domain.errors import DatabaseError, DestaError
from desta_tui.services.backup import (
    AutomaticBackupPlan,
    automatic_backup_plan,
    backup_database,
    check_backup_file,
    daily_backups,
    restore_database,
    run_automatic_backup,
)
from desta_tui.services.settings import set_setting


@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("file backups are for SQLite; PostgreSQL is refused (tested below)")


def add_org(name: str) -> None:
    with db.atomic():
        Organisation.create(name=name, name_key=name.lower())


def test_server_database_is_refused_in_one_clear_line(backend, db_path):
    if backend != "postgresql":
        pytest.skip("needs the PostgreSQL server")
    for attempt in (backup_database, lambda: restore_database("x.sqlite3")):
        with pytest.raises(DestaError, match="pg_dump"):
            attempt()
    assert automatic_backup_plan() is None


def test_backup_while_a_write_transaction_is_open(sqlite_only, db_path):
    add_org("Committed Trust")
    # another connection holds a write transaction: the backup sees the committed state only
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO organisation (uuid, created_at, updated_at, name, name_key, kind, is_member,"
        " is_commissioner, charity_number, company_number, address, postcode, email, phone,"
        " website, notes, search_text) VALUES ('u-1', '2012-01-01', '2012-01-01', 'Uncommitted',"
        " 'uncommitted', 'charity', 1, 0, '', '', '', '', '', '', '', '', '')"
    )
    try:
        result = backup_database()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.path.parent == Path(db_path).parent / "backups"
    assert integrity_problems(result.path) == []
    copy = sqlite3.connect(result.path)
    names = [row[0] for row in copy.execute("SELECT name FROM organisation")]
    mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
    copy.close()
    assert names == ["Committed Trust"]
    assert mode == "delete"  # a backup stands alone, no -wal file beside it


def test_backup_never_overwrites(sqlite_only, db_path, tmp_path):
    target = tmp_path / "mine.sqlite3"
    backup_database(target)
    with pytest.raises(DestaError, match="already exists"):
        backup_database(target)
    with pytest.raises(DestaError, match="over the database itself"):
        backup_database(db_path)
    folder_copy = backup_database(tmp_path)
    assert folder_copy.path.parent == tmp_path


def test_daily_backup_once_a_day_keeping_the_last_n(sqlite_only, db_path):
    set_setting("backups_to_keep", 3)
    plan = automatic_backup_plan()
    assert plan == AutomaticBackupPlan(Path(db_path).resolve(), 3)
    folder = Path(db_path).parent / "backups"
    folder.mkdir(exist_ok=True)
    # five older daily backups and one made by hand
    for day in range(1, 6):
        (folder / f"desta.2012-11-0{day}T090000.daily.sqlite3").write_bytes(b"old")
    (folder / "desta.2012-11-01T100000.backup.sqlite3").write_bytes(b"by hand")
    result = run_automatic_backup(plan, today=date(2012, 11, 6))
    assert result is not None
    assert integrity_problems(result.path) == []
    kept = [p.name for p in daily_backups(Path(db_path))]
    assert len(kept) == 3 and result.path.name in kept
    assert "desta.2012-11-05T090000.daily.sqlite3" in kept
    assert len(result.removed) == 3
    assert (folder / "desta.2012-11-01T100000.backup.sqlite3").exists()
    # the same day again: nothing new
    today = date.today()
    run_automatic_backup(plan, today=today)
    assert run_automatic_backup(plan, today=today) is None


def test_no_daily_backup_for_a_demo_or_when_turned_off(sqlite_only, demo_db):
    assert automatic_backup_plan() is None  # a demo
    set_setting("is_demo", False)
    assert automatic_backup_plan() is not None
    set_setting("backups_to_keep", 0)
    assert automatic_backup_plan() is None


def test_restore_keeps_the_replaced_database_and_says_so(sqlite_only, db_path, tmp_path):
    add_org("Before Trust")
    saved = backup_database(tmp_path / "saved.sqlite3").path
    add_org("After Trust")
    result = restore_database(saved)
    assert sorted(o.name for o in Organisation.select()) == ["Before Trust"]
    assert result.replaced_backup is not None and result.replaced_backup.exists()
    kept = sqlite3.connect(result.replaced_backup)
    assert {r[0] for r in kept.execute("SELECT name FROM organisation")} == {
        "Before Trust",
        "After Trust",
    }
    kept.close()
    text = "\n".join(result.describe())
    assert str(saved) in text and str(result.replaced_backup) in text
    assert current_database().path == Path(db_path).resolve()
    assert integrity_problems(Path(db_path)) == []
    # the restored database takes writes again
    add_org("Later Trust")
    assert Organisation.select().count() == 2


def test_restore_upgrades_an_older_backup(sqlite_only, db_path, tmp_path):
    old = Path(__file__).resolve().parents[1] / "data" / "schema_v1.sqlite3"
    copy = tmp_path / "old.sqlite3"
    copy.write_bytes(old.read_bytes())
    result = restore_database(copy)
    assert result.schema_version_restored == 1
    assert result.schema_version_now > 1
    assert "upgraded" in "\n".join(result.describe())


def test_restore_refuses_bad_files_and_changes_nothing(sqlite_only, db_path, tmp_path):
    add_org("Keep Me")
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("not a database")
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    damaged = tmp_path / "damaged.sqlite3"
    good = backup_database(tmp_path / "good.sqlite3").path
    data = bytearray(good.read_bytes())
    data[4096 * 2 : 4096 * 2 + 200] = b"\xff" * 200  # scribble over a table page
    damaged.write_bytes(bytes(data))
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO schema_migration VALUES (999, 'future', '2030-01-01')")
    conn.commit()
    conn.close()
    cases = [
        (text_file, "not a database file"),
        (other, "another program"),
        (damaged, "damaged|not a usable"),
        (newer, "newer version"),
        (tmp_path / "absent.sqlite3", "does not exist"),
    ]
    for path, message in cases:
        with pytest.raises(DatabaseError, match=message):
            check_backup_file(path)
        with pytest.raises(DatabaseError, match=message):
            restore_database(path)
    assert [o.name for o in Organisation.select()] == ["Keep Me"]
    assert not (Path(db_path).parent / "backups").exists() or not any(
        "pre-restore" in p.name for p in (Path(db_path).parent / "backups").iterdir()
    )
