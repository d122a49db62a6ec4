"""Every kind of bad package is refused with a Vietnamese reason and changes nothing."""
from __future__ import annotations

import json
import os
import random
import zlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from exchange_support import commune, db_state, fill, link, province, send_up

from core.exchange import PackageError, export_package, import_file, verify_file
from core.exchange import envelope as env
from core.exchange.ledger import station_private_keys


@pytest.fixture
def world(tmp_path):
    """A province that knows commune X01, plus a fresh good package from X01."""
    tinh = province(tmp_path)
    xa = commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    fill(xa, seed=1, persons=4, events=2)
    _, first = send_up(xa, tinh, tmp_path, "first")
    assert first.status == "applied"
    members_edit(xa)
    good = tmp_path / "good.antq"
    export_package(xa, good)
    yield tinh, xa, good, tmp_path
    tinh.close()
    xa.close()


def members_edit(ctx):
    """Change one record so the next package differs from the first."""
    from core.services import members
    pid = ctx.db.execute("SELECT id FROM persons LIMIT 1").fetchone()[0]
    person = members.PersonRepo(ctx.store).get(pid)
    person.notes = "đã sửa"
    members.save_person(ctx, person)


def refused(tinh, path, kind: str | None = None, **options):
    """Import *path*; assert it is rejected (of *kind*) and nothing changed."""
    before = db_state(tinh)
    result = import_file(tinh, path, **options)
    assert result.status == "rejected", result
    assert result.reason and any(ch in result.reason for ch in "ăâđêôơưạảấầẩậắằặẻẽếềểệ")
    if kind:
        assert result.error_kind == kind, (result.error_kind, result.reason)
    assert db_state(tinh) == before
    check = verify_file(tinh, path)
    assert check.ok is False or kind == "untrusted"
    return result


def parts(data: bytes, box_private: bytes) -> tuple[dict, bytes]:
    """(manifest, plaintext) of a package, decrypted with *box_private*."""
    envelope = env.open_envelope(data)
    return envelope.manifest, env.open_body(envelope, box_private)


def reseal(manifest: dict, plain: bytes, sign_private: bytes, box_public: bytes | None,
           **options) -> bytes:
    """A new package from a manifest and plaintext, signed and encrypted as told."""
    manifest = {k: v for k, v in manifest.items()
                if k not in ("encryption", "body_length", "compression")}
    return env.seal(manifest, plain, Ed25519PrivateKey.from_private_bytes(sign_private),
                    box_public, **options)


def keys(ctx):
    sign_private, box_private = station_private_keys(ctx.db)
    return sign_private, box_private


def test_good_package_is_taken_in(world):
    tinh, _, good, _ = world
    assert verify_file(tinh, good).ok
    assert import_file(tinh, good).status == "applied"


def test_damaged_byte(world):
    tinh, _, good, tmp = world
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    (tmp / "bad.antq").write_bytes(bytes(data))
    result = refused(tinh, tmp / "bad.antq", "bad_signature")
    assert "Tệp đã bị sửa đổi hoặc hỏng: chữ ký không hợp lệ" in result.reason


def test_truncated(world):
    tinh, _, good, tmp = world
    data = good.read_bytes()
    for cut in (1, 64, len(data) // 2, len(data) - 20):
        (tmp / "bad.antq").write_bytes(data[:-cut])
        refused(tinh, tmp / "bad.antq")
    (tmp / "empty.antq").write_bytes(b"")
    refused(tinh, tmp / "empty.antq", "not_package")


def test_appended_bytes(world):
    tinh, _, good, tmp = world
    (tmp / "bad.antq").write_bytes(good.read_bytes() + b"\0" * 10)
    refused(tinh, tmp / "bad.antq", "bad_signature")


def test_forged_signature_by_another_key(world):
    tinh, _, good, tmp = world
    data = good.read_bytes()
    other = Ed25519PrivateKey.generate()
    forged = data[:-64] + other.sign(data[:-64])
    (tmp / "bad.antq").write_bytes(forged)
    refused(tinh, tmp / "bad.antq", "bad_signature")


def test_same_code_signed_and_wrapped_by_another_key_is_rekeyed(world):
    tinh, xa, good, tmp = world
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    impostor = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization
    raw = impostor.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    manifest["sequence"] += 5
    data = reseal(manifest, plain, raw, tinh.station.box_public)
    (tmp / "bad.antq").write_bytes(data)
    result = refused(tinh, tmp / "bad.antq", "rekeyed", trust_new=True)
    assert "khóa khác" in result.reason


def test_rekeyed_station_same_code_other_key(world):
    tinh, _, _, tmp = world
    (tmp / "again").mkdir()
    twin = commune(tmp / "again", "X01")        # a new installation claiming X01
    link(tinh, twin, tmp / "again")
    path = tmp / "twin.antq"
    export_package(twin, path)
    refused(tinh, path, "rekeyed", trust_new=True)
    twin.close()


def test_replayed(world):
    tinh, _, good, _ = world
    assert import_file(tinh, good).status == "applied"
    before = db_state(tinh)
    again = import_file(tinh, good, trust_new=True)
    assert again.status == "already_applied" and "đã được nhận" in again.reason
    assert db_state(tinh) == before


def test_older_sequence(world):
    tinh, xa, good, tmp = world
    newer = tmp / "newer.antq"
    export_package(xa, newer)
    assert import_file(tinh, newer).status == "applied"
    before = db_state(tinh)
    older = import_file(tinh, good)
    assert older.status == "already_applied" and "cũ hơn" in older.reason
    assert db_state(tinh) == before


def test_misaddressed_to_another_province(world):
    tinh, _, _, tmp = world
    (tmp / "t2").mkdir()
    other = province(tmp / "t2", "T02")
    xa2 = commune(tmp / "t2", "X77")
    link(other, xa2, tmp / "t2")
    path = tmp / "for-t02.antq"
    export_package(xa2, path)
    result = refused(tinh, path, "misaddressed", trust_new=True)
    assert "T02" in result.reason
    # A commune refuses a second province's package once it has one.
    xa_path = tmp / "down-t02.antq"
    export_package(other, xa_path)
    [_, xa, _, _] = world
    before = db_state(xa)
    r = import_file(xa, xa_path, trust_new=True)
    assert r.status == "rejected" and r.error_kind == "misaddressed"
    assert db_state(xa) == before
    other.close()
    xa2.close()


def test_wrong_level_and_own_package(world):
    tinh, xa, good, tmp = world
    r = import_file(xa, good)                  # a commune's own package
    assert r.status == "rejected" and r.error_kind == "own"
    down = tmp / "down-again.antq"
    export_package(tinh, down)
    r = import_file(tinh, down)
    assert r.status == "rejected" and r.error_kind == "own"


def test_unknown_sender_needs_trust(world):
    tinh, _, _, tmp = world
    xa2 = commune(tmp, "X02")
    link(tinh, xa2, tmp)
    path = tmp / "x02.antq"
    export_package(xa2, path)
    result = refused(tinh, path, "untrusted")
    assert xa2.station.fingerprint in result.reason
    assert verify_file(tinh, path).trusted is False
    assert import_file(tinh, path, trust_new=True).status == "applied"
    xa2.close()


def test_oversized(world):
    tinh, _, _, tmp = world
    path = tmp / "huge.antq"
    with open(path, "wb") as handle:
        handle.truncate(env.MAX_FILE + 1)       # sparse: costs no disk
    result = refused(tinh, path, "too_large")
    assert "quá lớn" in result.reason


def test_decompression_bomb(world):
    tinh, xa, good, tmp = world
    manifest, _ = parts(good.read_bytes(), keys(tinh)[1])
    bomb = zlib.compress(b"\0" * (env.MAX_PLAIN + 1024 * 1024), 9)
    assert len(bomb) < 200_000
    data = reseal(manifest, bomb, keys(xa)[0], tinh.station.box_public, compress=False)
    (tmp / "bomb.antq").write_bytes(data)
    result = refused(tinh, tmp / "bomb.antq", "bomb")
    assert "giới hạn" in result.reason


def test_wrong_format_version(world):
    tinh, xa, good, tmp = world
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    data = reseal(manifest, plain, keys(xa)[0], tinh.station.box_public, version=2)
    (tmp / "v2.antq").write_bytes(data)
    result = refused(tinh, tmp / "v2.antq", "version")
    assert "phiên bản 2" in result.reason


@pytest.mark.parametrize("where", ["sender_code", "record_id", "link", "table"])
def test_path_like_names_are_refused_and_never_used(world, where, monkeypatch):
    tinh, xa, good, tmp = world
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    body = json.loads(plain)
    evil = "../../../../tmp/evil"
    if where == "sender_code":
        manifest["sender"]["code"] = evil
    elif where == "record_id":
        body["records"]["persons"]["rows"][0][0] = evil
    elif where == "link":
        cols = body["records"]["events"]["columns"]
        body["records"]["events"]["rows"][0][cols.index("attendee_ids")] = [evil]
    else:
        body["records"][evil] = body["records"].pop("results")
        manifest["counts"][evil] = manifest["counts"].pop("results")
    data = reseal(manifest, json.dumps(body).encode(), keys(xa)[0], tinh.station.box_public)
    (tmp / "evil.antq").write_bytes(data)
    monkeypatch.chdir(tmp)
    listing = sorted(os.listdir(tmp))
    refused(tinh, tmp / "evil.antq", "malformed")
    assert sorted(os.listdir(tmp)) == listing
    assert not os.path.exists("/tmp/evil")


def test_records_owned_by_someone_else_are_refused(world):
    tinh, xa, good, tmp = world
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    body = json.loads(plain)
    body["records"]["units"]["rows"][0][1] = "T01"     # claims a province record
    data = reseal(manifest, json.dumps(body).encode(), keys(xa)[0], tinh.station.box_public)
    (tmp / "owner.antq").write_bytes(data)
    refused(tinh, tmp / "owner.antq", "foreign_owner")


def test_not_a_package(world):
    tinh, _, _, tmp = world
    (tmp / "note.txt").write_text("Nguyễn Văn A", encoding="utf-8")
    refused(tinh, tmp / "note.txt", "not_package")
    missing = import_file(tinh, tmp / "missing.antq")
    assert missing.status == "rejected" and missing.error_kind == "unreadable"


def test_fuzz_flipped_bytes_are_refused_cleanly(tmp_path):
    tinh = province(tmp_path)
    xa = commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    fill(xa, seed=2, persons=2, events=1)
    _, first = send_up(xa, tinh, tmp_path, "first")
    members_edit(xa)
    good = tmp_path / "good.antq"
    export_package(xa, good)
    data = good.read_bytes()
    before = db_state(tinh)
    rng = random.Random(20260601)
    bad = tmp_path / "fuzz.antq"
    kinds = set()
    for _ in range(500):
        variant = bytearray(data)
        for _ in range(rng.choice((1, 1, 2, 5))):
            variant[rng.randrange(len(variant))] ^= rng.randrange(1, 256)
        bad.write_bytes(bytes(variant))
        result = import_file(tinh, bad, trust_new=True)
        assert result.status == "rejected", result
        kinds.add(result.error_kind)
        assert not verify_file(tinh, bad).ok
    assert db_state(tinh) == before
    assert "bad_signature" in kinds
    tinh.close()
    xa.close()


def test_fuzz_validly_signed_garbage_never_crashes(tmp_path):
    """Mutated content signed with the genuine key: refused or taken in, never a crash."""
    tinh = province(tmp_path)
    xa = commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    fill(xa, seed=3, persons=2, events=1)
    good = tmp_path / "good.antq"
    export_package(xa, good)
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    sign_private = keys(xa)[0]
    rng = random.Random(7)
    bad = tmp_path / "mut.antq"
    statuses = set()
    for i in range(150):
        body = bytearray(plain)
        for _ in range(rng.choice((1, 3))):
            body[rng.randrange(len(body))] = rng.choice(b'{}[]",:0123456789-an\\ ')
        m = json.loads(json.dumps(manifest))
        m["sequence"] = 100 + i
        bad.write_bytes(reseal(m, bytes(body), sign_private, tinh.station.box_public))
        before = db_state(tinh)
        result = import_file(tinh, bad, trust_new=True)
        statuses.add(result.status)
        if result.status == "rejected":
            assert db_state(tinh) == before
    assert "rejected" in statuses
    tinh.close()
    xa.close()


def test_package_error_is_a_user_error():
    from core.errors import UserError
    assert issubclass(PackageError, UserError)


@pytest.mark.parametrize("fault", ["text_type", "int_bool", "int_huge", "id_upper", "id_empty",
                                   "ref_short", "link_none", "link_bad_item", "version_zero",
                                   "deleted_two", "no_stamp", "short_row"])
def test_a_bad_value_in_the_last_record_is_refused(world, fault):
    """The column checks cover every record, not only the first one."""
    tinh, xa, good, tmp = world
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    body = json.loads(plain)
    block = body["records"]["events"]
    cols, row = block["columns"], block["rows"][-1]
    uuid = row[0]
    if fault == "text_type":
        row[cols.index("title")] = ["không phải chữ"]
    elif fault == "int_bool":
        row[cols.index("participants")] = True
    elif fault == "int_huge":
        row[cols.index("participants")] = 2 ** 60
    elif fault == "id_upper":
        row[0] = uuid.upper()
    elif fault == "id_empty":
        row[0] = ""
    elif fault == "ref_short":
        row[cols.index("unit_id")] = uuid[:-1]
    elif fault == "link_none":
        row[cols.index("attendee_ids")] = None
    elif fault == "link_bad_item":
        row[cols.index("attendee_ids")] = [uuid, uuid + "\n" + uuid]
    elif fault == "version_zero":
        row[cols.index("version")] = 0
    elif fault == "deleted_two":
        row[cols.index("deleted")] = 2
    elif fault == "no_stamp":
        row[cols.index("updated_at")] = ""
    else:
        row.pop()
    data = reseal(manifest, json.dumps(body).encode(), keys(xa)[0], tinh.station.box_public)
    (tmp / "bad.antq").write_bytes(data)
    refused(tinh, tmp / "bad.antq", "malformed")


def test_a_foreign_owner_in_the_last_record_is_refused(world):
    tinh, xa, good, tmp = world
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    body = json.loads(plain)
    body["records"]["persons"]["rows"][-1][1] = "X02"
    data = reseal(manifest, json.dumps(body).encode(), keys(xa)[0], tinh.station.box_public)
    (tmp / "owner.antq").write_bytes(data)
    refused(tinh, tmp / "owner.antq", "foreign_owner")


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_unreadable_file_says_why_in_vietnamese(world, tmp_path, make):
    tinh = world[0]
    path = tmp_path / "goi.antq"
    if make == "folder":
        path.mkdir()
    result = refused(tinh, path, "unreadable")
    assert "No such file" not in result.reason and "Is a directory" not in result.reason
    assert ("không có tệp này" if make == "missing" else "thư mục") in result.reason
