"""Who may see and manage catalog services, their standards and the units' service promises.

* Services (the catalog entry): platform administrators and the head of the unit.
* Standards (*standar pelayanan*) belong to the agency: the staff of the service's unit (front
  office, back office, unit head) read and draft them; only the unit head adopts them. Platform
  administrators do not draft or adopt an agency's standards.
* Service promise (*maklumat pelayanan*): the unit head, or a platform administrator.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.permissions import unit_roles_of as _unit_roles
from layanan.accounts.roles import UNIT_ROLES, Role
from layanan.catalog.models import Service, ServiceStandard
from layanan.catalog.queries import public_service_detail

# Roles that read and draft the standards of their unit's services.
STANDARD_EDITOR_ROLES = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD})
assert STANDARD_EDITOR_ROLES <= UNIT_ROLES


def _is_active_staff(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "kind", None) == User.Kind.STAFF
    )


def standard_unit_ids(user: Any) -> frozenset[int]:
    """Ids of the units whose standards ``user`` reads and drafts."""
    return frozenset(unit_id for unit_id, roles in _unit_roles(user).items() if roles & STANDARD_EDITOR_ROLES)


def headed_unit_ids(user: Any) -> frozenset[int]:
    return frozenset(unit_id for unit_id, roles in _unit_roles(user).items() if Role.UNIT_HEAD in roles)


def _is_platform_admin(user: Any) -> bool:
    return _is_active_staff(user) and bool(user.is_platform_admin)


# --- Services ------------------------------------------------------------------------------------


def can_manage_service(user: Any, unit: ServiceUnit) -> bool:
    """Platform administrators, and the head of the unit that offers the service."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_platform_admin:
        return True
    return bool(user.memberships.filter(is_active=True, role=Role.UNIT_HEAD, unit=unit).exists())


def get_service_for_user(user: Any, slug: str) -> Service:
    """A published service of an active unit and agency; anything else is a 404 for everyone.

    Unpublished services are not shown to staff here either: staff read them in the back office
    (``get_service_for_staff``).
    """
    try:
        return public_service_detail().get(slug=slug)
    except Service.DoesNotExist as error:
        raise Http404(slug) from error


def get_service_for_staff(user: Any, slug: str) -> Service:
    """The service for the back office: 404 when there is none, 403 outside the user's units."""
    service = Service.objects.select_related("unit__agency", "adopted_standard").filter(slug=slug).first()
    if service is None:
        raise Http404(slug)
    if not can_edit_standard(user, service):
        raise PermissionDenied
    return service


# --- Standards -----------------------------------------------------------------------------------


def can_edit_standard(user: Any, service: Service) -> bool:
    """Staff of the service's unit (front office, back office, unit head) read and draft standards.

    Platform administrators may not: a standard belongs to the agency that serves by it.
    """
    return service.unit_id in standard_unit_ids(user)


def can_adopt_standard(user: Any, service: Service) -> bool:
    """Only the head of the service's unit sets (*menetapkan*) its standard."""
    return service.unit_id in headed_unit_ids(user)


def get_standard_for_staff(user: Any, slug: str, version: int) -> ServiceStandard:
    """One version of a service's standard, under the same rules as ``get_service_for_staff``."""
    service = get_service_for_staff(user, slug)
    standard = (
        ServiceStandard.objects.select_related("based_on", "created_by", "adopted_by")
        .filter(service=service, version=version)
        .first()
    )
    if standard is None:
        raise Http404(f"{slug} v{version}")
    standard.service = service
    return standard


# --- Service promise (maklumat pelayanan) --------------------------------------------------------


def can_manage_promise(user: Any, unit: ServiceUnit) -> bool:
    """The head of the unit signs its promise; platform administrators may record it for them."""
    return _is_platform_admin(user) or unit.pk in headed_unit_ids(user)


def can_view_promises(user: Any) -> bool:
    """The promise page is for unit staff and platform administrators."""
    return _is_platform_admin(user) or bool(_unit_roles(user))


def get_unit_for_promise(user: Any, agency_slug: str, unit_slug: str) -> ServiceUnit:
    """The unit whose promise ``user`` records: 404 when there is none, 403 when not allowed."""
    unit = (
        ServiceUnit.objects.select_related("agency").filter(agency__slug=agency_slug, slug=unit_slug).first()
    )
    if unit is None:
        raise Http404(f"{agency_slug}/{unit_slug}")
    if not can_manage_promise(user, unit):
        raise PermissionDenied
    return unit
