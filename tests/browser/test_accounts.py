"""Accounts in a real browser, in both languages, with axe-core after every page load: citizen
sign-up and sign-in with a one-time code, the citizen's account, staff sign-in with password and
TOTP (and enrolment), the lock-out page, password reset and staff management."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django_otp.oath import TOTP

from layanan.accounts.models import CitizenProfile, ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import (
    TEST_PASSWORD,
    VALID_NIK,
    citizen_with_phone,
    current_totp_token,
    totp_device,
)

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
H1 = {
    "signup": {"id": "Buat akun", "en": "Create an account"},
    "code": {"id": "Masukkan kode Anda", "en": "Enter your code"},
    "profile": {"id": "Akun saya", "en": "My account"},
    "staff_otp": {
        "id": "Masukkan kode dari aplikasi autentikator",
        "en": "Enter the code from your authenticator app",
    },
    "staff_list": {"id": "Petugas dan peran", "en": "Staff and roles"},
}


def _h1(page: Any) -> str:
    text: str = page.get_by_role("heading", level=1).inner_text()
    return text


def _submit(page: Any, field: str) -> None:
    """Press Enter in ``field`` (submits its form) and wait for the next page."""
    with page.expect_navigation():
        page.locator(field).press("Enter")


def _click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _code_from(text: str) -> str:
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None, text
    return found.group(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_citizen_signs_up_with_email_then_adds_nik(
    page: Any, axe: Axe, set_language: Any, language: str
) -> None:
    set_language(page, language)
    page.goto("/daftar/")
    axe(page)
    assert _h1(page) == H1["signup"][language]

    # Without consent the form comes back with the error and the typed values.
    page.locator("#id_full_name").fill("Ani Lestari")
    page.locator("#id_contact").fill("Ani@Contoh.id")
    _submit(page, "#id_contact")
    axe(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_contact").input_value() == "Ani@Contoh.id"

    page.locator("#id_consent").check()
    _submit(page, "#id_contact")
    axe(page)
    assert page.url.endswith("/masuk/kode/")
    assert _h1(page) == H1["code"][language]
    assert "a**@contoh.id" in page.locator("main").inner_text()

    code = _code_from(str(mail.outbox[-1].body))
    page.locator("#id_code").fill("000000" if code != "000000" else "111111")
    _submit(page, "#id_code")
    axe(page)
    assert page.locator(".error-summary").is_visible()

    page.locator("#id_code").fill(code)
    _submit(page, "#id_code")
    axe(page)
    assert page.url.endswith("/akun/")
    assert _h1(page) == H1["profile"][language]

    _click(page, page.locator("main a.button"))
    axe(page)
    page.locator("#id_nik").fill("3273 0172 0890 0009")  # day 72 cannot be
    _submit(page, "#id_nik")
    axe(page)
    assert page.locator("#id_nik").input_value() == "3273 0172 0890 0009"
    assert page.locator("#id_nik").get_attribute("aria-invalid") == "true"

    page.locator("#id_nik").fill(VALID_NIK)
    _submit(page, "#id_nik")
    axe(page)
    assert page.url.endswith("/akun/")
    assert "3273********0009" in page.locator("main").inner_text()
    assert VALID_NIK not in page.content()
    assert CitizenProfile.objects.get(user__email="ani@contoh.id").nik == VALID_NIK


@pytest.mark.parametrize("language", LANGUAGES)
def test_citizen_signs_in_with_a_mobile_number(page: Any, axe: Axe, set_language: Any, language: str) -> None:
    # One number per language: the SMS log file is shared by parallel test workers.
    number = {"id": "+6281298765432", "en": "+6281298765433"}[language]
    citizen = citizen_with_phone(number)
    sms_log = Path(settings.LAYANAN_SMS_FILE_PATH) / "messages.log"
    set_language(page, language)

    page.goto("/akun/")
    axe(page)
    assert "/masuk/" in page.url
    page.locator("#id_contact").fill(f"0812-9876-543{number[-1]}")
    _submit(page, "#id_contact")
    axe(page)
    assert f"0812*****43{number[-1]}" in page.locator("main").inner_text()

    last_sms = [line for line in sms_log.read_text(encoding="utf-8").splitlines() if line.startswith(number)]
    page.locator("#id_code").fill(_code_from(last_sms[-1].split("\t", 1)[1]))
    _submit(page, "#id_code")
    axe(page)

    assert page.url.endswith("/akun/")
    assert citizen.full_name in page.locator("main").inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_address_gets_the_same_code_page(
    page: Any, axe: Axe, set_language: Any, language: str
) -> None:
    set_language(page, language)
    page.goto("/masuk/")
    axe(page)

    page.locator("#id_contact").fill("tidak.ada@contoh.id")
    _submit(page, "#id_contact")
    axe(page)

    assert page.url.endswith("/masuk/kode/")
    assert "t********@contoh.id" in page.locator("main").inner_text()
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_unit_head_signs_in_with_totp_and_adds_an_officer(
    page: Any, axe: Axe, set_language: Any, language: str, unit_head: User, unit_a: ServiceUnit
) -> None:
    device = totp_device(unit_head)
    set_language(page, language)
    page.goto("/petugas/masuk/")
    axe(page)

    page.locator("#id_username").fill(unit_head.username)
    page.locator("#id_password").fill("not the password")
    _submit(page, "#id_password")
    axe(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_username").input_value() == unit_head.username

    page.locator("#id_password").fill(TEST_PASSWORD)
    _submit(page, "#id_password")
    axe(page)
    assert _h1(page) == H1["staff_otp"][language]

    page.locator("#id_code").fill(current_totp_token(device))
    _submit(page, "#id_code")
    axe(page)
    assert page.url.endswith("/petugas/")
    assert unit_a.name in page.locator("main").inner_text()

    _click(page, page.locator("main a[href='/petugas/staf/']"))
    axe(page)
    assert _h1(page) == H1["staff_list"][language]

    _click(page, page.locator("main a[href='/petugas/staf/baru/']"))
    axe(page)
    page.locator("#id_username").fill("rudi.h")
    page.locator("#id_full_name").fill("Rudi Hartono")
    page.locator("#id_email").fill("rudi@")
    page.locator("#id_role").select_option(Role.FRONT_OFFICE)
    _submit(page, "#id_email")
    axe(page)
    assert page.locator("#id_full_name").input_value() == "Rudi Hartono"

    page.locator("#id_email").fill("rudi@contoh.id")
    _submit(page, "#id_email")
    axe(page)
    assert page.url.endswith("/petugas/staf/")
    assert "rudi.h" in page.locator("main").inner_text()
    assert "rudi@contoh.id" in mail.outbox[-1].to

    membership = StaffMembership.objects.get(user__username="rudi.h")
    _click(page, page.locator(f"form[action*='{membership.public_id}'] button"))
    axe(page)
    membership.refresh_from_db()
    assert not membership.is_active


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_enrols_an_authenticator_app(
    page: Any, axe: Axe, set_language: Any, language: str, officer: User
) -> None:
    set_language(page, language)
    page.goto("/petugas/masuk/")
    axe(page)
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    _submit(page, "#id_password")
    axe(page)

    assert page.url.endswith("/petugas/otp/daftar/")
    assert page.locator("main svg[role='img'] title").count() == 1
    secret = page.locator("main code").inner_text().replace(" ", "")
    key = base64.b32decode(secret)
    page.locator("#id_code").fill(f"{TOTP(key).token():06d}")
    _submit(page, "#id_code")
    axe(page)

    assert page.url.endswith("/petugas/")
    assert page.locator(".messages").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_five_wrong_passwords_show_the_lock_out_page(
    page: Any, axe: Axe, set_language: Any, language: str, officer: User
) -> None:
    set_language(page, language)
    page.goto("/petugas/masuk/")
    axe(page)

    for _attempt in range(5):
        page.locator("#id_username").fill(officer.username)
        page.locator("#id_password").fill("wrong password")
        _submit(page, "#id_password")
        axe(page)

    heading = {"id": "Masuk diblokir untuk sementara", "en": "Sign-in is blocked for now"}[language]
    assert _h1(page) == heading
    assert page.locator("main a[href='/petugas/sandi/lupa/']").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_resets_the_password_by_email(
    page: Any, axe: Axe, set_language: Any, language: str, officer: User
) -> None:
    set_language(page, language)
    page.goto("/petugas/sandi/lupa/")
    axe(page)
    page.locator("#id_email").fill(officer.email)
    _submit(page, "#id_email")
    axe(page)
    assert page.url.endswith("/petugas/sandi/lupa/terkirim/")

    link = re.search(r"https?://[^/\s]+(/petugas/sandi/atur/\S+/)", str(mail.outbox[-1].body))
    assert link is not None
    page.goto(link.group(1))
    axe(page)
    page.locator("#id_new_password1").fill("sate ayam madura enak")
    page.locator("#id_new_password2").fill("sate ayam madura enak")
    _submit(page, "#id_new_password2")
    axe(page)

    assert page.url.endswith("/petugas/sandi/atur/selesai/")
    officer.refresh_from_db()
    assert officer.check_password("sate ayam madura enak")

    page.goto(link.group(1))
    axe(page)
    assert page.locator("main a[href='/petugas/sandi/lupa/']").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_sees_the_staff_list_and_form(
    page: Any, axe: Axe, set_language: Any, login_as: Any, language: str, admin_user: User, officer: User
) -> None:
    set_language(page, language)
    login_as(page, admin_user)

    page.goto("/petugas/")
    axe(page)
    page.goto("/petugas/staf/")
    axe(page)
    assert officer.username in page.locator("main").inner_text()
    page.goto("/petugas/staf/baru/")
    axe(page)

    assert page.locator("#id_agency").is_visible()
