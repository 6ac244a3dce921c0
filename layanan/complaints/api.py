"""Complaints API (django-ninja), mounted at /api/v1/ by layanan/api.py.

* ``POST /api/v1/complaints``: anyone reports, with or without an account. A visitor without a
  token gets the reference and the tracking secret once (201); with a citizen's token or session
  the report is under their account. ``Idempotency-Key`` is required: a retry with the same key
  and body answers 200 with the same report and no secret, the same key with another body 422
  ``idempotency_key_reused``. A visitor's keys are scoped to their client address, and a visitor's
  retry answers only the reference and the state (``ComplaintReceiptOut``), never the content.
  Limited per client address (``LAYANAN_COMPLAINT_API_SUBMISSIONS_PER_HOUR``, default 30): 429.
* ``GET /api/v1/complaints/{reference}``: the reporter (their token or session), anyone presenting
  the tracking secret in the ``X-Tracking-Secret`` header (never in the URL: it would be logged),
  and the staff who handle the report (``permissions.can_handle``); 404 for everyone else. Wrong
  secrets are counted per client address: 429 after too many.
* ``POST /api/v1/complaints/{reference}/transitions/{key}``: a workflow step by staff or by the
  reporter. ``dispose``, ``answer``, ``rate``, ``mark_not_authority`` and ``forward_to_lapor`` run
  their own actions; every other key runs ``actions.transition_complaint``.
* ``POST /api/v1/lapor/reports``: a report received from SP4N-LAPOR!, signed with
  ``X-Layanan-Signature: sha256=<HMAC-SHA256 of the body>``; idempotent by LAPOR!'s tracking id
  (``layanan.complaints.lapor.receive_report``).

Responses never hold the reporter's identity for an anonymous report, and hold it (masked) for
staff only when ``permissions.can_see_reporter`` allows. Errors have one shape, ``ErrorOut``
``{"code", "message", "fields"?}``, in the caller's language (``?lang=``, else the language cookie,
else Indonesian), as in ``layanan.applications.api``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from ninja import P, PathEx, Router, Schema, Status
from pydantic import Field

from layanan.accounts.api_auth import BearerToken, SessionAuth
from layanan.accounts.models import ServiceUnit, User
from layanan.complaints import actions, lapor
from layanan.complaints.intake import Accepted, accept_complaint, pending_by_reference
from layanan.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintIntake,
    ComplaintKind,
)
from layanan.complaints.permissions import can_see_reporter, roles_for
from layanan.core.api_errors import api_error, framework_errors, uniform_errors
from layanan.core.masking import mask_email, mask_phone, mask_text
from layanan.core.ratelimit import attempts, count_attempt
from layanan.core.references import check_secret, parse_reference
from layanan.payments.provider import InvalidSignature
from layanan.regions.models import Region
from layanan.workflow.models import NO_DUE_DATE, TimelineEvent

router = Router(tags=["complaints"])

IDEMPOTENCY_HEADER = "Idempotency-Key"
SECRET_HEADER = "X-Tracking-Secret"  # noqa: S105 (a header name)
_IDEMPOTENCY_KEY_RE = re.compile(r"^[\x21-\x7e]{1,80}$")  # visible ASCII, no spaces
SUBMISSION_WINDOW_SECONDS = 3600
DEFAULT_SUBMISSIONS_PER_HOUR = 30
SECRET_WINDOW_SECONDS = 900
SECRET_FAILURES_ALLOWED = 10
RECEIVED = "received"  # the state of an accepted report before the worker has made it
REFERENCE_HELP = "The report's reference, e.g. `ADU-2026-000123-8` (any case, dashes optional)."


class _Visitor(AnonymousUser):
    """The caller without an account (truthy, so django-ninja counts the request as let in)."""


VISITOR = _Visitor()


def visitor(request: HttpRequest) -> _Visitor | None:
    """Let a caller without credentials in as a visitor; a caller whose token was refused is not
    one (401: a typo in a token must not silently file an anonymous report)."""
    if "Authorization" in request.headers:
        return None
    return VISITOR


AUTH: list[Any] = [BearerToken(), SessionAuth(), visitor]


# --- Schemas --------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error of the complaints API."""

    code: str = Field(description="Stable machine-readable code, e.g. `idempotency_key_reused`.")
    message: str = Field(description="What went wrong, for people, in the caller's language.")
    fields: dict[str, list[str]] | None = Field(
        None, exclude_if=lambda value: value is None, description="Messages per request field, if any."
    )


class ReporterIn(Schema):
    name: str = Field("", max_length=120)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20)


class ComplaintIn(Schema):
    kind: str = Field(
        ComplaintKind.COMPLAINT.value,
        description="`pengaduan` (complaint), `aspirasi` (suggestion), `informasi` (information "
        "request) or `pungli` (illegal charges, abuse of power: the inspectorate only).",
    )
    category: str = Field(description="Slug of a complaint category (an Open311 `service_code`).")
    title: str = Field(description="A short title, at most 200 characters.")
    body: str = Field(description="What happened: at least 20, at most 5000 characters.")
    region: str = Field(description="Code of the regency/city, district or village, e.g. `33.74`.")
    incident_date: datetime.date | None = None
    location_text: str = Field("", description="The place in words (street, building).")
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    target_agency: str | None = Field(None, description="Slug of the agency the report is about.")
    target_service: str | None = Field(None, description="Slug of the service the report is about.")
    attributes: dict[str, Any] = Field(
        default_factory=dict, description="Answers to the category's attributes, by attribute code."
    )
    is_anonymous: bool = Field(False, description="*Anonim*: nobody at the agency learns who reported.")
    is_confidential: bool = Field(False, description="*Rahasia*: the content is never public.")
    reporter: ReporterIn | None = Field(
        None, description="A visitor's name and contact for notifications (ignored with an account)."
    )


class TimelineEntryOut(Schema):
    state: str
    label: str
    at: datetime.datetime
    role: str = Field(description="Who took the step: `citizen`, `coordinator`, `system`, ...")
    note: str = Field(description="The note written with the step (an agency's answer, a reason).")


class TransitionOut(Schema):
    key: str = Field(description="POST to `/complaints/{reference}/transitions/{key}` to take it.")
    label: str
    requires_note: bool


class ReporterOut(Schema):
    """Who reported (masked): only for the staff handling a report that is not anonymous."""

    name: str
    email: str
    phone: str


class ComplaintReceiptOut(Schema):
    reference: str
    state: str
    state_label: str
    is_open: bool
    submitted_at: datetime.datetime


class ComplaintOut(ComplaintReceiptOut):
    kind: str
    channel: str
    category: str
    category_name: str
    title: str
    body: str
    incident_date: datetime.date | None
    region: str
    location_text: str
    latitude: float | None
    longitude: float | None
    agency: str | None = Field(description="Slug of the agency the report was disposed to.")
    is_anonymous: bool
    is_confidential: bool
    due_date: datetime.date | None
    lapor_tracking_id: str = Field(description="SP4N-LAPOR!'s tracking id, if forwarded or received.")
    rating: int | None
    timeline: list[TimelineEntryOut]
    transitions: list[TransitionOut] = Field(description="The steps the caller may take now.")
    reporter: ReporterOut | None = Field(None, exclude_if=lambda value: value is None)


class ComplaintAcceptedOut(ComplaintReceiptOut):
    tracking_secret: str = Field(
        description="With the reference, lets anyone follow the report (header `X-Tracking-Secret`)."
        " Returned only in this response."
    )


class StepIn(Schema):
    note: str = Field("", max_length=4000)
    rating: int | None = Field(None, description="`rate`: 1 to 5.")
    comment: str = Field("", max_length=2000, description="`rate`: what is still wrong.")
    agency: str | None = Field(None, description="`dispose`: slug of the agency.")
    unit: str | None = Field(None, description="`dispose`: slug of the agency's unit.")
    resolution_class: str | None = Field(None, description="`dispose`: the resolution class.")


class LaporReceivedOut(Schema):
    reference: str
    lapor_tracking_id: str
    created: bool


# --- Errors and language (layanan.core.api_errors, as layanan.applications.api) ------------------


def _field_message(item: dict[str, Any]) -> str:
    """pydantic's English message for a field, said in the caller's language."""
    kind = str(item.get("type", ""))
    if kind == "missing":
        return gettext("This field is required.")
    if kind.startswith(("string_", "str_")):
        return gettext("Send text here.")
    if kind.startswith(("decimal_", "float_", "int_")):
        return gettext("Send a number here.")
    if kind.startswith("date"):
        return gettext("Send a date as YYYY-MM-DD.")
    if kind.startswith("bool"):
        return gettext("Send true or false.")
    return gettext("This value is not valid.")


_UNAUTHENTICATED = gettext_lazy(
    "This API token is not valid. Send a valid token, or none to report as a visitor."
)
_ERRORS = framework_errors(unauthenticated=_UNAUTHENTICATED, field_message=_field_message)
router.add_decorator(uniform_errors(_ERRORS), mode="view")


def _validation_error(error: ValidationError, *, status: int = 422) -> Status[Any]:
    if hasattr(error, "error_dict"):
        fields = {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        message = gettext("Some fields are missing or not valid. See the messages per field.")
        return api_error(status, "invalid_report", message, fields)
    code = str(error.code or "invalid")
    return api_error(409 if code == "wrong_state" else status, code, " ".join(error.messages))


# --- Helpers --------------------------------------------------------------------------------------


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _too_many(response: HttpResponse, message: Any, retry_after: int) -> Status[Any]:
    response["Retry-After"] = str(retry_after)
    return api_error(429, "too_many_requests", message)


def _caller(request: HttpRequest) -> Any:
    """The signed-in user, or ``None`` for a visitor."""
    user = request.auth  # type: ignore[attr-defined]
    return user if isinstance(user, User) else None


def _submissions_per_hour() -> int:
    return int(getattr(settings, "LAYANAN_COMPLAINT_API_SUBMISSIONS_PER_HOUR", DEFAULT_SUBMISSIONS_PER_HOUR))


_REGIONS: dict[str, tuple[float, Region]] = {}
REGION_CACHE_SECONDS = 300
REGION_CACHE_SIZE = 20_000


def _region(code: str) -> Region | None:
    """The region of ``code``. Regions are reference data (the Kemendagri codes, changed only by
    ``load_regions``), so found ones are kept in the process for a few minutes: one query less
    per submission. Unknown codes are not kept (a loaded region shows up at once)."""
    now = time.monotonic()
    cached = _REGIONS.get(code)
    if cached is not None and cached[0] > now:
        return cached[1]
    region = Region.objects.filter(code=code).first()
    if region is not None:
        if len(_REGIONS) >= REGION_CACHE_SIZE:
            _REGIONS.clear()
        _REGIONS[code] = (now + REGION_CACHE_SECONDS, region)
    return region


_CATEGORIES: dict[str, Any] = {"until": 0.0, "by_slug": {}}
CATEGORY_CACHE_SECONDS = 30


def _category(slug: str) -> ComplaintCategory | None:
    """The active category ``slug``. The few categories are read once per process every
    ``CATEGORY_CACHE_SECONDS`` (one query less per submission): a category an administrator
    turns off is still accepted here for at most that long, and the worker that makes the
    complaint checks it again (``intake.process_intake``)."""
    now = time.monotonic()
    if _CATEGORIES["until"] <= now:
        _CATEGORIES["by_slug"] = {c.slug: c for c in ComplaintCategory.objects.filter(is_active=True)}
        _CATEGORIES["until"] = now + CATEGORY_CACHE_SECONDS
    category: ComplaintCategory | None = _CATEGORIES["by_slug"].get(slug)
    return category


def _lookups(payload: ComplaintIn) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The objects the request names by slug or code, and a message per name that is unknown."""
    found: dict[str, Any] = {
        "category": _category(payload.category),
        "region": _region(payload.region.strip()),
    }
    errors: dict[str, list[str]] = {}
    if found["category"] is None:
        errors["category"] = [gettext("No active category has this slug.")]
    if found["region"] is None:
        errors["region"] = [gettext("No region has this code.")]
    return found, errors


def _date(value: datetime.date | None) -> datetime.date | None:
    return None if value is None or value == NO_DUE_DATE else value


def _reporter(user: Any, complaint: Complaint) -> dict[str, str] | None:
    if complaint.is_anonymous or user is None or not can_see_reporter(user, complaint):
        return None
    details = complaint.reporter_details()
    return {
        "name": mask_text(str(details.get("name", ""))),
        "email": mask_email(str(details.get("email", ""))) if details.get("email") else "",
        "phone": mask_phone(str(details.get("phone", ""))),
    }


def _timeline(complaint: Complaint) -> list[dict[str, Any]]:
    definition = complaint.definition()
    events = ComplaintEvent.objects.filter(
        case=complaint, kind=TimelineEvent.Kind.TRANSITION, is_public=True
    ).order_by("at", "id")
    return [
        {
            "state": state,
            "label": str(definition.state(state).display_label) if definition.has_state(state) else state,
            "at": at,
            "role": role,
            "note": note,
        }
        for state, at, role, note in events.values_list("to_state", "at", "actor_role", "note")
    ]


def _receipt(complaint: Complaint) -> dict[str, Any]:
    return {
        "reference": complaint.reference,
        "state": complaint.state,
        "state_label": str(complaint.state_label()),
        "is_open": complaint.is_open,
        "submitted_at": complaint.submitted_at,
    }


def _complaint(user: Any, complaint: Complaint, secret: str | None) -> dict[str, Any]:
    """The response body of a report for ``user`` (None: a visitor holding ``secret``)."""
    steps = actions.available_transitions(user, complaint, tracking_secret=secret)
    return {
        **_receipt(complaint),
        "kind": complaint.kind,
        "channel": complaint.channel,
        "category": complaint.category.slug,
        "category_name": complaint.category.display_name(translation.get_language()),
        "title": complaint.title,
        "body": complaint.body,
        "incident_date": complaint.incident_date,
        "region": complaint.region_id,
        "location_text": complaint.location_text,
        "latitude": float(complaint.latitude) if complaint.latitude is not None else None,
        "longitude": float(complaint.longitude) if complaint.longitude is not None else None,
        "agency": complaint.agency.slug if complaint.agency is not None else None,
        "is_anonymous": complaint.is_anonymous,
        "is_confidential": complaint.is_confidential,
        "due_date": _date(complaint.due_date),
        "lapor_tracking_id": complaint.lapor_tracking_id,
        "rating": complaint.rating,
        "timeline": _timeline(complaint),
        "transitions": [
            {"key": t.key, "label": str(t.display_label), "requires_note": t.requires_note} for t in steps
        ],
        "reporter": _reporter(user, complaint),
    }


def _visible(
    request: HttpRequest, response: HttpResponse, reference: str
) -> tuple[Complaint | None, Status[Any] | None]:
    """The report if the caller may see it; else the response to give: an accepted report not
    made yet ("received", for its reporter), 404, or 429 after too many wrong secrets."""
    user = _caller(request)
    secret = request.headers.get(SECRET_HEADER) or None
    failures_key = f"complaints.api.secret|{_client_address(request)}"
    if secret is not None and attempts(failures_key) >= SECRET_FAILURES_ALLOWED:
        return None, _too_many(
            response,
            gettext("Too many wrong tracking secrets from your address. Try again later."),
            SECRET_WINDOW_SECONDS,
        )
    parsed = parse_reference(reference)
    complaint = None
    if parsed is not None:
        complaint = (
            Complaint.objects.select_related("workflow", "category", "agency")
            .filter(reference=str(parsed))
            .first()
        )
    if complaint is None and parsed is not None:
        pending = _pending(user, str(parsed), secret)
        if pending is not None:
            return None, Status(200, pending)
    if complaint is None or not roles_for(user, complaint, tracking_secret=secret):
        if secret is not None:
            count_attempt(failures_key, window_seconds=SECRET_WINDOW_SECONDS)
        message = gettext("No report with this reference is visible to you.")
        return None, api_error(404, "not_found", message)
    return complaint, None


def _pending(user: Any, reference: str, secret: str | None) -> dict[str, Any] | None:
    """The receipt of a report accepted but not processed yet, for its reporter only."""
    intake = pending_by_reference(reference)
    if intake is None:
        return None
    if secret is not None and check_secret(secret, intake.tracking_secret_digest):
        return _intake_receipt(intake)
    if user is not None:
        try:
            reporter = json.loads(intake.payload or "{}").get("reporter")
        except ValueError:
            reporter = None
        if reporter == user.pk:
            return _intake_receipt(intake)
    return None


# --- Endpoints ------------------------------------------------------------------------------------

_LANG_PARAMETER = {
    "in": "query",
    "name": "lang",
    "required": False,
    "schema": {"type": "string", "enum": [code for code, _name in settings.LANGUAGES]},
    "description": "Language of labels and messages (default: the `layanan_language` cookie, else `id`).",
}
# Every route but the LAPOR! one also lets in a caller without credentials (the empty entry).
_SECURITY: list[dict[str, list[str]]] = [{"BearerToken": []}, {"SessionAuth": []}, {}]
_SECRET_PARAMETER = {
    "in": "header",
    "name": SECRET_HEADER,
    "required": False,
    "schema": {"type": "string", "maxLength": 64},
    "description": "The tracking secret given when the report was made (visitors).",
}


@router.post(
    "/complaints",
    auth=AUTH,
    response={
        200: ComplaintReceiptOut,
        202: ComplaintAcceptedOut,
        (400, 401, 403, 409, 422, 429): ErrorOut,
    },
    summary="Report a complaint, suggestion or information request (idempotent)",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": IDEMPOTENCY_HEADER,
                "required": True,
                "schema": {"type": "string", "minLength": 1, "maxLength": 80},
                "description": "A key you choose per report (e.g. a UUID); send it again on retry.",
            },
            _LANG_PARAMETER,
        ],
        "security": _SECURITY,
    },
)
def create_complaint(request: HttpRequest, payload: ComplaintIn, response: HttpResponse) -> Status[Any]:
    """Anyone may report: a visitor without a token, or a citizen (token or session).

    **202** accepted (`intake.accept_complaint`): the reference and the `tracking_secret`,
    returned this once; the state is `received` until the worker has made the report (then GET
    shows it whole). **200** a retry with the same key and body: the reference and state. **400**
    `idempotency_key_missing` / `idempotency_key_invalid`. **401** a token that is not valid.
    **403** staff accounts enter reports on the staff pages. **422** `invalid_request`,
    `invalid_report` (with `fields`), `idempotency_key_reused`. **429** `too_many_requests`.
    """
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if not key:
        message = gettext("Send an Idempotency-Key header (e.g. a new UUID) with every report.")
        return api_error(400, "idempotency_key_missing", message)
    if not _IDEMPOTENCY_KEY_RE.fullmatch(key):
        message = gettext("The Idempotency-Key must be 1 to 80 visible ASCII characters, without spaces.")
        return api_error(400, "idempotency_key_invalid", message)
    address = _client_address(request)
    if count_attempt(f"complaints.api.submit|{address}", window_seconds=SUBMISSION_WINDOW_SECONDS) > (
        _submissions_per_hour()
    ):
        message = gettext("Too many reports from your address. Try again in an hour.")
        return _too_many(response, message, SUBMISSION_WINDOW_SECONDS)
    user = _caller(request)
    found, errors = _lookups(payload)
    if errors:
        message = gettext("Some fields are missing or not valid. See the messages per field.")
        return api_error(422, "invalid_report", message, errors)
    # A visitor's keys live in a scope of their own per address: one visitor cannot replay another's.
    scope = "" if user is not None else "api-visitor:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    try:
        try:
            accepted = _accept(payload, found, user, key, scope)
        except IntegrityError:
            # A request with the same key committed first: asked again, the action returns it.
            accepted = _accept(payload, found, user, key, scope)
    except PermissionDenied:
        return api_error(403, "forbidden", gettext("Staff enter reports on the staff pages, not here."))
    except ValidationError as error:
        return _validation_error(error)
    except IntegrityError:
        return api_error(
            409, "conflict", gettext("Another request changed this at the same time. Try again.")
        )
    response["Location"] = f"{request.path.rstrip('/')}/{accepted.reference}"
    if not accepted.created or accepted.secret is None:
        response["Idempotent-Replayed"] = "true"
        return Status(200, _intake_receipt(accepted.intake))
    return Status(202, {**_intake_receipt(accepted.intake), "tracking_secret": accepted.secret})


def _accept(payload: ComplaintIn, found: dict[str, Any], user: Any, key: str, scope: str) -> Accepted:
    reporter = payload.reporter
    return accept_complaint(
        kind=payload.kind,
        category_slug=payload.category,
        category=found["category"],
        title=payload.title,
        body=payload.body,
        region_code=found["region"].code,
        region=found["region"],
        actor=user,
        channel=Complaint.Channel.API,
        incident_date=payload.incident_date,
        location_text=payload.location_text,
        latitude=payload.latitude,
        longitude=payload.longitude,
        target_agency=payload.target_agency or "",
        target_service=payload.target_service or "",
        attributes=payload.attributes,
        is_anonymous=payload.is_anonymous,
        is_confidential=payload.is_confidential,
        reporter_details=reporter.model_dump() if reporter is not None and user is None else None,
        idempotency_scope=scope,
        idempotency_key=key,
        language=translation.get_language(),
    )


def _intake_receipt(intake: ComplaintIntake) -> dict[str, Any]:
    """Reference and state of an accepted report: ``received`` until the worker has made it."""
    if intake.complaint_id is not None:
        complaint = Complaint.objects.select_related("workflow").filter(pk=intake.complaint_id).first()
        if complaint is not None:
            return _receipt(complaint)
    return {
        "reference": intake.reference,
        "state": RECEIVED,
        "state_label": gettext("Received, being processed"),
        "is_open": True,
        "submitted_at": intake.received_at,
    }


@router.get(
    "/complaints/{reference}",
    auth=AUTH,
    response={200: ComplaintOut | ComplaintReceiptOut, (401, 404, 429): ErrorOut},
    summary="One report: state, deadline, timeline with the agency's answers, possible steps",
    openapi_extra={"parameters": [_SECRET_PARAMETER, _LANG_PARAMETER], "security": _SECURITY},
)
def get_complaint(
    request: HttpRequest, reference: PathEx[str, P(description=REFERENCE_HELP)], response: HttpResponse
) -> Status[Any]:
    """The reporter (token or session), anyone with the tracking secret (`X-Tracking-Secret`
    header) and the staff handling the report; **404** `not_found` for everyone else. A report
    accepted but not made yet answers its reporter with the reference and state `received`."""
    complaint, refusal = _visible(request, response, reference)
    if complaint is None:
        assert refusal is not None
        return refusal
    secret = request.headers.get(SECRET_HEADER) or None
    return Status(200, _complaint(_caller(request), complaint, secret))


@router.post(
    "/complaints/{reference}/transitions/{key}",
    auth=AUTH,
    response={200: ComplaintOut, (401, 403, 404, 409, 422, 429): ErrorOut},
    summary="Take a workflow step on a report (staff, or the reporter)",
    openapi_extra={"parameters": [_SECRET_PARAMETER, _LANG_PARAMETER], "security": _SECURITY},
)
def create_transition(
    request: HttpRequest,
    reference: PathEx[str, P(description=REFERENCE_HELP)],
    key: PathEx[str, P(description="Key of the step, from `transitions`.", max_length=40)],
    payload: StepIn,
    response: HttpResponse,
) -> Status[Any]:
    """Take step `key` (one of the report's `transitions`, or `forward_to_lapor`); answers the
    report as it is afterwards. **403** `forbidden`. **404** `not_found`. **409** `wrong_state`.
    **422** `note_required`, `unknown_transition`, `invalid_report` (with `fields`), ..."""
    complaint, refusal = _visible(request, response, reference)
    if complaint is None:
        assert refusal is not None
        if refusal.status_code == 200:  # accepted, not made yet
            message = gettext("This report is still being processed. Try again in a moment.")
            return api_error(409, "not_processed_yet", message)
        return refusal
    user = _caller(request)
    secret = request.headers.get(SECRET_HEADER) or None
    try:
        _take_step(complaint, key, payload, user, secret)
    except PermissionDenied:
        return api_error(403, "forbidden", gettext("You may not take this step on this report."))
    except ValidationError as error:
        return _validation_error(error)
    fresh = Complaint.objects.select_related("workflow", "category", "agency").get(pk=complaint.pk)
    return Status(200, _complaint(user, fresh, secret))


def _take_step(complaint: Complaint, key: str, step: StepIn, user: Any, secret: str | None) -> None:
    if key == "dispose":
        unit = (
            ServiceUnit.objects.select_related("agency")
            .filter(agency__slug=step.agency or "", slug=step.unit or "")
            .first()
        )
        if unit is None:
            message = gettext("Choose the agency and the unit to dispose the report to.")
            raise ValidationError({"unit": [message]}, code="invalid")
        actions.dispose_complaint(
            complaint, unit=unit, actor=user, note=step.note, resolution_class=step.resolution_class
        )
    elif key == "answer":
        actions.answer_complaint(complaint, actor=user, note=step.note)
    elif key == "rate":
        actions.rate_complaint(
            complaint, rating=step.rating or 0, comment=step.comment, actor=user, tracking_secret=secret
        )
    elif key == "mark_not_authority":
        actions.mark_not_authority(complaint, actor=user, note=step.note)
    elif key == "forward_to_lapor":
        actions.forward_to_lapor(complaint, actor=user, note=step.note)
    else:
        actions.transition_complaint(complaint, key, actor=user, note=step.note, tracking_secret=secret)


# --- SP4N-LAPOR! inbound --------------------------------------------------------------------------


@router.post(
    "/lapor/reports",
    auth=None,
    response={200: LaporReceivedOut, 201: LaporReceivedOut, (400, 403, 409, 413, 422): ErrorOut},
    summary="A report received from SP4N-LAPOR! (signed; idempotent by its tracking id)",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": lapor.SIGNATURE_HEADER,
                "required": True,
                "schema": {"type": "string"},
                "description": "`sha256=<hex HMAC-SHA256 of the raw body>` under the shared secret.",
            }
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": lapor.INBOUND_SCHEMA}},
        },
    },
)
def receive_lapor_report(request: HttpRequest) -> Status[Any]:
    """**201** a new report; **200** the same tracking id again (nothing changes). **403**
    `invalid_signature`. **400** `invalid_json`. **413** `too_large`. **409**
    `idempotency_key_reused` (the tracking id came before with other content). **422**
    `invalid_report` (with `fields`)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > lapor.MAX_REPORT_BYTES or len(request.body) > lapor.MAX_REPORT_BYTES:
        return api_error(413, "too_large", gettext("The report is larger than the API accepts."))
    try:
        submission = lapor.receive_report(request.body, request.headers)
    except InvalidSignature:
        message = gettext("The signature does not match the body under the shared secret.")
        return api_error(403, "invalid_signature", message)
    except lapor.MalformedReport:
        return api_error(400, "invalid_json", gettext("The request body is not a JSON object."))
    except ValidationError as error:
        if getattr(error, "code", None) == "idempotency_key_reused":
            message = gettext("This SP4N-LAPOR! tracking id was received before with other content.")
            return api_error(409, "idempotency_key_reused", message)
        return _validation_error(error)
    complaint = submission.complaint
    body = {
        "reference": complaint.reference,
        "lapor_tracking_id": complaint.lapor_tracking_id,
        "created": submission.created,
    }
    return Status(201 if submission.created else 200, body)
