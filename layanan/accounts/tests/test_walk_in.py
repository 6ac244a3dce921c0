"""Accounts opened at the counter for walk-in citizens: who may open one, what is stored, what
is refused, and that the citizen can sign in later with the phone number given at the counter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from layanan.accounts.actions.profile import register_walk_in_citizen
from layanan.accounts.models import CitizenProfile, User
from layanan.accounts.tests.factories import (
    OTHER_VALID_NIK,
    VALID_NIK,
    citizen_profile_with_nik,
    citizen_with_phone,
    last_sent_code,
    region,
)
from layanan.audit.models import AuditEvent
from layanan.core.crypto import blind_index


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are compared with their English source text."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def _register(actor: Any, **changes: Any) -> User:
    values: dict[str, Any] = {
        "full_name": "  Wahyu   Hidayat ",
        "nik": VALID_NIK,
        "phone": "0812-3456-7890",
        "address": "Jl. Merdeka 1 RT 01/RW 02",
        **changes,
    }
    return register_walk_in_citizen(actor=actor, **values)


def _state() -> tuple[int, int, int]:
    return User.objects.count(), CitizenProfile.objects.count(), AuditEvent.objects.count()


def test_front_officer_opens_an_account_with_nik_phone_and_address(front_officer: User) -> None:
    city = region("32.73", "Kota Bandung")

    user = _register(front_officer, region=city)

    user.refresh_from_db()
    assert user.kind == User.Kind.CITIZEN
    assert user.full_name == "Wahyu Hidayat"
    assert user.username.startswith("warga-")
    assert not user.has_usable_password()
    assert user.email == ""
    assert user.phone == "+6281234567890"
    assert user.phone_index == blind_index("+6281234567890", purpose="phone")
    profile = CitizenProfile.objects.get(user=user)
    assert profile.nik == VALID_NIK
    assert profile.nik_index == blind_index(VALID_NIK, purpose="nik")
    assert profile.address == "Jl. Merdeka 1 RT 01/RW 02"
    assert profile.region == city


def test_audit_names_the_fields_and_holds_no_personal_data(front_officer: User) -> None:
    user = _register(front_officer)

    event = AuditEvent.objects.get(action="accounts.walk_in_citizen_registered")
    assert event.actor_id == front_officer.pk
    assert event.object_id == str(user.pk)
    assert event.summary == {"fields": ["full_name", "nik", "phone", "address"], "channel": "counter"}
    stored = json.dumps(event.summary)
    for secret in (VALID_NIK, "6281234567890", "Merdeka", "Wahyu"):
        assert secret not in stored


def test_without_phone_the_account_has_no_sign_in_address(front_officer: User) -> None:
    user = _register(front_officer, phone="   ", address="")

    assert user.phone == ""
    assert user.phone_index is None
    assert CitizenProfile.objects.get(user=user).address == ""
    event = AuditEvent.objects.get(action="accounts.walk_in_citizen_registered")
    assert event.summary["fields"] == ["full_name", "nik"]


def test_a_nik_that_already_has_an_account_is_refused(front_officer: User) -> None:
    citizen_profile_with_nik(nik=VALID_NIK)
    before = _state()

    with pytest.raises(ValidationError) as raised:
        _register(front_officer)

    assert raised.value.error_dict["nik"][0].code == "nik_taken"
    assert "Search for the citizen by this NIK" in str(raised.value.error_dict["nik"][0].message)
    assert _state() == before


def test_a_phone_that_already_has_an_account_is_refused(front_officer: User) -> None:
    citizen_with_phone("+6281234567890")
    before = _state()

    with pytest.raises(ValidationError) as raised:
        _register(front_officer, phone="+62 812 3456 7890")

    assert raised.value.error_dict["phone"][0].code == "phone_taken"
    assert _state() == before


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"nik": "1234"}, "nik", "length"),
        ({"nik": "9973015508900009"}, "nik", "province"),
        ({"phone": "12345"}, "phone", "phone_format"),
        ({"full_name": "   "}, "full_name", "required"),
    ],
)
def test_bad_input_is_refused_per_field(
    front_officer: User, changes: dict[str, str], field: str, code: str
) -> None:
    before = _state()

    with pytest.raises(ValidationError) as raised:
        _register(front_officer, **changes)

    assert raised.value.error_dict[field][0].code == code
    assert _state() == before


@pytest.mark.parametrize("persona", ["officer", "unit_head", "citizen", "admin_user", "anonymous"])
def test_only_front_office_officers_may_open_accounts(request: pytest.FixtureRequest, persona: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    before = _state()

    with pytest.raises(PermissionDenied):
        _register(actor, nik=OTHER_VALID_NIK)

    assert _state() == before


def test_the_walk_in_citizen_signs_in_with_the_phone_given_at_the_counter(front_officer: User) -> None:
    walk_in = _register(front_officer)
    client = Client()

    response = client.post("/masuk/", {"contact": "0812 3456 7890"})
    assert response.status_code == 302
    response = client.post("/masuk/kode/", {"code": last_sent_code()})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == walk_in.pk
    assert User.objects.filter(kind=User.Kind.CITIZEN).count() == 1
    page = client.get("/akun/").content.decode()
    assert "Wahyu Hidayat" in page
    assert "3273********0009" in page
