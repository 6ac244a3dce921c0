"""A local payment provider for development and tests: no network, no state, signed callbacks.

* Billing codes are 15 digits like SIMPONI's: ``"9"`` (never a real prefix we rely on; it marks a
  simulated code), 13 digits derived from HMAC-SHA256(secret, reference), and a Damm check digit
  over the first 14 (catches a mistyped digit or swapped neighbours when the code is typed at a
  teller). The same reference always gives the same code, so re-issuing is idempotent; different
  references collide with probability about n^2 / 2*10^13 (none among the tens of thousands used in
  tests), and the caller's unique constraint on the billing code catches the rest.
* ``simulate_payment`` produces the exact body and headers the simulator page will POST to the
  callback URL; like a real bank it refuses to take money for an expired bill.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime

from layanan.core.references import damm_check_digit
from layanan.payments.provider import (
    SIGNATURE_HEADER,
    Bill,
    PaymentError,
    PaymentNotice,
    decode_notice,
    require_aware,
    sign_body,
    validate_amount,
    verify_signature,
)

__all__ = ["BillExpired", "SimulatorProvider"]

SIMULATOR_CODE_PREFIX = "9"
_CODE_BODY_DIGITS = 13


class BillExpired(PaymentError):
    """The simulated bank refuses to take payment for an expired bill."""


class SimulatorProvider:
    """``PaymentProvider`` for development: deterministic codes, HMAC-signed callbacks."""

    name = "simulator"

    def __init__(self, secret: str | bytes) -> None:
        raw = secret.encode() if isinstance(secret, str) else bytes(secret)
        if len(raw) < 16:
            raise ValueError("the simulator's shared secret must be at least 16 bytes")
        self._secret = raw

    def billing_code_for(self, reference: str) -> str:
        digest = hmac.new(self._secret, b"billing-code\x00" + reference.encode(), hashlib.sha256).digest()
        body = f"{int.from_bytes(digest, 'big') % 10**_CODE_BODY_DIGITS:0{_CODE_BODY_DIGITS}d}"
        first14 = SIMULATOR_CODE_PREFIX + body
        return first14 + str(damm_check_digit(first14))

    def create_bill(self, *, reference: str, amount: int, description: str, expires_at: datetime) -> Bill:
        if not isinstance(reference, str) or not reference.strip():
            raise ValueError("reference must be a non-empty string")
        if not isinstance(description, str) or not description.strip():
            raise ValueError("description must be a non-empty string")
        return Bill(
            billing_code=self.billing_code_for(reference.strip()),
            amount=validate_amount(amount),
            expires_at=require_aware(expires_at, "expires_at"),
        )

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> PaymentNotice:
        verify_signature(body, headers, self._secret)
        return decode_notice(body)

    def simulate_payment(self, bill: Bill, *, paid_at: datetime) -> tuple[bytes, dict[str, str]]:
        """The signed callback (body, headers) that paying ``bill`` at ``paid_at`` sends."""
        require_aware(paid_at, "paid_at")
        if bill.is_expired(paid_at):
            raise BillExpired(f"billing code {bill.billing_code} expired at {bill.expires_at.isoformat()}")
        paid_at_text = paid_at.isoformat()
        # Same bill paid at the same instant -> same transaction id (a double-clicked simulator
        # button is one payment); any other payment gets another id.
        transaction_id = (
            "SIM-"
            + hmac.new(
                self._secret,
                f"txn\x00{bill.billing_code}\x00{bill.amount}\x00{paid_at_text}".encode(),
                hashlib.sha256,
            ).hexdigest()[:24]
        )
        payload = {
            "billing_code": bill.billing_code,
            "amount": bill.amount,
            "paid_at": paid_at_text,
            "transaction_id": transaction_id,
        }
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign_body(body, self._secret)}
        return body, headers
