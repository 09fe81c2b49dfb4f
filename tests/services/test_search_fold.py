"""fold: the case- and accent-free form every filter and palette search compares."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from desta_tui.services.search_index import fold


def _fold_the_long_way(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("ł", "l").replace("ø", "o").replace("ß", "ss")


def test_accents_case_and_special_letters_fold_away():
    assert fold("Łączy Community") == "laczy community"
    assert fold("Café Nouveau ÉLAN") == "cafe nouveau elan"
    assert fold("Søndergaard Straße") == "sondergaard strasse"
    assert fold("KELVIN \u212a") == "kelvin k"  # the Kelvin sign folds to a plain k


@given(st.text())
def test_the_plain_text_shortcut_folds_as_the_long_way_does(text):
    assert fold(text) == _fold_the_long_way(text)
