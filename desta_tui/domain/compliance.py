"""Compliance papers: which paper of a kind is current, its state, its words, and the gaps.

Every place that judges a paper (the members list and detail, the expiring view, the contract
gate, the dashboard, the reports) is meant to ask this module, so that a paper reads the same
everywhere; a paper's state, its words and the renewal rule live in domain.paper_states (given
here too), which the dashboard's start loads alone. The functions take plain values: a `Paper`
tuple, or any object with `kind` and `expires_on` (and, when it has them, `checked_on` and
`created_at`), never a database row type.

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
from typing import Any

from desta_tui.domain.choices import COMPLIANCE_KINDS, GATE_COMPLIANCE_KINDS
from desta_tui.domain.dates import parse_optional_uk_date
from desta_tui.domain.forms import Checks, text_of
from desta_tui.domain.paper_states import (  # noqa: F401  (these rules' names, from here too)
    DEFAULT_WARNING_DAYS,
    EXPIRED,
    EXPIRING,
    MISSING,
    NONE,
    OK,
    RENEWED,
    STANDALONE_KINDS,
    P,
    Paper,
    PaperLike,
    current_papers,
    judge_papers,
    kind_in_sentence,
    paper_state,
    paper_words,
    papers_due,
    papers_in_force,
    parse_warning_days,
    renewal_order,
    state_words,
)
from desta_tui.domain.validation import validate_choice

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
