"""Following a report (``/pengaduan/lacak/``): the reporter's page and steps.

* ``track``: POST only for the look-up (reference and tracking code), so the code never appears in
  an address, a log line or the history. A mistyped reference is caught by its check digit
  (``parse_reference``) without touching the database; an unknown reference and a wrong code get
  the same message. Tries are counted per client address and reference (``TRACKING_LIMIT`` per
  ``TRACKING_WINDOW_SECONDS``); past that the page answers 429. A right pair is kept in the
  session (server side), and the browser goes to the report page.
* ``tracked``: the report page for its reporter: the signed-in account that reported it
  (anonymous reports too, through the blind index) or a session that proved the tracking code.
  Anyone else gets a 404, so the page does not tell which references exist. It shows the state,
  the deadlines, the public timeline (who acted is shown as a role, never a staff member's name,
  as on the applications' pages), the agency's answers, the attachments, and the steps the
  reporter may take now: send the requested information, reply to the answer, rate it.
* ``attachment``: a file of the report, decrypted and served by ``layanan.core.downloads``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layanan.complaints.actions import (
    add_attachments,
    attachment_context,
    rate_complaint,
    transition_complaint,
)
from layanan.complaints.forms import InformationForm, RatingForm, ReplyForm, TrackingForm
from layanan.complaints.models import Complaint, ComplaintAttachment, ComplaintEvent, ComplaintKind
from layanan.complaints.permissions import holds_secret, is_reporter
from layanan.core.crypto import decrypt_bytes
from layanan.core.downloads import document_response
from layanan.core.ratelimit import count_attempt
from layanan.core.references import check_secret
from layanan.workflow.defaults import CITIZEN, COORDINATOR, INSPECTORATE, SYSTEM
from layanan.workflow.models import NO_DUE_DATE, TimelineEvent

TRACKING_LIMIT = 20
TRACKING_WINDOW_SECONDS = 10 * 60
# {reference: tracking secret} proven in this session (the last few).
TRACKING_SESSION_KEY = "complaints_tracking"
REMEMBERED = 10
# Checked when the reference is unknown, so both failures take about as long.
_NO_DIGEST = "0" * 64

ROLE_NAMES: dict[str, Any] = {
    CITIZEN: gettext_lazy("You"),
    COORDINATOR: gettext_lazy("The complaint coordinator"),
    INSPECTORATE: gettext_lazy("The inspectorate"),
    "back_office": gettext_lazy("The unit handling your report"),
    "unit_head": gettext_lazy("The unit handling your report"),
    "front_office": gettext_lazy("The officer who took your report"),
    SYSTEM: gettext_lazy("The system"),
}
NEXT_STEPS: dict[str, Any] = {
    "submitted": gettext_lazy(
        "The complaint coordinator checks your report and sends it to the agency responsible."
    ),
    "verifying": gettext_lazy(
        "The complaint coordinator checks your report and sends it to the agency responsible."
    ),
    "needs_info": gettext_lazy(
        "The coordinator needs more information from you: answer below. The time limit waits for you."
    ),
    "not_authority": gettext_lazy(
        "The unit said the report is not theirs. The coordinator sends it to the right agency."
    ),
    "disposed": gettext_lazy("The report is with the unit responsible. They will answer you."),
    "in_progress": gettext_lazy("The unit responsible is working on your report."),
    "extended": gettext_lazy("The agency extended the time to answer, as the law allows (7 working days)."),
    "answered": gettext_lazy(
        "The agency answered. Read the answer below, then rate it or reply if something is still wrong."
    ),
    "resolved": gettext_lazy("Your report is resolved. Thank you for reporting."),
    "closed": gettext_lazy("Your report is closed."),
    "archived": gettext_lazy("Your report was archived. The reason is in the history below."),
    "rerouted": gettext_lazy("Your report was forwarded outside this platform. The history says where."),
}


def remember_secret(request: HttpRequest, reference: str, secret: str) -> None:
    """Keep a proven tracking code for ``reference`` in the session (never in a URL)."""
    stored = dict(request.session.get(TRACKING_SESSION_KEY) or {})
    stored.pop(reference, None)
    stored[reference] = secret
    request.session[TRACKING_SESSION_KEY] = dict(list(stored.items())[-REMEMBERED:])


def _session_secret(request: HttpRequest, reference: str) -> str | None:
    secret = (request.session.get(TRACKING_SESSION_KEY) or {}).get(reference)
    return str(secret) if secret else None


@dataclass(frozen=True)
class ReporterAccess:
    complaint: Complaint
    # The tracking code proven in this session (None: the signed-in reporter's own account).
    secret: str | None

    def actor(self, request: HttpRequest) -> Any:
        return request.user if request.user.is_authenticated else None


def get_complaint_for_reporter(request: HttpRequest, reference: str) -> ReporterAccess:
    """The report when the request comes from its reporter (account or proven code), else 404."""
    complaint = (
        Complaint.objects.select_related("category", "agency", "region", "workflow", "target_agency")
        .filter(reference=reference)
        .first()
    )
    if complaint is None:
        raise Http404
    secret = _session_secret(request, reference)
    if secret is not None and holds_secret(complaint, secret):
        return ReporterAccess(complaint, secret)
    if is_reporter(request.user, complaint):
        return ReporterAccess(complaint, None)
    raise Http404


# The look-up -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    template = "complaints/citizen/track.html"
    if request.method != "POST":
        return render(request, template, {"form": TrackingForm()})
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    reference = str(form.cleaned_data["reference"])
    if _count_try(request, reference) > TRACKING_LIMIT:
        response = render(
            request,
            "complaints/citizen/track_limited.html",
            {"minutes": TRACKING_WINDOW_SECONDS // 60},
            status=429,
        )
        response["Retry-After"] = str(TRACKING_WINDOW_SECONDS)
        return response
    complaint = (
        Complaint.objects.filter(reference=reference).only("reference", "tracking_secret_digest").first()
    )
    digest = complaint.tracking_secret_digest if complaint is not None else _NO_DIGEST
    if not check_secret(form.cleaned_data["code"], digest) or complaint is None:
        form.add_error(
            None,
            ValidationError(
                _(
                    "We could not find a report with this reference number and tracking code. "
                    "Check both and try again."
                ),
                code="not_found",
            ),
        )
        return render(request, template, {"form": form}, status=400)
    remember_secret(request, reference, form.cleaned_data["code"])
    return redirect("complaints:tracked", complaint=reference)


def _count_try(request: HttpRequest, reference: str) -> int:
    address = str(request.META.get("REMOTE_ADDR", ""))
    window = int(time.time()) // TRACKING_WINDOW_SECONDS
    return count_attempt(
        f"complaints.track|{address}|{reference}|{window}", window_seconds=TRACKING_WINDOW_SECONDS
    )


# The report page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    what: Any
    who: Any
    note: str
    is_answer: bool


def _timeline(complaint: Complaint) -> list[TimelineRow]:
    """The public entries, oldest first, in one query; who acted is a role, never a name."""
    definition = complaint.definition()
    rows = []
    events = (
        ComplaintEvent.objects.filter(case_id=complaint.pk, is_public=True)
        .order_by("at", "id")
        .values_list("at", "kind", "transition", "to_state", "actor_role", "note", "data")
    )
    for at, kind, transition, to_state, role, note, data in events:
        what: Any
        if kind == TimelineEvent.Kind.TRANSITION and definition.has_state(to_state):
            what = definition.state(to_state).display_label
        elif kind == TimelineEvent.Kind.DOCUMENT:
            count = int((data or {}).get("count", 1)) if isinstance(data, dict) else 1
            what = translation.ngettext("%(count)d file added", "%(count)d files added", count) % {
                "count": count
            }
        elif kind in TimelineEvent.Kind.values:
            what = TimelineEvent.Kind(kind).label
        else:
            what = kind
        who = ROLE_NAMES.get(role or SYSTEM, gettext_lazy("The agency"))
        rows.append(TimelineRow(timezone.localtime(at), what, who, note or "", transition == "answer"))
    return rows


def _due(value: Any) -> Any:
    return value if value is not None and value != NO_DUE_DATE else None


def _case_context(request: HttpRequest, access: ReporterAccess, **forms: Any) -> dict[str, Any]:
    complaint = access.complaint
    timeline = _timeline(complaint)
    answers = [row for row in timeline if row.is_answer and row.note]
    questions = [row for row in timeline if row.note and not row.is_answer and row.who != ROLE_NAMES[CITIZEN]]
    state = (
        complaint.definition().state(complaint.state)
        if complaint.definition().has_state(complaint.state)
        else None
    )
    paused = state is not None and state.effective_clock == "paused"
    attachments = list(
        ComplaintAttachment.objects.filter(complaint=complaint).values_list(
            "public_id", "display_name", "size", "added_by_reporter", "added_at"
        )
    )
    steps = {
        "supply": complaint.state == "needs_info",
        "answered": complaint.state == "answered",
    }
    language = translation.get_language()
    return {
        "complaint": complaint,
        "category": complaint.category.display_name(language),
        "state_label": complaint.state_label(),
        "state_colour": {"needs_info": "yellow", "answered": "green", "resolved": "green"}.get(
            complaint.state, "blue" if complaint.is_open else "grey"
        ),
        "next_step": NEXT_STEPS.get(
            complaint.state, gettext_lazy("The agency will tell you when your report moves on.")
        ),
        "due_date": None if paused or not complaint.is_open else _due(complaint.due_date),
        "overall_due_date": None if not complaint.is_open else _due(complaint.overall_due_date),
        "paused": paused and complaint.is_open,
        "timeline": timeline,
        "answers": answers,
        "question": questions[-1].note if complaint.state == "needs_info" and questions else "",
        "attachments": [
            {"public_id": a[0], "name": a[1], "size": a[2], "by_reporter": a[3], "added_at": a[4]}
            for a in attachments
        ],
        "steps": steps,
        "protected": complaint.kind == ComplaintKind.WHISTLEBLOWING,
        "signed_in_reporter": access.secret is None,
        "information_form": forms.get("information_form") or InformationForm(prefix="info"),
        "reply_form": forms.get("reply_form") or ReplyForm(prefix="reply"),
        "rating_form": forms.get("rating_form") or RatingForm(prefix="rating"),
        "error_form": forms.get("error_form"),
        # base.html marks the page title "Error:" when ``form`` has errors.
        "form": forms.get("error_form"),
    }


@never_cache
@require_GET
def tracked(request: HttpRequest, complaint: str) -> HttpResponse:
    access = get_complaint_for_reporter(request, complaint)
    return render(request, "complaints/citizen/case.html", _case_context(request, access))


def _step_failed(
    request: HttpRequest, access: ReporterAccess, error: ValidationError, **forms: Any
) -> HttpResponse:
    form = next(iter(forms.values()))
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    return render(
        request,
        "complaints/citizen/case.html",
        _case_context(request, access, error_form=form, **forms),
        status=400,
    )


def _invalid(request: HttpRequest, access: ReporterAccess, **forms: Any) -> HttpResponse:
    form = next(iter(forms.values()))
    return render(
        request,
        "complaints/citizen/case.html",
        _case_context(request, access, error_form=form, **forms),
        status=400,
    )


@never_cache
@require_POST
def supply_information(request: HttpRequest, complaint: str) -> HttpResponse:
    access = get_complaint_for_reporter(request, complaint)
    form = InformationForm(request.POST, request.FILES, prefix="info")
    if not form.is_valid():
        return _invalid(request, access, information_form=form)
    try:
        with transaction.atomic():
            uploads = form.cleaned_data["attachments"]
            if uploads:
                add_attachments(
                    access.complaint, uploads, actor=access.actor(request), tracking_secret=access.secret
                )
            transition_complaint(
                access.complaint,
                "supply_info",
                actor=access.actor(request),
                tracking_secret=access.secret,
                note=form.cleaned_data["note"],
            )
    except ValidationError as error:
        return _step_failed(request, access, error, information_form=form)
    except PermissionDenied as error:
        raise Http404 from error
    return _done(request, complaint, _("Thank you. Your information was sent to the coordinator."))


@never_cache
@require_POST
def reply(request: HttpRequest, complaint: str) -> HttpResponse:
    access = get_complaint_for_reporter(request, complaint)
    form = ReplyForm(request.POST, prefix="reply")
    if not form.is_valid():
        return _invalid(request, access, reply_form=form)
    try:
        transition_complaint(
            access.complaint,
            "reply",
            actor=access.actor(request),
            tracking_secret=access.secret,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return _step_failed(request, access, error, reply_form=form)
    except PermissionDenied as error:
        raise Http404 from error
    return _done(request, complaint, _("Your reply was sent. The unit works on your report again."))


@never_cache
@require_POST
def rate(request: HttpRequest, complaint: str) -> HttpResponse:
    access = get_complaint_for_reporter(request, complaint)
    form = RatingForm(request.POST, prefix="rating")
    if not form.is_valid():
        return _invalid(request, access, rating_form=form)
    try:
        case = rate_complaint(
            access.complaint,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
            actor=access.actor(request),
            tracking_secret=access.secret,
        )
    except ValidationError as error:
        return _step_failed(request, access, error, rating_form=form)
    except PermissionDenied as error:
        raise Http404 from error
    message = (
        _("Thank you for your rating. The report is open again: the unit works on what is still wrong.")
        if case.is_open and case.state != "resolved"
        else _("Thank you for your rating.")
    )
    return _done(request, complaint, message)


def _done(request: HttpRequest, reference: str, message: str) -> HttpResponse:
    from django.contrib import messages

    messages.success(request, message)
    return redirect("complaints:tracked", complaint=reference)


@never_cache
@require_GET
def attachment(request: HttpRequest, complaint: str, attachment: Any) -> HttpResponse:
    access = get_complaint_for_reporter(request, complaint)
    found = ComplaintAttachment.objects.filter(complaint=access.complaint, public_id=attachment).first()
    if found is None:
        raise Http404
    with found.file.open("rb") as stored:
        content = decrypt_bytes(stored.read(), context=attachment_context(found))
    return document_response(content, content_type=found.content_type, display_name=found.display_name)
