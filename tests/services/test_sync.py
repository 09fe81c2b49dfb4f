"""Two laptops working apart from one hub, merged by bundle files: the same content at the end,
every same-field edit a conflict, nothing lost, whatever the order the bundles arrive in."""

from __future__ import annotations

import random
import shutil

import pytest

from desta_tui.db.models import AuditLog, Organisation, SyncChange
from desta_tui.services.audit import record_history
from desta_tui.services.sync import (
    conflict_count,
    import_bundle,
    list_conflicts,
    resolve_conflict,
    site_info,
)
from tests.services.sync_sites import (
    current_value,
    fingerprint,
    make_edits,
    make_sites,
    open_field_conflicts,
    targets,
    use,
    value_for,
)

EDITS_EACH = 200


@pytest.fixture
def sites(backend, demo_template, tmp_path):
    return make_sites(backend, demo_template, tmp_path)


def test_a_laptop_starts_from_the_hubs_full_bundle(sites):
    hub = fingerprint(sites.hub)
    assert fingerprint(sites.a) == hub == fingerprint(sites.b)
    use(sites.a)
    info = site_info()
    assert info.site_name == "Laptop A" and info.ticket_prefix
    assert info.hub_name == "CaVSA Hammersmith & Fulham"
    use(sites.hub)
    assert site_info().hub_uuid == info.hub_uuid != info.site_uuid


def test_every_write_through_the_services_is_logged_with_its_clock(sites):
    use(sites.a)
    rng = random.Random(1)
    last = make_edits("a", rng, targets(1, 3, 3), 10)
    made = list(
        SyncChange.select()
        .where(SyncChange.origin_site == site_info().site_uuid)
        .order_by(SyncChange.seq)
    )
    assert [change.seq for change in made] == list(range(1, len(made) + 1))
    assert [change.hlc for change in made] == sorted(change.hlc for change in made)
    logged = {(c.table_name, c.record_uuid, c.field) for c in made if c.kind == "update"}
    assert set(last) <= logged
    assert all(change.who == "test.officer" and change.at is not None for change in made)


def test_two_laptops_diverge_and_merge_to_the_same_content(sites):
    use(sites.a)
    pool = targets(seed=2012)
    rng = random.Random(7)
    shared = rng.sample(pool, 25)
    only_a = [t for t in pool if t not in shared][: len(pool) // 2]
    only_b = [t for t in pool if t not in shared and t not in only_a]
    # each laptop edits the shared fields at least once, then a few hundred edits at random
    last_a = make_edits("a", random.Random(1), shared, 0)
    for number, target in enumerate(shared):
        last_a.update(make_edits("a", random.Random(number), [target], 1, start=1000 + number))
    last_a.update(make_edits("a", random.Random(11), shared + only_a, EDITS_EACH))
    use(sites.b)
    last_b = {}
    for number, target in enumerate(shared):
        last_b.update(make_edits("b", random.Random(number), [target], 1, start=1000 + number))
    last_b.update(make_edits("b", random.Random(22), shared + only_b, EDITS_EACH))

    to_b = sites.give(sites.a, sites.b)
    to_a = sites.give(sites.b, sites.a)
    assert to_b.new and to_a.new

    a_state, b_state = fingerprint(sites.a), fingerprint(sites.b)
    assert a_state == b_state  # the same content and the same conflicts, record for record
    assert a_state[0] != fingerprint(sites.hub)[0]
    use(sites.a)
    both = set(last_a) & set(last_b)
    assert both == set(shared)
    assert open_field_conflicts() == both  # every same-field edit, and nothing else
    for target, value in last_a.items():  # nothing lost
        if target not in both:
            assert current_value(*target) == value
    for target in both:
        assert current_value(*target) in (last_a[target], last_b[target])
    use(sites.b)
    for target, value in last_b.items():
        if target not in both:
            assert current_value(*target) == value
    assert conflict_count() == len(both)


def test_settling_a_conflict_travels_and_closes_it_everywhere(sites):
    use(sites.a)
    rain = Organisation.get(Organisation.name == "Rain Trust").uuid
    target = ("organisation", rain, "phone")
    make_edits("a", random.Random(1), [target], 1)
    use(sites.b)
    make_edits("b", random.Random(1), [target], 1, start=5)
    sites.give(sites.a, sites.b)
    sites.give(sites.b, sites.a)
    use(sites.a)
    merged = AuditLog.get((AuditLog.record_uuid == rain) & AuditLog.merged_note.is_null(False))
    assert merged.who == "test.officer" and merged.new_value == value_for("phone", "b", 5)
    assert merged.merged_note.startswith("merged from Laptop B by test.officer on ")
    assert any(e.merged_note for e in record_history(rain))
    [conflict] = list_conflicts()
    assert conflict.local.text == value_for("phone", "a", 0)
    assert conflict.incoming.text == value_for("phone", "b", 5)
    assert conflict.local.site_name == "Laptop A" and conflict.incoming.site_name == "Laptop B"
    assert conflict.local.who == conflict.incoming.who == "test.officer"
    settled = resolve_conflict(conflict.id, take="local")
    assert not settled.is_open and current_value(*target) == value_for("phone", "a", 0)
    sites.give(sites.a, sites.b)
    use(sites.b)
    assert conflict_count() == 0
    assert current_value(*target) == value_for("phone", "a", 0)
    assert fingerprint(sites.a) == fingerprint(sites.b)


def test_bundles_in_any_order_and_replayed_give_the_same_result(sites, tmp_path):
    use(sites.a)
    pool = targets(seed=5, organisations=10, contacts=10)
    make_edits("a", random.Random(1), pool, 30)
    a1 = sites.bundle(sites.a)
    make_edits("a", random.Random(2), pool, 30, start=100)
    a2 = sites.bundle(sites.a)
    use(sites.b)
    make_edits("b", random.Random(3), pool, 30)
    b1 = sites.bundle(sites.b)
    make_edits("b", random.Random(4), pool, 30, start=100)
    b2 = sites.bundle(sites.b)
    # the laptops exchange everything the usual way: the state every order must reach
    for bundle, target in ((a2, sites.b), (b2, sites.a)):
        use(target)
        import_bundle(bundle)
    expected = fingerprint(sites.a)
    assert fingerprint(sites.b) == expected
    # a third laptop, fresh from the hub, gets the four bundles in shuffled orders, twice over
    full = sites.bundle(sites.hub, full=True)
    pristine = sites.join("c", full)
    use(sites.a)  # let go of c's file before copying it
    orders = [[a1, a2, b1, b2], [b2, a1, b1, a2], [a2, b2, a1, b1], [b1, a2, b2, a1]]
    for number, order in enumerate(orders):
        copy = tmp_path / f"c{number}.sqlite3"
        shutil.copyfile(pristine, copy)
        use(copy)
        replies = [import_bundle(bundle) for bundle in order + order]
        assert all(reply.already_imported for reply in replies[4:])
        assert fingerprint(str(copy)) == expected, f"order {number} differs"


def test_a_rolled_back_write_leaves_nothing_in_the_log(sites):
    """Records created in bulk inside a savepoint that is then rolled back (an import finding
    a fault after writing) leave no change in the log; what the transaction kept is logged."""
    from desta_tui.db.database import db
    from desta_tui.domain.validation import normalise_name
    from desta_tui.services.audit import create_record, create_records

    use(sites.a)
    rows = [{"name": name, "name_key": normalise_name(name)} for name in ("New One", "New Two")]
    with db.atomic():
        try:
            with db.atomic():
                create_records(Organisation, rows)
                raise RuntimeError("a fault found after writing")
        except RuntimeError:
            pass
        kept = create_record(Organisation, **rows[0])
    logged = [(c.kind, c.record_uuid) for c in SyncChange.select()]
    assert logged == [("create", kept.uuid)]
