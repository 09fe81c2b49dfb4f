"""`desta backup`, `desta restore` and `desta contact` in a subprocess, as a user runs them."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from datetime import date, timedelta

import pytest

from tests.cli.helpers import desta


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-backup") / "demo.sqlite3"
    result = desta("demo", "--no-open", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def hub_file(demo_template, tmp_path):
    path = tmp_path / "hub.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


def count(path, table="organisation"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_backup_then_restore(hub_file, tmp_path):
    result = desta("backup", "--db", str(hub_file))
    assert result.returncode == 0, result.stderr
    backup = tmp_path / "backups" / result.stdout.strip().rsplit("/", 1)[-1]
    assert backup.exists() and "integrity checked" in result.stderr
    before = count(hub_file)
    conn = sqlite3.connect(hub_file)
    conn.execute("DELETE FROM organisation_borough")
    conn.commit()
    conn.close()
    result = desta("restore", str(backup), "--db", str(hub_file))
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stderr and "kept as" in result.stderr
    assert count(hub_file) == before
    assert count(hub_file, "organisation_borough") > 0
    assert "Traceback" not in result.stderr


def test_backup_to_a_named_file_refuses_to_overwrite(hub_file, tmp_path):
    target = tmp_path / "copy.sqlite3"
    assert desta("backup", "-o", str(target), "--db", str(hub_file)).returncode == 0
    again = desta("backup", "-o", str(target), "--db", str(hub_file))
    assert again.returncode == 1
    assert again.stderr.strip() == f"desta: {target} already exists: choose another file name."


def test_restore_refuses_a_file_that_is_not_a_desta_database(hub_file, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    before = hub_file.read_bytes()
    result = desta("restore", str(bad), "--db", str(hub_file))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not a database file" in result.stderr
    assert hub_file.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_restore_usage_error_exits_2(hub_file):
    result = desta("restore", "--db", str(hub_file))
    assert result.returncode == 2


def test_contact_export_and_erase(hub_file, tmp_path):
    conn = sqlite3.connect(hub_file)
    name, org = conn.execute(
        "SELECT c.full_name, o.name FROM contact c JOIN organisation o ON o.id = c.organisation_id"
        " ORDER BY c.id LIMIT 1"
    ).fetchone()
    conn.close()
    out = tmp_path / "sar.json"
    result = desta("contact", "export", name, "-o", str(out), "--db", str(hub_file))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["contact"]["organisation"] == org
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    refused = desta("contact", "erase", name, "--db", str(hub_file))
    assert refused.returncode == 1 and "--yes" in refused.stderr
    result = desta("contact", "erase", name, "--yes", "--db", str(hub_file))
    assert result.returncode == 0, result.stderr
    assert "Erased" in result.stderr
    assert "A subject access file was written as sar.json" in result.stderr
    assert "No backup of this database holds them." in result.stderr
    conn = sqlite3.connect(hub_file)
    assert (
        conn.execute("SELECT COUNT(*) FROM contact WHERE full_name = ?", (name,)).fetchone()[0] == 0
    )
    # nor anywhere in the history: new values, old values, labels
    found = conn.execute(
        "SELECT COUNT(*) FROM audit_log WHERE instr(coalesce(new_value, ''), ?) > 0 "
        "OR instr(coalesce(old_value, ''), ?) > 0 OR instr(record_label, ?) > 0",
        (name, name, name),
    ).fetchone()[0]
    conn.close()
    assert found == 0
    gone = desta("contact", "export", name, "--db", str(hub_file))
    assert gone.returncode == 1 and "no contact called" in gone.stderr


def test_erase_says_which_backups_still_hold_them_and_when_they_go(hub_file, tmp_path):
    conn = sqlite3.connect(hub_file)
    conn.execute("UPDATE setting SET value = 'false' WHERE key = 'is_demo'")
    conn.commit()
    name = conn.execute("SELECT full_name FROM contact ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    made = desta("backup", "--db", str(hub_file))
    assert made.returncode == 0, made.stderr
    by_hand = made.stdout.strip()
    today = date.today()
    for day in (today - timedelta(days=1), today):  # the daily backups (7 are kept)
        (tmp_path / "backups" / f"hub.{day.isoformat()}T080000.daily.sqlite3").write_bytes(b"x")
    result = desta("contact", "erase", name, "--yes", "--db", str(hub_file))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "  3 backups made before now still hold them:" in lines
    # today's daily backup is made: the next is tomorrow's, and the 7th from now deletes it
    for day, goes in ((today, today + timedelta(days=7)),
                      (today - timedelta(days=1), today + timedelta(days=6))):  # fmt: skip
        path = tmp_path / "backups" / f"hub.{day.isoformat()}T080000.daily.sqlite3"
        assert (
            f"    {path}: a daily backup, deleted by the daily backup on "
            f"{goes.strftime('%d/%m/%Y')} at the earliest" in lines
        )
    assert f"    {by_hand}: kept until someone deletes it" in lines


def test_export_xlsx_is_a_workbook_with_formulas_neutralised(hub_file, tmp_path):
    from openpyxl import load_workbook

    conn = sqlite3.connect(hub_file)
    conn.execute("UPDATE organisation SET name = '=cmd|calc' WHERE id = 2")
    conn.commit()
    conn.close()
    target = tmp_path / "orgs.xlsx"
    result = desta("export", "organisations", "--xlsx", "-o", str(target), "--db", str(hub_file))
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(target)
    sheet = workbook.active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|calc" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert desta("export", "organisations", "--xlsx", "--db", str(hub_file)).returncode == 2


def test_a_database_in_a_sync_folder_warns_on_stderr(demo_template, tmp_path):
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    path = folder / "hub.sqlite3"
    shutil.copyfile(demo_template, path)
    result = desta("check", "--db", str(path))
    assert result.returncode == 0
    assert result.stderr.count("desta: warning:") == 1 and "Dropbox folder" in result.stderr
    quiet = desta("check", "--db", str(demo_template))
    assert "warning" not in quiet.stderr
