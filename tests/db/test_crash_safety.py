"""SIGKILL in the middle of a stream of writes: the file opens, is sound, and keeps every commit."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from desta_tui.db.backup import integrity_problems
from desta_tui.db.database import close_database, open_database
from desta_tui.services.importing import KILL_BEFORE_COMMIT_ENV
from tests.cli.helpers import ROOT

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

# Each transaction is written, then waits for the test's word to commit: the test kills the
# writer at a known point, inside a transaction, however fast or slow the machine is.
WRITER = """
import sys
from desta_tui.db.database import db, open_database
from desta_tui.db.models import Organisation
from desta_tui.services.audit import create_record, update_record
open_database(sys.argv[1])
n = 0
while True:
    with db.atomic():
        org = create_record(Organisation, name=f"Row {n}", name_key=f"row {n}", notes="x" * 500)
        update_record(org, notes=f"row {n} done")
        print("WRITTEN", n, flush=True)
        if sys.stdin.readline().strip() != "commit":
            raise SystemExit("no word to commit")
    print("COMMITTED", n, flush=True)
    n += 1
"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("commits_before_kill", [1, 37, 150])
def test_kill_mid_stream_keeps_every_reported_commit(tmp_path, commits_before_kill):
    path = tmp_path / "crash.sqlite3"
    open_database(str(path))
    close_database()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env())  # fmt: skip
    committed = []
    try:
        for n in range(commits_before_kill + 1):
            assert writer.stdout.readline().split() == ["WRITTEN", str(n)]
            if n == commits_before_kill:
                break  # the writer holds transaction n open, written and not committed
            writer.stdin.write("commit\n")
            writer.stdin.flush()
            assert writer.stdout.readline().split() == ["COMMITTED", str(n)]
            committed.append(n)
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()  # (already dead, unless an assertion above stopped the test)
        writer.wait(timeout=30)
        for stream in (writer.stdin, writer.stdout, writer.stderr):
            stream.close()
    assert writer.returncode == -signal.SIGKILL
    assert len(committed) == commits_before_kill
    open_database(str(path))  # opens (and recovers from the WAL) without complaint
    close_database()
    assert integrity_problems(path) == []
    conn = sqlite3.connect(path)
    rows = dict(conn.execute("SELECT name, notes FROM organisation").fetchall())
    audit = conn.execute("SELECT COUNT(DISTINCT record_uuid) FROM audit_log").fetchone()[0]
    conn.close()
    # every commit whole, and nothing of the transaction the kill cut short
    assert rows == {f"Row {n}": f"row {n} done" for n in committed}
    assert audit == len(committed)


IMPORT_ROWS = 5000


def organisations_csv(folder):
    rows = ["Name,Notes"] + [f"Import Trust {n},note {n}" for n in range(IMPORT_ROWS)]
    source = folder / "orgs.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return source


def test_kill_during_an_import_leaves_nothing_of_it(tmp_path):
    path = tmp_path / "crash.sqlite3"
    open_database(str(path))
    close_database()
    conn = sqlite3.connect(path)
    before = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    conn.close()
    source = organisations_csv(tmp_path)
    # the importer kills itself once its rows are written and before it commits: the kill lands
    # inside the import's transaction, whatever the machine's speed
    run = subprocess.run([sys.executable, "-m", "desta_tui", "import", "organisations",
                          str(source), "--db", str(path)], capture_output=True, text=True,
                         env={**env(), KILL_BEFORE_COMMIT_ENV: str(IMPORT_ROWS)},
                         timeout=300)  # fmt: skip
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert f"{IMPORT_ROWS} rows written, killed before the commit" in run.stderr
    assert "Imported" not in run.stderr + run.stdout
    open_database(str(path))  # opens (and recovers from the WAL) without complaint
    close_database()
    assert integrity_problems(path) == []
    conn = sqlite3.connect(path)
    count = conn.execute("SELECT COUNT(*) FROM organisation").fetchone()[0]
    history = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    conn.close()
    assert (count, history) == (0, before)


def test_without_the_kill_the_same_import_is_all_there(tmp_path):
    """The file the test above kills is a sound import: what it loses is the kill's doing."""
    path = tmp_path / "whole.sqlite3"
    open_database(str(path))
    close_database()
    source = organisations_csv(tmp_path)
    run = subprocess.run([sys.executable, "-m", "desta_tui", "import", "organisations",
                          str(source), "--db", str(path)], capture_output=True, text=True,
                         env={**env(), KILL_BEFORE_COMMIT_ENV: str(IMPORT_ROWS + 1)},
                         timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM organisation").fetchone()[0] == IMPORT_ROWS
    conn.close()
