"""Project middleware: request id, Indonesian-first language choice, display preferences, and
the refusal of NUL characters in input."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from layanan.core.requestcontext import current_request_id

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

DISPLAY_COOKIE = "layanan_display"
DISPLAY_CHOICES = ("large-text", "high-contrast")


def display_preferences_from_cookie(raw: str) -> list[str]:
    """The known display choices in the cookie value ("large-text.high-contrast"), each once."""
    chosen = raw.split(".")
    return [choice for choice in DISPLAY_CHOICES if choice in chosen]


class RequestIdMiddleware:
    """Take a well-formed ``X-Request-ID`` from the proxy or make one; echo it on the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RejectNullCharactersMiddleware:
    """A NUL character in a query string, a form field or a JSON body is never meaningful, and
    PostgreSQL can neither store nor compare it: answer 400 (the error page) before any view or
    query sees it, whatever the endpoint (pages, the API, Open311)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_null_character(request):
            raise SuspiciousOperation("A NUL character in the request.")
        return self.get_response(request)


def has_null_character(request: HttpRequest) -> bool:
    """Whether the query string, a form or a JSON body holds a NUL. A multipart body is read into
    memory first (so views that read the raw body still can) and only when it is small; larger
    uploads are left to the forms, whose fields refuse NUL."""
    if any("\x00" in value for _key, values in request.GET.lists() for value in values):
        return True
    if request.method not in {"POST", "PUT", "PATCH"}:
        return False
    if request.content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body.lower()
    if request.content_type == "application/x-www-form-urlencoded":
        body = request.body
        return b"\x00" in body or b"%00" in body
    if request.content_type == "multipart/form-data" and _small(request):
        request.body  # noqa: B018 - cached, so the form is parsed from memory and the body stays readable
        return any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.POST.lists()
        )
    return False


def _small(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is None or length <= limit


class LanguageMiddleware:
    """Indonesian unless the visitor chose English with the language switch (a cookie).

    Unlike Django's ``LocaleMiddleware`` the browser's ``Accept-Language`` is ignored on purpose:
    public administration services are in Bahasa Indonesia first (UU 24/2009), and a phone set
    to English must not hide the Indonesian page from its owner.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The same address answers in two languages and two display modes, chosen by cookie.
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response


class DisplayPreferencesMiddleware:
    """Expose the visitor's display choices (large text, high contrast) from a cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        preferences = display_preferences_from_cookie(request.COOKIES.get(DISPLAY_COOKIE, ""))
        request.display_preferences = preferences  # type: ignore[attr-defined]
        return self.get_response(request)
