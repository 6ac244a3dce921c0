"""System checks of the notification settings, run at start-up (``manage.py check``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from layanan.notifications.channels import sms_backend_class, whatsapp_backend_class


def check_sms_backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    name = settings.LAYANAN_SMS_BACKEND
    try:
        sms_backend_class(name)
    except ImportError as error:
        return [
            Error(
                f"LAYANAN_SMS_BACKEND={name!r} cannot be used: {error}",
                hint="Use 'console', 'file' or the dotted path of a class with "
                "send(*, address, subject, body).",
                id="notifications.E001",
            )
        ]
    if name == "console" and getattr(settings, "IS_PRODUCTION", False):
        return [
            Warning(
                "The console SMS backend prints messages, one-time codes included, to standard output.",
                hint="Set SMS_BACKEND to a production gateway when LAYANAN_ENV=production.",
                id="notifications.W001",
            )
        ]
    return []


def check_whatsapp_backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    name = settings.LAYANAN_WHATSAPP_BACKEND
    try:
        whatsapp_backend_class(name)
    except ImportError as error:
        return [
            Error(
                f"LAYANAN_WHATSAPP_BACKEND={name!r} cannot be used: {error}",
                hint="Use 'console', 'file' or the dotted path of a class with "
                "send(*, address, subject, body).",
                id="notifications.E002",
            )
        ]
    return []
