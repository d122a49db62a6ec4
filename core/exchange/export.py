"""Writing packages: commune → province (up) and province → communes (down)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core import audit
from core.errors import UserError
from core.exchange import content as ct
from core.exchange import ledger
from core.exchange.envelope import FORMAT_VERSION, b64, open_body, open_envelope, read_limited, seal
from core.files import write_bytes
from core.services.common import guard
from core.station import Context
from core.store import now
from core.text import format_date


@dataclass(frozen=True)
class ExportResult:
    """What ``export-package`` wrote."""

    path: str
    sequence: int
    records: dict[str, int]
    recipient: str
    encrypted: bool
    size: int
    sha256: str


@dataclass
class _Plan:
    kind: str
    recipient: str
    recipient_box: bytes | None
    recipient_fingerprint: str | None
    records: dict
    receipts: list


def export_package(ctx: Context, out: str | Path, *, to: str | None = None) -> ExportResult:
    """Write this station's package to *out* atomically, then read it back and check it.

    At a commune: a full snapshot of everything the commune owns (tombstones
    included), encrypted for its province. At a province: the catalogue, the
    province's keys and receipts for every commune (signed, not encrypted), or
    with *to*: the same for one commune plus the province's commendations that
    concern it, encrypted for that commune.
    """
    guard(ctx, "edit")
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"Thư mục “{out.parent}” không tồn tại.")
    if ctx.station.level == "xa":
        _refuse_what_the_province_would(ctx)
    plan = _plan_up(ctx, to) if ctx.station.level == "xa" else _plan_down(ctx, to)
    created = now()
    sequence = ledger.reserve_sequence(ctx.db, plan.recipient, created, ctx.user)
    counts = {t: len(block["rows"]) for t, block in plan.records.items()}
    station = ctx.station
    period = {"from": ct.earliest_date(ctx.db, station.code) if plan.kind == "up" else None,
              "to": ct.today()}
    manifest = {
        "format": FORMAT_VERSION, "kind": plan.kind, "sequence": sequence,
        "sender": {"code": station.code, "name": station.name, "level": station.level,
                   "box_public": b64(station.box_public),
                   "fingerprint": station.fingerprint},
        "recipient": {"code": plan.recipient, "fingerprint": plan.recipient_fingerprint},
        "period": period, "created_at": created, "counts": counts,
        "catalogue_version": ct.catalogue_version(ctx.db),
        # The head of this station's audit trail: the province keeps it and confirms it
        # in its receipt, so the commune's check can tell entries deleted after it.
        "audit_head": audit.head_json(ctx.db),
    }
    body = json.dumps({"records": plan.records, "receipts": plan.receipts},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    sign_private, box_private = ledger.station_private_keys(ctx.db)
    data = seal(manifest, body, Ed25519PrivateKey.from_private_bytes(sign_private),
                plan.recipient_box)
    write_bytes(out, data)
    _read_back(out, data, box_private if plan.recipient_box is None else None)
    digest = hashlib.sha256(data).hexdigest()
    ledger.finish_export(ctx.db, sequence, period_from=period["from"],
                         period_to=period["to"], counts=counts, sha256=digest,
                         file_name=out.name, audit_head=manifest["audit_head"])
    return ExportResult(str(out), sequence, counts, plan.recipient,
                        plan.recipient_box is not None, len(data), digest)


def _refuse_what_the_province_would(ctx: Context) -> None:
    """Say before sending what the province's entry rules would refuse the package for.

    Results saved before a result needed a unit or a model (core.rules) cannot
    travel; the officer is told which, and nothing is written (no sequence used).
    """
    days = [r[0] for r in ctx.db.execute(
        "SELECT date FROM results WHERE deleted = 0 AND owner = ?"
        " AND coalesce(unit_id, '') = '' AND coalesce(model_id, '') = '' ORDER BY date", [ctx.station.code])]
    if days:
        shown = ", ".join(format_date(d) for d in days[:5]) + (", …" if len(days) > 5 else "")
        raise UserError(f"Chưa xuất được tệp: {len(days)} kết quả chưa ghi đơn vị hoặc mô hình "
                        f"(ngày {shown}); Công an tỉnh sẽ không nhận tệp như vậy. Vào thẻ "
                        "Kết quả, ghi đơn vị hoặc mô hình cho các kết quả đó rồi xuất lại.")


def _plan_up(ctx: Context, to: str | None) -> _Plan:
    province = ledger.province(ctx.db)
    if province is None:
        raise UserError(
            "Chưa có khóa công khai của Công an tỉnh nên chưa thể xuất gói dữ liệu "
            "(dữ liệu phải được mã hóa cho Công an tỉnh). Hãy nhận gói dữ liệu do Công an "
            "tỉnh gửi xuống trước (import-package TỆP --trust-new).")
    if to and to != province.code:
        raise UserError(f"Công an xã chỉ gửi gói cho Công an tỉnh đã ghi nhận "
                        f"({province.code}), không gửi cho “{to}”.")
    records = {t: ct.collect(ctx.db, t, "owner = ?", [ctx.station.code])
               for t in ct.UP_TABLES}
    records = {t: block for t, block in records.items() if block["rows"]}
    if problem := ct.outgoing_problem(records):
        raise UserError(
            f"Chưa xuất gói: Công an tỉnh sẽ không nhận dữ liệu này. {problem} Hãy sửa "
            "bản ghi đó rồi xuất lại; ký tự điều khiển do phiên bản cũ để lọt vào thì bỏ "
            "được cho mọi bản ghi bằng lệnh “repair-text --from control”. Chưa ghi tệp nào.")
    return _Plan("up", province.code, province.box_public, province.fingerprint,
                 records, [])


def _plan_down(ctx: Context, to: str | None) -> _Plan:
    code = ctx.station.code
    records = {"model_types": ct.collect(ctx.db, "model_types", "owner IN ('', ?)", [code])}
    if not to:
        return _Plan("down", "*", None, None, records, ledger.receipts_for(ctx.db))
    commune = ledger.get_peer(ctx.db, to)
    if commune is None or commune.level != "xa":
        raise UserError(f"Chưa nhận gói nào từ xã “{to}” nên chưa có khóa công khai để mã "
                        "hóa gói gửi xuống. Hãy nhận gói của xã đó trước.")
    concerning = (
        "owner = ? AND ((recipient_kind = 'person' AND recipient_id IN"
        " (SELECT id FROM persons WHERE owner = ?)) OR (recipient_kind = 'model' AND"
        " recipient_id IN (SELECT id FROM models WHERE owner = ?)) OR (recipient_kind ="
        " 'unit' AND recipient_id IN (SELECT id FROM units WHERE owner = ?)))")
    records["commendations"] = ct.collect(ctx.db, "commendations", concerning,
                                          [code, to, to, to])
    return _Plan("down", to, commune.box_public, commune.fingerprint, records,
                 ledger.receipts_for(ctx.db, to))


def _read_back(path: Path, expected: bytes, box_private: bytes | None) -> None:
    """Read the written file again and check it is the package just made."""
    written = read_limited(path)
    if written != expected:
        raise UserError(f"Tệp “{path}” ghi ra không khớp với dữ liệu (ổ đĩa có thể bị "
                        "lỗi). Hãy thử lại hoặc dùng ổ đĩa khác.")
    envelope = open_envelope(written)
    if box_private is not None:        # a clear package: check its content too
        open_body(envelope, box_private)
