"""The pipeline both packs print: contracts still being won, nearest tender deadline first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from desta_tui.services.contracts import ContractDetail

PIPELINE_STAGES = ("dialogue", "preparing_tender", "submitted", "awarded")
"""Stages before delivery: the contracts the hub is still winning."""


@dataclass(frozen=True)
class PipelineLine:
    contract: ContractDetail
    days_to_deadline: int | None
    """Days from the day printed to the tender deadline (negative: passed); None: no deadline."""


def pipeline_lines(contracts: Iterable[ContractDetail], on: date) -> list[PipelineLine]:
    """Those of `contracts` being won (dialogue to awarded): upcoming deadlines first, then
    passed ones, then contracts with no deadline yet."""
    lines = [
        PipelineLine(
            contract=c,
            days_to_deadline=(c.tender_deadline_on - on).days if c.tender_deadline_on else None,
        )
        for c in contracts
        if c.stage in PIPELINE_STAGES
    ]
    return sorted(
        lines,
        key=lambda p: (
            p.days_to_deadline is None,
            p.days_to_deadline is not None and p.days_to_deadline < 0,
            p.contract.tender_deadline_on or date.max,
            p.contract.title.casefold(),
        ),
    )
