"""peewee imported without psycopg2, which is loaded only when a postgresql:// database opens.

peewee imports psycopg2 (and its libpq and ssl) at its own import, whatever the database: ~10 ms
of every start on a SQLite file, on the way to the dashboard's first figures. Importing this
module imports peewee with psycopg2 held back, so peewee takes the driver as absent;
`give_peewee_psycopg2` then sets the names peewee's import would have set, the first time a
PostgreSQL database is made (desta_tui/db/database.py, make_postgres). It is imported before
peewee's first import in the app (database.py is where the worker meets peewee first); where
something imported peewee earlier (a test, a script), peewee has psycopg2 already and both
steps do nothing.
"""

from __future__ import annotations

import sys
import threading

_DRIVER = "psycopg2"
_lock = threading.Lock()


def _import_peewee_without_psycopg2() -> None:
    if "peewee" in sys.modules or _DRIVER in sys.modules:
        return  # too late to hold it back, or already loaded: peewee has (or takes) it
    # a None in sys.modules makes `import psycopg2` raise ImportError: peewee's own "absent"
    sys.modules[_DRIVER] = None  # type: ignore[assignment]
    try:
        import peewee  # noqa: F401
    finally:
        if sys.modules.get(_DRIVER, ...) is None:
            del sys.modules[_DRIVER]


def give_peewee_psycopg2() -> None:
    """Before a PostgreSQL database is made: load psycopg2 and give peewee the module-level
    names its import sets (the driver, its extensions, Json, the registered UUID adapter, and
    the adapter's transaction states). Without psycopg2 installed, peewee says so itself
    (ImproperlyConfigured) when the database is made, as before."""
    import peewee

    with _lock:
        if peewee.psycopg2 is not None:
            return
        try:
            import psycopg2
            from psycopg2 import extensions
            from psycopg2.extras import Json, register_uuid
        except ImportError:
            return
        register_uuid()
        adapter = peewee.Psycopg2Adapter
        adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
        adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
        adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
        peewee.pg_extensions = extensions
        peewee.pg_register_uuid = register_uuid
        peewee.Json_pg2 = Json
        peewee.psycopg2 = psycopg2  # last: the sign that the rest is in place


_import_peewee_without_psycopg2()
