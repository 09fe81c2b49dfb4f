"""`desta site`, `desta bundle` and `desta conflicts` in a subprocess, as a hub officer would
run them: a laptop started from the hub's full bundle, a round trip, conflicts settled."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.cli.helpers import desta


@pytest.fixture(scope="module")
def hub_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-bundle") / "hub.sqlite3"
    result = desta("demo", "--no-open", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


def run(*args: str) -> str:
    result = desta(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def phone_of(path, name: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT phone FROM organisation WHERE name = ?", (name,)).fetchone()[0]
    finally:
        conn.close()


def set_phone(path, name: str, phone: str) -> None:
    """An edit at a site, as the app saves it (the services, with the change log)."""
    script = (
        "from desta_tui.db.database import open_database\n"
        "from desta_tui.db.models import Organisation\n"
        "from desta_tui.services import members\n"
        f"open_database({str(path)!r})\n"
        f"org = Organisation.get(Organisation.name == {name!r})\n"
        "detail = members.get_organisation(org.uuid)\n"
        "values = {'name': org.name, 'kind': org.kind, 'postcode': org.postcode,\n"
        "          'borough': detail.borough, 'boroughs': ', '.join(detail.boroughs),\n"
        f"          'is_member': org.is_member, 'phone': {phone!r}}}\n"
        "members.update_organisation(org.uuid, values)\n"
    )
    result = desta_python(script)
    assert result.returncode == 0, result.stderr


def desta_python(script: str):
    import os
    import subprocess
    import sys

    from tests.cli.helpers import ROOT

    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)  # fmt: skip


def test_round_trip_between_two_laptops(hub_template, tmp_path):
    hub = tmp_path / "hub.sqlite3"
    hub.write_bytes(hub_template.read_bytes())
    laptop_a, laptop_b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    run("site", "name", "Hub office", "--db", str(hub))
    full = run("bundle", "export", "--all", "-o", str(tmp_path / "full.desta-bundle"),
               "--db", str(hub)).strip()  # fmt: skip
    assert "2247 records" not in full  # the path alone on stdout; the words go to stderr
    shown = run("bundle", "show", full)
    assert "A full bundle from Hub office" in shown and "checksum is correct" in shown
    for laptop, name in ((laptop_a, "Church hall laptop"), (laptop_b, "Library laptop")):
        joined = run("bundle", "import", full, "--db", str(laptop))
        assert "joined the hub CaVSA Hammersmith & Fulham" in joined
        assert f"Site: {name}" in run("site", "name", name, "--db", str(laptop))
    site = run("site", "--db", str(laptop_a))
    assert "Hub:  CaVSA Hammersmith & Fulham" in site and "Hub office" in site

    set_phone(laptop_a, "Rain Trust", "020 7946 0101")
    set_phone(laptop_b, "Rain Trust", "020 7946 0202")
    imported = tmp_path / "organisations.csv"
    imported.write_text("Name,Kind\nHall Group One,charity\nHall Group Two,charity\n")
    run("import", "organisations", str(imported), "--db", str(laptop_a))

    to_b = run("bundle", "export", "-o", str(tmp_path / "a1.desta-bundle"),
               "--db", str(laptop_a)).strip()  # fmt: skip
    dry = run("bundle", "import", to_b, "--dry-run", "--db", str(laptop_b))
    assert "It would:" in dry and "create 2 records" in dry
    assert "1 conflict would wait" in dry and "Nothing was changed (dry run)" in dry
    assert phone_of(laptop_b, "Rain Trust") == "020 7946 0202"
    done = run("bundle", "import", to_b, "--db", str(laptop_b))
    assert "backed up first" in done and "1 conflict waits" in done
    again = run("bundle", "import", to_b, "--db", str(laptop_b))
    assert "nothing to do" in again

    to_a = run("bundle", "export", "-o", str(tmp_path / "b1.desta-bundle"),
               "--db", str(laptop_b)).strip()  # fmt: skip
    run("bundle", "import", to_a, "--db", str(laptop_a))
    listed = run("conflicts", "--db", str(laptop_a))
    assert "#1 Changed at two sites: organisation Rain Trust" in listed
    assert "local: phone: 020 7946 0101 (Church hall laptop" in listed
    assert "incoming: phone: 020 7946 0202 (Library laptop" in listed
    settled = run("conflicts", "resolve", "1", "--take", "local", "--db", str(laptop_a))
    assert "settled" in settled and "goes to the other sites" in settled
    run("bundle", "import", run("bundle", "export", "-o", str(tmp_path / "a2.desta-bundle"),
                                "--db", str(laptop_a)).strip(), "--db", str(laptop_b))  # fmt: skip
    assert "No conflicts wait" in run("conflicts", "--db", str(laptop_b))
    assert phone_of(laptop_a, "Rain Trust") == phone_of(laptop_b, "Rain Trust") == "020 7946 0101"


def test_refused_bundles_exit_1_with_a_sentence(hub_template, tmp_path):
    hub = tmp_path / "hub.sqlite3"
    hub.write_bytes(hub_template.read_bytes())
    full = run("bundle", "export", "--all", "-o", str(tmp_path / "full.desta-bundle"),
               "--db", str(hub)).strip()  # fmt: skip
    laptop = tmp_path / "a.sqlite3"
    run("bundle", "import", full, "--db", str(laptop))
    other = tmp_path / "other.sqlite3"
    run("demo", "--no-open", "--db", str(other))
    conn = sqlite3.connect(other)
    conn.execute("UPDATE sync_site SET hub_uuid = '11111111-1111-1111-1111-111111111111'")
    conn.commit()
    conn.close()
    foreign = run("bundle", "export", "--all", "-o", str(tmp_path / "other.desta-bundle"),
                  "--db", str(other)).strip()  # fmt: skip
    cut = tmp_path / "cut.desta-bundle"
    cut.write_bytes(Path(full).read_bytes()[:5000])
    altered = tmp_path / "altered.desta-bundle"
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(altered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data.replace(b"Rain Trust", b"Rain Trusk"))
    for path, words in (
        (foreign, "is for another hub"),
        (cut, "damaged or incomplete"),
        (altered, "altered since it was written"),
        (tmp_path / "missing.desta-bundle", "There is no bundle file"),
    ):
        result = desta("bundle", "import", str(path), "--db", str(laptop))
        assert result.returncode == 1, (path, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_mistake_in_the_command_is_exit_2(tmp_path):
    result = desta("conflicts", "resolve", "1", "--take", "mine", "--db", str(tmp_path / "x"))
    assert result.returncode == 2
    assert desta("bundle", "--help").returncode == 0
