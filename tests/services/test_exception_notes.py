"""Exception notes (cause, action, owner, recovery date typed on a figure no ticket covers),
a metric's trajectory since a contract's first month, partners' statuses month by month."""

from __future__ import annotations

from datetime import date

import pytest

from desta_tui.db.models import AuditLog, ExceptionNote
from desta_tui.domain.errors import DestaError, FormError
from desta_tui.domain.periods import Period
from desta_tui.services.contracts import list_partners
from desta_tui.services.performance import (
    contract_performance,
    contract_trajectories,
    exception_notes,
    note_exception,
    partner_statuses,
)
from desta_tui.services.reporting.contract_record import find_contract

OCTOBER = Period(2012, 10)


@pytest.fixture
def eps(demo_db):
    return find_contract("Expert Patient Service")


def _partner(contract, start: str):
    return next(p for p in list_partners(contract.uuid) if p.organisation_name.startswith(start))


def test_a_note_is_saved_once_per_figure_and_month_with_its_history(eps):
    polish = _partner(eps, "Polish")
    values = {"cause": "Two courses ended late.", "action": "Count them in November",
              "owner": "Polish Social & Cultural Support", "recovery_on": "30/11/2012"}  # fmt: skip
    first = note_exception(eps.uuid, polish.uuid, "completions", "2012-10", values)
    assert (first.cause, first.owner, first.recovery_on) == (
        "Two courses ended late.",
        "Polish Social & Cultural Support",
        date(2012, 11, 30),
    )
    # typed again for the same figure and month: the same note, changed (by organisation uuid)
    again = note_exception(eps.uuid, polish.organisation_uuid, "completions", OCTOBER,
                           {**values, "recovery_on": "14/12/2012"})  # fmt: skip
    assert again.uuid == first.uuid and again.recovery_on == date(2012, 12, 14)
    assert ExceptionNote.select().count() == 1
    changed = AuditLog.select().where(AuditLog.record_uuid == first.uuid)
    assert {entry.action for entry in changed} == {"create", "update"}


def test_the_latest_note_to_the_month_stands(eps):
    polish = _partner(eps, "Polish")
    for month, cause in (("2012-08", "August"), ("2012-09", "September"), ("2012-11", "Later")):
        note_exception(eps.uuid, polish.uuid, "enrolments", month, {"cause": cause})
    found = exception_notes([eps.uuid], OCTOBER)
    assert found[(polish.uuid, "enrolments")].cause == "September"
    assert found[(polish.uuid, "enrolments")].period == Period(2012, 9)
    assert exception_notes([eps.uuid], Period(2012, 7)) == {}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "cause"),
        ({"cause": "x" * 601}, "cause"),
        ({"action": "Run a course"}, "owner"),
        ({"cause": "Late", "recovery_on": "30/09/2012"}, "recovery_on"),
        ({"cause": "Late", "recovery_on": "31/02/2012"}, "recovery_on"),
    ],
)
def test_a_note_that_says_nothing_useful_is_refused(eps, values, field):
    polish = _partner(eps, "Polish")
    with pytest.raises(FormError) as raised:
        note_exception(eps.uuid, polish.uuid, "completions", "2012-10", values)
    assert field in raised.value.errors
    assert ExceptionNote.select().count() == 0


def test_a_partner_or_metric_not_on_the_contract_is_a_sentence(eps):
    with pytest.raises(DestaError, match="That partner is not on Expert Patient Service"):
        note_exception(eps.uuid, "no-such-partner", "completions", "2012-10", {"cause": "x"})
    polish = _partner(eps, "Polish")
    with pytest.raises(DestaError, match="There is no metric 'nothing'"):
        note_exception(eps.uuid, polish.uuid, "nothing", "2012-10", {"cause": "x"})


def test_the_trajectory_adds_up_to_the_figures_to_date(eps):
    trajectory = contract_trajectories(eps.uuid, OCTOBER)
    assert trajectory.metric_code == "enrolments"
    assert trajectory.first_month == Period(2011, 10)
    assert trajectory.months[0] == Period(2011, 11) and trajectory.months[-1] == OCTOBER
    figures = contract_performance(eps.uuid, up_to=OCTOBER)
    to_date = {r.organisation_uuid: r.actual_to_date for r in figures.rows
               if r.metric_code == "enrolments"}  # fmt: skip
    for partner in trajectory.partners:
        assert partner.actual_total == to_date[partner.organisation_uuid], partner.name
        assert partner.cumulative_actuals[-1] in (partner.actual_total, None)
    church = next(p for p in trajectory.partners if p.name.startswith("Church Street"))
    assert church.actuals[-1] is None and church.cumulative_actuals[-1] is None  # not returned
    assert church.cumulative_targets[-1] == church.earlier_target + sum(church.targets)
    assert trajectory.total.actual_total == 859


def test_statuses_month_by_month_are_the_performance_views(eps):
    for month in (Period(2012, 8), OCTOBER):
        figures = contract_performance(eps.uuid, up_to=month)
        statuses = partner_statuses([eps.uuid], month)
        assert statuses == {(r.partner_uuid, r.metric_code): r.rag.rag for r in figures.rows}


def test_months_before_the_last_ones_are_summed_and_still_count(eps, monkeypatch):
    from desta_tui.services.performance import trajectory as module

    whole = contract_trajectories(eps.uuid, OCTOBER)
    monkeypatch.setattr(module, "TRAJECTORY_MONTHS", 6)
    recent = contract_trajectories(eps.uuid, OCTOBER)
    assert [m.key for m in recent.months] == [f"2012-{m:02d}" for m in range(5, 11)]
    assert recent.first_month == Period(2011, 10)
    for short, long in zip(recent.partners, whole.partners, strict=True):
        assert short.earlier_actual > 0
        assert short.actual_total == long.actual_total
        assert short.cumulative_actuals[-1] == long.cumulative_actuals[-1]
        assert short.cumulative_targets == long.cumulative_targets[-6:]


def test_trajectories_of_a_packs_contracts_sum_each_partners_own_live_figures(demo_db, monkeypatch):
    from desta_tui.db.models import (
        Contract,
        ContractPartner,
        Metric,
        MonthlyReturn,
        Organisation,
        Target,
    )
    from desta_tui.services.performance import contracts_trajectories, performance_contracts
    from desta_tui.services.performance import trajectory as module

    monkeypatch.setattr(module, "TRAJECTORY_MONTHS", 6)
    first_shown = OCTOBER.shift(-5).key
    enrolments = Metric.get(Metric.code == "enrolments")
    # an archived target before the months shown counts for nobody
    archived = Target.select().where((Target.metric == enrolments) & (Target.period < first_shown))
    Target.update(archived_at=date(2012, 11, 1)).where(Target.id == archived.first().id).execute()
    uuids = [c.uuid for c in performance_contracts()]
    together = contracts_trajectories(uuids, OCTOBER)
    assert together == [contract_trajectories(uuid, OCTOBER) for uuid in uuids]
    drawn = [(uuid, found) for uuid, found in zip(uuids, together, strict=True) if found]
    for uuid, trajectory in drawn:
        contract = Contract.get(Contract.uuid == uuid)
        assert trajectory.contract_uuid == uuid and trajectory.metric_code == "enrolments"
        for partner in trajectory.partners:
            partner_id = (
                ContractPartner.select(ContractPartner.id)
                .join(Organisation)
                .where((ContractPartner.contract == contract)
                       & (Organisation.uuid == partner.organisation_uuid))
                .scalar()
            )  # fmt: skip

            def before(model, partner_id=partner_id):
                return sum(
                    row.value
                    for row in model.select().where(
                        (model.partner == partner_id) & (model.metric == enrolments)
                        & (model.period < first_shown) & model.archived_at.is_null()
                    )
                )  # fmt: skip

            assert partner.earlier_target == before(Target), partner.name
            assert partner.earlier_actual == before(MonthlyReturn), partner.name
