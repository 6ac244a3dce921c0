"""Fixed TOTP keys for the demo staff, so a secret added to an authenticator app survives reloads.

The keys are derived from the username and are therefore public: they exist only in development
mode, like the demo password.
"""

from __future__ import annotations

import base64
import hashlib

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "default"


def demo_totp_key(username: str) -> str:
    """The 20-byte key (hex, as ``TOTPDevice.key`` stores it) of a demo user."""
    return hashlib.sha256(f"layanan-demo-totp:{username}".encode()).hexdigest()[:40]


def base32_secret(hex_key: str) -> str:
    """The key as authenticator apps take it (RFC 4648 base32, no padding)."""
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


def current_code(device: TOTPDevice) -> str:
    """The code the device accepts now, zero-padded (``"042917"``)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
