"""Fees: bills with a billing code through the payment provider, and signed payment notices.

* The amount of a bill is always ``application.fee_amount`` (copied from the service standard
  when the application was submitted); no form ever types an amount.
* ``open_bill`` runs when an application enters ``awaiting_payment`` (``transition_application``)
  and when the applicant asks for a new code after the old one expired. It is idempotent: an open,
  unexpired bill is returned as it is.
* ``record_payment_notice`` is the one code path for payment callbacks, used by the callback URL
  and by the development simulator page alike: signature first, then idempotency by the
  provider's transaction id, then the match against the bill. A notice that does not settle its
  bill (another amount, too late, already paid, unknown code) is stored for reconciliation and
  does not mark anything paid.

See ``docs/payments.md``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from layanan.applications.models import Application, ApplicationEvent, Bill, PaymentNoticeRecord
from layanan.applications.notices import contact_of
from layanan.audit.actions import record_event
from layanan.catalog.standard import FeeItem
from layanan.notifications.actions import notify
from layanan.payments import provider as payments
from layanan.payments.simulator import SimulatorProvider
from layanan.workflow import engine
from layanan.workflow.defaults import CITIZEN
from layanan.workflow.models import TimelineEvent

SIMULATOR = "simulator"
AWAITING_PAYMENT = "awaiting_payment"
# Kept for the callback view: the provider module's limit on a callback body.
MAX_CALLBACK_BYTES = payments.MAX_CALLBACK_BYTES

_URLSAFE_TO_STANDARD = str.maketrans("-_", "+/")


# Provider ----------------------------------------------------------------------------------------


def payment_secret() -> bytes:
    """The shared secret of the payment provider: the first key of ``LAYANAN_PAYMENT_SECRET``.

    The setting is a key ring (``"id:base64"``, standard or URL-safe base64); the callback
    signature uses one secret, so only the first entry counts.
    """
    first = str(settings.LAYANAN_PAYMENT_SECRET).split(",")[0]
    _key_id, _sep, encoded = first.strip().partition(":")
    return base64.b64decode(encoded.strip().translate(_URLSAFE_TO_STANDARD), validate=True)


def uses_simulator() -> bool:
    return str(settings.LAYANAN_PAYMENT_PROVIDER) == SIMULATOR


def payment_provider() -> payments.PaymentProvider:
    """The configured provider: the simulator, or the class at the dotted path in
    ``LAYANAN_PAYMENT_PROVIDER``, constructed with the shared secret (bytes)."""
    name = str(settings.LAYANAN_PAYMENT_PROVIDER)
    if name == SIMULATOR:
        return SimulatorProvider(payment_secret())
    provider_class = import_string(name)
    provider = provider_class(payment_secret())
    if not isinstance(provider, payments.PaymentProvider):
        raise TypeError(f"{name} does not implement the PaymentProvider protocol")
    return provider


def simulator_provider() -> SimulatorProvider | None:
    """The simulator when it is the configured provider (development), else None."""
    provider = payment_provider() if uses_simulator() else None
    return provider if isinstance(provider, SimulatorProvider) else None


def provider_bill(bill: Bill) -> payments.Bill:
    """The provider-side view of a stored bill."""
    return payments.Bill(billing_code=bill.billing_code, amount=int(bill.amount), expires_at=bill.expires_at)


# Reading -----------------------------------------------------------------------------------------


def current_bill(application: Application) -> Bill | None:
    """The bill that matters now: the paid one, else the newest."""
    bills = list(application.bills.all())  # newest first (Bill.Meta.ordering)
    return next((b for b in bills if b.status == Bill.Status.PAID), bills[0] if bills else None)


def is_payable(bill: Bill, *, now: datetime.datetime | None = None) -> bool:
    return bill.status == Bill.Status.OPEN and (now or timezone.now()) < bill.expires_at


def grouped_code(code: str, size: int = 3) -> list[str]:
    """A billing code in groups of three digits, for reading it aloud to a teller."""
    return [code[i : i + size] for i in range(0, len(code), size)]


def fee_items(application: Application) -> tuple[FeeItem, ...]:
    """The amounts of the standard the application was made under, each with its legal basis."""
    components = application.standard.components()
    return components.fee.items if components is not None else ()


# Bills -------------------------------------------------------------------------------------------


def _may_open_bill(actor: Any, application: Application) -> bool:
    from layanan.applications.permissions import is_unit_officer

    if not getattr(actor, "is_authenticated", False):
        return False
    if application.applicant_id is not None and application.applicant_id == actor.pk:
        return True
    return is_unit_officer(actor, application.unit)


@transaction.atomic
def open_bill(application: Application, *, actor: Any, now: datetime.datetime | None = None) -> Bill:
    """The open bill of an application waiting for payment, issuing one when there is none.

    Idempotent: an open bill that has not expired is returned unchanged, and so is the paid bill
    once the fee is paid. Expired bills are marked expired and a new one is issued under a
    per-bill provider reference (``<reference>/<n>``), so the new bill gets a new billing code.
    """
    case = engine.lock_case(Application, application.pk)
    if not _may_open_bill(actor, case):
        raise PermissionDenied
    if not case.has_fee:
        raise ValidationError(_("This service is free of charge: there is nothing to pay."), code="no_fee")
    paid = case.bills.filter(status=Bill.Status.PAID).first()
    if paid is not None:
        return paid
    if case.state != AWAITING_PAYMENT:
        raise ValidationError(_("This application is not waiting for payment."), code="not_awaiting_payment")
    at = now or timezone.now()
    open_bills = list(case.bills.select_for_update().filter(status=Bill.Status.OPEN))
    for bill in open_bills:
        if at < bill.expires_at:
            return bill
    replaced = [bill.billing_code for bill in open_bills]
    if open_bills:
        Bill.objects.filter(pk__in=[b.pk for b in open_bills]).update(
            status=Bill.Status.EXPIRED, updated_at=at
        )
    number = case.bills.count() + 1
    description = f"{case.service.name} {case.reference}"[:200]
    issued = payment_provider().create_bill(
        reference=f"{case.reference}/{number}",
        amount=int(case.fee_amount),
        description=description,
        expires_at=at + datetime.timedelta(days=int(settings.LAYANAN_BILL_VALID_DAYS)),
    )
    bill = Bill.objects.create(
        application=case,
        billing_code=issued.billing_code,
        amount=issued.amount,
        description=description,
        expires_at=issued.expires_at,
    )
    engine.add_timeline_event(
        case,
        TimelineEvent.Kind.PAYMENT,
        event_model=ApplicationEvent,
        actor=actor,
        actor_role=CITIZEN if case.applicant_id == getattr(actor, "pk", None) else "staff",
        is_public=True,
        data={
            "event": "bill_opened",
            "billing_code": bill.billing_code,
            "amount": int(bill.amount),
            "expires_at": bill.expires_at.isoformat(),
        },
        at=at,
    )
    record_event(
        "applications.bill_opened",
        actor=actor,
        target=case,
        summary={
            "reference": case.reference,
            "billing_code": bill.billing_code,
            "amount": int(bill.amount),
            "number": number,
            "replaces": replaced,
        },
    )
    return bill


# Payment notices ---------------------------------------------------------------------------------


def _store_notice(
    notice: payments.PaymentNotice, *, bill: Bill | None, outcome: str, detail: str = ""
) -> PaymentNoticeRecord | None:
    """Insert the notice record; None when another request stored this transaction first."""
    try:
        with transaction.atomic():
            return PaymentNoticeRecord.objects.create(
                provider_transaction_id=notice.provider_transaction_id,
                billing_code=notice.billing_code,
                amount=notice.paid_amount,
                paid_at=notice.paid_at,
                bill=bill,
                outcome=outcome,
                detail=detail[:200],
            )
    except IntegrityError:
        return None


def _receipt_number(bill: Bill, paid_at: datetime.datetime) -> str:
    return f"KW-{timezone.localtime(paid_at).year}-{bill.pk:07d}"


@transaction.atomic
def record_payment_notice(body: bytes, headers: Mapping[str, str]) -> PaymentNoticeRecord:
    """Verify, store and apply one payment callback; the same for the callback URL and simulator.

    Raises ``layanan.payments.provider.InvalidSignature`` (answer 403) or ``InvalidCallback``
    (answer 400) and changes nothing. A notice already stored under the same provider
    transaction id returns the stored record and changes nothing (replays and provider retries).
    A notice that does not settle its bill is stored with outcome ``mismatch`` or
    ``unknown_bill`` for reconciliation and audited; it does not mark the fee paid.
    """
    notice = payment_provider().parse_callback(body, headers)
    existing = PaymentNoticeRecord.objects.filter(
        provider_transaction_id=notice.provider_transaction_id
    ).first()
    if existing is not None:
        return existing
    bill = Bill.objects.filter(billing_code=notice.billing_code).first()
    if bill is None:
        return _reconcile(
            notice, bill=None, outcome=PaymentNoticeRecord.Outcome.UNKNOWN_BILL, code="unknown_bill"
        )
    case = engine.lock_case(Application, bill.application_id)
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if case.bills.filter(status=Bill.Status.PAID).exists():
        return _reconcile(
            notice, bill=bill, outcome=PaymentNoticeRecord.Outcome.MISMATCH, code="already_paid"
        )
    try:
        payments.check_notice_against_bill(notice, provider_bill(bill))
    except payments.NoticeMismatch as mismatch:
        return _reconcile(notice, bill=bill, outcome=PaymentNoticeRecord.Outcome.MISMATCH, code=mismatch.code)
    record = _store_notice(notice, bill=bill, outcome=PaymentNoticeRecord.Outcome.APPLIED)
    if record is None:
        return PaymentNoticeRecord.objects.get(provider_transaction_id=notice.provider_transaction_id)
    bill.status = Bill.Status.PAID
    bill.paid_at = notice.paid_at
    bill.provider_transaction_id = notice.provider_transaction_id
    bill.receipt_number = _receipt_number(bill, notice.paid_at)
    bill.save(update_fields=["status", "paid_at", "provider_transaction_id", "receipt_number", "updated_at"])
    # A payment made in time for an older code settles the fee: newer codes stop being payable.
    case.bills.filter(status=Bill.Status.OPEN).exclude(pk=bill.pk).update(status=Bill.Status.EXPIRED)
    engine.add_timeline_event(
        case,
        TimelineEvent.Kind.PAYMENT,
        event_model=ApplicationEvent,
        actor=None,
        actor_role="system",
        is_public=True,
        data={"event": "paid", "receipt_number": bill.receipt_number, "amount": int(bill.amount)},
    )
    _notify_paid(case, bill)
    record_event(
        "applications.payment_received",
        actor=None,
        target=case,
        summary={
            "reference": case.reference,
            "billing_code": bill.billing_code,
            "amount": int(bill.amount),
            "receipt_number": bill.receipt_number,
            "provider_transaction_id": notice.provider_transaction_id,
        },
    )
    return record


def _reconcile(
    notice: payments.PaymentNotice, *, bill: Bill | None, outcome: str, code: str
) -> PaymentNoticeRecord:
    record = _store_notice(notice, bill=bill, outcome=outcome, detail=code)
    if record is None:
        return PaymentNoticeRecord.objects.get(provider_transaction_id=notice.provider_transaction_id)
    record_event(
        "applications.payment_unmatched",
        actor=None,
        target=record,
        summary={
            "billing_code": notice.billing_code,
            "amount": notice.paid_amount,
            "provider_transaction_id": notice.provider_transaction_id,
            "reason": code,
            "reference": bill.application.reference if bill is not None else None,
        },
    )
    return record


def _notify_paid(application: Application, bill: Bill) -> None:
    contact = contact_of(application.applicant)
    if contact is None:
        return
    channel, address = contact
    site = str(settings.LAYANAN_SITE_URL).rstrip("/")
    notify(
        channel=channel,
        address=address,
        template="application_paid",
        context={
            "reference": application.reference,
            "service": application.service.name,
            "amount": int(bill.amount),
            "receipt_number": bill.receipt_number,
            "receipt_url": site
            + reverse("applications:receipt", kwargs={"reference": application.reference}),
        },
        recipient=application.applicant,
        language=application.language,
    )


# Receipts ----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Receipt:
    """What a payment receipt (*kuitansi*) prints."""

    number: str
    reference: str
    service: str
    agency: str
    unit: str
    billing_code: str
    amount: int
    items: tuple[FeeItem, ...]
    paid_at: datetime.datetime
    provider_transaction_id: str


def receipt_for(bill: Bill) -> Receipt:
    """The receipt of a paid bill; ``ValidationError`` for a bill that is not paid."""
    if bill.status != Bill.Status.PAID or bill.paid_at is None or not bill.receipt_number:
        raise ValidationError(_("This bill has not been paid."), code="not_paid")
    application = bill.application
    return Receipt(
        number=bill.receipt_number,
        reference=application.reference,
        service=application.service.name,
        agency=application.unit.agency.name,
        unit=application.unit.name,
        billing_code=bill.billing_code,
        amount=int(bill.amount),
        items=fee_items(application),
        paid_at=bill.paid_at,
        provider_transaction_id=bill.provider_transaction_id or "",
    )
