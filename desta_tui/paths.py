"""Where Desta keeps things: data folder, database path or URL, config, documents, assets."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "desta"
DB_ENV = "DESTA_DB"
DATA_DIR_ENV = "DESTA_DATA_DIR"
DB_FILE_NAME = "desta.sqlite3"
DEMO_FILE_NAME = "demo.sqlite3"


def data_dir() -> Path:
    """The per-user data folder (created, owner-only) that holds the database and backups.

    A folder that cannot be made is a DestaError naming DESTA_DATA_DIR when that chose it."""
    from platformdirs import user_data_dir

    chosen = os.environ.get(DATA_DIR_ENV)
    path = Path(chosen or user_data_dir(APP_NAME)).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        from desta_tui.domain.errors import DestaError

        reason = error.strerror or str(error)
        if chosen:
            raise DestaError(
                f"{DATA_DIR_ENV} is set to {path}, where Desta cannot make its data folder "
                f"({reason}): set it to a folder you can write to, or unset it."
            ) from None
        raise DestaError(
            f"Desta cannot make its data folder {path} ({reason}): set {DATA_DIR_ENV} to a "
            "folder you can write to."
        ) from None
    return path


def config_dir() -> Path:
    """The per-user config folder: keymap.toml lives here."""
    from platformdirs import user_config_dir

    path = Path(os.environ.get("DESTA_CONFIG_DIR") or user_config_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def documents_dir() -> Path:
    """Where printed packs go by default: the user's documents folder."""
    from platformdirs import user_documents_dir

    path = Path(os.environ.get("DESTA_DOCUMENTS_DIR") or user_documents_dir())
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_target() -> str:
    """The database in use when no --db is given: DESTA_DB, else the file in the data folder."""
    return os.environ.get(DB_ENV) or str(data_dir() / DB_FILE_NAME)


def resolve_db_target(cli_value: str | None) -> str:
    """The database to open: --db wins over DESTA_DB, which wins over the default file."""
    return cli_value or default_db_target()


def db_target_setting(cli_value: str | None) -> str | None:
    """Where the database to open was named: "--db", "DESTA_DB", or None for the default."""
    if cli_value:
        return "--db"
    return DB_ENV if os.environ.get(DB_ENV) else None


def demo_db_path() -> Path:
    """The demo database's own file, beside the real one, so a demo never touches real data."""
    return data_dir() / DEMO_FILE_NAME


def assets_dir() -> Path:
    """The assets folder: inside the installed wheel (desta_tui.assets) or the source checkout."""
    import importlib.util

    spec = importlib.util.find_spec("desta_tui.assets")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "assets"


PRIVATE_FILE_MODE = 0o600
"""Files Desta writes (exports, packs, subject access files) hold personal data: owner-only."""


def create_private_file(path: Path) -> int:
    """A new file at `path`, open for writing, that only its owner can read whatever the umask
    (the app's own process does not set one as the CLI does). Anything already at `path` (a
    stale temporary) is removed first; O_EXCL never follows a link put there. Returns the fd."""
    path = Path(path)
    path.unlink(missing_ok=True)
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, PRIVATE_FILE_MODE)
