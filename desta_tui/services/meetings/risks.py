"""The risk register: likelihood x impact, owner, review date and status, per consortium."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import Consortium, Risk
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.forms import Checks
from desta_tui.domain.meetings import (
    LIVE_RISK_STATUSES,
    RISK_STATUSES,
    risk_band,
    risk_score,
    validate_risk_rating,
)
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.context import today
from desta_tui.services.meetings.common import (
    consortium,
    date_value,
    find,
    long_text_value,
    text_value,
    uuid_value,
)
from desta_tui.services.meetings.views import RiskLine
from desta_tui.services.records import archive_record, restore_record, undo_last_archive

RISK_TABLE = Risk._meta.table_name


def _clean(values: Mapping[str, Any], risk: Risk | None) -> dict[str, Any]:
    checks, clean = Checks(), {}
    errors = checks.errors
    attempt = partial(checks.put, clean)

    if risk is None:
        attempt("consortium", lambda: consortium(uuid_value(values, "consortium")))
    clean["title"] = text_value(values, "title")
    if not clean["title"]:
        errors.append(ValidationError("title", "name the risk"))
    elif len(clean["title"]) > 200:
        errors.append(ValidationError("title", "keep the title under 200 characters"))
    clean["description"] = long_text_value(values, "description")
    clean["mitigation"] = long_text_value(values, "mitigation")
    clean["owner"] = text_value(values, "owner")
    if not clean["owner"]:
        errors.append(ValidationError("owner", "say who owns the risk"))
    attempt("likelihood", lambda: validate_risk_rating(values.get("likelihood"), "likelihood"))
    attempt("impact", lambda: validate_risk_rating(values.get("impact"), "impact"))
    attempt("review_on", lambda: date_value(values.get("review_on"), "review_on"))
    status = text_value(values, "status") or "open"
    if status not in RISK_STATUSES.codes:
        errors.append(ValidationError("status", f"{status!r} is not a risk status"))
    clean["status"] = status
    FormError.raise_if_any(errors)
    return clean


def _line(risk: Risk, on: date) -> RiskLine:
    score = risk_score(risk.likelihood, risk.impact)
    return RiskLine(
        uuid=risk.uuid,
        consortium_uuid=risk.consortium.uuid,
        title=risk.title,
        description=risk.description,
        likelihood=risk.likelihood,
        impact=risk.impact,
        score=score,
        band=risk_band(score),
        owner=risk.owner,
        mitigation=risk.mitigation,
        review_on=risk.review_on,
        status=risk.status,
        is_review_due=(
            risk.status in LIVE_RISK_STATUSES
            and risk.review_on is not None
            and risk.review_on <= on
        ),
    )


def get_risk(risk_uuid: str) -> RiskLine:
    return _line(find(Risk, risk_uuid, live=False), today())


def add_risk(values: Mapping[str, Any]) -> RiskLine:
    """Enter a risk: `consortium`, `title`, `likelihood` and `impact` (1-5), `owner`,
    `review_on`, `mitigation`, `description`, `status`."""
    with db.atomic():
        risk = create_record(Risk, **_clean(values, None))
    return get_risk(risk.uuid)


def update_risk(risk_uuid: str, values: Mapping[str, Any]) -> RiskLine:
    with db.atomic():
        risk = find(Risk, risk_uuid)
        merged = {name: getattr(risk, name) for name in (
            "title", "description", "mitigation", "owner", "likelihood", "impact", "review_on",
            "status")}  # fmt: skip
        update_record(risk, **_clean({**merged, **values}, risk))
    return get_risk(risk_uuid)


def archive_risk(risk_uuid: str):
    """Archive a risk entered in error (a risk that has passed is closed instead)."""
    return archive_record(RISK_TABLE, risk_uuid)


def restore_risk(risk_uuid: str):
    return restore_record(RISK_TABLE, risk_uuid)


def undo_risk_archive():
    return undo_last_archive([RISK_TABLE])


def list_risks(
    consortium_uuid: str, *, include_closed: bool = False, on: date | None = None
) -> list[RiskLine]:
    """The register, highest score first, then the soonest review."""
    on = on or today()
    query = (
        Risk.select(Risk, Consortium)
        .join(Consortium)
        .where((Consortium.uuid == consortium_uuid) & Risk.archived_at.is_null())
    )
    if not include_closed:
        query = query.where(Risk.status.in_(LIVE_RISK_STATUSES))
    lines = [_line(risk, on) for risk in query]
    return sorted(
        lines,
        key=lambda line: (-line.score, line.review_on or date.max, line.title.casefold()),
    )


def risk_status_choices() -> list[tuple[str, str]]:
    return RISK_STATUSES.options()
