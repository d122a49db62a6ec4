"""Units (đơn vị) and their yearly recognition as safe on security and order."""
from __future__ import annotations

from core.catalog import UNIT_TYPES
from core.errors import FieldError, ValidationError
from core.records import Unit, UnitYear
from core.repos.units import UnitRepo, UnitYearRepo
from core.services.common import (delete_record, exists, guard, normalise,
                                  save_record, undelete_record)
from core.station import Context
from core.store import Changes


def validate(ctx: Context, unit: Unit) -> list[FieldError]:
    """Located problems of a unit, in Vietnamese (empty when valid)."""
    errors = []
    if not unit.name:
        errors.append(FieldError("name", "Tên đơn vị không được để trống."))
    if unit.type not in UNIT_TYPES.codes():
        errors.append(FieldError("type", f"Loại đơn vị “{unit.type}” không có trong danh mục."))
    if unit.parent_id:
        repo = UnitRepo(ctx.store)
        if not exists(ctx, "units", unit.parent_id):
            errors.append(FieldError("parent_id", "Đơn vị cấp trên không tồn tại."))
        elif unit.id and (unit.parent_id == unit.id or unit.id in repo.ancestors(unit.parent_id)):
            errors.append(FieldError("parent_id", "Một đơn vị không thể thuộc chính nó."))
    if unit.households is not None and unit.households < 0:
        errors.append(FieldError("households", "Số hộ không được âm."))
    if unit.name:
        twins = [i for i in UnitRepo(ctx.store).ids_by_name(unit.name) if i != unit.id
                 and UnitRepo(ctx.store).get(i).parent_id == unit.parent_id]
        if twins:
            errors.append(FieldError("name", f"Đã có đơn vị “{unit.name}” cùng cấp."))
    return errors


def save(ctx: Context, unit: Unit) -> tuple[str, Changes]:
    """Create or update a unit."""
    return save_record(ctx, UnitRepo(ctx.store), unit, validate)


def delete(ctx: Context, unit_id: str) -> Changes:
    """Delete a unit (a tombstone; undo with :func:`undelete`)."""
    return delete_record(ctx, UnitRepo(ctx.store), unit_id)


def undelete(ctx: Context, unit_id: str) -> Changes:
    """Bring a deleted unit back."""
    return undelete_record(ctx, UnitRepo(ctx.store), unit_id)


def validate_year(ctx: Context, entry: UnitYear) -> list[FieldError]:
    """Problems of a yearly recognition entry."""
    errors = []
    if not exists(ctx, "units", entry.unit_id):
        errors.append(FieldError("unit_id", "Đơn vị không tồn tại."))
    if not 2000 <= int(entry.year or 0) <= 2100:
        errors.append(FieldError("year", f"Năm “{entry.year}” không hợp lệ."))
    if entry.recognised and not entry.registered:
        errors.append(FieldError("registered",
                                 "Đơn vị được công nhận đạt chuẩn phải có đăng ký."))
    return errors


def set_year(ctx: Context, entry: UnitYear) -> tuple[str, Changes]:
    """Record a unit's registration/recognition for a year (one entry per year)."""
    guard(ctx, "edit")
    normalise(entry)
    errors = validate_year(ctx, entry)
    if errors:
        raise ValidationError(errors)
    existing = UnitYearRepo(ctx.store).for_unit(entry.unit_id, entry.year)
    if existing is not None:
        entry.id = existing.id
    return save_record(ctx, UnitYearRepo(ctx.store), entry, validate_year)


def years(ctx: Context, unit_id: str) -> list[UnitYear]:
    """A unit's yearly entries, newest first."""
    return UnitYearRepo(ctx.store).all("unit_id = ?", [unit_id], order_by="year DESC")
