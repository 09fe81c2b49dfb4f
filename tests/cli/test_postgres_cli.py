"""The `desta` command against a real PostgreSQL server: the same commands as on SQLite."""

from __future__ import annotations

import csv
import io

import pytest

from tests.cli.helpers import desta
from tests.postgres import fresh_database_url, postgres_wanted

pytestmark = pytest.mark.skipif(not postgres_wanted(), reason="DESTA_TEST_POSTGRES=0")


@pytest.fixture(scope="module")
def demo_url():
    url = fresh_database_url()
    result = desta("demo", "--no-open", "--db", url)
    assert result.returncode == 0, result.stderr
    return url


def test_demo_and_export_members_on_postgres(demo_url):
    result = desta("export", "members", "--db", demo_url)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len([r for r in rows if r["Consortium"].startswith("Desta")]) == 37


def test_check_on_postgres(demo_url):
    result = desta("check", "--db", demo_url)
    assert result.returncode == 0, result.stderr
    assert "(postgresql)" in result.stdout and "checked by the PostgreSQL server" in result.stdout


@pytest.mark.parametrize("table", ["organisations", "contacts", "contracts", "partners",
                                   "targets", "returns", "tickets"])  # fmt: skip
def test_every_table_exports_on_postgres(demo_url, table):
    result = desta("export", table, "--db", demo_url)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) > 2


def test_demo_refuses_a_real_postgres_database(demo_url):
    url = fresh_database_url()
    assert desta("check", "--db", url).returncode == 0
    from desta_tui.db.database import close_database, open_database
    from desta_tui.db.models import Organisation

    open_database(url)
    Organisation.create(name="Our own", name_key="our own")
    close_database()
    result = desta("demo", "--no-open", "--db", url)
    assert result.returncode == 1
    assert "not a demo one" in result.stderr


def test_unreachable_server_is_one_line():
    result = desta("check", "--db", "postgresql://nobody@127.0.0.1:1/desta")
    assert result.returncode == 1
    assert "Cannot reach the database server" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
