"""The shared pick lists: one home (services.lookups), the same functions in every feature."""

from __future__ import annotations

from desta_tui.services import contracts, dashboard, lookups, members, tickets


def test_the_feature_packages_offer_the_same_pick_lists():
    assert members.borough_names is contracts.borough_names is lookups.borough_names
    assert members.consortia is lookups.consortia
    assert members.ConsortiumChoice is lookups.ConsortiumChoice
    assert (
        contracts.consortium_choices is dashboard.consortium_choices is lookups.consortium_choices
    )
    assert contracts.contract_choices is tickets.contract_choices is lookups.contract_choices
    assert contracts.commissioner_choices is lookups.commissioner_choices
    assert tickets.provider_choices is lookups.provider_choices
    assert tickets.support_provider_choices is lookups.support_provider_choices
    assert contracts.Choice is lookups.Choice


def test_pick_lists_on_the_demo(demo_db):
    assert lookups.borough_names() == [
        "Brent", "Ealing", "Hammersmith & Fulham", "Harrow", "Hillingdon", "Hounslow",
        "Kensington & Chelsea", "Westminster",
    ]  # fmt: skip
    consortia = lookups.consortium_choices()
    assert [c.label for c in consortia] == [c.name for c in lookups.consortia()]
    desta = next(c for c in lookups.consortia() if c.short_name == "Desta")
    # a Choice reads as (label, uuid) too, the order a Select takes
    assert dict(consortia)[desta.name] == desta.uuid
    mine = lookups.contract_choices(desta.uuid)
    every = lookups.contract_choices()
    assert "Expert Patient Service" in [c.label for c in mine]
    assert set(mine) < set(every)
    titles = [title for title, _uuid in every]
    assert titles == sorted(titles, key=str.lower)
    providers = {name for name, _uuid in lookups.provider_choices()}
    assert "Westway Wellbeing Project" in providers
    commissioners = {c.label for c in lookups.commissioner_choices()}
    support = {name for name, _uuid in lookups.support_provider_choices()}
    assert commissioners and commissioners.isdisjoint(support)
