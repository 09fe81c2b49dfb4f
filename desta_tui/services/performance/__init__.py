"""Targets, monthly returns, period locks and trajectory RAG per partner, metric and contract.

How "target to date" treats a missing return: a month a partner has not returned counts
neither its actual nor its target (see `desta_tui.domain.metrics.sum_to_date`), so a late return
makes a partner look neither better nor worse than the months it did report; the missing return
is listed on its own (`missing_returns`) and the dashboard shows it.

What a valid return is lives in `desta_tui.domain.returns`; this package reads and writes them:
`thresholds` (RAG settings), `metrics` (the contracts, metrics and partners counted),
`contract_choices` (those a person picks from: the contracts with returns, a contract's
metrics and partners), `months` (months to key, latest returned, missing returns), `sums` and
`figures` (figures to date and their RAG), `exceptions` (the red and amber ones, worst first),
`drilldown` (the returns behind a figure), `trajectory` (a metric month by month since the
start, for charts), `figure_notes` (exception notes: why a figure no ticket covers is behind),
`returns` (the returns grid and period locks) and `targets` (targets set in bulk). Import from
the package, not its modules: each is imported when one of its names is first used
(desta_tui/lazy.py).
"""

from __future__ import annotations

from desta_tui.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "desta_tui.domain.metrics": ("format_figure",),
        ".drilldown": (
            "Correction",
            "ReturnLine",
            "figure_returns",
        ),
        ".figure_notes": (
            "ExceptionNoteView",
            "exception_notes",
            "note_exception",
        ),
        ".exceptions": (
            "WorstFigures",
            "performance_exceptions",
            "worst_exceptions",
        ),
        ".figures": (
            "ALL_PARTNERS",
            "SPARKLINE_MONTHS",
            "ContractPerformance",
            "FigureRow",
            "contract_performance",
            "contracts_performance",
            "describe_figure",
            "partner_statuses",
        ),
        ".contract_choices": (
            "ContractChoice",
            "MetricInfo",
            "contract_metrics",
            "partner_choices",
            "performance_contracts",
        ),
        ".metrics": (
            "RETURNING_ROLES",
            "CountedContracts",
            "contracts_in_delivery",
            "counted_contracts",
        ),
        ".months": (
            "contract_months",
            "default_month",
            "latest_returned_period",
            "missing_returns",
            "missing_returns_by_contract",
        ),
        ".returns": (
            "GridRow",
            "LockInfo",
            "ReturnsMonth",
            "SaveResult",
            "cell_field",
            "check_grid",
            "load_returns_grid",
            "lock_period",
            "save_returns",
        ),
        ".targets": (
            "TargetsResult",
            "set_targets",
        ),
        ".thresholds": (
            "rag_thresholds",
            "set_rag_thresholds",
        ),
        ".trajectory": (
            "ContractTrajectories",
            "Trajectory",
            "contract_trajectories",
            "contracts_trajectories",
        ),
    },
)
