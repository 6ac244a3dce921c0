"""Staff accounts, their memberships and their second factor (TOTP)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from layanan.accounts.models import Agency, ServiceUnit, StaffMembership, User
from layanan.accounts.permissions import (
    can_assign_role,
    can_deactivate_membership,
    has_confirmed_totp_device,
    is_staff_user,
)
from layanan.accounts.roles import UNIT_ROLES, Role
from layanan.audit.actions import record_event
from layanan.notifications.actions import notify


@transaction.atomic
def enrol_totp_device(user: User, *, actor: User, key: str, token: str) -> TOTPDevice:
    """Confirm the authenticator app of ``user`` with a first code and store it as their device."""
    if actor.pk != user.pk or not is_staff_user(user) or has_confirmed_totp_device(user):
        raise PermissionDenied
    totp = TOTP(bytes.fromhex(key))
    if not token.isdigit() or not totp.verify(int(token), tolerance=1):
        raise ValidationError(
            _("The code is wrong. Enter the 6-digit code your authenticator app shows now."),
            code="invalid_code",
        )
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="default", key=key, confirmed=True, last_t=totp.t())
    record_event("accounts.totp_enrolled", actor=actor, target=user, summary={"device": "totp"})
    return device


def password_set_path(user: User) -> str:
    """Path of the one-time link with which ``user`` chooses a password (Django's reset token)."""
    return reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


@transaction.atomic
def create_staff_member(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    email: str,
    role: str,
    agency: Agency | None,
    unit: ServiceUnit | None,
) -> User:
    """Create a staff account with one membership; it gets a link by e-mail to choose a password.

    ``actor=None`` is an operator at the console (``layanan create_staff``).
    """
    agency, unit = _membership_place(role, agency, unit)
    if actor is not None and not can_assign_role(actor, role, agency=agency, unit=unit):
        raise PermissionDenied
    email = email.strip().lower()
    _ensure_username_and_email_are_free(username, email)
    user = User(username=username, full_name=full_name.strip(), email=email, kind=User.Kind.STAFF)
    user.set_unusable_password()
    user.save()
    StaffMembership.objects.create(user=user, role=role, agency=agency, unit=unit)
    if email:
        _send_welcome(user)
    record_event(
        "accounts.staff_created",
        actor=actor,
        target=user,
        summary={"role": role, "agency": agency.slug if agency else "", "unit": unit.slug if unit else ""},
    )
    return user


def _ensure_username_and_email_are_free(username: str, email: str) -> None:
    errors: dict[str, ValidationError] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = ValidationError(_("This username is already taken."), code="username_taken")
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = ValidationError(
            _("An account with this e-mail address already exists."), code="email_taken"
        )
    if errors:
        raise ValidationError(errors)


def _send_welcome(user: User) -> None:
    notify(
        channel="email",
        address=user.email,
        template="staff_welcome",
        context={
            "full_name": user.full_name,
            "username": user.username,
            "link": f"{settings.SITE_URL}{password_set_path(user)}",
        },
        recipient=user,
    )


def _membership_place(
    role: str, agency: Agency | None, unit: ServiceUnit | None
) -> tuple[Agency | None, ServiceUnit | None]:
    """Check where a role is held: unit roles in a unit, agency roles in an agency, admins nowhere."""
    if role not in Role.values:
        raise ValidationError({"role": ValidationError(_("Choose a role."), code="role")})
    if role == Role.PLATFORM_ADMIN:
        return None, None
    if role in UNIT_ROLES:
        if unit is None:
            raise ValidationError(
                {"unit": ValidationError(_("Choose the service unit."), code="unit_required")}
            )
        if agency is not None and unit.agency_id != agency.pk:
            raise ValidationError(
                {"unit": ValidationError(_("This unit belongs to another agency."), code="unit_agency")}
            )
        return unit.agency, unit
    if agency is None:
        raise ValidationError({"agency": ValidationError(_("Choose the agency."), code="agency_required")})
    return agency, None


@transaction.atomic
def deactivate_membership(membership: StaffMembership, *, actor: User | None) -> StaffMembership:
    """End a staff member's role; the account and its history stay."""
    if actor is not None and not can_deactivate_membership(actor, membership):
        raise PermissionDenied
    locked = (
        StaffMembership.objects.select_for_update(of=("self",))
        .select_related("agency", "unit")
        .get(pk=membership.pk)
    )
    if not locked.is_active:
        return locked
    locked.is_active = False
    locked.save(update_fields=["is_active", "updated_at"])
    record_event(
        "accounts.membership_deactivated",
        actor=actor,
        target=locked,
        summary={
            "role": locked.role,
            "agency": locked.agency.slug if locked.agency else "",
            "unit": locked.unit.slug if locked.unit else "",
        },
    )
    return locked
