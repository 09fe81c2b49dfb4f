"""Settings kept in the database: user name, hub name, RAG thresholds, due days and the like."""

from __future__ import annotations

import json
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import AuditLog, Setting
from desta_tui.domain.meeting_bodies import DEFAULT_QUORUM_RULES
from desta_tui.domain.paper_states import parse_warning_days

DEFAULTS: dict[str, Any] = {
    "user_name": "",
    "hub_name": "",
    "rag_green_at": "0.95",
    "rag_amber_at": "0.80",
    "ticket_due_days": {"low": 56, "normal": 28, "high": 14, "urgent": 5},
    "commissioner_contact_days": 14,
    "compliance_warning_days": 60,
    "backups_to_keep": 7,
    "is_demo": False,
    "demo_as_of": None,
    # per body ("smg", "board", "agm"): a share of the voting members and/or a minimum number
    "quorum_rule": DEFAULT_QUORUM_RULES,
    # on equal votes the chair decides; without a casting vote the motion is not carried
    "chair_has_casting_vote": False,
}

_cache: dict[str, Any] | None = None
_cache_owner: object | None = None


def _load() -> dict[str, Any]:
    global _cache, _cache_owner
    # the cache belongs to one open database: a new one (tests, restore) reloads it
    if _cache is None or _cache_owner is not db.obj:
        _cache = {row.key: json.loads(row.value) for row in Setting.select()}
        _cache_owner = db.obj
    return _cache


def forget_cached_settings() -> None:
    global _cache
    _cache = None


_MISSING = object()


def get_setting(key: str, default: Any = _MISSING) -> Any:
    """A setting's value: saved, else the caller's default, else the product default."""
    values = _load()
    if key in values:
        return values[key]
    return DEFAULTS.get(key) if default is _MISSING else default


def compliance_warning_days() -> int:
    """How many days ahead a compliance paper counts as expiring (60 unless Settings say a
    usable number): the one reading of the setting, for every place that judges papers."""
    return parse_warning_days(get_setting("compliance_warning_days"))


def all_settings() -> dict[str, Any]:
    return {**DEFAULTS, **_load()}


def set_setting(key: str, value: Any, *, audit: bool = True) -> None:
    """Save one setting, logging old -> new."""
    from desta_tui.services.context import current_user, now

    old = get_setting(key)
    encoded = json.dumps(value)
    with db.atomic():
        stamp = now()
        updated = (
            Setting.update(value=encoded, updated_at=stamp).where(Setting.key == key).execute()
        )
        if not updated:
            Setting.create(key=key, value=encoded, updated_at=stamp)
        if audit and old != value:
            AuditLog.create(
                at=stamp,
                who=current_user() if key != "user_name" else (value or "unknown"),
                table_name="setting",
                record_uuid=f"setting:{key}",
                record_label=key,
                action="update",
                field=key,
                old_value=None if old is None else json.dumps(old),
                new_value=json.dumps(value),
            )
    forget_cached_settings()
