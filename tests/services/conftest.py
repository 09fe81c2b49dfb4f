"""Services tests run twice: on a SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

import shutil

import pytest

from desta_tui.db.database import open_database
from desta_tui.services.settings import forget_cached_settings
from tests.empty_database import give_new_site_identity, open_copy_of_empty
from tests.postgres import demo_database_url, migrated_database_url, postgres_wanted

BACKENDS = ["sqlite"] + (["postgresql"] if postgres_wanted() else [])


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_path(backend, empty_template, tmp_path):
    """A fresh, migrated, empty database, open: a file path on SQLite, a URL on PostgreSQL."""
    if backend == "postgresql":
        url = migrated_database_url()
        open_database(url)
        give_new_site_identity()
        return url
    return open_copy_of_empty(empty_template, tmp_path / "desta.sqlite3")


@pytest.fixture
def demo_db(backend, demo_template, tmp_path):
    """A private copy of the demo database, open: a path on SQLite, a URL on PostgreSQL."""
    forget_cached_settings()
    if backend == "postgresql":
        url = demo_database_url()
        open_database(url)
        return url
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    open_database(str(path))
    return path
