"""One rule for the months due: the performance service, the returns grid, the dashboard and
the SMG pack name the same missing returns for the same month, on any day."""

from __future__ import annotations

import pytest

from desta_tui.db.models import Contract, PeriodLock
from desta_tui.domain.errors import ValidationError
from desta_tui.domain.periods import Period
from desta_tui.services import contracts
from desta_tui.services import performance as perf
from desta_tui.services.context import today
from desta_tui.services.dashboard import dashboard_summary
from desta_tui.services.reporting.consortium import default_pack_period
from desta_tui.services.reporting.smg_pack import smg_pack

EPS = "Expert Patient Service"
CHURCH = "Church Street Neighbourhood Trust"
PADDINGTON = "Paddington Befriending Scheme"
SEP, OCT, NOV = Period(2012, 9), Period(2012, 10), Period(2012, 11)


@pytest.fixture
def eps(demo_db) -> str:
    return Contract.get(Contract.title == EPS).uuid


def every_answer(contract_uuid: str, period: Period) -> dict[str, list[str]]:
    """The missing returns of `period` as each part of the app tells them."""
    answers = {
        "performance": perf.missing_returns(contract_uuid, period),
        "by contract": perf.missing_returns_by_contract([contract_uuid], period)[contract_uuid],
        "returns grid": list(perf.load_returns_grid(contract_uuid, period).missing),
        "figures": perf.contract_performance(contract_uuid, period).missing,
        "SMG pack": _pack_missing(period),
    }
    summary = dashboard_summary()
    if summary.last_month == period:  # the dashboard speaks of the last month ended only
        answers["dashboard"] = sorted(
            line.text.split(": no ")[0]
            for line in summary.lines
            if line.area == "Return missing" and line.opens == ("month", contract_uuid, period.key)
        )
    return answers


def _pack_missing(period: Period) -> list[str]:
    pack = smg_pack(None, period)
    lines = [line for line in pack.missing_returns if line.contract_title == EPS]
    assert all(line.period == period for line in lines)
    section = next(section for section in pack.contracts if section.contract.title == EPS)
    assert list(section.missing_returns) == [line.organisation_name for line in lines]
    return [line.organisation_name for line in lines]


def agreed(answers: dict[str, list[str]]) -> list[str]:
    first = next(iter(answers.values()))
    assert all(sorted(names) == sorted(first) for names in answers.values()), answers
    return sorted(first)


def test_november_is_not_due_on_the_demos_today_anywhere(eps):
    assert today().isoformat() == "2012-11-05"
    answers = every_answer(eps, NOV)
    assert "dashboard" not in answers  # the dashboard's month is October
    assert agreed(answers) == []
    # and the months offered for keying stop at October: "no returns are due for November"
    assert perf.contract_months(eps)[0] == OCT
    assert default_pack_period() == OCT
    assert dashboard_summary().last_month == OCT


def test_october_missing_is_the_same_everywhere(eps):
    answers = every_answer(eps, OCT)
    assert "dashboard" in answers
    assert agreed(answers) == [CHURCH]
    assert agreed(every_answer(eps, SEP)) == []


def test_once_november_has_ended_all_eight_are_missing_everywhere(eps, monkeypatch):
    monkeypatch.setenv("DESTA_TODAY", "03/12/2012")
    answers = every_answer(eps, NOV)
    assert "dashboard" in answers
    missing = agreed(answers)
    assert len(missing) == 8 and CHURCH in missing
    assert perf.contract_months(eps)[0] == NOV


def test_november_cannot_be_locked_before_it_ends(eps):
    with pytest.raises(ValidationError, match="before it has ended"):
        perf.lock_period(eps, NOV)


def test_a_partner_added_today_owes_no_past_month(eps, monkeypatch):
    values = {"organisation": _org(PADDINGTON), "role": "delivery", "allocated_value": "£10,000",
              "boroughs": "Westminster", "starts_on": "today"}  # fmt: skip
    row = contracts.add_partner(eps, values)
    assert row.starts_on == today() and row.term_text == "from 05/11/2012"
    for period in (SEP, OCT):  # September is locked, October open
        assert PADDINGTON not in agreed(every_answer(eps, period))
    assert PeriodLock.select().where(PeriodLock.period == SEP.key).exists()
    # its first month falls due once it has ended
    monkeypatch.setenv("DESTA_TODAY", "03/12/2012")
    assert PADDINGTON in agreed(every_answer(eps, NOV))
    assert PADDINGTON not in agreed(every_answer(eps, OCT))


def test_a_partner_added_with_no_dates_follows_the_contract(eps):
    values = {"organisation": _org(PADDINGTON), "role": "delivery", "allocated_value": "£10,000",
              "boroughs": "Westminster"}  # fmt: skip
    row = contracts.add_partner(eps, values)
    assert row.starts_on is None and row.term_starts_on == contracts.get_contract(eps).starts_on
    assert PADDINGTON in agreed(every_answer(eps, OCT))


def test_a_partner_whose_end_has_passed_owes_no_later_month(eps, monkeypatch):
    church = next(p for p in contracts.list_partners(eps) if p.organisation_name == CHURCH)
    contracts.update_partner(
        church.uuid,
        {"role": "delivery", "allocated_value": "£55,000", "boroughs": "Westminster",
         "ends_on": "30/09/2012", "notes": ""},
    )  # fmt: skip
    assert agreed(every_answer(eps, OCT)) == []
    monkeypatch.setenv("DESTA_TODAY", "03/12/2012")
    missing = agreed(every_answer(eps, NOV))
    assert len(missing) == 7 and CHURCH not in missing


def test_a_locked_month_stays_complete_for_a_partner_that_started_later(eps):
    perf.save_returns(eps, OCT, {_partner(eps, CHURCH): {"enrolments": "9"}})
    perf.lock_period(eps, OCT)
    contracts.add_partner(
        eps,
        {"organisation": _org(PADDINGTON), "role": "delivery", "allocated_value": "£10,000",
         "boroughs": "Westminster", "starts_on": "01/11/2012"},
    )  # fmt: skip
    for period in (SEP, OCT):
        assert agreed(every_answer(eps, period)) == []
        assert perf.load_returns_grid(eps, period).is_locked


def _org(name: str) -> str:
    from desta_tui.db.models import Organisation

    return Organisation.get(Organisation.name == name).uuid


def _partner(contract_uuid: str, name: str) -> str:
    return next(uuid for label, uuid in perf.partner_choices(contract_uuid) if label == name)
