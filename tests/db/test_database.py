"""Opening databases: pragmas, permissions, and every bad target refused with one clear sentence."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys

import pytest

from desta_tui.db.database import db, open_database
from desta_tui.domain.errors import DatabaseError


def test_new_file_is_owner_only_with_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "new.sqlite3"
    info = open_database(str(path))
    assert info.kind == "sqlite" and info.path == path.resolve()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    # 2 is FULL: commits survive a power cut too
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2


def test_foreign_keys_are_enforced(db_path):
    from peewee import IntegrityError

    from desta_tui.db.models import Ward

    with pytest.raises(IntegrityError):
        Ward.create(borough=999, name="Nowhere")


def test_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="is a folder"):
        open_database(str(tmp_path))


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(str(tmp_path / "nope" / "x.sqlite3"))


def test_text_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("Dear hub,\nthis is not a database.\n")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a database file"):
        open_database(str(path))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_other_programs_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="another program"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_newer_version_is_refused_and_untouched(tmp_path):
    path = tmp_path / "future.sqlite3"
    open_database(str(path))
    db.execute_sql(
        "INSERT INTO schema_migration (version, name, applied_at) "
        "VALUES (999, 'future', '2030-01-01')"
    )
    db.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="newer version of Desta"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_read_only_place_is_refused():
    # /proc refuses new files even to root, so this holds wherever the tests run
    with pytest.raises(DatabaseError, match="Cannot create|read-only"):
        open_database("/proc/desta-test.sqlite3")


def test_postgres_url_that_cannot_connect_gives_one_line():
    with pytest.raises(DatabaseError, match="Cannot reach the database server"):
        open_database("postgresql://nobody:secret@127.0.0.1:1/desta")


def test_unknown_url_scheme_is_refused():
    with pytest.raises(DatabaseError, match="Unknown database URL scheme"):
        open_database("mysql://localhost/desta")


def test_locked_database_gives_a_clear_message(tmp_path, monkeypatch):
    path = tmp_path / "busy.sqlite3"
    open_database(str(path))
    db.close()
    # another process holds an exclusive lock while we try to migrate/open
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE')\n"
            "c.execute('CREATE TABLE t (x)')\n"
            "print('locked', flush=True); time.sleep(30)\n"
        )],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        import desta_tui.db.database as database_module
        import desta_tui.db.preflight as preflight_module

        monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 300)
        monkeypatch.setattr(preflight_module, "BUSY_TIMEOUT_MS", 300)
        monkeypatch.setitem(database_module.SQLITE_PRAGMAS, "busy_timeout", 300)
        with pytest.raises(DatabaseError, match="busy|locked|cannot be"):
            open_database(str(path))
        # it gave up while the lock was still held (the holder keeps it for 30 seconds), rather
        # than waiting for the lock to go
        assert holder.poll() is None
    finally:
        holder.kill()
        holder.wait()


def test_new_uuids_are_random_version_4_uuids_as_new_uuid_makes_them():
    import uuid

    from desta_tui.db.models import new_uuid, new_uuids

    made = new_uuids(2000)
    assert len(set(made)) == 2000 and new_uuids(0) == []
    for text in [*made, new_uuid()]:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
    # every hex digit turns up in the random places, the variant digit takes all four values
    assert {text[19] for text in made} == set("89ab")
    assert set("".join(text[:8] for text in made)) == set("0123456789abcdef")


def test_opening_a_file_reads_its_schema_version_once(db_path, monkeypatch):
    # the version the opening checks read is the one the upgrade starts from: reading it
    # again meant a second read-only connection to the file on every start
    import desta_tui.db.preflight as preflight_module

    read_only_opens: list[str] = []
    connect = sqlite3.connect

    def counted(database, *args, **kwargs):
        if "mode=ro" in str(database):
            read_only_opens.append(str(database))
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(preflight_module.sqlite3, "connect", counted)
    info = open_database(str(db_path))
    assert info.kind == "sqlite"
    assert len(read_only_opens) == 1, read_only_opens
