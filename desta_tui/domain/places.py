"""Places as people type them: borough names matched from whole names, starts and initials.

`match_boroughs` is the one reading of typed boroughs: the organisation form, the contract and
partner forms and the importer all call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from desta_tui.domain.errors import ValidationError
from desta_tui.domain.text import fold

# Parts of a typed list: "Brent, ham; K&C / Ealing", or one a line (a spreadsheet cell may use
# any of them).
_SEPARATORS = re.compile(r"[,;/\n]")
_NOT_ALNUM = re.compile(r"[\W_]+")


def _words(text: str) -> list[str]:
    spaced = _NOT_ALNUM.sub(" ", fold(text).replace("&", " and "))
    return spaced.split()


def _keys(text: str) -> set[str]:
    """Squashed forms of `text`: with "and" kept, and with it left out.

    Both are kept so that "Hammersmith Fulham", "hammersmith and fulham" and the half-typed
    "hammersmith an" all find "Hammersmith & Fulham".
    """
    words = _words(text)
    return {"".join(words), "".join(word for word in words if word != "and")} - {""}


def _initials(name: str) -> str:
    return "".join(word[0] for word in _words(name) if word != "and")


@lru_cache(maxsize=32)
def _keyed(known_names: tuple[str, ...]) -> tuple[tuple[str, frozenset[str], str], ...]:
    """Each known name with its keys and initials, worked out once per list of names (an
    import matches a cell a row against the same few)."""
    return tuple((name, frozenset(_keys(name)), _initials(name)) for name in known_names)


def _either_or(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def match_boroughs(
    typed: str | Iterable[str], known_names: Sequence[str], *, field: str = "boroughs"
) -> list[str]:
    """The borough names meant by `typed`, in the order of `known_names`, each once.

    `typed` is text with parts split by commas, semicolons, slashes or line breaks ("Brent,
    ham; K&C"), or an iterable of parts (each taken whole). A part may be a whole name, the
    start of one or its initials ("H&F", "kc"), ignoring case, accents, punctuation and
    "&"/"and"; a whole name wins over a start, and a start over initials. Blank parts are
    skipped, so "" gives [].

    Raises ValidationError(field, ...) naming the first part that is no known borough, or that
    could be several (listing them, "could be Hammersmith & Fulham or Harrow").
    """
    parts = _SEPARATORS.split(typed) if isinstance(typed, str) else list(typed)
    keyed = _keyed(tuple(known_names))
    chosen: set[str] = set()
    for part in parts:
        wanted = _keys(part)
        if not wanted:
            continue
        found = [name for name, keys, _ in keyed if wanted & keys]
        found = found or [
            name for name, keys, _ in keyed if any(k.startswith(w) for k in keys for w in wanted)
        ]
        found = found or [name for name, _, initials in keyed if initials in wanted]
        if len(found) == 1:
            chosen.add(found[0])
        elif not found:
            raise ValidationError(
                field,
                f"{part.strip()!r} is not a borough the hub knows ({', '.join(known_names)})",
            )
        else:
            raise ValidationError(
                field, f"{part.strip()!r} could be {_either_or(found)}: type more of it"
            )
    return [name for name in known_names if name in chosen]
