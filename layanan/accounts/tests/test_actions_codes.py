"""One-time codes: issuing, checking, expiry, attempts, rate limit, not leaking accounts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from layanan.accounts.actions import send_one_time_code, sign_in_with_code
from layanan.accounts.contact import Contact
from layanan.accounts.models import CitizenProfile, OneTimeCode, User
from layanan.accounts.tests.factories import citizen_with_phone, last_sent_code
from layanan.audit.models import AuditEvent
from layanan.notifications.models import Notification

pytestmark = pytest.mark.django_db

NEW_EMAIL = Contact(channel="email", address="ani@contoh.id")
PHONE = Contact(channel="sms", address="+6281234567890")


def _error_code(call: Callable[[], Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return str(caught.value.code)


def test_sign_up_code_is_sent_and_only_its_hash_is_stored(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        one_time_code = send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)

    code = last_sent_code()
    assert len(code) == 6
    assert code.isdigit()
    assert code not in one_time_code.code_hash
    assert one_time_code.address_index == NEW_EMAIL.index
    assert "ani@contoh.id" not in one_time_code.address_index
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ani@contoh.id"]
    assert code in mail.outbox[0].body
    event = AuditEvent.objects.get(action="accounts.code_issued")
    assert event.summary == {"channel": "email", "purpose": "sign_up", "sent": True}


def test_code_expires_after_the_configured_time() -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False):
        one_time_code = send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)

    assert one_time_code.expires_at == datetime.datetime(2026, 11, 23, 9, 10, tzinfo=datetime.UTC)


def test_right_code_creates_the_citizen_account_with_consent_time() -> None:
    send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)
    accepted_at = timezone.now()

    user = sign_in_with_code(
        NEW_EMAIL, code=last_sent_code(), full_name="Ani Lestari", privacy_notice_accepted_at=accepted_at
    )

    assert user.kind == User.Kind.CITIZEN
    assert user.email == "ani@contoh.id"
    assert user.full_name == "Ani Lestari"
    assert not user.has_usable_password()
    assert CitizenProfile.objects.get(user=user).privacy_notice_accepted_at == accepted_at
    assert OneTimeCode.objects.get().used_at is not None
    assert (
        AuditEvent.objects.filter(action="accounts.citizen_registered", object_id=str(user.pk)).count() == 1
    )


def test_sign_up_with_a_phone_stores_it_encrypted_with_its_blind_index() -> None:
    send_one_time_code(PHONE, purpose=OneTimeCode.Purpose.SIGN_UP)

    user = sign_in_with_code(PHONE, code=last_sent_code(), full_name="Budi")

    assert user.phone == "+6281234567890"
    assert user.phone_index == PHONE.index
    assert user.email == ""


def test_sign_in_code_reaches_an_existing_citizen() -> None:
    citizen = citizen_with_phone("+6281234567890")

    send_one_time_code(PHONE, purpose=OneTimeCode.Purpose.SIGN_IN)
    user = sign_in_with_code(PHONE, code=last_sent_code())

    assert user == citizen
    assert Notification.objects.get().recipient == citizen
    assert AuditEvent.objects.filter(action="accounts.citizen_signed_in").count() == 1


def test_signing_up_again_with_an_existing_address_signs_in_instead() -> None:
    citizen = citizen_with_phone("+6281234567890", full_name="Budi Santoso")

    send_one_time_code(PHONE, purpose=OneTimeCode.Purpose.SIGN_UP)
    user = sign_in_with_code(PHONE, code=last_sent_code(), full_name="Someone Else")

    assert user == citizen
    assert User.objects.get(pk=citizen.pk).full_name == "Budi Santoso"
    assert User.objects.count() == 1


def test_sign_in_to_unknown_address_stores_a_code_but_sends_nothing() -> None:
    one_time_code = send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_IN)

    assert one_time_code.user is None
    assert Notification.objects.count() == 0
    assert AuditEvent.objects.get(action="accounts.code_issued").summary["sent"] is False


def test_unsent_code_for_unknown_address_can_never_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("layanan.accounts.actions.codes.secrets.randbelow", lambda _limit: 123456)
    send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_IN)

    assert _error_code(lambda: sign_in_with_code(NEW_EMAIL, code="123456")) == "invalid"
    assert User.objects.count() == 0


def test_wrong_code_is_counted_and_rejected() -> None:
    send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)
    wrong = "000000" if last_sent_code() != "000000" else "111111"

    assert _error_code(lambda: sign_in_with_code(NEW_EMAIL, code=wrong)) == "invalid"
    assert OneTimeCode.objects.get().attempts == 1
    assert User.objects.count() == 0


@override_settings(LAYANAN_OTP_MAX_ATTEMPTS=5)
def test_code_is_dead_after_too_many_wrong_tries() -> None:
    send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)
    code = last_sent_code()
    wrong = "000000" if code != "000000" else "111111"
    codes = [_error_code(lambda: sign_in_with_code(NEW_EMAIL, code=wrong)) for _try in range(5)]

    assert codes == ["invalid", "invalid", "invalid", "invalid", "last_attempt"]
    assert _error_code(lambda: sign_in_with_code(NEW_EMAIL, code=code)) == "too_many_attempts"
    assert User.objects.count() == 0


def test_expired_code_is_rejected() -> None:
    send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)
    code = last_sent_code()

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=601)):
        assert _error_code(lambda: sign_in_with_code(NEW_EMAIL, code=code)) == "expired"
    assert User.objects.count() == 0


def test_code_still_works_just_before_it_expires() -> None:
    send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)
    code = last_sent_code()

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=590)):
        assert sign_in_with_code(NEW_EMAIL, code=code).email == "ani@contoh.id"


def test_used_code_cannot_be_used_again() -> None:
    send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)
    code = last_sent_code()
    sign_in_with_code(NEW_EMAIL, code=code)

    assert _error_code(lambda: sign_in_with_code(NEW_EMAIL, code=code)) == "expired"


def test_a_new_code_replaces_the_earlier_one() -> None:
    send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)
    first = last_sent_code()
    send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)
    second = last_sent_code()

    if first != second:
        assert _error_code(lambda: sign_in_with_code(NEW_EMAIL, code=first)) == "invalid"
    assert sign_in_with_code(NEW_EMAIL, code=second).email == "ani@contoh.id"


def test_at_most_five_codes_per_address_per_hour() -> None:
    start = timezone.now()
    for _code in range(5):
        send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)

    assert (
        _error_code(lambda: send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP))
        == "rate_limited"
    )
    assert OneTimeCode.objects.count() == 5
    with time_machine.travel(start + datetime.timedelta(minutes=61)):
        send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)
    assert OneTimeCode.objects.count() == 6


def test_rate_limit_is_the_same_for_unknown_addresses() -> None:
    for _code in range(5):
        send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_IN)

    assert (
        _error_code(lambda: send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_IN))
        == "rate_limited"
    )


def test_rate_limit_is_per_address() -> None:
    for _code in range(5):
        send_one_time_code(NEW_EMAIL, purpose=OneTimeCode.Purpose.SIGN_UP)

    send_one_time_code(PHONE, purpose=OneTimeCode.Purpose.SIGN_UP)

    assert OneTimeCode.objects.filter(address_index=PHONE.index).count() == 1


def test_staff_address_cannot_get_a_citizen_code(officer: User) -> None:
    contact = Contact(channel="email", address=officer.email)
    events_before = AuditEvent.objects.count()

    assert (
        _error_code(lambda: send_one_time_code(contact, purpose=OneTimeCode.Purpose.SIGN_IN))
        == "staff_address"
    )
    assert OneTimeCode.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_deactivated_citizen_gets_no_code() -> None:
    citizen_with_phone("+6281234567890", is_active=False)

    one_time_code = send_one_time_code(PHONE, purpose=OneTimeCode.Purpose.SIGN_IN)

    assert one_time_code.user is not None
    assert Notification.objects.count() == 0
