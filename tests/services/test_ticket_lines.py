"""Tickets as printed: their metrics, events and actions read by the tickets' ids, given once."""

from __future__ import annotations

from desta_tui.db.database import db
from desta_tui.services.reporting.tickets_report import ticket_lines, ticket_rows
from desta_tui.services.tickets import get_ticket


def test_the_tickets_ids_are_not_bound_again_for_each_query(demo_db, monkeypatch):
    """A pack's 250 open tickets were 250 bound values built for each of four queries (most of
    the reading's time): the ids are given as one written list, the uuids alone bound."""
    rows = ticket_rows(only_open=False)
    assert len(rows) >= 2
    bound = []
    database = db.obj  # the proxy's own database: a proxy takes no attributes
    execute = database.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        bound.append(len(params or ()))
        return execute(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", counting)
    ticket_lines(rows)
    monkeypatch.undo()
    assert sum(bound) == len(rows), bound


def test_each_line_is_its_ticket_as_the_ticket_screen_reads_it(demo_db):
    rows = ticket_rows(only_open=False)
    lines = ticket_lines(rows)
    assert any(line.events for line in lines) and any(line.actions for line in lines)
    assert any(line.metrics for line in lines)
    for line in lines:
        ticket = get_ticket(line.row.uuid)
        assert line.metrics == tuple(ticket.metrics)
        assert line.events == tuple(ticket.events)
        # the same actions; a printed ticket has them soonest due first
        assert sorted(line.actions, key=str) == sorted(ticket.actions, key=str)
