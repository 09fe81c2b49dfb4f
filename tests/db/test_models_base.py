"""The fields every model inherits from desta_tui/db/models/base.py: each model's are its own."""

from __future__ import annotations

import copy

from desta_tui.db.models import Contract, Organisation, SupportTicket
from desta_tui.db.models.base import RecordModel


def test_each_record_model_has_its_own_id_uuid_and_times():
    models = (Contract, Organisation, SupportTicket)
    for name in ("id", "uuid", "created_at", "updated_at", "archived_at"):
        fields = [getattr(model, name) for model in models]
        assert len({id(field) for field in fields}) == len(models), name
        for model, field in zip(models, fields, strict=True):
            assert field.model is model and field.name == name and field.column_name == name
    for model in models:
        assert model._meta.primary_key is model.id and model.id.primary_key
        assert model.uuid.unique and model.uuid.max_length == 36 and not model.uuid.null
        assert model.archived_at.null and model.archived_at.index
        assert [f.name for f in model._meta.sorted_fields][:5] == [
            "id",
            "uuid",
            "created_at",
            "updated_at",
            "archived_at",
        ]


def test_a_copied_field_is_a_field_of_its_own():
    original = RecordModel.uuid
    copied = copy.deepcopy(original)
    assert copied is not original and type(copied) is type(original)
    assert (copied.unique, copied.max_length, copied.default) == (True, 36, original.default)
    copied.bind(Contract, "other_uuid", set_attribute=False)
    assert original.model is RecordModel and original.name == "uuid"
