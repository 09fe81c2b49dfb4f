"""The words a report prints for a compliance paper's expiry ("Expired", "Expires in 12 days").

One of the copies of the expiry rule (members' `paper_state` is another); it stays here, the
only one in reporting, until the rule has its home in `domain`.
"""

from __future__ import annotations

from datetime import date


def compliance_state(expires_on: date | None, warning_days: int, on: date) -> str:
    """ "Expired", "Expires today", "Expires in N days", "Current" or "No expiry date"."""
    if expires_on is None:
        return "No expiry date"
    days = (expires_on - on).days
    if days < 0:
        return "Expired"
    if days == 0:
        return "Expires today"
    if days <= warning_days:
        return f"Expires in {days} day{'s' if days != 1 else ''}"
    return "Current"
