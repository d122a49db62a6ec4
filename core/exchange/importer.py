"""Checking and taking in packages (``verify-package``, ``import-package``).

Every check runs before anything is written; a file is then applied in one
store transaction (records, pinned key, sequence, import log, receipts) or not
at all. Records keep their global id, owner, version and timestamps: the
receiver holds a read-only copy and never overwrites a record it does not get
from that record's owner.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core import audit, cipher
from core.exchange import content as ct
from core.exchange import ledger
from core.exchange.envelope import (MAGIC, MAX_HEADER, Envelope, PackageError, open_body,
                                    open_envelope, read_limited)
from core.schema import ENTITIES, META_COLUMNS
from core.services.common import guard
from core.station import Context
from core.store import now

Progress = Callable[[int, int], object]
# The person's answer per new sender: (sender code, fingerprint) -> trusted or refused.
TrustAnswers = Mapping[tuple[str, str], bool]
WAL_PAGES = 65536      # log pages (256 MB) between copies into the database while importing
WAL_KEEP = 64 * 1024 * 1024   # bytes of log file kept on disk once it has been copied


@dataclass
class Opened:
    """A package that passed every check that does not depend on trust or order."""

    manifest: ct.Manifest
    content: ct.Content
    sha256: str
    file_name: str
    new_sender: bool


@dataclass
class FileResult:
    """The outcome for one file, as ``import-package --json`` prints it."""

    path: str
    status: str                     # applied | already_applied | rejected | dry_run
    reason: str = ""
    sender: str | None = None
    sequence: int | None = None
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    # Not in the JSON contract; for the window and the receipt.
    kind: str = field(default="", repr=False)
    error_kind: str = field(default="", repr=False)
    fingerprint: str = field(default="", repr=False)
    sender_name: str = field(default="", repr=False)
    new_sender: bool = field(default=False, repr=False)
    warnings: list[str] = field(default_factory=list, repr=False)

    def to_json(self) -> dict:
        """The keys of the command-line contract."""
        keys = ("path", "status", "reason", "sender", "sequence", "inserted", "updated",
                "deleted", "unchanged")
        data = asdict(self)
        return {k: data[k] for k in keys}


@dataclass
class VerifyResult:
    """The outcome of ``verify-package``."""

    ok: bool
    sender: str | None
    sequence: int | None
    reason: str
    kind: str = ""
    error_kind: str = ""
    fingerprint: str = ""
    sender_name: str = ""
    trusted: bool = False
    already_applied: bool = False
    recipient: str = ""
    counts: dict = field(default_factory=dict)
    period: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """Contract keys first, then the details."""
        return asdict(self)


# -- checks ------------------------------------------------------------------

def open_package(ctx: Context, path: str | Path) -> Opened:
    """Read and check a package completely without writing anything."""
    opened, envelope = open_signed(ctx, path)
    read_content(ctx, opened, envelope)
    return opened


def open_signed(ctx: Context, path: str | Path) -> tuple[Opened, Envelope]:
    """First stage: size, signature, manifest, addressing and the sender's key."""
    data = read_limited(path)
    envelope = open_envelope(data)
    manifest = ct.check_manifest(envelope.manifest, envelope.sign_public)
    check_addressing(ctx, manifest)
    new_sender = check_sender_key(ctx, manifest)
    opened = Opened(manifest, ct.Content(), hashlib.sha256(data).hexdigest(),
                    Path(path).name, new_sender)
    return opened, envelope


def read_content(ctx: Context, opened: Opened, envelope: Envelope) -> None:
    """Second stage: decrypt, inflate within limits, check every record."""
    _, box_private = ledger.station_private_keys(ctx.db)
    content = ct.parse_content(open_body(envelope, box_private), opened.manifest)
    dangling = ct.dangling_references(ctx.db, content)
    if dangling:
        raise PackageError("malformed",
                           f"Gói dữ liệu không trọn vẹn: {len(dangling)} tham chiếu tới bản "
                           "ghi không có trong gói cũng như trong cơ sở dữ liệu.")
    ct.check_in_context(ctx.db, content, opened.manifest)
    opened.content = content


def check_addressing(ctx: Context, m: ct.Manifest) -> None:
    """Refuse a package that is not meant for this station."""
    station = ctx.station
    if m.sender_code == station.code:
        raise PackageError("own", "Gói này do chính đơn vị này tạo ra, không cần nhận lại.")
    if m.kind == "up":
        if station.level != "tinh":
            raise PackageError("wrong_level", "Gói của Công an xã chỉ nhận được ở Công an tỉnh.")
        if m.recipient != station.code:
            raise PackageError("misaddressed", f"Gói này gửi cho đơn vị “{m.recipient}”, "
                                               f"không phải cho đơn vị này ({station.code}).")
        if m.recipient_fingerprint != station.fingerprint or not m.encrypted:
            raise PackageError("misaddressed", "Gói này được mã hóa cho một khóa khác với "
                                               "khóa của đơn vị này; không giải mã được.")
        return
    if station.level != "xa":
        raise PackageError("wrong_level", "Gói của Công an tỉnh chỉ nhận được ở Công an xã.")
    if m.recipient not in ("*", station.code):
        raise PackageError("misaddressed", f"Gói này gửi cho xã “{m.recipient}”, không "
                                           f"phải cho đơn vị này ({station.code}).")
    if m.recipient != "*" and (m.recipient_fingerprint != station.fingerprint
                               or not m.encrypted):
        raise PackageError("misaddressed", "Gói này được mã hóa cho một khóa khác với "
                                           "khóa của đơn vị này; không giải mã được.")
    province = ledger.province(ctx.db)
    expected = province.code if province else station.parent_code
    if expected and m.sender_code != expected:
        raise PackageError("misaddressed",
                           f"Gói này của “{m.sender_name}” ({m.sender_code}), nhưng đơn vị "
                           f"này thuộc Công an tỉnh {expected}.")


def check_sender_key(ctx: Context, m: ct.Manifest) -> bool:
    """Compare the sender's keys with the pinned ones; True for a sender never seen."""
    peer = ledger.get_peer(ctx.db, m.sender_code)
    if peer is None:
        _register_intact(ctx, m)
        expected = _expected(ctx, m)
        if expected and expected != m.fingerprint:
            raise PackageError(
                "fingerprint_mismatch",
                f"Dấu vân tay khóa trong gói ({m.fingerprint}) khác với dấu vân tay đã ghi "
                f"nhận cho {m.sender_code} ({expected}). Có thể là giả mạo; không nhận.")
        if expected != m.fingerprint and _revoked(ctx, m) == m.fingerprint:
            raise PackageError(
                "revoked_key",
                f"Gói của {m.sender_code} được ký bằng khóa đã bị thu hồi ({m.fingerprint}): "
                "có thể là máy bị mất. Không nhận. Nếu xã vẫn dùng khóa này, hãy ghi lại "
                "dấu vân tay của xã (“Ghi dấu vân tay…”) rồi nhận lại.")
        return True
    if not audit.tracked_intact(ctx.db, "peers", m.sender_code):
        raise PackageError(
            "tampered_key",
            f"Khóa đã ghi nhận của {m.sender_code} không khớp với nhật ký thay đổi: khóa đã "
            "bị thay ngoài chương trình. Không nhận gói này; hãy chạy “Kiểm tra dữ liệu” và "
            "báo cán bộ kỹ thuật.")
    if peer.sign_public != m.sign_public or peer.box_public != m.box_public \
            or peer.level != m.sender_level:
        raise PackageError(
            "rekeyed",
            f"Gói ghi là của {m.sender_code} nhưng được ký bằng khóa khác với khóa đã ghi "
            f"nhận (đã ghi nhận: {peer.fingerprint}; trong gói: {m.fingerprint}). Có thể "
            "là giả mạo; không nhận. Nếu đơn vị đó thật sự đổi khóa, hãy liên hệ để xác minh.")
    return False


def _expected(ctx: Context, m: ct.Manifest) -> str | None:
    """The fingerprint the province noted for this commune before its first file."""
    if ctx.station.level != "tinh" or m.sender_level != "xa":
        return None
    from core.exchange.register import expected_fingerprint
    return expected_fingerprint(ctx, m.sender_code)


def _register_intact(ctx: Context, m: ct.Manifest) -> None:
    """Refuse a commune's first file when its line of the province's register (a noted
    fingerprint, a revoked key) was changed behind the program's back."""
    if ctx.station.level != "tinh" or m.sender_level != "xa":
        return
    from core.exchange.register import register_intact
    if not register_intact(ctx, m.sender_code):
        raise PackageError(
            "tampered_key",
            f"Dấu vân tay ghi nhận (hoặc khóa đã thu hồi) của {m.sender_code} trong sổ theo "
            "dõi các xã không khớp với nhật ký thay đổi: đã bị sửa ngoài chương trình. Không "
            "nhận gói này; hãy chạy “Kiểm tra dữ liệu” và báo cán bộ kỹ thuật.")


def _revoked(ctx: Context, m: ct.Manifest) -> str | None:
    """The fingerprint the province revoked for this commune (a stolen PC), or None."""
    if ctx.station.level != "tinh" or m.sender_level != "xa":
        return None
    from core.exchange.register import revoked_fingerprint
    return revoked_fingerprint(ctx, m.sender_code)


def untrusted_reason(m: ct.Manifest) -> str:
    """Why a first-contact package is refused without --trust-new."""
    return (f"Đơn vị gửi “{m.sender_name}” ({m.sender_code}) chưa được tin cậy. Dấu vân "
            f"tay khóa: {m.fingerprint}. Hãy đối chiếu dấu vân tay với đơn vị gửi (qua "
            "điện thoại hoặc văn bản) rồi nhận lại với --trust-new.")


def sequence_state(ctx: Context, opened: Opened) -> tuple[str | None, list[str]]:
    """(reason why nothing is to be done, or None; warnings about gaps)."""
    m = opened.manifest
    peer = ledger.get_peer(ctx.db, m.sender_code)
    if ledger.was_imported(ctx.db, opened.sha256) or (peer and m.sequence == peer.last_sequence):
        return f"Gói số {m.sequence} của {m.sender_code} đã được nhận trước đó; không thay đổi gì.", []
    if peer and m.sequence < peer.last_sequence:
        return (f"Gói số {m.sequence} cũ hơn gói số {peer.last_sequence} đã nhận của "
                f"{m.sender_code}; không thay đổi gì."), []
    warnings = []
    if peer and m.kind == "up" and peer.last_sequence and m.sequence > peer.last_sequence + 1:
        first, last = peer.last_sequence + 1, m.sequence - 1
        missing = f"số {first}" if first == last else f"từ số {first} đến {last}"
        warnings.append(f"Thiếu gói {missing} của {m.sender_code} (có thể đã thất lạc); "
                        "gói này là bản đầy đủ nên vẫn được nhận.")
    previous = ledger.last_head(ctx.db, m.sender_code) if m.kind == "up" else None
    if previous and m.audit_head and m.audit_head[0] < previous[1]:
        warnings.append(f"Nhật ký thay đổi của {m.sender_code} trong gói này chỉ đến mục số "
                        f"{m.audit_head[0]}, ít hơn gói số {previous[0]} đã nhận (mục số "
                        f"{previous[1]}): nhật ký ở xã có thể đã bị xóa bớt hoặc được khôi "
                        "phục từ bản sao lưu cũ; hãy đề nghị xã chạy “Kiểm tra dữ liệu”.")
    return None, warnings


def verify_file(ctx: Context, path: str | Path) -> VerifyResult:
    """Check a package without taking it in (for ``verify-package`` and the window)."""
    try:
        opened = open_package(ctx, path)
    except PackageError as exc:
        return VerifyResult(False, None, None, str(exc), error_kind=exc.kind)
    m = opened.manifest
    done, warnings = sequence_state(ctx, opened)
    verified = opened.new_sender and _expected(ctx, m) == m.fingerprint
    untrusted = opened.new_sender and not verified
    reasons = [untrusted_reason(m)] if untrusted else []
    reasons += [done] if done else warnings
    return VerifyResult(
        True, m.sender_code, m.sequence, " ".join(reasons) or "Gói hợp lệ.", kind=m.kind,
        fingerprint=m.fingerprint, sender_name=m.sender_name, trusted=not untrusted,
        already_applied=done is not None, recipient=m.recipient, counts=m.counts,
        period={"from": m.period_from, "to": m.period_to})


# -- taking in ---------------------------------------------------------------

@dataclass
class _Write:
    table: str
    record: dict
    before: dict | None


def plan_changes(ctx: Context, content: ct.Content, result: FileResult) -> list[_Write]:
    """Compare the package's records with the database; count and list the writes."""
    writes: list[_Write] = []
    foreign = 0
    for table in ENTITIES:
        records = content.records.get(table)
        if not records:
            continue
        existing = _snapshots(ctx, table, [r["id"] for r in records])
        tombstones, live = [], []
        for record in records:
            before = existing.get(record["id"])
            if before is not None and before["owner"] != record["owner"]:
                foreign += 1
                result.unchanged += 1
                continue
            if before is not None and record["version"] < before["version"]:
                result.unchanged += 1
                continue
            if not _differs(table, record, before):
                result.unchanged += 1
                continue
            if before is None:
                if record["deleted"]:
                    result.unchanged += 1
                else:
                    result.inserted += 1
            elif record["deleted"] and not before["deleted"]:
                result.deleted += 1
            else:
                result.updated += 1
            (tombstones if record["deleted"] else live).append(_Write(table, record, before))
        writes += tombstones + live     # free unique keys before reusing them
    if foreign:
        result.warnings.append(f"{foreign} bản ghi trùng mã với bản ghi của đơn vị khác "
                               "(hoặc của đơn vị này): giữ nguyên, không ghi đè.")
    return writes


def _differs(table: str, record: dict, before: dict | None) -> bool:
    if before is None:
        return True
    entity = ENTITIES[table]
    return any(record.get(c) != before.get(c) for c in (*META_COLUMNS, *entity.columns)) or any(
        sorted(record[n]) != before[n] for n in entity.links)


def _snapshots(ctx: Context, table: str, ids: list[str]) -> dict[str, dict]:
    """Current rows (with link lists) of the given ids, in bulk."""
    entity = ENTITIES[table]
    found: dict[str, dict] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ", ".join("?" * len(chunk))
        cur = ctx.db.execute(f"SELECT * FROM {table} WHERE id IN ({marks})", chunk)
        names = [d[0] for d in cur.description]
        for row in cur:
            record = dict(zip(names, row))
            record.update({n: [] for n in entity.links})
            found[record["id"]] = record
        for name, link in entity.links.items():
            for parent, child in ctx.db.execute(
                    f"SELECT {link.parent}, {link.child} FROM {link.table}"
                    f" WHERE {link.parent} IN ({marks}) ORDER BY {link.child}", chunk):
                found[parent][name].append(child)
    return found


def refused_reason(m: ct.Manifest) -> str:
    """Why a first-contact package is refused when the person answered “Không nhận”."""
    return (f"Không tin cậy đơn vị gửi “{m.sender_name}” ({m.sender_code}), dấu vân tay "
            f"{m.fingerprint}: tệp không được nhận.")


def trust_answer(answers: TrustAnswers | None, trust_new: bool, m: ct.Manifest) -> bool | None:
    """The answer for a new sender: True (trusted), False (refused), None (not asked)."""
    if answers is None:
        return True if trust_new else None
    return answers.get((m.sender_code, m.fingerprint))


def import_file(ctx: Context, path: str | Path, *, dry_run: bool = False,
                trust_new: bool = False, answers: TrustAnswers | None = None) -> FileResult:
    """Check and take in one package, whole or not at all.

    A new sender is taken in with *trust_new*, or, when *answers* is given, only
    if ``answers[(sender code, fingerprint)]`` is True; a sender answered False
    is reported rejected ("refused"), one not answered as not trusted yet.
    """
    result = FileResult(str(path), "rejected")
    try:
        opened, envelope = open_signed(ctx, path)
        m = opened.manifest
        result.sender, result.sequence, result.kind = m.sender_code, m.sequence, m.kind
        result.fingerprint, result.sender_name = m.fingerprint, m.sender_name
        result.new_sender = opened.new_sender
        done, result.warnings = sequence_state(ctx, opened)
        if done and not opened.new_sender:   # authentic, and nothing to do
            result.status, result.reason = "already_applied", done
            return result
        read_content(ctx, opened, envelope)
    except PackageError as exc:
        result.reason, result.error_kind = str(exc), exc.kind
        return result
    verified = opened.new_sender and _expected(ctx, m) == m.fingerprint
    if opened.new_sender and not verified:
        answer = trust_answer(answers, trust_new, m)
        if answer is not True:
            result.reason, result.error_kind = ((untrusted_reason(m), "untrusted")
                                                if answer is None else
                                                (refused_reason(m), "refused"))
            return result
    writes = plan_changes(ctx, opened.content, result)
    if verified:
        result.warnings.insert(0, f"Khóa của “{m.sender_name}” ({m.sender_code}) khớp với "
                                  f"dấu vân tay đã ghi nhận ({m.fingerprint}).")
    elif opened.new_sender:
        result.warnings.insert(0, f"Đơn vị mới “{m.sender_name}” ({m.sender_code}) được "
                                  f"tin cậy với dấu vân tay {m.fingerprint}.")
    if dry_run:
        result.status = "dry_run"
        result.reason = " ".join(result.warnings) or "Chạy thử: chưa ghi gì."
        return result
    try:
        _apply(ctx, opened, writes, result)
    except cipher.IntegrityError:
        result.inserted = result.updated = result.deleted = result.unchanged = 0
        result.reason = ("Dữ liệu trong gói mâu thuẫn với dữ liệu đã có (trùng mã hoặc "
                         "tham chiếu sai); không ghi gì.")
        result.error_kind = "conflict"
        return result
    result.status = "applied"
    result.reason = " ".join(result.warnings) or "Đã nhận."
    return result


def _batches(writes: list[_Write]) -> Iterator[tuple[str, list[_Write]]]:
    """Consecutive writes of one table that are all new (or all not), in order."""
    for (table, _new), group in itertools.groupby(
            writes, key=lambda w: (w.table, w.before is None)):
        yield table, list(group)


def _apply(ctx: Context, opened: Opened, writes: list[_Write], result: FileResult) -> None:
    m = opened.manifest
    at = now()
    with ctx.store.transaction():
        for table, batch in _batches(writes):
            if batch[0].before is None and len(batch) > 1:
                ctx.store.insert_remote_many(table, [w.record for w in batch])
            else:
                for write in batch:
                    ctx.store.put_remote(write.table, write.record, write.before)
        if opened.new_sender:
            ledger.pin(ctx.db, code=m.sender_code, name=m.sender_name, level=m.sender_level,
                       sign_public=m.sign_public, box_public=m.box_public,
                       fingerprint=m.fingerprint, at=at, user=ctx.user)
            if _expected(ctx, m):
                from core.exchange.register import forget_expected
                forget_expected(ctx, m.sender_code)
        ledger.note_applied(ctx.db, m.sender_code, name=m.sender_name, sequence=m.sequence,
                            created_at=m.created_at, imported_at=at,
                            period_from=m.period_from, period_to=m.period_to, user=ctx.user)
        if m.kind == "down":
            ledger.record_receipts(ctx.db, opened.content.receipts, m.sender_code,
                                   ctx.station.code, at)
        ledger.log_import(
            ctx.db, imported_at=at, file_name=opened.file_name, sha256=opened.sha256,
            sender=m.sender_code, sequence=m.sequence, kind=m.kind, created_at=m.created_at,
            period_from=m.period_from, period_to=m.period_to, inserted=result.inserted,
            updated=result.updated, deleted=result.deleted, unchanged=result.unchanged,
            warnings=result.warnings, user=ctx.user,
            audit_seq=m.audit_head[0] if m.audit_head else None,
            audit_mac=m.audit_head[1] if m.audit_head else None)


def _order_key(path: str | Path) -> tuple:
    """(sender, sequence) read from the manifest without trusting it; for ordering only."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(46 + MAX_HEADER)
        if not head.startswith(MAGIC):
            return ("", 0)
        (length,) = struct.unpack_from(">I", head, 42)
        manifest = json.loads(head[46:46 + length].decode("ascii"))
        return (str(manifest["sender"]["code"]), int(manifest["sequence"]))
    except (OSError, ValueError, KeyError, TypeError, struct.error, RecursionError):
        return ("", 0)


def import_files(ctx: Context, paths: Iterable[str | Path], *, dry_run: bool = False,
                 trust_new: bool = False, answers: TrustAnswers | None = None,
                 progress: Progress | None = None) -> list[FileResult]:
    """Take in several packages, each whole or not at all.

    *answers* trusts or refuses each new sender on its own (see :func:`import_file`);
    without it, *trust_new* trusts every new sender.

    Files are processed by sender and sequence number (so a folder of one
    commune's files is taken in oldest first); results come back in the order
    given.
    """
    guard(ctx, "read" if dry_run else "edit")
    paths = list(paths)
    order = sorted(range(len(paths)), key=lambda i: (_order_key(paths[i]), i))
    results: list[FileResult | None] = [None] * len(paths)
    (cache,) = ctx.db.execute("PRAGMA cache_size").fetchone()
    (checkpoint,) = ctx.db.execute("PRAGMA wal_autocheckpoint").fetchone()
    ctx.db.execute("PRAGMA cache_size = -65536")    # 64 MB while taking files in
    # Each file still commits (and syncs the log) on its own; the log is copied
    # into the database every 256 MB instead of after every file, so index pages
    # that several files touch are written back once, not once per file.
    ctx.db.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")
    # Kept afterwards: the log file shrinks back to 64 MB when it is next reused.
    ctx.db.execute(f"PRAGMA journal_size_limit = {WAL_KEEP}")
    try:
        for done, index in enumerate(order, 1):
            results[index] = import_file(ctx, paths[index], dry_run=dry_run,
                                         trust_new=trust_new, answers=answers)
            if progress:
                progress(done, len(paths))
    finally:
        ctx.db.execute(f"PRAGMA cache_size = {int(cache)}")
        ctx.db.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")
        if not dry_run:
            # Copy the log into the database and empty it (when no reader holds it;
            # else this waits the busy timeout and leaves it): reads after a large
            # import then need no look-ups in a log of up to 256 MB, and the disk
            # space comes back.
            ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return [r for r in results if r is not None]
