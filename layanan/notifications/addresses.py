"""How to reach a person: the one rule every capability uses (applications, complaints, …).

The channel follows the account, with no preference field: e-mail when there is an e-mail
address, otherwise the phone number by SMS, or by WhatsApp when
``settings.LAYANAN_NOTIFY_PHONE_CHANNEL == "whatsapp"``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

PHONE_CHANNELS = ("sms", "whatsapp")


def phone_channel() -> str:
    """The channel for a phone number: ``"whatsapp"`` if so configured, else ``"sms"``."""
    configured = getattr(settings, "LAYANAN_NOTIFY_PHONE_CHANNEL", "sms")
    return configured if configured in PHONE_CHANNELS else "sms"


def reach(*, email: str = "", phone: str = "") -> tuple[str, str] | None:
    """(channel, address) for an e-mail address or a phone number, e-mail first; None if neither."""
    if email:
        return "email", email
    if phone:
        return phone_channel(), phone
    return None


def contact_of(person: Any | None) -> tuple[str, str] | None:
    """(channel, address) to reach an account (``email`` / ``phone`` attributes), or None."""
    if person is None:
        return None
    return reach(email=getattr(person, "email", "") or "", phone=getattr(person, "phone", "") or "")
