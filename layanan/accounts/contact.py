"""Normalising the addresses citizens sign in with: an e-mail address or an Indonesian mobile number.

Pure functions without the database. A mobile number is stored as ``+628...`` (E.164) whichever
way it was typed (``0812-3456-7890``, ``+62 812 3456 7890``, ``6281234567890``); an e-mail address
is stored in lower case. Indonesian mobile numbers have 10 to 13 digits counting the leading 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from layanan.core.crypto import blind_index
from layanan.core.masking import mask_email, mask_phone

Channel = Literal["email", "sms"]

_PHONE_SEPARATORS = re.compile(r"[\s.()\-]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")
# Digits after the leading 0 of the national form "08...": 9 to 12 (10 to 13 with the 0).
_MIN_SUBSCRIBER_DIGITS = 9
_MAX_SUBSCRIBER_DIGITS = 12


@dataclass(frozen=True)
class Contact:
    """A normalised sign-in address and the channel that reaches it."""

    channel: Channel
    address: str

    @property
    def index(self) -> str:
        """Blind index of the address, as stored in ``User.phone_index`` and ``OneTimeCode``."""
        return blind_index(self.address, purpose="phone" if self.channel == "sms" else "email")

    @property
    def masked(self) -> str:
        if self.channel == "sms":
            return mask_phone(national_phone(self.address))
        return mask_email(self.address)


def normalise_email(value: str) -> str:
    """Trim and lower-case an e-mail address; raise ``ValidationError`` (``email``) if malformed."""
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            _("Enter an e-mail address in the right format, like nama@contoh.id."), code="email"
        ) from error
    return email


def normalise_phone(value: str) -> str:
    """``0812-3456-7890``, ``+62 812 3456 7890`` or ``6281234567890`` -> ``+6281234567890``.

    Raises ``ValidationError`` with code ``phone_format`` or ``phone_length``.
    """
    compact = _PHONE_SEPARATORS.sub("", value.strip())
    for prefix in ("+62", "62", "0"):
        if compact.startswith(prefix):
            subscriber = compact[len(prefix) :]
            break
    else:
        subscriber = ""
    if not subscriber.startswith("8") or not _ASCII_DIGITS.fullmatch(subscriber):
        raise ValidationError(
            _("Enter a mobile number that starts with 08 or +628, like 0812 3456 7890."),
            code="phone_format",
        )
    if not _MIN_SUBSCRIBER_DIGITS <= len(subscriber) <= _MAX_SUBSCRIBER_DIGITS:
        raise ValidationError(
            _("A mobile number has 10 to 13 digits, counting the 0 at the start."), code="phone_length"
        )
    return f"+62{subscriber}"


def national_phone(phone: str) -> str:
    """``+6281234567890`` -> ``081234567890`` (how people read their own number)."""
    return f"0{phone[3:]}" if phone.startswith("+62") else phone


def parse_contact(value: str) -> Contact:
    """One field for both: an ``@`` means e-mail, anything else must be a mobile number."""
    text = value.strip()
    if not text:
        raise ValidationError(_("Enter your e-mail address or mobile number."), code="required")
    if "@" in text:
        return Contact(channel="email", address=normalise_email(text))
    if re.search(r"[A-Za-z]", text):
        raise ValidationError(
            _("Enter an e-mail address like nama@contoh.id or a mobile number like 0812 3456 7890."),
            code="contact",
        )
    return Contact(channel="sms", address=normalise_phone(text))
