from __future__ import annotations

import base64
from typing import Any

import pytest

from layanan.core.crypto import DecryptionError, blind_index, decrypt, encrypt

K1 = "k1:" + base64.urlsafe_b64encode(bytes(range(32))).decode()
K2 = "k2:" + base64.urlsafe_b64encode(bytes(range(100, 132))).decode()
NIK_COLUMN = "accounts.CitizenProfile.nik"
NIK = "3273015508900009"


@pytest.fixture
def keys(settings: Any) -> Any:
    settings.LAYANAN_FIELD_KEYS = K1
    return settings


def test_round_trip(keys: Any) -> None:
    stored = encrypt(NIK, context=NIK_COLUMN)

    assert stored.startswith("k1$")
    assert NIK not in stored
    assert decrypt(stored, context=NIK_COLUMN) == NIK


def test_round_trip_of_unicode_and_empty_text(keys: Any) -> None:
    for text in ("", "Jl. Pemuda № 7, Semarang — RT 01/RW 02 ✓"):
        assert decrypt(encrypt(text, context=NIK_COLUMN), context=NIK_COLUMN) == text


def test_every_encryption_uses_a_fresh_nonce(keys: Any) -> None:
    assert encrypt(NIK, context=NIK_COLUMN) != encrypt(NIK, context=NIK_COLUMN)


def test_a_value_copied_to_another_column_does_not_decrypt(keys: Any) -> None:
    stored = encrypt(NIK, context=NIK_COLUMN)

    with pytest.raises(DecryptionError, match="authentication"):
        decrypt(stored, context="accounts.CitizenProfile.kk_number")


def test_key_rotation_keeps_old_values_readable_and_encrypts_with_the_new_key(keys: Any) -> None:
    old = encrypt(NIK, context=NIK_COLUMN)

    keys.LAYANAN_FIELD_KEYS = f"{K2},{K1}"
    new = encrypt(NIK, context=NIK_COLUMN)

    assert decrypt(old, context=NIK_COLUMN) == NIK
    assert new.startswith("k2$")
    assert decrypt(new, context=NIK_COLUMN) == NIK


def test_a_value_under_a_retired_key_fails_clearly(keys: Any) -> None:
    keys.LAYANAN_FIELD_KEYS = f"{K2},{K1}"
    stored = encrypt(NIK, context=NIK_COLUMN)

    keys.LAYANAN_FIELD_KEYS = K1
    with pytest.raises(DecryptionError, match="unknown key id 'k2'"):
        decrypt(stored, context=NIK_COLUMN)


def _flip_one_bit(stored: str, position: int) -> str:
    key_id, _, encoded = stored.partition("$")
    blob = bytearray(base64.urlsafe_b64decode(encoded))
    blob[position] ^= 0x01
    return f"{key_id}${base64.urlsafe_b64encode(bytes(blob)).decode()}"


@pytest.mark.parametrize("position", [0, 11, 12, -1])
def test_tampered_ciphertext_raises(position: int, keys: Any) -> None:
    stored = encrypt(NIK, context=NIK_COLUMN)

    with pytest.raises(DecryptionError):
        decrypt(_flip_one_bit(stored, position), context=NIK_COLUMN)


@pytest.mark.parametrize("stored", ["", "plaintext", "k1$", "k1$AAAA", "k1$not*base64*at*all", "k9$AAAA"])
def test_damaged_values_raise_decryption_error(stored: str, keys: Any) -> None:
    with pytest.raises(DecryptionError):
        decrypt(stored, context=NIK_COLUMN)


def test_blind_index_is_deterministic_keyed_and_purpose_separated(settings: Any) -> None:
    digest = blind_index(NIK, purpose="nik")

    assert digest == blind_index(NIK, purpose="nik")
    assert len(digest) == 64
    assert NIK not in digest
    assert blind_index(NIK, purpose="kk_number") != digest
    assert blind_index("3273015508900008", purpose="nik") != digest

    settings.LAYANAN_BLIND_INDEX_KEY = K2
    assert blind_index(NIK, purpose="nik") != digest


def test_blind_index_purpose_cannot_be_forged_by_moving_the_separator() -> None:
    assert blind_index("b", purpose="a") != blind_index("", purpose="ab")
