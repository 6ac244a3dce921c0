"""Work queues over cases (applications, complaints, ...): the deadline flags, the keyset cursor,
a page of rows (``take_page``, ``flagged``, ``CaseRow``, ``CasePage``) and its state labels. Every
queue is sorted by (due_date, id), the stored deadline columns of ``WorkflowCase``, so these work
for any case model."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

from layanan.workflow.engine import QueueThresholds
from layanan.workflow.models import NO_DUE_DATE, StoredWorkflow, WorkflowCase

CaseT = TypeVar("CaseT", bound=WorkflowCase)
RowT = TypeVar("RowT")

OVERDUE = "overdue"
DUE_SOON = "due_soon"
DEADLINE_FLAGS = (OVERDUE, DUE_SOON)


@dataclass(frozen=True)
class Cursor:
    """A position in the queue: the (due date, id) of the last row of the previous page."""

    due_date: datetime.date
    pk: int

    def encode(self) -> str:
        return f"{self.due_date.isoformat()}_{self.pk}"

    @classmethod
    def decode(cls, raw: str) -> Cursor | None:
        """The cursor written by ``encode``; None for anything else (the first page is shown)."""
        day, sep, pk = raw.partition("_")
        if not sep or not pk.isdigit() or len(pk) > 18:
            return None
        try:
            return cls(datetime.date.fromisoformat(day), int(pk))
        except ValueError:
            return None


@dataclass(frozen=True)
class CaseRow(Generic[CaseT]):
    """A case in a work queue, with its state label and its deadline flags. Each app's queue row
    names the case after its kind (``application``, ``complaint``)."""

    case: CaseT
    state_label: Any
    overdue: bool
    due_soon: bool

    @property
    def has_due_date(self) -> bool:
        return self.case.due_date != NO_DUE_DATE


@dataclass(frozen=True)
class CasePage(Generic[RowT]):
    """One page of a work queue and the cursor of the next (None on the last page)."""

    rows: list[RowT]
    next_cursor: Cursor | None


def flags(due_date: datetime.date, thresholds: QueueThresholds) -> tuple[bool, bool]:
    """(overdue, due soon) of a stored due date (see ``QueueThresholds``)."""
    if due_date == NO_DUE_DATE:
        return False, False
    overdue = due_date < thresholds.overdue_before
    return overdue, not overdue and due_date < thresholds.due_soon_before


def with_flag(queryset: QuerySet[CaseT], flag: str, thresholds: QueueThresholds) -> QuerySet[CaseT]:
    """Only the overdue (``OVERDUE``) or due-soon (``DUE_SOON``) cases; all for any other flag."""
    if flag == OVERDUE:
        return queryset.filter(due_date__lt=thresholds.overdue_before)
    if flag == DUE_SOON:
        return queryset.filter(
            due_date__gte=thresholds.overdue_before, due_date__lt=thresholds.due_soon_before
        )
    return queryset


def after_cursor(queryset: QuerySet[CaseT], cursor: Cursor | None) -> QuerySet[CaseT]:
    """Rows strictly after ``cursor`` in (due_date, id) order, as one row-value comparison: the
    database starts the index range at the cursor (PostgreSQL: one index condition; the
    ``due_date > d OR (due_date = d AND id > n)`` form becomes a BitmapOr and a sort when many rows
    share a due date, such as the paused cases under NO_DUE_DATE). SQLite has row values too."""
    if cursor is None:
        return queryset
    table = queryset.model._meta.db_table
    return queryset.extra(  # noqa: S610 - fixed SQL, the values are parameters
        where=[f'("{table}"."due_date", "{table}"."id") > (%s, %s)'], params=[cursor.due_date, cursor.pk]
    )


def take_page(queryset: QuerySet[CaseT], limit: int) -> tuple[list[CaseT], Cursor | None]:
    """The first ``limit`` cases of ``queryset`` (one query, for one case more, to know whether
    another page follows) and the cursor of the next page (None on the last page)."""
    found = list(queryset[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    last = found[-1] if found else None
    return found, (Cursor(last.due_date, last.pk) if more and last is not None else None)


def flagged(cases: Sequence[CaseT], thresholds: QueueThresholds) -> list[tuple[CaseT, Any, bool, bool]]:
    """Each case of a page with its state label, overdue and due soon (one query, for the labels):
    the fields of a queue row."""
    labels = state_labels(cases)
    return [
        (case, labels[(case.workflow_id, case.state)], *flags(case.due_date, thresholds)) for case in cases
    ]


def state_labels(cases: Sequence[WorkflowCase]) -> dict[tuple[int, str], Any]:
    """The state label of each (workflow version, state) on the page: one query for the versions."""
    workflow_ids = {case.workflow_id for case in cases}
    if not workflow_ids:
        return {}
    versions = {w.pk: w for w in StoredWorkflow.objects.filter(pk__in=workflow_ids)}
    labels: dict[tuple[int, str], Any] = {}
    for case in cases:
        key = (case.workflow_id, case.state)
        if key not in labels:
            definition = versions[case.workflow_id].parsed()
            labels[key] = (
                definition.state(case.state).display_label if definition.has_state(case.state) else case.state
            )
    return labels
