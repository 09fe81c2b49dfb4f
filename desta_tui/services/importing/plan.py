"""The plan of an import: what each row would create or change, checked before any write."""

from __future__ import annotations

from collections.abc import Callable

from desta_tui.db.models import (
    ComplianceItem,
    Contact,
    Membership,
    MonthlyReturn,
    Organisation,
    Target,
)
from desta_tui.domain.choices import COMPLIANCE_KINDS, MEMBERSHIP_STATUSES, ORGANISATION_KINDS
from desta_tui.domain.errors import ImportRowError
from desta_tui.domain.validation import (
    normalise_name,
    validate_charity_number,
    validate_company_number,
    validate_email,
    validate_phone,
    validate_postcode,
    validate_required,
)
from desta_tui.services.importing.figures import check_return_figures, plan_figure
from desta_tui.services.importing.lookups import Lookups, PendingOrganisation
from desta_tui.services.importing.outcomes import (
    Planned,
    Step,
    given_columns,
    outcome_for,
    validated,
)
from desta_tui.services.importing.report import RowOutcome
from desta_tui.services.importing.rows import RowReader, choice_parser, parse_day, parse_yes_no
from desta_tui.services.importing.sheet import SheetData


def plan_organisation(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    name = validated(reader, "name", lambda text, key: validate_required(text, key, "Name"))
    name_key = normalise_name(name)
    values = given_columns(
        reader,
        {
            "name": name,
            "kind": reader.parse("kind", choice_parser(ORGANISATION_KINDS), default="charity"),
            "is_member": reader.parse("is_member", parse_yes_no, default=False),
            "is_commissioner": reader.parse("is_commissioner", parse_yes_no, default=False),
            "charity_number": validated(reader, "charity_number", validate_charity_number),
            "company_number": validated(reader, "company_number", validate_company_number),
            "address": reader.text("address"),
            "postcode": validated(reader, "postcode", validate_postcode),
            "email": validated(reader, "email", validate_email),
            "phone": validated(reader, "phone", validate_phone),
            "website": reader.text("website"),
            "notes": reader.text("notes"),
        },
    )
    values["name"] = name
    boroughs = lookups.borough_list(reader)
    if not name or not lookups.first_line(("organisation", name_key), reader, "name", repr(name)):
        return None
    if name_key in lookups.archived_organisations:
        reader.fail("name", f"{name!r} is archived: restore it in Members before importing it")
    if reader.errors:
        return None
    existing = lookups.organisations.get(name_key)
    if existing is None:
        values["name_key"] = name_key
        lookups.pending[name_key] = reader.line
    else:
        # the name matched the record: keep the hub's own spelling, not the sheet's capitals
        values.pop("name")
    old = lookups.boroughs_of(existing) if existing else None
    return outcome_for(
        reader,
        name,
        Organisation,
        existing,
        values,
        update,
        boroughs=boroughs,
        old_boroughs=old,
        new_key=name_key if existing is None else None,
    )


def plan_member(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    name = validated(
        reader, "organisation", lambda text, key: validate_required(text, key, "Organisation")
    )
    consortium_name = reader.text("consortium")
    consortium = lookups.consortia.get(normalise_name(consortium_name))
    if consortium_name and consortium is None:
        reader.fail("consortium", f"there is no consortium called {consortium_name!r}")
    elif not consortium_name:
        reader.fail("consortium", f"{reader.headers['consortium']} is required")
    values = given_columns(
        reader,
        {
            "status": reader.parse("status", choice_parser(MEMBERSHIP_STATUSES), default="active"),
            "joined_on": reader.parse("joined_on", parse_day),
            "left_on": reader.parse("left_on", parse_day),
            "has_board_seat": reader.parse("has_board_seat", parse_yes_no, default=False),
            "is_smg_member": reader.parse("is_smg_member", parse_yes_no, default=False),
            "has_vote": reader.parse("has_vote", parse_yes_no, default=True),
            "notes": reader.text("notes"),
        },
    )
    if (
        values.get("joined_on")
        and values.get("left_on")
        and values["left_on"] < values["joined_on"]
    ):
        reader.fail("left_on", "the date left is before the date joined")
    boroughs = lookups.borough_list(reader)
    name_key = normalise_name(name)
    if name_key in lookups.archived_organisations:
        reader.fail("organisation", f"{name!r} is archived: restore it in Members first")
    if not name or consortium is None:
        return None
    if not lookups.first_line(
        ("member", name_key, consortium.id),
        reader,
        "organisation",
        f"{name!r} in {consortium.name}",
    ):
        return None
    if reader.errors:
        return None
    label = f"{name} in {consortium.short_name or consortium.name}"
    organisation = lookups.organisations.get(name_key)
    steps: list[Step] = []
    if organisation is None and name_key not in lookups.pending:
        # a member the hub has not met yet: the organisation comes with its membership
        lookups.pending[name_key] = reader.line
        steps.append(
            Step(
                Organisation,
                {"name": name, "name_key": name_key, "is_member": True},
                boroughs=boroughs,
                new_key=name_key,
            )
        )
        boroughs = None
    org_ref = organisation if organisation is not None else PendingOrganisation(name_key)
    existing = None
    if organisation is not None:
        existing = Membership.get_or_none(
            (Membership.organisation == organisation) & (Membership.consortium == consortium)
        )
    membership = {"organisation": org_ref, "consortium": consortium, **values}
    if existing is not None:
        membership.pop("organisation")
        membership.pop("consortium")
        if existing.archived_at is not None:
            reader.fail("organisation", f"{label}: that membership is archived; restore it first")
            return None
    planned = outcome_for(reader, label, Membership, existing, membership, update)
    if organisation is not None and boroughs is not None:
        old = lookups.boroughs_of(organisation)
        if [b.name for b in boroughs] != old:
            change = (
                f"boroughs: {'; '.join(old) or '(none)'} → {'; '.join(b.name for b in boroughs)}"
            )
            action = planned.outcome.action
            if action == "unchanged":
                action = "update" if update else "exists"
            if update:
                planned.steps.append(
                    Step(Organisation, {}, existing=organisation, boroughs=boroughs)
                )
            planned.outcome = RowOutcome(
                reader.line, action, label, (*planned.outcome.changes, change)
            )
    planned.steps[:0] = steps
    return planned


def plan_contact(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    full_name = validated(
        reader, "full_name", lambda text, key: validate_required(text, key, "Name")
    )
    organisation = lookups.organisation(reader, "organisation")
    values = given_columns(
        reader,
        {
            "role": reader.text("role"),
            "email": validated(reader, "email", validate_email),
            "phone": validated(reader, "phone", validate_phone),
            "is_primary": reader.parse("is_primary", parse_yes_no, default=False),
            "notes": reader.text("notes"),
        },
    )
    if not full_name or organisation is None or reader.errors:
        return None
    org_key = organisation.name_key
    if not lookups.first_line(
        ("contact", org_key, normalise_name(full_name)), reader, "full_name", repr(full_name)
    ):
        return None
    existing = None
    if isinstance(organisation, Organisation):
        for contact in Contact.select().where(
            (Contact.organisation == organisation) & Contact.erased_at.is_null()
        ):
            if normalise_name(contact.full_name) == normalise_name(full_name):
                existing = contact
                break
    if existing is not None and existing.archived_at is not None:
        reader.fail("full_name", f"{full_name!r} is archived: restore the contact first")
        return None
    label = f"{full_name} ({organisation.name if isinstance(organisation, Organisation) else ''})"
    if existing is None:
        values = {"full_name": full_name, "organisation": organisation, **values}
    return outcome_for(reader, label.replace(" ()", ""), Contact, existing, values, update)


def plan_compliance(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    organisation = lookups.organisation(reader, "organisation")
    kind = reader.parse("kind", choice_parser(COMPLIANCE_KINDS), required=True)
    values = given_columns(
        reader,
        {
            "reference": reader.text("reference"),
            "checked_on": reader.parse("checked_on", parse_day),
            "expires_on": reader.parse("expires_on", parse_day),
            "notes": reader.text("notes"),
        },
    )
    checked, expires = values.get("checked_on"), values.get("expires_on")
    if checked and expires and expires < checked:
        reader.fail("expires_on", "the expiry date is before the date it was checked")
    if organisation is None or kind is None or reader.errors:
        return None
    reference = values.get("reference", "")
    key = ("compliance", organisation.name_key, kind, normalise_name(reference))
    what = f"{COMPLIANCE_KINDS.label(kind)} {reference!r}".replace(" ''", "")
    if not lookups.first_line(key, reader, "kind", what):
        return None
    existing = None
    if isinstance(organisation, Organisation):
        for item in ComplianceItem.select().where(
            (ComplianceItem.organisation == organisation)
            & (ComplianceItem.kind == kind)
            & ComplianceItem.archived_at.is_null()
        ):
            if normalise_name(item.reference) == normalise_name(reference):
                existing = item
                break
    values = {"kind": kind, **values}
    if existing is None:
        values["organisation"] = organisation
    name = (
        organisation.name if isinstance(organisation, Organisation) else reader.text("organisation")
    )
    return outcome_for(reader, f"{name}: {what}", ComplianceItem, existing, values, update)


PLANNERS: dict[str, Callable[[RowReader, Lookups, bool], Planned | None]] = {
    "organisations": plan_organisation,
    "members": plan_member,
    "contacts": plan_contact,
    "compliance": plan_compliance,
    "targets": lambda reader, lookups, update: plan_figure(Target, reader, lookups, update),
    "returns": lambda reader, lookups, update: plan_figure(MonthlyReturn, reader, lookups, update),
}


def plan_rows(
    kind: str, sheet: SheetData, update: bool
) -> tuple[list[Planned], list[ImportRowError]]:
    """What each row would do, and every problem, without writing anything."""
    lookups = Lookups()
    planner = PLANNERS[kind]
    planned: list[Planned] = []
    errors: list[ImportRowError] = []
    parsed: dict = {}
    for row in sheet.rows:
        reader = RowReader(row, sheet.headers, parsed)
        result = planner(reader, lookups, update)
        if reader.errors:
            errors.extend(reader.errors)
        elif result is not None:
            planned.append(result)
    if kind == "returns":
        figures = [item.figure for item in planned if item.figure is not None]
        errors += check_return_figures(figures, sheet.headers["value"])
        errors.sort(key=lambda error: error.line)
    return planned, errors
