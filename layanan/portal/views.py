from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from layanan.core.middleware import DISPLAY_CHOICES, DISPLAY_COOKIE


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/public/home.html")


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
    current = [c for c in request.COOKIES.get(DISPLAY_COOKIE, "").split(".") if c in DISPLAY_CHOICES]
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
    return render(request, "500.html", status=500)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/public/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/public/privacy.html")
