"""`desta --db FILE` where no file is: asked first (default no); refused without a terminal."""

from __future__ import annotations

from desta_tui.commands import app as app_command
from tests.cli.helpers import desta


def test_a_mistyped_db_without_a_terminal_is_refused_and_nothing_is_made(tmp_path):
    missing = tmp_path / "deta.sqlite3"
    done = desta("--db", str(missing))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert str(missing) in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not missing.exists()


def test_the_question_defaults_to_no(tmp_path, monkeypatch):
    missing = tmp_path / "deta.sqlite3"
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["", "n", "yes"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    assert app_command.agreed_to_create(str(missing), "--db") is False  # enter alone: no
    assert app_command.agreed_to_create(str(missing), "--db") is False
    assert app_command.agreed_to_create(str(missing), "--db") is True
    assert not missing.exists()  # asking makes nothing; the app makes it after a yes


def test_the_data_folders_own_file_is_made_without_asking(tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda _prompt: (_ for _ in ()).throw(AssertionError))
    assert app_command.agreed_to_create(str(tmp_path / "desta.sqlite3"), None) is True
