"""The payment-provider interface: bills with a billing code, and signed payment callbacks.

Flow: the platform asks a provider to ``create_bill`` for an application's fee (the amount always
comes from the service standard, in whole rupiah); the citizen pays the *kode billing* at a bank,
post office or e-wallet; the provider calls back with a signed body that ``parse_callback`` turns
into a ``PaymentNotice``.

Decisions (see ``docs/payments.md``):

* Billing codes are strings of ASCII digits, 10 to 20 long. The state's SIMPONI codes for PNBP
  are 15 digits; regional *retribusi* codes (often a bank virtual account) vary by region and
  bank, so the interface does not fix the length and gives the digits no meaning.
* Amounts are positive ``int`` rupiah; ``bool``, floats, ``Decimal`` and zero are refused.
* Callbacks carry ``X-Layanan-Signature: sha256=<hex HMAC-SHA256 of the raw body>`` under a secret
  shared with the provider, compared in constant time; missing or wrong -> ``InvalidSignature``.
* ``parse_callback`` does *not* reject payments made after the bill expired or for another amount:
  it cannot know the bill, and when a bank has taken the money, dropping the notice loses track of
  it. The caller matches the notice to its bill with ``check_notice_against_bill`` and sends a
  mismatch to reconciliation (refund or manual review) instead of marking the fee paid. Expiry is
  enforced where the money moves: a provider (and the simulator) refuses to take payment for an
  expired bill.
* Idempotency is by ``provider_transaction_id``: the caller stores every accepted notice under a
  unique constraint on it, so a retried or replayed callback is a no-op. A replayed body with a
  changed amount fails the signature check.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "SIGNATURE_HEADER",
    "Bill",
    "InvalidCallback",
    "InvalidSignature",
    "NoticeMismatch",
    "PaymentError",
    "PaymentNotice",
    "PaymentProvider",
    "check_notice_against_bill",
    "decode_notice",
    "get_header",
    "require_aware",
    "sign_body",
    "validate_amount",
    "validate_billing_code",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Layanan-Signature"
_SIGNATURE_SCHEME = "sha256="
BILLING_CODE_RE = re.compile(r"[0-9]{10,20}")
MAX_CALLBACK_BYTES = 16 * 1024


class PaymentError(Exception):
    """Base class of the errors of this package."""


class InvalidSignature(PaymentError):
    """The callback's signature header is missing, malformed or does not match the body."""


class InvalidCallback(PaymentError, ValueError):
    """The callback is signed correctly but its body is not a well-formed payment notice."""


class NoticeMismatch(PaymentError):
    """A genuine payment notice that does not settle the bill (other code, amount, or too late)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def validate_amount(amount: object) -> int:
    """``amount`` if it is a positive whole number of rupiah, else ``ValueError``."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"amount must be a positive integer number of rupiah: {amount!r}")
    return amount


def validate_billing_code(code: object) -> str:
    if not isinstance(code, str) or not BILLING_CODE_RE.fullmatch(code):
        raise ValueError(f"billing code must be 10 to 20 ASCII digits: {code!r}")
    return code


def require_aware(moment: object, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime: {moment!r}")
    return moment


@dataclass(frozen=True, slots=True)
class Bill:
    billing_code: str
    amount: int
    expires_at: datetime

    def __post_init__(self) -> None:
        validate_billing_code(self.billing_code)
        validate_amount(self.amount)
        require_aware(self.expires_at, "expires_at")

    def is_expired(self, at: datetime) -> bool:
        return require_aware(at, "at") >= self.expires_at


@dataclass(frozen=True, slots=True)
class PaymentNotice:
    billing_code: str
    paid_amount: int
    paid_at: datetime
    provider_transaction_id: str

    def __post_init__(self) -> None:
        validate_billing_code(self.billing_code)
        validate_amount(self.paid_amount)
        require_aware(self.paid_at, "paid_at")
        if (
            not isinstance(self.provider_transaction_id, str)
            or not 1 <= len(self.provider_transaction_id) <= 64
        ):
            raise ValueError("provider_transaction_id must be a string of 1 to 64 characters")


@runtime_checkable
class PaymentProvider(Protocol):
    """What the platform needs from a payment provider (SIMPONI, a regional bank, the simulator)."""

    def create_bill(self, *, reference: str, amount: int, description: str, expires_at: datetime) -> Bill:
        """Issue a bill payable until ``expires_at``; raises ``ValueError`` on bad input."""
        ...

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> PaymentNotice:
        """Verify and decode a callback; raises ``InvalidSignature`` or ``InvalidCallback``."""
        ...


def get_header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header look-up that also works for a plain ``dict``."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, candidate in headers.items():
        if key.lower() == wanted:
            return candidate
    return None


def sign_body(body: bytes, secret: bytes) -> str:
    """The signature header value for ``body``: ``"sha256=<hex>"``."""
    return _SIGNATURE_SCHEME + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, headers: Mapping[str, str], secret: bytes) -> None:
    """Raise ``InvalidSignature`` unless the signature header matches ``body`` under ``secret``."""
    if not secret:
        raise InvalidSignature("no shared secret configured")
    provided = get_header(headers, SIGNATURE_HEADER)
    if provided is None:
        raise InvalidSignature(f"missing {SIGNATURE_HEADER} header")
    expected = sign_body(body, secret)
    # Compare as bytes: hmac.compare_digest refuses non-ASCII str, and a malformed header must
    # still take the same constant-time path.
    if not hmac.compare_digest(provided.strip().encode("utf-8", "replace"), expected.encode()):
        raise InvalidSignature("signature does not match the body")


def decode_notice(body: bytes) -> PaymentNotice:
    """Decode the JSON body shared by the simulator and the reference callback format."""
    if len(body) > MAX_CALLBACK_BYTES:
        raise InvalidCallback("callback body too large")
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidCallback("callback body is not JSON") from exc
    if not isinstance(data, dict):
        raise InvalidCallback("callback body is not a JSON object")
    try:
        paid_at = datetime.fromisoformat(data["paid_at"])
        return PaymentNotice(
            billing_code=data["billing_code"],
            paid_amount=data["amount"],
            paid_at=paid_at,
            provider_transaction_id=data["transaction_id"],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidCallback(f"malformed payment notice: {exc}") from exc


def check_notice_against_bill(notice: PaymentNotice, bill: Bill) -> None:
    """Raise ``NoticeMismatch`` unless ``notice`` settles ``bill`` exactly and in time."""
    if not hmac.compare_digest(notice.billing_code, bill.billing_code):
        raise NoticeMismatch("notice is for another billing code", code="billing_code")
    if notice.paid_amount != bill.amount:
        raise NoticeMismatch(
            f"paid {notice.paid_amount} rupiah for a bill of {bill.amount}",
            code="amount",
        )
    if bill.is_expired(notice.paid_at):
        raise NoticeMismatch("paid after the bill expired", code="expired")
