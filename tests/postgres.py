"""PostgreSQL for the tests: one throwaway server per session, a fresh database per test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable

import pytest

from tests.pg_server import PgServer, start_server

_server: PgServer | None = None
_failure: str | None = None
_counter = itertools.count(1)
_templates: dict[str, str] = {}  # kind -> the name of this session's template database


def postgres_wanted() -> bool:
    """Run the PostgreSQL variants unless DESTA_TEST_POSTGRES=0."""
    return os.environ.get("DESTA_TEST_POSTGRES", "1") != "0"


def server() -> PgServer:
    """The session's server, started on first use; skips (with the reason) when it cannot start."""
    global _server, _failure
    if _server is None and _failure is None:
        try:
            _server = start_server()
        except Exception as error:  # any failure to start means: skip, and say why
            _failure = str(error)
    if _server is None:
        pytest.skip(f"PostgreSQL server could not start: {_failure}")
    return _server


def fresh_database_url() -> str:
    return server().create_database(f"desta_test_{os.getpid()}_{next(_counter)}")


def migrated_database_url() -> str:
    """A fresh database with Desta's tables, copied from one migrated once per session
    (migrating costs the server about four times as much as copying); like every copy, it
    shares the template's site identity until given one (tests/empty_database.py)."""
    from desta_tui.db.database import open_database

    return _copy_of(
        _template("migrated", open_database), f"desta_test_{os.getpid()}_{next(_counter)}"
    )


def _template(kind: str, fill: Callable[[str], object]) -> str:
    """This session's template database of `kind`, made and filled by `fill(url)` on first use."""
    from desta_tui.db.database import close_database

    if kind not in _templates:
        url = server().create_database(f"desta_{kind}_template_{os.getpid()}")
        fill(url)
        close_database()  # a template with a connection open cannot be copied
        _templates[kind] = url.rsplit("/", 1)[1]
    return _templates[kind]


def _copy_of(template: str, name: str) -> str:
    import psycopg2

    pg = server()
    conn = psycopg2.connect(pg.url())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            # copying the template's files costs the server about a quarter less than writing
            # them block by block through its log (the default since PostgreSQL 15)
            strategy = " STRATEGY FILE_COPY" if conn.server_version >= 150000 else ""
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{strategy}')
    finally:
        conn.close()
    return pg.url(name)


def password_database_url(password: str) -> str:
    """A fresh database whose owner must sign in with `password`; the URL leaves it out."""
    return server().create_password_database(
        f"desta_password_{os.getpid()}_{next(_counter)}", password
    )


def demo_database_url() -> str:
    """A private copy of the demo database, made from a template built once per session."""
    from desta_tui.services.demo import write_demo_database

    return _copy_of(
        _template("demo", write_demo_database), f"desta_demo_{os.getpid()}_{next(_counter)}"
    )


def stop_server() -> None:
    global _server
    if _server is not None:
        _server.stop()
        _server = None


def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the server directly, past Desta, to see what a command or a save really wrote."""
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        conn.close()
