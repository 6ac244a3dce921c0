"""Field-level encryption and keyed blind indexes for personal data (UU 27/2022 PDP).

* ``encrypt`` / ``decrypt``: AES-256-GCM with a random 96-bit nonce. The associated data binds a
  ciphertext to its column (``"accounts.CitizenProfile.nik"``), so a value copied into another
  column does not decrypt. The stored form is ``"<key id>$<base64url(nonce || ciphertext)>"``;
  every key of ``settings.LAYANAN_FIELD_KEYS`` decrypts, the first one encrypts (rotation).
* ``blind_index``: HMAC-SHA256 of the normalised value under ``settings.LAYANAN_BLIND_INDEX_KEY``.
  Equal inputs give equal digests, so an encrypted NIK can be found by equality without storing
  it in clear; without the key the digest reveals nothing practical about the value.
* ``EncryptedTextField``: a model field that stores the ciphertext and gives back plaintext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

_NONCE_BYTES = 12
_TAG_BYTES = 16


class DecryptionError(Exception):
    """The ciphertext is damaged, from another column, or under a key that is no longer configured."""


def _parse_keyring(value: str) -> list[tuple[str, bytes]]:
    ring = []
    for entry in value.split(","):
        key_id, _, encoded = entry.strip().partition(":")
        ring.append((key_id, base64.urlsafe_b64decode(encoded.encode())))
    return ring


@cache
def _field_keys(value: str) -> tuple[tuple[str, bytes], dict[str, AESGCM]]:
    ring = _parse_keyring(value)
    return ring[0], {key_id: AESGCM(raw) for key_id, raw in ring}


def encrypt(plaintext: str, *, context: str) -> str:
    (key_id, _raw), ciphers = _field_keys(settings.LAYANAN_FIELD_KEYS)
    nonce = os.urandom(_NONCE_BYTES)
    sealed = ciphers[key_id].encrypt(nonce, plaintext.encode(), context.encode())
    return f"{key_id}${base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(stored: str, *, context: str) -> str:
    _active, ciphers = _field_keys(settings.LAYANAN_FIELD_KEYS)
    key_id, separator, encoded = stored.partition("$")
    if not separator or key_id not in ciphers:
        raise DecryptionError(f"unknown key id {key_id!r}")
    try:
        blob = base64.urlsafe_b64decode(encoded.encode())
    except ValueError as error:
        raise DecryptionError("ciphertext is not base64") from error
    if len(blob) < _NONCE_BYTES + _TAG_BYTES:
        raise DecryptionError("ciphertext is too short")
    try:
        plaintext = ciphers[key_id].decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], context.encode())
    except InvalidTag as error:
        raise DecryptionError("ciphertext failed authentication") from error
    return plaintext.decode()


def encrypt_bytes(data: bytes, *, context: str) -> bytes:
    """AES-256-GCM for files (document scans): ``key id`` + ``$`` + nonce + ciphertext, as bytes."""
    (key_id, _raw), ciphers = _field_keys(settings.LAYANAN_FIELD_KEYS)
    nonce = os.urandom(_NONCE_BYTES)
    return key_id.encode() + b"$" + nonce + ciphers[key_id].encrypt(nonce, data, context.encode())


def decrypt_bytes(stored: bytes, *, context: str) -> bytes:
    _active, ciphers = _field_keys(settings.LAYANAN_FIELD_KEYS)
    raw_id, separator, blob = stored.partition(b"$")
    key_id = raw_id.decode("ascii", "replace")
    if not separator or key_id not in ciphers:
        raise DecryptionError(f"unknown key id {key_id!r}")
    if len(blob) < _NONCE_BYTES + _TAG_BYTES:
        raise DecryptionError("ciphertext is too short")
    try:
        return ciphers[key_id].decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], context.encode())
    except InvalidTag as error:
        raise DecryptionError("ciphertext failed authentication") from error


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed digest of ``value`` for equality look-up; ``purpose`` separates uses (``"nik"``).

    The caller normalises ``value`` first (digits only, ``+62`` phone form, lower-case e-mail):
    the digest of two spellings of one value differs.
    """
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(_blind_index_key(settings.LAYANAN_BLIND_INDEX_KEY), message, hashlib.sha256).hexdigest()


@cache
def _blind_index_key(value: str) -> bytes:
    (_key_id, raw), *_rest = _parse_keyring(value)
    return raw


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column that is encrypted at rest and plaintext in Python.

    Only equality through a separate blind-index column can be queried; filtering on this field
    itself is meaningless because every encryption uses a fresh nonce.
    """

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        self.encryption_context = f"{cls._meta.label}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value, context=self.encryption_context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), context=self.encryption_context)
