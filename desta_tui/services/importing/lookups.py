"""The hub's records by the names an import file uses for them, each kind read once per import."""

from __future__ import annotations

from functools import cached_property

from desta_tui.db.models import (
    Borough,
    Consortium,
    Contract,
    ContractPartner,
    Metric,
    MonthlyReturn,
    Organisation,
    OrganisationBorough,
    PeriodLock,
    RecordModel,
    Target,
)
from desta_tui.domain.errors import ValidationError
from desta_tui.domain.places import match_boroughs
from desta_tui.domain.validation import normalise_name
from desta_tui.services.context import current_user, now
from desta_tui.services.importing.rows import RowReader


class PendingOrganisation:
    """An organisation this import creates on an earlier row, filled in when it is written."""

    def __init__(self, name_key: str) -> None:
        self.name_key = name_key


class _LiveOrganisations:
    """The hub's live organisations by name key. The keys are read at once; the records only
    when a row first names one of them, and then all together: a file of new organisations
    never builds the hub's thousands of records."""

    def __init__(self) -> None:
        query = Organisation.select(Organisation.name_key).where(Organisation.archived_at.is_null())
        # the cursor's rows as they are: a large hub's hundred thousand keys, each a text the
        # model would hand back unchanged, are not passed through peewee's row conversion
        sql, params = query.sql()
        self._keys = {key for (key,) in Organisation._meta.database.execute_sql(sql, params)}
        self._records: dict[str, Organisation] | None = None

    def __contains__(self, name_key: str) -> bool:
        return name_key in self._keys

    def __getitem__(self, name_key: str) -> Organisation:
        found = self.get(name_key)
        if found is None:
            raise KeyError(name_key)
        return found

    def get(self, name_key: str) -> Organisation | None:
        if name_key not in self._keys:
            return None
        if self._records is None:
            query = Organisation.select().where(Organisation.archived_at.is_null())
            self._records = {o.name_key: o for o in query}
        return self._records.get(name_key)


class Lookups:
    """Existing records by the names a file uses for them, each kind loaded once per import
    when a row first needs it."""

    def __init__(self) -> None:
        live = Borough.select().where(Borough.archived_at.is_null()).order_by(Borough.name)
        self.boroughs = {b.name: b for b in live}
        # a file names the same few boroughs on every row: each cell's reading is kept
        self._borough_cells: dict[str, list[Borough] | str] = {}
        self.consortia: dict[str, Consortium] = {}
        for consortium in Consortium.select().where(Consortium.archived_at.is_null()):
            self.consortia[normalise_name(consortium.name)] = consortium
            if consortium.short_name:
                self.consortia.setdefault(normalise_name(consortium.short_name), consortium)
        self.pending: dict[str, int] = {}  # name_key -> line creating it
        self.seen: dict[tuple, int] = {}  # record key -> first line naming it
        self._contracts: dict[str, Contract] | None = None
        self._metrics: dict[str, Metric] | None = None
        self._partners: dict[tuple[int, str], ContractPartner] | None = None
        self._locks: set[tuple[int, str]] | None = None
        self._borough_names: dict[int, list[str]] = {}
        self._keys: dict[str, str] = {}
        # who imports and when: a figure entered without them in the file is entered by the import
        self.who = current_user()
        self.started_at = now()
        self._figures: dict[tuple[type, str], dict[tuple[int, int], RecordModel]] = {}

    @cached_property
    def organisations(self) -> _LiveOrganisations:
        return _LiveOrganisations()

    @cached_property
    def archived_organisations(self) -> dict[str, Organisation]:
        query = Organisation.select().where(Organisation.archived_at.is_null(False))
        return {o.name_key: o for o in query}

    def key(self, text: str) -> str:
        """`normalise_name(text)`, remembered: a file names the same few things on every row."""
        if text not in self._keys:
            self._keys[text] = normalise_name(text)
        return self._keys[text]

    def figure(
        self, model: type[Target] | type[MonthlyReturn], partner: ContractPartner, metric, period
    ) -> RecordModel | None:
        """The target or return already there for the partner, metric and month (archived
        too), read a month at a time."""
        if (model, period) not in self._figures:
            # every figure has a contract: asking for those of every contract is asking for all,
            # read from the index on (contract, period) rather than the whole table
            every_contract = model.contract.in_(Contract.select(Contract.id))
            self._figures[(model, period)] = {
                (row.partner_id, row.metric_id): row
                for row in model.select().where((model.period == period) & every_contract)
            }
        return self._figures[(model, period)].get((partner.id, metric.id))

    def organisation(
        self, reader: RowReader, key: str
    ) -> Organisation | PendingOrganisation | None:
        name = reader.text(key)
        if not name:
            return None
        name_key = normalise_name(name)
        if name_key in self.organisations:
            return self.organisations[name_key]
        if name_key in self.pending:
            return PendingOrganisation(name_key)
        if name_key in self.archived_organisations:
            reader.fail(key, f"{name!r} is archived: restore it first")
        else:
            reader.fail(key, f"there is no organisation called {name!r}")
        return None

    def borough_list(self, reader: RowReader) -> list[Borough] | None:
        """The boroughs of the row's "boroughs" cell, read as the forms read them
        (domain.places.match_boroughs); None when the file has no such cell or it is blank."""
        if not reader.has("boroughs") or not reader.text("boroughs"):
            return None
        typed = reader.text("boroughs")
        if typed not in self._borough_cells:
            try:
                names = match_boroughs(typed, list(self.boroughs))
            except ValidationError as error:
                self._borough_cells[typed] = error.message
            else:
                self._borough_cells[typed] = [self.boroughs[name] for name in names]
        found = self._borough_cells[typed]
        if isinstance(found, str):
            reader.fail("boroughs", found)
            return []
        return list(found)

    def boroughs_of(self, organisation: Organisation) -> list[str]:
        if organisation.id not in self._borough_names:
            self._borough_names[organisation.id] = sorted(
                b.name
                for b in Borough.select()
                .join(OrganisationBorough)
                .where(OrganisationBorough.organisation == organisation)
            )
        return self._borough_names[organisation.id]

    def contract(self, reader: RowReader) -> Contract | None:
        if self._contracts is None:
            self._contracts = {}
            for contract in Contract.select().where(Contract.archived_at.is_null()):
                self._contracts.setdefault(normalise_name(contract.title), contract)
                if contract.reference:
                    self._contracts.setdefault(normalise_name(contract.reference), contract)
        name = reader.text("contract")
        if not name:
            return None
        contract = self._contracts.get(self.key(name))
        if contract is None:
            reader.fail("contract", f"there is no contract called {name!r}")
        return contract

    def metric(self, reader: RowReader) -> Metric | None:
        if self._metrics is None:
            self._metrics = {}
            for metric in Metric.select().where(Metric.archived_at.is_null()):
                self._metrics.setdefault(normalise_name(metric.code), metric)
                self._metrics.setdefault(normalise_name(metric.code.replace("_", " ")), metric)
                self._metrics.setdefault(normalise_name(metric.name), metric)
        name = reader.text("metric")
        if not name:
            return None
        metric = self._metrics.get(self.key(name))
        if metric is None:
            reader.fail("metric", f"there is no metric called {name!r}")
        return metric

    def partner(self, reader: RowReader, contract: Contract | None) -> ContractPartner | None:
        if self._partners is None:
            self._partners = {}
            # with the contract too: the history names a partner "organisation on contract";
            # only what finds and names them (a hub's thousands of partners, each record built
            # column by column, add up)
            query = (
                ContractPartner.select(
                    ContractPartner.id,
                    ContractPartner.uuid,
                    ContractPartner.contract,
                    ContractPartner.organisation,
                    Organisation.id,
                    Organisation.uuid,
                    Organisation.name,
                    Organisation.name_key,
                    Contract.id,
                    Contract.uuid,
                    Contract.title,
                )
                .join(Organisation)
                .switch(ContractPartner)
                .join(Contract)
                .where(ContractPartner.archived_at.is_null())
            )
            for partner in query:
                self._partners[(partner.contract_id, partner.organisation.name_key)] = partner
        name = reader.text("partner")
        if not name or contract is None:
            return None
        partner = self._partners.get((contract.id, self.key(name)))
        if partner is None:
            reader.fail("partner", f"{name!r} is not a partner in {contract.title!r}")
        return partner

    def is_locked(self, contract: Contract, period: str) -> bool:
        if self._locks is None:
            self._locks = {
                (lock.contract_id, lock.period)
                for lock in PeriodLock.select().where(PeriodLock.archived_at.is_null())
            }
        return (contract.id, period) in self._locks

    def first_line(self, key: tuple, reader: RowReader, column: str, what: str) -> bool:
        """Refuse a second row for the same record; True when this row is the first."""
        if key in self.seen:
            reader.fail(column, f"{what} is already on line {self.seen[key]} of this file")
            return False
        self.seen[key] = reader.line
        return True
