"""A compliance paper's state and its words, and the renewal rule (which paper of a kind is
current): the rules domain.compliance gives with the gaps, the summary and a paper's checks.

The dashboard and the expiring list judge papers with these alone; domain.compliance gives every
name here too, and its docstring tells the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple, Protocol, TypeVar

from desta_tui.domain.choices import COMPLIANCE_KINDS

# A paper's state, as words so they read without colour.
OK = "ok"
EXPIRING = "expiring"
EXPIRED = "expired"
MISSING = "missing"
NONE = "none"
RENEWED = "renewed"
"""A paper another paper of the same kind has superseded: its own expiry no longer counts."""

DEFAULT_WARNING_DAYS = 60
"""How many days ahead a paper counts as expiring when Settings say nothing usable."""

STANDALONE_KINDS = frozenset({"other"})
"""Kinds whose papers are each their own thing: none renews another."""


class Paper(NamedTuple):
    """A compliance paper as plain values; `ref` is the caller's own handle (a UUID, a row)."""

    kind: str
    expires_on: date | None = None
    checked_on: date | None = None
    created_at: Any = None
    ref: Any = None


class PaperLike(Protocol):
    kind: str
    expires_on: date | None


P = TypeVar("P", bound=PaperLike)


# --- the warning window ---------------------------------------------------------------------


def parse_warning_days(value: Any, default: int = DEFAULT_WARNING_DAYS) -> int:
    """The "compliance_warning_days" setting as a whole number of days (0 or more); a missing,
    negative or unreadable value gives `default`."""
    if isinstance(value, bool):
        return default
    try:
        days = int(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError, OverflowError):
        return default
    return days if days >= 0 else default


# --- one paper ------------------------------------------------------------------------------


def paper_state(expires_on: date | None, on: date, warning_days: int) -> tuple[str, int | None]:
    """(state, days left) of one paper on `on`: EXPIRED (days left below 0), EXPIRING (0 to
    `warning_days` days left, so a paper expiring today is still valid today) or OK; a paper
    with no expiry date is OK with None days left."""
    if expires_on is None:
        return OK, None
    days = (expires_on - on).days
    if days < 0:
        return EXPIRED, days
    if days <= warning_days:
        return EXPIRING, days
    return OK, days


def state_words(state: str, days_left: int | None) -> str:
    """The state as a person reads it: "expired 16 days ago", "expired today", "expiring
    today", "expiring in 12 days"; other states are their own word ("ok", "renewed", ...)."""
    if state == EXPIRED and days_left is not None:
        ago = -days_left
        return "expired today" if ago == 0 else f"expired {ago} day{'s' * (ago != 1)} ago"
    if state == EXPIRING and days_left is not None:
        if days_left == 0:
            return "expiring today"
        return f"expiring in {days_left} day{'s' * (days_left != 1)}"
    return state


def kind_in_sentence(kind: str) -> str:
    """The kind's label for the middle of a sentence: "quality mark", but "DBS check"."""
    label = COMPLIANCE_KINDS.label(kind)
    if len(label) > 1 and label[1].isupper():  # an acronym keeps its capitals
        return label
    return label[:1].lower() + label[1:]


def paper_words(kind: str, state: str, days_left: int | None) -> str:
    """One paper in a few words: "Insurance expired 16 days ago", "DBS check expiring in 12
    days", "no quality mark on file" (MISSING), "Insurance ok"."""
    if state == MISSING:
        return f"no {kind_in_sentence(kind)} on file"
    return f"{COMPLIANCE_KINDS.label(kind)} {state_words(state, days_left)}"


# --- several papers: the renewal rule -------------------------------------------------------


def renewal_order(paper: PaperLike) -> tuple:
    """A sort key: of two papers of one kind, the one with the larger key renews the other
    (no expiry beats any date, then the later expiry, checked date and creation time)."""
    checked_on = getattr(paper, "checked_on", None)
    created_at = getattr(paper, "created_at", None)
    return (
        paper.expires_on is None,
        () if paper.expires_on is None else (paper.expires_on,),
        () if checked_on is None else (checked_on,),
        () if created_at is None else (created_at,),
    )


def _current_positions(papers: Sequence[PaperLike]) -> dict[str, int]:
    best: dict[str, int] = {}
    for position, paper in enumerate(papers):
        held = best.get(paper.kind)
        # ">=": on a full tie the paper given later (the newer record) wins
        if held is None or renewal_order(paper) >= renewal_order(papers[held]):
            best[paper.kind] = position
    return best


def current_papers(papers: Iterable[P]) -> dict[str, P]:
    """The current paper of each kind among one organisation's live papers (the renewal rule in
    the module docstring). Give the papers oldest record first, so a full tie goes to the newer.
    Kind "other" gets an entry too (its furthest-running paper); use `papers_in_force` to judge
    every paper."""
    papers = list(papers)
    return {kind: papers[position] for kind, position in _current_positions(papers).items()}


def papers_in_force(papers: Iterable[P]) -> list[P]:
    """One organisation's papers that still count, in the order given: the current paper of
    each kind, and every paper of a standalone kind ("other"). The rest are RENEWED."""
    papers = list(papers)
    if len({paper.kind for paper in papers}) == len(papers):
        # one paper a kind, the usual case (the members list summarises a page of
        # organisations a keystroke): nothing is superseded
        return papers
    in_force = _in_force_positions(papers)
    return [paper for position, paper in enumerate(papers) if position in in_force]


def _in_force_positions(papers: Sequence[PaperLike]) -> set[int]:
    current = set(_current_positions(papers).values())
    standalone = {n for n, paper in enumerate(papers) if paper.kind in STANDALONE_KINDS}
    return current | standalone


def judge_papers(
    papers: Iterable[P], on: date, warning_days: int
) -> list[tuple[P, str, int | None]]:
    """(paper, state, days left) for each of one organisation's papers, in the order given:
    superseded papers are RENEWED, the others as `paper_state` says."""
    papers = list(papers)
    in_force = _in_force_positions(papers)
    judged = []
    for position, paper in enumerate(papers):
        state, days = paper_state(paper.expires_on, on, warning_days)
        judged.append((paper, state if position in in_force else RENEWED, days))
    return judged


def papers_due(papers: Iterable[P], on: date, warning_days: int) -> list[tuple[P, str, int | None]]:
    """(paper, state, days left) for one organisation's papers in force that have EXPIRED or
    are EXPIRING within `warning_days`, in the order given: what an "expiring" list shows."""
    return [
        (paper, state, days)
        for paper, state, days in judge_papers(papers, on, warning_days)
        if state in (EXPIRED, EXPIRING)
    ]
