"""Citizen sign-up and sign-in pages: the whole journey, errors, and what they must not reveal."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from layanan.accounts.models import CitizenProfile, OneTimeCode, User
from layanan.accounts.tests.factories import citizen_with_phone, last_sent_code
from layanan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_sign_up_journey_with_email(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/daftar/", {"full_name": "Ani  Lestari", "contact": "Ani@Contoh.id", "consent": "on"}
        )

    assert response.status_code == 302
    assert response["Location"] == "/masuk/kode/"
    assert "contoh" not in response["Location"]
    page = client.get("/masuk/kode/").content.decode()
    assert "a**@contoh.id" in page
    assert "ani@contoh.id" not in page
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[0].body))
    assert found is not None
    code = found.group(1)

    response = client.post("/masuk/kode/", {"code": code})

    assert response.status_code == 302
    assert response["Location"] == "/akun/"
    user = User.objects.get(email="ani@contoh.id")
    assert user.full_name == "Ani Lestari"
    assert CitizenProfile.objects.get(user=user).privacy_notice_accepted_at is not None
    assert client.get("/akun/").status_code == 200


def test_sign_up_with_mobile_number(client: Client) -> None:
    client.post("/daftar/", {"full_name": "Budi", "contact": "0812-3456-7890", "consent": "on"})

    client.post("/masuk/kode/", {"code": last_sent_code()})

    user = User.objects.get(phone_index__isnull=False)
    assert user.phone == "+6281234567890"
    assert Notification.objects.get().channel == "sms"


def test_sign_up_errors_keep_what_was_typed(client: Client) -> None:
    response = client.post("/daftar/", {"full_name": "Ani Lestari", "contact": "0812 3456"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Ani Lestari"' in page
    assert 'value="0812 3456"' in page
    assert 'aria-invalid="true"' in page
    assert "error-summary" in page
    assert OneTimeCode.objects.count() == 0


def test_sign_up_needs_consent(client: Client) -> None:
    client.cookies["layanan_language"] = "en"

    response = client.post("/daftar/", {"full_name": "Ani", "contact": "ani@contoh.id"})

    assert "Tick the box to agree to the privacy notice." in response.content.decode()
    assert OneTimeCode.objects.count() == 0


def test_sign_up_page_links_to_the_privacy_notice(client: Client) -> None:
    assert 'href="/privasi/"' in client.get("/daftar/").content.decode()


def test_sign_in_journey_returns_to_the_page_asked_for(client: Client) -> None:
    citizen = citizen_with_phone("+6281234567890")
    assert client.get("/akun/")["Location"] == "/masuk/?next=/akun/"
    client.get("/masuk/?next=/akun/ubah/")

    client.post("/masuk/", {"contact": "+62 812 3456 7890"})
    response = client.post("/masuk/kode/", {"code": last_sent_code()})

    assert response["Location"] == "/akun/ubah/"
    assert int(client.session["_auth_user_id"]) == citizen.pk


def test_sign_in_ignores_a_foreign_next(client: Client) -> None:
    citizen_with_phone("+6281234567890")
    client.get("/masuk/?next=https://evil.example/")

    client.post("/masuk/", {"contact": "081234567890"})
    response = client.post("/masuk/kode/", {"code": last_sent_code()})

    assert response["Location"] == "/akun/"


def test_sign_in_to_unknown_address_looks_the_same_and_sends_nothing(client: Client) -> None:
    client.cookies["layanan_language"] = "en"
    citizen_with_phone("+6281234567890")
    other = Client()
    other.cookies["layanan_language"] = "en"

    unknown = client.post("/masuk/", {"contact": "081299998888"})
    known = other.post("/masuk/", {"contact": "081234567890"})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == "/masuk/kode/"
    unknown_page = client.get("/masuk/kode/").content.decode()
    assert "If an account exists for 0812*****888, we have sent a 6-digit code to it." in unknown_page
    assert "If an account exists for 0812*****890" in other.get("/masuk/kode/").content.decode()
    assert Notification.objects.count() == 1
    response = client.post("/masuk/kode/", {"code": "123456"})
    assert "The code is wrong" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_code_keeps_the_typed_value_and_says_so(client: Client) -> None:
    client.cookies["layanan_language"] = "en"
    client.post("/daftar/", {"full_name": "Ani", "contact": "ani@contoh.id", "consent": "on"})
    wrong = _wrong(last_sent_code())

    response = client.post("/masuk/kode/", {"code": wrong})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The code is wrong. Check it and try again." in page
    assert f'value="{wrong}"' in page
    assert User.objects.count() == 0


def test_malformed_code_is_a_form_error(client: Client) -> None:
    client.cookies["layanan_language"] = "en"
    client.post("/daftar/", {"full_name": "Ani", "contact": "ani@contoh.id", "consent": "on"})

    response = client.post("/masuk/kode/", {"code": "12a"})

    assert "The code has 6 digits" in response.content.decode()
    assert OneTimeCode.objects.get().attempts == 0


def test_too_many_wrong_codes_kill_the_code(client: Client) -> None:
    client.cookies["layanan_language"] = "en"
    client.post("/daftar/", {"full_name": "Ani", "contact": "ani@contoh.id", "consent": "on"})
    code = last_sent_code()
    for _attempt in range(5):
        client.post("/masuk/kode/", {"code": _wrong(code)})

    response = client.post("/masuk/kode/", {"code": code})

    assert "The code was entered wrongly too many times. Ask for a new code." in response.content.decode()
    assert User.objects.count() == 0


def test_expired_code_is_refused(client: Client) -> None:
    client.cookies["layanan_language"] = "en"
    client.post("/daftar/", {"full_name": "Ani", "contact": "ani@contoh.id", "consent": "on"})
    code = last_sent_code()

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        response = client.post("/masuk/kode/", {"code": code})

    assert "This code has expired. Ask for a new code." in response.content.decode()
    assert User.objects.count() == 0


def test_sixth_code_in_an_hour_is_refused_with_a_message(client: Client) -> None:
    client.cookies["layanan_language"] = "en"
    for _request in range(5):
        assert client.post("/masuk/", {"contact": "ani@contoh.id"}).status_code == 302

    response = client.post("/masuk/", {"contact": "ani@contoh.id"})

    assert response.status_code == 200
    assert "We have already sent 5 codes to this address in the last hour." in response.content.decode()
    assert 'value="ani@contoh.id"' in response.content.decode()


def test_resend_sends_a_new_code_and_respects_the_limit(client: Client) -> None:
    client.cookies["layanan_language"] = "en"
    client.post("/daftar/", {"full_name": "Ani", "contact": "ani@contoh.id", "consent": "on"})

    response = client.post("/masuk/kode/kirim-ulang/", follow=True)

    assert "We have sent a new code." in response.content.decode()
    assert OneTimeCode.objects.count() == 2
    for _request in range(3):
        client.post("/masuk/kode/kirim-ulang/")
    response = client.post("/masuk/kode/kirim-ulang/", follow=True)
    assert "We have already sent 5 codes" in response.content.decode()
    assert OneTimeCode.objects.count() == 5


def test_code_page_without_an_address_goes_back_to_sign_in(client: Client) -> None:
    assert client.get("/masuk/kode/")["Location"] == "/masuk/"
    assert client.post("/masuk/kode/kirim-ulang/")["Location"] == "/masuk/"


def test_staff_cannot_use_the_citizen_sign_in(client: Client, officer: User) -> None:
    client.cookies["layanan_language"] = "en"

    response = client.post("/masuk/", {"contact": officer.email})

    assert response.status_code == 200
    assert "This address belongs to a staff account." in response.content.decode()
    assert OneTimeCode.objects.count() == 0


def test_signed_in_citizen_is_sent_to_the_account_page(citizen_client: Client) -> None:
    assert citizen_client.get("/masuk/")["Location"] == "/akun/"
    assert citizen_client.get("/daftar/")["Location"] == "/akun/"


def test_sign_out_needs_post(citizen_client: Client) -> None:
    assert citizen_client.get("/keluar/").status_code == 405

    response = citizen_client.post("/keluar/")

    assert response["Location"] == "/"
    assert citizen_client.get("/akun/").status_code == 302


def test_pending_sign_in_address_is_not_stored_in_clear_in_the_session(client: Client, citizen: User) -> None:
    from django.contrib.sessions.models import Session

    client.post("/masuk/", {"contact": citizen.email})

    assert client.get("/masuk/kode/").status_code == 200
    stored = Session.objects.get(session_key=client.session.session_key)
    assert citizen.email not in str(stored.get_decoded())
