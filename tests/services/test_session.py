"""The app's database session: opening, naming the target, judging its place, thread release."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import desta_tui.db.location as location
from desta_tui.db.database import current_database, db
from desta_tui.domain.errors import DestaError
from desta_tui.services import session


def test_open_database_opens_and_binds_the_file(tmp_path):
    path = tmp_path / "new.sqlite3"
    info = session.open_database(str(path))
    assert info.kind == "sqlite" and info.path == path.resolve()
    assert current_database() == info and path.exists()


def test_a_target_that_cannot_open_is_one_sentence(tmp_path):
    with pytest.raises(DestaError, match="does not exist"):
        session.open_database(str(tmp_path / "missing-folder" / "x.sqlite3"))


def test_the_label_never_shows_a_password():
    label = session.database_label("postgresql://desk:s3cret@hub.example:5433/desta")
    assert label == "postgresql://desk@hub.example:5433/desta"
    assert session.database_label("/data/desta.sqlite3") == "/data/desta.sqlite3"


def test_risky_place_is_judged_for_sqlite_files_only(tmp_path, monkeypatch):
    seen: list[Path] = []

    def risky(path, **_):
        seen.append(Path(path))
        return "It is in a Dropbox folder."

    monkeypatch.setattr(location, "risky_location", risky)
    info = session.open_database(str(tmp_path / "d.sqlite3"))
    assert session.risky_location_warning(info) == "It is in a Dropbox folder."
    assert seen == [info.path]
    server = session.DatabaseInfo("postgresql://h/desta", "postgresql", None)
    assert session.risky_location_warning(server) is None
    assert session.risky_location_warning(None) is None
    assert seen == [info.path]


def test_a_worker_thread_lets_its_connection_go(db_path):
    states = []

    def work() -> None:
        db.execute_sql("select 1")
        states.append(db.is_closed())
        session.release_thread_connection()
        states.append(db.is_closed())
        session.release_thread_connection()  # twice is harmless

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert states == [False, True]
    assert not db.is_closed()  # the main thread's connection is its own
