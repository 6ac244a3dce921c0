from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from layanan.core.references import damm_is_valid, make_reference
from layanan.payments.provider import (
    SIGNATURE_HEADER,
    Bill,
    InvalidCallback,
    InvalidSignature,
    PaymentProvider,
    check_notice_against_bill,
    sign_body,
)
from layanan.payments.simulator import BillExpired, SimulatorProvider

SECRET = "simulator-secret-for-tests-0123456789"
WIB = timezone(timedelta(hours=7))
EXPIRES = datetime(2026, 3, 5, 23, 59, tzinfo=WIB)
PAID = datetime(2026, 3, 2, 10, 15, tzinfo=WIB)


@pytest.fixture
def provider() -> SimulatorProvider:
    return SimulatorProvider(SECRET)


@pytest.fixture
def bill(provider: SimulatorProvider) -> Bill:
    return provider.create_bill(
        reference="PBG-2026-000123-8", amount=150_000, description="Retribusi PBG", expires_at=EXPIRES
    )


def test_implements_protocol(provider: SimulatorProvider) -> None:
    assert isinstance(provider, PaymentProvider)
    typed: PaymentProvider = provider
    assert typed is provider


def test_secret_must_be_long_enough() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        SimulatorProvider("short")
    SimulatorProvider(b"x" * 16)


def test_bill_fields_and_code_format(bill: Bill) -> None:
    assert bill.amount == 150_000
    assert bill.expires_at == EXPIRES
    assert len(bill.billing_code) == 15
    assert bill.billing_code.isdigit()
    assert bill.billing_code.startswith("9")
    assert damm_is_valid(bill.billing_code)


def test_billing_code_deterministic_and_keyed(provider: SimulatorProvider, bill: Bill) -> None:
    again = provider.create_bill(
        reference="PBG-2026-000123-8", amount=150_000, description="x", expires_at=EXPIRES
    )
    assert again.billing_code == bill.billing_code
    other_key = SimulatorProvider("another-simulator-secret-000000")
    assert other_key.billing_code_for("PBG-2026-000123-8") != bill.billing_code


def test_billing_codes_do_not_collide(provider: SimulatorProvider) -> None:
    references = [
        make_reference(prefix, year, seq)
        for prefix in ("PBG", "KTP", "SIUP")
        for year in (2025, 2026)
        for seq in range(1, 5001)
    ]
    codes = {provider.billing_code_for(reference) for reference in references}
    assert len(codes) == len(references)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount": 0},
        {"amount": -100},
        {"amount": 1500.0},
        {"amount": True},
        {"reference": ""},
        {"reference": "   "},
        {"description": ""},
        {"expires_at": datetime(2026, 3, 5, 23, 59)},
    ],
)
def test_create_bill_rejects_bad_input(provider: SimulatorProvider, kwargs: dict[str, object]) -> None:
    arguments: dict[str, object] = {
        "reference": "PBG-2026-000123-8",
        "amount": 150_000,
        "description": "Retribusi PBG",
        "expires_at": EXPIRES,
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError):
        provider.create_bill(**arguments)  # type: ignore[arg-type]


def test_simulated_payment_round_trip(provider: SimulatorProvider, bill: Bill) -> None:
    body, headers = provider.simulate_payment(bill, paid_at=PAID)
    assert headers["Content-Type"] == "application/json"
    assert headers[SIGNATURE_HEADER].startswith("sha256=")

    notice = provider.parse_callback(body, headers)

    assert notice.billing_code == bill.billing_code
    assert notice.paid_amount == 150_000
    assert notice.paid_at == PAID
    assert notice.provider_transaction_id.startswith("SIM-")
    check_notice_against_bill(notice, bill)


def test_replayed_callback_gives_same_transaction_id(provider: SimulatorProvider, bill: Bill) -> None:
    body, headers = provider.simulate_payment(bill, paid_at=PAID)
    first = provider.parse_callback(body, headers)
    second = provider.parse_callback(body, headers)
    assert first == second  # the caller's unique constraint on the id makes the replay a no-op

    body_again, _ = provider.simulate_payment(bill, paid_at=PAID)
    assert body_again == body
    other, other_headers = provider.simulate_payment(bill, paid_at=PAID + timedelta(minutes=1))
    assert (
        provider.parse_callback(other, other_headers).provider_transaction_id != first.provider_transaction_id
    )


def test_replayed_signature_with_other_amount_fails(provider: SimulatorProvider, bill: Bill) -> None:
    body, headers = provider.simulate_payment(bill, paid_at=PAID)
    tampered = json.loads(body)
    tampered["amount"] = 1_500_000
    with pytest.raises(InvalidSignature):
        provider.parse_callback(json.dumps(tampered, separators=(",", ":"), sort_keys=True).encode(), headers)


def test_missing_and_wrong_signature(provider: SimulatorProvider, bill: Bill) -> None:
    body, headers = provider.simulate_payment(bill, paid_at=PAID)
    with pytest.raises(InvalidSignature):
        provider.parse_callback(body, {"Content-Type": "application/json"})
    forged = SimulatorProvider("attacker-secret-0123456789abcdef")
    _, forged_headers = forged.simulate_payment(bill, paid_at=PAID)
    with pytest.raises(InvalidSignature):
        provider.parse_callback(body, forged_headers)
    with pytest.raises(InvalidSignature):
        provider.parse_callback(body + b" ", headers)


def test_signed_but_malformed_body(provider: SimulatorProvider) -> None:
    body = b'{"billing_code": "900000000000000", "amount": -5}'
    with pytest.raises(InvalidCallback):
        provider.parse_callback(body, {SIGNATURE_HEADER: sign_body(body, SECRET.encode())})


def test_expired_bill_cannot_be_paid(provider: SimulatorProvider, bill: Bill) -> None:
    with pytest.raises(BillExpired):
        provider.simulate_payment(bill, paid_at=EXPIRES)
    with pytest.raises(ValueError, match="timezone-aware"):
        provider.simulate_payment(bill, paid_at=datetime(2026, 3, 2, 10, 15))


def test_late_notice_is_parsed_but_does_not_settle_the_bill(provider: SimulatorProvider, bill: Bill) -> None:
    # A genuine, signed notice for a payment after expiry (e.g. bank clock skew) is still decoded:
    # money was taken, so it goes to reconciliation instead of being dropped.
    late_bill = Bill(bill.billing_code, bill.amount, datetime(2030, 1, 1, tzinfo=UTC))
    body, headers = provider.simulate_payment(late_bill, paid_at=EXPIRES + timedelta(hours=1))
    notice = provider.parse_callback(body, headers)
    with pytest.raises(Exception, match="expired"):
        check_notice_against_bill(notice, bill)
