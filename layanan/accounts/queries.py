from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from layanan.accounts.models import Agency, ServiceUnit


def public_agencies() -> QuerySet[Agency]:
    """Active agencies with their region and active units, in two queries."""
    return (
        Agency.objects.filter(is_active=True)
        .select_related("region")
        .prefetch_related(
            Prefetch("units", queryset=ServiceUnit.objects.filter(is_active=True).order_by("name"))
        )
        .order_by("name")
    )
