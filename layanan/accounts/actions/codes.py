"""One-time codes with which citizens sign up and sign in (no password)."""

from __future__ import annotations

import datetime
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.accounts.contact import Contact
from layanan.accounts.models import CitizenProfile, OneTimeCode, User
from layanan.accounts.queries import find_user_by_contact
from layanan.audit.actions import record_event
from layanan.core.crypto import blind_index
from layanan.notifications.actions import notify

CODE_DIGITS = 6
CODES_PER_ADDRESS_PER_HOUR = 5


def _hash_code(address_index: str, code: str) -> str:
    return blind_index(f"{address_index}:{code}", purpose="otp")


@transaction.atomic
def send_one_time_code(contact: Contact, *, purpose: str) -> OneTimeCode:
    """Issue a code for signing up or in with ``contact`` and send it where it may go.

    A code row is stored even for an address without an account, but nothing is sent to it: the
    next page and the rate limit then behave the same whether or not an account exists. Signing
    up with an address that already has an account sends a sign-in code to that address instead.
    """
    now = timezone.now()
    _check_rate_limit(contact, now)
    user = find_user_by_contact(contact)
    if user is not None and user.kind == User.Kind.STAFF:
        raise ValidationError(
            _("This address belongs to a staff account. Staff sign in with their username and password."),
            code="staff_address",
        )
    if user is not None:
        purpose = OneTimeCode.Purpose.SIGN_IN
    one_time_code, code = _replace_code(contact, purpose=purpose, user=user, now=now)
    deliver = (user is not None and user.is_active) or purpose == OneTimeCode.Purpose.SIGN_UP
    if deliver:
        notify(
            channel=contact.channel,
            address=contact.address,
            template="otp_code",
            context={"code": code, "minutes": settings.LAYANAN_OTP_CODE_TTL_SECONDS // 60},
            recipient=user,
        )
    # Whoever asked is not known yet (anyone can type an address): the system issues the code.
    record_event(
        "accounts.code_issued",
        actor=None,
        target=one_time_code,
        summary={"channel": contact.channel, "purpose": purpose, "sent": deliver},
    )
    return one_time_code


def _replace_code(
    contact: Contact, *, purpose: str, user: User | None, now: datetime.datetime
) -> tuple[OneTimeCode, str]:
    """Store a new code for ``contact`` (only its keyed hash); the earlier ones stop working."""
    OneTimeCode.objects.filter(address_index=contact.index, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    one_time_code = OneTimeCode.objects.create(
        purpose=purpose,
        channel=contact.channel,
        address_index=contact.index,
        code_hash=_hash_code(contact.index, code),
        user=user,
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.LAYANAN_OTP_CODE_TTL_SECONDS),
    )
    return one_time_code, code


def _check_rate_limit(contact: Contact, now: datetime.datetime) -> None:
    issued_last_hour = OneTimeCode.objects.filter(
        address_index=contact.index, created_at__gte=now - datetime.timedelta(hours=1)
    ).count()
    if issued_last_hour >= CODES_PER_ADDRESS_PER_HOUR:
        raise ValidationError(
            _(
                "We have already sent %(count)d codes to this address in the last hour. "
                "Wait an hour and try again, or use the last code we sent."
            ),
            code="rate_limited",
            params={"count": CODES_PER_ADDRESS_PER_HOUR},
        )


def sign_in_with_code(
    contact: Contact,
    *,
    code: str,
    full_name: str = "",
    privacy_notice_accepted_at: datetime.datetime | None = None,
) -> User:
    """Check ``code`` against the newest code of ``contact``; return the citizen to sign in.

    A sign-up code creates the account (with ``full_name`` and the consent time). A wrong code is
    counted, and the count is committed even though ``ValidationError`` is raised: that is why this
    action opens its transaction itself instead of being decorated.
    """
    with transaction.atomic():
        one_time_code = (
            OneTimeCode.objects.select_for_update()
            .filter(address_index=contact.index)
            .order_by("-created_at", "-pk")
            .first()
        )
        error = _code_error(one_time_code, contact, code)
        if error is None:
            assert one_time_code is not None
            return _complete_sign_in(one_time_code, contact, full_name, privacy_notice_accepted_at)
        if error.code in {"invalid", "last_attempt"} and one_time_code is not None:
            OneTimeCode.objects.filter(pk=one_time_code.pk).update(attempts=F("attempts") + 1)
    raise error


def _code_error(one_time_code: OneTimeCode | None, contact: Contact, code: str) -> ValidationError | None:
    if one_time_code is None or one_time_code.used_at is not None:
        return ValidationError(_("This code is no longer valid. Ask for a new code."), code="expired")
    if timezone.now() >= one_time_code.expires_at:
        return ValidationError(_("This code has expired. Ask for a new code."), code="expired")
    if one_time_code.attempts >= settings.LAYANAN_OTP_MAX_ATTEMPTS:
        return ValidationError(
            _("The code was entered wrongly too many times. Ask for a new code."), code="too_many_attempts"
        )
    matches = hmac.compare_digest(one_time_code.code_hash, _hash_code(contact.index, code.strip()))
    # A sign-in code for an address without an account was never sent: it cannot be right.
    if matches and (one_time_code.user is not None or one_time_code.purpose == OneTimeCode.Purpose.SIGN_UP):
        return None
    if one_time_code.attempts + 1 >= settings.LAYANAN_OTP_MAX_ATTEMPTS:
        return ValidationError(
            _("The code is wrong and that was the last try. Ask for a new code."), code="last_attempt"
        )
    return ValidationError(_("The code is wrong. Check it and try again."), code="invalid")


def _complete_sign_in(
    one_time_code: OneTimeCode,
    contact: Contact,
    full_name: str,
    privacy_notice_accepted_at: datetime.datetime | None,
) -> User:
    one_time_code.used_at = timezone.now()
    one_time_code.save(update_fields=["used_at"])
    user = one_time_code.user or find_user_by_contact(contact)
    if user is None:
        user = _register_citizen(contact, full_name=full_name, accepted_at=privacy_notice_accepted_at)
        if user is not None:
            return user
        # The same address finished signing up in another request a moment ago.
        user = find_user_by_contact(contact)
        assert user is not None
    if not user.is_active or user.kind != User.Kind.CITIZEN:
        raise PermissionDenied("this account cannot sign in with a code")
    record_event("accounts.citizen_signed_in", actor=user, target=user, summary={"channel": contact.channel})
    return user


def _register_citizen(
    contact: Contact, *, full_name: str, accepted_at: datetime.datetime | None
) -> User | None:
    """A new citizen account for ``contact``; ``None`` if the address was taken meanwhile."""
    user = User(username=f"warga-{secrets.token_hex(6)}", kind=User.Kind.CITIZEN, full_name=full_name.strip())
    if contact.channel == "email":
        user.email = contact.address
    else:
        user.phone = contact.address
        user.phone_index = contact.index
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        return None
    CitizenProfile.objects.create(user=user, privacy_notice_accepted_at=accepted_at or timezone.now())
    record_event("accounts.citizen_registered", actor=user, target=user, summary={"channel": contact.channel})
    return user
