"""SIGKILL in the middle of a stream of writes: the file opens, is sound, and keeps every commit."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from desta_tui.db.backup import integrity_problems
from desta_tui.db.database import close_database, open_database
from tests.cli.helpers import ROOT

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

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
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env())  # fmt: skip
    reported = []
    try:
        deadline = time.monotonic() + 120
        while len(reported) < commits_before_kill and time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            reported.append(int(line.split()[1]))
        # no pause here: the writer is in the middle of its next transaction
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait(timeout=30)
        writer.stdout.close()
        writer.stderr.close()
    assert writer.returncode == -signal.SIGKILL
    assert len(reported) == commits_before_kill
    open_database(str(path))  # opens (and recovers from the WAL) without complaint
    close_database()
    assert integrity_problems(path) == []
    conn = sqlite3.connect(path)
    rows = dict(conn.execute("SELECT name, notes FROM organisation").fetchall())
    audit = conn.execute("SELECT COUNT(DISTINCT record_uuid) FROM audit_log").fetchone()[0]
    conn.close()
    for n in reported:
        assert rows[f"Row {n}"] == f"row {n} done"  # the whole transaction, not half of it
    # at most the one in flight committed after its line was read; none half-written
    assert len(rows) in (len(reported), len(reported) + 1)
    assert audit == len(rows)


def test_kill_during_an_import_leaves_all_or_nothing(tmp_path):
    path = tmp_path / "crash.sqlite3"
    open_database(str(path))
    close_database()
    rows = ["Name,Notes"] + [f"Import Trust {n},note {n}" for n in range(3000)]
    source = tmp_path / "orgs.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = subprocess.Popen([sys.executable, "-m", "desta_tui", "import", "organisations",
                            str(source), "--db", str(path)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=env())  # fmt: skip
    time.sleep(1.5)  # start-up, reading and part of the writing
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert integrity_problems(path) == []
    conn = sqlite3.connect(path)
    count = conn.execute("SELECT COUNT(*) FROM organisation").fetchone()[0]
    conn.close()
    assert count in (0, 3000)
