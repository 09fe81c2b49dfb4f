"""Numbered, frozen migrations: which version a database is at, and bringing it up to date."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from desta_tui.db.backup import copy_sqlite, timestamped_name
from desta_tui.domain.errors import DatabaseError

if TYPE_CHECKING:
    from peewee import Database

MIGRATIONS_PACKAGE = "desta_tui.db.migrations"
VERSION_TABLE = "schema_migration"


def migration_names() -> list[tuple[int, str, str]]:
    """Every migration as (version, name, module name), in order, without importing any."""
    package = importlib.import_module(MIGRATIONS_PACKAGE)
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        number, _, name = info.name.partition("_")
        if number.isdigit():
            found.append((int(number), name, f"{MIGRATIONS_PACKAGE}.{info.name}"))
    return sorted(found)


def migration_modules() -> list[tuple[int, str, ModuleType]]:
    """Every migration as (version, name, module), in order; files are named 0001_name.py."""
    return [
        (version, name, importlib.import_module(module_name))
        for version, name, module_name in migration_names()
    ]


def latest_version() -> int:
    return migration_names()[-1][0]


def applied_version(database: Database) -> int:
    if VERSION_TABLE not in database.get_tables():
        return 0
    row = database.execute_sql(f"SELECT MAX(version) FROM {VERSION_TABLE}").fetchone()
    return row[0] or 0


def check_compatible(label: str, tables: set[str], version: int) -> None:
    """Refuse a database from a newer Desta, or one that belongs to another program."""
    latest = latest_version()
    if version > latest:
        raise DatabaseError(
            f"{label} was made by a newer version of Desta (schema {version}; this version "
            f"knows up to {latest}). Install the newer Desta to open it; nothing was changed."
        )
    user_tables = {name for name in tables if not name.startswith("sqlite_")}
    if version == 0 and user_tables:
        raise DatabaseError(f"{label} is a database of another program, not a Desta database.")


def backup_before_upgrade(path: Path, version: int, backup_dir: Path | None = None) -> Path:
    """A checked copy, named with the time, taken before any migration touches the file."""
    destination = timestamped_name(path, f"pre-upgrade-v{version}")
    if backup_dir is not None:
        destination = Path(backup_dir) / destination.name
    return copy_sqlite(path, destination)


def _ensure_version_table(database: Database) -> None:
    database.execute_sql(
        f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} ("
        "version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )


def migrate(database: Database, *, up_to: int | None = None) -> list[int]:
    """Apply the migrations this database lacks, each in its own transaction; return them."""
    applied: list[int] = []
    current = applied_version(database)
    pending = [m for m in migration_names() if m[0] > current and (up_to is None or m[0] <= up_to)]
    if not pending:
        return applied  # up to date (every start): load neither the migrator nor a migration
    from playhouse.migrate import SchemaMigrator

    for version, name, module_name in pending:
        module = importlib.import_module(module_name)
        # transactions run one at a time on both databases (database.py): a second program
        # opening the database waits here, then finds the step applied
        with database.atomic():
            if applied_version(database) >= version:
                continue  # another program opening the same database applied it meanwhile
            _ensure_version_table(database)
            module.up(SchemaMigrator.from_database(database), database)
            database.execute_sql(
                f"INSERT INTO {VERSION_TABLE} (version, name, applied_at) VALUES (%s, %s, %s)"
                % ((database.param,) * 3),
                (version, name, datetime.now(UTC).replace(tzinfo=None, microsecond=0)),
            )
        applied.append(version)
    return applied
