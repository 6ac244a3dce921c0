from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from layanan.demo.actions import load_demo_data

pytestmark = pytest.mark.django_db


def _demo_totp(username: str) -> str:
    out = StringIO()
    call_command("demo_totp", username, stdout=out)
    return out.getvalue().strip()


def test_printed_code_verifies_against_the_device() -> None:
    load_demo_data()

    code = _demo_totp("kepala.unit")

    assert len(code) == 6
    assert code.isdigit()
    assert TOTPDevice.objects.get(user__username="kepala.unit").verify_token(code)


def test_unknown_user_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="no confirmed TOTP device"):
        _demo_totp("tidak.ada")


@override_settings(IS_PRODUCTION=True, LAYANAN_ENV="production")
def test_demo_totp_is_refused_in_production_mode() -> None:
    with pytest.raises(CommandError, match="LAYANAN_ENV=production"):
        _demo_totp("admin")
