"""bench.desks at its smallest: two desks, three saves each, on the tests' PostgreSQL server."""

from __future__ import annotations

import pytest

from bench import desks
from tests.postgres import demo_database_url, postgres_wanted, server

pytestmark = pytest.mark.skipif(not postgres_wanted(), reason="DESTA_TEST_POSTGRES=0")


def test_two_desks_save_three_times_each_and_nothing_is_lost():
    results = desks.run(desks=(2,), saves=3, pause_ms=0, server=server(), verbose=False)
    by_name = {result.name: result for result in results}
    assert set(by_name) == {
        "desks: 2 at once, p95 save",
        "desks: 2 at once, saves per second",
        "desks: saves lost, duplicated or refused",
    }
    checked = by_name["desks: saves lost, duplicated or refused"]
    # one desk alone, then two: nine saves, every one of them found once in the database
    assert (checked.figure, checked.baseline, checked.within_budget) == (0, 9, True)
    assert by_name["desks: 2 at once, saves per second"].figure > 0


def test_a_save_reported_but_not_in_the_database_is_counted_lost():
    url = demo_database_url()
    report = desks.DeskReport(0, notes=["A note no desk wrote"], tickets=["No such ticket"])
    lost, duplicated, problems = desks.check_writes(url, [report])
    assert (lost, duplicated) == (2, 0)
    assert problems == ["'No such ticket' not saved", "'A note no desk wrote' not saved"]
