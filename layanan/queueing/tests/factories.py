"""Builders for queue tests: a service mall with lines and counters in a few lines."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from layanan.accounts.models import ServiceUnit
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import ServiceFactory
from layanan.queueing.models import Counter, PriorityPolicy, ServiceGroup, Site


def site(operator: ServiceUnit, **fields: Any) -> Site:
    values: dict[str, Any] = {
        "slug": "mpp-test",
        "name": "MPP Uji",
        "priority_policy": PriorityPolicy.EVERY_N,
        "regular_calls_between_priority": 2,
    }
    values.update(fields)
    return Site.objects.create(operator=operator, **values)


def group(
    site_: Site, prefix: str = "A", *, unit: ServiceUnit, services: list[Service] | None = None
) -> ServiceGroup:
    made = ServiceGroup.objects.create(
        site=site_, prefix=prefix, name=f"Layanan {prefix}", agency=unit.agency
    )
    made.services.set(services if services is not None else [ServiceFactory(unit=unit)])
    return made


def counter(site_: Site, number: int, *groups: ServiceGroup) -> Counter:
    made = Counter.objects.create(site=site_, number=number, agency=groups[0].agency)
    made.groups.set(groups)
    return made


def at(hour: int, minute: int = 0, *, day: datetime.date | None = None) -> datetime.datetime:
    """An aware time today (or on ``day``) in the site's time zone."""
    day = day or timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
