"""Signed stamps for output documents.

A stamp binds the document's key facts and the SHA-256 of the rendered PDF under one signature::

    payload = canonical_json({"v": 1, "kid": key_id, "pdf_sha256": "<hex>", "facts": {...}})
    signature = signer.sign(payload)

Verification checks the signature with the published public key named by ``key_id`` and, when the
caller passes them, that the stamp's facts and PDF hash equal the document at hand. A forged
signature, a changed fact or a changed PDF hash all give :attr:`Verdict.INVALID`.

Signers sit behind the :class:`Signer` protocol. :class:`Ed25519Signer` is the built-in one, with a
key ring from settings. A certified electronic-signature provider (BSrE, Balai Sertifikasi
Elektronik) can be added later as another class with the same three members; see
``docs/verifiable-documents.md``. Revocation is not a property of the signature: the application
layer records it and reports it before calling :func:`verify_stamp`.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PAYLOAD_VERSION = 1
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
SHA256_HEX_RE = re.compile(r"^[0-9a-f]{64}$")
ED25519_SIGNATURE_LENGTH = 64
ED25519_KEY_LENGTH = 32


class KeyRingError(ValueError):
    """The signing key ring setting is malformed. The message never contains key material."""


class Verdict(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN_KEY = "unknown_key"


@runtime_checkable
class Signer(Protocol):
    """Signs stamp payloads. Implementations: :class:`Ed25519Signer`; later a BSrE client."""

    @property
    def key_id(self) -> str:
        """Identifier of the key that :meth:`sign` uses; stored in every stamp."""
        ...

    def sign(self, payload: bytes) -> bytes:
        """Return the signature of ``payload`` made with the key :attr:`key_id`."""
        ...

    def verify(self, payload: bytes, signature: bytes, *, key_id: str) -> Verdict:
        """Check ``signature`` over ``payload`` with the key ``key_id`` (current or retired)."""
        ...


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict unpadded base64url decoding; raises ``ValueError`` on anything else."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        raise ValueError("not unpadded base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical_json(data: Mapping[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8, no NaN/Infinity, string keys only."""
    _check_string_keys(data)
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _check_string_keys(value: Any) -> None:
    # json.dumps would silently turn 1 and "1" into the same key; refuse instead.
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"canonical JSON keys must be strings, got {type(key).__name__}")
            _check_string_keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_string_keys(item)


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of a rendered PDF, as stored in a stamp."""
    return hashlib.sha256(data).hexdigest()


class Ed25519Signer:
    """Ed25519 signer over a key ring ``"id:base64(32-byte seed),id2:..."``, newest first.

    The first key signs; every key verifies, so documents signed before a rotation stay valid
    after a new key is prepended. Retire a key only when no valid document depends on it.
    """

    def __init__(self, key_ring: str) -> None:
        self._private: dict[str, Ed25519PrivateKey] = {}
        entries = [entry.strip() for entry in key_ring.split(",") if entry.strip()]
        if not entries:
            raise KeyRingError("the signing key ring is empty")
        for position, entry in enumerate(entries, start=1):
            key_id, sep, encoded = entry.partition(":")
            key_id = key_id.strip()
            if not sep or not KEY_ID_RE.match(key_id):
                raise KeyRingError(
                    f"key ring entry {position}: expected 'id:base64seed' with id [A-Za-z0-9_-]"
                )
            if key_id in self._private:
                raise KeyRingError(f"key ring entry {position}: duplicate key id {key_id!r}")
            try:
                seed = base64.b64decode(encoded.strip(), validate=True)
            except (binascii.Error, ValueError):
                raise KeyRingError(f"key ring entry {position} ({key_id}): seed is not base64") from None
            if len(seed) != ED25519_KEY_LENGTH:
                raise KeyRingError(f"key ring entry {position} ({key_id}): seed must be 32 bytes")
            self._private[key_id] = Ed25519PrivateKey.from_private_bytes(seed)
        self._key_id = next(iter(self._private))

    def __repr__(self) -> str:
        return f"<Ed25519Signer key_id={self._key_id!r} keys={list(self._private)!r}>"

    @property
    def key_id(self) -> str:
        return self._key_id

    def sign(self, payload: bytes) -> bytes:
        return self._private[self._key_id].sign(payload)

    def verify(self, payload: bytes, signature: bytes, *, key_id: str) -> Verdict:
        return _verify_ed25519(self.public_keys(), payload, signature, key_id=key_id)

    def public_keys(self) -> dict[str, bytes]:
        """Raw 32-byte public keys by key id, for publishing and for :func:`verify_stamp`."""
        return {
            key_id: key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
            for key_id, key in self._private.items()
        }

    @staticmethod
    def generate_entry(key_id: str) -> str:
        """A fresh ``id:base64seed`` entry to prepend to the key ring (operator helper)."""
        if not KEY_ID_RE.match(key_id):
            raise KeyRingError("key id must match [A-Za-z0-9_-]{1,32}")
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return f"{key_id}:{base64.b64encode(seed).decode('ascii')}"


def _verify_ed25519(
    public_keys: Mapping[str, bytes], payload: bytes, signature: bytes, *, key_id: str
) -> Verdict:
    raw = public_keys.get(key_id)
    if raw is None:
        return Verdict.UNKNOWN_KEY
    if len(signature) != ED25519_SIGNATURE_LENGTH:
        return Verdict.INVALID
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, payload)
    except (InvalidSignature, ValueError):
        return Verdict.INVALID
    return Verdict.VALID


@dataclass(frozen=True, slots=True)
class SignedStamp:
    """What is stored with an issued document: key id, base64url signature, canonical payload."""

    key_id: str
    signature: str
    payload: str

    def payload_data(self) -> dict[str, Any]:
        data = json.loads(self.payload)
        if not isinstance(data, dict):
            raise ValueError("stamp payload is not a JSON object")
        return data


def build_payload(facts: Mapping[str, Any], pdf_sha256: str, *, key_id: str) -> bytes:
    if not SHA256_HEX_RE.match(pdf_sha256):
        raise ValueError("pdf_sha256 must be 64 lowercase hex digits")
    return canonical_json({"v": PAYLOAD_VERSION, "kid": key_id, "pdf_sha256": pdf_sha256, "facts": facts})


def sign_document(facts: Mapping[str, Any], pdf_sha256: str, *, signer: Signer) -> SignedStamp:
    """Sign the document's key facts (no personal data beyond what is printed) and PDF hash."""
    payload = build_payload(facts, pdf_sha256, key_id=signer.key_id)
    signature = signer.sign(payload)
    return SignedStamp(
        key_id=signer.key_id, signature=b64url_encode(signature), payload=payload.decode("utf-8")
    )


def verify_stamp(
    stamp: SignedStamp,
    *,
    public_keys: Mapping[str, bytes],
    facts: Mapping[str, Any] | None = None,
    pdf_sha256: str | None = None,
) -> Verdict:
    """Verify a stamp's Ed25519 signature, and that it covers ``facts`` and ``pdf_sha256`` if given.

    Never raises on bad input: anything malformed is :attr:`Verdict.INVALID`.
    """
    if stamp.key_id not in public_keys:
        return Verdict.UNKNOWN_KEY
    try:
        signature = b64url_decode(stamp.signature)
        payload = stamp.payload.encode("utf-8")
        data = stamp.payload_data()
    except (ValueError, UnicodeError):
        return Verdict.INVALID
    verdict = _verify_ed25519(public_keys, payload, signature, key_id=stamp.key_id)
    if verdict is not Verdict.VALID:
        return verdict
    # The signed bytes must be the canonical form of their own content and name the same key.
    try:
        if canonical_json(data) != payload or data.get("kid") != stamp.key_id:
            return Verdict.INVALID
    except (TypeError, ValueError):
        return Verdict.INVALID
    if data.get("v") != PAYLOAD_VERSION:
        return Verdict.INVALID
    signed_hash = data.get("pdf_sha256")
    if not isinstance(signed_hash, str):
        return Verdict.INVALID
    if pdf_sha256 is not None and not hmac.compare_digest(signed_hash, pdf_sha256.lower()):
        return Verdict.INVALID
    if facts is not None:
        try:
            expected = canonical_json(facts)
        except (TypeError, ValueError):
            return Verdict.INVALID
        signed_facts = data.get("facts")
        if not isinstance(signed_facts, dict) or canonical_json(signed_facts) != expected:
            return Verdict.INVALID
    return Verdict.VALID


def verify_pdf(pdf: bytes, stamp: SignedStamp, *, public_keys: Mapping[str, bytes]) -> Verdict:
    """Verify that ``stamp`` is a valid signature over exactly these PDF bytes."""
    return verify_stamp(stamp, public_keys=public_keys, pdf_sha256=sha256_hex(pdf))
