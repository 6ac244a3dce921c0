"""Staff sign-in: password (with lock-out), TOTP code or enrolment, password reset."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from layanan.accounts.models import User
from layanan.accounts.tests.factories import TEST_PASSWORD, current_totp_token, totp_device
from layanan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _english() -> Client:
    client = Client()
    client.cookies["layanan_language"] = "en"
    return client


def _password_step(client: Client, user: User, password: str = TEST_PASSWORD) -> Any:
    return client.post("/petugas/masuk/", {"username": user.username, "password": password})


def test_password_then_totp_code_signs_staff_in(officer: User) -> None:
    device = totp_device(officer)
    client = _english()

    response = _password_step(client, officer)
    assert response["Location"] == "/petugas/masuk/otp/"
    assert client.get("/petugas/")["Location"].startswith("/petugas/masuk/otp/")

    response = client.post("/petugas/masuk/otp/", {"code": current_totp_token(device)})

    assert response["Location"] == "/petugas/"
    assert client.get("/petugas/").status_code == 200


def test_staff_returns_to_the_page_asked_for(officer: User) -> None:
    device = totp_device(officer)
    client = _english()
    assert client.get("/petugas/")["Location"] == "/petugas/masuk/?next=/petugas/"
    client.get("/petugas/masuk/?next=/petugas/staf/")

    _password_step(client, officer)
    response = client.post("/petugas/masuk/otp/", {"code": current_totp_token(device)})

    assert response["Location"] == "/petugas/staf/"


def test_wrong_totp_code_is_refused(officer: User) -> None:
    device = totp_device(officer)
    client = _english()
    _password_step(client, officer)
    wrong = f"{(int(current_totp_token(device)) + 1) % 1_000_000:06d}"

    response = client.post("/petugas/masuk/otp/", {"code": wrong})

    assert "The code is wrong." in response.content.decode()
    assert client.get("/petugas/").status_code == 302


def test_staff_without_device_enrols_one(officer: User) -> None:
    client = _english()

    assert _password_step(client, officer)["Location"] == "/petugas/otp/daftar/"
    page = client.get("/petugas/otp/daftar/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.startswith('<svg role="img"')
    assert "style=" not in svg
    assert "<script" not in svg
    assert "<script>" not in page
    key = client.session["accounts.totp_key"]
    assert TOTPDevice.objects.filter(user=officer).count() == 0

    response = client.post("/petugas/otp/daftar/", {"code": f"{TOTP(bytes.fromhex(key)).token():06d}"})

    assert response["Location"] == "/petugas/"
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert client.get("/petugas/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.totp_enrolled").count() == 1


def test_enrolment_page_shows_the_secret_as_base32_text(officer: User) -> None:
    client = _english()
    _password_step(client, officer)

    page = client.get("/petugas/otp/daftar/").content.decode()

    secret = re.search(r"<code[^>]*>([A-Z2-7 ]+)</code>", page)
    assert secret is not None
    assert len(secret.group(1).replace(" ", "")) == 32


def test_enrolment_with_a_wrong_code_keeps_the_same_secret(officer: User) -> None:
    client = _english()
    _password_step(client, officer)
    client.get("/petugas/otp/daftar/")
    key = client.session["accounts.totp_key"]

    response = client.post("/petugas/otp/daftar/", {"code": "12345"})

    assert response.status_code == 200
    assert client.session["accounts.totp_key"] == key
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_staff_with_a_device_cannot_enrol_another(officer: User) -> None:
    totp_device(officer)
    client = _english()
    _password_step(client, officer)

    assert client.get("/petugas/otp/daftar/")["Location"] == "/petugas/masuk/otp/"


def test_wrong_password_is_refused(officer: User) -> None:
    client = _english()

    response = _password_step(client, officer, "wrong password")

    assert response.status_code == 200
    assert "The username or password is wrong." in response.content.decode()
    assert f'value="{officer.username}"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_out_after_five_failures(officer: User) -> None:
    client = _english()
    for _attempt in range(4):
        assert _password_step(client, officer, "wrong password").status_code == 200

    fifth = _password_step(client, officer, "wrong password")
    with_right_password = _password_step(client, officer)

    assert fifth.status_code == 429
    assert "Sign-in is blocked for now" in fifth.content.decode()
    assert "15 minutes" in fifth.content.decode()
    assert with_right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_citizen_cannot_use_the_staff_sign_in(citizen: User) -> None:
    client = _english()

    response = _password_step(client, citizen)

    assert "This sign-in is for staff." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_citizen_cannot_open_the_second_factor_pages(citizen_client: Client) -> None:
    assert citizen_client.get("/petugas/masuk/otp/").status_code == 403
    assert citizen_client.get("/petugas/otp/daftar/").status_code == 403


def test_anonymous_visitor_is_sent_to_the_password_step(client: Client) -> None:
    assert client.get("/petugas/masuk/otp/")["Location"] == "/petugas/masuk/"
    assert client.get("/petugas/otp/daftar/")["Location"] == "/petugas/masuk/"


def test_verified_staff_skips_the_sign_in_pages(officer_client: Client) -> None:
    assert officer_client.get("/petugas/masuk/")["Location"] == "/petugas/"
    assert officer_client.get("/petugas/masuk/otp/")["Location"] == "/petugas/"
    assert officer_client.get("/petugas/otp/daftar/")["Location"] == "/petugas/"


def test_password_reset_mails_a_link_to_staff_only(officer: User, citizen: User) -> None:
    client = _english()

    client.post("/petugas/sandi/lupa/", {"email": citizen.email})
    response = client.post("/petugas/sandi/lupa/", {"email": officer.email.upper()})

    assert response["Location"] == "/petugas/sandi/lupa/terkirim/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    link = re.search(r"http://testserver(/petugas/sandi/atur/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "nasi goreng kambing", "new_password2": "nasi goreng kambing"},
    )
    officer.refresh_from_db()
    assert officer.check_password("nasi goreng kambing")


def test_password_reset_pages_render(client: Client) -> None:
    for url in ("/petugas/sandi/lupa/", "/petugas/sandi/lupa/terkirim/", "/petugas/sandi/atur/selesai/"):
        assert client.get(url).status_code == 200
    assert client.get("/petugas/sandi/atur/MQ/wrong-token/").context["validlink"] is False


def test_half_signed_in_staff_returns_to_the_page_asked_for(officer: User) -> None:
    device = totp_device(officer)
    client = _english()
    _password_step(client, officer)
    redirect_to_code = client.get("/petugas/staf/")["Location"]
    assert redirect_to_code == "/petugas/masuk/otp/?next=/petugas/staf/"
    client.get(redirect_to_code)

    response = client.post("/petugas/masuk/otp/", {"code": current_totp_token(device)})

    assert response["Location"] == "/petugas/staf/"
