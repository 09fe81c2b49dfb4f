"""Words as people read and type them: folding for matching that ignores case and accents, and
the words a field's name reads as."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so "lacz" finds "Łączy" and "cafe" finds "Café"."""
    folded = text.casefold()
    if folded.isascii():
        return folded  # nothing to decompose: the common case, and filters fold every row
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("ł", "l").replace("ø", "o").replace("ß", "ss")


def field_words(field: str) -> str:
    """A field's name as words: "has_board_seat" -> "Has board seat", "total_value_pence" ->
    "Total value", "expires_on" -> "Expires"; "" stays "" (the history screen and the printed
    history both say a field this way)."""
    words = field.replace("_", " ").strip()
    for suffix in (" pence", " on", " at"):
        if words.endswith(suffix) and len(words) > len(suffix):
            words = words[: -len(suffix)]
            break
    return words[:1].upper() + words[1:]
