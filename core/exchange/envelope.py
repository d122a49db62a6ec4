"""The package file's bytes: layout, signature, encryption and bounded inflation.

Layout (format version 1, big-endian integers; see docs/exchange-format.md)::

    magic        8 bytes   b"ANTQPKG\\0"
    version      2 bytes   format version (1)
    sign_public 32 bytes   the sender's Ed25519 public key
    header_len   4 bytes   length of the manifest
    manifest     header_len bytes of UTF-8 JSON (no personal data; signed)
    body         manifest["body_length"] bytes: zlib-compressed JSON, encrypted
                 with ChaCha20-Poly1305 under a fresh content key when the
                 manifest has an "encryption" block
    signature   64 bytes   Ed25519 over every byte before it

Nothing from the file is parsed before its length and signature are checked,
and nothing from it is ever used as a path.
"""
from __future__ import annotations

import base64
import json
import os
import struct
import zlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                               Ed25519PublicKey)
from cryptography.hazmat.primitives.asymmetric.x25519 import (X25519PrivateKey,
                                                              X25519PublicKey)
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.errors import UserError, read_failure_reason

MAGIC = b"ANTQPKG\0"
FORMAT_VERSION = 1
MAX_FILE = 64 * 1024 * 1024        # refuse bigger files before reading them
MAX_HEADER = 64 * 1024             # the clear manifest
MAX_PLAIN = 64 * 1024 * 1024       # decompressed content (bomb guard)
SIGNATURE_SIZE = 64
_PREFIX = struct.Struct(">8sH32sI")
WRAP_INFO = b"antq-package-v1 content key wrap"
ALG = "X25519-HKDF-SHA256/ChaCha20-Poly1305"
_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class PackageError(UserError):
    """A package refused, with a Vietnamese reason and a short machine kind."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


DAMAGED = "Tệp đã bị sửa đổi hoặc hỏng"


def b64(data: bytes) -> str:
    """Base64 text of *data*."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, size: int | None = None) -> bytes:
    """Bytes from base64 text, refusing anything malformed or of the wrong size."""
    if not isinstance(text, str) or len(text) > 4096:
        raise PackageError("malformed", f"{DAMAGED}: trường mã hóa không hợp lệ.")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise PackageError("malformed", f"{DAMAGED}: trường mã hóa không hợp lệ.") from None
    if size is not None and len(data) != size:
        raise PackageError("malformed", f"{DAMAGED}: độ dài khóa không hợp lệ.")
    return data


@dataclass(frozen=True)
class Envelope:
    """A package whose length and signature have been checked."""

    version: int
    sign_public: bytes
    manifest: dict
    prefix: bytes      # everything before the body (authenticated data of the body)
    body: bytes


# -- writing ------------------------------------------------------------------

def seal(manifest: dict, content: bytes, sign_key: Ed25519PrivateKey,
         recipient_box_public: bytes | None, *, compress: bool = True,
         version: int = FORMAT_VERSION) -> bytes:
    """Compress (and encrypt when a recipient key is given) *content*, then sign.

    *manifest* is completed with the body length and the encryption block.
    ``compress=False`` takes *content* as already compressed (used by tests
    to build hostile files).
    """
    packed = zlib.compress(content, 9) if compress else content
    manifest = dict(manifest, compression="zlib", encryption=None)
    content_key = nonce = None
    if recipient_box_public is not None:
        content_key = ChaCha20Poly1305.generate_key()
        nonce = os.urandom(12)
        manifest["encryption"] = dict(wrap_key(content_key, recipient_box_public),
                                      alg=ALG, nonce=b64(nonce))
    body_length = len(packed) + (16 if content_key else 0)
    manifest["body_length"] = body_length
    header = json.dumps(manifest, ensure_ascii=True, sort_keys=True).encode("ascii")
    sign_public = sign_key.public_key().public_bytes(*_RAW)
    prefix = _PREFIX.pack(MAGIC, version, sign_public, len(header)) + header
    body = (ChaCha20Poly1305(content_key).encrypt(nonce, packed, prefix)
            if content_key else packed)
    signed = prefix + body
    return signed + sign_key.sign(signed)


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient,
                info=WRAP_INFO).derive(shared)


def wrap_key(content_key: bytes, recipient_box_public: bytes) -> dict:
    """Wrap the content key for the recipient (ephemeral X25519 + HKDF + AEAD)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(*_RAW)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_box_public))
    wrap_nonce = os.urandom(12)
    wrapped = ChaCha20Poly1305(_kek(shared, ephemeral_public, recipient_box_public)).encrypt(
        wrap_nonce, content_key, WRAP_INFO)
    return {"ephemeral": b64(ephemeral_public), "wrap_nonce": b64(wrap_nonce),
            "wrapped_key": b64(wrapped)}


# -- reading ------------------------------------------------------------------

def read_limited(path) -> bytes:
    """The file's bytes, refusing files over :data:`MAX_FILE` before reading."""
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE:
            raise PackageError("too_large",
                               f"Tệp quá lớn ({size // (1024 * 1024)} MB; giới hạn "
                               f"{MAX_FILE // (1024 * 1024)} MB): không phải gói dữ liệu hợp lệ.")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE + 1)
    except PackageError:
        raise
    except OSError as exc:
        raise PackageError("unreadable", f"Không đọc được tệp: {read_failure_reason(exc)}.") from None
    if len(data) > MAX_FILE:
        raise PackageError("too_large", "Tệp quá lớn: không phải gói dữ liệu hợp lệ.")
    return data


def open_envelope(data: bytes) -> Envelope:
    """Check magic, version, lengths and signature; parse the manifest."""
    if len(data) > MAX_FILE:
        raise PackageError("too_large", "Tệp quá lớn: không phải gói dữ liệu hợp lệ.")
    if len(data) < _PREFIX.size + SIGNATURE_SIZE or not data.startswith(MAGIC):
        raise PackageError("not_package",
                           "Tệp không phải là gói dữ liệu trao đổi của chương trình "
                           "(hoặc đã bị cắt cụt).")
    magic, version, sign_public, header_len = _PREFIX.unpack_from(data)
    if version != FORMAT_VERSION:
        raise PackageError("version",
                           f"Gói dữ liệu có định dạng phiên bản {version}; chương trình này "
                           f"chỉ đọc phiên bản {FORMAT_VERSION}. Hãy dùng phiên bản chương "
                           "trình phù hợp.")
    if header_len > MAX_HEADER or _PREFIX.size + header_len + SIGNATURE_SIZE > len(data):
        raise PackageError("damaged", f"{DAMAGED}: độ dài phần khai báo không hợp lệ "
                                      "(tệp bị cắt cụt hoặc bị sửa).")
    signed, signature = data[:-SIGNATURE_SIZE], data[-SIGNATURE_SIZE:]
    try:
        Ed25519PublicKey.from_public_bytes(sign_public).verify(signature, signed)
    except (InvalidSignature, ValueError):
        raise PackageError("bad_signature",
                           f"{DAMAGED}: chữ ký không hợp lệ (tệp bị cắt cụt, bị thêm "
                           "dữ liệu, bị sửa hoặc không do đơn vị gửi ký).") from None
    header_end = _PREFIX.size + header_len
    manifest = _parse_manifest(data[_PREFIX.size:header_end])
    body = data[header_end:-SIGNATURE_SIZE]
    if manifest.get("body_length") != len(body):
        raise PackageError("damaged", f"{DAMAGED}: độ dài nội dung không khớp.")
    return Envelope(version, sign_public, manifest, data[:header_end], body)


def _parse_manifest(raw: bytes) -> dict:
    try:
        manifest = json.loads(raw.decode("ascii"))
    except (ValueError, RecursionError):
        raise PackageError("malformed", f"{DAMAGED}: phần khai báo không đọc được.") from None
    if not isinstance(manifest, dict):
        raise PackageError("malformed", f"{DAMAGED}: phần khai báo không đúng cấu trúc.")
    return manifest


def open_body(envelope: Envelope, box_private: bytes) -> bytes:
    """Decrypt (when encrypted) and inflate the body, within :data:`MAX_PLAIN`."""
    info = envelope.manifest.get("encryption")
    if envelope.manifest.get("compression") != "zlib":
        raise PackageError("malformed", f"{DAMAGED}: kiểu nén không được hỗ trợ.")
    packed = envelope.body
    if info is not None:
        packed = _decrypt(envelope, info, box_private)
    return inflate(packed)


def _decrypt(envelope: Envelope, info: object, box_private: bytes) -> bytes:
    if not isinstance(info, dict) or info.get("alg") != ALG:
        raise PackageError("malformed", f"{DAMAGED}: kiểu mã hóa không được hỗ trợ.")
    ephemeral = unb64(info.get("ephemeral"), 32)
    wrap_nonce = unb64(info.get("wrap_nonce"), 12)
    wrapped = unb64(info.get("wrapped_key"), 48)
    nonce = unb64(info.get("nonce"), 12)
    own = X25519PrivateKey.from_private_bytes(box_private)
    own_public = own.public_key().public_bytes(*_RAW)
    try:
        shared = own.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        content_key = ChaCha20Poly1305(_kek(shared, ephemeral, own_public)).decrypt(
            wrap_nonce, wrapped, WRAP_INFO)
        return ChaCha20Poly1305(content_key).decrypt(nonce, envelope.body, envelope.prefix)
    except (InvalidTag, ValueError):
        raise PackageError("undecryptable",
                           "Không giải mã được nội dung: gói không được mã hóa cho khóa "
                           "của đơn vị này hoặc đã bị hỏng.") from None


def inflate(packed: bytes, limit: int = MAX_PLAIN) -> bytes:
    """zlib-decompress at most *limit* bytes; refuse anything longer or malformed."""
    inflater = zlib.decompressobj()
    try:
        plain = inflater.decompress(packed, limit + 1)
    except zlib.error:
        raise PackageError("damaged", f"{DAMAGED}: nội dung nén không đọc được.") from None
    if len(plain) > limit or inflater.unconsumed_tail:
        raise PackageError("bomb",
                           f"Nội dung giải nén vượt giới hạn {limit // (1024 * 1024)} MB; "
                           "tệp bị từ chối (có thể là tệp độc hại).")
    if not inflater.eof or inflater.unused_data:
        raise PackageError("damaged", f"{DAMAGED}: nội dung nén không trọn vẹn.")
    return plain
