"""Building complaints in tests, always through the actions (never straight model writes)."""

from __future__ import annotations

from typing import Any

from layanan.accounts.tests.factories import region
from layanan.complaints.actions import ComplaintSubmission, submit_complaint
from layanan.complaints.models import ComplaintCategory
from layanan.regions.models import Region

# The agency factory's default region is Kota Semarang (33.74); reports happen in one of its
# districts so coordinators of agencies there handle them.
DISTRICT = "33.74.01"
STORY = "Jalan di depan SD Negeri 3 berlubang besar sejak dua bulan, sudah ada motor yang jatuh."


def district(code: str = DISTRICT) -> Region:
    return region(code, name="Kecamatan Semarang Tengah")


def category(slug: str = "infrastruktur") -> ComplaintCategory:
    return ComplaintCategory.objects.get(slug=slug)


def report(
    *,
    actor: Any = None,
    channel: str = "web",
    kind: str = "pengaduan",
    category_slug: str = "lingkungan",
    title: str = "Sampah menumpuk di pinggir jalan",
    body: str = STORY,
    region_code: str = DISTRICT,
    **kwargs: Any,
) -> ComplaintSubmission:
    """A report as a visitor (``actor=None``) or a signed-in citizen makes it on the web."""
    return submit_complaint(
        kind=kind,
        category=category(category_slug),
        title=title,
        body=body,
        region=district(region_code),
        actor=actor,
        channel=channel,
        reporter=actor if actor is not None and channel in {"web", "api"} else None,
        suggest=kwargs.pop("suggest", False),
        **kwargs,
    )
