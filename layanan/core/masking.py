"""Masking of personal data for display: enough to recognise one's own data, not to copy it."""

from __future__ import annotations


def mask_nik(nik: str) -> str:
    """``3273015508900009`` -> ``3273********0009`` (also used for the KK number)."""
    if not nik:
        return ""
    if len(nik) <= 8:
        return "*" * len(nik)
    return f"{nik[:4]}{'*' * (len(nik) - 8)}{nik[-4:]}"


def mask_phone(phone: str) -> str:
    """``081234567890`` -> ``0812*****890``."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:4]}{'*' * (len(phone) - 7)}{phone[-3:]}"


def mask_email(email: str) -> str:
    """``siti.rahma@example.id`` -> ``s*********@example.id``."""
    local, at, domain = email.partition("@")
    if not at:
        return "*" * len(email)
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"


def mask_text(value: str) -> str:
    """A free-text personal value such as an address: only its first word stays readable."""
    if not value:
        return ""
    first, _space, rest = value.partition(" ")
    return f"{first} {'*' * min(len(rest), 12)}".strip()
