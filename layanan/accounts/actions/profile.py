"""Changes citizens make to their own once-only data (NIK, KK number, address, region)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import CitizenProfile, User
from layanan.accounts.nik import validate_kk_number, validate_nik
from layanan.accounts.permissions import can_edit_citizen_profile
from layanan.audit.actions import record_event
from layanan.core.crypto import blind_index
from layanan.regions.models import Region

T = TypeVar("T")


@transaction.atomic
def update_citizen_profile(
    user: User,
    *,
    actor: User,
    full_name: str,
    nik: str | None,
    kk_number: str | None,
    address: str,
    region: Region | None,
) -> CitizenProfile:
    """Change the citizen's name and once-only data; ``None`` for NIK or KK number keeps it."""
    if not can_edit_citizen_profile(actor, user):
        raise PermissionDenied
    profile, _created = CitizenProfile.objects.select_for_update().get_or_create(user=user)
    changed: list[str] = []
    if full_name.strip() != user.full_name:
        user.full_name = full_name.strip()
        user.save(update_fields=["full_name"])
        changed.append("full_name")
    changed += _change_identity_numbers(profile, nik=nik, kk_number=kk_number)
    if address.strip() != profile.address:
        profile.address = address.strip()
        changed.append("address")
    if region != profile.region:
        profile.region = region
        changed.append("region")
    if not changed:
        return profile
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as error:
        raise _nik_taken_error() from error
    record_event("accounts.profile_updated", actor=actor, target=profile, summary={"changed": changed})
    return profile


def _change_identity_numbers(profile: CitizenProfile, *, nik: str | None, kk_number: str | None) -> list[str]:
    changed = []
    if nik is not None:
        facts = _field_checked("nik", validate_nik, nik)
        if facts.nik != profile.nik:
            _ensure_nik_is_free(facts.nik, profile.user)
            profile.nik = facts.nik
            profile.nik_index = blind_index(facts.nik, purpose="nik")
            changed.append("nik")
    if kk_number is not None:
        kk = _field_checked("kk_number", validate_kk_number, kk_number)
        if kk != profile.kk_number:
            profile.kk_number = kk
            changed.append("kk_number")
    return changed


def _field_checked(field: str, check: Callable[[str], T], value: str) -> T:
    try:
        return check(value)
    except ValidationError as error:
        raise ValidationError({field: error}) from error


def _ensure_nik_is_free(nik: str, user: User) -> None:
    taken = CitizenProfile.objects.filter(nik_index=blind_index(nik, purpose="nik")).exclude(user=user)
    if taken.exists():
        raise _nik_taken_error()


def _nik_taken_error() -> ValidationError:
    return ValidationError(
        {
            "nik": ValidationError(
                _(
                    "This NIK is already used by another account. One NIK can have only one account. "
                    "If it is yours, ask for help at the service desk."
                ),
                code="nik_taken",
            )
        }
    )
