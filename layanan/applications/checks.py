"""System checks of the application settings, run by ``manage.py check`` and ``migrate``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.utils.module_loading import import_string

from layanan.applications.billing import SIMULATOR


def check_payment_provider(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    name = str(settings.LAYANAN_PAYMENT_PROVIDER)
    if name == SIMULATOR:
        if getattr(settings, "IS_PRODUCTION", False):
            return [
                Warning(
                    "The payment simulator is the payment provider: anyone can mark a bill paid on its page.",
                    hint="Set PAYMENT_PROVIDER to the dotted path of a real provider when "
                    "LAYANAN_ENV=production (see docs/payments.md).",
                    id="applications.W001",
                )
            ]
        return []
    try:
        import_string(name)
    except ImportError as error:
        return [
            Error(
                f"PAYMENT_PROVIDER={name!r} cannot be imported: {error}",
                hint="Use 'simulator' or the dotted path of a PaymentProvider class.",
                id="applications.E001",
            )
        ]
    return []
