"""Writing an import's plan: new records in bulk, changes one by one, every write audited; a row
the database refuses undoes the lot."""

from __future__ import annotations

from typing import Any

from peewee import IntegrityError

from desta_tui.db.database import db
from desta_tui.db.models import Borough, Contact, Organisation, OrganisationBorough, RecordModel
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


def _create_in_bulk(
    model: type[RecordModel], batch: list[tuple[int, dict[str, Any]]]
) -> list[RecordModel]:
    """Create the batch's records at once; if the database refuses one, find which line's."""
    try:
        with db.atomic():
            return create_records(model, [values for _line, values in batch])
    except IntegrityError:
        pass
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
