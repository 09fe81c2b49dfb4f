"""Members: organisations, contacts, memberships and compliance papers, checked and audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from peewee import Case, Ordering, fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    AuditLog,
    Borough,
    ComplianceItem,
    Consortium,
    Contact,
    Contract,
    ContractPartner,
    Membership,
    Organisation,
    OrganisationBorough,
)
from desta_tui.domain.choices import (
    COMPLIANCE_KINDS,
    CONTRACT_STAGES,
    GATE_COMPLIANCE_KINDS,
    MEMBERSHIP_STATUSES,
    ORGANISATION_KINDS,
    PARTNER_ROLES,
)
from desta_tui.domain.dates import parse_optional_uk_date
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.money import format_money
from desta_tui.domain.validation import (
    normalise_name,
    validate_charity_number,
    validate_choice,
    validate_company_number,
    validate_email,
    validate_phone,
    validate_postcode,
    validate_required,
)
from desta_tui.services.audit import AuditEntry, create_record, record_history, update_record
from desta_tui.services.audit import write_audit as _write_audit
from desta_tui.services.context import today
from desta_tui.services.records import (
    RecordRef,
    archive_record,
    last_archived,
    restore_record,
    undo_last_archive,
)
from desta_tui.services.search_index import fold, search_text_for
from desta_tui.services.settings import get_setting

# The record types this section archives, and so the ones its `u` brings back.
MEMBER_TABLES = ["organisation", "contact", "membership", "compliance_item"]

# A list shows at most this many rows at once; typing narrows it (the count says how many match).
DEFAULT_LIMIT = 100
NAME_MAX_LENGTH = 200

# Compliance states, as words so they read without colour.
OK, EXPIRING, EXPIRED, MISSING, NONE = "ok", "expiring", "expired", "missing", "none"

SORTS = ("name", "boroughs", "status", "board", "compliance", "contacts")


# --- what the services return -------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationRow:
    """One line of the members list."""

    uuid: str
    name: str
    boroughs: str
    status: str
    has_board_seat: bool
    compliance: str
    compliance_detail: str
    contact_count: int
    is_archived: bool


@dataclass(frozen=True)
class OrganisationPage:
    """The rows a filter found (at most `limit`); how many matched in all, when counted."""

    rows: list[OrganisationRow]
    #: None when the rows were cut and words typed: more matched than `limit`, not counted
    total: int | None
    limit: int
    is_cut: bool = False


@dataclass(frozen=True)
class OrganisationDetail:
    """An organisation with every field, as its form and detail screen show it."""

    uuid: str
    name: str
    kind: str
    kind_label: str
    is_member: bool
    is_commissioner: bool
    charity_number: str
    company_number: str
    address: str
    postcode: str
    borough: str
    boroughs: list[str]
    email: str
    phone: str
    website: str
    notes: str
    is_archived: bool
    created_at: Any
    updated_at: Any


@dataclass(frozen=True)
class ContactInfo:
    uuid: str
    organisation_uuid: str
    organisation_name: str
    full_name: str
    role: str
    email: str
    phone: str
    is_primary: bool
    notes: str
    is_erased: bool
    is_archived: bool


@dataclass(frozen=True)
class MembershipInfo:
    uuid: str
    organisation_uuid: str
    consortium_uuid: str
    consortium_name: str
    consortium_short_name: str
    status: str
    status_label: str
    joined_on: date | None
    left_on: date | None
    has_board_seat: bool
    is_smg_member: bool
    has_vote: bool
    notes: str
    is_archived: bool


@dataclass(frozen=True)
class ComplianceInfo:
    uuid: str
    organisation_uuid: str
    organisation_name: str
    kind: str
    kind_label: str
    reference: str
    checked_on: date | None
    expires_on: date | None
    notes: str
    state: str
    days_left: int | None
    is_archived: bool

    @property
    def state_text(self) -> str:
        return state_words(self.state, self.days_left)


@dataclass(frozen=True)
class ComplianceSummary:
    """An organisation's papers judged together: the worst state, and the gate kinds missing."""

    state: str
    detail: str
    missing_kinds: list[str]


@dataclass(frozen=True)
class PartnershipInfo:
    """A contract the organisation is a partner in (read only in the members section)."""

    contract_uuid: str
    contract_title: str
    consortium_short_name: str
    stage_label: str
    role_label: str
    allocated_value: str
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True)
class Found:
    """A palette hit: an organisation or contact by name, and the organisation it opens."""

    uuid: str
    name: str
    organisation_uuid: str
    detail: str


@dataclass(frozen=True)
class ConsortiumChoice:
    uuid: str
    name: str
    short_name: str


# --- small helpers --------------------------------------------------------------------------


def warning_days() -> int:
    """How many days ahead a paper counts as expiring (Settings, 60 by default)."""
    try:
        return int(get_setting("compliance_warning_days"))
    except (TypeError, ValueError):
        return 60


def paper_state(expires_on: date | None, on: date, within: int) -> tuple[str, int | None]:
    """(state, days left) for one paper: expired, expiring (within `within` days) or ok."""
    if expires_on is None:
        return OK, None
    days = (expires_on - on).days
    if days < 0:
        return EXPIRED, days
    if days <= within:
        return EXPIRING, days
    return OK, days


def state_words(state: str, days_left: int | None) -> str:
    """ "expired 16 days ago", "expiring in 12 days", "ok": readable without colour."""
    if state == EXPIRED and days_left is not None:
        ago = -days_left
        return "expired today" if ago == 0 else f"expired {ago} day{'s' * (ago != 1)} ago"
    if state == EXPIRING and days_left is not None:
        if days_left == 0:
            return "expiring today"
        return f"expiring in {days_left} day{'s' * (days_left != 1)}"
    return state


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name, "")
    return "" if value is None else str(value).strip()


def _flag(values: Mapping[str, Any], name: str, default: bool = False) -> bool:
    value = values.get(name, default)
    if isinstance(value, str):
        return value.strip().casefold() in {"1", "yes", "y", "true", "on"}
    return bool(value)


class _Checks:
    """Collects every field's complaint so a form can mark them all at once."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def run(self, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except ValidationError as error:
            self.errors.append(error)
            return None

    def add(self, field: str | None, message: str) -> None:
        self.errors.append(ValidationError(field, message))

    def raise_if_any(self) -> None:
        FormError.raise_if_any(self.errors)


def _date(checks: _Checks, values: Mapping[str, Any], name: str) -> date | None:
    return checks.run(parse_optional_uk_date, _text(values, name), name, today())


def _get_org(uuid: str) -> Organisation:
    org = Organisation.get_or_none(Organisation.uuid == uuid)
    if org is None:
        raise DestaError("That organisation no longer exists.")
    return org


def _refresh_search_text(org: Organisation) -> None:
    """Keep the folded filter text in step with the name, boroughs and contacts."""
    text = search_text_for(org)
    if text != org.search_text:
        Organisation.update(search_text=text).where(Organisation.id == org.id).execute()
        org.search_text = text


# --- reference lists --------------------------------------------------------------------------


def borough_names() -> list[str]:
    """Every live borough's name, in order."""
    query = Borough.select(Borough.name).where(Borough.archived_at.is_null())
    return [b.name for b in query.order_by(Borough.name)]


def consortia() -> list[ConsortiumChoice]:
    """Every live consortium, by name."""
    query = Consortium.select().where(Consortium.archived_at.is_null()).order_by(Consortium.name)
    return [ConsortiumChoice(c.uuid, c.name, c.short_name or c.name) for c in query]


def consortium_name(uuid: str | None) -> str:
    """The consortium's name, or "All consortia" for None (or one that has gone)."""
    if uuid:
        found = Consortium.get_or_none(Consortium.uuid == uuid)
        if found is not None:
            return found.name
    return "All consortia"


def parse_boroughs(text: str, field: str = "boroughs") -> list[str]:
    """Borough names typed with commas ("Brent, ham"): whole names or the start of exactly one,
    ignoring case, spaces and "&"/"and"."""
    known = borough_names()
    keyed = {normalise_name(name): name for name in known}
    chosen: list[str] = []
    for part in text.replace(";", ",").split(","):
        wanted = normalise_name(part)
        if not wanted:
            continue
        name = keyed.get(wanted)
        if name is None:
            starts = [n for key, n in keyed.items() if key.startswith(wanted)]
            if len(starts) == 1:
                name = starts[0]
            elif len(starts) > 1:
                raise ValidationError(
                    field, f"{part.strip()!r} could be {', '.join(starts)}: type more of the name"
                )
            else:
                raise ValidationError(
                    field,
                    f"{part.strip()!r} is not a borough the hub knows: {', '.join(known)}",
                )
        if name not in chosen:
            chosen.append(name)
    return chosen


# --- organisations: the list -------------------------------------------------------------------


def _filtered(text: str, consortium_uuid: str | None, include_archived: bool):
    query = Organisation.select()
    if not include_archived:
        # written so the planner does not pick the archived_at index: nearly every row is live,
        # and that index would make it sort every match instead of reading name order
        query = query.where(Case(None, [(Organisation.archived_at.is_null(), 1)], 0) == 1)
    # every typed word must appear somewhere in the name, a borough or a contact's name
    for word in fold(text).split():
        query = query.where(Organisation.search_text.contains(word))
    if consortium_uuid:
        members = (
            Membership.select(Membership.organisation)
            .join(Consortium)
            .where((Consortium.uuid == consortium_uuid) & Membership.archived_at.is_null())
        )
        query = query.where(Organisation.id.in_(members))
    return query


def _sort_expression(sort: str, consortium_uuid: str | None, fold_words_typed: bool = False):
    org_id = Organisation.id
    if sort == "contacts":
        return Contact.select(fn.COUNT(Contact.id)).where(
            (Contact.organisation == org_id) & Contact.archived_at.is_null()
        )
    if sort == "compliance":
        return ComplianceItem.select(fn.MIN(ComplianceItem.expires_on)).where(
            (ComplianceItem.organisation == org_id) & ComplianceItem.archived_at.is_null()
        )
    if sort == "boroughs":
        return (
            OrganisationBorough.select(fn.MIN(Borough.name))
            .join(Borough)
            .where(OrganisationBorough.organisation == org_id)
        )
    if sort in ("status", "board"):
        column = Membership.status if sort == "status" else Membership.has_board_seat
        aggregate = fn.MIN(column) if sort == "status" else fn.MAX(column)
        members = Membership.select(aggregate).where(
            (Membership.organisation == org_id) & Membership.archived_at.is_null()
        )
        if consortium_uuid:
            members = members.join(Consortium).where(Consortium.uuid == consortium_uuid)
        return members
    if fold_words_typed:
        # with words typed, reading every row and sorting the few that match beats walking the
        # name index and looking up each row (the worst case, a word nothing matches, by 2-3x)
        return Organisation.name_key.concat("")
    return Organisation.name_key


def list_organisations(
    text: str = "",
    consortium_uuid: str | None = None,
    *,
    include_archived: bool = False,
    sort: str = "name",
    descending: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> OrganisationPage:
    """The members list: organisations whose name, boroughs or contacts hold every typed word,
    in one consortium (or all), filtered and cut to `limit` rows in the database.

    When the rows are cut and words were typed, `total` is None rather than a second pass over
    every row to count them (the person is typing; the list says "more than N")."""
    if sort not in SORTS:
        raise DestaError(f"The list cannot be sorted by {sort!r}.")
    query = _filtered(text, consortium_uuid, include_archived)
    order = _sort_expression(sort, consortium_uuid, bool(fold(text).split()))
    # blanks (no papers, no borough) last either way, as the table shows them
    direction = "DESC" if descending else "ASC"
    ordering = [Ordering(order, direction, nulls="LAST"), Organisation.name_key]
    # one more row than shown tells whether the list is cut without counting
    found = list(
        query.select(
            Organisation.id, Organisation.uuid, Organisation.name, Organisation.archived_at
        )
        .order_by(*ordering)
        .limit(limit + 1)
        .tuples()
    )
    is_cut = len(found) > limit
    found = found[:limit]
    if not is_cut:
        total: int | None = len(found)
    elif not fold(text).split():
        total = query.count()
    else:
        total = None
    return OrganisationPage(_rows_for(found, consortium_uuid), total, limit, is_cut)


def _in(ids: list[int]) -> str:
    return ", ".join([db.param] * len(ids))


def _as_date(value: Any) -> date | None:
    # SQLite hands back ISO text where PostgreSQL hands back a date
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _rows_for(
    found: list[tuple[int, str, str, Any]], consortium_uuid: str | None
) -> list[OrganisationRow]:
    """The other cells of a page of rows: four plain queries over the page's ids (the filter
    runs on every keystroke, and building these through the ORM cost more than running them)."""
    ids = [org_id for org_id, *_ in found]
    if not ids:
        return []
    marks = _in(ids)
    boroughs: dict[int, list[str]] = {}
    for org_id, name in db.execute_sql(
        "SELECT ob.organisation_id, b.name FROM organisation_borough ob "
        f"JOIN borough b ON b.id = ob.borough_id WHERE ob.organisation_id IN ({marks}) "
        "ORDER BY b.name",
        ids,
    ).fetchall():
        boroughs.setdefault(org_id, []).append(name)
    contacts = dict(
        db.execute_sql(
            "SELECT organisation_id, COUNT(*) FROM contact "
            f"WHERE organisation_id IN ({marks}) AND archived_at IS NULL GROUP BY organisation_id",
            ids,
        ).fetchall()
    )
    member_sql = (
        "SELECT m.organisation_id, c.short_name, c.name, m.status, m.has_board_seat "
        f"FROM membership m JOIN consortium c ON c.id = m.consortium_id "
        f"WHERE m.organisation_id IN ({marks}) AND m.archived_at IS NULL"
    )
    params: list[Any] = list(ids)
    if consortium_uuid:
        member_sql += f" AND c.uuid = {db.param}"
        params.append(consortium_uuid)
    memberships: dict[int, list[tuple[str, str, bool]]] = {}
    for org_id, short_name, name, status, board in db.execute_sql(
        member_sql + " ORDER BY c.name", params
    ).fetchall():
        memberships.setdefault(org_id, []).append((short_name or name, status, bool(board)))
    papers: dict[int, list[tuple[str, date | None]]] = {}
    for org_id, kind, expires_on in db.execute_sql(
        "SELECT organisation_id, kind, expires_on FROM compliance_item "
        f"WHERE organisation_id IN ({marks}) AND archived_at IS NULL",
        ids,
    ).fetchall():
        papers.setdefault(org_id, []).append((kind, _as_date(expires_on)))
    on, within = today(), warning_days()
    rows = []
    for org_id, uuid, name, archived_at in found:
        held = memberships.get(org_id, [])
        if not held:
            status = "non-member"
        elif consortium_uuid or len({s for _, s, _ in held}) == 1:
            status = MEMBERSHIP_STATUSES.label(held[0][1])
        else:
            status = ", ".join(f"{short} {MEMBERSHIP_STATUSES.label(s)}" for short, s, _ in held)
        summary = summarise_compliance(
            papers.get(org_id, []), is_member=bool(held), on=on, within=within
        )
        rows.append(
            OrganisationRow(
                uuid=uuid,
                name=name,
                boroughs=", ".join(boroughs.get(org_id, [])),
                status=status,
                has_board_seat=any(board for _, _, board in held),
                compliance=summary.state,
                compliance_detail=summary.detail,
                contact_count=contacts.get(org_id, 0),
                is_archived=archived_at is not None,
            )
        )
    return rows


def _papers_by_org(ids: Iterable[int]) -> dict[int, list[tuple[str, date | None]]]:
    papers: dict[int, list[tuple[str, date | None]]] = {}
    for org_id, kind, expires_on in (
        ComplianceItem.select(
            ComplianceItem.organisation, ComplianceItem.kind, ComplianceItem.expires_on
        )
        .where(ComplianceItem.organisation.in_(list(ids)) & ComplianceItem.archived_at.is_null())
        .tuples()
    ):
        papers.setdefault(org_id, []).append((kind, expires_on))
    return papers


def summarise_compliance(
    papers: list[tuple[str, date | None]],
    *,
    is_member: bool,
    on: date | None = None,
    within: int | None = None,
) -> ComplianceSummary:
    """The worst of an organisation's papers: expired, then expiring, then missing, then ok.

    A member without one of the papers that let it carry contract risk is "missing"; an
    organisation that is not a member and has no papers is "none" (nothing is asked of it).
    """
    on = on or today()
    within = warning_days() if within is None else within
    expired, expiring = [], []
    for kind, expires_on in papers:
        state, days = paper_state(expires_on, on, within)
        if state == EXPIRED:
            expired.append((days, kind))
        elif state == EXPIRING:
            expiring.append((days, kind))
    held = {kind for kind, _ in papers}
    missing = [kind for kind in GATE_COMPLIANCE_KINDS if kind not in held] if is_member else []
    if expired:
        days, kind = min(expired)
        return ComplianceSummary(
            EXPIRED, f"{COMPLIANCE_KINDS.label(kind)} {state_words(EXPIRED, days)}", missing
        )
    if expiring:
        days, kind = min(expiring)
        return ComplianceSummary(
            EXPIRING, f"{COMPLIANCE_KINDS.label(kind)} {state_words(EXPIRING, days)}", missing
        )
    if missing:
        words = ", ".join(COMPLIANCE_KINDS.label(kind).lower() for kind in missing)
        return ComplianceSummary(MISSING, f"no {words} on file", missing)
    if papers:
        return ComplianceSummary(OK, "all papers in date", [])
    return ComplianceSummary(NONE, "no papers on file", [])


def organisation_compliance(uuid: str) -> ComplianceSummary:
    """One organisation's compliance state."""
    org = _get_org(uuid)
    is_member = (
        Membership.select()
        .where((Membership.organisation == org) & Membership.archived_at.is_null())
        .exists()
    )
    return summarise_compliance(_papers_by_org([org.id]).get(org.id, []), is_member=is_member)


# --- organisations: one record ------------------------------------------------------------------


def _detail(org: Organisation) -> OrganisationDetail:
    boroughs = [
        b.name
        for b in Borough.select(Borough.name)
        .join(OrganisationBorough)
        .where(OrganisationBorough.organisation == org)
        .order_by(Borough.name)
    ]
    return OrganisationDetail(
        uuid=org.uuid,
        name=org.name,
        kind=org.kind,
        kind_label=ORGANISATION_KINDS.label(org.kind),
        is_member=org.is_member,
        is_commissioner=org.is_commissioner,
        charity_number=org.charity_number,
        company_number=org.company_number,
        address=org.address,
        postcode=org.postcode,
        borough=org.borough.name if org.borough_id else "",
        boroughs=boroughs,
        email=org.email,
        phone=org.phone,
        website=org.website,
        notes=org.notes,
        is_archived=org.archived_at is not None,
        created_at=org.created_at,
        updated_at=org.updated_at,
    )


def get_organisation(uuid: str) -> OrganisationDetail:
    return _detail(_get_org(uuid))


def _check_organisation(values: Mapping[str, Any], current: Organisation | None) -> dict[str, Any]:
    checks = _Checks()
    name = checks.run(validate_required, _text(values, "name"), "name", "Name")
    clean: dict[str, Any] = {}
    if name is not None:
        name = " ".join(name.split())
        if len(name) > NAME_MAX_LENGTH:
            checks.add("name", f"Name is too long: keep it under {NAME_MAX_LENGTH} characters")
        key = normalise_name(name)
        clash = Organisation.select().where(Organisation.name_key == key)
        if current is not None:
            clash = clash.where(Organisation.id != current.id)
        other = clash.first()
        if other is not None:
            archived = (
                " (archived: show archived records to restore it)" if other.archived_at else ""
            )
            checks.add("name", f"{other.name!r} is already in the hub{archived}")
        clean["name"], clean["name_key"] = name, key
    kind = _text(values, "kind") or "charity"
    clean["kind"] = checks.run(validate_choice, kind, ORGANISATION_KINDS, "kind")
    clean["charity_number"] = checks.run(
        validate_charity_number, _text(values, "charity_number"), "charity_number"
    )
    clean["company_number"] = checks.run(
        validate_company_number, _text(values, "company_number"), "company_number"
    )
    clean["postcode"] = checks.run(validate_postcode, _text(values, "postcode"), "postcode")
    clean["email"] = checks.run(validate_email, _text(values, "email"), "email")
    clean["phone"] = checks.run(validate_phone, _text(values, "phone"), "phone")
    website = _text(values, "website")
    if any(char.isspace() for char in website):
        checks.add("website", f"{website!r} is not a web address: it has a space in it")
    clean["website"] = website
    clean["address"] = str(values.get("address", "") or "").strip()
    clean["notes"] = str(values.get("notes", "") or "").strip()
    clean["is_member"] = _flag(values, "is_member", True)
    clean["is_commissioner"] = _flag(values, "is_commissioner")
    borough_name = _text(values, "borough")
    clean["borough"] = None
    if borough_name:
        found = checks.run(parse_boroughs, borough_name, "borough")
        if found and len(found) > 1:
            checks.add("borough", "choose one borough the organisation is based in")
        elif found:
            clean["borough"] = Borough.get(Borough.name == found[0])
    works_in = checks.run(parse_boroughs, _text(values, "boroughs"), "boroughs")
    checks.raise_if_any()
    if not works_in and clean["borough"] is not None:
        works_in = [clean["borough"].name]
    clean["boroughs"] = works_in or []
    return clean


def _set_boroughs(org: Organisation, names: list[str]) -> None:
    before = [
        b.name
        for b in Borough.select(Borough.name)
        .join(OrganisationBorough)
        .where(OrganisationBorough.organisation == org)
        .order_by(Borough.name)
    ]
    after = sorted(names)
    if before == after:
        return
    OrganisationBorough.delete().where(OrganisationBorough.organisation == org).execute()
    for borough in Borough.select().where(Borough.name.in_(after)):
        OrganisationBorough.create(organisation=org, borough=borough)
    # the links are not records of their own: the change is logged on the organisation
    _write_audit(org, "update", "boroughs", ", ".join(before), ", ".join(after))


def create_organisation(values: Mapping[str, Any]) -> OrganisationDetail:
    """Add an organisation from a form's raw values; FormError names every bad field."""
    with db.atomic():
        clean = _check_organisation(values, None)
        boroughs = clean.pop("boroughs")
        org = create_record(Organisation, **clean)
        if boroughs:
            OrganisationBorough.insert_many(
                [{"organisation": org.id, "borough": b.id}
                 for b in Borough.select().where(Borough.name.in_(boroughs))]
            ).execute()  # fmt: skip
            _write_audit(org, "create", "boroughs", None, ", ".join(sorted(boroughs)))
        _refresh_search_text(org)
        return _detail(org)


def update_organisation(uuid: str, values: Mapping[str, Any]) -> OrganisationDetail:
    """Change an organisation; only fields that really changed are logged."""
    with db.atomic():
        org = _get_org(uuid)
        clean = _check_organisation(values, org)
        boroughs = clean.pop("boroughs")
        update_record(org, **clean)
        _set_boroughs(org, boroughs)
        _refresh_search_text(org)
        return _detail(org)


def archive_organisation(uuid: str) -> RecordRef:
    """Take an organisation off the lists (its history stays; `u` or restore brings it back)."""
    return archive_record("organisation", uuid)


# --- contacts ----------------------------------------------------------------------------------


def _contact_info(contact: Contact, org: Organisation | None = None) -> ContactInfo:
    org = org or contact.organisation
    return ContactInfo(
        uuid=contact.uuid,
        organisation_uuid=org.uuid,
        organisation_name=org.name,
        full_name=contact.full_name,
        role=contact.role,
        email=contact.email,
        phone=contact.phone,
        is_primary=contact.is_primary,
        notes=contact.notes,
        is_erased=contact.erased_at is not None,
        is_archived=contact.archived_at is not None,
    )


def list_contacts(organisation_uuid: str, *, include_archived: bool = False) -> list[ContactInfo]:
    org = _get_org(organisation_uuid)
    query = Contact.select().where(Contact.organisation == org)
    if not include_archived:
        query = query.where(Contact.archived_at.is_null())
    query = query.order_by(Contact.is_primary.desc(), Contact.full_name)
    return [_contact_info(contact, org) for contact in query]


def get_contact(uuid: str) -> ContactInfo:
    contact = Contact.get_or_none(Contact.uuid == uuid)
    if contact is None:
        raise DestaError("That contact no longer exists.")
    return _contact_info(contact)


def _check_contact(values: Mapping[str, Any]) -> dict[str, Any]:
    checks = _Checks()
    name = checks.run(validate_required, _text(values, "full_name"), "full_name", "Name")
    clean: dict[str, Any] = {"full_name": " ".join(name.split()) if name else name}
    clean["role"] = _text(values, "role")
    clean["email"] = checks.run(validate_email, _text(values, "email"), "email")
    clean["phone"] = checks.run(validate_phone, _text(values, "phone"), "phone")
    clean["is_primary"] = _flag(values, "is_primary")
    clean["notes"] = str(values.get("notes", "") or "").strip()
    checks.raise_if_any()
    return clean


def _only_primary(org: Organisation, keep: Contact) -> None:
    """One main contact per organisation: choosing one un-chooses the others (logged)."""
    others = Contact.select().where(
        (Contact.organisation == org) & (Contact.id != keep.id) & Contact.is_primary
    )
    for other in others:
        update_record(other, is_primary=False)


def create_contact(organisation_uuid: str, values: Mapping[str, Any]) -> ContactInfo:
    with db.atomic():
        org = _get_org(organisation_uuid)
        clean = _check_contact(values)
        contact = create_record(Contact, organisation=org, **clean)
        if contact.is_primary:
            _only_primary(org, contact)
        _refresh_search_text(org)
        return _contact_info(contact, org)


def update_contact(uuid: str, values: Mapping[str, Any]) -> ContactInfo:
    with db.atomic():
        contact = Contact.get_or_none(Contact.uuid == uuid)
        if contact is None:
            raise DestaError("That contact no longer exists.")
        if contact.erased_at is not None:
            raise DestaError("This contact's personal data was erased at their request.")
        clean = _check_contact(values)
        update_record(contact, **clean)
        org = contact.organisation
        if contact.is_primary:
            _only_primary(org, contact)
        _refresh_search_text(org)
        return _contact_info(contact, org)


def archive_contact(uuid: str) -> RecordRef:
    with db.atomic():
        ref = archive_record("contact", uuid)
        contact = Contact.get(Contact.uuid == uuid)
        _refresh_search_text(contact.organisation)
        return ref


# --- memberships --------------------------------------------------------------------------------


def _membership_info(membership: Membership) -> MembershipInfo:
    consortium = membership.consortium
    return MembershipInfo(
        uuid=membership.uuid,
        organisation_uuid=membership.organisation.uuid,
        consortium_uuid=consortium.uuid,
        consortium_name=consortium.name,
        consortium_short_name=consortium.short_name or consortium.name,
        status=membership.status,
        status_label=MEMBERSHIP_STATUSES.label(membership.status),
        joined_on=membership.joined_on,
        left_on=membership.left_on,
        has_board_seat=membership.has_board_seat,
        is_smg_member=membership.is_smg_member,
        has_vote=membership.has_vote,
        notes=membership.notes,
        is_archived=membership.archived_at is not None,
    )


def list_memberships(
    organisation_uuid: str, *, include_archived: bool = False
) -> list[MembershipInfo]:
    org = _get_org(organisation_uuid)
    query = Membership.select(Membership, Consortium).join(Consortium)
    query = query.where(Membership.organisation == org)
    if not include_archived:
        query = query.where(Membership.archived_at.is_null())
    return [_membership_info(m) for m in query.order_by(Consortium.name)]


def get_membership(uuid: str) -> MembershipInfo:
    membership = Membership.get_or_none(Membership.uuid == uuid)
    if membership is None:
        raise DestaError("That membership no longer exists.")
    return _membership_info(membership)


def _check_membership(
    values: Mapping[str, Any], org: Organisation, current: Membership | None
) -> dict[str, Any]:
    checks = _Checks()
    clean: dict[str, Any] = {}
    consortium_uuid = _text(values, "consortium")
    consortium = (
        Consortium.get_or_none(Consortium.uuid == consortium_uuid) if consortium_uuid else None
    )
    if consortium is None:
        names = ", ".join(c.name for c in consortia())
        checks.add("consortium", f"choose the consortium: {names}")
    else:
        clash = Membership.select().where(
            (Membership.organisation == org) & (Membership.consortium == consortium)
        )
        if current is not None:
            clash = clash.where(Membership.id != current.id)
        other = clash.first()
        if other is not None and other.archived_at is None:
            checks.add("consortium", f"{org.name} is already in {consortium.name}")
        clean["consortium"] = consortium
    clean["status"] = checks.run(
        validate_choice, _text(values, "status") or "active", MEMBERSHIP_STATUSES, "status"
    )
    clean["joined_on"] = _date(checks, values, "joined_on")
    clean["left_on"] = _date(checks, values, "left_on")
    if clean["joined_on"] and clean["left_on"] and clean["left_on"] < clean["joined_on"]:
        checks.add("left_on", "the date it left cannot come before the date it joined")
    if clean["status"] == "left" and clean["left_on"] is None and not checks.errors:
        clean["left_on"] = today()
    clean["has_board_seat"] = _flag(values, "has_board_seat")
    clean["is_smg_member"] = _flag(values, "is_smg_member")
    clean["has_vote"] = _flag(values, "has_vote", True)
    clean["notes"] = str(values.get("notes", "") or "").strip()
    checks.raise_if_any()
    return clean


def create_membership(organisation_uuid: str, values: Mapping[str, Any]) -> MembershipInfo:
    """Make an organisation a member of a consortium. Rejoining after an archived membership
    brings that membership back (restored, then changed), so its history stays in one place."""
    with db.atomic():
        org = _get_org(organisation_uuid)
        clean = _check_membership(values, org, None)
        archived = Membership.get_or_none(
            (Membership.organisation == org) & (Membership.consortium == clean["consortium"])
        )
        if archived is not None:
            restore_record("membership", archived.uuid)
            archived = Membership.get_by_id(archived.id)
            update_record(archived, **clean)
            membership = archived
        else:
            membership = create_record(Membership, organisation=org, **clean)
        return _membership_info(membership)


def update_membership(uuid: str, values: Mapping[str, Any]) -> MembershipInfo:
    with db.atomic():
        membership = Membership.get_or_none(Membership.uuid == uuid)
        if membership is None:
            raise DestaError("That membership no longer exists.")
        clean = _check_membership(values, membership.organisation, membership)
        update_record(membership, **clean)
        return _membership_info(membership)


def archive_membership(uuid: str) -> RecordRef:
    return archive_record("membership", uuid)


# --- compliance papers --------------------------------------------------------------------------


def _compliance_info(item: ComplianceItem, on: date, within: int) -> ComplianceInfo:
    state, days = paper_state(item.expires_on, on, within)
    org = item.organisation
    return ComplianceInfo(
        uuid=item.uuid,
        organisation_uuid=org.uuid,
        organisation_name=org.name,
        kind=item.kind,
        kind_label=COMPLIANCE_KINDS.label(item.kind),
        reference=item.reference,
        checked_on=item.checked_on,
        expires_on=item.expires_on,
        notes=item.notes,
        state=state,
        days_left=days,
        is_archived=item.archived_at is not None,
    )


def list_compliance(
    organisation_uuid: str, *, include_archived: bool = False
) -> list[ComplianceInfo]:
    """An organisation's papers, soonest expiry first (no expiry last)."""
    org = _get_org(organisation_uuid)
    query = ComplianceItem.select().where(ComplianceItem.organisation == org)
    if not include_archived:
        query = query.where(ComplianceItem.archived_at.is_null())
    no_expiry_last = Case(None, [(ComplianceItem.expires_on.is_null(), 1)], 0)
    query = query.order_by(no_expiry_last, ComplianceItem.expires_on, ComplianceItem.kind)
    on, within = today(), warning_days()
    items = []
    for item in query:
        item.organisation = org  # already loaded: no query per row
        items.append(_compliance_info(item, on, within))
    return items


def get_compliance_item(uuid: str) -> ComplianceInfo:
    item = ComplianceItem.get_or_none(ComplianceItem.uuid == uuid)
    if item is None:
        raise DestaError("That compliance paper no longer exists.")
    return _compliance_info(item, today(), warning_days())


def _check_compliance(values: Mapping[str, Any]) -> dict[str, Any]:
    checks = _Checks()
    clean: dict[str, Any] = {}
    clean["kind"] = checks.run(validate_choice, _text(values, "kind"), COMPLIANCE_KINDS, "kind")
    clean["reference"] = _text(values, "reference")
    clean["checked_on"] = _date(checks, values, "checked_on")
    clean["expires_on"] = _date(checks, values, "expires_on")
    if clean["checked_on"] and clean["checked_on"] > today():
        checks.add("checked_on", "the date it was checked cannot be in the future")
    if clean["checked_on"] and clean["expires_on"] and clean["expires_on"] < clean["checked_on"]:
        checks.add("expires_on", "it cannot expire before the date it was checked")
    clean["notes"] = str(values.get("notes", "") or "").strip()
    checks.raise_if_any()
    return clean


def create_compliance_item(organisation_uuid: str, values: Mapping[str, Any]) -> ComplianceInfo:
    with db.atomic():
        org = _get_org(organisation_uuid)
        clean = _check_compliance(values)
        item = create_record(ComplianceItem, organisation=org, **clean)
        return _compliance_info(item, today(), warning_days())


def update_compliance_item(uuid: str, values: Mapping[str, Any]) -> ComplianceInfo:
    with db.atomic():
        item = ComplianceItem.get_or_none(ComplianceItem.uuid == uuid)
        if item is None:
            raise DestaError("That compliance paper no longer exists.")
        update_record(item, **_check_compliance(values))
        return _compliance_info(item, today(), warning_days())


def archive_compliance_item(uuid: str) -> RecordRef:
    return archive_record("compliance_item", uuid)


def expiring_compliance(
    within_days: int, consortium_uuid: str | None = None
) -> list[ComplianceInfo]:
    """Every live paper of a live organisation that has expired or expires within `within_days`
    of today, soonest first: the hub-wide "expiring" view."""
    on = today()
    query = (
        ComplianceItem.select(ComplianceItem, Organisation)
        .join(Organisation)
        .where(
            ComplianceItem.archived_at.is_null()
            & Organisation.archived_at.is_null()
            & ComplianceItem.expires_on.is_null(False)
            & (ComplianceItem.expires_on <= on + timedelta(days=within_days))
        )
        .order_by(ComplianceItem.expires_on, Organisation.name_key)
    )
    if consortium_uuid:
        members = (
            Membership.select(Membership.organisation)
            .join(Consortium)
            .where((Consortium.uuid == consortium_uuid) & Membership.archived_at.is_null())
        )
        query = query.where(Organisation.id.in_(members))
    return [_compliance_info(item, on, within_days) for item in query]


# --- contracts, history, undo -----------------------------------------------------------------


def list_partnerships(organisation_uuid: str) -> list[PartnershipInfo]:
    """The live contracts this organisation is a partner in."""
    org = _get_org(organisation_uuid)
    query = (
        ContractPartner.select(ContractPartner, Contract, Consortium)
        .join(Contract)
        .join(Consortium)
        .where(
            (ContractPartner.organisation == org)
            & ContractPartner.archived_at.is_null()
            & Contract.archived_at.is_null()
        )
        .order_by(Contract.starts_on.desc(), Contract.title)
    )
    return [
        PartnershipInfo(
            contract_uuid=p.contract.uuid,
            contract_title=p.contract.title,
            consortium_short_name=p.contract.consortium.short_name or p.contract.consortium.name,
            stage_label=CONTRACT_STAGES.label(p.contract.stage),
            role_label=PARTNER_ROLES.label(p.role),
            allocated_value=format_money(p.allocated_value_pence),
            # the partner's own term (its dates, else the contract's)
            starts_on=p.starts_on or p.contract.starts_on,
            ends_on=p.ends_on or p.contract.ends_on,
        )
        for p in query
    ]


def organisation_history(uuid: str, limit: int | None = 500) -> list[AuditEntry]:
    """The organisation's history with its contacts', memberships' and papers' (newest first)."""
    org = _get_org(uuid)
    uuids = [org.uuid]
    for model in (Contact, Membership, ComplianceItem):
        uuids += [row.uuid for row in model.select(model.uuid).where(model.organisation == org)]
    return record_history(uuids, limit=limit)


def undo_last_archive_in_members() -> RecordRef | None:
    """Bring back the last organisation, contact, membership or paper this person archived."""
    with db.atomic():
        ref = undo_last_archive(MEMBER_TABLES)
        if ref is not None and ref.table_name == "contact":
            _refresh_search_text(Contact.get(Contact.uuid == ref.uuid).organisation)
        return ref


def last_archived_in_members() -> RecordRef | None:
    return last_archived(MEMBER_TABLES)


# --- finding by name (the command palette) ----------------------------------------------------


def _subsequence(text: str) -> str:
    """ "rtr" -> "%r%t%r%": the letters in order, anything between (fuzzy, in the database)."""
    # LIKE's own wildcards are dropped: no name needs them to be found
    letters = [ch for ch in fold(text) if not ch.isspace() and ch not in "%_"]
    return "%" + "%".join(letters) + "%"


def find_organisations(text: str, limit: int = 40) -> list[Found]:
    """Live organisations whose name, boroughs or contacts hold the typed letters in order."""
    query = Organisation.select(Organisation.uuid, Organisation.name).where(
        Organisation.archived_at.is_null()
    )
    if text.strip():
        query = query.where(Organisation.search_text.ilike(_subsequence(text)))
    query = query.order_by(fn.LENGTH(Organisation.name), Organisation.name_key).limit(limit)
    return [Found(o.uuid, o.name, o.uuid, "organisation") for o in query]


def find_contacts(text: str, limit: int = 40) -> list[Found]:
    """Live, not erased contacts of live organisations, by name (letters in order)."""
    query = (
        Contact.select(Contact.uuid, Contact.full_name, Organisation.uuid, Organisation.name)
        .join(Organisation)
        .where(
            Contact.archived_at.is_null()
            & Contact.erased_at.is_null()
            & Organisation.archived_at.is_null()
        )
    )
    if text.strip():
        query = query.where(Contact.full_name.ilike(_subsequence(text)))
    query = query.order_by(fn.LENGTH(Contact.full_name), Contact.full_name).limit(limit)
    return [
        Found(c.uuid, c.full_name, c.organisation.uuid, f"contact at {c.organisation.name}")
        for c in query
    ]


def audit_count(uuid: str) -> int:
    """How many history lines a record has (tests and the detail's tab title)."""
    return AuditLog.select().where(AuditLog.record_uuid == uuid).count()
