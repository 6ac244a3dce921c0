"""Writes to the region table: the idempotent bulk load from the Kemendagri source.

Regions are reference data loaded by operators (``layanan load_regions``), not changed by users,
so the load is not written to the audit log (``regions`` sits below ``audit`` in the layers).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from layanan.regions import source
from layanan.regions.codes import is_valid_region_code
from layanan.regions.models import Region


@dataclass
class LevelReport:
    """What one level of a load did."""

    level: int
    in_source: int = 0
    created: int = 0
    updated: int = 0
    seconds: float = 0.0

    @property
    def unchanged(self) -> int:
        return self.in_source - self.created - self.updated


@dataclass
class LoadReport:
    """What a whole load did, level by level (provinces first)."""

    levels: list[LevelReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def created(self) -> int:
        return sum(level.created for level in self.levels)

    @property
    def updated(self) -> int:
        return sum(level.updated for level in self.levels)


def _scope_filter(provinces: Sequence[str] | None) -> Q:
    if provinces is None:
        return Q()
    scope = Q(pk__in=[])
    for province in provinces:
        scope |= Q(code=province) | Q(code__startswith=f"{province}.")
    return scope


def _sync_level(rows: list[source.SourceRegion], level: int, scope: Q, batch_size: int) -> LevelReport:
    """Create the missing rows of one level and update the changed ones; parents already exist."""
    report = LevelReport(level=level, in_source=len(rows))
    existing = {
        code: (name, lvl, parent_id, postal_code, origin)
        for code, name, lvl, parent_id, postal_code, origin in Region.objects.filter(scope, level=level)
        .values_list("code", "name", "level", "parent_id", "postal_code", "source")
        .iterator(chunk_size=5000)
    }
    to_create: list[Region] = []
    to_update: list[Region] = []
    for row in rows:
        wanted = (row.name, row.level, row.parent_code, row.postal_code, source.SOURCE)
        region = Region(
            code=row.code,
            name=row.name,
            level=row.level,
            parent_id=row.parent_code,
            postal_code=row.postal_code,
            source=source.SOURCE,
        )
        current = existing.get(row.code)
        if current is None:
            to_create.append(region)
        elif current != wanted:
            to_update.append(region)
    Region.objects.bulk_create(to_create, batch_size=batch_size)
    # One UPDATE per changed row: far faster than bulk_update's CASE expressions on SQLite, and a
    # re-run usually changes few rows.
    for region in to_update:
        Region.objects.filter(pk=region.pk).update(
            name=region.name,
            level=region.level,
            parent_id=region.parent_id,
            postal_code=region.postal_code,
            source=region.source,
        )
    report.created, report.updated = len(to_create), len(to_update)
    return report


def _check_codes(rows: Iterable[source.SourceRegion]) -> None:
    bad = [row.code for row in rows if not is_valid_region_code(row.code)]
    if bad:
        raise ValidationError(
            "The region source holds malformed codes: %(codes)s",
            code="invalid_region_code",
            params={"codes": ", ".join(bad[:10])},
        )


@transaction.atomic
def load_regions(
    *,
    provinces: Sequence[str] | None = None,
    depth: int = Region.Level.REGENCY,
    batch_size: int = 2000,
    progress: Callable[[LevelReport], None] | None = None,
) -> LoadReport:
    """Load the Kemendagri hierarchy from ``lokal`` into ``Region``, parents before children.

    ``provinces`` limits the load to those provinces and everything below them (all provinces when
    None); ``depth`` is the deepest level loaded (1 province ... 4 village). Idempotent: a re-run
    creates what is missing, corrects names, parents and postal codes that changed, never
    duplicates, and never deletes (rows are referenced by agencies and addresses).
    """
    started = time.perf_counter()
    known = source.province_codes()
    if provinces is not None:
        unknown = sorted(set(provinces) - set(known))
        if unknown:
            raise ValidationError(
                "Unknown province code(s): %(codes)s",
                code="unknown_province",
                params={"codes": ", ".join(unknown)},
            )
        provinces = [code for code in known if code in set(provinces)]
    scope = _scope_filter(provinces)
    report = LoadReport()
    rows = source.provinces(provinces)
    for level in range(Region.Level.PROVINCE, depth + 1):
        if level > Region.Level.PROVINCE:
            rows = list(source.children([row.code for row in rows]))
        level_started = time.perf_counter()
        _check_codes(rows)
        level_report = _sync_level(rows, level, scope, batch_size)
        level_report.seconds = time.perf_counter() - level_started
        report.levels.append(level_report)
        if progress is not None:
            progress(level_report)
    report.seconds = time.perf_counter() - started
    return report
