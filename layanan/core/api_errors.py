"""The error shape and the caller's language of the JSON APIs (django-ninja routers under /api/v1/:
``layanan.applications.api``, ``layanan.complaints.api``).

* Errors all have one shape, ``{"code", "message", "fields"?}``: ``api_error`` makes the response.
* The messages are in the caller's language (``request_language``): ``?lang=id|en``, else the one
  the middleware chose (the ``layanan_language`` cookie), else the site's default.
* ``uniform_errors`` makes a router's decorator (``router.add_decorator(..., mode="view")``, which
  wraps auth, parsing and the view): it runs the operation in the caller's language and rewrites
  the errors django-ninja answers itself (401, a malformed body, the CSRF 403, all
  ``{"detail": ...}``) into that shape, usually with ``framework_errors``, to which each API says
  its own 401 message and how it words a field's message.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext
from ninja import Status

# Set on the request by an auth class that refuses it, so the API can name the reason.
ERROR_CODE_ATTRIBUTE = "api_error_code"
BODY_PARAMETERS = frozenset({"body", "payload"})

FieldMessage = Callable[[dict[str, Any]], str]
ErrorShape = Callable[[HttpRequest, int, Any], dict[str, Any]]
View = Callable[..., HttpResponseBase]


def api_error(
    status: int, code: str, message: Any, fields: dict[str, list[str]] | None = None
) -> Status[Any]:
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return Status(status, body)


def request_language(request: HttpRequest) -> str:
    """``?lang=`` if it names a site language, else the one the middleware chose (cookie)."""
    supported = {code for code, _name in settings.LANGUAGES}
    asked = request.GET.get("lang", "")
    if asked in supported:
        return asked
    return getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE


def field_path(loc: Iterable[Any]) -> str:
    """A pydantic error's location as the request field's path (``answers.name``), without the
    name of the body parameter; ``body`` for the body itself."""
    parts = [str(part) for part in loc]
    while parts and parts[0] in BODY_PARAMETERS:
        parts.pop(0)
    return ".".join(parts) or "body"


def pydantic_message(item: dict[str, Any]) -> str:
    """pydantic's own message for a field (English)."""
    return str(item.get("msg", ""))


def framework_error(
    request: HttpRequest,
    status: int,
    detail: Any,
    *,
    unauthenticated: Any,
    field_message: FieldMessage = pydantic_message,
) -> dict[str, Any]:
    """Our error shape for an error django-ninja answered itself (``{"detail": ...}``)."""
    if status == 422 and isinstance(detail, list):
        fields: dict[str, list[str]] = {}
        for item in detail:
            if isinstance(item, dict):
                fields.setdefault(field_path(item.get("loc", [])), []).append(field_message(item))
        message = gettext("The request is not valid. See the messages per field.")
        return {"code": "invalid_request", "message": message, "fields": fields}
    if status == 401:
        return {"code": "unauthenticated", "message": str(unauthenticated)}
    if status == 400:
        # The only 400 django-ninja answers itself here: a body it cannot parse.
        return {"code": "invalid_json", "message": gettext("The request body is not valid JSON.")}
    code = getattr(request, ERROR_CODE_ATTRIBUTE, None) or {403: "forbidden", 404: "not_found"}.get(
        status, "error"
    )
    return {"code": code, "message": str(detail)}


def framework_errors(*, unauthenticated: Any, field_message: FieldMessage = pydantic_message) -> ErrorShape:
    """``framework_error`` with an API's own 401 message (a lazy string, said in the caller's
    language) and its wording of a field's message (from pydantic's error ``item``)."""

    def shape(request: HttpRequest, status: int, detail: Any) -> dict[str, Any]:
        return framework_error(
            request, status, detail, unauthenticated=unauthenticated, field_message=field_message
        )

    return shape


def uniform_errors(shape: ErrorShape) -> Callable[[View], View]:
    """The decorator that runs an operation in the caller's language and gives the errors
    django-ninja answered itself our shape, made by ``shape(request, status, detail)`` (usually
    ``framework_errors(...)``)."""

    def reshape(request: HttpRequest, response: HttpResponse) -> None:
        if not response.get("Content-Type", "").startswith("application/json"):
            return
        try:
            body = json.loads(response.content)
        except ValueError:
            return
        if not isinstance(body, dict) or "code" in body or "detail" not in body:
            return
        response.content = json.dumps(shape(request, response.status_code, body["detail"]))
        if response.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="layanan"'

    def decorator(run: View) -> View:
        @functools.wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            language = request_language(request)
            with translation.override(language):
                response = run(request, *args, **kwargs)
                if response.status_code >= 400 and isinstance(response, HttpResponse):
                    reshape(request, response)
            response["Content-Language"] = language
            return response

        return wrapper

    return decorator
