"""The bodies that meet, a meeting's statuses and title, the minutes lock and each body's default
quorum: what a list of meetings, the dashboard and the settings need of the meeting rules.

Apart from `meetings.py` (quorum, votes, declarations, risks) so that the start, which names the
next meeting, does not build those rules' classes; `meetings.py` gives these names too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desta_tui.domain.choices import Vocabulary
from desta_tui.domain.dates import format_uk_date

MEETING_BODIES = Vocabulary(
    ("smg", "Service Management Group"),
    ("board", "Board"),
    ("agm", "Annual general meeting"),
)
#: how a pack or a list names a body in a few letters
BODY_SHORT_NAMES = {"smg": "SMG", "board": "Board", "agm": "AGM"}

MEETING_STATUSES = Vocabulary(
    ("planned", "Planned"),
    ("papers_sent", "Papers sent"),
    ("held", "Held"),
    ("minutes_approved", "Minutes approved"),
)

#: the rule per body when Settings says nothing: half the voting members, at least three
DEFAULT_QUORUM_RULES: dict[str, dict[str, Any]] = {
    "smg": {"fraction": "1/2", "minimum": 3},
    "board": {"fraction": "1/2", "minimum": 3},
    "agm": {"fraction": "1/10", "minimum": 5},
}


def meeting_title(body: str, meeting_on: date, consortium_short: str = "") -> str:
    """`Desta SMG, 09/10/2012`."""
    name = BODY_SHORT_NAMES.get(body, body)
    who = f"{consortium_short} {name}" if consortium_short else name
    return f"{who}, {format_uk_date(meeting_on)}"


def is_locked(status: str) -> bool:
    """Approved minutes are the record: nothing of the meeting changes without a correction."""
    return status == "minutes_approved"
