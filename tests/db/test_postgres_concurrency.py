"""Desks saving at once on a PostgreSQL server: each read-then-write runs alone, as on SQLite."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desta_tui.db.database import WRITE_LOCK_KEY, close_database, db, open_database
from tests.cli.helpers import desta
from tests.db.test_concurrency import WRITER, env, organisations_csv
from tests.postgres import fresh_database_url, postgres_wanted

pytestmark = pytest.mark.skipif(not postgres_wanted(), reason="DESTA_TEST_POSTGRES=0")


def _notes_and_names(url: str) -> list[tuple[str, str]]:
    open_database(url)
    try:
        return list(db.execute_sql("SELECT name, notes FROM organisation ORDER BY id").fetchall())
    finally:
        close_database()


def test_read_then_write_transactions_never_interleave():
    url = fresh_database_url()
    open_database(url)  # the schema, before the desks race for it
    close_database()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, tag, "60"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env())
        for tag in ("alpha", "beta", "gamma")
    ]  # fmt: skip
    for writer in writers:
        out, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, err
        assert out.count("COMMITTED") == 60
    rows = _notes_and_names(url)
    assert len(rows) == 180
    # each transaction counted the rows, then added one: had two run side by side, both would
    # have seen the same count
    seen = sorted(int(notes.removeprefix("saw ")) for _name, notes in rows)
    assert seen == list(range(180))


def test_a_desk_held_up_past_the_timeout_gets_one_clear_line(tmp_path):
    import psycopg2

    url = fresh_database_url()
    open_database(url)
    close_database()
    path = organisations_csv(tmp_path / "a.csv", "Gamma Trust", 5)
    holder = psycopg2.connect(url)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        result = desta("import", "organisations", str(path), "--db", url,
                       env={"DESTA_BUSY_TIMEOUT_MS": "400"})  # fmt: skip
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "busy" in lines[0] and "Traceback" not in result.stderr, lines
    # it waited the timeout it was given, and says so
    assert "another desk has been saving for 0.4 seconds" in lines[0], lines
    assert not any(name.startswith("Gamma") for name, _notes in _notes_and_names(url))
