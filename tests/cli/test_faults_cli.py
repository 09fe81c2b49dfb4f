"""Every fault is a sentence (issue 15): each bad input ends in one line on stderr, exit 1,
no traceback, and the files it names left exactly as they were."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import ROOT, damage, desta


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-faults") / "demo.sqlite3"
    result = desta("demo", "--no-open", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def hub_file(demo_template, tmp_path):
    path = tmp_path / "hub.sqlite3"
    shutil.copyfile(demo_template, path)
    os.chmod(path, 0o600)
    return path


@pytest.fixture
def damaged_hub(hub_file):
    """The hub with a good backup in its `backups` folder, then a damaged organisation table."""
    made = desta("backup", "--db", str(hub_file))
    assert made.returncode == 0, made.stderr
    damage(hub_file)
    return hub_file, Path(made.stdout.strip())


def snapshot(path: Path):
    """What must not change: the bytes, the size and the modification time."""
    if not path.exists():
        return None
    stat = path.stat()
    return (path.read_bytes() if path.is_file() else None, stat.st_size, stat.st_mtime_ns)


def assert_one_sentence(result, *words: str) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# --- a database that is not there, or not a database file --------------------------------


@pytest.mark.parametrize("command", [["check"], ["export", "members"], ["backup"]])
def test_a_db_path_with_a_typo_is_refused_and_no_file_is_made(tmp_path, command):
    typo = tmp_path / "hbu.sqlite3"
    result = desta(*command, "--db", str(typo))
    assert_one_sentence(result, f"There is no database at {typo}", "--db", "typo")
    assert not typo.exists() and list(tmp_path.iterdir()) == []


def test_desta_db_with_a_typo_is_refused_and_named(tmp_path):
    typo = tmp_path / "hbu.sqlite3"
    result = desta("export", "contracts", env={"DESTA_DB": str(typo)})
    assert_one_sentence(result, f"There is no database at {typo}", "DESTA_DB")
    assert not typo.exists()


def test_a_named_pipe_is_refused_before_it_is_opened(tmp_path):
    pipe = tmp_path / "hub.sqlite3"
    os.mkfifo(pipe)
    before = snapshot(pipe)
    # opening a pipe to read it waits for a writer for ever: the timeout would fail the test
    result = desta("check", "--db", str(pipe), timeout=60)
    assert_one_sentence(result, "is a named pipe, not a database file")
    assert snapshot(pipe) == before


def test_a_device_is_refused():
    result = desta("export", "members", "--db", "/dev/zero", timeout=60)
    assert_one_sentence(result, "/dev/zero is a device, not a database file")


@pytest.mark.parametrize("command", [["check"], ["import", "organisations", "x.csv"]])
def test_an_empty_file_is_not_made_a_database(tmp_path, command):
    empty = tmp_path / "hub.sqlite3"
    empty.touch()
    before = snapshot(empty)
    result = desta(*command, "--db", str(empty))
    assert_one_sentence(result, "is an empty file, not a Desta database")
    assert snapshot(empty) == before and empty.stat().st_size == 0


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, words",
    [
        ("postgresql://desk:s3cret@hub:fivefour/desta", "port must be a number"),
        ("postgresql://desk:s3cret@hub:99999/desta", "port must be a number"),
        ("postgresql://desk:s3cret@hub/", "names no database"),
        ("postgresql:/desk:s3cret@hub/desta", "must begin postgresql://"),
        ("postgresql://desk:s3cret@[::1/desta", "[ without a matching ]"),
    ],
)
def test_a_malformed_postgres_url_is_a_sentence_naming_the_setting(url, words):
    result = desta("check", "--db", url, timeout=60)
    line = assert_one_sentence(result, "That postgresql:// URL cannot be used", words,
                               "correct --db")  # fmt: skip
    assert "s3cret" not in line  # never the password


def test_a_malformed_url_in_desta_db_names_desta_db():
    result = desta("export", "members", env={"DESTA_DB": "postgresql://desk@hub:x/desta"})
    assert_one_sentence(result, "That postgresql:// URL cannot be used", "correct DESTA_DB")


def test_a_busy_timeout_that_is_not_a_number_names_the_setting(hub_file):
    before = snapshot(hub_file)
    result = desta("check", "--db", str(hub_file), env={"DESTA_BUSY_TIMEOUT_MS": "ten"})
    assert_one_sentence(result, "DESTA_BUSY_TIMEOUT_MS is set to 'ten'", "whole number")
    assert snapshot(hub_file) == before


def test_a_data_folder_that_cannot_be_made_names_desta_data_dir(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = desta("check", env={"DESTA_DATA_DIR": str(blocker / "desta")})
    assert_one_sentence(result, "DESTA_DATA_DIR is set to")


# --- a damaged database --------------------------------------------------------------------


@pytest.mark.parametrize("command", [["check"], ["export", "members"]])
def test_a_damaged_database_names_the_newest_good_backup_and_the_restore_command(
    damaged_hub, command
):
    hub, backup = damaged_hub
    before = snapshot(hub)
    result = desta(*command, "--db", str(hub))
    assert_one_sentence(
        result, f"{hub} is damaged", f"`desta restore {backup} --db {hub}`", "--recover"
    )
    assert snapshot(hub) == before


def test_import_never_writes_into_a_damaged_database(hub_file, tmp_path):
    # the damage is in a table the import never reads: only the check before writing sees it
    damage(hub_file, "support_ticket")
    source = tmp_path / "new.csv"
    source.write_text("Name,Notes\nNew Dawn Trust,from the fair\n", encoding="utf-8")
    before = snapshot(hub_file)
    result = desta("import", "organisations", str(source), "--db", str(hub_file))
    assert_one_sentence(result, "Nothing was imported", f"{hub_file} is damaged", "--recover")
    assert snapshot(hub_file) == before


def test_a_damaged_schema_page_is_the_same_sentence_and_recover_says_nothing_is_left(damaged_hub):
    hub, backup = damaged_hub
    with open(hub, "r+b") as handle:  # the first page after the header: the list of tables
        handle.seek(100)
        handle.write(b"\xee" * 3996)
    before = snapshot(hub)
    result = desta("check", "--db", str(hub))
    assert_one_sentence(result, f"{hub} is damaged", f"desta restore {backup}")
    recovered = desta("check", "--recover", "--db", str(hub))
    assert_one_sentence(recovered, "Nothing could be read", "restore a backup")
    assert snapshot(hub) == before
    assert [path.name for path in hub.parent.iterdir() if "recovered" in path.name] == []


def test_the_suggested_restore_puts_the_backup_back(damaged_hub):
    hub, backup = damaged_hub
    result = desta("restore", str(backup), "--db", str(hub))
    assert result.returncode == 0, result.stderr
    assert "damaged" in result.stderr  # where the damaged file was kept
    check = desta("check", "--db", str(hub))
    assert check.returncode == 0 and "Integrity:       ok" in check.stdout


def test_check_recover_saves_what_can_be_read_and_leaves_the_damaged_file(damaged_hub, tmp_path):
    hub, _backup = damaged_hub
    before = snapshot(hub)
    out = tmp_path / "saved.sqlite3"
    # no sqlite3 command on the PATH: Python's sqlite3 does it, and says so
    result = desta("check", "--recover", "-o", str(out), "--db", str(hub),
                   env={"PATH": os.path.dirname(sys.executable)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Python's sqlite3 module" in result.stderr and "organisation" in result.stderr
    assert result.stdout.strip() == str(out)
    assert (out.stat().st_mode & 0o777) == 0o600
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT COUNT(*) FROM contract").fetchone()[0] == 8
    conn.close()
    assert snapshot(hub) == before
    assert not hub.with_name(f"{hub.name}-wal").exists()


def test_check_recover_says_when_the_sqlite3_command_could_not_do_it(damaged_hub, tmp_path):
    hub, _backup = damaged_hub
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "sqlite3"
    fake.write_text("#!/bin/sh\necho 'Error: unknown command or invalid arguments' >&2\nexit 1\n")
    fake.chmod(0o755)
    result = desta("check", "--recover", "--db", str(hub), env={"PATH": str(bin_dir)})
    assert result.returncode == 0, result.stderr
    assert "the sqlite3 command's .recover did not work here" in result.stderr
    assert "Python's sqlite3 module" in result.stderr
    saved = Path(result.stdout.strip())
    assert saved.parent == hub.parent and ".recovered." in saved.name


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 command")
def test_check_recover_with_the_sqlite3_command_on_the_path(damaged_hub):
    hub, _backup = damaged_hub
    before = snapshot(hub)
    result = desta("check", "--recover", "--db", str(hub))
    assert result.returncode == 0, result.stderr
    # either .recover worked, or the sentence says why Python's sqlite3 was used
    assert ".recover" in result.stderr
    assert snapshot(hub) == before


# --- output ----------------------------------------------------------------------------------


def test_export_into_a_closed_pipe_ends_quietly(hub_file):
    process = subprocess.Popen(
        [sys.executable, "-m", "desta_tui", "export", "targets", "--db", str(hub_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    process.stdout.close()  # the reader goes away before the first line, as `| head -0` would
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert code in (0, 141), stderr
    assert stderr == ""


def test_files_desta_writes_are_owner_only(hub_file, tmp_path):
    existing = tmp_path / "members.csv"
    existing.write_text("old")
    existing.chmod(0o644)
    outputs = {
        "csv": (existing, ["export", "members", "-o", str(existing)]),
        "xlsx": (tmp_path / "members.xlsx", ["export", "members", "--xlsx", "-o",
                                             str(tmp_path / "members.xlsx")]),
        "backup": (tmp_path / "copy.sqlite3", ["backup", "-o", str(tmp_path / "copy.sqlite3")]),
        "pdf": (tmp_path / "tickets.pdf", ["report", "tickets", "-o",
                                           str(tmp_path / "tickets.pdf")]),
    }  # fmt: skip
    for kind, (path, command) in outputs.items():
        result = desta(*command, "--db", str(hub_file))
        assert result.returncode == 0, (kind, result.stderr)
        assert (path.stat().st_mode & 0o777) == 0o600, kind


# --- help ------------------------------------------------------------------------------------


def test_help_says_plain_desta_opens_the_app():
    result = desta("--help")
    assert result.returncode == 0
    assert "Plain `desta` opens the app" in " ".join(result.stdout.split())


def test_demo_says_and_does_what_it_does_with_desta_db(tmp_path):
    help_text = " ".join(desta("demo", "--help").stdout.split())
    assert "DESTA_DB is not used" in help_text
    real = tmp_path / "real.sqlite3"
    data = tmp_path / "data"
    result = desta("demo", "--no-open", env={"DESTA_DB": str(real), "DESTA_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert not real.exists() and (data / "demo.sqlite3").exists()


def test_restore_into_a_new_path_makes_the_database(hub_file, tmp_path):
    backup = tmp_path / "copy.sqlite3"
    assert desta("backup", "-o", str(backup), "--db", str(hub_file)).returncode == 0
    new = tmp_path / "elsewhere.sqlite3"
    result = desta("restore", str(backup), "--db", str(new))
    assert result.returncode == 0, result.stderr
    assert desta("check", "--db", str(new)).returncode == 0
    assert (new.stat().st_mode & 0o777) == 0o600
