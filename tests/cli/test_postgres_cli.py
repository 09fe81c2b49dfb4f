"""The `desta` command against a real PostgreSQL server: every command, as on SQLite."""

from __future__ import annotations

import csv
import io
import json
import shutil
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from tests.cli.helpers import desta, members_file
from tests.postgres import (
    demo_database_url,
    fresh_database_url,
    password_database_url,
    postgres_wanted,
    query,
)

pytestmark = pytest.mark.skipif(not postgres_wanted(), reason="DESTA_TEST_POSTGRES=0")

# every character a URL reserves, so it must arrive percent-encoded and be decoded
PASSWORD = "p@ss:w/rd%1?#"
# no stray password from the person running the tests
NO_PASSWORD_ENV = {"PGPASSWORD": "", "PGPASSFILE": "/nonexistent/pgpass"}

SERVER_BACKUP_REFUSAL = (
    "desta: This is a PostgreSQL server database: back it up and restore it on the server with "
    "pg_dump and pg_restore (desta backup and desta restore work on SQLite files)."
)


@pytest.fixture(scope="module")
def demo_url():
    """The demo written by `desta demo` itself; tests that only read share it."""
    url = fresh_database_url()
    result = desta("demo", "--no-open", "--db", url)
    assert result.returncode == 0, result.stderr
    return url


@pytest.fixture
def hub_url():
    """A private copy of the demo database, for a test that changes it."""
    return demo_database_url()


def organisation_names(url: str) -> set[str]:
    return {name for (name,) in query(url, "SELECT name FROM organisation")}


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


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


def test_export_xlsx_on_postgres(demo_url, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "members.xlsx"
    result = desta("export", "members", "--xlsx", "-o", str(target), "--db", demo_url)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(target).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Rain Trust" in names
    assert f"{len(names)} members written to {target}" in result.stderr


def test_smg_pack_on_postgres(demo_url, tmp_path):
    target = tmp_path / "smg.pdf"
    result = desta("pack", "--period", "2012-10", "-o", str(target), "--db", demo_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(target)
    text = pdf_text(target)
    assert "Service Management Group meeting pack" in text and "£670,000" in text


def test_board_pack_on_postgres(demo_url, tmp_path):
    target = tmp_path / "board.pdf"
    result = desta("pack", "--period", "Oct 2012", "--consortium", "desta", "--board",
                   "-o", str(target), "--db", demo_url)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Board pack" in PdfReader(target).pages[0].extract_text()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("member", "Rain Trust"), "Rain Trust"),
        (("contract", "Expert Patient Service"), "Expert Patient Service"),
        (("tickets",), "Enrolments far below target since the tutor left"),
        (("tickets", "--open"), "Enrolments far below target since the tutor left"),
    ],
)
def test_reports_on_postgres(demo_url, tmp_path, args, expected):
    target = tmp_path / "report.pdf"
    result = desta("report", *args, "-o", str(target), "--db", demo_url)
    assert result.returncode == 0, result.stderr
    assert expected in pdf_text(target).replace("\n", " ")


def test_bad_report_name_is_one_line_on_postgres(demo_url):
    result = desta("report", "member", "No Such Member", "--db", demo_url)
    assert result.returncode == 1
    assert "No member organisation is called" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_import_members_lands_on_postgres(hub_url, tmp_path):
    path = members_file(tmp_path)
    result = desta("import", "members", str(path), "--db", hub_url)
    assert result.returncode == 0, result.stderr
    assert "Imported 7 members row(s)" in result.stderr and "7 created" in result.stderr
    assert {f"Nouvel Élan {n}" for n in range(1, 8)} <= organisation_names(hub_url)
    members = query(
        hub_url,
        "SELECT m.joined_on FROM membership m JOIN organisation o ON o.id = m.organisation_id "
        "WHERE o.name = %s",
        ("Nouvel Élan 3",),
    )
    assert [str(joined) for (joined,) in members] == ["2011-04-03"]
    again = desta("import", "members", str(path), "--db", hub_url)
    assert "0 created, 0 updated, 7 unchanged" in again.stderr


def test_bad_import_saves_nothing_on_postgres(hub_url, tmp_path):
    before = organisation_names(hub_url)
    audit_before = query(hub_url, "SELECT COUNT(*) FROM audit_log")
    result = desta("import", "members", str(members_file(tmp_path, bad=True)), "--db", hub_url)
    assert result.returncode == 1
    assert "line 5, column 'Consortium': there is no consortium called 'Nowhere'" in result.stderr
    assert "Nothing was imported" in result.stderr and "Traceback" not in result.stderr
    assert organisation_names(hub_url) == before
    assert query(hub_url, "SELECT COUNT(*) FROM audit_log") == audit_before


def test_import_update_on_postgres(hub_url, tmp_path):
    name = sorted(organisation_names(hub_url))[3]
    path = tmp_path / "orgs.csv"
    path.write_text(f"\ufeffName,Phone\n{name},020 7946 4242\n", encoding="utf-8")
    plain = desta("import", "organisations", str(path), "--db", hub_url)
    assert plain.returncode == 0 and "use --update" in plain.stderr
    updated = desta("import", "organisations", str(path), "--update", "--db", hub_url)
    assert updated.returncode == 0 and "1 updated" in updated.stderr, updated.stderr
    assert query(hub_url, "SELECT phone FROM organisation WHERE name = %s", (name,)) == [
        ("020 7946 4242",)
    ]


def test_contact_export_and_erase_on_postgres(hub_url, tmp_path):
    [(name, organisation)] = query(
        hub_url,
        "SELECT c.full_name, o.name FROM contact c JOIN organisation o "
        "ON o.id = c.organisation_id ORDER BY c.id LIMIT 1",
    )
    out = tmp_path / "sar.json"
    result = desta("contact", "export", name, "-o", str(out), "--db", hub_url)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["contact"]["organisation"] == organisation
    refused = desta("contact", "erase", name, "--db", hub_url)
    assert refused.returncode == 1 and "--yes" in refused.stderr
    result = desta("contact", "erase", name, "--yes", "--db", hub_url)
    assert result.returncode == 0, result.stderr
    assert "Erased" in result.stderr
    assert query(hub_url, "SELECT COUNT(*) FROM contact WHERE full_name = %s", (name,)) == [(0,)]
    gone = desta("contact", "export", name, "--db", hub_url)
    assert gone.returncode == 1 and "no contact called" in gone.stderr


def test_backup_refuses_a_server_database(hub_url, tmp_path):
    target = tmp_path / "copy.sqlite3"
    for args in ((), ("-o", str(target))):
        result = desta("backup", *args, "--db", hub_url)
        assert result.returncode == 1
        assert result.stderr.strip() == SERVER_BACKUP_REFUSAL
    assert not target.exists() and not (tmp_path / "backups").exists()


def test_restore_refuses_a_server_database(hub_url, demo_template, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    shutil.copyfile(demo_template, backup)
    before = organisation_names(hub_url)
    for source in (backup, tmp_path / "missing.sqlite3"):
        result = desta("restore", str(source), "--db", hub_url)
        assert result.returncode == 1
        assert result.stderr.strip() == SERVER_BACKUP_REFUSAL
    assert organisation_names(hub_url) == before


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


@pytest.fixture
def password_url() -> str:
    """A database whose owner signs in with PASSWORD; the URL leaves the password out."""
    return password_database_url(PASSWORD)


def with_password(url: str, password: str) -> str:
    user, rest = url.split("@", 1)
    return f"{user}:{quote(password, safe='')}@{rest}"


def test_a_percent_encoded_password_in_the_url_signs_in(password_url):
    result = desta("check", "--db", with_password(password_url, PASSWORD), env=NO_PASSWORD_ENV)
    assert result.returncode == 0, result.stderr
    assert "(postgresql)" in result.stdout
    assert "p%40ss" not in result.stdout and PASSWORD not in result.stdout


def test_pgpassword_gives_the_password_a_url_leaves_out(password_url):
    refused = desta("check", "--db", password_url, env=NO_PASSWORD_ENV)
    assert refused.returncode == 1
    assert refused.stderr.startswith("desta: Cannot reach the database server:")
    assert len(refused.stderr.strip().splitlines()) == 1
    result = desta("check", "--db", password_url, env={**NO_PASSWORD_ENV, "PGPASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    assert "Schema version:" in result.stdout


def test_a_wrong_password_is_one_line_and_never_shown(password_url):
    result = desta("check", "--db", with_password(password_url, "wrong-Secret"),
                   env=NO_PASSWORD_ENV)  # fmt: skip
    assert result.returncode == 1
    assert "Cannot reach the database server" in result.stderr
    assert "password authentication failed" in result.stderr
    assert "wrong-Secret" not in result.stderr and "Traceback" not in result.stderr


def test_a_malformed_url_is_refused_without_showing_its_password():
    result = desta("check", "--db", "postgresql://hub:Secret99@127.0.0.1:notaport/desta")
    assert result.returncode == 1
    assert "Secret99" not in result.stderr
    assert result.stderr.startswith("desta: That postgresql:// URL cannot be used:")
