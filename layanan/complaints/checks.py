"""System checks of the complaint settings, run by ``manage.py check`` and ``migrate``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.utils.module_loading import import_string

SIMULATED_LAPOR = "layanan.complaints.lapor.SimulatedLapor"


def check_lapor_gateway(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    name = str(getattr(settings, "LAYANAN_LAPOR_GATEWAY", SIMULATED_LAPOR))
    if name == SIMULATED_LAPOR:
        if getattr(settings, "IS_PRODUCTION", False):
            return [
                Warning(
                    "Reports forwarded to SP4N-LAPOR! go to the local simulator, not the national system.",
                    hint="Set LAYANAN_LAPOR_GATEWAY to the dotted path of a real gateway when "
                    "LAYANAN_ENV=production (see docs/complaints.md).",
                    id="complaints.W001",
                )
            ]
        return []
    try:
        import_string(name)
    except ImportError as error:
        return [
            Error(
                f"LAYANAN_LAPOR_GATEWAY={name!r} cannot be imported: {error}",
                hint="Use the dotted path of a class with forward(complaint) -> tracking id.",
                id="complaints.E001",
            )
        ]
    return []
