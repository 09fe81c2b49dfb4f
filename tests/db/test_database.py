"""Opening databases: pragmas, permissions, and every bad target refused with one clear sentence."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from types import SimpleNamespace

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


def test_new_uuids_are_time_ordered_version_7_uuids_as_new_uuid_makes_them():
    import time
    import uuid

    from desta_tui.db.models import new_uuid, new_uuids

    before_ms = time.time_ns() // 1_000_000
    made = [new_uuid(), *new_uuids(2000), new_uuid(), *new_uuids(3), *new_uuids(20_000)]
    after_ms = time.time_ns() // 1_000_000
    assert len(set(made)) == len(made) and new_uuids(0) == []
    # strictly increasing across calls, as text and as numbers, even within a millisecond
    assert all(a < b for a, b in zip(made, made[1:], strict=False))
    parsed = [uuid.UUID(text) for text in made]
    assert all(a.int < b.int for a, b in zip(parsed, parsed[1:], strict=False))
    for text, one in zip(made, parsed, strict=True):
        assert str(one) == text and one.version == 7 and one.variant == uuid.RFC_4122
        # the first 48 bits are the Unix time in milliseconds (ahead only if a counter ran out)
        assert before_ms <= one.int >> 80 <= after_ms + 1
    # the last 32 bits are random: every hex digit turns up in each of their places
    for place in range(28, 36):
        assert {text[place] for text in made} == set("0123456789abcdef")
    assert len({text[28:] for text in made}) > len(made) * 0.99


def test_new_uuids_start_each_millisecond_at_a_random_counter(monkeypatch):
    import uuid

    from desta_tui.db.models import base

    def counter(text: str) -> int:
        number = uuid.UUID(text).int
        return (number >> 64 & 0xFFF) << 30 | number >> 32 & 0x3FFF_FFFF

    starts = []
    for _ in range(20):
        monkeypatch.setattr(base, "_last_ms", -1)  # as if the clock had moved on
        starts.append(counter(base.new_uuid()))
    assert len(set(starts)) == 20 and all(start < 2**41 for start in starts)
    assert max(starts) > 2**38  # spread over the counter's range, not the first few numbers


def test_new_uuids_count_on_past_a_spent_counter_or_a_clock_that_went_back(monkeypatch):
    import uuid

    from desta_tui.db.models import base

    # the last id made a minute after the time the clock now stands at, its counter nearly spent
    now_ns = base.time.time_ns()
    monkeypatch.setattr(base, "time", SimpleNamespace(time_ns=lambda: now_ns))
    ahead_ms = now_ns // 1_000_000 + 60_000
    monkeypatch.setattr(base, "_last_ms", ahead_ms)
    monkeypatch.setattr(base, "_last_counter", 2**42 - 3)
    made = base.new_uuids(70_000)
    assert made == sorted(made) and len(set(made)) == 70_000
    stamps = [uuid.UUID(text).int >> 80 for text in made]
    assert stamps[:2] == [ahead_ms, ahead_ms] and set(stamps[2:]) == {ahead_ms + 1}
    assert all(uuid.UUID(text).version == 7 for text in made)


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
