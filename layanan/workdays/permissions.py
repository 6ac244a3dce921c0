"""Who may see and change the working-day calendar.

* Holidays (national holidays and *cuti bersama*) are changed by platform administrators only.
* A unit's closures are changed by the head of that unit (an active ``unit_head`` membership) or
  by a platform administrator.
* Staff pages need a signed-in staff member who has passed the TOTP second factor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.text import slugify

from layanan.accounts.models import ServiceUnit, StaffMembership, User
from layanan.accounts.permissions import staff_required
from layanan.accounts.roles import Role
from layanan.workdays.models import Holiday, UnitClosure

# Holiday kinds as they appear in URLs (paths are Indonesian).
KIND_SLUGS: dict[str, str] = {
    Holiday.Kind.NATIONAL: "libur-nasional",
    Holiday.Kind.CUTI_BERSAMA: "cuti-bersama",
}
KINDS_BY_SLUG = {slug: kind for kind, slug in KIND_SLUGS.items()}


def _is_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.kind == User.Kind.STAFF and user.is_active)


def is_platform_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_platform_admin)


def is_unit_head(user: Any, unit: ServiceUnit) -> bool:
    """Whether ``user`` holds an active unit-head membership of ``unit``."""
    if not _is_staff(user):
        return False
    return StaffMembership.objects.active().filter(user=user, role=Role.UNIT_HEAD, unit=unit).exists()


def can_manage_holidays(user: Any) -> bool:
    return is_platform_admin(user)


def can_manage_unit_closures(user: Any, unit: ServiceUnit) -> bool:
    return is_platform_admin(user) or is_unit_head(user, unit)


def units_for_closures(user: Any) -> QuerySet[ServiceUnit]:
    """The active units whose closures ``user`` may manage (all of them for an administrator)."""
    units = ServiceUnit.objects.filter(is_active=True).select_related("agency")
    if is_platform_admin(user):
        return units.order_by("agency__name", "name")
    if not _is_staff(user):
        return units.none()
    headed = StaffMembership.objects.active().filter(user=user, role=Role.UNIT_HEAD).values("unit_id")
    return units.filter(pk__in=headed).order_by("agency__name", "name")


def holiday_url_slug(holiday: Holiday) -> str:
    """The holiday's name as it appears in its URL."""
    return slugify(holiday.name) or "hari-libur"


def get_holiday_for_user(user: Any, on: date, kind_slug: str, name_slug: str) -> Holiday:
    """The holiday addressed by date, kind and name slug, for an administrator to change."""
    if not can_manage_holidays(user):
        raise PermissionDenied("Only platform administrators change holidays.")
    kind = KINDS_BY_SLUG.get(kind_slug)
    if kind is None:
        raise Http404("Unknown holiday kind.")
    for holiday in Holiday.objects.filter(date=on, kind=kind):
        if holiday_url_slug(holiday) == name_slug:
            return holiday
    raise Http404("No such holiday.")


def get_closure_for_user(user: Any, agency_slug: str, unit_slug: str, on: date) -> UnitClosure:
    """The closure of a unit on a date, for its unit head or an administrator to change."""
    closure = (
        UnitClosure.objects.select_related("unit__agency")
        .filter(unit__agency__slug=agency_slug, unit__slug=unit_slug, date=on)
        .first()
    )
    if closure is None:
        raise Http404("No such closure.")
    if not can_manage_unit_closures(user, closure.unit):
        raise PermissionDenied("Only the unit head or a platform administrator changes closures.")
    return closure


def verified_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Page guard: the platform's one staff check (signed in, staff, passed TOTP)."""
    return staff_required(view)
