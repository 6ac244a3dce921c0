"""Template context shared by every page rendered with a request."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from layanan.core.middleware import DISPLAY_COOKIE, display_preferences_from_cookie


def layanan(request: HttpRequest) -> dict[str, object]:
    preferences: list[str] | None = getattr(request, "display_preferences", None)
    if preferences is None:
        # Pages answered before DisplayPreferencesMiddleware ran (an early error) still honour the cookie.
        preferences = display_preferences_from_cookie(request.COOKIES.get(DISPLAY_COOKIE, ""))
    return {
        "display_preferences": preferences,
        "display_classes": " ".join(f"pref-{choice}" for choice in preferences),
        "site_name": "Layanan",
        "layanan_env": settings.LAYANAN_ENV,
    }
