"""Reads of the back office of applications: the work queue, the workload of a unit, a case's
timeline, shared documents and officers, and the versions of a service's workflow.

The queue and the workload read plain indexed columns only (unit, state, due date, assignee): the
answers (personal data, encrypted) are never loaded there. Deadline flags are plain date
comparisons on the stored ``due_date`` against ``layanan.workflow.engine.queue_thresholds``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, Q, QuerySet

from layanan.accounts.models import ServiceUnit, StaffMembership, User
from layanan.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
)
from layanan.applications.permissions import OFFICER_ROLES
from layanan.workflow.engine import QueueThresholds
from layanan.workflow.models import StoredWorkflow

# The queue's helpers. Those imported ``as`` themselves are re-exported: the views and tests read
# the queue's vocabulary from here.
from layanan.workflow.queues import DEADLINE_FLAGS as DEADLINE_FLAGS
from layanan.workflow.queues import DUE_SOON as DUE_SOON
from layanan.workflow.queues import OVERDUE as OVERDUE
from layanan.workflow.queues import CasePage, CaseRow, flagged, take_page
from layanan.workflow.queues import Cursor as Cursor
from layanan.workflow.queues import after_cursor as after_cursor
from layanan.workflow.queues import flags as flags
from layanan.workflow.queues import state_labels as state_labels
from layanan.workflow.queues import with_flag as with_flag

QUEUE_PAGE_SIZE = 25
OVERDUE_LIST_SIZE = 50


# --- Keyset pagination ----------------------------------------------------------------------------


# --- The work queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    flag: str = ""  # "", OVERDUE or DUE_SOON
    mine: bool = False
    unit_ids: tuple[int, ...] = ()


class QueueRow(CaseRow[Application]):
    @property
    def application(self) -> Application:
        return self.case


def queue_units(user: Any) -> list[ServiceUnit]:
    """The units whose queue ``user`` works on, by agency and name (one query)."""
    from layanan.applications.permissions import units_for

    return list(units_for(user).select_related("agency").order_by("agency__name", "name", "pk"))


def queue_queryset(user: Any, filters: QueueFilters, thresholds: QueueThresholds) -> QuerySet[Application]:
    """The open applications of ``filters.unit_ids`` matching the filters, in queue order.

    Written so each variant is one range of a composite index: ``app_queue_unit`` (unit, is_open,
    due_date, id), ``app_queue_unit_state`` (unit, state, due_date, id) with a state filter, and
    ``app_queue_assignee`` (assigned_to, is_open, due_date, id) for "assigned to me".
    """
    queryset = Application.objects.filter(unit_id__in=list(filters.unit_ids))
    queryset = queryset.filter(state=filters.state) if filters.state else queryset.filter(is_open=True)
    if filters.mine:
        queryset = queryset.filter(assigned_to_id=getattr(user, "pk", None))
    return with_flag(queryset, filters.flag, thresholds).order_by("due_date", "id")


def queue_page(
    user: Any,
    filters: QueueFilters,
    thresholds: QueueThresholds,
    *,
    after: Cursor | None = None,
    limit: int = QUEUE_PAGE_SIZE,
) -> CasePage[QueueRow]:
    """One page of the queue (two queries: the rows with service, unit and assignee, then the
    workflow versions for the state labels). No OFFSET, no COUNT: the next page starts after the
    last row of this one."""
    queryset = (
        after_cursor(queue_queryset(user, filters, thresholds), after)
        .select_related("service", "unit", "assigned_to")
        .defer("answers")
    )
    found, next_cursor = take_page(queryset, limit)
    return CasePage(rows=[QueueRow(*row) for row in flagged(found, thresholds)], next_cursor=next_cursor)


# --- Workload (unit heads) ------------------------------------------------------------------------


@dataclass
class Counts:
    open: int = 0
    overdue: int = 0
    due_soon: int = 0


@dataclass
class OfficerLoad:
    user: User | None  # None: not assigned to anyone
    counts: Counts


@dataclass
class UnitLoad:
    unit: ServiceUnit
    counts: Counts = field(default_factory=Counts)
    officers: list[OfficerLoad] = field(default_factory=list)


@dataclass
class Workload:
    units: list[UnitLoad]
    overdue: list[QueueRow]


def _count_expressions(thresholds: QueueThresholds) -> dict[str, Any]:
    return {
        "open": Count("id"),
        "overdue": Count("id", filter=Q(due_date__lt=thresholds.overdue_before)),
        "due_soon": Count(
            "id",
            filter=Q(due_date__gte=thresholds.overdue_before, due_date__lt=thresholds.due_soon_before),
        ),
    }


def workload(units: Sequence[ServiceUnit], thresholds: QueueThresholds) -> Workload:
    """Open, overdue and due-soon counts per unit and per officer, and the overdue cases.

    Five queries whatever the number of units, officers or cases: two aggregates, the officers of
    the units, their user rows, and the overdue list.
    """
    unit_ids = [unit.pk for unit in units]
    open_cases = Application.objects.filter(unit_id__in=unit_ids, is_open=True)
    counts = _count_expressions(thresholds)
    unit_rows = cast(Iterable[dict[str, Any]], open_cases.values("unit_id").annotate(**counts).order_by())
    per_unit = {row["unit_id"]: Counts(row["open"], row["overdue"], row["due_soon"]) for row in unit_rows}
    officer_rows = cast(
        Iterable[dict[str, Any]], open_cases.values("unit_id", "assigned_to_id").annotate(**counts).order_by()
    )
    per_officer: dict[tuple[int, int | None], Counts] = {
        (row["unit_id"], row["assigned_to_id"]): Counts(row["open"], row["overdue"], row["due_soon"])
        for row in officer_rows
    }
    members: dict[int, set[int]] = {unit_id: set() for unit_id in unit_ids}
    memberships = (
        StaffMembership.objects.active()
        .filter(unit_id__in=unit_ids, role__in=list(OFFICER_ROLES))
        .values_list("unit_id", "user_id")
    )
    for unit_id, user_id in memberships:
        members[unit_id].add(user_id)
    user_ids = {uid for ids in members.values() for uid in ids}
    user_ids |= {uid for (_unit, uid) in per_officer if uid is not None}
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)} if user_ids else {}

    loads: list[UnitLoad] = []
    for unit in units:
        load = UnitLoad(unit=unit, counts=per_unit.get(unit.pk, Counts()))
        officer_ids = members[unit.pk] | {
            uid for (unit_id, uid) in per_officer if unit_id == unit.pk and uid is not None
        }
        officers = [
            OfficerLoad(users[uid], per_officer.get((unit.pk, uid), Counts()))
            for uid in officer_ids
            if uid in users
        ]
        officers.sort(key=lambda o: (-o.counts.overdue, -o.counts.open, o.user.full_name if o.user else ""))
        unassigned = per_officer.get((unit.pk, None))
        if unassigned is not None:
            officers.append(OfficerLoad(None, unassigned))
        load.officers = officers
        loads.append(load)

    overdue_cases = list(
        open_cases.filter(due_date__lt=thresholds.overdue_before)
        .select_related("service", "unit", "assigned_to")
        .defer("answers")
        .order_by("due_date", "id")[:OVERDUE_LIST_SIZE]
    )
    labels = state_labels(overdue_cases)
    overdue = [
        QueueRow(a, labels[(a.workflow_id, a.state)], overdue=True, due_soon=False) for a in overdue_cases
    ]
    return Workload(units=loads, overdue=overdue)


# --- One case -------------------------------------------------------------------------------------


def timeline_of(application: Application) -> QuerySet[ApplicationEvent]:
    """Every event of the case, staff-only ones included, oldest first, with the actor."""
    return ApplicationEvent.objects.filter(case=application).select_related("actor").order_by("at", "id")


def shared_documents(application: Application) -> QuerySet[ApplicationDocument]:
    return (
        ApplicationDocument.objects.filter(application=application)
        .select_related("vault_document")
        .order_by("id")
    )


def shared_document(application: Application, public_id: Any) -> ApplicationDocument | None:
    """The share of vault document ``public_id`` into ``application``, or None."""
    return (
        ApplicationDocument.objects.filter(application=application, vault_document__public_id=public_id)
        .select_related("vault_document")
        .first()
    )


def unit_officers(unit: ServiceUnit) -> QuerySet[User]:
    """Staff who may be given a case of ``unit`` (front office, back office, unit head)."""
    memberships = (
        StaffMembership.objects.active()
        .filter(role__in=list(OFFICER_ROLES), agency_id=unit.agency_id)
        .filter(Q(unit=unit) | Q(unit__isnull=True))
    )
    return (
        User.objects.filter(pk__in=memberships.values("user_id"), kind=User.Kind.STAFF, is_active=True)
        .order_by("full_name", "username")
        .distinct()
    )


def users_by_username(usernames: Iterable[str]) -> dict[str, User]:
    wanted = {name for name in usernames if name}
    if not wanted:
        return {}
    return {user.username: user for user in User.objects.filter(username__in=wanted)}


def workflow_versions(scope: str) -> QuerySet[StoredWorkflow]:
    """Every stored version of a workflow scope, newest first, with its author."""
    return StoredWorkflow.objects.filter(scope=scope).select_related("created_by").order_by("-version")
