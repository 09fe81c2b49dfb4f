"""Run `desta` in a subprocess, as a user would, with the test's private folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def desta(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    """Run `python -m desta_tui ARGS`; returns the CompletedProcess (text)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desta_tui", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def members_file(tmp_path, bad: bool = False):
    """Members as Excel's legacy CSV saves them: Windows-1252, semicolons, UK dates."""
    rows = ["Organisation;Consortium;Status;Joined"]
    rows += [f"Nouvel Élan {n};Desta;Active;0{n}/04/2011" for n in range(1, 8)]
    if bad:
        rows.insert(4, "Broken Row;Nowhere;Active;01/04/2011")
    path = tmp_path / "members.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    return path


def empty_database(path: Path) -> Path:
    """A new, empty Desta database at path: the commands that only read make none themselves."""
    from desta_tui.db.database import close_database, open_database

    open_database(str(path))
    close_database()
    return path


def damage(path: Path, table: str = "organisation") -> None:
    """Overwrite the first page of a table with noise: the classic damaged page."""
    import sqlite3

    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root[0] - 1) * page_size)
        handle.write(b"\xff" * page_size)
