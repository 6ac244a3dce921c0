"""A report an officer records from a telephone call or a visit (``/petugas/pengaduan/catat/``):
complaint coordinators, the inspectorate and front-office officers. The report goes through
``actions.submit_complaint`` (channel ``phone`` or ``walk_in``), like every other channel.

The receipt page shows the reference and the tracking code once, for the officer to read out or
hand over; both travel in the session, never in a URL. The form's hidden one-time token makes a
double click or a retry one report (``idempotency_scope="officer:<user id>"``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import staff_role_required
from layanan.accounts.roles import Role
from layanan.complaints import permissions
from layanan.complaints.actions import submit_complaint
from layanan.complaints.forms import new_idempotency_key
from layanan.complaints.forms_staff_intake import OfficerReportForm
from layanan.complaints.models import Complaint, ComplaintCategory, ComplaintKind

OFFICER_ROLES = (Role.COMPLAINT_COORDINATOR, Role.INSPECTORATE, Role.FRONT_OFFICE)
# {token: reference} of the reports this session recorded (a retry of a sent form shows its receipt).
SENT_SESSION_KEY = "complaints_officer_sent"
# {"reference": ..., "secret": ...}: the receipt to show; the secret is dropped once shown.
RECEIPT_SESSION_KEY = "complaints_officer_receipt"
REMEMBERED = 10


def _crumbs() -> list[dict[str, str]]:
    return [
        {"label": _("Staff workspace"), "href": reverse("accounts:staff-dashboard")},
        {"label": _("Complaints"), "href": reverse("complaints:staff-queue")},
    ]


def _form(request: AuthenticatedHttpRequest, data: Any = None) -> OfficerReportForm:
    regencies = [
        regency
        for role, _agency, _unit, regency in permissions.memberships_of(request.user)
        if role in OFFICER_ROLES
    ]
    categories = list(ComplaintCategory.objects.filter(is_active=True).order_by("sort_order", "name"))
    initial = (
        None
        if data is not None
        else {"idempotency_key": new_idempotency_key(), "kind": ComplaintKind.COMPLAINT}
    )
    return OfficerReportForm(
        data,
        regency_codes=regencies,
        categories=categories,
        language=translation.get_language(),
        initial=initial,
    )


def _render(request: AuthenticatedHttpRequest, form: OfficerReportForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "crumbs": _crumbs(), "has_regions": bool(form.fields["region"].choices[1:])}  # type: ignore[attr-defined]
    return render(request, "complaints/staff/intake_form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@staff_role_required(*OFFICER_ROLES)
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, _form(request))
    posted_key = str(request.POST.get("idempotency_key", ""))
    sent = (request.session.get(SENT_SESSION_KEY) or {}).get(posted_key) if posted_key else None
    if sent:
        # Sent already (a double click, the back button): the same report's receipt.
        _show_receipt(request, sent, None)
        return redirect("complaints:staff-new-receipt")
    form = _form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submission = submit_complaint(
                kind=str(data["kind"]),
                category=data["category"],
                title=data["title"],
                body=data["body"],
                region=form.chosen_region(),
                actor=request.user,
                channel=str(data["channel"]),
                incident_date=data.get("incident_date"),
                location_text=data.get("location_text") or "",
                attributes=form.attributes(),
                is_anonymous=bool(data.get("is_anonymous")),
                is_confidential=bool(data.get("is_confidential")),
                reporter_details=form.reporter_details(),
                idempotency_scope=f"officer:{request.user.pk}",
                idempotency_key=str(data["idempotency_key"]),
                language=translation.get_language(),
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            form.show_action_errors(errors)
        else:
            reference = submission.complaint.reference
            sent_map = dict(request.session.get(SENT_SESSION_KEY) or {})
            sent_map[posted_key] = reference
            request.session[SENT_SESSION_KEY] = dict(list(sent_map.items())[-REMEMBERED:])
            _show_receipt(request, reference, submission.secret)
            return redirect("complaints:staff-new-receipt")
    return _render(request, form, status=400)


def _show_receipt(request: AuthenticatedHttpRequest, reference: str, secret: str | None) -> None:
    earlier = request.session.get(RECEIPT_SESSION_KEY) or {}
    if secret is None and earlier.get("reference") == reference:
        return  # the code of the first try is still to be shown
    request.session[RECEIPT_SESSION_KEY] = {"reference": reference, "secret": secret}


@never_cache
@require_GET
@staff_role_required(*OFFICER_ROLES)
def receipt(request: AuthenticatedHttpRequest) -> HttpResponse:
    stored = dict(request.session.get(RECEIPT_SESSION_KEY) or {})
    reference = str(stored.get("reference") or "")
    report = Complaint.objects.select_related("category", "region").filter(reference=reference).first()
    if report is None or report.submitted_by_id != request.user.pk:
        raise Http404
    secret = stored.get("secret")
    if secret:
        request.session[RECEIPT_SESSION_KEY] = {"reference": reference, "secret": None}
    context = {
        "complaint": report,
        "secret": secret,
        "protected": report.kind == ComplaintKind.WHISTLEBLOWING,
        "case_url": reverse("complaints:staff-case", kwargs={"complaint": reference})
        if permissions.can_handle(request.user, report)
        else "",
        "crumbs": _crumbs(),
    }
    return render(request, "complaints/staff/intake_receipt.html", context)
