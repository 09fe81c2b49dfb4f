"""Driver faults reach the services' callers as DatabaseError with a sentence (issue 15)."""

from __future__ import annotations

import pickle
import sqlite3
import subprocess
import sys

import pytest
from peewee import IntegrityError

import desta_tui.db.preflight as preflight_module
from desta_tui.db.backup import backup_files, newest_good_backup
from desta_tui.db.database import close_database, db, open_database
from desta_tui.db.faults import fault_kind, is_fault, translate_fault
from desta_tui.db.models import Organisation
from desta_tui.db.preflight import check_settings, needs_creation
from desta_tui.db.recovery import PYTHON_METHOD, recover_sqlite
from desta_tui.domain.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseError,
    DatabaseFullError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
)
from desta_tui.services.backup import backup_database
from desta_tui.services.settings import forget_cached_settings, get_setting, set_setting
from tests.cli.helpers import damage

HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # the write lock, as another desk's save holds it
print("holding", flush=True)
sys.stdin.read()  # until the test closes our stdin
conn.execute("ROLLBACK")
"""


def test_a_service_write_while_another_process_holds_the_lock_is_a_busy_sentence(
    db_path, monkeypatch
):
    close_database()
    monkeypatch.setattr(preflight_module, "BUSY_TIMEOUT_MS", 200)
    open_database(str(db_path))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(DatabaseError) as caught:
            set_setting("backups_to_keep", 3)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert isinstance(caught.value, DatabaseBusyError)
    message = caught.value.message
    assert "is busy" in message and str(db_path) in message and "0.2 seconds" in message
    assert "Nothing was saved" in message
    assert "OperationalError" not in message and "\n" not in message
    # nothing was half-written, and the connection is usable once the other desk is done
    forget_cached_settings()
    assert get_setting("backups_to_keep") != 3
    set_setting("backups_to_keep", 3)
    forget_cached_settings()
    assert get_setting("backups_to_keep") == 3


def test_reading_a_damaged_table_is_a_damaged_sentence_naming_the_backup(demo_db):
    backup = backup_database().path
    close_database()
    damage(demo_db)
    open_database(str(demo_db))
    with pytest.raises(DatabaseDamagedError) as caught:
        list(Organisation.select())
    error = caught.value
    assert error.newest_backup == str(backup)
    assert f"desta restore {backup}" in error.message
    assert "desta check --recover" in error.message and "malformed" in error.message


def test_a_full_disk_is_a_sentence_and_the_transaction_is_rolled_back(db_path):
    before = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {before}")  # no room for one more page
    with pytest.raises(DatabaseFullError, match="no space left"), db.atomic():
        for n in range(500):
            Organisation.create(name=f"Filler {n} " + "x" * 500, name_key=f"filler {n}")
    assert Organisation.select().count() == 0


def test_a_fault_from_a_raw_cursor_inside_the_proxys_block_is_a_sentence(db_path):
    """The bulk writes use the connection's own cursor, past peewee's statements: whatever
    leaves `db.atomic()` is still translated."""
    before = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {before}")
    rows = [("me", "organisation", f"new:{n}", "x" * 500, "2012-11-05") for n in range(500)]
    with pytest.raises(DatabaseFullError, match="no space left"), db.atomic():
        cursor = db.connection().cursor()
        cursor.executemany(
            "INSERT INTO draft (who, kind, record_key, values_json, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    assert db.execute_sql("SELECT COUNT(*) FROM draft").fetchone()[0] == 0


def test_the_programs_own_errors_pass_through_untranslated(db_path):
    Organisation.create(name="Rain Trust", name_key="rain trust")
    with pytest.raises(IntegrityError), db.atomic():
        Organisation.create(name="Rain Trust", name_key="rain trust")


@pytest.mark.parametrize(
    "message, expected",
    [
        ("database is locked", DatabaseBusyError),
        ("database disk image is malformed", DatabaseDamagedError),
        ("attempt to write a readonly database", DatabaseReadOnlyError),
        ("database or disk is full", DatabaseFullError),
        ("disk I/O error", DatabaseUnavailableError),
    ],
)
def test_each_sqlite_fault_has_its_own_class_and_one_line(tmp_path, message, expected):
    error = sqlite3.OperationalError(message)
    assert is_fault(error)
    translated = translate_fault(
        error, str(tmp_path / "hub.sqlite3"), path=tmp_path / "hub.sqlite3"
    )
    assert type(translated) is expected
    assert "\n" not in translated.message and translated.message.endswith(".")


class FakePostgresError(Exception):
    """Stands in for psycopg2's errors: a module name and a SQLSTATE code."""

    __module__ = "psycopg2.errors"

    def __init__(self, message: str, pgcode: str | None) -> None:
        super().__init__(message)
        self.pgcode = pgcode


FakePostgresError.__name__ = "OperationalError"


@pytest.mark.parametrize(
    "code, expected, words",
    [
        ("55P03", DatabaseBusyError, "another desk"),
        ("53100", DatabaseFullError, "server's disk"),
        ("XX001", DatabaseDamagedError, "administrator"),
        ("25006", DatabaseReadOnlyError, "read-only"),
        (None, DatabaseUnavailableError, "connection to the database server was lost"),
    ],
)
def test_postgres_faults_are_read_by_their_code(code, expected, words):
    error = FakePostgresError("server closed the connection unexpectedly", code)
    translated = translate_fault(error, "postgresql://desk@hub/desta", server=True)
    assert type(translated) is expected and words in translated.message


def test_a_bug_is_not_a_fault():
    assert not is_fault(sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert not is_fault(ValueError("database is locked"))
    assert fault_kind(sqlite3.OperationalError("no such table: x")) == "other"
    assert not is_fault(sqlite3.OperationalError("no such table: x"))


@pytest.mark.parametrize(
    "error",
    [
        DatabaseBusyError("busy"),
        DatabaseDamagedError("damaged", "/backups/hub.sqlite3"),
        DatabaseDamagedError("damaged"),
        DatabaseFullError("full"),
    ],
)
def test_fault_errors_survive_pickling(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and vars(copy) == vars(error)


def test_busy_timeout_setting_that_is_not_a_number_is_named(monkeypatch):
    monkeypatch.setenv("DESTA_BUSY_TIMEOUT_MS", "ten")
    with pytest.raises(DatabaseError, match="DESTA_BUSY_TIMEOUT_MS is set to 'ten'"):
        check_settings()
    monkeypatch.setenv("DESTA_BUSY_TIMEOUT_MS", "2500")
    check_settings()


def test_needs_creation(tmp_path):
    assert needs_creation(str(tmp_path / "new.sqlite3"))
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert needs_creation(str(empty))
    existing = tmp_path / "hub.sqlite3"
    open_database(str(existing))
    close_database()
    assert not needs_creation(str(existing))
    assert not needs_creation("postgresql://desk@hub/desta")


def test_open_without_create_refuses_a_missing_or_empty_file_and_makes_none(tmp_path):
    missing = tmp_path / "typo.sqlite3"
    with pytest.raises(DatabaseError, match="There is no database at"):
        open_database(str(missing), create=False, setting="--db")
    assert not missing.exists()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(DatabaseError, match="is an empty file"):
        open_database(str(empty), create=False, setting="DESTA_DB")
    assert empty.stat().st_size == 0


def test_backups_are_listed_newest_first_and_a_damaged_one_is_passed_over(demo_db, tmp_path):
    older = backup_database(label="backup").path
    newer = tmp_path / "backups" / older.name.replace(older.name.split(".")[1], "2999-01-01T000000")
    older.with_name(newer.name).write_bytes(older.read_bytes())
    assert backup_files(demo_db)[:2] == [newer, older]
    damage(newer)
    assert newest_good_backup(demo_db) == older


def test_recovery_saves_the_readable_tables_and_never_writes_the_damaged_file(demo_db, tmp_path):
    close_database()
    damage(demo_db)
    before = (demo_db.read_bytes(), demo_db.stat().st_mtime_ns)
    result = recover_sqlite(demo_db, tmp_path / "saved.sqlite3", sqlite_command="")
    assert result.method == PYTHON_METHOD
    assert "organisation" in result.unreadable
    assert result.rows["contract"] == 8 and result.rows["organisation"] == 0
    assert (result.path.stat().st_mode & 0o777) == 0o600
    assert (demo_db.read_bytes(), demo_db.stat().st_mtime_ns) == before
    assert not list(tmp_path.glob(".desta-recover-*"))
