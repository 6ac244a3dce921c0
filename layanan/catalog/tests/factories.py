"""Test data builders for the service catalog."""

from __future__ import annotations

import factory

from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.catalog.models import Service, ServiceLifeEvent


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    unit = factory.SubFactory(ServiceUnitFactory)
    slug = factory.Sequence(lambda n: f"layanan-{n}")
    name = factory.Sequence(lambda n: f"Layanan Contoh {n}")
    summary = "Ringkasan singkat tentang kegunaan layanan ini."
    channel = Service.Channel.BOTH
    fee_is_free = True
    completion_time_value = 1
    completion_time_unit = Service.TimeUnit.WORKING_DAYS


def tag_service(service: Service, *events: str) -> Service:
    """Tag ``service`` with life events (``Service.LifeEvent`` keys)."""
    ServiceLifeEvent.objects.bulk_create([ServiceLifeEvent(service=service, event=event) for event in events])
    return service
