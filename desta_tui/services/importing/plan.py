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
from desta_tui.domain.choices import COMPLIANCE_KINDS
from desta_tui.domain.compliance import validate_paper
from desta_tui.domain.contacts import CONTACT_FIELDS, validate_contact
from desta_tui.domain.errors import ImportRowError, ValidationError
from desta_tui.domain.memberships import MEMBERSHIP_FIELDS, validate_membership
from desta_tui.domain.organisations import ORGANISATION_FIELDS, validate_name, validate_organisation
from desta_tui.domain.validation import normalise_name, validate_choice, validate_required
from desta_tui.services.context import today
from desta_tui.services.importing.figures import check_return_figures, plan_figure
from desta_tui.services.importing.lookups import Lookups, PendingOrganisation
from desta_tui.services.importing.outcomes import (
    Planned,
    Step,
    outcome_for,
    validated,
)
from desta_tui.services.importing.report import RowOutcome
from desta_tui.services.importing.rows import RowReader
from desta_tui.services.importing.sheet import SheetData

# the boroughs are matched by Lookups, which reads each borough cell once an import
ORGANISATION_COLUMNS = tuple(name for name in ORGANISATION_FIELDS if "borough" not in name)
PAPER_COLUMNS = ("kind", "reference", "checked_on", "expires_on", "notes")


def plan_organisation(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    # the key of the name as typed is the key of the name as stored (both fold spaces and
    # composition), so the record is found before its values are checked
    name_key = lookups.key(reader.text("name"))
    existing = lookups.organisations.get(name_key) if name_key else None
    # the members form's own rule; a record already there changes only in the file's columns
    values = reader.check(
        validate_organisation,
        ORGANISATION_COLUMNS,
        partial=existing is not None,
        name_key=name_key or None,
    )
    boroughs = lookups.borough_list(reader)
    if values is None or "name" not in values:
        return None
    name = values["name"]
    if not lookups.first_line(("organisation", name_key), reader, "name", repr(name)):
        return None
    if name_key in lookups.archived_organisations:
        reader.fail("name", f"{name!r} is archived: restore it in Members before importing it")
    if reader.errors:
        return None
    if existing is None:
        lookups.pending[name_key] = reader.line
    else:
        # the name matched the record: keep the hub's own spelling, not the sheet's capitals
        del values["name"], values["name_key"]
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
    boroughs = lookups.borough_list(reader)
    name_key = normalise_name(name)
    if name_key in lookups.archived_organisations:
        reader.fail("organisation", f"{name!r} is archived: restore it in Members first")
    if not name or consortium is None or reader.errors:
        # the row fails already: still say what else is wrong in it
        reader.check(validate_membership, MEMBERSHIP_FIELDS, partial=True, on=today())
        return None
    if not lookups.first_line(
        ("member", name_key, consortium.id),
        reader,
        "organisation",
        f"{name!r} in {consortium.name}",
    ):
        return None
    label = f"{name} in {consortium.short_name or consortium.name}"
    organisation = lookups.organisations.get(name_key)
    steps: list[Step] = []
    if organisation is None and name_key not in lookups.pending:
        # a member the hub has not met yet: the organisation comes with its membership, and
        # its name meets the members form's rule
        try:
            new_name = validate_name(name, "organisation", "Organisation")
        except ValidationError as error:
            reader.fail("organisation", error.message)
            return None
        lookups.pending[name_key] = reader.line
        steps.append(
            Step(
                Organisation,
                {"name": new_name, "name_key": name_key, "is_member": True},
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
    # the membership form's own rule; one already there changes only in the file's columns
    values = reader.check(
        validate_membership, MEMBERSHIP_FIELDS, partial=existing is not None, on=today()
    )
    if values is None:
        return None
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
    typed_name = reader.text("full_name")
    organisation = lookups.organisation(reader, "organisation")
    existing = None
    if isinstance(organisation, Organisation) and typed_name.strip():
        wanted = normalise_name(typed_name)
        for contact in Contact.select().where(
            (Contact.organisation == organisation) & Contact.erased_at.is_null()
        ):
            if normalise_name(contact.full_name) == wanted:
                existing = contact
                break
    # the contact form's own rule; a contact already there changes only in the file's columns
    values = reader.check(validate_contact, CONTACT_FIELDS, partial=existing is not None)
    if values is None or organisation is None or reader.errors:
        return None
    full_name = values.get("full_name") or typed_name.strip()
    org_key = organisation.name_key
    if not lookups.first_line(
        ("contact", org_key, normalise_name(full_name)), reader, "full_name", repr(full_name)
    ):
        return None
    if existing is not None and existing.archived_at is not None:
        reader.fail("full_name", f"{full_name!r} is archived: restore the contact first")
        return None
    label = f"{full_name} ({organisation.name if isinstance(organisation, Organisation) else ''})"
    if existing is None:
        values = {**values, "organisation": organisation}
    else:
        # the name matched the contact: keep the hub's own spelling
        values.pop("full_name", None)
    return outcome_for(reader, label.replace(" ()", ""), Contact, existing, values, update)


def plan_compliance(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    organisation = lookups.organisation(reader, "organisation")
    try:
        kind: str | None = validate_choice(reader.text("kind"), COMPLIANCE_KINDS, "kind")
    except ValidationError:
        kind = None  # validate_paper says why, against the column
    reference = reader.text("reference").strip()
    existing = None
    if isinstance(organisation, Organisation) and kind is not None:
        for item in ComplianceItem.select().where(
            (ComplianceItem.organisation == organisation)
            & (ComplianceItem.kind == kind)
            & ComplianceItem.archived_at.is_null()
        ):
            if normalise_name(item.reference) == normalise_name(reference):
                existing = item
                break
    # the compliance form's own rule; a paper already there changes only in the file's columns
    values = reader.check(validate_paper, PAPER_COLUMNS, partial=existing is not None, on=today())
    if values is None or organisation is None or kind is None or reader.errors:
        return None
    key = ("compliance", organisation.name_key, kind, normalise_name(reference))
    what = f"{COMPLIANCE_KINDS.label(kind)} {reference!r}".replace(" ''", "")
    if not lookups.first_line(key, reader, "kind", what):
        return None
    values = {**values, "kind": kind}
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
