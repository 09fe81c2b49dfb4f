"""Two `desta` processes writing to one file: both succeed, or one says clearly that it waited."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.cli.helpers import ROOT, desta

# Each transaction reads, then writes: the pattern that dies at once with "database is locked"
# unless write transactions begin IMMEDIATE and wait on the busy timeout.
WRITER = """
import sys
from desta_tui.db.database import db, open_database
from desta_tui.db.models import Organisation
from desta_tui.services.audit import create_record
open_database(sys.argv[1])
tag, count = sys.argv[2], int(sys.argv[3])
for n in range(count):
    with db.atomic():
        seen = Organisation.select().count()
        create_record(Organisation, name=f"{tag} {n}", name_key=f"{tag} {n}".lower(),
                      notes=f"saw {seen}")
    print("COMMITTED", n, flush=True)
"""


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def names(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM organisation")}
    finally:
        conn.close()


def test_two_processes_writing_at_once_both_succeed_and_lose_nothing(db_path):
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), tag, "120"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
        for tag in ("alpha", "beta", "gamma")
    ]  # fmt: skip
    results = [writer.communicate(timeout=180) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
        assert out.count("COMMITTED") == 120
    written = names(db_path)
    for tag in ("alpha", "beta", "gamma"):
        assert {f"{tag} {n}" for n in range(120)} <= written


def organisations_csv(path, prefix: str, count: int):
    lines = ["Name,Notes"] + [f"{prefix} {n},row {n}" for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_desta_imports_at_once(db_path, tmp_path):
    first = organisations_csv(tmp_path / "a.csv", "Alpha Trust", 400)
    second = organisations_csv(tmp_path / "b.csv", "Beta Trust", 400)
    command = [sys.executable, "-m", "desta_tui", "import", "organisations"]
    runs = [
        subprocess.Popen([*command, str(path), "--db", str(db_path)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env())
        for path in (first, second)
    ]  # fmt: skip
    outcomes = [(run.wait(timeout=180), run.stderr.read()) for run in runs]
    for code, err in outcomes:
        assert "Traceback" not in err and "database is locked" not in err
        assert code == 0 or "busy" in err, err
    written = names(db_path)
    for (code, _err), prefix in zip(outcomes, ("Alpha Trust", "Beta Trust"), strict=True):
        mine = {name for name in written if name.startswith(prefix)}
        # all or nothing for each file, and every reported success really is there
        assert len(mine) == (400 if code == 0 else 0)


def test_a_writer_held_past_the_busy_timeout_gets_one_clear_line(db_path, tmp_path):
    path = organisations_csv(tmp_path / "a.csv", "Gamma Trust", 5)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = desta("import", "organisations", str(path), "--db", str(db_path),
                       env={"DESTA_BUSY_TIMEOUT_MS": "400"})  # fmt: skip
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "busy" in lines[0] and "Traceback" not in result.stderr
    # it waited the timeout it was given, and says so
    assert "another program has been writing to it for 0.4 seconds" in lines[0]
    assert not any(name.startswith("Gamma") for name in names(db_path))
