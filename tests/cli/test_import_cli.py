"""`desta import` in a subprocess: exit codes, the report on stderr, --dry-run and --update."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from tests.cli.helpers import desta, members_file


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-import") / "demo.sqlite3"
    result = desta("demo", "--no-open", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def hub_file(demo_template, tmp_path):
    path = tmp_path / "hub.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


def organisations(path):
    conn = sqlite3.connect(path)
    try:
        return {row[0]: row[1] for row in conn.execute("SELECT name, phone FROM organisation")}
    finally:
        conn.close()


def test_import_members_dry_run_then_for_real(hub_file, tmp_path):
    path = members_file(tmp_path)
    before = organisations(hub_file)
    dry = desta("import", "members", str(path), "--dry-run", "--db", str(hub_file))
    assert dry.returncode == 0, dry.stderr
    assert "7 created" in dry.stderr and "Dry run" in dry.stderr
    assert organisations(hub_file) == before
    real = desta("import", "members", str(path), "--db", str(hub_file))
    assert real.returncode == 0, real.stderr
    assert "Imported 7 members row(s)" in real.stderr and "7 created" in real.stderr
    assert "Nouvel Élan 3" in organisations(hub_file)
    again = desta("import", "members", str(path), "--db", str(hub_file))
    assert "0 created, 0 updated, 7 unchanged" in again.stderr


def test_one_bad_row_fails_the_whole_file(hub_file, tmp_path):
    path = members_file(tmp_path, bad=True)
    before = organisations(hub_file)
    result = desta("import", "members", str(path), "--db", str(hub_file))
    assert result.returncode == 1
    assert "line 5, column 'Consortium': there is no consortium called 'Nowhere'" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert organisations(hub_file) == before
    assert "Traceback" not in result.stderr


def test_update_only_with_the_flag(hub_file, tmp_path):
    name = sorted(organisations(hub_file))[3]
    path = tmp_path / "orgs.csv"
    path.write_text(f"\ufeffName,Phone\n{name},020 7946 4242\n", encoding="utf-8")
    plain = desta("import", "organisations", str(path), "--db", str(hub_file))
    assert plain.returncode == 0
    assert "use --update" in plain.stderr and "020 7946 4242" in plain.stderr
    assert organisations(hub_file)[name] != "020 7946 4242"
    updated = desta("import", "organisations", str(path), "--update", "--db", str(hub_file))
    assert updated.returncode == 0 and "1 updated" in updated.stderr
    assert organisations(hub_file)[name] == "020 7946 4242"


def test_unreadable_file_and_bad_kind(hub_file, tmp_path):
    missing = desta("import", "members", str(tmp_path / "nope.csv"), "--db", str(hub_file))
    assert missing.returncode == 1
    assert missing.stderr.strip().endswith("does not exist.")
    assert desta("import", "widgets", "x.csv", "--db", str(hub_file)).returncode == 2


def test_export_then_import_round_trip_through_the_command(hub_file, tmp_path):
    for kind in ("organisations", "members", "contacts", "targets", "returns"):
        out = tmp_path / f"{kind}.csv"
        assert desta("export", kind, "-o", str(out), "--db", str(hub_file)).returncode == 0
        result = desta("import", kind, str(out), "--dry-run", "--db", str(hub_file))
        assert result.returncode == 0, result.stderr
        assert "0 created, 0 updated" in result.stderr, result.stderr


def test_a_quote_left_open_is_a_sentence_and_nothing_is_imported(hub_file, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(b'Name,Notes\r\nBrent Carers,"open\r\nEaling Mind,\r\n')
    before = organisations(hub_file)
    result = desta("import", "organisations", str(path), "--db", str(hub_file))
    assert result.returncode == 1
    assert 'line 2 of orgs.csv opens a quote (") that never closes' in result.stderr
    assert "Traceback" not in result.stderr
    assert organisations(hub_file) == before
