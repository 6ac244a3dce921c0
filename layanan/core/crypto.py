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
    nonce = os.urandom(12)
    sealed = ciphers[key_id].encrypt(nonce, plaintext.encode(), context.encode())
    return f"{key_id}${base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(stored: str, *, context: str) -> str:
    _active, ciphers = _field_keys(settings.LAYANAN_FIELD_KEYS)
    key_id, separator, encoded = stored.partition("$")
    if not separator or key_id not in ciphers:
        raise DecryptionError(f"unknown key id {key_id!r}")
    blob = base64.urlsafe_b64decode(encoded.encode())
    try:
        return ciphers[key_id].decrypt(blob[:12], blob[12:], context.encode()).decode()
    except InvalidTag as error:
        raise DecryptionError("ciphertext failed authentication") from error


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed digest of ``value`` for equality look-up; ``purpose`` separates uses (``"nik"``)."""
    (_key_id, raw), *_rest = _parse_keyring(settings.LAYANAN_BLIND_INDEX_KEY)
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(raw, message, hashlib.sha256).hexdigest()


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
