"""The merge rules for offline sites, over plain values: which change came first, and what wins.

Every change a site makes carries a version: the site it was made at (`origin`), that site's
sequence number for it (`seq`), its hybrid logical clock stamp (`hlc`, domain/clock.py) and
what its author had already received from every other site (`seen`: site -> the last sequence
number held). Change A happened before change B when B's author held A when making B; two
changes neither of which happened before the other are concurrent.

Each field of each record keeps its "heads": the changes to it that no later known change
replaced. One head is the normal state; two or more mean the field was changed at two sites
without either seeing the other: a conflict kept for a person. While it is open, the field holds
the value of the head with the greatest (stamp, site), so every site shows the same value.
The heads depend only on which changes a site holds, never on the order they arrived in, so
two sites that exchanged everything hold the same values and the same conflicts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

#: fields whose concurrent edits a setting may let the newest settle (free text only)
NOTES_FIELDS: frozenset[str] = frozenset({"notes"})


@dataclass(frozen=True)
class Version:
    """One change's place in the history: where it was made, its number there, its stamp, and
    what its author had received from the other sites (site -> last sequence number)."""

    origin: str
    seq: int
    hlc: str
    seen: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    @property
    def ident(self) -> tuple[str, int]:
        return (self.origin, self.seq)

    @property
    def order_key(self) -> tuple[str, str, int]:
        """How heads are ranked when one must hold the field: stamp, then site, then number."""
        return (self.hlc, self.origin, self.seq)

    def knows(self, origin: str) -> int:
        """The last change from `origin` this change's author held (its own earlier ones too)."""
        if origin == self.origin:
            return self.seq - 1
        for site, seq in self.seen:
            if site == origin:
                return seq
        return 0


def seen_of(known: Mapping[str, int], *, leaving_out: str = "") -> tuple[tuple[str, int], ...]:
    """A site's knowledge as a version carries it: sorted, without its own site and zeros."""
    return tuple(sorted((site, seq) for site, seq in known.items() if seq and site != leaving_out))


def happened_before(a: Version, b: Version) -> bool:
    """True when b's author held a when making b (so b replaces a)."""
    if a.ident == b.ident:
        return False
    return a.seq <= b.knows(a.origin)


def is_concurrent(a: Version, b: Version) -> bool:
    """Neither author held the other's change: two sites changed the same thing apart."""
    return a.ident != b.ident and not happened_before(a, b) and not happened_before(b, a)


def holder(heads: Iterable[Version]) -> Version:
    """The head whose value the field holds while they disagree (greatest stamp, then site)."""
    return max(heads, key=lambda version: version.order_key)


class Outcome(Enum):
    """What an incoming change does to a field."""

    #: the incoming change replaces what the field held
    APPLY = "apply"
    #: the field already holds this change, or a later one: nothing to do
    STALE = "stale"
    #: changed here and there apart, to different values: a person decides
    CONFLICT = "conflict"
    #: changed here and there apart, to the same value: nothing to decide
    SAME = "same"
    #: changed apart, but the field is free text whose newest edit a setting lets win
    NEWEST = "newest"
    #: the person was erased before or apart from this change: the erasure wins
    ERASED = "erased"


@dataclass(frozen=True)
class FieldDecision:
    """The field's heads after an incoming change, the one whose value it holds, and why."""

    outcome: Outcome
    heads: tuple[Version, ...]
    holder: Version | None

    @property
    def is_open_conflict(self) -> bool:
        return self.outcome is Outcome.CONFLICT


def heads_after(local_heads: Sequence[Version], incoming: Version) -> tuple[Version, ...] | None:
    """The heads once `incoming` is known, or None when it changes nothing (it is known, or a
    head already replaced it). No local heads means the field is as created (or as the hub's
    full bundle had it), which every later change replaces."""
    for head in local_heads:
        if head.ident == incoming.ident or happened_before(incoming, head):
            return None
    kept = [head for head in local_heads if not happened_before(head, incoming)]
    return tuple(sorted([*kept, incoming], key=lambda version: version.order_key))


def decide_field(
    local_heads: Sequence[Version],
    incoming: Version,
    values: Mapping[tuple[str, int], Any],
    *,
    field_name: str = "",
    notes_newest_wins: bool = False,
    erased_by: Version | None = None,
) -> FieldDecision:
    """What an incoming change to one field does, given the field's heads here.

    `values` holds each head's value and the incoming one's (by `Version.ident`), to tell two
    edits to the same value (no conflict) from two to different values. `erased_by` is the
    erasure of the record, when it was erased: it wins over every change its author had not
    seen, older or made apart.
    """
    if erased_by is not None and not happened_before(erased_by, incoming):
        return FieldDecision(Outcome.ERASED, tuple(local_heads), None)
    heads = heads_after(local_heads, incoming)
    if heads is None:
        held = holder(local_heads) if local_heads else None
        return FieldDecision(Outcome.STALE, tuple(local_heads), held)
    top = holder(heads)
    if len(heads) == 1:
        return FieldDecision(Outcome.APPLY, heads, top)
    distinct = {_comparable(values.get(head.ident)) for head in heads}
    if len(distinct) == 1:
        return FieldDecision(Outcome.SAME, heads, top)
    if notes_newest_wins and field_name in NOTES_FIELDS:
        return FieldDecision(Outcome.NEWEST, heads, top)
    return FieldDecision(Outcome.CONFLICT, heads, top)


def is_conflicted(
    heads: Sequence[Version],
    values: Mapping[tuple[str, int], Any],
    *,
    field_name: str = "",
    notes_newest_wins: bool = False,
) -> bool:
    """Whether a field with these heads is an open conflict (differing values, not settled by
    the newest-notes setting)."""
    if len(heads) < 2:
        return False
    if len({_comparable(values.get(head.ident)) for head in heads}) == 1:
        return False
    return not (notes_newest_wins and field_name in NOTES_FIELDS)


def _comparable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def erasure_wins(erasure: Version, change: Version) -> bool:
    """An erasure beats every change to the person its author had not seen; a change made
    after seeing the erasure (on the anonymised record) stands."""
    return not happened_before(erasure, change)


def archive_clashes(archive: Version, edits: Iterable[Version]) -> list[Version]:
    """The edits of a record made apart from its archiving (neither saw the other)."""
    return sorted(
        (edit for edit in edits if is_concurrent(edit, archive)),
        key=lambda version: version.order_key,
    )


def canonical_twin(a: Version | None, b: Version | None) -> Version | None:
    """Of two records created apart for the same thing (the same organisation at two venues),
    the one kept under its own identity: the earlier creation (None, the hub's own, first)."""
    if a is None or b is None:
        return None
    return min(a, b, key=lambda version: version.order_key)


def conflict_key(kind: str, table_name: str, record_uuid: str, field_name: str,
                 versions: Iterable[Version] = (), extra: str = "") -> str:  # fmt: skip
    """The same key at every site for the same conflict: what, where, and between which
    changes."""
    idents = sorted(f"{v.origin}:{v.seq}" for v in versions)
    text = "|".join([kind, table_name, record_uuid, field_name, *idents, extra])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# --- what a bundle carries ------------------------------------------------------------------


def export_floors(
    peers_known: Sequence[Mapping[str, int]], origins: Iterable[str]
) -> dict[str, int]:
    """For each origin, the last change every known peer holds: a bundle carries those after.

    With no peer known, every change is carried (floor 0)."""
    floors = {}
    for origin in origins:
        floors[origin] = min((known.get(origin, 0) for known in peers_known), default=0)
    return floors


@dataclass(frozen=True)
class Gap:
    """Changes a bundle skips over: this database lacks some before the bundle's first."""

    origin: str
    held: int
    first: int


def gaps(held: Mapping[str, int], firsts: Mapping[str, int]) -> list[Gap]:
    """The origins whose first change in a bundle comes after a change this database lacks."""
    return [
        Gap(origin, held.get(origin, 0), first)
        for origin, first in sorted(firsts.items())
        if first > held.get(origin, 0) + 1
    ]


def merge_known(known: Mapping[str, int], other: Mapping[str, int]) -> dict[str, int]:
    """Knowledge put together: the later of the two for every site."""
    merged = dict(known)
    for site, seq in other.items():
        if seq > merged.get(site, 0):
            merged[site] = seq
    return merged
