"""Who may work the queue.

* Anyone takes a ticket (kiosk, phone) and reads the display board and the waiting times.
* Officers (front office, back office, unit head) of the agency a counter belongs to open a
  session there and call, serve, transfer and close tickets at it.
* The staff of the unit that runs the site (the MPP operator) greet visitors (a priority ticket
  for someone who needs it) and read the site's analytics; so do platform administrators.
"""

from __future__ import annotations

from typing import Any

from layanan.accounts.permissions import is_staff_user, unit_roles_of
from layanan.accounts.roles import UNIT_ROLES, Role
from layanan.queueing.models import Counter, Site


def _agency_ids(user: Any) -> frozenset[int]:
    cached: frozenset[int] | None = getattr(user, "_queue_agency_ids", None)
    if cached is None:
        cached = frozenset()
        if is_staff_user(user):
            cached = frozenset(
                user.memberships.filter(is_active=True, role__in=sorted(UNIT_ROLES), unit__isnull=False)
                .values_list("unit__agency_id", flat=True)
                .distinct()
            )
        user._queue_agency_ids = cached
    return cached


def can_work_counter(user: Any, counter: Counter) -> bool:
    return counter.agency_id in _agency_ids(user)


def can_manage_site(user: Any, site: Site) -> bool:
    """Greeter and analytics: the staff of the site's operating unit, platform administrators."""
    if not is_staff_user(user):
        return False
    if user.is_platform_admin:
        return True
    return bool(unit_roles_of(user).get(site.operator_id, frozenset()) & {Role.FRONT_OFFICE, Role.UNIT_HEAD})
