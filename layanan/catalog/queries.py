"""Reads of the service catalog (every join the pages need is done here).

Every public read starts from ``public_services``: published services of active units of active
agencies. The list pages load the adopted standard with the service (one query, however many
services), leaving out the 8 internal components the public never sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from layanan.accounts.models import Agency, ServiceUnit
from layanan.catalog.models import Service, ServiceLifeEvent, ServicePromise
from layanan.catalog.standard import INTERNAL_COMPONENTS

# Columns of the adopted standard that no public list shows.
_UNUSED_STANDARD_COLUMNS = tuple(f"adopted_standard__{name}" for name in INTERNAL_COMPONENTS) + (
    "adopted_standard__change_note",
)

_PUBLIC = Q(is_active=True, unit__is_active=True, unit__agency__is_active=True)


def public_services(*, life_event: str = "", agency: str = "") -> QuerySet[Service]:
    """Published services of active units and agencies, by agency then name, in one query.

    ``life_event`` (a ``Service.LifeEvent`` key) keeps only the services tagged with it;
    ``agency`` (an agency slug) only that agency's services.
    """
    services = (
        Service.objects.filter(_PUBLIC)
        .select_related("unit__agency", "adopted_standard")
        .defer(*_UNUSED_STANDARD_COLUMNS)
        .order_by("unit__agency__name", "unit__agency_id", "name")
    )
    if life_event:
        services = services.filter(life_events__event=life_event)
    if agency:
        services = services.filter(unit__agency__slug=agency)
    return services


def public_services_by_rank(ids: Sequence[int], *, life_event: str = "", agency: str = "") -> list[Service]:
    """The published services among ``ids`` (search results), in the order of ``ids``."""
    found = {
        service.pk: service
        for service in public_services(life_event=life_event, agency=agency).filter(pk__in=ids)
    }
    return [found[pk] for pk in ids if pk in found]


def public_service_detail() -> QuerySet[Service]:
    """One service with everything its page shows: unit, agency and its region, the whole adopted
    standard and the life events (two queries)."""
    return (
        Service.objects.filter(_PUBLIC)
        .select_related("unit__agency__region", "adopted_standard")
        .prefetch_related("life_events")
    )


def current_promise(unit: ServiceUnit) -> ServicePromise | None:
    """The unit's service promise (*maklumat pelayanan*) in force: the latest signed."""
    return ServicePromise.objects.filter(unit=unit).order_by("-signed_on", "-id").first()


@dataclass(frozen=True)
class LifeEventCount:
    key: str
    label: str
    count: int


def life_event_counts() -> list[LifeEventCount]:
    """Every life event, in the order of ``Service.LifeEvent``, with its number of published
    services (one query)."""
    counts = dict(
        ServiceLifeEvent.objects.filter(service__in=Service.objects.filter(_PUBLIC))
        .values("event")
        .annotate(total=Count("id"))
        .values_list("event", "total")
    )
    return [
        LifeEventCount(event.value, str(event.label), counts.get(event.value, 0))
        for event in Service.LifeEvent
    ]


def agencies_with_service_counts() -> list[Agency]:
    """Active agencies that publish at least one service, by name, each with ``service_count``
    (one query)."""
    published = Q(
        units__is_active=True,
        units__services__is_active=True,
    )
    return list(
        Agency.objects.filter(is_active=True)
        .annotate(service_count=Count("units__services", filter=published))
        .filter(service_count__gt=0)
        .order_by("name")
    )


def public_agency(slug: str) -> Agency | None:
    """An active agency with its active units, each with its published services (three queries)."""
    services = (
        Service.objects.filter(is_active=True)
        .select_related("adopted_standard")
        .defer(*_UNUSED_STANDARD_COLUMNS)
        .order_by("name")
    )
    units = (
        ServiceUnit.objects.filter(is_active=True)
        .order_by("name")
        .prefetch_related(Prefetch("services", queryset=services, to_attr="public_services"))
    )
    return (
        Agency.objects.filter(is_active=True, slug=slug)
        .select_related("region")
        .prefetch_related(Prefetch("units", queryset=units, to_attr="public_units"))
        .first()
    )
