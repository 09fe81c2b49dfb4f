"""Targets, monthly returns, period locks and trajectory RAG per partner, metric and contract.

How "target to date" treats a missing return: a month a partner has not returned counts
neither its actual nor its target (see `desta_tui.domain.metrics.sum_to_date`), so a late return
makes a partner look neither better nor worse than the months it did report; the missing return
is listed on its own (`missing_returns`) and the dashboard shows it.

What a valid return is lives in `desta_tui.domain.returns`; this package reads and writes them:
`thresholds` (RAG settings), `metrics` (the contracts, metrics and partners counted),
`months` (months to key, latest returned, missing returns), `sums` and `figures` (figures to
date and their RAG), `exceptions` (the red and amber ones, worst first), `drilldown` (the
returns behind a figure), `trajectory` (a metric month by month since the start, for charts),
`exception_notes` (why a figure no ticket covers is behind), `returns` (the returns grid and
period locks) and `targets` (targets set in bulk). Import from the package, not its modules.
"""

from desta_tui.domain.metrics import format_figure
from desta_tui.services.performance.drilldown import Correction, ReturnLine, figure_returns
from desta_tui.services.performance.exception_notes import (
    ExceptionNoteView,
    exception_notes,
    note_exception,
)
from desta_tui.services.performance.exceptions import (
    WorstFigures,
    performance_exceptions,
    worst_exceptions,
)
from desta_tui.services.performance.figures import (
    ALL_PARTNERS,
    SPARKLINE_MONTHS,
    ContractPerformance,
    FigureRow,
    contract_performance,
    contracts_performance,
    describe_figure,
    partner_statuses,
)
from desta_tui.services.performance.metrics import (
    RETURNING_ROLES,
    ContractChoice,
    MetricInfo,
    contract_metrics,
    contracts_in_delivery,
    partner_choices,
    performance_contracts,
)
from desta_tui.services.performance.months import (
    contract_months,
    default_month,
    latest_returned_period,
    missing_returns,
    missing_returns_by_contract,
)
from desta_tui.services.performance.returns import (
    GridRow,
    LockInfo,
    ReturnsMonth,
    SaveResult,
    cell_field,
    check_grid,
    load_returns_grid,
    lock_period,
    save_returns,
)
from desta_tui.services.performance.targets import TargetsResult, set_targets
from desta_tui.services.performance.thresholds import rag_thresholds, set_rag_thresholds
from desta_tui.services.performance.trajectory import (
    ContractTrajectories,
    Trajectory,
    contract_trajectories,
    contracts_trajectories,
)

__all__ = [
    "ALL_PARTNERS",
    "RETURNING_ROLES",
    "SPARKLINE_MONTHS",
    "ContractChoice",
    "ContractPerformance",
    "ContractTrajectories",
    "ExceptionNoteView",
    "Correction",
    "FigureRow",
    "GridRow",
    "LockInfo",
    "MetricInfo",
    "ReturnLine",
    "ReturnsMonth",
    "SaveResult",
    "TargetsResult",
    "Trajectory",
    "WorstFigures",
    "cell_field",
    "check_grid",
    "contract_metrics",
    "contract_months",
    "contract_performance",
    "contracts_performance",
    "contract_trajectories",
    "contracts_trajectories",
    "contracts_in_delivery",
    "default_month",
    "describe_figure",
    "exception_notes",
    "figure_returns",
    "format_figure",
    "latest_returned_period",
    "load_returns_grid",
    "lock_period",
    "missing_returns",
    "missing_returns_by_contract",
    "note_exception",
    "partner_statuses",
    "partner_choices",
    "performance_contracts",
    "performance_exceptions",
    "rag_thresholds",
    "save_returns",
    "set_rag_thresholds",
    "set_targets",
    "worst_exceptions",
]
