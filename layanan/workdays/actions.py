"""Every write to the working-day calendar: holidays, their yearly import, and unit closures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import ServiceUnit
from layanan.audit.actions import record_event
from layanan.workdays import source
from layanan.workdays.models import Holiday, UnitClosure
from layanan.workdays.permissions import can_manage_holidays, can_manage_unit_closures
from layanan.workdays.queries import calendar_changed


def _required(value: str, field_name: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(
            {field_name: ValidationError(_("This field cannot be blank."), code="required")}
        )
    return value


@transaction.atomic
def add_holiday(*, actor: Any, on: date, name: str, kind: str, legal_source: str) -> Holiday:
    """Add a national holiday or cuti bersama day (e.g. a late SKB amendment); administrators only."""
    if not can_manage_holidays(actor):
        raise PermissionDenied("Only platform administrators change holidays.")
    name = _required(name, "name")
    legal_source = _required(legal_source, "legal_source")
    if kind not in Holiday.Kind.values:
        raise ValidationError({"kind": ValidationError(_("Choose a valid kind."), code="invalid_kind")})
    duplicate = ValidationError(
        {"name": ValidationError(_("This holiday is already in the calendar."), code="duplicate")}
    )
    same_day = Holiday.objects.filter(date=on, kind=kind).values_list("name", flat=True)
    # Names that differ only in case or punctuation would share one URL: refuse them too.
    if any(slugify(existing) == slugify(name) for existing in same_day):
        raise duplicate
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(date=on, name=name, kind=kind, legal_source=legal_source)
    except IntegrityError as error:
        raise duplicate from error
    record_event(
        "workdays.holiday.add",
        actor=actor,
        target=holiday,
        summary={"date": on.isoformat(), "kind": kind, "name": name, "legal_source": legal_source},
    )
    calendar_changed()
    return holiday


@transaction.atomic
def remove_holiday(holiday: Holiday, *, actor: Any) -> Holiday:
    """Remove a holiday from the calendar (e.g. one moved by a later decree); administrators only."""
    if not can_manage_holidays(actor):
        raise PermissionDenied("Only platform administrators change holidays.")
    record_event(
        "workdays.holiday.remove",
        actor=actor,
        target=holiday,
        summary={
            "date": holiday.date.isoformat(),
            "kind": holiday.kind,
            "name": holiday.name,
            "legal_source": holiday.legal_source,
        },
    )
    holiday.delete()
    calendar_changed()
    return holiday


def _refuse_past(on: date) -> None:
    # Deadlines already running were counted with the closures of the past: they stay as they were.
    if on < timezone.localdate():
        raise ValidationError(
            {"date": ValidationError(_("A closure in the past cannot be changed."), code="past_date")}
        )


@transaction.atomic
def add_unit_closure(unit: ServiceUnit, *, actor: Any, on: date, reason: str) -> UnitClosure:
    """Close ``unit`` on one day (today or later); its unit head or an administrator."""
    if not can_manage_unit_closures(actor, unit):
        raise PermissionDenied("Only the unit head or a platform administrator changes closures.")
    reason = _required(reason, "reason")
    _refuse_past(on)
    duplicate = ValidationError(
        {"date": ValidationError(_("This unit is already closed on that day."), code="duplicate")}
    )
    if UnitClosure.objects.filter(unit=unit, date=on).exists():
        raise duplicate
    try:
        with transaction.atomic():
            closure = UnitClosure.objects.create(unit=unit, date=on, reason=reason)
    except IntegrityError as error:
        raise duplicate from error
    # The reason is free text and may name people: the log keeps only that it was given.
    record_event(
        "workdays.closure.add",
        actor=actor,
        target=closure,
        summary={"unit": unit.slug, "agency": unit.agency.slug, "date": on.isoformat(), "fields": ["reason"]},
    )
    calendar_changed()
    return closure


@transaction.atomic
def remove_unit_closure(closure: UnitClosure, *, actor: Any) -> UnitClosure:
    """Reopen a unit on a closed day (today or later); its unit head or an administrator."""
    unit = closure.unit
    if not can_manage_unit_closures(actor, unit):
        raise PermissionDenied("Only the unit head or a platform administrator changes closures.")
    _refuse_past(closure.date)
    record_event(
        "workdays.closure.remove",
        actor=actor,
        target=closure,
        summary={"unit": unit.slug, "agency": unit.agency.slug, "date": closure.date.isoformat()},
    )
    closure.delete()
    calendar_changed()
    return closure


@dataclass
class YearImport:
    """What ``import_holidays`` did to one year."""

    year: int
    in_source: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_manual: int = 0
    stale: list[Holiday] = field(default_factory=list)
    removed: int = 0
    has_cuti_bersama: bool = False
    disagreements: list[source.Disagreement] = field(default_factory=list)


def _import_row(
    row: source.SourceHoliday, existing: list[Holiday], names: set[str], report: YearImport
) -> int:
    """Create or update the row for one source holiday; return the pk it now has."""
    same_day = [h for h in existing if h.date == row.date and h.kind == row.kind]
    exact = next((h for h in same_day if h.name == row.name), None)
    if exact is None and any(not h.is_imported for h in same_day):
        # An administrator already entered this day (e.g. from a late SKB amendment): theirs stands.
        report.kept_manual += 1
        return next(h.pk for h in same_day if not h.is_imported)
    if exact is None:
        # A renamed day, e.g. "(perkiraan)" dropped once the date is confirmed.
        exact = next((h for h in same_day if h.is_imported and h.name not in names), None)
    if exact is None:
        holiday = Holiday.objects.create(
            date=row.date, name=row.name, kind=row.kind, legal_source=row.legal_source, is_imported=True
        )
        existing.append(holiday)
        report.created += 1
        return holiday.pk
    if exact.is_imported and (exact.name, exact.legal_source) != (row.name, row.legal_source):
        exact.name, exact.legal_source = row.name, row.legal_source
        exact.save(update_fields=["name", "legal_source"])
        report.updated += 1
    else:
        report.unchanged += 1
    return exact.pk


@transaction.atomic
def import_holidays(years: Iterable[int], *, actor: Any = None, prune: bool = False) -> list[YearImport]:
    """Bring the holidays of ``years`` in line with the ``holidays`` package; a system job.

    Idempotent: adds what is missing, updates names and legal sources of rows it imported before,
    never touches rows an administrator entered, and removes imported rows that left the source
    only with ``prune``.
    """
    reports: list[YearImport] = []
    for year in sorted(set(years)):
        rows, disagreements = source.holidays_for_year(year)
        report = YearImport(year=year, in_source=len(rows), disagreements=disagreements)
        report.has_cuti_bersama = any(row.kind == source.CUTI_BERSAMA for row in rows)
        existing = list(Holiday.objects.filter(date__year=year))
        seen: set[int] = set()
        for row in rows:
            names = {r.name for r in rows if r.date == row.date and r.kind == row.kind}
            seen.add(_import_row(row, existing, names, report))
        report.stale = [h for h in existing if h.is_imported and h.pk not in seen]
        if prune and report.stale:
            Holiday.objects.filter(pk__in=[h.pk for h in report.stale]).delete()
            report.removed = len(report.stale)
        if report.created or report.updated or report.removed:
            record_event(
                "workdays.holiday.import",
                actor=actor,
                object_type=Holiday._meta.label_lower,
                object_id=f"year-{year}",
                summary={
                    "year": year,
                    "source": source.package_source(),
                    "created": report.created,
                    "updated": report.updated,
                    "removed": report.removed,
                },
            )
            calendar_changed()
        reports.append(report)
    return reports
