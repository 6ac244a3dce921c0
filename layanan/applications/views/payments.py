"""Fees: the citizen's payment page, the development bank simulator, the provider's callback and
the receipt.

The amount shown and billed is always the application's fee from the service standard; nothing
here takes an amount from a form. The simulator builds the signed callback a bank would send and
hands it to the same function the callback URL uses (``billing.record_payment_notice``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import citizen_required, is_staff_user, staff_required
from layanan.applications import billing
from layanan.applications.models import Application, Bill, PaymentNoticeRecord
from layanan.applications.permissions import get_application_for_user
from layanan.payments.provider import InvalidCallback, InvalidSignature
from layanan.payments.simulator import BillExpired

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


def citizen_or_staff_required(view: View) -> View:
    """A signed-in citizen, or staff who passed the second factor (as ``staff_required``)."""
    citizen_view = citizen_required(view)
    staff_view = staff_required(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_staff_user(request.user):
            return staff_view(request, *args, **kwargs)
        return citizen_view(request, *args, **kwargs)

    return wrapper


def case_url(application: Application, user: Any) -> str:
    """Where a person goes back to: the citizen's case page, or the staff case page."""
    if application.applicant_id is not None and application.applicant_id == getattr(user, "pk", None):
        return application.get_absolute_url()
    return application.get_staff_url()


def _own_application(request: AuthenticatedHttpRequest, reference: str) -> Application:
    application = get_application_for_user(request.user, reference)
    if application.applicant_id != request.user.pk:
        raise Http404
    return application


def _pay_context(application: Application) -> dict[str, Any]:
    bill = billing.current_bill(application)
    if bill is None:
        raise Http404
    components = application.standard.components()
    payable = billing.is_payable(bill)
    return {
        "application": application,
        "bill": bill,
        "code_groups": billing.grouped_code(bill.billing_code),
        "fee": components.fee if components is not None else None,
        "payable": payable,
        "paid": bill.status == Bill.Status.PAID,
        "expired": not payable and bill.status != Bill.Status.PAID,
        "can_renew": application.state == billing.AWAITING_PAYMENT,
        "simulator": billing.uses_simulator() and payable,
        "case_url": application.get_absolute_url(),
        "receipt_url": reverse("applications:receipt", kwargs={"reference": application.reference}),
    }


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
def pay(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """How to pay the fee: amount with its legal basis, billing code, expiry; a new code when the
    old one expired (POST)."""
    application = _own_application(request, reference)
    if request.method == "POST":
        previous = billing.current_bill(application)
        try:
            bill = billing.open_bill(application, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if previous is None or bill.pk != previous.pk:
                messages.success(request, _("Here is your new billing code."))
        return redirect("applications:pay", reference=application.reference)
    return render(request, "applications/payments/pay.html", _pay_context(application))


@never_cache
@require_http_methods(["GET", "POST"])
def simulator(request: HttpRequest, billing_code: str) -> HttpResponse:
    """Development only: a page that plays the bank. "Pay" sends the signed callback the bank
    would send through the real callback code path, then goes back to the case."""
    provider = billing.simulator_provider()
    if provider is None:
        raise Http404
    bill = Bill.objects.select_related("application__service").filter(billing_code=billing_code).first()
    if bill is None:
        raise Http404
    application = bill.application
    if request.method == "POST":
        if bill.status == Bill.Status.PAID:
            messages.error(request, _("The bank refuses: this bill is already paid."))
            return redirect("applications:simulator", billing_code=bill.billing_code)
        try:
            body, headers = provider.simulate_payment(billing.provider_bill(bill), paid_at=timezone.now())
        except BillExpired:
            messages.error(request, _("The bank refuses: this billing code has expired."))
            return redirect("applications:simulator", billing_code=bill.billing_code)
        record = billing.record_payment_notice(body, headers)
        if record.outcome == PaymentNoticeRecord.Outcome.APPLIED:
            messages.success(request, _("Payment received. Thank you."))
        else:
            messages.error(
                request, _("The payment was received but does not match the bill; it was sent for review.")
            )
        if request.user.is_authenticated and application.applicant_id == request.user.pk:
            return redirect(application.get_absolute_url())
        return redirect("applications:simulator", billing_code=bill.billing_code)
    return render(
        request,
        "applications/payments/simulator.html",
        {
            "bill": bill,
            "application": application,
            "code_groups": billing.grouped_code(bill.billing_code),
            "payable": billing.is_payable(bill),
        },
    )


@csrf_exempt
@require_POST
def payment_callback(request: HttpRequest) -> HttpResponse:
    """The provider's signed payment notice (JSON). 403 on a bad signature, 400 on a malformed
    body, 413 when too large; 200 once stored (also for a replay, so the provider stops)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > billing.MAX_CALLBACK_BYTES:
        return JsonResponse({"error": "too_large"}, status=413)
    body = request.body
    if len(body) > billing.MAX_CALLBACK_BYTES:
        return JsonResponse({"error": "too_large"}, status=413)
    try:
        record = billing.record_payment_notice(body, request.headers)
    except InvalidSignature:
        logger.warning("payment callback refused: bad signature")
        return JsonResponse({"error": "invalid_signature"}, status=403)
    except InvalidCallback:
        logger.warning("payment callback refused: malformed body")
        return JsonResponse({"error": "invalid_callback"}, status=400)
    return JsonResponse({"status": "ok", "outcome": record.outcome})


@citizen_or_staff_required
@never_cache
def receipt(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The payment receipt (print-friendly): the applicant and the staff of the unit."""
    application = get_application_for_user(request.user, reference)
    bill = application.bills.filter(status=Bill.Status.PAID).first()
    if bill is None:
        raise Http404
    try:
        paid = billing.receipt_for(bill)
    except ValidationError as error:  # a paid bill always has a receipt; never a 500 anyway
        raise Http404 from error
    return render(
        request,
        "applications/payments/receipt.html",
        {"application": application, "receipt": paid, "case_url": case_url(application, request.user)},
    )
