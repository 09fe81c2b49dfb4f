"""Queries whose SQL each database reads its own way: same answers on SQLite and PostgreSQL."""

from __future__ import annotations

from desta_tui.services import tickets
from desta_tui.services.dashboard import dashboard_summary


def test_contract_values_by_stage_are_integer_pence(demo_db):
    # PostgreSQL sums a bigint column as numeric, which psycopg2 hands back as a Decimal
    summary = dashboard_summary()
    in_delivery = next(s for s in summary.contracts_by_stage if s.stage == "in_delivery")
    assert in_delivery.value_pence == 67_000_000 and type(in_delivery.value_pence) is int
    assert all(type(s.value_pence) is int for s in summary.contracts_by_stage)
    assert any(line.figure == "£670,000" for line in summary.lines)


def test_ticket_filter_choices_are_unique_and_sorted_by_name(demo_db):
    # PostgreSQL refuses SELECT DISTINCT ordered by an expression that is not selected
    providers = tickets.ticket_provider_choices()
    contracts = tickets.ticket_contract_choices()
    assert providers and contracts
    for choices in (providers, contracts):
        assert len({uuid for _name, uuid in choices}) == len(choices)
        names = [name for name, _uuid in choices]
        assert names == sorted(names, key=str.lower)
    assert "Expert Patient Service" in [title for title, _uuid in contracts]
