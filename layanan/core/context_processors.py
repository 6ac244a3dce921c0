from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def layanan(request: HttpRequest) -> dict[str, object]:
    preferences = getattr(request, "display_preferences", [])
    return {
        "display_preferences": preferences,
        "display_classes": " ".join(f"pref-{choice}" for choice in preferences),
        "site_name": "Layanan",
        "layanan_env": settings.LAYANAN_ENV,
    }
