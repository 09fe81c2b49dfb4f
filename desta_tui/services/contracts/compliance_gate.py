"""The compliance gate: the papers a partner needs on file, judged by domain.compliance.

A partner's gate papers are its current papers of the gate's kinds (a renewal supersedes the
paper it renews), so the gate, the members screens and the reports say the same of a paper.
"""

from __future__ import annotations

from datetime import date

from desta_tui.db.models import Organisation
from desta_tui.domain.choices import GATE_COMPLIANCE_KINDS
from desta_tui.domain.compliance import Paper, PaperGap, current_papers
from desta_tui.domain.compliance import compliance_gaps as judge_gaps
from desta_tui.services.context import today
from desta_tui.services.members import papers_of
from desta_tui.services.settings import compliance_warning_days


def gate_papers(
    organisation: Organisation,
    on: date | None = None,
    within_days: int | None = None,
    *,
    papers: list[Paper] | None = None,
) -> list[PaperGap]:
    """What is wrong with the organisation's gate papers on `on` (today): missing, expired,
    or expiring within `within_days` (Settings' warning days), in the gate's kind order.
    `papers` are its live papers when already read (`papers_of` reads many at once)."""
    if papers is None:
        papers = papers_of([organisation.id]).get(organisation.id, [])
    within = compliance_warning_days() if within_days is None else within_days
    return judge_gaps(GATE_COMPLIANCE_KINDS, current_papers(papers), on or today(), within)


def compliance_gaps(organisation: Organisation, on: date | None = None) -> list[PaperGap]:
    """The gate's papers this organisation lacks, or holds only expired, on `on` (today): the
    gaps that stop it carrying contract risk without an override."""
    return [gap for gap in gate_papers(organisation, on) if gap.blocks]


def papers_expiring(
    organisation: Organisation, on: date | None = None, within_days: int | None = None
) -> list[PaperGap]:
    """Gate papers still valid on `on` that run out within the warning days (Settings)."""
    return [gap for gap in gate_papers(organisation, on, within_days) if not gap.blocks]
