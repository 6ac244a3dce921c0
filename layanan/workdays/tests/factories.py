"""Test data builders for the working-day calendar."""

from __future__ import annotations

import datetime

import factory

from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.workdays.models import Holiday, UnitClosure


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    date = datetime.date(2026, 8, 17)
    name = factory.Sequence(lambda n: f"Hari Libur {n}")
    kind = Holiday.Kind.NATIONAL
    legal_source = "SKB 3 Menteri Nomor 1497 Tahun 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025"


class UnitClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitClosure

    unit = factory.SubFactory(ServiceUnitFactory)
    date = datetime.date(2026, 3, 25)
    reason = "Pindah kantor"
