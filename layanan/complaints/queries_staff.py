"""Reads of the staff side of complaints: the work queue of each role, one case's timeline,
dispositions and attachments, the units a report can be disposed to, and the export rows.

Visibility comes from ``layanan.complaints.permissions.handled_by``; each role's queue narrows it
to the reports waiting for that role:

* a **coordinator** (*admin koordinator*): reports to verify or dispose (submitted, verifying, not
  our authority) of their regency, and every open report escalated to them (level 1 or more);
* a **unit officer** (back office, unit head): reports disposed to their unit, not yet answered
  (disposed, in progress);
* the **inspectorate**: the open reports of the protected channel (*pungli*) and those escalated to
  it (level 2).

The queue and the export read plain indexed columns only: the reporter's columns
(``reporter_data``, ``reporter``, ``reporter_index``) and the report's body are never selected
(``QUEUE_COLUMNS_NEVER_READ``). Keyset pagination on (due date, id), as in
``layanan.applications.queries_staff``: a constant number of queries per page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from layanan.accounts.models import ServiceUnit
from layanan.complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintKind,
    Disposition,
)
from layanan.complaints.permissions import UNIT_ROLES, handled_by, memberships_of
from layanan.workflow.defaults import COORDINATOR, INSPECTORATE
from layanan.workflow.engine import QueueThresholds

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
EXPORT_LIMIT = 5000


COORDINATOR_STATES = ("submitted", "verifying", "not_authority")
UNIT_STATES = ("disposed", "in_progress")
# Never loaded for a list or an export: who reported, and the free text that may name them.
QUEUE_COLUMNS_NEVER_READ = (
    "reporter",
    "reporter_data",
    "reporter_index",
    "body",
    "attributes",
    "tracking_secret_digest",
    "idempotency_scope",
    "idempotency_key",
    "idempotency_fingerprint",
    "rating_comment",
)


# --- Keyset pagination ----------------------------------------------------------------------------


# --- The work queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    kind: str = ""
    category: str = ""  # a category slug
    flag: str = ""  # "", OVERDUE or DUE_SOON


class QueueRow(CaseRow[Complaint]):
    @property
    def complaint(self) -> Complaint:
        return self.case


def queue_roles(user: Any) -> set[str]:
    """The complaint roles ``user`` holds anywhere (coordinator, inspectorate, unit officer)."""
    roles: set[str] = set()
    for role, *_rest in memberships_of(user):
        if role in (COORDINATOR, INSPECTORATE):
            roles.add(role)
        elif role in UNIT_ROLES:
            roles.add("unit")
    return roles


def waiting_for(user: Any) -> Q:
    """The reports waiting for one of ``user``'s roles (within what ``handled_by`` lets them see)."""
    condition = Q(pk__in=[])
    for role, agency_id, unit_id, _regency in memberships_of(user):
        if role == COORDINATOR:
            condition |= Q(state__in=COORDINATOR_STATES) | Q(escalation_level__gte=1)
        elif role == INSPECTORATE:
            condition |= Q(kind=ComplaintKind.WHISTLEBLOWING) | Q(escalation_level__gte=2)
        elif role in UNIT_ROLES:
            unit = Q(agency_id=agency_id) if unit_id is None else Q(unit_id=unit_id)
            condition |= unit & Q(state__in=UNIT_STATES)
    return condition


def queue_queryset(user: Any, filters: QueueFilters, thresholds: QueueThresholds) -> QuerySet[Complaint]:
    """The open reports waiting for ``user``, matching ``filters``, most urgent first."""
    queryset = handled_by(user).filter(waiting_for(user), is_open=True)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.category:
        queryset = queryset.filter(category__slug=filters.category)
    return with_flag(queryset, filters.flag, thresholds).order_by("due_date", "id")


def _listed(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return queryset.select_related(
        "category", "region", "agency", "unit", "suggested_agency", "suggested_category"
    ).defer(*QUEUE_COLUMNS_NEVER_READ)


def _rows(found: Sequence[Complaint], thresholds: QueueThresholds) -> list[QueueRow]:
    return [QueueRow(*row) for row in flagged(found, thresholds)]


def queue_page(
    user: Any,
    filters: QueueFilters,
    thresholds: QueueThresholds,
    *,
    after: Cursor | None = None,
    limit: int = QUEUE_PAGE_SIZE,
) -> CasePage[QueueRow]:
    """One page of the queue: the memberships (cached on the user), the rows with their category,
    region, agency, unit and suggestion, and the workflow versions for the state labels. No
    OFFSET, no COUNT: the next page starts after the last row of this one."""
    queryset = _listed(after_cursor(queue_queryset(user, filters, thresholds), after))
    found, next_cursor = take_page(queryset, limit)
    return CasePage(rows=_rows(found, thresholds), next_cursor=next_cursor)


def export_rows(
    user: Any, filters: QueueFilters, thresholds: QueueThresholds, *, limit: int = EXPORT_LIMIT
) -> list[QueueRow]:
    """Every row of the queue ``user`` sees (up to ``limit``), for the CSV export."""
    found = list(_listed(queue_queryset(user, filters, thresholds))[:limit])
    return _rows(found, thresholds)


def queue_categories() -> list[ComplaintCategory]:
    return list(ComplaintCategory.objects.filter(is_active=True).order_by("sort_order", "name"))


# --- One case -------------------------------------------------------------------------------------


def case_for_staff(user: Any, reference: str) -> Complaint | None:
    """The report ``reference`` if ``user`` may open it as staff (else None), with what the case
    page shows."""
    return (
        handled_by(user)
        .select_related(
            "category",
            "region",
            "agency",
            "unit__agency",
            "target_agency",
            "target_service",
            "suggested_agency",
            "suggested_category",
            "workflow",
        )
        .filter(reference=reference)
        .first()
    )


def timeline_of(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """Every event of the case, staff-only ones included, oldest first, with the actor."""
    return ComplaintEvent.objects.filter(case=complaint).select_related("actor").order_by("at", "id")


def dispositions_of(complaint: Complaint) -> QuerySet[Disposition]:
    """The *disposisi* chain, oldest first."""
    return (
        Disposition.objects.filter(complaint=complaint)
        .select_related("from_agency", "to_agency", "to_unit", "category", "by")
        .order_by("at", "id")
    )


def attachments_of(complaint: Complaint) -> QuerySet[ComplaintAttachment]:
    return ComplaintAttachment.objects.filter(complaint=complaint).order_by("id")


def attachment_of(complaint: Complaint, public_id: Any) -> ComplaintAttachment | None:
    return ComplaintAttachment.objects.filter(complaint=complaint, public_id=public_id).first()


def disposable_units() -> list[ServiceUnit]:
    """Active units of active agencies, by agency and name (the disposition form's choices)."""
    return list(
        ServiceUnit.objects.filter(is_active=True, agency__is_active=True)
        .select_related("agency")
        .order_by("agency__name", "name", "pk")
    )


def first_unit_of_agencies(slugs: Sequence[str]) -> dict[str, ServiceUnit]:
    """For each agency slug, the unit that takes its complaints when none is chosen (its first
    active unit, as ``actions.complaint_unit_of``), in one query."""
    found: dict[str, ServiceUnit] = {}
    units = (
        ServiceUnit.objects.filter(is_active=True, agency__is_active=True, agency__slug__in=list(slugs))
        .select_related("agency")
        .order_by("pk")
    )
    for unit in units:
        found.setdefault(unit.agency.slug, unit)
    return found


def categories_by_slug(slugs: Sequence[str]) -> dict[str, ComplaintCategory]:
    if not slugs:
        return {}
    return {c.slug: c for c in ComplaintCategory.objects.filter(slug__in=list(set(slugs)))}
