"""The citizen's account page and its edit form."""

from __future__ import annotations

import pytest
from django.test import Client

from layanan.accounts.models import CitizenProfile, User
from layanan.accounts.tests.factories import (
    OTHER_VALID_NIK,
    VALID_KK_NUMBER,
    VALID_NIK,
    citizen_profile_with_nik,
    region,
)
from layanan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _form(**changes: str) -> dict[str, str]:
    return {"full_name": "Siti Rahmawati", "nik": "", "kk_number": "", "address": "", **changes}


def test_profile_shows_masked_personal_data(citizen: User, citizen_client: Client) -> None:
    citizen_profile_with_nik(citizen, nik=VALID_NIK, kk_number=VALID_KK_NUMBER, address="Jl. Dago 12 RT 01")

    page = citizen_client.get("/akun/").content.decode()

    assert "3273********0009" in page
    assert VALID_NIK not in page
    assert "3273********0003" in page
    assert VALID_KK_NUMBER not in page
    assert "Jl. " in page
    assert "Dago" not in page
    assert citizen.email not in page


def test_profile_without_details_yet(citizen_client: Client) -> None:
    citizen_client.cookies["layanan_language"] = "en"

    response = citizen_client.get("/akun/")

    assert response.status_code == 200
    assert "Not given" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_edit_page_shows_masked_nik_as_hint_not_the_number(citizen: User, citizen_client: Client) -> None:
    citizen_profile_with_nik(citizen, nik=VALID_NIK)

    page = citizen_client.get("/akun/ubah/").content.decode()

    assert "3273********0009" in page
    assert VALID_NIK not in page
    assert 'aria-describedby="id_nik_helptext"' in page


def test_citizen_saves_nik_and_sees_it_masked(citizen: User, citizen_client: Client) -> None:
    response = citizen_client.post(
        "/akun/ubah/", _form(nik="3273 0155 0890 0009", kk_number=VALID_KK_NUMBER, address="Jl. Dago 12")
    )

    assert response["Location"] == "/akun/"
    profile = CitizenProfile.objects.get(user=citizen)
    assert (profile.nik, profile.kk_number, profile.address) == (VALID_NIK, VALID_KK_NUMBER, "Jl. Dago 12")
    assert AuditEvent.objects.get(action="accounts.profile_updated").summary == {
        "changed": ["nik", "kk_number", "address"]
    }


def test_invalid_nik_comes_back_with_the_typed_values(citizen: User, citizen_client: Client) -> None:
    citizen_client.cookies["layanan_language"] = "en"

    response = citizen_client.post("/akun/ubah/", _form(nik="3273017208900009", address="Jl. Dago 12"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "are not a day of birth" in page
    assert 'value="3273017208900009"' in page
    assert "Jl. Dago 12" in page
    assert 'aria-invalid="true"' in page
    assert not CitizenProfile.objects.filter(user=citizen).exists()


def test_nik_of_another_account_is_refused_with_a_clear_message(
    citizen_client: Client, other_citizen: User
) -> None:
    citizen_client.cookies["layanan_language"] = "en"
    citizen_profile_with_nik(other_citizen, nik=OTHER_VALID_NIK)

    response = citizen_client.post("/akun/ubah/", _form(nik=OTHER_VALID_NIK))

    page = response.content.decode()
    assert "This NIK is already used by another account." in page
    assert other_citizen.full_name not in page


def test_region_field_is_hidden_while_no_regions_are_loaded(citizen_client: Client) -> None:
    assert 'name="region"' not in citizen_client.get("/akun/ubah/").content.decode()


def test_citizen_chooses_a_regency_when_regions_are_loaded(citizen: User, citizen_client: Client) -> None:
    city = region("32.73", "Kota Bandung")

    page = citizen_client.get("/akun/ubah/").content.decode()
    citizen_client.post("/akun/ubah/", _form(region=city.code))

    assert "Kota Bandung" in page
    assert CitizenProfile.objects.get(user=citizen).region == city
