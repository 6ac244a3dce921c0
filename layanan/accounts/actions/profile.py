"""Changes citizens make to their own once-only data (NIK, KK number, address, region), and the
account a front-office officer opens for a walk-in citizen at the counter."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from layanan.accounts.contact import Contact, normalise_phone
from layanan.accounts.models import CitizenProfile, User
from layanan.accounts.nik import validate_kk_number, validate_nik
from layanan.accounts.permissions import can_edit_citizen_profile, is_staff_user
from layanan.accounts.roles import Role
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


# --- Walk-in citizens (registered at the counter) ---------------------------------------------------


@transaction.atomic
def register_walk_in_citizen(
    *,
    full_name: str,
    nik: str,
    phone: str,
    address: str,
    actor: Any,
    region: Region | None = None,
) -> User:
    """Open an account for a citizen who applies at the counter and has none yet.

    Only front-office officers call this (with the citizen's consent, recorded on the application).
    The account has no password; the citizen signs in later with ``phone`` (a one-time code), when
    one is given. A NIK or mobile number that already belongs to an account is refused: the
    officer then looks the citizen up instead of making a second account.
    """
    if not is_staff_user(actor) or not actor.has_role(Role.FRONT_OFFICE):
        raise PermissionDenied
    name = " ".join(full_name.split())
    if not name:
        raise ValidationError({"full_name": ValidationError(_("Enter the full name."), code="required")})
    facts = _field_checked("nik", validate_nik, nik)
    nik_index = blind_index(facts.nik, purpose="nik")
    if CitizenProfile.objects.filter(nik_index=nik_index).exists():
        raise _nik_registered_error()
    contact = None
    if phone.strip():
        contact = Contact(channel="sms", address=_field_checked("phone", normalise_phone, phone))
        if User.objects.filter(phone_index=contact.index).exists():
            raise _phone_registered_error()
    user = User(username=f"warga-{secrets.token_hex(6)}", kind=User.Kind.CITIZEN, full_name=name)
    if contact is not None:
        user.phone = contact.address
        user.phone_index = contact.index
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            profile = CitizenProfile.objects.create(
                user=user, nik=facts.nik, nik_index=nik_index, address=address.strip(), region=region
            )
    except IntegrityError as error:
        # The same NIK or number was registered in another request a moment ago.
        if CitizenProfile.objects.filter(nik_index=nik_index).exists():
            raise _nik_registered_error() from error
        raise _phone_registered_error() from error
    given = ["full_name", "nik"]
    given += ["phone"] if contact is not None else []
    given += ["address"] if profile.address else []
    given += ["region"] if region is not None else []
    record_event(
        "accounts.walk_in_citizen_registered",
        actor=actor,
        target=user,
        summary={"fields": given, "channel": "counter"},
    )
    return user


def _nik_registered_error() -> ValidationError:
    return ValidationError(
        {
            "nik": ValidationError(
                _("This NIK already has an account. Search for the citizen by this NIK instead."),
                code="nik_taken",
            )
        }
    )


def _phone_registered_error() -> ValidationError:
    return ValidationError(
        {
            "phone": ValidationError(
                _(
                    "This mobile number already belongs to an account. If it is the citizen's own "
                    "account, ask them to add their NIK to it; otherwise leave the number empty."
                ),
                code="phone_taken",
            )
        }
    )


def is_unreachable_walk_in_account(user: User) -> bool:
    """An account opened at the counter that nobody can sign in to: no e-mail, no phone, no
    password, never used. Its owner can only take it over by proving an application of it."""
    return (
        user.is_citizen
        and not user.email
        and not user.phone
        and not user.has_usable_password()
        and user.last_login is None
        and user.is_active
    )


@transaction.atomic
def take_over_walk_in_profile(walk_in: User, *, actor: Any) -> CitizenProfile:
    """Move the once-only data (NIK, KK number, address, region) of an unreachable walk-in account
    to the signed-in citizen ``actor``, whose own profile has no NIK yet, and close the walk-in
    account. The caller has checked that ``actor`` proved an application of it (its tracking
    code and NIK) and moves what hangs off the old account (applications, vault documents).
    """
    if not getattr(actor, "is_authenticated", False) or not actor.is_citizen or actor.pk == walk_in.pk:
        raise PermissionDenied
    walk_in = User.objects.select_for_update().get(pk=walk_in.pk)
    if not is_unreachable_walk_in_account(walk_in):
        raise PermissionDenied
    old = CitizenProfile.objects.select_for_update().get(user=walk_in)
    profile, _created = CitizenProfile.objects.select_for_update().get_or_create(user=actor)
    if profile.nik_index:
        raise ValidationError(
            _("Your account already has a NIK. Ask at the service desk to join the two accounts."),
            code="nik_present",
        )
    moved = {"nik": old.nik, "nik_index": old.nik_index, "kk_number": old.kk_number}
    CitizenProfile.objects.filter(pk=old.pk).update(nik_index=None)
    profile.nik, profile.nik_index, profile.kk_number = moved["nik"], moved["nik_index"], moved["kk_number"]
    if not profile.address:
        profile.address, profile.region = old.address, old.region
    profile.save()
    old.nik, old.kk_number, old.address = "", "", ""
    old.save(update_fields=["nik", "kk_number", "address", "updated_at"])
    walk_in.is_active = False
    walk_in.save(update_fields=["is_active"])
    if not actor.full_name and walk_in.full_name:
        actor.full_name = walk_in.full_name
        actor.save(update_fields=["full_name"])
    record_event(
        "accounts.walk_in_profile_taken_over",
        actor=actor,
        target=walk_in,
        summary={"to_user_id": actor.pk, "fields": ["nik", "kk_number", "address"]},
    )
    return profile
