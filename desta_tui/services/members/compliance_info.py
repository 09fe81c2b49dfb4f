"""ComplianceInfo: one compliance paper as lists (and the dashboard's papers due) show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desta_tui.domain.paper_states import state_words


@dataclass(frozen=True)
class ComplianceInfo:
    """One compliance paper, judged on a day: its state (domain.compliance) and days left."""

    uuid: str
    organisation_uuid: str
    organisation_name: str
    kind: str
    kind_label: str
    reference: str
    checked_on: date | None
    expires_on: date | None
    notes: str
    state: str
    days_left: int | None
    is_archived: bool

    @property
    def state_text(self) -> str:
        return state_words(self.state, self.days_left)
