"""peewee imported without psycopg2, which is loaded only when a postgresql:// database opens,
and without hashlib, loaded only if peewee ever uses it.

peewee imports psycopg2 (and its libpq and ssl) at its own import, whatever the database: ~10 ms
of every start on a SQLite file, on the way to the dashboard's first figures. Importing this
module imports peewee with psycopg2 held back, so peewee takes the driver as absent;
`give_peewee_psycopg2` then sets the names peewee's import would have set, the first time a
PostgreSQL database is made (desta_tui/db/database.py, make_postgres). It is imported before
peewee's first import in the app (database.py is where the worker meets peewee first); where
something imported peewee earlier (a test, a script), peewee has psycopg2 already and both
steps do nothing.

peewee imports hashlib too, for one use: shortening an index name longer than 64 characters
(an MD5 of it). hashlib loads OpenSSL's library, ~10 ms more of every start; peewee is given a
stand-in that imports hashlib the first time one of its names is asked for.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types

_DRIVER = "psycopg2"
_HASHLIB = "hashlib"
_lock = threading.Lock()
# the stand-in's check-and-remove, which two threads may make at once (one importing peewee,
# one asking the stand-in for a name): without it the second `del` raised KeyError
_stand_in_lock = threading.Lock()


class _HashlibWhenUsed(types.ModuleType):
    """hashlib as peewee's import sees it: the real module is imported, and the name looked up
    in it, when peewee first asks for one (by then this stand-in has left sys.modules)."""

    def __getattr__(self, name: str) -> object:
        _remove_from_modules(_HASHLIB, self)
        return getattr(importlib.import_module(_HASHLIB), name)


def _import_peewee_lightly() -> None:
    if "peewee" in sys.modules:
        return  # too late to hold anything back: peewee has what it imported
    held_back = []
    if _DRIVER not in sys.modules:
        # a None in sys.modules makes `import psycopg2` raise ImportError: peewee's own "absent"
        sys.modules[_DRIVER] = None  # type: ignore[assignment]
        held_back.append((_DRIVER, None))
    if _HASHLIB not in sys.modules:
        stand_in = _HashlibWhenUsed(_HASHLIB)
        sys.modules[_HASHLIB] = stand_in
        held_back.append((_HASHLIB, stand_in))
    try:
        import peewee  # noqa: F401
    finally:
        # whoever imports them next gets the real modules
        for name, placeholder in held_back:
            _remove_from_modules(name, placeholder)


def _remove_from_modules(name: str, placeholder: object) -> None:
    """Take `placeholder` out of sys.modules if it is still there (not a real module another
    thread has loaded since)."""
    with _stand_in_lock:
        if sys.modules.get(name, ...) is placeholder:
            del sys.modules[name]


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


_import_peewee_lightly()
