from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from layanan.payments.provider import (
    SIGNATURE_HEADER,
    Bill,
    InvalidCallback,
    InvalidSignature,
    NoticeMismatch,
    PaymentNotice,
    check_notice_against_bill,
    decode_notice,
    get_header,
    sign_body,
    validate_amount,
    validate_billing_code,
    verify_signature,
)

SECRET = b"shared-secret-for-tests-0123456789"
EXPIRES = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
CODE = "820260000001234"


def _body(**overrides: Any) -> bytes:
    payload = {
        "billing_code": CODE,
        "amount": 150000,
        "paid_at": "2026-03-02T10:00:00+07:00",
        "transaction_id": "T1",
    }
    payload.update(overrides)
    return json.dumps(payload).encode()


@pytest.mark.parametrize("amount", [1, 150_000, 10**12])
def test_valid_amounts(amount: int) -> None:
    assert validate_amount(amount) == amount


@pytest.mark.parametrize("amount", [0, -1, 1.0, 150000.5, Decimal("1500"), "1500", True, None])
def test_amount_must_be_positive_integer_rupiah(amount: Any) -> None:
    with pytest.raises(ValueError, match="positive integer"):
        validate_amount(amount)


@pytest.mark.parametrize("code", ["820260000001234", "1234567890", "1" * 20])
def test_billing_code_format_accepted(code: str) -> None:
    assert validate_billing_code(code) == code


@pytest.mark.parametrize(
    "code", ["", "123456789", "1" * 21, "82026000000123A", "8202-6000-0001", "\u0663" * 15, 8 * 10**14]
)
def test_billing_code_format_rejected(code: Any) -> None:
    with pytest.raises(ValueError, match="billing code"):
        validate_billing_code(code)


def test_bill_validates_its_fields() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Bill(CODE, 1000, datetime(2026, 3, 5, 17, 0))
    with pytest.raises(ValueError, match="positive integer"):
        Bill(CODE, 0, EXPIRES)
    bill = Bill(CODE, 1000, EXPIRES)
    assert not bill.is_expired(EXPIRES - timedelta(seconds=1))
    assert bill.is_expired(EXPIRES)


def test_signature_round_trip_and_case_insensitive_header() -> None:
    body = _body()
    verify_signature(body, {SIGNATURE_HEADER: sign_body(body, SECRET)}, SECRET)
    verify_signature(body, {SIGNATURE_HEADER.lower(): sign_body(body, SECRET)}, SECRET)
    assert get_header({"x-layanan-signature": "v"}, SIGNATURE_HEADER) == "v"
    assert get_header({}, SIGNATURE_HEADER) is None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {SIGNATURE_HEADER: ""},
        {SIGNATURE_HEADER: "sha256="},
        {SIGNATURE_HEADER: "garbage"},
        {SIGNATURE_HEADER: "sha256=" + "0" * 64},
        {SIGNATURE_HEADER: "sha256=\u00e9" * 3},
        {SIGNATURE_HEADER: sign_body(b"other body", SECRET)},
        {SIGNATURE_HEADER: sign_body(_body(), b"another secret")},
        {"X-Other": sign_body(_body(), SECRET)},
    ],
)
def test_missing_or_invalid_signature(headers: dict[str, str]) -> None:
    with pytest.raises(InvalidSignature):
        verify_signature(_body(), headers, SECRET)


def test_empty_secret_never_verifies() -> None:
    with pytest.raises(InvalidSignature):
        verify_signature(b"", {SIGNATURE_HEADER: sign_body(b"", b"")}, b"")


def test_decode_notice() -> None:
    notice = decode_notice(_body())
    assert notice == PaymentNotice(CODE, 150000, datetime(2026, 3, 2, 3, 0, tzinfo=UTC), "T1")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        _body(amount=0),
        _body(amount=1.5),
        _body(amount="150000"),
        _body(amount=True),
        _body(paid_at="2026-03-02T10:00:00"),  # naive
        _body(paid_at="yesterday"),
        _body(paid_at=None),
        _body(billing_code="12"),
        _body(transaction_id=""),
        _body(transaction_id="x" * 65),
        json.dumps({"billing_code": CODE}).encode(),
        b" " * 20_000,
    ],
)
def test_decode_rejects_malformed_notice(body: bytes) -> None:
    with pytest.raises(InvalidCallback):
        decode_notice(body)


def test_check_notice_against_bill() -> None:
    bill = Bill(CODE, 150000, EXPIRES)
    paid = EXPIRES - timedelta(days=1)
    check_notice_against_bill(PaymentNotice(CODE, 150000, paid, "T1"), bill)

    cases = [
        (PaymentNotice("820260000009999", 150000, paid, "T2"), "billing_code"),
        (PaymentNotice(CODE, 149999, paid, "T3"), "amount"),
        (PaymentNotice(CODE, 150000, EXPIRES, "T4"), "expired"),
    ]
    for notice, code in cases:
        with pytest.raises(NoticeMismatch) as excinfo:
            check_notice_against_bill(notice, bill)
        assert excinfo.value.code == code
