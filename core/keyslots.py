"""The database key and its slots: one random key, wrapped once per way of opening it.

Groundwork for encryption at rest (issue #15): the database will be encrypted with
one random 256-bit key. That key is never stored as it is; each *slot* holds it
wrapped (AES-256-GCM) under a key derived from something a person has:

- ``account``: an account's password, stretched with scrypt as the accounts are
  (:data:`SCRYPT_N` …); a password change re-wraps that one slot only;
- ``recovery``: the recovery key printed once at set-up for the chief's safe;
- ``os``: before any account exists, a random key kept in a key file readable
  only by the operating-system user (0600), beside the database;
- ``pending``: an account of a database converted from a plain one by another
  account (see :meth:`KeySlots.set_pending`): wrapped under its password *verifier*
  (the scrypt hash the plain database kept), until its first sign-in replaces it
  by an ``account`` slot with a fresh salt.

The slots live in a small side file next to the database (``antq.sqlite3.keys``,
JSON, written atomically and readable only by the user), outside the encrypted
file, so the key can be unwrapped before the database is opened. Each slot's
wrapping is bound to its kind and name (the GCM associated data): a slot copied
under another name does not open.

Bottom layer: imports nothing of the program but :mod:`core.errors` and
:mod:`core.files`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core import files
from core.errors import UserError

KEY_BYTES = 32
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
VERSION = 1
WRONG = "Không mở được khóa cơ sở dữ liệu: sai mật khẩu hoặc sai mã khôi phục."


def new_key() -> bytes:
    """A fresh random database key."""
    return secrets.token_bytes(KEY_BYTES)


def new_recovery_code() -> str:
    """A recovery key to print once: 32 base-32 letters in groups of four."""
    raw = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _normal_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _derive(secret: str, salt: bytes, n: int, r: int, p: int,
            dklen: int = KEY_BYTES) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          dklen=dklen, maxmem=256 * 1024 * 1024)


PENDING_LABEL = b"antq-key/pending-kek"


def _pending_kek(verifier: bytes) -> bytes:
    """The key that wraps a pending slot: from the account's password verifier (the
    scrypt digest of ``users.password_hash``), kept apart from the verifier itself."""
    return hmac.new(verifier, PENDING_LABEL, hashlib.sha256).digest()


def parse_verifier(password_hash: str) -> tuple[bytes, int, int, int, bytes] | None:
    """(salt, n, r, p, digest) of a ``scrypt$n$r$p$salt$hash`` verifier; None otherwise."""
    try:
        kind, n, r, p, salt, digest = password_hash.split("$")
        if kind != "scrypt":
            return None
        return bytes.fromhex(salt), int(n), int(r), int(p), bytes.fromhex(digest)
    except (ValueError, AttributeError):
        return None


@dataclass
class Slot:
    """The database key wrapped for one account, the recovery key or the OS user."""

    kind: str            # "account", "recovery" or "os"
    name: str            # the account name; "" for the others
    nonce: str
    wrapped: str
    salt: str = ""
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P
    # wrong passwords in a row before the database is open (see core.station.unlock)
    failed: int = 0
    locked_until: str = ""
    # a pending slot: the length of the verifier's scrypt digest (see set_pending)
    dklen: int = KEY_BYTES

    @property
    def label(self) -> bytes:
        return f"antq-key/{self.kind}/{self.name.lower()}".encode("utf-8")


def _seal(kind: str, name: str, kek: bytes, key: bytes, salt: bytes = b"") -> Slot:
    nonce = secrets.token_bytes(12)
    slot = Slot(kind, name, nonce.hex(), "", salt.hex())
    slot.wrapped = AESGCM(kek).encrypt(nonce, key, slot.label).hex()
    return slot


def _open(slot: Slot, kek: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(bytes.fromhex(slot.nonce), bytes.fromhex(slot.wrapped),
                                   slot.label)
    except (InvalidTag, ValueError):
        raise UserError(WRONG) from None


def _protect(kek: bytes) -> bytes:
    """The OS user's key as written to its file: on Windows sealed with DPAPI for this
    Windows user (``win32crypt``); elsewhere as it is, in a file only the user reads."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import win32crypt
        return win32crypt.CryptProtectData(kek, "ANTQ", None, None, None, 0)
    return kek


def _unprotect(blob: bytes) -> bytes:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import win32crypt
        try:
            return win32crypt.CryptUnprotectData(blob, None, None, None, 0)[1]
        except Exception:   # pywintypes.error: another Windows user, another PC
            raise UserError(WRONG) from None
    return blob


def _salt(database: str | os.PathLike) -> str:
    """The salt of an encrypted database file (its first 16 bytes), hex; "" if none."""
    try:
        with open(database, "rb") as handle:
            return handle.read(16).hex()
    except OSError:
        return ""


def os_key_path(database: str | os.PathLike) -> Path:
    """The key file of the OS user's slot, beside the database."""
    return Path(f"{os.fspath(database)}.oskey")


@dataclass
class KeySlots:
    """Every slot of one database, as kept in its side file."""

    path: Path
    slots: list[Slot] = field(default_factory=list)

    @classmethod
    def for_database(cls, database: str | os.PathLike) -> "KeySlots":
        """The slots of *database* (none yet when its side file does not exist)."""
        path = Path(f"{os.fspath(database)}.keys")
        staged = Path(f"{path}.new")
        if staged.exists():     # a restore in progress, or killed between its two renames
            try:
                belongs = json.loads(staged.read_text("utf-8")).get("salt") == _salt(database)
            except ValueError:
                belongs = False
            if belongs:         # the restored file is in place: its slots follow
                os.replace(staged, path)
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text("utf-8"))
            slots = [Slot(**s) for s in data["slots"]]
        except (ValueError, KeyError, TypeError):
            raise UserError(f"Tệp khóa “{path.name}” bị hỏng: hãy mở bằng mã khôi phục "
                            "hoặc khôi phục từ bản sao lưu.") from None
        return cls(path, slots)

    def save(self, *, database: str | os.PathLike | None = None,
             target: str | os.PathLike | None = None) -> None:
        """Write the side file atomically (readable only by this user).

        It records the salt of the encrypted file it belongs to (*database*, by
        default the one beside it); *target* writes it elsewhere (a restore
        stages it as ``<db>.keys.new``).
        """
        where = Path(target) if target is not None else self.path
        owner = database if database is not None else str(self.path)[:-len(".keys")]
        data = {"version": VERSION, "salt": _salt(owner),
                "slots": [vars(s) for s in self.slots]}
        files.write_bytes(where, json.dumps(data, indent=1).encode("utf-8"))
        os.chmod(where, 0o600)

    def _find(self, kind: str, name: str = "") -> Slot | None:
        for slot in self.slots:
            if slot.kind == kind and slot.name.lower() == name.lower():
                return slot
        return None

    def _replace(self, slot: Slot) -> None:
        self.slots = [s for s in self.slots
                      if not (s.kind == slot.kind and s.name.lower() == slot.name.lower())]
        self.slots.append(slot)

    @property
    def accounts(self) -> list[str]:
        """The account names that have a slot."""
        return [s.name for s in self.slots if s.kind == "account"]

    # -- accounts ----------------------------------------------------------

    def set_account(self, name: str, password: str, key: bytes) -> None:
        """Wrap *key* for account *name* (a new account, or its new password)."""
        salt = secrets.token_bytes(16)
        self._replace(_seal("account", name,
                            _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P), key, salt))
        self.slots = [s for s in self.slots      # its pending slot, if any, is done with
                      if not (s.kind == "pending" and s.name.lower() == name.lower())]

    # -- pending slots (a conversion by another account) --------------------

    def set_pending(self, name: str, password_hash: str, key: bytes) -> bool:
        """Wrap *key* for account *name* under its password verifier (False: a verifier
        of another kind, no slot).

        Used by :func:`core.encrypt.convert` for the accounts other than the one
        converting: their password is unknown, but the plain database holds its
        scrypt verifier (``scrypt$n$r$p$salt$digest``). The verifier's salt and
        parameters go into the slot, so that at sign-in the digest can be computed
        again from the typed password before the database opens.

        The trade-off: whoever holds an old *plain* copy of the database (which
        reveals the verifiers) can open the pending slots, without knowing any
        password, until each such account has signed in once (its slot then
        becomes an ordinary ``account`` slot with a fresh salt, which the verifier
        does not open). Without them every other officer would be locked out until
        an administrator reset his password.
        """
        parsed = parse_verifier(password_hash)
        if parsed is None:
            return False
        salt, n, r, p, digest = parsed
        slot = _seal("pending", name, _pending_kek(digest), key, salt)
        slot.n, slot.r, slot.p, slot.dklen = n, r, p, len(digest)
        self._replace(slot)
        return True

    def pending_slot(self, name: str) -> Slot | None:
        """The pending slot of account *name* (None when it has none)."""
        return self._find("pending", name)

    @property
    def pending(self) -> list[str]:
        """The account names whose slot is still pending (no sign-in since the conversion)."""
        return [s.name for s in self.slots if s.kind == "pending"]

    def unlock_pending(self, name: str, password: str) -> bytes:
        """The database key, opened with a pending slot and the account's password."""
        slot = self._find("pending", name)
        if slot is None:
            raise UserError(WRONG)
        digest = _derive(password, bytes.fromhex(slot.salt), slot.n, slot.r, slot.p,
                         slot.dklen)
        return _open(slot, _pending_kek(digest))

    def sign_in_slot(self, name: str) -> Slot | None:
        """The slot an account signs in with: its own, else its pending one."""
        return self._find("account", name) or self._find("pending", name)

    def unlock_sign_in(self, name: str, password: str) -> bytes:
        """The database key, with the slot of :meth:`sign_in_slot`."""
        if self._find("account", name) is not None:
            return self.unlock_account(name, password)
        return self.unlock_pending(name, password)

    def remove_account(self, name: str) -> None:
        """Drop the slot of a removed account (and its pending slot)."""
        self.slots = [s for s in self.slots
                      if not (s.kind in ("account", "pending")
                              and s.name.lower() == name.lower())]

    def account_slot(self, name: str) -> Slot | None:
        """The slot of account *name* (None when it has none)."""
        return self._find("account", name)

    def unlock_account(self, name: str, password: str) -> bytes:
        """The database key, opened with an account's password."""
        slot = self._find("account", name)
        if slot is None:
            raise UserError(WRONG)
        return _open(slot, _derive(password, bytes.fromhex(slot.salt), slot.n, slot.r, slot.p))

    # -- recovery key ------------------------------------------------------

    def set_recovery(self, key: bytes) -> str:
        """Make a new recovery key for *key*; return it (to be printed once)."""
        code = new_recovery_code()
        salt = secrets.token_bytes(16)
        self._replace(_seal("recovery", "", _derive(_normal_code(code), salt, SCRYPT_N,
                                                    SCRYPT_R, SCRYPT_P), key, salt))
        return code

    def unlock_recovery(self, code: str) -> bytes:
        """The database key, opened with the recovery key (dashes and case ignored)."""
        slot = self._find("recovery")
        if slot is None:
            raise UserError(WRONG)
        return _open(slot, _derive(_normal_code(code), bytes.fromhex(slot.salt),
                                   slot.n, slot.r, slot.p))

    # -- the operating-system user (before any account exists) -------------

    def set_os_user(self, key: bytes, database: str | os.PathLike) -> None:
        """Wrap *key* with a random key kept in a file only this OS user can read."""
        key_file = os_key_path(database)
        kek = None
        if key_file.exists():       # keep the file: the slots in use may still need it
            try:
                kek = _unprotect(key_file.read_bytes())
            except UserError:
                kek = None
        if kek is None or len(kek) != KEY_BYTES:
            kek = secrets.token_bytes(KEY_BYTES)
            files.write_bytes(key_file, _protect(kek))
            os.chmod(key_file, 0o600)
        self._replace(_seal("os", "", kek, key))

    def unlock_os_user(self, database: str | os.PathLike) -> bytes:
        """The database key, opened with this OS user's key file."""
        slot = self._find("os")
        key_file = os_key_path(database)
        if slot is None or not key_file.exists():
            raise UserError("Cơ sở dữ liệu đã có tài khoản: hãy đăng nhập.")
        return _open(slot, _unprotect(key_file.read_bytes()))

    def has_os_user(self, database: str | os.PathLike) -> bool:
        """True when the OS user's slot and its key file are there (no account yet)."""
        return self._find("os") is not None and os_key_path(database).exists()

    def has_account(self, name: str) -> bool:
        """True when account *name* has a slot."""
        return self._find("account", name) is not None

    @property
    def has_recovery(self) -> bool:
        """True when a recovery key was made."""
        return self._find("recovery") is not None

    def for_backup(self) -> list[dict]:
        """The slots a backup carries (not the OS user's: its key file stays on this PC)."""
        return [vars(s) for s in self.slots if s.kind != "os"]

    def drop_os_user(self, database: str | os.PathLike) -> None:
        """Remove the OS user's slot and key file (once the first account exists)."""
        self.slots = [s for s in self.slots if s.kind != "os"]
        key_file = os_key_path(database)
        if key_file.exists():
            key_file.unlink()
