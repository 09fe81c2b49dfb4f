"""The `desta` command in a subprocess: version, demo, check, export, and bad input."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from desta_tui import __version__
from tests.cli.helpers import ROOT, desta, empty_database


def test_version_answers_without_importing_textual_or_reportlab():
    code = (
        "import sys\n"
        "from desta_tui.cli import main\n"
        "main(['--version'])\n"
        "heavy = [m for m in ('textual', 'reportlab', 'peewee') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)  # fmt: skip
    assert f"desta {__version__}" in result.stdout
    assert "HEAVY []" in result.stdout


def test_version_from_the_command():
    result = desta("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"desta {__version__}"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    result = desta("demo", "--no-open", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_demo_then_export_members_lists_the_37_desta_members(demo_file):
    result = desta("export", "members", "--db", str(demo_file))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    desta_rows = [r for r in rows if r["Consortium"].startswith("Desta")]
    assert len(desta_rows) == 37
    assert any(r["Organisation"] == "Rain Trust" for r in desta_rows)
    assert len([r for r in rows if r["Consortium"] == "Valens Consortium"]) == 19


def test_export_to_a_file_has_a_bom_uk_dates_and_pounds(demo_file, tmp_path):
    out = tmp_path / "contracts.csv"
    result = desta("export", "contracts", "-o", str(out), "--db", str(demo_file))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    eps = next(r for r in rows if r["Title"] == "Expert Patient Service")
    assert eps["Total value (£)"] == "670000.00"
    assert eps["Annual value (£)"] == "337600.00"
    assert eps["Starts"] == "01/10/2011"


@pytest.mark.parametrize("table", ["organisations", "contacts", "partners", "targets", "returns",
                                   "tickets"])  # fmt: skip
def test_every_table_exports(demo_file, table):
    result = desta("export", table, "--db", str(demo_file))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) > 2


def test_check_reports_health_and_counts(demo_file):
    result = desta("check", "--db", str(demo_file))
    assert result.returncode == 0, result.stderr
    assert "Integrity:       ok" in result.stdout
    assert "Foreign keys:    ok" in result.stdout
    assert "organisation" in result.stdout and "Schema version:" in result.stdout


def test_db_from_the_environment(demo_file):
    result = desta("export", "contracts", env={"DESTA_DB": str(demo_file)})
    assert result.returncode == 0 and "Expert Patient Service" in result.stdout


def test_demo_refuses_a_real_database_without_force(tmp_path, demo_file):
    real = empty_database(tmp_path / "real.sqlite3")
    result = desta("demo", "--no-open", "--db", str(real))
    assert result.returncode == 1
    assert "not a demo one" in result.stderr and "--force" in result.stderr


@pytest.mark.parametrize(
    "make_target, message",
    [
        (lambda tmp: str(tmp), "is a folder"),
        (lambda tmp: _write(tmp / "notes.txt", "hello"), "not a database file"),
        # a command that only reads makes no database (issue 15), so nothing is created there
        (lambda tmp: "/proc/desta.sqlite3", "There is no database at /proc/desta.sqlite3"),
        (lambda tmp: str(tmp / "missing" / "x.sqlite3"), "does not exist"),
    ],
)
def test_bad_db_gives_one_clear_line_and_exit_1(tmp_path, make_target, message):
    result = desta("check", "--db", make_target(tmp_path))
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_newer_database_is_refused_by_the_command(tmp_path):
    import sqlite3

    path = empty_database(tmp_path / "future.sqlite3")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migration VALUES (99, 'future', '2030-01-01')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = desta("export", "members", "--db", str(path))
    assert result.returncode == 1 and "newer version of Desta" in result.stderr
    assert path.read_bytes() == before


def test_usage_errors_exit_2():
    result = desta("export", "nonsense")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def _write(path, text):
    path.write_text(text)
    return str(path)
