"""Folding what people type, so that matching ignores case and accents."""

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
