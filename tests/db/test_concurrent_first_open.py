"""Several programs opening a new (or older) database at once: one upgrades it, none fails."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from desta_tui.db.database import close_database, db, open_database
from desta_tui.db.upgrade import latest_version
from tests.cli.helpers import ROOT
from tests.postgres import fresh_database_url, postgres_wanted

BACKENDS = ["sqlite"] + (["postgresql"] if postgres_wanted() else [])
DESKS = 4


def new_database(backend: str, tmp_path, round_number: int) -> str:
    if backend == "postgresql":
        return fresh_database_url()
    return str(tmp_path / f"hub{round_number}.sqlite3")


# A command that only reads no longer makes a missing SQLite file (issue 15): the desks open a
# new file as the app does, through open_database; a server database is filled by `desta check`.
OPEN_AS_THE_APP_DOES = (
    "import sys; from desta_tui.db.database import open_database; open_database(sys.argv[1])"
)


def desk_command(backend: str, target: str) -> list[str]:
    if backend == "postgresql":
        return [sys.executable, "-m", "desta_tui", "check", "--db", target]
    return [sys.executable, "-c", OPEN_AS_THE_APP_DOES, target]


@pytest.mark.parametrize("backend", BACKENDS)
def test_desks_opening_a_new_database_at_once_all_succeed(backend, tmp_path):
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_number in range(3):
        target = new_database(backend, tmp_path, round_number)
        desks = [
            subprocess.Popen(
                desk_command(backend, target),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                text=True,
                env=environment,
            )
            for _ in range(DESKS)
        ]
        for desk in desks:
            _out, err = desk.communicate(timeout=120)
            assert desk.returncode == 0, err
        open_database(target)
        versions = [row[0] for row in db.execute_sql("SELECT version FROM schema_migration")]
        close_database()
        assert versions == list(range(1, latest_version() + 1))
