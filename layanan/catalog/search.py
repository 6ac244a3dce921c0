"""Catalog search: which services match what a citizen typed, best first.

Uses the shared Indonesian text module (``layanan.core.text``): normalisation of colloquial
forms and abbreviations, Sastrawi stemming, typo tolerance, and BM25 per field with weights so a
match in the name outranks one in the summary, which outranks one in the requirements.
"""

from __future__ import annotations

from layanan.catalog.models import Service
from layanan.core.text import FieldedBM25

FIELD_WEIGHTS = {"name": 3.0, "summary": 1.5, "requirements": 1.0}


def _documents(services: list[Service]) -> list[dict[str, str]]:
    documents = []
    for service in services:
        requirements = ""
        standard = service.adopted_standard
        if standard is not None:
            published = standard.published or {}
            requirements = " ".join(
                [item.get("name", "") for item in published.get("requirements", [])]
                + [item.get("name", "") for item in published.get("products", [])]
            )
        documents.append(
            {
                "name": f"{service.name} {service.keywords}",
                "summary": service.summary,
                "requirements": requirements,
            }
        )
    return documents


def search_services(query: str, *, limit: int = 20) -> list[int]:
    """Ids of the published services matching ``query``, best first (empty query: no results)."""
    if not query.strip():
        return []
    services = list(
        Service.objects.filter(is_active=True, unit__is_active=True, unit__agency__is_active=True)
        .select_related("adopted_standard")
        .order_by("pk")
    )
    index = FieldedBM25(_documents(services), FIELD_WEIGHTS)
    return [services[position].pk for position, _score in index.search(query, limit=limit)]
