"""Routing assistant API (django-ninja): ``POST /api/v1/complaints/routing-suggestions``.

Mounted at /api/v1/ by layanan/api.py (``api.add_router("/", routing_router)``).

Body ``{"title", "text", "region", "limit"?}``; answer ``{"suggestions": [...]}``, the agencies best
placed to handle such a report, best first, each with its most likely category and the
confidences explained in docs/complaints-routing.md.

Who may call it: coordinators (their browser session, CSRF-checked, or an API token) **and
anonymous callers**. It reveals nothing personal: only public agency and category names, and
the model learns only from reports that are neither confidential nor in the protected channel,
and only words that occur in several reports (``routing``). The citizen's form and Open311
clients can use it to propose a category. Anonymous callers are limited to
``ANONYMOUS_LIMIT`` calls per minute per address (429 ``rate_limited``); authenticated callers
are not limited. A bad token is refused (401), never downgraded to anonymous.

Errors: ``{"code", "message", "fields"?}`` in the caller's language (``?lang=id|en``, else the
``layanan_language`` cookie, else Indonesian), as in the applications API.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from layanan.accounts.api_auth import BearerToken, SessionAuth
from layanan.complaints.routing_store import suggestions_for
from layanan.core.api_errors import uniform_errors
from layanan.core.ratelimit import count_attempt
from layanan.regions.codes import is_valid_region_code

router = Router(tags=["complaints"])

ANONYMOUS_LIMIT = 30
ANONYMOUS_WINDOW_SECONDS = 60
TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
MAX_SUGGESTIONS = 10


class _Anonymous:
    """The last auth of the chain: a caller without an ``Authorization`` header is anonymous."""

    def __call__(self, request: HttpRequest) -> AnonymousUser | None:
        if request.headers.get("Authorization"):
            return None  # a token was sent and refused: 401
        return AnonymousUser()


AUTH = [BearerToken(), SessionAuth(), _Anonymous()]


class RoutingErrorOut(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. `rate_limited`.")
    message: str = Field(description="What went wrong, for people, in the caller's language.")
    fields: dict[str, list[str]] | None = Field(
        None, exclude_if=lambda value: value is None, description="Messages per request field, if any."
    )


class RoutingIn(Schema):
    title: str = Field("", max_length=TITLE_MAX_LENGTH, description="The report's title.")
    text: str = Field("", max_length=TEXT_MAX_LENGTH, description="What happened (the report's body).")
    region: str = Field(
        "",
        max_length=13,
        description=(
            "Kemendagri code of where it happened, any level (`33.02`, `33.02.05.2003`); agencies "
            "whose region contains it are preferred. Optional."
        ),
    )
    limit: int = Field(5, ge=1, le=MAX_SUGGESTIONS, description="How many agencies to return.")

    @field_validator("region")
    @classmethod
    def _region_code(cls, value: str) -> str:
        value = value.strip()
        if value and not is_valid_region_code(value):
            raise ValueError("not a Kemendagri region code (for example 33.02.05.2003)")
        return value


class RoutingSuggestionOut(Schema):
    agency: str = Field(description="Slug of the agency.")
    agency_name: str
    category: str = Field(description="Slug of its most likely category for this report.")
    category_name: str = Field(description="The category's name, in the caller's language.")
    confidence: float = Field(
        description=(
            "Probability that this agency is the right one (0..1; all agencies sum to 1). Calibrated "
            "on the evaluation set: see docs/complaints-routing.md."
        )
    )
    category_confidence: float = Field(description="Probability of the category given this agency (0..1).")


class RoutingOut(Schema):
    suggestions: list[RoutingSuggestionOut] = Field(description="Best first; empty when the text is empty.")


def _framework_error(request: HttpRequest, status: int, detail: Any) -> dict[str, Any]:
    """Our error shape for an error django-ninja answered itself (``{"detail": ...}``). Unlike
    ``api_errors.framework_error``, a refused CSRF check is a plain ``forbidden``."""
    if status == 422 and isinstance(detail, list):
        fields: dict[str, list[str]] = {}
        for item in detail:
            if isinstance(item, dict):
                location = [str(part) for part in item.get("loc", []) if part not in {"body", "payload"}]
                fields.setdefault(".".join(location) or "body", []).append(str(item.get("msg", "")))
        return {
            "code": "invalid_request",
            "message": gettext("The request is not valid. See the messages per field."),
            "fields": fields,
        }
    if status == 401:
        return {"code": "unauthenticated", "message": gettext("The API token is not valid.")}
    if status == 400:
        return {"code": "invalid_json", "message": gettext("The request body is not valid JSON.")}
    return {"code": {403: "forbidden", 404: "not_found"}.get(status, "error"), "message": str(detail)}


router.add_decorator(uniform_errors(_framework_error), mode="view")


def _over_anonymous_limit(request: HttpRequest) -> bool:
    address = str(request.META.get("REMOTE_ADDR", ""))
    window = int(time.time()) // ANONYMOUS_WINDOW_SECONDS
    key = f"complaints.routing|{address}|{window}"
    return count_attempt(key, window_seconds=ANONYMOUS_WINDOW_SECONDS) > ANONYMOUS_LIMIT


@router.post(
    "/complaints/routing-suggestions",
    auth=AUTH,
    response={200: RoutingOut, (400, 401, 403, 422, 429): RoutingErrorOut},
    summary="Suggest the agencies (and category) that should handle a report",
)
def routing_suggestions(request: HttpRequest, payload: RoutingIn) -> Any:
    """The agencies best placed to handle a report with this title, text and region."""
    caller = request.auth  # type: ignore[attr-defined]
    if not getattr(caller, "is_authenticated", False) and _over_anonymous_limit(request):
        return Status(
            429,
            {
                "code": "rate_limited",
                "message": gettext("Too many requests. Wait a minute, or sign in, and try again."),
            },
        )
    english = translation.get_language() == "en"
    suggestions = suggestions_for(payload.title, payload.text, payload.region, limit=payload.limit)
    return {
        "suggestions": [
            {
                "agency": suggestion.agency_slug,
                "agency_name": suggestion.agency_name,
                "category": suggestion.category_slug,
                "category_name": (suggestion.category_name_en if english else "") or suggestion.category_name,
                "confidence": suggestion.confidence,
                "category_confidence": suggestion.category_confidence,
            }
            for suggestion in suggestions
        ]
    }
