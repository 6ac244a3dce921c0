"""Bills and payment notices: the amount from the standard, idempotent bills, signed callbacks,
replays, mismatches sent to reconciliation, and the payment condition of the workflow."""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.applications import billing
from layanan.applications.actions import transition_application
from layanan.applications.models import Application, ApplicationEvent, Bill, PaymentNoticeRecord
from layanan.applications.tests.factories import application_in
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import (
    AdoptedStandardFactory,
    ServiceFactory,
    complete_published,
    paid_fee,
)
from layanan.notifications.models import Notification
from layanan.payments import provider as payments
from layanan.payments.simulator import SimulatorProvider
from layanan.workflow.models import TimelineEvent

pytestmark = pytest.mark.django_db

FEE = 50_000


# Builders (also used by the other payment and output tests) --------------------------------------


def paid_service(unit: ServiceUnit, amount: int = FEE, **fields: Any) -> Service:
    """A service whose adopted standard charges ``amount`` rupiah (one item with its legal basis)."""
    service: Service = ServiceFactory(unit=unit, **fields)
    AdoptedStandardFactory(service=service, published=complete_published(fee=paid_fee(amount)))
    return service


def awaiting_payment(service: Service, citizen: User, officer: User, unit_head: User) -> Application:
    approved = application_in("approved", service, citizen, officer=officer, unit_head=unit_head)
    return transition_application(approved, "request_payment", actor=officer)


def simulator() -> SimulatorProvider:
    provider = billing.simulator_provider()
    assert provider is not None
    return provider


def signed_notice(
    bill: Bill, *, amount: int | None = None, paid_at: datetime.datetime | None = None, txn: str = "TXN-1"
) -> tuple[bytes, dict[str, str]]:
    """A callback body signed with the shared secret, with any amount or time (as a bank could)."""
    body = json.dumps(
        {
            "billing_code": bill.billing_code,
            "amount": bill.amount if amount is None else amount,
            "paid_at": (paid_at or timezone.now()).isoformat(),
            "transaction_id": txn,
        }
    ).encode()
    return body, {payments.SIGNATURE_HEADER: payments.sign_body(body, billing.payment_secret())}


def pay(application: Application) -> PaymentNoticeRecord:
    bill = application.bills.get(status=Bill.Status.OPEN)
    body, headers = simulator().simulate_payment(billing.provider_bill(bill), paid_at=timezone.now())
    return billing.record_payment_notice(body, headers)


def state_counts() -> dict[str, Any]:
    return {
        "notices": PaymentNoticeRecord.objects.count(),
        "audit": AuditEvent.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "bills": list(Bill.objects.order_by("pk").values_list("status", "receipt_number")),
    }


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return paid_service(unit_a)


@pytest.fixture
def case(service: Service, citizen: User, officer: User, unit_head: User) -> Application:
    return awaiting_payment(service, citizen, officer, unit_head)


# Bills -------------------------------------------------------------------------------------------


def test_request_payment_opens_a_bill_for_the_standard_fee(case: Application) -> None:
    bill = case.bills.get()
    assert case.state == "awaiting_payment"
    assert case.fee_amount == FEE
    assert bill.amount == FEE
    assert bill.status == Bill.Status.OPEN
    assert len(bill.billing_code) == 15
    assert bill.billing_code.isdigit()
    assert bill.billing_code == simulator().billing_code_for(f"{case.reference}/1")
    assert bill.expires_at > timezone.now() + datetime.timedelta(days=6)
    event = ApplicationEvent.objects.get(case=case, kind=TimelineEvent.Kind.PAYMENT)
    assert event.is_public
    assert event.data["billing_code"] == bill.billing_code
    assert AuditEvent.objects.filter(action="applications.bill_opened").count() == 1


def test_open_bill_is_idempotent(case: Application, officer: User, citizen: User) -> None:
    first = case.bills.get()
    before = state_counts()
    assert billing.open_bill(case, actor=officer) == first
    assert billing.open_bill(case, actor=citizen) == first
    assert state_counts() == before


def test_expired_bill_is_replaced_by_a_new_code(case: Application, citizen: User) -> None:
    old = case.bills.get()
    later = old.expires_at + datetime.timedelta(minutes=1)
    new = billing.open_bill(case, actor=citizen, now=later)
    old.refresh_from_db()
    assert old.status == Bill.Status.EXPIRED
    assert new.status == Bill.Status.OPEN
    assert new.billing_code != old.billing_code
    assert new.billing_code == simulator().billing_code_for(f"{case.reference}/2")
    assert new.amount == FEE
    assert new.expires_at > later
    assert billing.open_bill(case, actor=citizen, now=later) == new


@pytest.mark.parametrize("persona", ["other_citizen", "other_agency_officer", "inspector"])
def test_strangers_cannot_open_bills(request: pytest.FixtureRequest, case: Application, persona: str) -> None:
    old = case.bills.get()
    before = state_counts()
    with pytest.raises(PermissionDenied):
        billing.open_bill(case, actor=request.getfixturevalue(persona), now=old.expires_at)
    assert state_counts() == before


def test_open_bill_refused_outside_awaiting_payment(
    service: Service, citizen: User, officer: User, unit_head: User
) -> None:
    approved = application_in("approved", service, citizen, officer=officer, unit_head=unit_head)
    with pytest.raises(ValidationError) as error:
        billing.open_bill(approved, actor=officer)
    assert error.value.code == "not_awaiting_payment"
    assert not Bill.objects.exists()


def test_free_service_has_nothing_to_bill(
    unit_a: ServiceUnit, citizen: User, officer: User, unit_head: User
) -> None:
    from layanan.catalog.tests.factories import service_with_adopted_standard

    free = service_with_adopted_standard(unit=unit_a)
    approved = application_in("approved", free, citizen, officer=officer, unit_head=unit_head)
    with pytest.raises(ValidationError) as error:
        billing.open_bill(approved, actor=officer)
    assert error.value.code == "no_fee"
    with pytest.raises(ValidationError):
        transition_application(approved, "request_payment", actor=officer)
    assert not Bill.objects.exists()


def test_grouped_code_reads_in_threes() -> None:
    assert billing.grouped_code("912345678901234") == ["912", "345", "678", "901", "234"]
    assert billing.grouped_code("1234567890") == ["123", "456", "789", "0"]


# Payment notices ---------------------------------------------------------------------------------


def test_simulated_payment_marks_the_bill_paid(case: Application, citizen: User) -> None:
    record = pay(case)
    bill = case.bills.get()
    assert record.outcome == PaymentNoticeRecord.Outcome.APPLIED
    assert record.bill == bill
    assert bill.status == Bill.Status.PAID
    assert bill.paid_at is not None
    assert bill.receipt_number
    assert bill.receipt_number.startswith("KW-")
    assert bill.provider_transaction_id == record.provider_transaction_id
    events = ApplicationEvent.objects.filter(case=case, kind=TimelineEvent.Kind.PAYMENT).order_by("id")
    assert [e.data["event"] for e in events] == ["bill_opened", "paid"]
    audit = AuditEvent.objects.get(action="applications.payment_received")
    assert audit.summary["receipt_number"] == bill.receipt_number
    message = Notification.objects.get(template="application_paid")
    assert message.recipient == citizen
    assert bill.receipt_number in json.loads(message.context)["receipt_number"]
    receipt = billing.receipt_for(bill)
    assert receipt.amount == FEE
    assert receipt.reference == case.reference
    assert [item.amount for item in receipt.items] == [FEE]


def test_bad_signature_changes_nothing(case: Application) -> None:
    bill = case.bills.get()
    body, headers = signed_notice(bill)
    before = state_counts()
    for bad in (
        {},
        {payments.SIGNATURE_HEADER: "sha256=" + "0" * 64},
        {payments.SIGNATURE_HEADER: payments.sign_body(body, b"another-secret-of-32-bytes......")},
    ):
        with pytest.raises(payments.InvalidSignature):
            billing.record_payment_notice(body, bad)
    tampered = body.replace(str(FEE).encode(), b"5")
    with pytest.raises(payments.InvalidSignature):
        billing.record_payment_notice(tampered, headers)
    assert state_counts() == before


def test_malformed_signed_body_is_refused(case: Application) -> None:
    body = b'{"billing_code": "nope"}'
    headers = {payments.SIGNATURE_HEADER: payments.sign_body(body, billing.payment_secret())}
    before = state_counts()
    with pytest.raises(payments.InvalidCallback):
        billing.record_payment_notice(body, headers)
    assert state_counts() == before


def test_replayed_notice_is_applied_once(case: Application) -> None:
    bill = case.bills.get()
    body, headers = simulator().simulate_payment(billing.provider_bill(bill), paid_at=timezone.now())
    first = billing.record_payment_notice(body, headers)
    after_first = state_counts()
    again = billing.record_payment_notice(body, headers)
    assert again.pk == first.pk
    assert state_counts() == after_first
    assert PaymentNoticeRecord.objects.count() == 1
    assert Bill.objects.filter(status=Bill.Status.PAID).count() == 1
    assert AuditEvent.objects.filter(action="applications.payment_received").count() == 1
    assert Notification.objects.filter(template="application_paid").count() == 1


def test_amount_mismatch_goes_to_reconciliation(case: Application, officer: User) -> None:
    bill = case.bills.get()
    body, headers = signed_notice(bill, amount=FEE - 1)
    record = billing.record_payment_notice(body, headers)
    bill.refresh_from_db()
    assert record.outcome == PaymentNoticeRecord.Outcome.MISMATCH
    assert record.detail == "amount"
    assert record.bill == bill
    assert bill.status == Bill.Status.OPEN
    assert bill.receipt_number is None
    assert not AuditEvent.objects.filter(action="applications.payment_received").exists()
    assert AuditEvent.objects.get(action="applications.payment_unmatched").summary["reason"] == "amount"
    with pytest.raises(ValidationError):
        transition_application(case, "issue_paid_output", actor=officer)


def test_payment_after_expiry_goes_to_reconciliation(case: Application) -> None:
    bill = case.bills.get()
    body, headers = signed_notice(bill, paid_at=bill.expires_at + datetime.timedelta(seconds=1))
    record = billing.record_payment_notice(body, headers)
    bill.refresh_from_db()
    assert (record.outcome, record.detail) == (PaymentNoticeRecord.Outcome.MISMATCH, "expired")
    assert bill.status == Bill.Status.OPEN


def test_in_time_payment_of_a_replaced_code_settles_the_fee(case: Application, citizen: User) -> None:
    old = case.bills.get()
    new = billing.open_bill(case, actor=citizen, now=old.expires_at + datetime.timedelta(minutes=1))
    body, headers = signed_notice(old, paid_at=old.expires_at - datetime.timedelta(hours=1))
    record = billing.record_payment_notice(body, headers)
    old.refresh_from_db()
    new.refresh_from_db()
    assert record.outcome == PaymentNoticeRecord.Outcome.APPLIED
    assert old.status == Bill.Status.PAID
    assert new.status == Bill.Status.EXPIRED


def test_second_payment_of_a_paid_bill_goes_to_reconciliation(case: Application) -> None:
    pay(case)
    bill = case.bills.get()
    body, headers = signed_notice(bill, txn="TXN-SECOND")
    record = billing.record_payment_notice(body, headers)
    assert (record.outcome, record.detail) == (PaymentNoticeRecord.Outcome.MISMATCH, "already_paid")
    assert Bill.objects.filter(status=Bill.Status.PAID).count() == 1
    assert AuditEvent.objects.filter(action="applications.payment_received").count() == 1


def test_unknown_billing_code_is_kept_for_reconciliation(case: Application) -> None:
    bill = case.bills.get()
    bill.billing_code = "912345678901234"
    body, headers = signed_notice(bill)
    record = billing.record_payment_notice(body, headers)
    assert record.outcome == PaymentNoticeRecord.Outcome.UNKNOWN_BILL
    assert record.bill is None
    assert not Bill.objects.filter(status=Bill.Status.PAID).exists()


def test_output_cannot_be_issued_before_payment(case: Application, officer: User) -> None:
    with pytest.raises(ValidationError) as error:
        transition_application(case, "issue_paid_output", actor=officer)
    assert error.value.code == "condition_not_met"
    case.refresh_from_db()
    assert case.state == "awaiting_payment"
    assert not case.outputs.exists()


def test_receipt_for_an_unpaid_bill_is_refused(case: Application) -> None:
    with pytest.raises(ValidationError):
        billing.receipt_for(case.bills.get())


# Provider configuration --------------------------------------------------------------------------


class RecordingProvider(SimulatorProvider):
    """A stand-in for a real provider class configured by dotted path."""


class NotAProvider:
    def __init__(self, secret: bytes) -> None:
        self.secret = secret


def test_provider_from_dotted_path() -> None:
    with override_settings(LAYANAN_PAYMENT_PROVIDER=f"{__name__}.RecordingProvider"):
        assert isinstance(billing.payment_provider(), RecordingProvider)
        assert not billing.uses_simulator()
        assert billing.simulator_provider() is None
    with override_settings(LAYANAN_PAYMENT_PROVIDER=f"{__name__}.NotAProvider"), pytest.raises(TypeError):
        billing.payment_provider()


def test_payment_secret_reads_url_safe_and_standard_base64() -> None:
    raw = bytes([251, 255, 190, *range(29)])
    for encoded in (base64.urlsafe_b64encode(raw).decode(), base64.b64encode(raw).decode()):
        with override_settings(LAYANAN_PAYMENT_SECRET=f"k2:{encoded},k1:{encoded}"):
            assert billing.payment_secret() == raw
