"""PostgreSQL for the tests: one throwaway server per session, a fresh database per test."""

from __future__ import annotations

import itertools
import os

import pytest

from tests.pg_server import PgServer, start_server

_server: PgServer | None = None
_failure: str | None = None
_counter = itertools.count(1)
_demo_template: str | None = None
_migrated_template: str | None = None


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
    """A fresh database with Desta's tables and a site identity of its own, copied from one
    migrated once per session (a migration per test was a fifth of the server's work)."""
    global _migrated_template
    from desta_tui.db.database import close_database, open_database

    pg = server()
    if _migrated_template is None:
        url = pg.create_database(f"desta_migrated_template_{os.getpid()}")
        open_database(url)
        close_database()
        _migrated_template = url.rsplit("/", 1)[1]
    url = _copy_of(pg, _migrated_template, f"desta_test_{os.getpid()}_{next(_counter)}")
    give_new_site_identity(url)
    return url


def give_new_site_identity(url: str) -> None:
    """As migration 0006 gives each new database: a hub and a site of its own."""
    import uuid

    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn, conn.cursor() as cursor:
            cursor.execute(
                "UPDATE sync_site SET hub_uuid = %s, site_uuid = %s",
                (str(uuid.uuid4()), str(uuid.uuid4())),
            )
    finally:
        conn.close()


def _copy_of(pg: PgServer, template: str, name: str) -> str:
    import psycopg2

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
    global _demo_template
    from desta_tui.db.database import close_database
    from desta_tui.services.demo import write_demo_database

    pg = server()
    if _demo_template is None:
        url = pg.create_database(f"desta_demo_template_{os.getpid()}")
        write_demo_database(url)
        close_database()
        _demo_template = url.rsplit("/", 1)[1]
    return _copy_of(pg, _demo_template, f"desta_demo_{os.getpid()}_{next(_counter)}")


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
