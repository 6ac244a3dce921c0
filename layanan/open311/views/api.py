"""The Open311 GeoReport v2 endpoints (``/open311/v2/``), in XML and JSON by URL suffix.

Every endpoint answers in the request's language (``Accept-Language``, Indonesian by default) and
turns bad input into the standard error body with the spec's status (403 bad ``api_key``, 404
unknown resource, 400 the rest; 405 a wrong method, 429 too many submissions). ``POST requests``
is an API for machines: exempt from CSRF, authenticated by the client's ``api_key`` only.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from layanan.complaints.actions import policy_for, submit_complaint
from layanan.complaints.models import Complaint, ComplaintKind
from layanan.core.ratelimit import count_attempt
from layanan.open311 import documents, params, queries
from layanan.open311.actions import find_open311_client, record_client_use
from layanan.open311.formats import Format, render, render_errors
from layanan.open311.models import Open311Client
from layanan.open311.params import Open311Error

POSTS_PER_MINUTE = 60
_READ = ("GET", "HEAD")
View = Callable[..., HttpResponse]


def open311_endpoint(*methods: str) -> Callable[[View], View]:
    """Language, the method check and the error format around an Open311 view."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: Format, **kwargs: Any) -> HttpResponse:
            language = translation.get_language_from_request(request)
            with translation.override(language):
                if request.method not in methods:
                    response = render_errors(
                        405, [_("Use %(methods)s here.") % {"methods": ", ".join(methods)}], fmt
                    )
                    response["Allow"] = ", ".join(methods)
                else:
                    try:
                        response = view(request, *args, fmt=fmt, **kwargs)
                    except Open311Error as error:
                        response = render_errors(error.status, error.descriptions, fmt)
            response["Content-Language"] = language
            patch_vary_headers(response, ("Accept-Language",))
            if request.method in _READ:
                # Public read-only data: web clients on other sites may read it.
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return csrf_exempt(wrapper)

    return decorator


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def endpoint_url() -> str:
    return settings.LAYANAN_SITE_URL.rstrip("/") + reverse("open311:index")


@open311_endpoint(*_READ)
def discovery(request: HttpRequest, *, fmt: Format) -> HttpResponse:
    changed = documents.w3c(queries.services_changed_at()) or "1970-01-01T00:00:00+00:00"
    key_service = _(
        "Ask the platform administrators for an API key for your application; each client gets its "
        "own key. See %(docs)s."
    ) % {"docs": endpoint_url()}
    contact = getattr(settings, "LAYANAN_OPEN311_CONTACT", "") or _(
        "The platform administrators of %(site)s"
    ) % {"site": settings.LAYANAN_SITE_URL}
    document = {
        "changeset": changed,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": documents.SPECIFICATION,
                "url": endpoint_url(),
                "changeset": changed,
                "type": "production" if settings.LAYANAN_ENV == "production" else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render("discovery", document, fmt)


@open311_endpoint(*_READ)
def services(request: HttpRequest, *, fmt: Format) -> HttpResponse:
    params.jurisdiction(request.GET)
    language = _language()
    entries = [documents.service_entry(category, language) for category in queries.open311_services()]
    return render("services", entries, fmt)


def _unknown_service(code: str) -> Open311Error:
    return Open311Error(404, _("service_code %(code)s was not found.") % {"code": code[:60]})


@open311_endpoint(*_READ)
def service_definition(request: HttpRequest, category: str, *, fmt: Format) -> HttpResponse:
    params.jurisdiction(request.GET)
    found = queries.get_service(category)
    if found is None:
        raise _unknown_service(category)
    return render("service_definition", documents.service_definition(found), fmt)


@open311_endpoint("GET", "HEAD", "POST")
def service_requests(request: HttpRequest, *, fmt: Format) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, fmt)
    query = params.request_filter(request.GET, now=timezone.now())
    language = _language()
    entries = [documents.request_entry(complaint, language) for complaint in queries.find_requests(query)]
    return render("service_requests", entries, fmt)


@open311_endpoint(*_READ)
def service_request(request: HttpRequest, complaint: str, *, fmt: Format) -> HttpResponse:
    region = params.jurisdiction(request.GET)
    found = queries.get_public_request(complaint, jurisdiction=region.code if region else "")
    if found is None:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": complaint[:40]})
    return render("service_requests", [documents.request_entry(found, _language())], fmt)


@open311_endpoint(*_READ)
def token(request: HttpRequest, token: str, *, fmt: Format) -> HttpResponse:
    """A token is a report's public id; requests here are realtime, so ``POST`` never returns one,
    but a token handed out elsewhere still resolves to its ``service_request_id``."""
    params.jurisdiction(request.GET)
    try:
        public_id = uuid.UUID(token)
    except ValueError:
        public_id = None
    found = (
        Complaint.objects.filter(public_id=public_id).exclude(kind=ComplaintKind.WHISTLEBLOWING).first()
        if public_id
        else None
    )
    if found is None:
        raise Open311Error(404, _("token %(token)s was not found.") % {"token": token[:40]})
    return render("service_requests", [{"service_request_id": found.reference, "token": token}], fmt)


# --- POST requests --------------------------------------------------------------------------


def _client(request: HttpRequest) -> Open311Client:
    key = params.argument(request.POST, "api_key") or params.argument(request.GET, "api_key")
    client = find_open311_client(key) if key else None
    if client is None:
        raise Open311Error(403, _("api_key is missing or not valid."))
    if count_attempt(f"open311-post:{client.pk}", window_seconds=60) > POSTS_PER_MINUTE:
        raise Open311Error(429, _("Too many requests with this api_key. Wait a minute and try again."))
    record_client_use(client)
    return client


def _validation_messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    found = []
    for field, messages in error.message_dict.items():
        name = params.OPEN311_FIELDS.get(field, field)
        found += [f"{name}: {message}" for message in messages]
    return found


def _service_notice(complaint: Complaint) -> str:
    policy = policy_for(complaint.region)
    return _(
        "Verified and handed to the responsible agency within %(verify)d working days; first answer "
        "within %(answer)d working days after that. Follow it with service_request_id %(id)s."
    ) % {
        "verify": policy.verification_working_days,
        "answer": policy.first_answer_working_days,
        "id": complaint.reference,
    }


def _submit(request: HttpRequest, fmt: Format) -> HttpResponse:
    client = _client(request)
    checked = params.submission(request.POST, client)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > params.IDEMPOTENCY_KEY_MAX:
        raise Open311Error(400, _("Idempotency-Key may have at most 80 characters."))
    try:
        result = submit_complaint(
            kind=ComplaintKind.COMPLAINT,
            category=checked.category,
            title=checked.title,
            body=checked.description,
            region=checked.region,
            actor=None,
            channel=Complaint.Channel.OPEN311,
            location_text=checked.address,
            latitude=checked.latitude,
            longitude=checked.longitude,
            attributes=checked.attributes,
            is_anonymous=checked.is_anonymous,
            is_confidential=checked.is_confidential,
            reporter_details=checked.reporter_details,
            idempotency_scope=f"open311:{client.pk}",
            idempotency_key=key,
            language=_language(),
        )
    except ValidationError as error:
        raise Open311Error(400, *_validation_messages(error)) from None
    except PermissionDenied:
        raise Open311Error(403, _("This api_key may not submit this report.")) from None
    entry = {
        "service_request_id": result.complaint.reference,
        "service_notice": _service_notice(result.complaint),
        "account_id": checked.account_id or None,
    }
    response = render("service_requests", [entry], fmt)
    if not result.created:
        response["Idempotent-Replayed"] = "true"
    return response


@csrf_exempt
def unknown_resource(request: HttpRequest, *, fmt: Format) -> HttpResponse:
    """Any other ``.json``/``.xml`` path under the endpoint: a 404 in the error format."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = render_errors(404, [_("There is no such Open311 resource.")], fmt)
    response["Content-Language"] = language
    return response
