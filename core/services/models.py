"""Movement models (mô hình)."""
from __future__ import annotations

from core.catalog import MODEL_STATUSES, Catalog
from core.errors import FieldError
from core.records import Model
from core.repos.models import ModelRepo, model_types
from core.services.common import (check_date_order, delete_record, exists,
                                  save_record, undelete_record)
from core.station import Context
from core.store import Changes


def validate(ctx: Context, model: Model, *, types: Catalog | None = None) -> list[FieldError]:
    """Located problems of a model, in Vietnamese (empty when valid).

    *types*: the model-type catalogue when the caller has read it already (a
    workbook import checks a thousand models against the same catalogue).
    """
    errors = []
    if not model.name:
        errors.append(FieldError("name", "Tên mô hình không được để trống."))
    if model.type not in (types or model_types(ctx.db)).codes():
        errors.append(FieldError("type", f"Loại mô hình “{model.type}” không có trong danh mục."))
    if model.status not in MODEL_STATUSES.codes():
        errors.append(FieldError("status", f"Tình trạng “{model.status}” không hợp lệ."))
    if not model.unit_ids:
        errors.append(FieldError("unit_ids", "Mô hình phải hoạt động ở ít nhất một đơn vị."))
    for unit_id in model.unit_ids:
        if not exists(ctx, "units", unit_id):
            errors.append(FieldError("unit_ids", "Đơn vị của mô hình không tồn tại."))
            break
    if model.replicated_from and (model.replicated_from == model.id
                                  or not exists(ctx, "models", model.replicated_from)):
        errors.append(FieldError("replicated_from", "Mô hình gốc để nhân rộng không hợp lệ."))
    if model.replication_points is not None and model.replication_points < 0:
        errors.append(FieldError("replication_points", "Số điểm nhân rộng không được âm."))
    check_date_order(errors, model.decision_date, model.launch_date, "launch_date",
                     "Ngày ra mắt không được trước ngày quyết định thành lập.")
    if model.name:
        repo = ModelRepo(ctx.store)
        for other_id in repo.ids_by_name(model.name):
            if other_id != model.id and set(repo.get(other_id).unit_ids) & set(model.unit_ids):
                errors.append(FieldError("name",
                                         f"Đã có mô hình “{model.name}” ở cùng đơn vị."))
                break
    return errors


def save(ctx: Context, model: Model) -> tuple[str, Changes]:
    """Create or update a model."""
    return save_record(ctx, ModelRepo(ctx.store), model, validate)


def delete(ctx: Context, model_id: str) -> Changes:
    """Delete a model (a tombstone)."""
    return delete_record(ctx, ModelRepo(ctx.store), model_id)


def undelete(ctx: Context, model_id: str) -> Changes:
    """Bring a deleted model back."""
    return undelete_record(ctx, ModelRepo(ctx.store), model_id)
