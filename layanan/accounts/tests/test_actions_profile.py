"""Citizen profile changes: validation, one NIK per account, audit without personal data."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layanan.accounts.actions import update_citizen_profile
from layanan.accounts.models import CitizenProfile, User
from layanan.accounts.tests.factories import (
    OTHER_VALID_NIK,
    VALID_KK_NUMBER,
    VALID_NIK,
    citizen_profile_with_nik,
    region,
)
from layanan.audit.models import AuditEvent
from layanan.core.crypto import blind_index

pytestmark = pytest.mark.django_db


def _update(user: User, actor: User, **changes: object) -> CitizenProfile:
    values: dict[str, object] = {
        "full_name": user.full_name,
        "nik": None,
        "kk_number": None,
        "address": "",
        "region": None,
        **changes,
    }
    return update_citizen_profile(user, actor=actor, **values)  # type: ignore[arg-type]


def test_citizen_sets_nik_kk_address_and_region(citizen: User) -> None:
    city = region("32.73", "Kota Bandung")

    profile = _update(
        citizen,
        citizen,
        nik="3273 0155 0890 0009",
        kk_number=VALID_KK_NUMBER,
        address="Jl. Asia Afrika 8",
        region=city,
    )

    profile.refresh_from_db()
    assert profile.nik == VALID_NIK
    assert profile.nik_index == blind_index(VALID_NIK, purpose="nik")
    assert profile.kk_number == VALID_KK_NUMBER
    assert profile.address == "Jl. Asia Afrika 8"
    assert profile.region == city


def test_audit_event_lists_changed_field_names_only(citizen: User) -> None:
    _update(
        citizen, citizen, full_name="Siti R.", nik=VALID_NIK, kk_number=VALID_KK_NUMBER, address="Jl. Braga 1"
    )

    event = AuditEvent.objects.get(action="accounts.profile_updated")
    assert event.summary == {"changed": ["full_name", "nik", "kk_number", "address"]}
    stored = json.dumps(event.summary)
    for secret in (VALID_NIK, VALID_KK_NUMBER, "Braga", "Siti R."):
        assert secret not in stored
    assert event.actor_id == citizen.pk


def test_nothing_changed_writes_no_event(citizen: User) -> None:
    _update(citizen, citizen, nik=VALID_NIK)
    events = AuditEvent.objects.count()

    _update(citizen, citizen, nik=None)

    assert AuditEvent.objects.count() == events


def test_empty_nik_keeps_the_saved_one(citizen: User) -> None:
    _update(citizen, citizen, nik=VALID_NIK)

    _update(citizen, citizen, nik=None, address="Jl. Baru 2")

    assert CitizenProfile.objects.get(user=citizen).nik == VALID_NIK


def test_invalid_nik_is_a_field_error(citizen: User) -> None:
    with pytest.raises(ValidationError) as caught:
        _update(citizen, citizen, nik="3273013208900009")

    assert caught.value.error_dict["nik"][0].code == "day"
    assert not CitizenProfile.objects.filter(user=citizen).exclude(nik="").exists()


def test_nik_of_another_account_is_refused_without_saying_whose(citizen: User, other_citizen: User) -> None:
    citizen_profile_with_nik(other_citizen, nik=OTHER_VALID_NIK)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        _update(citizen, citizen, nik=OTHER_VALID_NIK)

    error = caught.value.error_dict["nik"][0]
    assert error.code == "nik_taken"
    assert other_citizen.full_name not in str(error.message)
    assert CitizenProfile.objects.filter(nik_index=blind_index(OTHER_VALID_NIK, purpose="nik")).count() == 1
    assert AuditEvent.objects.count() == events


def test_keeping_ones_own_nik_is_not_a_conflict(citizen: User) -> None:
    citizen_profile_with_nik(citizen, nik=VALID_NIK)

    _update(citizen, citizen, nik=VALID_NIK, address="Jl. Baru 2")

    assert CitizenProfile.objects.get(user=citizen).address == "Jl. Baru 2"


@pytest.mark.parametrize("actor_name", ["other_citizen", "officer", "admin_user"])
def test_only_the_citizen_changes_their_profile(
    citizen: User, actor_name: str, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(actor_name)
    citizen_profile_with_nik(citizen, nik=VALID_NIK)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        _update(citizen, actor, nik=OTHER_VALID_NIK, address="Jl. Lain 3")

    profile = CitizenProfile.objects.get(user=citizen)
    assert (profile.nik, profile.address) == (VALID_NIK, "")
    assert AuditEvent.objects.count() == events
