"""The merge rules: which change came first, what a field holds, conflicts and erasures, all
the same whatever order the changes arrive in."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from desta_tui.domain.clock import Hlc, encode
from desta_tui.domain.sync import (
    Outcome,
    Version,
    archive_clashes,
    canonical_twin,
    conflict_key,
    decide_field,
    erasure_wins,
    export_floors,
    gaps,
    happened_before,
    heads_after,
    holder,
    is_concurrent,
    is_conflicted,
    merge_known,
    seen_of,
)


def version(origin: str, seq: int, wall: int, **seen: int) -> Version:
    return Version(origin, seq, encode(Hlc(wall)), seen_of(seen))


A1 = version("A", 1, 100)
A2 = version("A", 2, 200)
B1 = version("B", 1, 150)
B2_SAW_A1 = version("B", 2, 300, A=1)


def test_a_sites_own_changes_come_in_order():
    assert happened_before(A1, A2)
    assert not happened_before(A2, A1)


def test_a_change_made_after_receiving_another_replaces_it():
    assert happened_before(A1, B2_SAW_A1)
    assert not happened_before(A2, B2_SAW_A1)
    assert is_concurrent(A2, B2_SAW_A1)


def test_changes_made_apart_are_concurrent():
    assert is_concurrent(A1, B1)
    assert not is_concurrent(A1, A1)


def test_the_holder_is_the_latest_stamp_then_site():
    assert holder([A1, B1]) == B1
    tie_a, tie_b = version("A", 3, 500), version("B", 3, 500)
    assert holder([tie_b, tie_a]) == tie_b


def test_a_later_change_applies_and_a_known_one_is_stale():
    decision = decide_field([A1], B2_SAW_A1, {A1.ident: "x", B2_SAW_A1.ident: "y"})
    assert decision.outcome is Outcome.APPLY
    assert decision.heads == (B2_SAW_A1,)
    assert decide_field([B2_SAW_A1], A1, {}).outcome is Outcome.STALE
    assert decide_field([A1], A1, {}).outcome is Outcome.STALE


def test_no_heads_means_as_created_and_any_change_applies():
    assert decide_field([], A1, {A1.ident: 1}).outcome is Outcome.APPLY


def test_the_same_field_changed_apart_is_a_conflict_held_by_the_later():
    values = {A1.ident: "0101", B1.ident: "0202"}
    decision = decide_field([A1], B1, values)
    assert decision.outcome is Outcome.CONFLICT
    assert set(decision.heads) == {A1, B1}
    assert decision.holder == B1
    # the other way round: the same heads, the same holder
    other = decide_field([B1], A1, values)
    assert set(other.heads) == set(decision.heads) and other.holder == decision.holder


def test_the_same_value_typed_apart_is_not_a_conflict():
    decision = decide_field([A1], B1, {A1.ident: "same", B1.ident: "same"})
    assert decision.outcome is Outcome.SAME


def test_notes_may_be_settled_by_the_newest_but_money_never():
    values = {A1.ident: "one", B1.ident: "two"}
    notes = decide_field([A1], B1, values, field_name="notes", notes_newest_wins=True)
    assert notes.outcome is Outcome.NEWEST and notes.holder == B1
    money = decide_field(
        [A1], B1, values, field_name="allocated_value_pence", notes_newest_wins=True
    )
    assert money.outcome is Outcome.CONFLICT
    assert not is_conflicted([A1, B1], values, field_name="notes", notes_newest_wins=True)
    assert is_conflicted([A1, B1], values, field_name="notes")


def test_an_erasure_wins_over_older_and_concurrent_edits_not_later_ones():
    erasure = version("A", 5, 500, B=1)
    older = B1
    concurrent = version("B", 2, 600)
    later = version("B", 3, 700, A=5)
    assert erasure_wins(erasure, older)
    assert erasure_wins(erasure, concurrent)
    assert not erasure_wins(erasure, later)
    decision = decide_field([], concurrent, {concurrent.ident: "x"}, erased_by=erasure)
    assert decision.outcome is Outcome.ERASED


def test_an_edit_made_apart_from_an_archive_clashes_with_it():
    archive = version("A", 3, 300)
    seen_edit = version("B", 1, 100)
    archive_saw = version("A", 4, 400, B=1)
    apart = version("B", 2, 350)
    assert archive_clashes(archive_saw, [seen_edit, apart]) == [apart]
    assert archive_clashes(archive, [seen_edit]) == [seen_edit]


def test_twins_keep_the_identity_created_first():
    assert canonical_twin(A1, B1) == A1
    assert canonical_twin(B1, A1) == A1


def test_conflict_keys_do_not_depend_on_the_order_of_the_sides():
    assert conflict_key("field", "t", "u", "f", [A1, B1]) == conflict_key(
        "field", "t", "u", "f", [B1, A1]
    )
    assert conflict_key("field", "t", "u", "f", [A1, B1]) != conflict_key(
        "field", "t", "u", "g", [A1, B1]
    )


def test_a_bundle_carries_what_the_least_informed_peer_lacks():
    floors = export_floors([{"A": 5, "B": 2}, {"A": 3}], ["A", "B", "C"])
    assert floors == {"A": 3, "B": 0, "C": 0}
    assert export_floors([], ["A"]) == {"A": 0}


def test_a_bundle_that_skips_changes_is_found():
    found = gaps({"A": 3}, {"A": 6, "B": 1})
    assert [(gap.origin, gap.held, gap.first) for gap in found] == [("A", 3, 6)]
    assert gaps({"A": 3}, {"A": 2}) == []


def test_knowledge_put_together_keeps_the_later():
    assert merge_known({"A": 3, "B": 1}, {"A": 2, "C": 4}) == {"A": 3, "B": 1, "C": 4}


# --- the same result whatever the order ---------------------------------------------------


def simulate(seed: int, sites: str = "ABC", steps: int = 30) -> list[Version]:
    """Sites editing one field and exchanging what they hold at random: every change made."""
    rng = random.Random(seed)
    held: dict[str, set[tuple[str, int]]] = {site: set() for site in sites}
    counter = {site: 0 for site in sites}
    made: dict[tuple[str, int], Version] = {}
    clock = 0
    for _ in range(steps):
        clock += rng.randint(0, 3)
        site = rng.choice(sites)
        if rng.random() < 0.6:
            counter[site] += 1
            known = {}
            for origin, seq in held[site]:
                known[origin] = max(known.get(origin, 0), seq)
            change = version(site, counter[site], clock, **{k: v for k, v in known.items()
                                                            if k != site})  # fmt: skip
            made[change.ident] = change
            held[site].add(change.ident)
        else:
            other = rng.choice(sites)
            held[other] |= held[site]  # a bundle: everything the sender holds
    return list(made.values())


def heads_of(changes: list[Version]) -> set[Version]:
    heads: tuple[Version, ...] = ()
    for change in changes:
        after = heads_after(heads, change)
        if after is not None:
            heads = after
    return set(heads)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.randoms(use_true_random=False))
def test_heads_do_not_depend_on_the_order_changes_arrive_in(seed, shuffler):
    changes = simulate(seed)
    expected = {c for c in changes if not any(happened_before(c, o) for o in changes)}
    in_order = sorted(changes, key=lambda change: change.order_key)
    assert heads_of(in_order) == expected
    shuffled = list(changes)
    shuffler.shuffle(shuffled)
    assert heads_of(shuffled) == expected
    # replayed: arriving twice changes nothing
    assert heads_of(shuffled + in_order) == expected


def test_every_order_of_a_small_history_gives_the_same_heads():
    changes = [A1, A2, B1, B2_SAW_A1]
    results = {frozenset(heads_of(list(order))) for order in itertools.permutations(changes)}
    assert results == {frozenset({A2, B2_SAW_A1})}
