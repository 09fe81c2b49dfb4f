"""Offline sites: a change log, bundle files between sites, merges, and conflicts for a person.

The public names are imported when first used (`from desta_tui.services.sync import
list_conflicts`): the change log is imported by services/audit.py, which the rest of this
package uses in turn.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {
    # site identity
    "SiteInfo": "identity",
    "site_info": "identity",
    "set_site_name": "identity",
    "set_ticket_prefix": "identity",
    "site_ticket_prefix": "identity",
    # bundles
    "export_bundle": "bundles",
    "import_bundle": "bundles",
    "describe_bundle": "bundles",
    "is_full_bundle": "bundles",
    "ExportResult": "bundles",
    "ImportReport": "bundles",
    "BundleSummary": "bundles",
    # conflicts, for the Conflicts screen and the dashboard
    "ConflictView": "conflicts",
    "ConflictSide": "conflicts",
    "list_conflicts": "conflicts",
    "conflict_count": "open_conflicts",
    "get_conflict": "conflicts",
    "resolve_conflict": "conflicts",
    # what two sites compare to know they agree
    "content_hash": "content",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
