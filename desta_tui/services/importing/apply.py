"""Writing an import's plan: new records in bulk, changes one by one, every write audited; a row
the database refuses undoes the lot."""

from __future__ import annotations

from typing import Any

from peewee import IntegrityError

from desta_tui.db.database import db
from desta_tui.db.models import (
    Borough,
    Contact,
    MonthlyReturn,
    Organisation,
    OrganisationBorough,
    RecordModel,
    Target,
)
from desta_tui.domain.errors import ImportRowError
from desta_tui.services.audit import (
    create_record,
    create_records,
    insert_rows,
    read_ids,
    update_record,
    write_audit,
    write_audits,
)
from desta_tui.services.importing.lookups import PendingOrganisation
from desta_tui.services.importing.outcomes import Planned, Step
from desta_tui.services.search_index import refresh_search_texts, search_text_of
from desta_tui.services.sync import log as change_log


class Rollback(Exception):
    """Raised inside the transaction to undo every write when a row fails as it is written."""

    def __init__(self, error: ImportRowError) -> None:
        super().__init__(str(error))
        self.error = error


def _set_boroughs(organisation: Organisation, boroughs: list[Borough], *, is_new: bool) -> None:
    old = sorted(
        b.name
        for b in Borough.select()
        .join(OrganisationBorough)
        .where(OrganisationBorough.organisation == organisation)
    )
    new = sorted(b.name for b in boroughs)
    if old == new:
        return
    OrganisationBorough.delete().where(OrganisationBorough.organisation == organisation).execute()
    for borough in boroughs:
        OrganisationBorough.create(organisation=organisation, borough=borough)
    write_audit(
        organisation,
        "create" if is_new else "update",
        "boroughs",
        "; ".join(old) or None,
        "; ".join(new),
    )


def _in_bulk(step: Step) -> bool:
    """A new record: it can be written together with the ones like it."""
    return step.existing is None


#: the records written in the order of this key (each part a related record or a value): a
#: figure's, a contract at a time in the order of its table's (partner, metric, month) index,
#: which also keeps each contract's pages of the (contract, live, metric, partner, month) one
#: together
_WRITE_ORDER: dict[type[RecordModel], tuple[str, ...]] = {
    MonthlyReturn: ("contract", "partner", "metric", "period"),
    Target: ("contract", "partner", "metric", "period"),
}


def _write_order(model: type[RecordModel], batch: list[tuple[int, dict[str, Any]]]) -> list[int]:
    """The positions of the batch's records in the order they are cheapest to write: a file of
    figures comes a month at a time, and each partner's figure of a month lands on a different
    page of the indexes above (on a hub of ten years, thousands of pages), so in the file's
    order every page is changed once a month, by a different statement each time; in key
    order, once. Each statement copies every page it changes into its statement journal (the
    row triggers and foreign keys need one), and pages changed again after the cache spilled
    them are written to the WAL again: 20,000 returns into the 10x hub copied 53,000 pages
    into statement journals and wrote 49,200 to the WAL in the file's order, 38,600 and
    29,700 in key order (the same 29,600 distinct pages)."""
    names = _WRITE_ORDER.get(model)
    if names is None:
        return list(range(len(batch)))

    def key(position: int) -> tuple:
        values = batch[position][1]
        return tuple(getattr(values[name], "id", values[name]) for name in names)

    return sorted(range(len(batch)), key=key)


def _create_in_bulk(
    model: type[RecordModel], batch: list[tuple[int, dict[str, Any]]]
) -> list[RecordModel]:
    """Create the batch's records at once, given back in the batch's order; if the database
    refuses one, find which line's (the first in the file)."""
    order = _write_order(model, batch)
    try:
        with db.atomic():
            written = create_records(model, [batch[position][1] for position in order])
    except IntegrityError:
        pass
    else:
        records: list[RecordModel] = [None] * len(batch)  # type: ignore[list-item]
        for position, record in zip(order, written, strict=True):
            records[position] = record
        return records
    records = []
    for line, values in batch:
        try:
            with db.atomic():
                records.append(create_record(model, **values))
        except IntegrityError as error:
            raise Rollback(
                ImportRowError(line, None, f"the database refused it: {error}")
            ) from None
    return records


def _create_organisations(steps: list[tuple[int, Step]]) -> dict[str, Organisation]:
    """Create new organisations at once, with their boroughs (and that history) and their
    search text; the organisations by the name key later rows know them by."""
    # a file names the same few sets of boroughs on every row: each set is put in words once
    # (its names for the search text, its history words, its uuids for the change log)
    said: dict[tuple[int, ...], tuple[list[str], str, list[str]]] = {}
    batch, words = [], []
    for line, step in steps:
        boroughs = step.boroughs or ()
        key = tuple(map(id, boroughs))
        found = said.get(key)
        if found is None:
            names = [borough.name for borough in boroughs]
            uuids = [borough.uuid for borough in boroughs]
            found = said[key] = (names, "; ".join(sorted(names)), uuids)
        words.append(found)
        # a new organisation has no contacts yet: its name and boroughs are all it is found by
        search_text = search_text_of(step.values["name"], found[0], ())
        batch.append((line, {**step.values, "search_text": search_text}))
    organisations = _create_in_bulk(Organisation, batch)
    read_ids(Organisation, [org for org in organisations if org.id is None])
    links, history = [], []
    table_name = Organisation._meta.table_name
    for (_line, step), organisation, (_names, names_said, _uuids) in zip(
        steps, organisations, words, strict=True
    ):
        if step.boroughs:
            org_id = organisation.id
            links += [(org_id, borough.id) for borough in step.boroughs]
            history.append((table_name, organisation.uuid, organisation.display_name(), "create",
                            "boroughs", None, names_said))  # fmt: skip
    insert_rows(OrganisationBorough, ["organisation_id", "borough_id"], links)
    # the change log carries each new organisation's boroughs: told, they need no reading back
    change_log.links_created(
        OrganisationBorough,
        [(org, found[2]) for org, found in zip(organisations, words, strict=True)],
    )
    write_audits(history)
    return {step.new_key: org for (_line, step), org in zip(steps, organisations, strict=True)}


def apply_plan(planned: list[Planned]) -> None:
    steps = [(item.outcome.line, step) for item in planned for step in item.steps]
    new_organisations = [
        (line, step) for line, step in steps if step.model is Organisation and _in_bulk(step)
    ]
    # written first, so that later rows' records can refer to them by id
    created = _create_organisations(new_organisations) if new_organisations else {}
    touched_orgs: dict[int, Organisation] = {}
    batch: list[tuple[int, dict[str, Any]]] = []
    batch_model: type[RecordModel] | None = None
    for line, step in steps:
        if step.model is Organisation and _in_bulk(step):
            continue
        # a row names an organisation still to be written only when the import creates some
        values = step.values
        if created:
            values = {
                name: created[value.name_key] if isinstance(value, PendingOrganisation) else value
                for name, value in values.items()
            }
        in_bulk = _in_bulk(step)
        if batch and (not in_bulk or step.model is not batch_model):
            _create_in_bulk(batch_model, batch)
            batch = []
        if step.model is Contact:
            # the members filter matches contacts' names too
            organisation = values.get("organisation") or step.existing.organisation
            touched_orgs[organisation.id] = organisation
        if in_bulk:
            batch_model = step.model
            batch.append((line, values))
            continue
        try:
            if step.existing is None:
                record = create_record(step.model, **values)
            else:
                record = step.existing
                if values:
                    update_record(record, **values)
        except IntegrityError as error:
            raise Rollback(
                ImportRowError(line, None, f"the database refused it: {error}")
            ) from None
        if step.new_key is not None:
            created[step.new_key] = record
        if isinstance(record, Organisation):
            if step.boroughs is not None:
                _set_boroughs(record, step.boroughs, is_new=step.existing is None)
            touched_orgs[record.id] = record
    if batch:
        _create_in_bulk(batch_model, batch)
    # the members filter matches names, boroughs and contacts: keep it in step
    refresh_search_texts(list(touched_orgs.values()))
