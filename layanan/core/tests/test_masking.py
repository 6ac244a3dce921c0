from __future__ import annotations

import pytest

from layanan.core.masking import mask_email, mask_nik, mask_phone, mask_text


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("3273015508900009", "3273********0009"),
        ("", ""),
        ("12345678", "********"),
        ("123456789", "1234*6789"),
    ],
)
def test_mask_nik(value: str, masked: str) -> None:
    assert mask_nik(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("081234567890", "0812*****890"),
        ("+6281234567890", "+628*******890"),
        ("", ""),
        ("1234567", "*******"),
    ],
)
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("siti.rahma@example.id", "s*********@example.id"),
        ("a@example.id", "a*@example.id"),
        ("not-an-address", "**************"),
        ("", ""),
    ],
)
def test_mask_email(value: str, masked: str) -> None:
    assert mask_email(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("Jl. Pemuda No. 7", "Jl. ************"),
        ("Perumahan Griya Asri Blok C nomor 12 Semarang", "Perumahan ************"),
        ("Semarang", "Semarang"),
        ("", ""),
    ],
)
def test_mask_text(value: str, masked: str) -> None:
    assert mask_text(value) == masked
