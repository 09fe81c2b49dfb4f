"""Which live contracts' commissioners are overdue a contact, and how long since each was last
contacted (the dashboard's lines; the overview and the contract records show the status too):
apart from the contact log's other read models and its editing, which the start does not load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import JOIN, fn

from desta_tui.db.models import CommissionerContact, Consortium, Contract, Organisation
from desta_tui.domain.contracts import CLOSED_STAGES, is_contact_expected, is_contact_overdue
from desta_tui.domain.dates import format_uk_date
from desta_tui.services.context import today
from desta_tui.services.settings import get_setting


def default_contact_interval_days() -> int:
    """Days between commissioner contacts for a contract that sets none (a setting)."""
    return int(get_setting("commissioner_contact_days"))


@dataclass(frozen=True)
class ContactStatus:
    """How long since the commissioner was last contacted, and whether that is too long."""

    last_contacted_on: date | None
    days_since: int | None
    interval_days: int
    is_due: bool
    """The contract is live, so contact with the commissioner is expected."""
    is_overdue: bool

    @property
    def text(self) -> str:
        if not self.is_due:
            return "not expected at this stage"
        if self.last_contacted_on is None:
            return "no contact logged (OVERDUE)"
        days = f"{self.days_since} day{'s' if self.days_since != 1 else ''} ago"
        flag = f" (OVERDUE: every {self.interval_days} days)" if self.is_overdue else ""
        return f"last {format_uk_date(self.last_contacted_on)}, {days}{flag}"


@dataclass(frozen=True)
class OverdueContact:
    """A live contract whose commissioner has not been contacted within its interval."""

    contract_uuid: str
    contract_title: str
    consortium_name: str
    commissioner_name: str
    last_contacted_on: date | None
    days_since: int | None
    interval_days: int


def last_contacts(contract_ids: list[int]) -> dict[int, date]:
    """When each contract's commissioner was last contacted (those never contacted left out)."""
    if not contract_ids:
        return {}
    query = (
        CommissionerContact.select(
            CommissionerContact.contract, fn.MAX(CommissionerContact.contacted_on)
        )
        .where(
            CommissionerContact.contract.in_(contract_ids)
            & CommissionerContact.archived_at.is_null()
        )
        .group_by(CommissionerContact.contract)
        .tuples()
    )
    result = {}
    for contract_id, last in query:
        # SQLite hands back MAX() of a date column as text
        result[contract_id] = date.fromisoformat(last) if isinstance(last, str) else last
    return result


def contact_status(contract: Contract, last: date | None, on: date) -> ContactStatus:
    """Whether `contract`'s commissioner, last contacted on `last`, is due or overdue on `on`."""
    interval = contract.contact_interval_days or default_contact_interval_days()
    is_archived = contract.archived_at is not None
    days = (on - last).days if last is not None else None
    return ContactStatus(
        last,
        days,
        interval,
        is_contact_expected(contract.stage, is_archived),
        is_contact_overdue(contract.stage, is_archived, days, interval),
    )


def overdue_commissioner_contacts(consortium_uuid: str | None = None) -> list[OverdueContact]:
    """Live contracts whose commissioner is overdue a contact, longest wait first."""
    commissioner = Organisation.alias()
    # the fields the status and the line need: a hub's hundreds of contracts, each a model
    # with its consortium and commissioner, cost more to build than to read
    query = (
        Contract.select(
            Contract.id,
            Contract.uuid,
            Contract.title,
            Contract.stage,
            Contract.archived_at,
            Contract.contact_interval_days,
            Contract.commissioner,
            Consortium.name.alias("consortium_name"),
            commissioner.name.alias("commissioner_name"),
        )
        .join(Consortium)
        .switch(Contract)
        .join(commissioner, JOIN.LEFT_OUTER, on=(Contract.commissioner == commissioner.id))
        .where(Contract.archived_at.is_null() & Contract.stage.not_in(CLOSED_STAGES))
    )
    if consortium_uuid:
        query = query.where(Consortium.uuid == consortium_uuid)
    contracts = list(query.objects())  # the names as attributes of the contract
    lasts = last_contacts([c.id for c in contracts])
    on = today()
    found = []
    for contract in contracts:
        status = contact_status(contract, lasts.get(contract.id), on)
        if status.is_overdue:
            found.append(
                OverdueContact(
                    contract_uuid=contract.uuid,
                    contract_title=contract.title,
                    consortium_name=contract.consortium_name,
                    commissioner_name=contract.commissioner_name or "",
                    last_contacted_on=status.last_contacted_on,
                    days_since=status.days_since,
                    interval_days=status.interval_days,
                )
            )
    # never contacted first, then the longest silence
    return sorted(found, key=lambda o: (o.days_since is not None, -(o.days_since or 0)))
