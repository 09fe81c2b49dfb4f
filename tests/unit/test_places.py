"""Borough names as people type them: whole names, starts, initials, "&" or "and"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.errors import ValidationError
from desta_tui.domain.places import match_boroughs

NAMES = ["Brent", "Ealing", "Hammersmith & Fulham", "Harrow", "Hillingdon", "Hounslow",
         "Kensington & Chelsea", "Westminster"]  # fmt: skip


def test_whole_names_starts_and_initials():
    assert match_boroughs("west, H&F, brent", NAMES) == [
        "Brent",
        "Hammersmith & Fulham",
        "Westminster",
    ]
    assert match_boroughs("kc", NAMES) == ["Kensington & Chelsea"]
    assert match_boroughs("K & C", NAMES) == ["Kensington & Chelsea"]


def test_and_or_ampersand_or_neither():
    for typed in (
        "hammersmith and fulham",
        "Hammersmith & Fulham",
        "HAMMERSMITH FULHAM",
        "hammersmith-fulham",
        "hammersmith an",  # half typed
        "hammersmith &",
    ):
        assert match_boroughs(typed, NAMES) == ["Hammersmith & Fulham"], typed


def test_semicolons_separate_too_and_blank_parts_are_skipped():
    assert match_boroughs("brent; hammersmith and fulham", NAMES) == [
        "Brent",
        "Hammersmith & Fulham",
    ]
    assert match_boroughs(" , ;brent,, ", NAMES) == ["Brent"]
    assert match_boroughs("", NAMES) == []
    assert match_boroughs("  ", NAMES) == []


def test_slashes_and_line_breaks_separate_too():
    # a spreadsheet cell may hold "Brent/Ealing" or one borough a line
    assert match_boroughs("Ealing/ brent\nEALING", NAMES) == ["Brent", "Ealing"]
    assert match_boroughs("K&C\r\nh&f", NAMES) == ["Hammersmith & Fulham", "Kensington & Chelsea"]


def test_the_order_is_the_known_order_and_each_name_comes_once():
    assert match_boroughs("westminster, brent, Brent, b", NAMES) == ["Brent", "Westminster"]


def test_a_list_of_parts_is_taken_part_by_part():
    assert match_boroughs(["Westminster", " ealing "], NAMES) == ["Ealing", "Westminster"]
    assert match_boroughs([], NAMES) == []
    with pytest.raises(ValidationError):
        match_boroughs(["Brent, Ealing"], NAMES)  # one part, not split


def test_an_ambiguous_start_lists_the_candidates():
    with pytest.raises(ValidationError) as caught:
        match_boroughs("ha", NAMES)
    assert caught.value.field == "boroughs"
    assert caught.value.message == "'ha' could be Hammersmith & Fulham or Harrow: type more of it"
    with pytest.raises(ValidationError, match="could be Hillingdon, Hounslow or Harrow"):
        match_boroughs("h", ["Hillingdon", "Hounslow", "Harrow"])


def test_an_unknown_part_is_named_with_the_field():
    with pytest.raises(ValidationError) as caught:
        match_boroughs("Brent, Camden", NAMES, field="borough")
    assert caught.value.field == "borough"
    assert caught.value.message.startswith("'Camden' is not a borough the hub knows (Brent, ")


def test_a_whole_name_wins_over_a_longer_one_it_starts():
    assert match_boroughs("ware", ["Ware", "Wareham"]) == ["Ware"]
    assert match_boroughs("wareh", ["Ware", "Wareham"]) == ["Wareham"]


def test_accents_and_case_are_ignored():
    assert match_boroughs("saint-etienne", ["Saint-Étienne", "Ealing"]) == ["Saint-Étienne"]
    assert match_boroughs("ÉALING", NAMES) == ["Ealing"]


@given(st.lists(st.sampled_from(NAMES)), st.randoms(use_true_random=False))
def test_names_typed_in_any_order_and_case_come_back_in_known_order(chosen, random):
    typed = [name.upper() if random.random() < 0.5 else name.lower() for name in chosen]
    random.shuffle(typed)
    expected = [name for name in NAMES if name in chosen]
    assert match_boroughs(", ".join(typed), NAMES) == expected
    assert match_boroughs(typed, NAMES) == expected


@given(st.sampled_from(NAMES), st.integers(min_value=1, max_value=30))
def test_a_start_finds_its_name_or_says_it_is_ambiguous(name, length):
    start = name[:length]
    try:
        found = match_boroughs(start, NAMES)
    except ValidationError as error:
        assert "could be" in error.message and name in error.message
    else:
        assert found == [name]
