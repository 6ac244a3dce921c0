"""Reads of the service catalog (every join the pages need is done here)."""

from __future__ import annotations

from django.db.models import QuerySet

from layanan.catalog.models import Service


def public_services(*, life_event: str = "") -> QuerySet[Service]:
    """Published services of active units and agencies, by agency then name, in one query.

    ``life_event`` (a ``Service.LifeEvent`` key) keeps only the services tagged with it.
    """
    services = (
        Service.objects.filter(is_active=True, unit__is_active=True, unit__agency__is_active=True)
        .select_related("unit__agency")
        .order_by("unit__agency__name", "unit__agency_id", "name")
    )
    if life_event:
        services = services.filter(life_events__event=life_event)
    return services


def public_service_detail() -> QuerySet[Service]:
    """``public_services`` with the life events the detail page lists."""
    return public_services().prefetch_related("life_events")
