"""Migrations: the frozen schema matches the models; an old database is backed up, then upgraded."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from desta_tui.db.database import close_database, db, open_database
from desta_tui.db.models import ALL_MODELS, Organisation
from desta_tui.db.upgrade import latest_version, migration_modules

FIXTURE_V1 = Path(__file__).parent.parent / "data" / "schema_v1.sqlite3"


def test_migrations_are_numbered_in_order():
    versions = [version for version, _, _ in migration_modules()]
    assert versions == list(range(1, len(versions) + 1))
    assert latest_version() == versions[-1] >= 2


def test_migrations_do_not_import_the_models():
    folder = Path(__file__).parents[2] / "desta_tui" / "db" / "migrations"
    for path in folder.glob("[0-9]*.py"):
        text = path.read_text()
        assert "desta_tui" not in text, f"{path.name} imports the app: migrations must be frozen"


def test_migrated_schema_matches_the_models(db_path):
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {column.name for column in db.get_columns(table)}
        fields = {field.column_name for field in model._meta.sorted_fields}
        assert columns == fields, f"{table}: migrations and models disagree"
        indexes = {index.name for index in db.get_indexes(table)}
        wanted = {index._name for index in model._meta.fields_to_index()}
        assert wanted <= indexes, f"{table}: indexes missing {wanted - indexes}"


def test_fixture_at_first_schema_is_backed_up_then_upgraded(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE_V1, path)
    before = path.read_bytes()
    open_database(str(path))
    assert db.execute_sql("SELECT MAX(version) FROM schema_migration").fetchone()[0] == (
        latest_version()
    )
    names = [o.name for o in Organisation.select()]
    assert names == ["Rain Trust"]
    close_database()
    backups = list(tmp_path.glob("old.*.pre-upgrade-v1.sqlite3"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == before or _same_rows(backups[0], FIXTURE_V1)


def _same_rows(a: Path, b: Path) -> bool:
    def dump(path):
        conn = sqlite3.connect(path)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    return dump(a) == dump(b)


def test_opening_an_up_to_date_database_loads_no_migration(db_path):
    import subprocess
    import sys

    close_database()  # made and migrated by the fixture; the app opens it anew at every start
    script = (
        "import sys\n"
        "from desta_tui.db.database import open_database\n"
        f"open_database({str(db_path)!r})\n"
        "print(sorted(m for m in sys.modules if m.startswith('desta_tui.db.migrations.')"
        " or m == 'playhouse.migrate'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", "an up-to-date start loaded " + result.stdout
