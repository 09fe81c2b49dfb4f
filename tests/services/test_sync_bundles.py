"""Bundle files: read without applying, refused with a sentence when they cannot be used (and
the database left as it was), previewed, and a no-op the second time."""

from __future__ import annotations

import json
import random
import zipfile

import pytest

from desta_tui.db.models import Organisation, SyncBundle
from desta_tui.domain.errors import BundleError
from desta_tui.services import members
from desta_tui.services.sync import describe_bundle, export_bundle, import_bundle
from desta_tui.services.sync.bundle_file import CHANGES, MANIFEST, _digest
from tests.services.sync_sites import (
    fingerprint,
    make_edits,
    make_sites,
    targets,
    untouched_state,
    use,
)


@pytest.fixture
def sites(backend, demo_template, tmp_path):
    return make_sites(backend, demo_template, tmp_path)


@pytest.fixture
def from_a(sites):
    """A bundle of a few edits made at laptop A."""
    use(sites.a)
    make_edits("a", random.Random(3), targets(3, 4, 4), 12)
    return sites.bundle(sites.a)


def rewrite(source, target, *, manifest=None, changes=None, resign=False) -> None:
    """A copy of a bundle with its manifest or changes altered (and, if asked, re-checksummed
    as a newer Desta would have written it)."""
    with zipfile.ZipFile(source) as archive:
        found = json.loads(archive.read(MANIFEST))
        lines = archive.read(CHANGES)
    found.update(manifest or {})
    lines = changes(lines) if changes else lines
    if resign:
        found["sha256"] = _digest(found, lines, b"")
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(MANIFEST, json.dumps(found))
        archive.writestr(CHANGES, lines)


def refused(sites, path, words: str) -> None:
    use(sites.b)
    before = untouched_state()
    with pytest.raises(BundleError) as caught:
        import_bundle(path)
    assert words in str(caught.value) and "Nothing was changed" in str(caught.value)
    assert untouched_state() == before


def test_a_bundle_reads_without_being_applied(sites, from_a):
    use(sites.b)
    before = untouched_state()
    summary = describe_bundle(from_a)
    assert summary.site_name == "Laptop A" and summary.changes > 0 and not summary.is_full
    assert summary.imported_at is None
    assert any("checksum is correct" in line for line in summary.lines())
    assert untouched_state() == before


def test_a_dry_run_previews_and_changes_nothing(sites, from_a):
    use(sites.b)
    before = untouched_state(), SyncBundle.select().count()
    report = import_bundle(from_a, dry_run=True)
    assert report.dry_run and report.new and report.updates
    assert any("Nothing was changed (dry run)" in line for line in report.lines())
    assert (untouched_state(), SyncBundle.select().count()) == before


def test_the_same_bundle_twice_is_a_no_op_that_says_so(sites, from_a, backend):
    use(sites.b)
    first = import_bundle(from_a)
    assert first.new and first.already_imported is None
    if backend == "sqlite":
        assert first.backup is not None and first.backup.exists()
    after = untouched_state()
    again = import_bundle(from_a)
    assert again.already_imported is not None
    assert "nothing to do" in again.lines()[0]
    assert untouched_state() == after


def test_a_bundle_for_another_hub_is_refused(sites, tmp_path):
    other = tmp_path / "other-hub.sqlite3"
    use(other)
    members.create_organisation({"name": "Elsewhere Trust", "kind": "charity"})
    path = export_bundle(tmp_path / "other.desta-bundle", full=True).path
    refused(sites, path, "for another hub")


def test_a_truncated_bundle_is_refused(sites, from_a, tmp_path):
    cut = tmp_path / "cut.desta-bundle"
    data = from_a.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    refused(sites, cut, "damaged or incomplete")


def test_a_tampered_bundle_is_refused(sites, from_a, tmp_path):
    altered = tmp_path / "altered.desta-bundle"
    rewrite(from_a, altered, changes=lambda lines: lines.replace(b"office", b"officx"))
    refused(sites, altered, "altered since it was written")
    # the manifest is covered too: pointing a bundle at another hub breaks the checksum
    moved = tmp_path / "moved.desta-bundle"
    rewrite(from_a, moved, manifest={"hub_uuid": "00000000-0000-0000-0000-000000000000"})
    refused(sites, moved, "altered since it was written")


def test_a_bundle_from_a_newer_schema_is_refused(sites, from_a, tmp_path):
    newer = tmp_path / "newer.desta-bundle"
    rewrite(from_a, newer, manifest={"schema": 99}, resign=True)
    refused(sites, newer, "newer Desta")


def test_a_bundle_that_skips_changes_is_refused(sites, tmp_path):
    use(sites.a)
    pool = targets(4, 3, 3)
    make_edits("a", random.Random(1), pool, 5)
    first = sites.bundle(sites.a)
    for other in (sites.b, sites.hub):  # everyone A knows of holds A's first changes...
        use(other)
        import_bundle(first)
        sites.give(other, sites.a)
    use(sites.a)
    make_edits("a", random.Random(2), pool, 5, start=50)
    second = sites.bundle(sites.a)  # ... so its next bundle starts after them
    fresh = sites.join("c", sites.full)  # a laptop started from the first full bundle
    use(fresh)
    before = untouched_state()
    with pytest.raises(BundleError, match="skips changes"):
        import_bundle(second)
    assert untouched_state() == before
    import_bundle(first)
    import_bundle(second)
    assert fingerprint(fresh)[0] == fingerprint(sites.a)[0]


def test_a_hub_on_either_database_hands_changes_both_ways(sites):
    """Laptop -> hub -> laptop: the hub (SQLite or the PostgreSQL server) passes A's changes
    on to B with its own."""
    use(sites.a)
    make_edits("a", random.Random(5), targets(5, 3, 3), 10)
    sites.give(sites.a, sites.hub)
    use(sites.hub)
    rain = Organisation.get(Organisation.name == "Rain Trust")
    values = {"name": rain.name, "kind": rain.kind, "phone": "020 7946 0999",
              "borough": rain.borough.name, "is_member": rain.is_member,
              "boroughs": ", ".join(members.get_organisation(rain.uuid).boroughs)}  # fmt: skip
    members.update_organisation(rain.uuid, values)
    sites.give(sites.hub, sites.b)
    assert fingerprint(sites.b)[0] == fingerprint(sites.hub)[0]
    sites.give(sites.b, sites.hub)
    sites.give(sites.hub, sites.a)
    assert fingerprint(sites.a) == fingerprint(sites.hub) == fingerprint(sites.b)


def test_a_laptop_put_back_from_a_backup_carries_on_as_a_new_site(sites, backend, tmp_path):
    """Changes made after the backup may be held elsewhere already: the restored laptop never
    numbers a change as one of them, and gets them back from the others."""
    from desta_tui.services.backup import backup_database, restore_database
    from desta_tui.services.sync import site_info

    use(sites.a)
    pool = targets(6, 3, 3)
    make_edits("a", random.Random(1), pool, 3)
    saved = backup_database(tmp_path / "a-backup.sqlite3").path
    before = site_info().site_uuid
    make_edits("a", random.Random(2), pool, 3, start=10)
    sites.give(sites.a, sites.b)  # B holds A's changes made after the backup
    use(sites.a)
    restore_database(saved)
    assert site_info().site_uuid != before
    make_edits("a", random.Random(3), pool, 3, start=20)
    sites.give(sites.b, sites.a)  # A gets back what it lost
    sites.give(sites.a, sites.b)
    assert fingerprint(sites.a) == fingerprint(sites.b)


def test_a_postgresql_database_joins_as_a_site_from_a_full_bundle(demo_template, tmp_path):
    """A new server database started from the hub's full bundle holds what the hub holds, and
    trades changes with a laptop both ways."""
    from desta_tui.services.sync import set_site_name
    from tests.postgres import fresh_database_url, postgres_wanted

    if not postgres_wanted():
        pytest.skip("DESTA_TEST_POSTGRES=0")
    sites = make_sites("sqlite", demo_template, tmp_path, laptops="a")
    server = fresh_database_url()
    use(server)
    import_bundle(sites.full)
    set_site_name("Server office")
    assert fingerprint(server)[0] == fingerprint(sites.hub)[0]
    use(server)
    make_edits("c", random.Random(8), targets(8, 3, 3), 8)
    use(sites.a)
    make_edits("a", random.Random(9), targets(9, 3, 3), 8)
    sites.give(server, sites.a)
    sites.give(sites.a, server)
    assert fingerprint(server) == fingerprint(sites.a)
