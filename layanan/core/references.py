"""Public reference numbers and tracking secrets for applications (issue 4, section 6).

A reference looks like ``PBG-2026-000123-8``: a service prefix of 2 to 6 capital letters, the year,
a sequence of at least six digits, and one check digit over the digits of year and sequence.
(The issue's example ``...-000123-7`` is illustrative; the Damm digit for 2026/000123 is 8.)

Why the Damm algorithm and not Luhn: the check digit is computed with Damm's quasigroup of order
10 (H. M. Damm, 2004). It detects *every* single-digit substitution and *every* transposition of two
adjacent digits, including the check digit itself. Luhn (mod 10) misses the transposition ``09`` <->
``90``, and the ISBN-style weighted sums need an eleventh symbol (``X``). Damm needs no extra
symbol and no weights, and a whole string (digits plus check digit) is valid exactly when folding
it through the table ends in 0. The prefix is not covered: a mistyped prefix names another (or no)
service and the look-up simply finds nothing; tracking needs the secret anyway.

``parse_reference`` accepts what citizens type: any case, spaces, missing or extra dashes
(``"pbg 2026 000123 8"``, ``"PBG20260001238"``), and returns ``None`` for anything malformed or with a
wrong check digit, so a typo is told apart from an unknown reference without a database query.

Tracking secrets (``tracking_secret``) are 8 characters from a 30-symbol alphabet without the
look-alikes 0/O, 1/I/L (and U, as in Crockford's base 32): about 39 bits, plenty against online
guessing once the tracking page is rate-limited, and easy to read aloud at a counter. Only a keyed
digest is stored (``secret_digest``: HMAC-SHA256 under ``settings.SECRET_KEY`` via ``salted_hmac``);
``check_secret`` compares in constant time and also accepts digests made under
``settings.SECRET_KEY_FALLBACKS``, so rotating the secret key does not lock citizens out.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

__all__ = [
    "SECRET_LENGTH",
    "TRACKING_ALPHABET",
    "Reference",
    "check_secret",
    "damm_check_digit",
    "damm_is_valid",
    "make_reference",
    "normalise_secret",
    "parse_reference",
    "secret_digest",
    "tracking_secret",
]

# Damm's totally anti-symmetric quasigroup of order 10 (zero diagonal).
_DAMM_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

SEQUENCE_WIDTH = 6
_PREFIX_RE = re.compile(r"[A-Z]{2,6}")
# After removing separators: prefix, 4-digit year, sequence (>= 6 digits), check digit.
_COMPACT_RE = re.compile(r"([A-Z]{2,6})(\d{4})(\d{6,})(\d)")
# Separators citizens type or that word processors substitute (en/em dash, non-breaking space).
_SEPARATORS_RE = re.compile(r"[\s\-\u2010-\u2015_./]+")

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
SECRET_LENGTH = 8
_DIGEST_SALT = "layanan.core.references.tracking_secret"


def _digits(text: str) -> list[int]:
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"not a string of ASCII digits: {text!r}")
    return [ord(char) - 48 for char in text]


def damm_check_digit(digits: str) -> int:
    """The Damm check digit to append to ``digits`` (a non-empty string of ASCII digits)."""
    interim = 0
    for digit in _digits(digits):
        interim = _DAMM_TABLE[interim][digit]
    return interim


def damm_is_valid(digits_with_check: str) -> bool:
    """True when the last digit is the correct Damm check digit of the ones before it."""
    if len(digits_with_check) < 2 or not digits_with_check.isascii() or not digits_with_check.isdigit():
        return False
    return damm_check_digit(digits_with_check) == 0


@dataclass(frozen=True, slots=True)
class Reference:
    prefix: str
    year: int
    sequence: int
    check_digit: int

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year:04d}-{self.sequence:0{SEQUENCE_WIDTH}d}-{self.check_digit}"


def _validate(prefix: str, year: int, sequence: int) -> None:
    if not _PREFIX_RE.fullmatch(prefix):
        raise ValueError(f"prefix must be 2 to 6 capital letters A-Z: {prefix!r}")
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValueError(f"year must be a four-digit integer: {year!r}")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 1:
        raise ValueError(f"sequence must be a positive integer: {sequence!r}")


def _payload(year: int, sequence: int) -> str:
    return f"{year:04d}{sequence:0{SEQUENCE_WIDTH}d}"


def make_reference(prefix: str, year: int, sequence: int) -> str:
    """``make_reference("PBG", 2026, 123) == "PBG-2026-000123-8"``; raises ``ValueError`` on bad parts."""
    _validate(prefix, year, sequence)
    check = damm_check_digit(_payload(year, sequence))
    return str(Reference(prefix, year, sequence, check))


def parse_reference(text: str) -> Reference | None:
    """The reference in ``text`` as typed by a person, or ``None`` if malformed or mistyped."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    compact = _SEPARATORS_RE.sub("", text).upper()
    match = _COMPACT_RE.fullmatch(compact)
    if match is None:
        return None
    prefix, year_text, sequence_text, check_text = match.groups()
    sequence = int(sequence_text)
    # Only the canonical spelling: "0000123" (seven digits with a leading zero) is not "000123".
    if sequence < 1 or sequence_text != f"{sequence:0{SEQUENCE_WIDTH}d}":
        return None
    if not damm_is_valid(year_text + sequence_text + check_text):
        return None
    return Reference(prefix, int(year_text), sequence, int(check_text))


def tracking_secret() -> str:
    """A fresh random secret such as ``"K7QM2XHD"`` (show it once; store only ``secret_digest``)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(SECRET_LENGTH))


def normalise_secret(secret: str) -> str:
    """Upper case without spaces or dashes, so ``"k7qm-2xhd"`` matches ``"K7QM2XHD"``."""
    return _SEPARATORS_RE.sub("", secret).upper()


def secret_digest(secret: str, *, key: str | None = None) -> str:
    """Hex HMAC-SHA256 of the normalised secret under ``key`` (default ``settings.SECRET_KEY``)."""
    return salted_hmac(_DIGEST_SALT, normalise_secret(secret), secret=key, algorithm="sha256").hexdigest()


def check_secret(secret: str, digest: str) -> bool:
    """Constant-time check of a typed secret against a stored digest (current or fallback key)."""
    if not isinstance(secret, str) or not isinstance(digest, str) or len(secret) > 64:
        return False
    keys: list[str] = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    matched = False
    for key in keys:
        # No early exit: the time taken does not reveal which key matched.
        matched |= constant_time_compare(secret_digest(secret, key=key), digest)
    return matched
