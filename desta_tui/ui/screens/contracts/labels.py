"""Contracts written short for narrow columns: stage names, borough initials, days in words."""

from __future__ import annotations

from desta_tui.domain.choices import CONTRACT_STAGES

__all__ = ["borough_short", "days_text", "stage_short"]


def stage_short(code: str) -> str:
    """A stage's label short enough for a list column ("Dialogue" for the first stage)."""
    return "Dialogue" if code == "dialogue" else CONTRACT_STAGES.label(code)


def borough_short(name: str) -> str:
    """ "Hammersmith & Fulham" -> "H&F", as London officers write it; one-word names stay."""
    if "&" not in name:
        return name
    return "&".join(part.strip()[:1] for part in name.split("&"))


def days_text(days: int | None) -> str:
    """ "today", "1 day", "12 days"; blank for no date."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    return f"{days} day{'s' if days != 1 else ''}"
