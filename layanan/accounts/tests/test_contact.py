"""Normalising e-mail addresses and Indonesian mobile numbers, without the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from layanan.accounts.contact import national_phone, normalise_email, normalise_phone, parse_contact


@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+6281234567890",
        "+62 812 3456 7890",
        "6281234567890",
    ],
)
def test_mobile_numbers_are_stored_as_plus_62(typed: str) -> None:
    assert normalise_phone(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["0812345678", "0812345678901"])  # 10 and 13 digits with the 0
def test_shortest_and_longest_mobile_numbers_are_accepted(typed: str) -> None:
    assert normalise_phone(typed) == "+62" + typed[1:]


@pytest.mark.parametrize(
    ("typed", "code"), [("081234567", "phone_length"), ("08123456789012", "phone_length")]
)
def test_too_short_or_too_long_mobile_numbers_are_rejected(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_phone(typed)

    assert caught.value.code == code


@pytest.mark.parametrize("typed", ["0215551234", "+12025550123", "81234567890", "0812345678x", ""])
def test_landlines_foreign_and_malformed_numbers_are_rejected(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_phone(typed)

    assert caught.value.code == "phone_format"


def test_national_form_for_display() -> None:
    assert national_phone("+6281234567890") == "081234567890"


def test_email_is_trimmed_and_lower_cased() -> None:
    assert normalise_email("  Siti.Rahma@Example.ID ") == "siti.rahma@example.id"


def test_malformed_email_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_email("siti@")

    assert caught.value.code == "email"


def test_contact_with_at_sign_is_an_email() -> None:
    contact = parse_contact("Siti@Example.id")

    assert (contact.channel, contact.address) == ("email", "siti@example.id")


def test_contact_with_digits_is_a_mobile_number() -> None:
    contact = parse_contact("0812 3456 7890")

    assert (contact.channel, contact.address) == ("sms", "+6281234567890")
    assert contact.masked == "0812*****890"


@pytest.mark.parametrize(("typed", "code"), [("", "required"), ("siti", "contact"), ("08abc", "contact")])
def test_contact_that_is_neither(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_contact(typed)

    assert caught.value.code == code
