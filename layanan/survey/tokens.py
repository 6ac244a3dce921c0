"""Invitation tokens. Pure functions over the platform's keyed digest (no ORM).

* After an application the token is derived from the application's reference with a keyed
  HMAC (``blind_index``), so the citizen's page can show the same link and QR code again without
  the token being stored; only its SHA-256 is (``SurveyInvitation.token_digest``).
* At the counter the officer hands out a random eight-character code, easy to type at a kiosk:
  no 0/O, 1/I/L or U.
"""

from __future__ import annotations

import base64
import secrets

from layanan.core.crypto import blind_index

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 8


def derived_token(source_key: str) -> str:
    """A 16-character token (80 bits) for ``source_key``: the same every time, unguessable."""
    digest = bytes.fromhex(blind_index(source_key, purpose="skm-invitation"))
    return base64.b32encode(digest).decode()[:16]


def counter_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise(token: str) -> str:
    """What a person typed, as stored: upper case, no spaces or dashes."""
    return "".join(token.split()).replace("-", "").upper()


def grouped(code: str) -> str:
    """``ABCD-EFGH``: how a counter code is printed and read out."""
    if len(code) == CODE_LENGTH:
        return f"{code[:4]}-{code[4:]}"
    return code
