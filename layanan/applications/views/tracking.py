"""Public tracking (``/lacak/``): anyone with a reference number and its tracking code sees where
an application stands, without signing in.

* POST only for the look-up, so the code never appears in an address, a log line or the history.
* A mistyped reference is caught by its check digit (``parse_reference``) and reported as a typo
  without touching the database. An unknown reference and a wrong code get the same message, so
  the page does not tell which references exist.
* Tries are counted per client address and reference (``TRACKING_LIMIT`` per
  ``TRACKING_WINDOW_SECONDS``); past that the page answers 429.
* The result shows states and dates, the service, the unit, the time limit and what happens
  next: never the form answers (personal data) or the officers' notes. Two queries
  (``layanan.applications.queries``).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from layanan.applications.models import Application
from layanan.applications.queries import PublicEvent, application_for_tracking, public_timeline
from layanan.core.forms import TrackingFormBase
from layanan.core.ratelimit import count_attempt
from layanan.core.references import check_secret
from layanan.workflow.models import NO_DUE_DATE

TRACKING_LIMIT = 20
TRACKING_WINDOW_SECONDS = 10 * 60
# Checked when the reference is unknown, so both failures take about as long.
_NO_DIGEST = "0" * 64

FORM_TEMPLATE = "applications/public/tracking_form.html"
DETAIL_TEMPLATE = "applications/public/tracking_detail.html"
LIMITED_TEMPLATE = "applications/public/tracking_limited.html"

# What happens next, by state of the default workflow (layanan.workflow.defaults). A state an
# agency added to its own workflow gets the general sentence.
NEXT_STEPS: dict[str, Promise] = {
    "submitted": _("An officer will check that your application and its documents are complete."),
    "completeness_check": _("An officer is checking that your application and its documents are complete."),
    "returned_for_correction": _(
        "Your application needs a correction from you. Sign in to read what to correct and send it "
        "again. The time limit is on hold until you do."
    ),
    "processing": _("Your application is complete. The unit is processing it and will decide."),
    "rejected": _("Your application was rejected. Sign in to read the reasons."),
    "awaiting_payment": _(
        "Pay the fee to continue. Sign in to see the amount and the billing code. The time limit is "
        "on hold until you pay."
    ),
    "output_issued": _("Your document is ready. Sign in to download it, or collect it at the unit."),
    "completed": _("Your application is finished. There is nothing more to do."),
}
APPROVED_WITH_FEE = _(
    "Your application was approved. You will be asked to pay the fee, then the unit issues your document."
)
APPROVED_FREE = _("Your application was approved. The unit is preparing your document.")
NEXT_STEP_OTHER = _("The unit will let you know when your application moves on.")

# Tag colours of the current state (the words carry the meaning, the colour repeats it).
STATE_COLOURS = {
    "returned_for_correction": "yellow",
    "awaiting_payment": "yellow",
    "rejected": "red",
    "approved": "green",
    "output_issued": "green",
    "completed": "green",
}


class TrackingForm(TrackingFormBase):
    reference_help = _("For example PBG-2026-000123-8. Spaces and dashes do not matter.")
    reference_typo = _(
        "This reference number has a typo. Check it against your receipt: it looks like PBG-2026-000123-8."
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, FORM_TEMPLATE, {"form": TrackingForm()})
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return render(request, FORM_TEMPLATE, {"form": form})
    reference = str(form.cleaned_data["reference"])
    if _count_try(request, reference) > TRACKING_LIMIT:
        response = render(
            request,
            LIMITED_TEMPLATE,
            {"minutes": TRACKING_WINDOW_SECONDS // 60, "limit": TRACKING_LIMIT},
            status=429,
        )
        response["Retry-After"] = str(TRACKING_WINDOW_SECONDS)
        return response
    application = application_for_tracking(reference)
    digest = application.tracking_secret_digest if application is not None else _NO_DIGEST
    if not check_secret(form.cleaned_data["code"], digest) or application is None:
        form.add_error(
            None,
            ValidationError(
                _(
                    "We could not find an application with this reference number and tracking code. "
                    "Check both and try again."
                ),
                code="not_found",
            ),
        )
        return render(request, FORM_TEMPLATE, {"form": form})
    return render(request, DETAIL_TEMPLATE, _detail_context(request, application))


def _count_try(request: HttpRequest, reference: str) -> int:
    """Count one try for this client address and reference in the current window; the count."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    window = int(time.time()) // TRACKING_WINDOW_SECONDS
    return count_attempt(
        f"applications.track|{address}|{reference}|{window}", window_seconds=TRACKING_WINDOW_SECONDS
    )


def _detail_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    definition = application.definition()
    state = definition.state(application.state) if definition.has_state(application.state) else None
    events = public_timeline(application)
    is_applicant = bool(
        request.user.is_authenticated
        and application.applicant_id is not None
        and application.applicant_id == request.user.pk
    )
    summary = [
        {"label": _("Reference number"), "value": application.reference},
        {"label": _("Service"), "value": application.service.name},
        {
            "label": _("Service unit"),
            "value": f"{application.unit.name}, {application.unit.agency.name}",
        },
        {
            "label": _("Status"),
            "value": format_html(
                '<strong class="tag{}">{}</strong>',
                f" tag-{STATE_COLOURS[application.state]}" if application.state in STATE_COLOURS else "",
                state.display_label if state is not None else application.state,
            ),
        },
        {"label": _("Submitted on"), "value": _date(application.submitted_at)},
    ]
    time_limit = _time_limit_row(application, state.effective_clock if state is not None else "running")
    if time_limit is not None:
        summary.append(time_limit)
    return {
        "application": application,
        "summary": summary,
        "timeline_headers": [_("Date and time"), _("Step")],
        "timeline_rows": [_timeline_row(event) for event in events],
        "next_step": _next_step(application),
        "case_url": application.get_absolute_url() if is_applicant else None,
    }


def _time_limit_row(application: Application, clock: str) -> dict[str, Any] | None:
    """When it finished, or the date the service standard promises (None: no promised date)."""
    label = _("Expected by")
    if not application.is_open:
        closed = application.closed_at or application.decided_at
        return {"label": _("Finished on"), "value": _date(closed)} if closed else None
    if clock == "paused":
        return {"label": label, "value": _("On hold while the unit waits for you")}
    due = application.overall_due_date
    if due is None or due == NO_DUE_DATE:
        return None
    return {"label": label, "value": date_format(due, "DATE_FORMAT")}


def _timeline_row(event: PublicEvent) -> list[Any]:
    what: Any = event.label
    if event.has_note:
        what = format_html(
            '{} <span class="muted">({})</span>',
            event.label,
            _("the officer left you a message: sign in to read it"),
        )
    return [_datetime(event.at), what]


def _next_step(application: Application) -> Promise:
    if application.state == "approved":
        return APPROVED_WITH_FEE if application.has_fee else APPROVED_FREE
    return NEXT_STEPS.get(application.state, NEXT_STEP_OTHER)


def _date(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def _datetime(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
