"""Tests for domain/text.py: a field's name as words."""

from __future__ import annotations

from desta_tui.domain.text import field_words


def test_a_fields_name_reads_as_words_without_its_unit():
    assert field_words("has_board_seat") == "Has board seat"
    assert field_words("total_value_pence") == "Total value"
    assert field_words("expires_on") == "Expires"
    assert field_words("archived_at") == "Archived"
    assert field_words("on") == "On"  # a suffix alone is the word itself
    assert field_words("") == ""
