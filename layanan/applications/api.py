"""Applications API (django-ninja), mounted at /api/v1/ by layanan/api.py.

* ``POST /api/v1/applications``: a citizen applies for a service, for themselves. The
  ``Idempotency-Key`` header is required: the first request creates the application (201, with the
  tracking secret, shown this once), a retry with the same key and body answers 200 with the same
  application (no secret), the same key with another body 422 ``idempotency_key_reused``. Two
  identical requests at the same time create one application: the loser's insert hits the unique
  constraint ``applications_idempotency_unique`` and the request is answered from the winner's row.
* ``GET /api/v1/applications/{reference}``: the applicant and the staff of the application's unit
  (others: 404). State, dates, the public timeline and the steps the caller may take now; never
  the answers (personal data).
* ``POST /api/v1/applications/{reference}/transitions``: take a workflow step
  (``actions.transition_application``): 403 when the caller may not, 409 when the application has
  moved on (``wrong_state``), 422 for other refusals.

Authentication: ``Authorization: Bearer <API token>`` or the browser session (with CSRF; staff
after their second factor), see ``layanan.accounts.api_auth``.

Errors all have one shape, ``ErrorOut``: ``{"code", "message", "fields"?}``. The messages are in the
caller's language: ``?lang=id|en``, else the ``layanan_language`` cookie, else Indonesian. The
errors django-ninja produces itself (401, a malformed body, the CSRF 403) are rewritten into that
shape by ``layanan.core.api_errors.uniform_errors``, a decorator on this router only (the catalog
keeps its own shapes).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_lazy
from ninja import P, PathEx, Router, Schema, Status
from pydantic import Field

from layanan.accounts.api_auth import BearerToken, SessionAuth
from layanan.accounts.models import User
from layanan.applications.actions import (
    ServiceNotOpen,
    available_transitions,
    submit_application,
    transition_application,
)
from layanan.applications.models import Application, ApplicationEvent
from layanan.applications.permissions import get_application_for_user
from layanan.catalog.queries import public_service_detail
from layanan.core.api_errors import api_error, framework_errors, uniform_errors
from layanan.core.references import parse_reference
from layanan.workflow.models import NO_DUE_DATE, TimelineEvent

router = Router(tags=["applications"])

AUTH = [BearerToken(), SessionAuth()]
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 80  # Application.idempotency_key
_IDEMPOTENCY_KEY_RE = re.compile(r"^[\x21-\x7e]{1,80}$")  # visible ASCII, no spaces
NOTE_MAX_LENGTH = 4000
REFERENCE_HELP = "The application's reference number, e.g. `AKL-2026-000123-8` (any case, dashes optional)."


# --- Schemas --------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error of the applications API."""

    code: str = Field(description="Stable machine-readable code, e.g. `idempotency_key_reused`.")
    message: str = Field(description="What went wrong, for people, in the caller's language.")
    fields: dict[str, list[str]] | None = Field(
        None,
        exclude_if=lambda value: value is None,
        description=(
            "Messages per request field, when the error is about fields: `service`, `transition`, "
            "`note`, or `answers.<field key>` for a form answer. Absent otherwise."
        ),
    )


class ApplicationIn(Schema):
    service: str = Field(
        description="Slug of a published service that takes applications online.", max_length=100
    )
    answers: dict[str, Any] = Field(
        description=(
            "The form answers, `{field key: value}`: strings; an address is "
            '`{"region": "<village code>", "street": "..."}`; a document is the id of one of your '
            'vault documents; the declaration is `"ya"`. A yes/no answer is `"ya"` or `"tidak"`.'
        )
    )


class TimelineEntryOut(Schema):
    state: str = Field(description="The state the application entered.")
    label: str = Field(description="The state's name, in the caller's language.")
    at: datetime.datetime


class TransitionOut(Schema):
    key: str = Field(description="Send this as `transition` to take the step.")
    label: str
    requires_note: bool = Field(description="The step needs a `note` (the applicant is told why).")


class ApplicationOut(Schema):
    """An application as the API shows it: no answers, no personal data."""

    reference: str = Field(description="The public reference number, e.g. `AKL-2026-000123-8`.")
    service: str = Field(description="Slug of the service.")
    service_name: str
    channel: Application.Channel
    state: str = Field(description="Key of the workflow state, e.g. `completeness_check`.")
    state_label: str = Field(description="The state's name, in the caller's language.")
    is_open: bool = Field(description="False once the application reached a final state.")
    submitted_at: datetime.datetime
    due_date: datetime.date | None = Field(description="The earliest live deadline, if any.")
    step_due_date: datetime.date | None = Field(description="Deadline of the current step, if any.")
    overall_due_date: datetime.date | None = Field(
        description="Deadline of the whole service under its standard (working days), if any."
    )
    timeline: list[TimelineEntryOut] = Field(description="The state changes, oldest first.")
    transitions: list[TransitionOut] = Field(description="The steps the caller may take now.")


class ApplicationCreatedOut(ApplicationOut):
    tracking_secret: str = Field(
        description=(
            "With the reference, lets anyone follow the application on the tracking page. Returned "
            "only in this response: store it or give it to the applicant now."
        )
    )


class TransitionIn(Schema):
    transition: str = Field(description="Key of the step, from `transitions`.", max_length=40)
    note: str = Field(
        "",
        description="Shown to the applicant; required by some steps (`requires_note`).",
        max_length=NOTE_MAX_LENGTH,
    )


# --- Errors and language --------------------------------------------------------------------------

_UNAUTHENTICATED = gettext_lazy(
    "Authentication required: send an API token (Authorization: Bearer ...) or sign in."
)
# "view": wraps auth, parsing and the view.
router.add_decorator(uniform_errors(framework_errors(unauthenticated=_UNAUTHENTICATED)), mode="view")


# --- Helpers --------------------------------------------------------------------------------------


def _caller(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _date(value: datetime.date | None) -> datetime.date | None:
    return None if value is None or value == NO_DUE_DATE else value


def _application(user: User, application: Application) -> dict[str, Any]:
    """The response body of an application (labels translated now, in the caller's language)."""
    definition = application.definition()
    events = ApplicationEvent.objects.filter(
        case=application, kind=TimelineEvent.Kind.TRANSITION, is_public=True
    ).order_by("at", "id")
    timeline = [
        {
            "state": state,
            "label": str(definition.state(state).display_label) if definition.has_state(state) else state,
            "at": at,
        }
        for state, at in events.values_list("to_state", "at")
    ]
    return {
        "reference": application.reference,
        "service": application.service.slug,
        "service_name": application.service.name,
        "channel": application.channel,
        "state": application.state,
        "state_label": str(application.state_label()),
        "is_open": application.is_open,
        "submitted_at": application.submitted_at,
        "due_date": _date(application.due_date),
        "step_due_date": _date(application.step_due_date),
        "overall_due_date": _date(application.overall_due_date),
        "timeline": timeline,
        "transitions": [
            {"key": t.key, "label": str(t.display_label), "requires_note": t.requires_note}
            for t in available_transitions(user, application)
        ],
    }


def _visible_application(user: User, reference: str) -> Application:
    parsed = parse_reference(reference)
    if parsed is None:
        raise Http404
    return get_application_for_user(user, str(parsed))


def _not_found() -> Status[Any]:
    return api_error(404, "not_found", gettext("No application with this reference is visible to you."))


# --- Endpoints ------------------------------------------------------------------------------------

_LANG_PARAMETER = {
    "in": "query",
    "name": "lang",
    "required": False,
    "schema": {"type": "string", "enum": [code for code, _name in settings.LANGUAGES]},
    "description": "Language of labels and messages (default: the `layanan_language` cookie, else `id`).",
}


@router.post(
    "/applications",
    auth=AUTH,
    response={
        200: ApplicationOut,
        201: ApplicationCreatedOut,
        (400, 401, 403, 409, 422): ErrorOut,
    },
    summary="Apply for a service (idempotent)",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": IDEMPOTENCY_HEADER,
                "required": True,
                "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH},
                "description": (
                    "A key you choose per application (e.g. a UUID), 1 to 80 visible ASCII "
                    "characters. Send the same key when you retry: the application is made once."
                ),
            },
            _LANG_PARAMETER,
        ]
    },
)
def create_application(request: HttpRequest, payload: ApplicationIn, response: HttpResponse) -> Status[Any]:
    """A signed-in citizen applies for a service, for themselves.

    **201** the application was made; the body holds the `tracking_secret`, returned this once.
    **200** a retry (same `Idempotency-Key`, same body): the application made the first time.
    **400** `idempotency_key_missing` / `idempotency_key_invalid`. **403** `forbidden` (only
    citizens apply through the API). **422** `unknown_service`, `counter_only`, `inactive`,
    `no_standard` (the service takes no online applications), `invalid_answers` (with `fields`),
    `idempotency_key_reused` (the key was used for another body), `invalid_request`.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None or not key.strip():
        return api_error(
            400,
            "idempotency_key_missing",
            gettext("Send an Idempotency-Key header (e.g. a new UUID) with every application."),
        )
    if not _IDEMPOTENCY_KEY_RE.fullmatch(key):
        return api_error(
            400,
            "idempotency_key_invalid",
            gettext("The Idempotency-Key must be 1 to 80 visible ASCII characters, without spaces."),
        )
    user = _caller(request)
    service = public_service_detail().filter(slug=payload.service).first()
    if service is None:
        message = gettext("No published service has this slug.")
        return api_error(422, "unknown_service", message, {"service": [message]})
    try:
        try:
            submission = _submit(service, user, payload.answers, key)
        except IntegrityError:
            # A request with the same key committed first (applications_idempotency_unique):
            # this one rolled back whole; asked again, the action finds and returns that one.
            submission = _submit(service, user, payload.answers, key)
    except PermissionDenied:
        return api_error(403, "forbidden", gettext("Only citizens apply through the API, for themselves."))
    except ServiceNotOpen as error:
        message = " ".join(error.messages)
        return api_error(422, str(error.code), message, {"service": [message]})
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return api_error(
                422,
                "invalid_answers",
                gettext("Some answers are missing or not valid. See the messages per field."),
                {f"answers.{field}": messages for field, messages in error.message_dict.items()},
            )
        return api_error(422, str(error.code or "invalid"), " ".join(error.messages))
    except IntegrityError:
        return api_error(
            409, "conflict", gettext("Another request changed this at the same time. Try again.")
        )
    application = submission.application
    response["Location"] = f"{request.path.rstrip('/')}/{application.reference}"
    body = _application(user, application)
    if not submission.created or submission.secret is None:
        response["Idempotent-Replayed"] = "true"
        return Status(200, body)
    return Status(201, {**body, "tracking_secret": submission.secret})


def _submit(service: Any, user: User, answers: dict[str, Any], key: str) -> Any:
    return submit_application(
        service=service,
        applicant=user,
        answers=answers,
        actor=user,
        channel=Application.Channel.API,
        idempotency_key=key,
    )


@router.get(
    "/applications/{reference}",
    auth=AUTH,
    response={200: ApplicationOut, (401, 404): ErrorOut},
    summary="One application: state, deadlines, timeline, possible steps",
    openapi_extra={"parameters": [_LANG_PARAMETER]},
)
def get_application(
    request: HttpRequest, reference: PathEx[str, P(description=REFERENCE_HELP)]
) -> Status[Any]:
    """For the applicant and the staff of the application's unit; **404** `not_found` for everyone
    else (whether or not it exists). Never returns the form answers."""
    user = _caller(request)
    try:
        application = _visible_application(user, reference)
    except Http404:
        return _not_found()
    return Status(200, _application(user, application))


@router.post(
    "/applications/{reference}/transitions",
    auth=AUTH,
    response={200: ApplicationOut, (401, 403, 404, 409, 422): ErrorOut},
    summary="Take a workflow step on an application",
    openapi_extra={"parameters": [_LANG_PARAMETER]},
)
def create_transition(
    request: HttpRequest, reference: PathEx[str, P(description=REFERENCE_HELP)], payload: TransitionIn
) -> Status[Any]:
    """Take the step `transition` (one of the application's `transitions`); answers the application
    as it is afterwards.

    **403** `forbidden` (the caller may see the application but not take this step). **404**
    `not_found`. **409** `wrong_state` (the application has moved on: fetch it again). **422**
    `note_required`, `unknown_transition`, `condition_not_met` (e.g. not paid yet),
    `invalid_request`.
    """
    user = _caller(request)
    try:
        application = _visible_application(user, reference)
    except Http404:
        return _not_found()
    try:
        transition_application(application, payload.transition, actor=user, note=payload.note)
    except PermissionDenied:
        return api_error(403, "forbidden", gettext("You may not take this step on this application."))
    except ValidationError as error:
        code = str(error.code or "invalid")
        message = " ".join(error.messages)
        if code == "wrong_state":
            return api_error(409, code, message)
        field = {"note_required": "note", "unknown_transition": "transition"}.get(code)
        return api_error(422, code, message, {field: [message]} if field else None)
    return Status(200, _application(user, _visible_application(user, application.reference)))
