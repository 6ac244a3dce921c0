"""Output documents: download (applicant and staff of the unit), public verification (the QR code's
target and a form to check a number or an uploaded PDF), and revocation by the unit head.

The verification page shows only the facts printed on the document (the applicant's name is
printed, the NIK is not) and the verdict: VALID, REVOKED (with date and reason), INVALID or
UNKNOWN.
"""

from __future__ import annotations

import datetime
import re
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import staff_required
from layanan.applications import outputs
from layanan.applications.models import Application, IssuedDocument
from layanan.applications.permissions import can_revoke_output, get_application_for_user
from layanan.applications.views.payments import citizen_or_staff_required
from layanan.core.ratelimit import count_attempt
from layanan.documents.pdf import DOCUMENT_ID_RE

_SEPARATORS = re.compile(r"[\s-]+")
# Facts shown on the verification page, in this order (all of them are printed on the document).
FACT_LABELS: tuple[tuple[str, Any], ...] = (
    ("document_id", gettext_lazy("Document number")),
    ("title", gettext_lazy("Document")),
    ("applicant_name", gettext_lazy("Issued to")),
    ("reference", gettext_lazy("Application reference")),
    ("service", gettext_lazy("Service")),
    ("agency", gettext_lazy("Agency")),
    ("unit", gettext_lazy("Issuing unit")),
    ("decided_on", gettext_lazy("Decided on")),
    ("issued_on", gettext_lazy("Issued on")),
)


def _document(application: Application, document_id: str) -> IssuedDocument:
    document = outputs.document_for_application(application, document_id)
    if document is None:
        raise Http404
    return document


# Download ----------------------------------------------------------------------------------------


@citizen_or_staff_required
@require_GET
def output_download(request: AuthenticatedHttpRequest, reference: str, document_id: str) -> HttpResponse:
    """The signed PDF, to the applicant and to the staff of the application's unit."""
    application = get_application_for_user(request.user, reference)
    document = _document(application, document_id)
    try:
        with document.pdf.open("rb") as handle:
            data = handle.read()
    except OSError as error:
        raise Http404 from error
    # Output PDFs are small (one page of text and a vector QR code): sent in one piece.
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{document.public_id}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Verification ------------------------------------------------------------------------------------


def normalise_document_id(text: str) -> str:
    return _SEPARATORS.sub("", text or "").upper()


class VerifyForm(forms.Form):
    document_id = forms.CharField(
        label=gettext_lazy("Document number"),
        help_text=gettext_lazy("Printed under the QR code, starting with D, for example DK4M2Q7XWZ3N5RT6A."),
        required=False,
        max_length=60,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    pdf = forms.FileField(
        label=gettext_lazy("Or the PDF file"),
        help_text=gettext_lazy("Upload the copy you received to check that not one byte was changed."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_document_id(self) -> str:
        value = normalise_document_id(self.cleaned_data.get("document_id", ""))
        if value and not DOCUMENT_ID_RE.match(value):
            raise ValidationError(
                _("A document number has only letters and digits. Check what you typed."), code="format"
            )
        return value

    def clean_pdf(self) -> Any:
        upload = self.cleaned_data.get("pdf")
        if upload and upload.size > settings.LAYANAN_UPLOAD_MAX_BYTES:
            raise ValidationError(_("The file is too large to be one of our documents."), code="too_large")
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("document_id") and not cleaned.get("pdf"):
            raise ValidationError(_("Enter the document number or choose the PDF file."), code="empty")
        return cleaned


def _fact_value(key: str, value: Any) -> Any:
    if key in {"decided_on", "issued_on"}:
        try:
            return date_format(datetime.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return value
    return value


def _facts(verification: outputs.Verification) -> list[dict[str, Any]]:
    facts = verification.facts
    return [
        {"label": label, "value": _fact_value(key, facts[key])}
        for key, label in FACT_LABELS
        if facts.get(key)
    ]


def _render_result(
    request: HttpRequest, verification: outputs.Verification, *, document_id: str, uploaded: bool
) -> HttpResponse:
    status = 404 if verification.status == outputs.Status.UNKNOWN else 200
    return render(
        request,
        "applications/verification/result.html",
        {
            "verification": verification,
            "status": verification.status.value,
            "document": verification.document,
            "facts": _facts(verification),
            "document_id": document_id,
            "uploaded": uploaded,
        },
        status=status,
    )


# Checking an uploaded PDF reads and hashes it: at most this many per client address and window.
UPLOAD_CHECKS_PER_WINDOW = 30
UPLOAD_WINDOW_SECONDS = 600


def _count_upload(request: HttpRequest) -> int:
    address = str(request.META.get("REMOTE_ADDR", ""))
    window = int(time.time()) // UPLOAD_WINDOW_SECONDS
    return count_attempt(
        f"applications.verify-upload|{address}|{window}", window_seconds=UPLOAD_WINDOW_SECONDS
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify_form(request: HttpRequest) -> HttpResponse:
    """Check a document by its number, or by uploading the PDF (checked byte for byte)."""
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            document_id = form.cleaned_data["document_id"]
            upload = form.cleaned_data.get("pdf")
            if not upload:
                return redirect("applications:verify", document_id=document_id)
            if _count_upload(request) > UPLOAD_CHECKS_PER_WINDOW:
                form.add_error(
                    "pdf",
                    _("You checked many files in a short time. Wait %(minutes)s minutes and try again.")
                    % {"minutes": UPLOAD_WINDOW_SECONDS // 60},
                )
                return render(request, "applications/verification/form.html", {"form": form}, status=429)
            verification = outputs.verify_document(document_id or None, pdf_bytes=upload.read())
            return _render_result(request, verification, document_id=document_id, uploaded=True)
    else:
        form = VerifyForm()
    return render(request, "applications/verification/form.html", {"form": form})


@never_cache
@require_GET
def verify(request: HttpRequest, document_id: str) -> HttpResponse:
    """The QR code's target: the verdict and the printed facts. ``?k=&s=`` (key id and signature,
    when a channel carries them) are checked too."""
    signature = request.GET.get("s")
    key_id = request.GET.get("k")
    verification = outputs.verify_document(
        document_id,
        signature=signature if signature is not None or key_id is not None else None,
        key_id=key_id,
    )
    return _render_result(request, verification, document_id=document_id, uploaded=False)


# Revocation --------------------------------------------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the document revoked?"),
        help_text=gettext_lazy(
            "Shown on the public verification page and to the applicant. Do not write personal data."
        ),
        max_length=outputs.REVOCATION_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def staff_revoke(request: AuthenticatedHttpRequest, reference: str, document_id: str) -> HttpResponse:
    """Revoke an issued document (unit head of the application's unit)."""
    application = get_application_for_user(request.user, reference)
    document = _document(application, document_id)
    if not can_revoke_output(request.user, application):
        raise PermissionDenied
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outputs.revoke_output(document, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason" if error.code != "already_revoked" else None, error)
        else:
            messages.success(request, _("The document was revoked. Its verification page now says so."))
            return redirect(application.get_staff_url())
    return render(
        request,
        "applications/verification/revoke.html",
        {"application": application, "document": document, "form": form},
    )
