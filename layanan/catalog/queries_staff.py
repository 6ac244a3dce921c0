"""Reads of the back office of the catalog (services, versions of standards, service promises)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from layanan.accounts.models import ServiceUnit
from layanan.catalog.models import Service, ServicePromise, ServiceStandard
from layanan.catalog.permissions import standard_unit_ids

OPEN_STATUSES = (ServiceStandard.Status.DRAFT, ServiceStandard.Status.CONSULTATION)


@dataclass(frozen=True)
class StaffServiceRow:
    service: Service
    adopted: ServiceStandard | None
    open_version: ServiceStandard | None


def staff_services(user: Any) -> list[StaffServiceRow]:
    """The services of the units where ``user`` drafts standards, with the adopted version and the
    open one (draft or in consultation), by agency, unit and name: three queries in all."""
    services = (
        Service.objects.filter(unit_id__in=sorted(standard_unit_ids(user)))
        .select_related("unit__agency", "adopted_standard")
        .prefetch_related(
            Prefetch(
                "standards",
                queryset=ServiceStandard.objects.filter(status__in=OPEN_STATUSES).only(
                    "id", "service_id", "version", "status"
                ),
                to_attr="open_versions",
            )
        )
        .order_by("unit__agency__name", "unit__name", "name")
    )
    return [
        StaffServiceRow(
            service=service,
            adopted=service.adopted_standard,
            open_version=service.open_versions[0] if service.open_versions else None,
        )
        for service in services
    ]


def service_versions(service: Service) -> QuerySet[ServiceStandard]:
    """Every version of ``service``'s standard, newest first."""
    return (
        ServiceStandard.objects.filter(service=service)
        .select_related("created_by", "adopted_by")
        .defer("published")
        .order_by("-version")
    )


def open_version(service: Service) -> ServiceStandard | None:
    return ServiceStandard.objects.filter(service=service, status__in=OPEN_STATUSES).first()


def promise_units(user: Any, *, is_platform_admin: bool) -> QuerySet[ServiceUnit]:
    """Units whose promise ``user`` sees: all active units for platform administrators, else the
    units where ``user`` holds a unit role."""
    units = ServiceUnit.objects.select_related("agency").order_by("agency__name", "name")
    if is_platform_admin:
        return units.filter(is_active=True)
    ids = user.memberships.filter(is_active=True, unit__isnull=False).values_list("unit_id", flat=True)
    return units.filter(pk__in=list(ids))


def current_promises(units: Iterable[ServiceUnit]) -> dict[int, ServicePromise]:
    """Unit id -> the promise in force (the latest signed), in one query."""
    promises: dict[int, ServicePromise] = {}
    for promise in ServicePromise.objects.filter(unit__in=list(units)).order_by(
        "unit_id", "-signed_on", "-id"
    ):
        promises.setdefault(promise.unit_id, promise)
    return promises


def current_promise(unit: ServiceUnit) -> ServicePromise | None:
    return ServicePromise.objects.filter(unit=unit).order_by("-signed_on", "-id").first()
