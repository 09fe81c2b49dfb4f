"""peewee leaves psycopg2 out on a SQLite start, and gets it whole when a postgresql:// URL opens;
it leaves hashlib out until it first uses it.

Each case runs in a fresh interpreter: in this one peewee was imported long ago."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres import fresh_database_url, postgres_wanted

WORKTREE = Path(__file__).resolve().parents[2]

ON_SQLITE = """
import sys
from desta_tui.db.database import close_database, open_database
open_database(sys.argv[1])
import peewee
assert "psycopg2" not in sys.modules, "peewee loaded psycopg2 for a SQLite file"
assert peewee.psycopg2 is None
close_database()
print("sqlite-ok")
"""

ON_POSTGRES = """
import sys, uuid
from desta_tui.db.database import close_database, db, open_database
assert "psycopg2" not in sys.modules
open_database(sys.argv[1])  # migrates the fresh database: tables, indexes, transactions
import peewee, psycopg2.extras
assert peewee.psycopg2 is sys.modules["psycopg2"]
assert peewee.Json_pg2 is psycopg2.extras.Json
wanted = uuid.UUID("0b7c1d7e-0000-4000-8000-000000000001")
# a UUID as a parameter needs the adapter peewee registers at its import
assert db.execute_sql("SELECT %s::uuid", (wanted,)).fetchone()[0] == wanted
try:
    with db.atomic():
        db.execute_sql("SELECT 1/0")
except peewee.DataError:
    pass
# the adapter's transaction states: a connection after a rolled-back error is usable
assert db.obj.is_connection_usable()
assert db.execute_sql("SELECT count(*) FROM organisation").fetchone()[0] >= 0
close_database()
print("postgres-ok")
"""


def run_alone(script: str, target: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, target],
        cwd=WORKTREE,
        env={"PYTHONPATH": str(WORKTREE), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


HASHLIB_WHEN_USED = """
import sys
from desta_tui.db.database import close_database, open_database
open_database(sys.argv[1])
from desta_tui.services.dashboard import dashboard_summary
dashboard_summary()
assert "_hashlib" not in sys.modules and "hashlib" not in sys.modules, "hashlib was loaded"
import peewee
name = "a_table_whose_index_name_is_longer_than_sixty_four_characters_in_all"
shortened = peewee._truncate_constraint_name(name)  # an MD5 of it, as peewee always made
import hashlib
assert peewee.hashlib is not hashlib and sys.modules["hashlib"] is hashlib
assert shortened == f"{name[:56]}_{hashlib.md5(name.encode()).hexdigest()[:7]}", shortened
close_database()
print("hashlib-ok")
"""


def test_peewee_loads_hashlib_only_when_it_uses_it(demo_template, tmp_path):
    import shutil

    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    assert "hashlib-ok" in run_alone(HASHLIB_WHEN_USED, str(path))


def test_a_sqlite_start_never_loads_psycopg2(demo_template, tmp_path):
    import shutil

    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    assert "sqlite-ok" in run_alone(ON_SQLITE, str(path))


@pytest.mark.skipif(not postgres_wanted(), reason="DESTA_TEST_POSTGRES=0")
def test_a_postgres_url_opened_later_gets_the_whole_driver():
    assert "postgres-ok" in run_alone(ON_POSTGRES, fresh_database_url())


def test_two_threads_asking_the_hashlib_stand_in_at_once_both_get_the_name():
    """The stand-in takes itself out of sys.modules when first asked: two threads asking at
    the same moment must both get the name (the second `del` once raised KeyError)."""
    import hashlib
    import threading

    from desta_tui.db.postgres_driver import _HashlibWhenUsed

    errors: list[str] = []

    def ask(stand_in, barrier):
        barrier.wait()
        try:
            stand_in.md5  # noqa: B018 (asking is the test)
        except Exception as error:  # the failure under test, whatever it is
            errors.append(repr(error))

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # the threads change hands as often as they can
    try:
        for _trial in range(3000):
            stand_in = _HashlibWhenUsed("hashlib")
            sys.modules["hashlib"] = stand_in
            barrier = threading.Barrier(2)
            threads = [threading.Thread(target=ask, args=(stand_in, barrier)) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if errors:
                break
    finally:
        sys.modules["hashlib"] = hashlib
        sys.setswitchinterval(switch)
    assert errors == []
