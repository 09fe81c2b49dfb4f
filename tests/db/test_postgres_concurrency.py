"""Desks saving at once on a PostgreSQL server: each read-then-write runs alone, as on SQLite."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from desta_tui.db.database import (
    SCOPE_LOCK_CLASS,
    WRITE_LOCK_KEY,
    close_database,
    db,
    open_database,
    scope_lock_key,
)
from desta_tui.db.models import Contract, ContractPartner, Organisation
from desta_tui.domain.errors import DatabaseBusyError
from desta_tui.domain.periods import Period
from desta_tui.services.contracts.partners import add_partner
from desta_tui.services.performance import returns
from desta_tui.services.performance.returns import SaveResult, returns_scope, save_returns
from tests.cli.helpers import desta
from tests.db.test_concurrency import WRITER, env, organisations_csv
from tests.postgres import demo_database_url, fresh_database_url, postgres_wanted, query

pytestmark = pytest.mark.skipif(not postgres_wanted(), reason="DESTA_TEST_POSTGRES=0")


def _notes_and_names(url: str) -> list[tuple[str, str]]:
    open_database(url)
    try:
        return list(db.execute_sql("SELECT name, notes FROM organisation ORDER BY id").fetchall())
    finally:
        close_database()


def test_read_then_write_transactions_never_interleave():
    url = fresh_database_url()
    open_database(url)  # the schema, before the desks race for it
    close_database()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, tag, "60"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env())
        for tag in ("alpha", "beta", "gamma")
    ]  # fmt: skip
    for writer in writers:
        out, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, err
        assert out.count("COMMITTED") == 60
    rows = _notes_and_names(url)
    assert len(rows) == 180
    # each transaction counted the rows, then added one: had two run side by side, both would
    # have seen the same count
    seen = sorted(int(notes.removeprefix("saw ")) for _name, notes in rows)
    assert seen == list(range(180))


def test_a_desk_held_up_past_the_timeout_gets_one_clear_line(tmp_path):
    import psycopg2

    url = fresh_database_url()
    open_database(url)
    close_database()
    path = organisations_csv(tmp_path / "a.csv", "Gamma Trust", 5)
    holder = psycopg2.connect(url)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        result = desta("import", "organisations", str(path), "--db", url,
                       env={"DESTA_BUSY_TIMEOUT_MS": "400"})  # fmt: skip
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "busy" in lines[0] and "Traceback" not in result.stderr, lines
    # it waited the timeout it was given, and says so
    assert "another desk has been saving for 0.4 seconds" in lines[0], lines
    assert not any(name.startswith("Gamma") for name, _notes in _notes_and_names(url))


OCTOBER = Period(2012, 10)
FIRST_FIGURES = {"enrolments": "9", "completions": "7", "bme_recruited": "2",
                 "bme_retained": "2", "deprived_wards": "3"}  # fmt: skip
SECOND_FIGURES = {"enrolments": "10", "completions": "8", "bme_recruited": "3",
                  "bme_retained": "3", "deprived_wards": "4"}  # fmt: skip


def _partner_uuid(contract_title: str, organisation_name: str) -> str:
    return (
        ContractPartner.select(ContractPartner.uuid)
        .join(Organisation)
        .switch(ContractPartner)
        .join(Contract)
        .where((Contract.title == contract_title) & (Organisation.name == organisation_name))
        .scalar()
    )


def _advisory_waiters(url: str) -> list[tuple[int, int]]:
    """(first key, second key) of each advisory lock a desk is waiting for."""
    return query(url, "SELECT classid::bigint, objid::bigint FROM pg_locks "
                      "WHERE locktype = 'advisory' AND NOT granted")  # fmt: skip


def test_desks_on_other_contracts_save_at_once_and_one_month_takes_turns(monkeypatch):
    url = demo_database_url()
    open_database(url)
    eps = Contract.get(Contract.title == "Expert Patient Service")
    other = Contract.get(Contract.title == "Adult Social Care Prevention Services")
    white_city = Organisation.get(Organisation.name == "White City Health Circle")
    add_partner(other.uuid, {"organisation": white_city.uuid, "role": "delivery",
                             "allocated_value": "1000"}, override_reason="the test's")  # fmt: skip
    church = _partner_uuid(eps.title, "Church Street Neighbourhood Trust")
    other_partner = _partner_uuid(other.title, white_city.name)

    # the first desk stops in the middle of its save, its checks done and nothing written yet
    inside, carry_on = threading.Event(), threading.Event()
    checked = returns._later_months

    def held_up(grid, typed):
        if threading.current_thread().name == "first desk":
            inside.set()
            carry_on.wait(timeout=120)
        return checked(grid, typed)

    monkeypatch.setattr(returns, "_later_months", held_up)
    outcomes: dict[str, object] = {}

    def desk(figures: dict[str, str]) -> None:
        try:
            outcomes[threading.current_thread().name] = save_returns(
                eps.uuid, OCTOBER, {church: figures}
            )
        except Exception as error:  # the test looks at it below
            outcomes[threading.current_thread().name] = error
        finally:
            db.close()  # this thread's own connection

    first = threading.Thread(target=desk, args=(FIRST_FIGURES,), name="first desk")
    same_month = threading.Thread(target=desk, args=(SECOND_FIGURES,), name="same month desk")
    try:
        first.start()
        assert inside.wait(timeout=120), outcomes
        same_month.start()
        # the second desk on October of the same contract waits for the first: on the lock of
        # that contract's returns, not on the one every desk shares
        scope = scope_lock_key(returns_scope(eps.uuid)) % 2**32
        for _ in range(600):
            if (SCOPE_LOCK_CLASS, scope) in _advisory_waiters(url) or not same_month.is_alive():
                break
            time.sleep(0.05)
        assert _advisory_waiters(url) == [(SCOPE_LOCK_CLASS, scope)], outcomes
        # a desk on another contract saves at once, though two saves on the first are open
        saved = save_returns(other.uuid, OCTOBER, {other_partner: FIRST_FIGURES})
        assert saved.created == 5
        assert first.is_alive() and same_month.is_alive()
    finally:
        carry_on.set()
        first.join(timeout=120)
        same_month.join(timeout=120)
    first_saved, second_saved = outcomes["first desk"], outcomes["same month desk"]
    assert isinstance(first_saved, SaveResult) and first_saved.created == 5, first_saved
    # the second desk read the month after the first had saved it: it changed those figures
    # rather than creating them again or writing over them unseen
    assert isinstance(second_saved, SaveResult), second_saved
    assert (second_saved.created, second_saved.changed) == (0, 5)
    history = query(
        url,
        "SELECT m.code, a.action, a.old_value, a.new_value FROM audit_log a "
        "JOIN monthly_return r ON r.uuid = a.record_uuid JOIN metric m ON m.id = r.metric_id "
        "WHERE r.partner_id = (SELECT id FROM contract_partner WHERE uuid = %s) "
        "AND r.period = %s AND a.field = 'value' ORDER BY m.code, a.id",
        (church, OCTOBER.key),
    )
    assert history == [
        row
        for code in sorted(FIRST_FIGURES)
        for row in [(code, "create", None, FIRST_FIGURES[code]),
                    (code, "update", FIRST_FIGURES[code], SECOND_FIGURES[code])]
    ]  # fmt: skip
    close_database()


def test_a_plain_transaction_still_waits_for_a_scoped_one_and_the_other_way_round(monkeypatch):
    import psycopg2

    from desta_tui.db import preflight

    monkeypatch.setattr(preflight, "BUSY_TIMEOUT_MS", 300)  # each wait gives up sooner
    url = fresh_database_url()
    open_database(url)
    scoped = psycopg2.connect(url)  # a desk in the middle of saving a contract's returns
    try:
        with scoped.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", (WRITE_LOCK_KEY,))
        # a plain transaction needs every desk stopped: it waits, and gives up busy
        with pytest.raises(DatabaseBusyError), db.atomic():
            pass
        scoped.rollback()
        with scoped.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        # while a plain transaction runs, a scoped one waits for it too
        with pytest.raises(DatabaseBusyError), db.atomic_for("returns of contract x"):
            pass
    finally:
        scoped.rollback()
        scoped.close()
    with db.atomic_for("returns of contract x"):
        # inside a scoped save, code that needs the plain lock is a mistake, said at once
        with pytest.raises(RuntimeError, match="atomic_for"), db.atomic():
            pass
        with pytest.raises(RuntimeError, match="name them all"), db.atomic_for("another"):
            pass
    close_database()
