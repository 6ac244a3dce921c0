"""Personal data is encrypted at rest and found only through its blind index."""

from __future__ import annotations

import pytest
from django.db import connection

from layanan.accounts.actions import send_one_time_code, update_citizen_profile
from layanan.accounts.contact import Contact
from layanan.accounts.models import CitizenProfile, OneTimeCode, User
from layanan.accounts.tests.factories import VALID_KK_NUMBER, VALID_NIK, citizen_with_phone, last_sent_code
from layanan.core.crypto import blind_index

pytestmark = pytest.mark.django_db


def _raw_row(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed table names
        row = cursor.fetchone()
    assert row is not None
    return " ".join(str(value) for value in row)


def test_nik_kk_address_and_phone_are_not_stored_in_clear() -> None:
    citizen = citizen_with_phone("+6281234567890")
    update_citizen_profile(
        citizen,
        actor=citizen,
        full_name=citizen.full_name,
        nik=VALID_NIK,
        kk_number=VALID_KK_NUMBER,
        address="Jl. Cihampelas 160",
        region=None,
    )
    profile = CitizenProfile.objects.get(user=citizen)

    profile_row = _raw_row("accounts_citizenprofile", profile.pk)
    user_row = _raw_row("accounts_user", citizen.pk)

    for secret in (VALID_NIK, VALID_KK_NUMBER, "Cihampelas"):
        assert secret not in profile_row
    for secret in ("+6281234567890", "6281234567890", "81234567890"):
        assert secret not in user_row


def test_blind_indexes_find_the_encrypted_values() -> None:
    citizen = citizen_with_phone("+6281234567890")
    update_citizen_profile(
        citizen, actor=citizen, full_name="Siti", nik=VALID_NIK, kk_number=None, address="", region=None
    )

    found_profile = CitizenProfile.objects.get(nik_index=blind_index(VALID_NIK, purpose="nik"))
    found_user = User.objects.get(phone_index=blind_index("+6281234567890", purpose="phone"))

    assert found_profile.user == citizen
    assert found_profile.nik == VALID_NIK
    assert found_user == citizen


def test_one_time_code_row_holds_neither_the_code_nor_the_address() -> None:
    one_time_code = send_one_time_code(
        Contact(channel="sms", address="+6281234567890"), purpose=OneTimeCode.Purpose.SIGN_UP
    )

    row = _raw_row("accounts_onetimecode", one_time_code.pk)

    assert last_sent_code() not in row.replace(one_time_code.code_hash, "").replace(
        one_time_code.address_index, ""
    )
    assert "81234567890" not in row
