"""Who may see and do what with the satisfaction survey.

* Anyone may answer: with an invitation token (after an application, a counter visit or a queue
  ticket) or through a unit's general link. No account, no NIK.
* The staff of a unit (front office, back office, unit head) follow their unit's survey live and
  issue one-time codes at the counter.
* Only the unit head moderates suggestions, writes the follow-up plan and publishes the report.
* The inspectorate and platform administrators read every unit's survey (read only).
* Published reports are public.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from layanan.accounts.models import ServiceUnit
from layanan.accounts.permissions import is_staff_user
from layanan.accounts.permissions import unit_roles_of as _unit_roles
from layanan.accounts.roles import UNIT_ROLES, Role


def reads_every_unit(user: Any) -> bool:
    """The inspectorate and platform administrators read every unit's survey."""
    if not is_staff_user(user):
        return False
    if user.is_platform_admin:
        return True
    cached: bool | None = getattr(user, "_survey_reads_all", None)
    if cached is None:
        cached = bool(user.memberships.filter(is_active=True, role=Role.INSPECTORATE).exists())
        user._survey_reads_all = cached
    return cached


def member_unit_ids(user: Any) -> frozenset[int]:
    return frozenset(_unit_roles(user))


def can_view_unit_survey(user: Any, unit: ServiceUnit) -> bool:
    return unit.pk in _unit_roles(user) or reads_every_unit(user)


def can_issue_code(user: Any, unit: ServiceUnit) -> bool:
    """Officers of the unit hand out one-time codes to the people they served."""
    return bool(_unit_roles(user).get(unit.pk, frozenset()) & UNIT_ROLES)


def can_manage_report(user: Any, unit: ServiceUnit) -> bool:
    """Moderate suggestions, plan the follow-up, publish: the head of the unit only."""
    return Role.UNIT_HEAD in _unit_roles(user).get(unit.pk, frozenset())


def can_use_survey_back_office(user: Any) -> bool:
    return bool(_unit_roles(user)) or reads_every_unit(user)


def get_unit_for_staff(user: Any, agency_slug: str, unit_slug: str) -> ServiceUnit:
    """The unit by its slugs: 404 when there is none, 403 when ``user`` may not see its survey."""
    unit = (
        ServiceUnit.objects.select_related("agency", "region")
        .filter(agency__slug=agency_slug, slug=unit_slug)
        .first()
    )
    if unit is None:
        raise Http404(unit_slug)
    if not can_view_unit_survey(user, unit):
        raise PermissionDenied
    return unit
