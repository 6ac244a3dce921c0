"""Reads of the region hierarchy."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from layanan.regions.codes import parent_code
from layanan.regions.models import Region


def get_region(code: str) -> Region | None:
    """The region with this dotted code, or None."""
    return Region.objects.filter(code=code).first()


def provinces() -> QuerySet[Region]:
    """The provinces, in code order."""
    return Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")


def regencies(province: str | None = None) -> QuerySet[Region]:
    """Regencies and cities, of one province (two-digit code) or of the whole country."""
    found = Region.objects.filter(level=Region.Level.REGENCY)
    if province is not None:
        found = found.filter(parent_id=province)
    return found.order_by("code")


def children_of(code: str | None) -> QuerySet[Region]:
    """The direct children of a region, for cascading address choices; None gives the provinces."""
    if code is None:
        return provinces()
    return Region.objects.filter(parent_id=code).order_by("code")


def ancestor_codes(code: str) -> list[str]:
    """The codes above ``code``, province first (no query)."""
    codes: list[str] = []
    current = parent_code(code)
    while current is not None:
        codes.insert(0, current)
        current = parent_code(current)
    return codes


def region_path(code: str) -> list[Region]:
    """The region and every region above it, province first, in one query."""
    return list(Region.objects.filter(code__in=[*ancestor_codes(code), code]).order_by("level"))


def count_by_level(province: str | None = None) -> dict[int, int]:
    """How many regions of each level are loaded, in one province or in the whole country."""
    found = Region.objects.all()
    if province is not None:
        found = found.filter(Q(code=province) | Q(code__startswith=f"{province}."))
    counts = dict.fromkeys(Region.Level.values, 0)
    for row in found.values("level").annotate(n=Count("code")).order_by():
        counts[row["level"]] = row["n"]
    return counts
