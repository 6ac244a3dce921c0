"""Who may see and act on complaints: the one place these questions are answered.

* **Coordinators** (*admin koordinator*) verify and dispose every report of their regency: the
  regency of their agency's region (``Complaint.regency_code``), and the reports disposed to their
  own agency. They never see the protected channel (*pungli*).
* **The inspectorate** of a regency sees every report of it, handles the protected channel alone,
  and receives escalations.
* **Unit officers** (back office and unit head) of the unit a report was disposed to answer it.
* **The reporter** (their account, or anyone holding the tracking reference and secret) follows
  their own report.
* Nobody on the staff side ever reads an anonymous reporter's identity: ``can_see_reporter``
  answers False for every staff member, and the identity is not even linked in the database
  (``Complaint.reporter`` is NULL). Platform administrators handle accounts, not reports: they hold
  no case role.

What a person may *do* is the workflow's business (``actions.roles_for``); this module answers who
may look.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from layanan.accounts.models import StaffMembership, User
from layanan.accounts.roles import Role
from layanan.complaints.models import Complaint, ComplaintKind
from layanan.core.crypto import blind_index
from layanan.core.references import check_secret
from layanan.workflow.defaults import BACK_OFFICE, CITIZEN, COORDINATOR, INSPECTORATE, UNIT_HEAD

REPORTER_PURPOSE = "complaint-reporter"
UNIT_ROLES = frozenset({BACK_OFFICE, UNIT_HEAD})


def reporter_index_of(user: Any) -> str:
    """The keyed blind index that ties a report to its reporter's account without naming it."""
    return blind_index(str(user.pk), purpose=REPORTER_PURPOSE)


def is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "kind", None) == User.Kind.STAFF


def memberships_of(user: Any) -> list[tuple[str, int, int | None, str]]:
    """(role, agency id, unit id, agency regency code) of the user's active memberships, cached on
    the user object for the request."""
    cached = getattr(user, "_complaint_memberships", None)
    if cached is None:
        rows = (
            StaffMembership.objects.active()
            .filter(user=user)
            .values_list("role", "agency_id", "unit_id", "agency__region_id")
        )
        cached = [(role, agency, unit, (region or "")[:5]) for role, agency, unit, region in rows]
        user._complaint_memberships = cached
    return cached


def is_reporter(user: Any, complaint: Complaint) -> bool:
    if not getattr(user, "is_authenticated", False) or not complaint.reporter_index:
        return False
    return complaint.reporter_index == reporter_index_of(user)


def holds_secret(complaint: Complaint, tracking_secret: str | None) -> bool:
    return bool(tracking_secret) and check_secret(tracking_secret or "", complaint.tracking_secret_digest)


def staff_roles_for(user: Any, complaint: Complaint) -> set[str]:
    """The staff workflow roles ``user`` holds for ``complaint``."""
    if not is_staff(user):
        return set()
    roles: set[str] = set()
    protected = complaint.kind == ComplaintKind.WHISTLEBLOWING
    for role, agency_id, unit_id, regency in memberships_of(user):
        in_regency = regency == complaint.regency_code
        if role == INSPECTORATE and (in_regency or agency_id == complaint.agency_id):
            roles.add(INSPECTORATE)
            if protected:
                # The protected channel has no other handler: the inspectorate also investigates
                # and answers (the unit steps of the workflow).
                roles |= UNIT_ROLES
        elif protected:
            continue
        elif role == COORDINATOR and (
            in_regency or (complaint.agency_id and agency_id == complaint.agency_id)
        ):
            roles.add(COORDINATOR)
        elif (
            role in UNIT_ROLES
            and complaint.unit_id is not None
            and agency_id == complaint.agency_id
            and (unit_id is None or unit_id == complaint.unit_id)
        ):
            roles.add(role)
    return roles


def roles_for(user: Any, complaint: Complaint, *, tracking_secret: str | None = None) -> set[str]:
    roles = staff_roles_for(user, complaint)
    if is_reporter(user, complaint) or holds_secret(complaint, tracking_secret):
        roles.add(CITIZEN)
    return roles


def can_handle(user: Any, complaint: Complaint) -> bool:
    """Whether a staff member may open the case page of ``complaint``."""
    return bool(staff_roles_for(user, complaint))


def can_see_reporter(user: Any, complaint: Complaint) -> bool:
    """Whether ``user`` may read who reported (name, contact): never for an anonymous report;
    otherwise the coordinators, the inspectorate and the unit handling it."""
    if complaint.is_anonymous:
        return False
    return can_handle(user, complaint)


def is_complaint_staff(user: Any) -> bool:
    """Whether ``user`` works on complaints at all (the staff menu shows the complaint pages)."""
    return is_staff(user) and any(
        role in {COORDINATOR, INSPECTORATE, BACK_OFFICE, UNIT_HEAD} for role, *_ in memberships_of(user)
    )


def handled_by(user: Any) -> QuerySet[Complaint]:
    """Every complaint ``user`` may open as staff (one query, no decryption)."""
    if not is_staff(user):
        return Complaint.objects.none()
    condition = Q(pk__in=[])
    for role, agency_id, unit_id, regency in memberships_of(user):
        if role == INSPECTORATE:
            condition |= Q(regency_code=regency) | Q(agency_id=agency_id)
        elif role == COORDINATOR:
            condition |= (Q(regency_code=regency) | Q(agency_id=agency_id)) & ~Q(
                kind=ComplaintKind.WHISTLEBLOWING
            )
        elif role in UNIT_ROLES:
            unit = Q(agency_id=agency_id, unit__isnull=False) if unit_id is None else Q(unit_id=unit_id)
            condition |= unit & ~Q(kind=ComplaintKind.WHISTLEBLOWING)
    return Complaint.objects.filter(condition)


def reported_by(user: Any) -> QuerySet[Complaint]:
    """The reports ``user`` made (anonymous ones too: found through the blind index)."""
    if not getattr(user, "is_authenticated", False):
        return Complaint.objects.none()
    return Complaint.objects.filter(reporter_index=reporter_index_of(user))


def staff_role_codes() -> frozenset[str]:
    return frozenset({str(Role.COMPLAINT_COORDINATOR.value), str(Role.INSPECTORATE.value)})
