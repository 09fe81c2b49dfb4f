"""Names that moved to lighter modules (so the start loads less) are still given by their old
modules, as the same objects."""

from __future__ import annotations

import importlib

import pytest

MOVED = [
    ("desta_tui.domain.periods", "desta_tui.domain.quarters",
     ("Quarter", "FinancialYear", "quarter_of", "financial_year_of", "parse_quarter",
      "parse_any_period")),
    ("desta_tui.services.performance.metrics", "desta_tui.services.performance.contract_choices",
     ("MetricInfo", "ContractChoice", "contract_metrics", "partner_choices",
      "performance_contracts")),
    ("desta_tui.services.tickets.ticket_row", "desta_tui.services.tickets.listing",
     ("TicketFilter", "StageCount")),
    ("desta_tui.services.tickets.listing", "desta_tui.services.tickets.overdue",
     ("overdue_tickets", "count_overdue_tickets")),
    ("desta_tui.services.contracts.choices", "desta_tui.services.contracts.contact_due",
     ("default_contact_interval_days",)),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "names"), MOVED, ids=[old for old, _n, _ in MOVED])
def test_the_old_module_gives_each_moved_name(old, new, names):
    old_module, new_module = importlib.import_module(old), importlib.import_module(new)
    for name in names:
        assert getattr(old_module, name) is getattr(new_module, name), name
    with pytest.raises(AttributeError):
        old_module.no_such_name  # noqa: B018
