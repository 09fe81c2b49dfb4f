"""Shared fixtures: private folders per test, a migrated temp database, the demo database."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from desta_tui.collector import collect_less_often
from desta_tui.db.database import close_database, open_database
from desta_tui.services.settings import forget_cached_settings
from tests.empty_database import open_copy_of_empty
from tests.waiting import wait_for_idle_in_small_steps

# as the app does once it has started: a sixth of the suite's CPU went to the cycle collector
collect_less_often()
# the pilot's wait after each key looks for idle in 2 ms steps, not 20 (tests/waiting.py)
wait_for_idle_in_small_steps()

MEMORY_FOLDER = Path("/dev/shm")
MEMORY_NEEDED_BYTES = 4 * 1024**3  # a whole run writes about 1.5 GB; the PostgreSQL servers more


def keep_test_files_in_memory() -> None:
    """Put the tests' folders (tmp_path, the PostgreSQL servers' clusters) in the machine's
    memory-backed folder where it has one with room: a test's databases, packs and backups are
    written and thrown away, and on a disk each fsync and file copy cost kernel time (a
    PostgreSQL database copied from a template: 56 ms of the server's CPU, 26 ms in memory)."""
    try:
        roomy = shutil.disk_usage(MEMORY_FOLDER).free >= MEMORY_NEEDED_BYTES
    except OSError:
        return
    if roomy and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK):
        tempfile.tempdir = str(MEMORY_FOLDER)


keep_test_files_in_memory()

# the folders whose tests take longest, first: the workers take them on at the start and the run
# ends on short tests, not on one worker finishing a long UI test while the others wait
SLOW_FOLDERS_FIRST = ("ui", "snapshots", "e2e", "cli", "services", "db", "reports")


def pytest_configure(config):
    """Compile the project's modules once, in the process that starts the others. The workers
    and every `desta` a test runs import them; from a fresh clone (and with
    PYTHONDONTWRITEBYTECODE set, as CI has it) each process compiled them all again: about a
    seventh of the CPU of a test that runs `desta`."""
    if not hasattr(config, "workerinput"):
        import compileall

        compileall.compile_dir(Path(__file__).resolve().parents[1] / "desta_tui", quiet=2)


def pytest_collection_modifyitems(config, items):
    def folder_rank(item) -> int:
        parts = Path(str(item.path)).relative_to(config.rootpath).parts
        folder = parts[1] if len(parts) > 2 and parts[0] == "tests" else ""
        return (
            SLOW_FOLDERS_FIRST.index(folder)
            if folder in SLOW_FOLDERS_FIRST
            else len(SLOW_FOLDERS_FIRST)
        )

    items.sort(key=folder_rank)  # stable: each folder keeps its own order


@pytest.fixture(autouse=True)
def private_folders(tmp_path_factory, monkeypatch):
    """Each test gets its own data, config and documents folders and a known user name."""
    base = tmp_path_factory.mktemp("home")
    for name, env in (("data", "DESTA_DATA_DIR"), ("config", "DESTA_CONFIG_DIR"),
                      ("documents", "DESTA_DOCUMENTS_DIR")):  # fmt: skip
        (base / name).mkdir()
        monkeypatch.setenv(env, str(base / name))
    monkeypatch.setenv("DESTA_USER", "test.officer")
    monkeypatch.delenv("DESTA_DB", raising=False)
    monkeypatch.delenv("DESTA_TODAY", raising=False)
    forget_cached_settings()
    yield base
    close_database()
    forget_cached_settings()


def pytest_sessionfinish(session, exitstatus):
    # runs in every pytest-xdist worker too: each stops (and removes) its own PostgreSQL server
    from tests.postgres import stop_server

    stop_server()


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (in addopts) spreads the whole suite or a folder over two workers a core: a UI
    test spends about half its time waiting for the app to go idle between keys, and another
    worker uses the core meanwhile (on two cores, 7.0 min with two workers, 5.3 with four).
    Test files named on the command line run in-process, where workers cost more than they
    save."""
    named = [Path(arg.split("::")[0]) for arg in config.args]
    if named and all(path.is_file() for path in named):
        return 0
    return 2 * (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    """An empty SQLite database migrated once per test session: each fresh database is a copy
    (migrating one costs about ten times as much as copying it)."""
    path = tmp_path_factory.mktemp("empty") / "empty.sqlite3"
    open_database(str(path))
    close_database()
    return path


@pytest.fixture
def db_path(empty_template, tmp_path) -> Path:
    """A fresh, migrated, empty SQLite database, open for the test."""
    return open_copy_of_empty(empty_template, tmp_path / "desta.sqlite3")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database, built once per test session."""
    from desta_tui.services.demo import write_demo_database

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    write_demo_database(str(path))
    close_database()
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Path:
    """A private copy of the demo database, open for the test."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    open_database(str(path))
    forget_cached_settings()
    return path
