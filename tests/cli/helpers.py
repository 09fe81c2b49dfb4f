"""Run `desta` in a subprocess, as a user would, with the test's private folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

UNPRIVILEGED_ID = 65534
"""The uid and gid of `nobody` on Debian and most Linux systems: a user who owns nothing."""


def desta(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    prefix: Sequence[str] = (),
):
    """Run `python -m desta_tui ARGS` (after `prefix`, such as `unprivileged_prefix()`);
    returns the CompletedProcess (text)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "desta_tui", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def unprivileged_prefix() -> list[str] | None:
    """What runs a command as a throwaway unprivileged user (uid and gid 65534, no groups) when
    the tests run as root, as CI does: root may write anywhere, so a test of a refused write
    needs someone who may not. [] when the tests already run as an ordinary user; None when
    root has no tool here to drop its privileges with."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, f"--reuid={UNPRIVILEGED_ID}", f"--regid={UNPRIVILEGED_ID}",
                "--clear-groups"]  # fmt: skip
    runuser = shutil.which("runuser")
    if runuser:
        import pwd

        return [runuser, "-u", pwd.getpwuid(UNPRIVILEGED_ID).pw_name, "--"]
    return None


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
