"""Migrations on a real PostgreSQL server: the same schema as the models, and upgrades in place."""

from __future__ import annotations

import pytest

from desta_tui.db.database import close_database, connect_target, db, describe_target, open_database
from desta_tui.db.models import ALL_MODELS, Organisation
from desta_tui.db.upgrade import applied_version, latest_version, migrate
from desta_tui.domain.errors import DatabaseError
from tests.postgres import fresh_database_url, postgres_wanted

pytestmark = pytest.mark.skipif(not postgres_wanted(), reason="DESTA_TEST_POSTGRES=0")


def test_migrated_schema_matches_the_models_on_postgres():
    open_database(fresh_database_url())
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {column.name for column in db.get_columns(table)}
        assert columns == {field.column_name for field in model._meta.sorted_fields}, table
        indexes = {index.name for index in db.get_indexes(table)}
        wanted = {index._name for index in model._meta.fields_to_index()}
        assert wanted <= indexes, f"{table}: missing {wanted - indexes}"


def test_a_first_schema_database_is_upgraded_in_place_on_postgres():
    url = fresh_database_url()
    database = connect_target(describe_target(url))
    migrate(database, up_to=1)
    database.execute_sql(
        "INSERT INTO organisation (uuid, created_at, updated_at, name, name_key, kind, is_member, "
        "is_commissioner, charity_number, company_number, address, postcode, email, phone, "
        "website, notes, search_text) VALUES ('0b7c1d7e-0000-4000-8000-000000000001', now(), "
        "now(), 'Rain Trust', 'rain trust', 'charity', true, false, '', '', '', '', '', '', '', "
        "'', 'rain trust')"
    )
    assert applied_version(database) == 1
    database.close()
    open_database(url)
    assert applied_version(db.obj) == latest_version()
    assert [o.name for o in Organisation.select()] == ["Rain Trust"]


def test_a_newer_postgres_database_is_refused():
    url = fresh_database_url()
    open_database(url)
    db.execute_sql(
        "INSERT INTO schema_migration (version, name, applied_at) VALUES (999, 'future', now())"
    )
    close_database()
    with pytest.raises(DatabaseError, match="newer version of Desta"):
        open_database(url)
