"""Compliance papers: which paper of a kind is current, its state, its words, and the gaps.

Every place that judges a paper (the members list and detail, the expiring view, the contract
gate, the dashboard, the reports) is meant to ask this module, so that a paper reads the same
everywhere. The functions take plain values: a `Paper` tuple, or any object with `kind` and
`expires_on` (and, when it has them, `checked_on` and `created_at`), never a database row type.

The renewal rule: of several papers of one kind held by one organisation, the CURRENT one is the
one that runs furthest: no expiry date (open-ended) beats any date, a later expiry beats an
earlier one; on equal expiry the later `checked_on`, then the later `created_at`, then the one
given last wins. Every other paper of that kind is superseded ("renewed"): it no longer reports
expiring or expired. Papers of kind "other" hold different things each (a food hygiene
certificate, a lease), so they never supersede one another (see `papers_in_force`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, Protocol, TypeVar

from desta_tui.domain.choices import COMPLIANCE_KINDS, GATE_COMPLIANCE_KINDS
from desta_tui.domain.dates import parse_optional_uk_date
from desta_tui.domain.forms import Checks, text_of
from desta_tui.domain.validation import validate_choice

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


# --- an organisation's papers together ------------------------------------------------------


@dataclass(frozen=True)
class PaperGap:
    """A required paper that is missing, expired or expiring (the contract gate's findings)."""

    kind: str
    state: str
    """MISSING, EXPIRED or EXPIRING."""
    expires_on: date | None
    """The current paper's expiry; None when the paper is missing."""
    days_left: int | None

    @property
    def blocks(self) -> bool:
        """Whether the gap stops a partner carrying contract risk (missing or expired)."""
        return self.state in (MISSING, EXPIRED)

    @property
    def text(self) -> str:
        return paper_words(self.kind, self.state, self.days_left)


def compliance_gaps(
    required_kinds: Iterable[str],
    current: Mapping[str, PaperLike],
    on: date,
    warning_days: int,
) -> list[PaperGap]:
    """What is wrong with the `required_kinds` papers (in that order) on `on`, given the current
    paper of each kind (`current_papers`): missing, expired, or expiring within
    `warning_days`. The gate refuses on the gaps that `.blocks`; the others are warnings."""
    gaps = []
    for kind in required_kinds:
        paper = current.get(kind)
        if paper is None:
            gaps.append(PaperGap(kind, MISSING, None, None))
            continue
        state, days = paper_state(paper.expires_on, on, warning_days)
        if state in (EXPIRED, EXPIRING):
            gaps.append(PaperGap(kind, state, paper.expires_on, days))
    return gaps


@dataclass(frozen=True)
class ComplianceSummary:
    """An organisation's papers judged together: the worst state, and the gate kinds missing."""

    state: str
    detail: str
    missing_kinds: list[str]


def summarise_papers(
    papers: Iterable[PaperLike],
    *,
    is_member: bool,
    on: date,
    warning_days: int,
    required_kinds: Sequence[str] = GATE_COMPLIANCE_KINDS,
) -> ComplianceSummary:
    """The worst of an organisation's papers in force: expired, then expiring, then missing,
    then ok (soonest first within a state). A member without one of the `required_kinds` is
    MISSING it; an organisation that is not a member and has no papers is NONE (nothing is
    asked of it). Superseded papers do not count."""
    papers = list(papers)
    expired, expiring = [], []
    for paper in papers_in_force(papers):
        state, days = paper_state(paper.expires_on, on, warning_days)
        if state == EXPIRED:
            expired.append((days, paper.kind))
        elif state == EXPIRING:
            expiring.append((days, paper.kind))
    held = {paper.kind for paper in papers}
    missing = [kind for kind in required_kinds if kind not in held] if is_member else []
    for state, found in ((EXPIRED, expired), (EXPIRING, expiring)):
        if found:
            days, kind = min(found)
            return ComplianceSummary(state, paper_words(kind, state, days), missing)
    if missing:
        words = ", ".join(kind_in_sentence(kind) for kind in missing)
        return ComplianceSummary(MISSING, f"no {words} on file", missing)
    if papers:
        return ComplianceSummary(OK, "all papers in date", [])
    return ComplianceSummary(NONE, "no papers on file", [])


# --- what a person types for one paper ------------------------------------------------------

PAPER_FIELDS = ("kind", "reference", "checked_on", "expires_on", "notes")


def validate_paper(values: Mapping[str, Any], *, on: date, partial: bool = False) -> dict[str, Any]:
    """Check one compliance paper's raw values (text as typed, or dates) and return them tidy.

    `values` may hold "kind" (a code or label, required), "reference", "checked_on" and
    "expires_on" (UK dates; blank is none), "notes". `on` is today (the checked date cannot be
    after it; "today" typed means it). Raises FormError naming every bad field at once.
    With `partial`, only the fields present in `values` are checked and returned (an import
    that updates some columns). The form and the importer both call this.
    """
    checks = Checks()
    clean: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return not partial or name in values

    if wanted("kind"):
        kind = text_of(values, "kind")
        clean["kind"] = checks.run(validate_choice, kind, COMPLIANCE_KINDS, "kind")
    if wanted("reference"):
        clean["reference"] = text_of(values, "reference")
    for name in ("checked_on", "expires_on"):
        if wanted(name):
            clean[name] = checks.run(parse_optional_uk_date, text_of(values, name), name, on)
    checked_on, expires_on = clean.get("checked_on"), clean.get("expires_on")
    if checked_on and checked_on > on:
        checks.add("checked_on", "the date it was checked cannot be in the future")
    if checked_on and expires_on and expires_on < checked_on:
        checks.add("expires_on", "it cannot expire before the date it was checked")
    if wanted("notes"):
        clean["notes"] = text_of(values, "notes")
    checks.raise_if_any()
    return clean
