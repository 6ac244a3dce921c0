"""The one ORM workflow engine: start a case, run a transition, refresh deadlines, escalate.

Applications, complaints and consultations each call these functions from their own
``transition_<x>`` action, which adds what only that app knows: who the actor is for the case
(``roles``), which conditions hold (``facts``), the audit event, notifications and side effects
(a bill, an output document). Every function here expects to run inside that action's transaction;
``transition_case`` and ``escalate_case`` lock the case row first (``select_for_update``), so two
officers acting on one case at once leave exactly one change: the second sees the new state and
gets ``TransitionNotAllowed("wrong_state")``.

Deadlines are recomputed from the timeline (``layanan.workflow.deadlines``) after every change and
stored on the case (``due_date`` and friends), so work queues filter and sort on plain indexed
date columns and never compute a deadline per row.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.core.references import make_reference
from layanan.workflow.deadlines import (
    CaseDeadlines,
    Deadline,
    WorkingDayCalendar,
    case_deadlines,
    escalations_due,
)
from layanan.workflow.definition import Transition, TransitionNotAllowed, WorkflowDefinition
from layanan.workflow.models import NO_DUE_DATE, CaseCounter, StoredWorkflow, TimelineEvent, WorkflowCase

CaseT = TypeVar("CaseT", bound=WorkflowCase)


class DayCalendar(WorkingDayCalendar, Protocol):
    """What the engine needs of a calendar (``layanan.workdays.calendar.WorkCalendar`` has it)."""

    def is_working_day(self, day: datetime.date, /) -> bool: ...

    def next_working_day(self, day: datetime.date, /) -> datetime.date: ...

    def previous_working_day(self, day: datetime.date, /) -> datetime.date: ...

    def local_date(self, moment: datetime.datetime | datetime.date, /) -> datetime.date: ...


# Stored definitions ------------------------------------------------------------------------------


def latest_workflow(scope: str) -> StoredWorkflow | None:
    return StoredWorkflow.objects.filter(scope=scope).order_by("-version").first()


def store_workflow(scope: str, definition: WorkflowDefinition, *, actor: Any | None) -> StoredWorkflow:
    """Add a new version of the workflow of ``scope`` (the caller checks rights and audits).

    Storing a definition equal to the latest version returns that version unchanged.
    """
    data = definition.as_dict()
    latest = StoredWorkflow.objects.select_for_update().filter(scope=scope).order_by("-version").first()
    if latest is not None and latest.definition == data:
        return latest
    last = StoredWorkflow.objects.filter(scope=scope).aggregate(last=Max("version"))["last"] or 0
    return StoredWorkflow.objects.create(
        scope=scope,
        version=last + 1,
        definition=data,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


# References --------------------------------------------------------------------------------------


def next_reference(prefix: str, year: int) -> str:
    """The next case reference of ``prefix`` in ``year``, e.g. ``ADU-2026-000123-8`` (locks the
    counter row until the caller's transaction ends, so numbers are never given twice)."""
    return make_reference(prefix, year, reserve_reference_numbers(prefix, year, 1)[0])


def reserve_reference_numbers(prefix: str, year: int, count: int) -> range:
    """Reserve ``count`` consecutive sequence numbers of ``prefix`` in ``year`` at once (one locked
    update), for a process that hands them out from memory; unused ones are never given again."""
    with transaction.atomic():
        counter = CaseCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
        if counter is None:
            try:
                with transaction.atomic():
                    CaseCounter.objects.create(prefix=prefix, year=year, last=0)
            except IntegrityError:
                pass
            counter = CaseCounter.objects.select_for_update().get(prefix=prefix, year=year)
        first = counter.last + 1
        CaseCounter.objects.filter(pk=counter.pk).update(last=counter.last + count)
    return range(first, first + count)


# Deadlines ---------------------------------------------------------------------------------------


def history_of(case: WorkflowCase, event_model: type[TimelineEvent]) -> list[tuple[str, datetime.datetime]]:
    """The (state, entered_at) history of a case from its transition events, oldest first."""
    rows = (
        event_model._default_manager.filter(**{"case": case, "kind": TimelineEvent.Kind.TRANSITION})
        .order_by("at", "id")
        .values_list("to_state", "at")
    )
    return [(state, at) for state, at in rows]


def deadlines_of(
    case: WorkflowCase,
    history: Sequence[tuple[str, datetime.datetime]],
    calendar: WorkingDayCalendar,
    now: datetime.datetime | None = None,
) -> CaseDeadlines:
    return case_deadlines(case.definition(), history, calendar, now or timezone.now())


def _store_deadlines(case: WorkflowCase, deadlines: CaseDeadlines) -> None:
    # While the clock is paused (the case waits for the applicant) every deadline moves on day by
    # day, so none can fall due: the queue sorts the case last (NO_DUE_DATE) until it comes back.
    paused = case.definition().state(case.state).effective_clock == "paused"
    live = [] if paused else [d for d in deadlines.all() if not d.stopped]
    case.step_due_date = deadlines.step.due if deadlines.step and not deadlines.step.stopped else None
    case.overall_due_date = deadlines.overall.due if deadlines.overall else None
    live_alarms = [d.due for d in deadlines.alarms if not d.stopped]
    case.alarm_due_date = min(live_alarms) if live_alarms else None
    case.due_date = min((d.due for d in live), default=NO_DUE_DATE)


def refresh_deadlines(
    case: WorkflowCase,
    event_model: type[TimelineEvent],
    calendar: WorkingDayCalendar,
    now: datetime.datetime | None = None,
) -> CaseDeadlines:
    """Recompute and set (not save) the stored due dates of ``case`` from its timeline."""
    deadlines = deadlines_of(case, history_of(case, event_model), calendar, now)
    _store_deadlines(case, deadlines)
    return deadlines


@dataclass(frozen=True)
class QueueThresholds:
    """Date bounds that turn the deadline flags into plain comparisons on ``due_date``:
    overdue when ``due_date < overdue_before``; due soon when
    ``overdue_before <= due_date < due_soon_before``. Same rules as ``layanan.workflow.deadlines``
    (a due day is on time all day; due soon = at most one working day left)."""

    overdue_before: datetime.date
    due_soon_before: datetime.date


def queue_thresholds(calendar: DayCalendar, now: datetime.datetime | None = None) -> QueueThresholds:
    today = calendar.local_date(now or timezone.now())
    last_working = today if calendar.is_working_day(today) else calendar.previous_working_day(today)
    return QueueThresholds(
        overdue_before=last_working,
        due_soon_before=calendar.next_working_day(calendar.next_working_day(today)),
    )


# Cases -------------------------------------------------------------------------------------------


def start_case(
    case: CaseT,
    *,
    workflow: StoredWorkflow,
    event_model: type[TimelineEvent],
    calendar: WorkingDayCalendar,
    actor: Any | None,
    actor_role: str,
    at: datetime.datetime | None = None,
    note: str = "",
) -> TimelineEvent:
    """Save a new ``case`` in the workflow's initial state with its first timeline event."""
    at = at or timezone.now()
    definition = workflow.parsed()
    case.workflow = workflow
    case.state = definition.initial
    case.state_entered_at = at
    case.is_open = True
    _store_deadlines(case, case_deadlines(definition, [(definition.initial, at)], calendar, at))
    case.save(force_insert=True)
    return event_model._default_manager.create(
        **{"case": case},
        kind=TimelineEvent.Kind.TRANSITION,
        at=at,
        actor=_user(actor),
        actor_role=actor_role,
        transition="submit",
        to_state=definition.initial,
        note=note,
    )


@dataclass(frozen=True)
class TransitionOutcome:
    case: WorkflowCase
    event: TimelineEvent
    transition: Transition
    from_state: str
    deadlines: CaseDeadlines


def lock_case(case_model: type[CaseT], pk: Any) -> CaseT:
    return case_model._default_manager.select_for_update().select_related("workflow").get(pk=pk)


def transition_case(
    case: WorkflowCase,
    key: str,
    *,
    roles: Collection[str],
    facts: Collection[str],
    actor: Any | None,
    actor_role: str,
    event_model: type[TimelineEvent],
    calendar: WorkingDayCalendar,
    note: str = "",
    is_public: bool = True,
    data: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> TransitionOutcome:
    """Take transition ``key`` on a case the caller has locked (``lock_case``).

    Raises ``TransitionNotAllowed`` (wrong state, role, unmet condition) or ``ValidationError``
    (code ``note_required``) and changes nothing; otherwise moves the case, appends the timeline
    event, recomputes and stores the deadlines and saves the case.
    """
    _require_atomic()
    definition = case.definition()
    transition = definition.transition(key, case.state, roles, facts)
    note = note.strip()
    if transition.requires_note and not note:
        raise ValidationError(_("Write a note: the applicant needs to know why."), code="note_required")
    at = now or timezone.now()
    from_state = case.state
    target = definition.state(transition.target)
    case.state = target.key
    case.state_entered_at = at
    case.is_open = not target.is_final
    event = event_model._default_manager.create(
        **{"case": case},
        kind=TimelineEvent.Kind.TRANSITION,
        at=at,
        actor=_user(actor),
        actor_role=actor_role,
        transition=transition.key,
        from_state=from_state,
        to_state=target.key,
        note=note,
        is_public=is_public,
        data=data or {},
    )
    deadlines = refresh_deadlines(case, event_model, calendar, at)
    case.save()
    return TransitionOutcome(case, event, transition, from_state, deadlines)


def add_timeline_event(
    case: WorkflowCase,
    kind: str,
    *,
    event_model: type[TimelineEvent],
    actor: Any | None,
    actor_role: str,
    note: str = "",
    is_public: bool = False,
    data: dict[str, Any] | None = None,
    at: datetime.datetime | None = None,
) -> TimelineEvent:
    """A timeline entry that does not change the state (assignment, note, document, payment)."""
    return event_model._default_manager.create(
        **{"case": case},
        kind=kind,
        at=at or timezone.now(),
        actor=_user(actor),
        actor_role=actor_role,
        from_state=case.state,
        to_state="",
        note=note,
        is_public=is_public,
        data=data or {},
    )


def escalate_case(
    case: WorkflowCase,
    *,
    event_model: type[TimelineEvent],
    calendar: WorkingDayCalendar,
    now: datetime.datetime | None = None,
) -> list[Deadline]:
    """Escalate the overdue live deadlines of a locked case that were not escalated before.

    Each escalation gets a timeline event (staff only) and its key is stored on the case, so a
    second run at any later moment escalates nothing new for the same deadline.
    """
    _require_atomic()
    if not case.is_open:
        return []
    at = now or timezone.now()
    due = escalations_due(case.definition(), history_of(case, event_model), calendar, at, case.escalated_keys)
    for deadline in due:
        event_model._default_manager.create(
            **{"case": case},
            kind=TimelineEvent.Kind.ESCALATION,
            at=at,
            actor=None,
            actor_role="system",
            from_state=case.state,
            is_public=False,
            data={"deadline": deadline.key, "kind": deadline.kind, "due": deadline.due.isoformat()},
        )
    if due:
        case.escalated_keys = [*case.escalated_keys, *(d.key for d in due)]
        case.save(update_fields=["escalated_keys"])
    return due


def overdue_candidates(
    queryset: models.QuerySet[CaseT], calendar: DayCalendar, now: datetime.datetime | None = None
) -> models.QuerySet[CaseT]:
    """Open cases whose stored due date is already past (the ones worth checking for escalation)."""
    return queryset.filter(is_open=True, due_date__lt=queue_thresholds(calendar, now).overdue_before)


def _user(actor: Any | None) -> Any | None:
    return (
        actor
        if getattr(actor, "pk", None) is not None and getattr(actor, "is_authenticated", False)
        else None
    )


def _require_atomic() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Workflow changes must run inside the calling action's transaction.")


__all__ = [
    "NO_DUE_DATE",
    "QueueThresholds",
    "TransitionNotAllowed",
    "TransitionOutcome",
    "add_timeline_event",
    "deadlines_of",
    "escalate_case",
    "history_of",
    "latest_workflow",
    "lock_case",
    "next_reference",
    "overdue_candidates",
    "queue_thresholds",
    "refresh_deadlines",
    "reserve_reference_numbers",
    "start_case",
    "store_workflow",
    "transition_case",
]
