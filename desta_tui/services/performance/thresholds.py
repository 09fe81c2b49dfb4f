"""The RAG thresholds: read from Settings, and set from percentages a person types."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from desta_tui.db.database import db
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.rag import Thresholds
from desta_tui.services.settings import get_setting, set_setting


def rag_thresholds() -> Thresholds:
    """The green and amber thresholds from Settings (the product defaults if unreadable)."""
    try:
        return Thresholds(get_setting("rag_green_at"), get_setting("rag_amber_at"))
    except ValidationError:
        return Thresholds()


def _parse_threshold(text: str, field_name: str) -> Decimal:
    raw = (text or "").strip().rstrip("%").strip()
    if not raw:
        raise ValidationError(field_name, "enter a percentage like 95%")
    try:
        percent = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(field_name, f"{text!r} is not a percentage like 95%") from None
    if not percent.is_finite() or not 0 < percent <= 200:
        raise ValidationError(field_name, "give a percentage above 0% and at most 200%")
    return percent / 100


def set_rag_thresholds(green_text: str, amber_text: str) -> Thresholds:
    """Save the thresholds typed as percentages (`95`, `95%`); both checked before either is."""
    errors = []
    values = {}
    for name, text in (("rag_green_at", green_text), ("rag_amber_at", amber_text)):
        try:
            values[name] = _parse_threshold(text, name)
        except ValidationError as error:
            errors.append(error)
    FormError.raise_if_any(errors)
    try:
        thresholds = Thresholds(values["rag_green_at"], values["rag_amber_at"])
    except ValidationError as error:
        raise FormError([ValidationError("rag_amber_at", error.message)]) from None
    with db.atomic():
        set_setting("rag_green_at", str(thresholds.green_at.normalize()))
        set_setting("rag_amber_at", str(thresholds.amber_at.normalize()))
    return thresholds
