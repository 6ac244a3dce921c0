"""Who may see and act on applications: the one place these questions are answered.

* The applicant sees their own applications (and drafts).
* Staff see applications of the units they serve: a membership with that unit, or an agency-wide
  membership (no unit) in its agency. The inspectorate reads every application of its agency.
* What a person may *do* to a case is the workflow's business (``actions.roles_for``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from layanan.accounts.models import ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.applications.models import Application, ApplicationDraft
from layanan.catalog.models import Service

CASE_ROLES = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD, Role.INSPECTORATE})
OFFICER_ROLES = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD})


def _is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "kind", None) == User.Kind.STAFF


def _memberships(user: Any, roles: frozenset[str]) -> QuerySet[StaffMembership]:
    return StaffMembership.objects.active().filter(user=user, role__in=list(roles))


def units_for(user: Any, roles: frozenset[str] = CASE_ROLES) -> QuerySet[ServiceUnit]:
    """The units whose applications ``user`` works on (or reads) in any of ``roles``."""
    if not _is_staff(user):
        return ServiceUnit.objects.none()
    memberships = _memberships(user, roles)
    unit_ids = memberships.filter(unit__isnull=False).values("unit_id")
    agency_ids = memberships.filter(unit__isnull=True).values("agency_id")
    return ServiceUnit.objects.filter(Q(pk__in=unit_ids) | Q(agency_id__in=agency_ids))


def serves_unit(user: Any, unit: ServiceUnit, roles: frozenset[str] = CASE_ROLES) -> bool:
    if not _is_staff(user):
        return False
    return (
        _memberships(user, roles)
        .filter(agency_id=unit.agency_id)
        .filter(Q(unit=unit) | Q(unit__isnull=True))
        .exists()
    )


def is_unit_officer(user: Any, unit: ServiceUnit) -> bool:
    return serves_unit(user, unit, OFFICER_ROLES)


def can_view_application(user: Any, application: Application) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if application.applicant_id == user.pk:
        return True
    return serves_unit(user, application.unit)


def can_assign(user: Any, application: Application, assignee: Any | None) -> bool:
    """Officers of the unit take (or drop) a case themselves; the unit head assigns anyone."""
    if serves_unit(user, application.unit, frozenset({Role.UNIT_HEAD})):
        return True
    if not serves_unit(user, application.unit, frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE})):
        return False
    if assignee is None:
        return bool(application.assigned_to_id == user.pk)
    return bool(assignee.pk == user.pk)


def can_register_for_citizen(user: Any, service: Service) -> bool:
    """Front-office officers of the service's unit register walk-in applications."""
    return serves_unit(user, service.unit, frozenset({Role.FRONT_OFFICE}))


def can_configure_service(user: Any, service: Service) -> bool:
    """Unit heads of the service's unit (and platform admins) edit its form and workflow."""
    if bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_platform_admin", False)):
        return True
    return serves_unit(user, service.unit, frozenset({Role.UNIT_HEAD}))


def can_revoke_output(user: Any, application: Application) -> bool:
    return serves_unit(user, application.unit, frozenset({Role.UNIT_HEAD}))


def get_application_for_user(user: Any, reference: str) -> Application:
    """The application ``reference`` if ``user`` may see it; 404 otherwise (no existence leak)."""
    application = (
        Application.objects.select_related("service", "unit__agency", "workflow", "applicant", "assigned_to")
        .filter(reference=reference)
        .first()
    )
    if application is None or not can_view_application(user, application):
        raise Http404
    return application


def get_draft_for_user(user: Any, public_id: Any) -> ApplicationDraft:
    draft = ApplicationDraft.objects.select_related("service").filter(public_id=public_id).first()
    if draft is None or draft.applicant_id != getattr(user, "pk", None):
        raise Http404
    return draft


def require_staff_case_access(user: Any, application: Application) -> None:
    if not serves_unit(user, application.unit):
        raise PermissionDenied
