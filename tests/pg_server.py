"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl on a free local port."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
# every other account connects without a password; this one must give one, as on a hub's server
PASSWORD_ROLE = "desta_password_user"


@dataclass
class PgServer:
    """A running cluster; `url(dbname)` connects to a database in it."""

    data_dir: Path
    port: int
    user: str
    run_as: str | None

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        import psycopg2

        conn = psycopg2.connect(self.url())
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return self.url(name)

    def create_password_database(self, name: str, password: str) -> str:
        """A database owned by PASSWORD_ROLE, which signs in with `password`; its URL without it."""
        import psycopg2
        from psycopg2 import sql

        conn = psycopg2.connect(self.url())
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (PASSWORD_ROLE,))
                verb = "ALTER" if cursor.fetchone() else "CREATE"
                cursor.execute(
                    sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                        sql.Identifier(PASSWORD_ROLE), sql.Literal(password)
                    )
                )
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(name), sql.Identifier(PASSWORD_ROLE)
                    )
                )
        finally:
            conn.close()
        return f"postgresql://{PASSWORD_ROLE}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        _run(self.run_as, [_tool("pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "stop"])
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def _tool(name: str) -> str:
    for folder in PG_BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: install the Debian package postgresql")
    return found


def _run(user: str | None, command: list[str]) -> subprocess.CompletedProcess:
    if user:
        # initdb refuses to run as root; run the server as the postgres account instead
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server() -> PgServer:
    """Start a private cluster; raise RuntimeError with the reason when that is impossible."""
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no postgres account") from None
        run_as = "postgres"
    base = Path(tempfile.mkdtemp(prefix="desta-pg-"))
    data_dir = base / "data"
    if run_as:
        shutil.chown(base, user=run_as)
    user = run_as or pwd.getpwuid(os.geteuid()).pw_name
    init = _run(run_as, [_tool("initdb"), "-D", str(data_dir), "-A", "trust", "-U", user,
                         "-E", "UTF8", "--no-locale"])  # fmt: skip
    if init.returncode != 0:
        raise RuntimeError(f"initdb failed: {init.stderr.strip()[:300]}")
    hba = data_dir / "pg_hba.conf"
    # the first matching line wins: the password account is checked, everyone else trusted
    hba.write_text(f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    # each pytest-xdist worker starts its own server: two may be handed the same free port
    # between the probe and the server's bind, so a failed start tries another port
    for _attempt in range(3):
        port = _free_port()
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = _run(run_as, [_tool("pg_ctl"), "-D", str(data_dir), "-o", options, "-l",
                              str(base / "log"), "-w", "-t", "60", "start"])  # fmt: skip
        if start.returncode == 0:
            break
    if start.returncode != 0:
        log = (base / "log").read_text() if (base / "log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {start.stderr.strip()[:200]} {log[-300:]}")
    server = PgServer(data_dir=data_dir, port=port, user=user, run_as=run_as)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError("the PostgreSQL server did not answer within 30 s")
