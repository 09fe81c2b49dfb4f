"""Query pieces the parts of performance share: live returns, their targets, raw rows."""

from __future__ import annotations

from collections.abc import Sequence

from desta_tui.db.database import db
from desta_tui.db.models import MonthlyReturn, Target


def _live_returns(contract_id: int):
    return (MonthlyReturn.contract == contract_id) & MonthlyReturn.archived_at.is_null()


def _live_returns_of(contract_ids: Sequence[int]):
    return MonthlyReturn.contract.in_(contract_ids) & MonthlyReturn.archived_at.is_null()


def _target_join():
    # a target counts only for a month with a return (the rule in domain.metrics.sum_to_date)
    return (
        (Target.partner == MonthlyReturn.partner)
        & (Target.metric == MonthlyReturn.metric)
        & (Target.period == MonthlyReturn.period)
        & Target.archived_at.is_null()
    )


def _rows(query) -> list[tuple]:
    """A query's rows as the driver gives them: no per-value conversion, for long results of
    plain integers and text."""
    return db.execute_sql(*query.sql()).fetchall()
