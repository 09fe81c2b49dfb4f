"""Who is working and what day it is, as every service sees it."""

from __future__ import annotations

import getpass
import os
from datetime import date, datetime

from desta_tui.db.models.base import utc_now
from desta_tui.domain.dates import parse_uk_date

USER_ENV = "DESTA_USER"
TODAY_ENV = "DESTA_TODAY"


def current_user() -> str:
    """The name written in the audit log: Settings' user name, else DESTA_USER, else the login."""
    from desta_tui.services.settings import get_setting

    name = get_setting("user_name", "")
    if name:
        return str(name)
    if os.environ.get(USER_ENV):
        return os.environ[USER_ENV]
    try:
        return getpass.getuser()
    except Exception:  # no login name on some systems: still write the audit row
        return "unknown"


def today() -> date:
    """Today: DESTA_TODAY if set, else a demo database's own date, else the calendar's."""
    return _chosen_day() or date.today()


def now() -> datetime:
    """Now, UTC, naive, to the second: the stamp every service writes (`created_at`, audit
    `at`, locks, ticket activity).

    On a day set in place of the calendar's (DESTA_TODAY, or a demo database's own date) it is
    that day at the real time of day, so a stamp never falls on another day than `today()` says
    and stamps written one after another still run in order (but for a session that crosses
    midnight, when the time of day starts again from 00:00 on the same day).
    """
    stamp = utc_now()
    day = _chosen_day()
    return stamp if day is None else datetime.combine(day, stamp.time())


def _chosen_day() -> date | None:
    """The day set in place of the calendar's, or None to follow the calendar."""
    if os.environ.get(TODAY_ENV):
        return parse_uk_date(os.environ[TODAY_ENV], field=TODAY_ENV)
    from desta_tui.services.settings import get_setting

    as_of = get_setting("demo_as_of", None)
    return date.fromisoformat(as_of) if as_of else None
