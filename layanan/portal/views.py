"""Views of the public front door: home, static pages, switches, error and CSRF-failure pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from layanan.core.middleware import DISPLAY_CHOICES, DISPLAY_COOKIE, display_preferences_from_cookie

logger = logging.getLogger(__name__)

# Last resort when even the 500 template cannot render: both languages, no styles, no links but home.
_PLAIN_500 = (
    '<!doctype html><html lang="id"><meta charset="utf-8"><title>Layanan</title>'
    "<h1>Maaf, ada masalah pada layanan ini</h1><p>Silakan coba lagi nanti.</p>"
    '<p lang="en">Sorry, there is a problem with the service. Please try again later.</p>'
    '<p><a href="/">Beranda</a></p>'
)


def _url_or_none(name: str) -> str | None:
    """The address of a named URL, or None while the app that owns it has not built it yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # Only link to pages that exist: the public holidays page belongs to the workdays app.
    context = {"holidays_url": _url_or_none("workdays:public-holidays")}
    return render(request, "portal/public/home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 naming the failing part otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "/")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language in a cookie and go back to the page (no JavaScript needed)."""
    response = HttpResponseRedirect(_safe_next(request))
    language = request.POST.get("language", "")
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.IS_PRODUCTION,
        )
    return response


@require_POST
def set_display(request: HttpRequest) -> HttpResponse:
    """Toggle large text or high contrast, kept in a cookie."""
    response = HttpResponseRedirect(_safe_next(request))
    current = display_preferences_from_cookie(request.COOKIES.get(DISPLAY_COOKIE, ""))
    toggle = request.POST.get("toggle", "")
    if toggle in DISPLAY_CHOICES:
        current = [c for c in current if c != toggle] if toggle in current else [*current, toggle]
    response.set_cookie(
        DISPLAY_COOKIE,
        ".".join(current),
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.IS_PRODUCTION,
    )
    return response


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    """Render without context processors, the session or the database: what broke the request must
    not break its error page. The language is the one the middleware already activated."""
    preferences = display_preferences_from_cookie(request.COOKIES.get(DISPLAY_COOKIE, ""))
    context = {"display_classes": " ".join(f"pref-{choice}" for choice in preferences)}
    try:
        html = loader.get_template("500.html").render(context)
    except Exception:  # noqa: BLE001 - the page of last resort must answer whatever went wrong
        logger.exception("The 500 page could not be rendered")
        html = _PLAIN_500
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form came back without a valid security token (``CSRF_FAILURE_VIEW``), usually because the
    page was open too long or cookies are blocked: say so plainly, in the visitor's language."""
    return render(request, "403_csrf.html", status=403)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/public/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/public/privacy.html")
