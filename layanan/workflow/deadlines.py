"""Deadlines of one case from its history (pure: the caller passes the calendar and the moment).

Rules (``calendar`` is duck-typed like ``layanan.workdays.calendar.WorkCalendar``):

* **History** is the list of ``(state, entered_at)`` of the case, oldest first; the first entry
  starts the case. Each entry lasts until the next one; the last one lasts until now.
* **Step deadline.** Entering a state with ``deadline_working_days = n`` at ``t`` makes it due on
  ``add_working_days(t, n)``. Only the current state's step deadline is live.
* **Clock.** While a case is in a ``paused`` state (e.g. returned to the citizen for correction),
  the overall clock does not run: the working days it spends there (after the day it entered, up to
  and including the day it left or today) are added to the overall deadline. A ``stopped`` state
  (every final state, and e.g. "resolved") stops the clock: the due date freezes and no flag or
  escalation is raised. Leaving a stopped state again (a reopened complaint) counts the time spent
  in it as paused.
* **Overall deadline** ``n``: due ``add_working_days(first entered_at, n + paused days)``. With
  ``overall_starts_at`` (a standard whose time counts from the complete application) the clock
  starts when the case first enters that state; before that there is no overall deadline.
* **Alarm** (``definition.alarms``, e.g. UU 30/2014 Pasal 53): starts when the case last entered
  its start state, is met when the case then enters one of its stop states; paused days in between
  are added as for the overall deadline.
* **Flags** at a moment ``now``: ``working_days_left = working_days_between(now, due)``;
  *overdue* once a working day after the due date has begun (``working_days_between(due, now) >=
  1``), so the whole due day is still on time; *due soon* when not overdue and at most
  ``due_soon_days`` (default 1) working days are left.
* **Escalation** of a live deadline fires once it is overdue, once: each deadline has a key
  (``step:<state>:<history index>``, ``overall``, ``alarm:<key>:<history index>``), the caller
  stores the keys it escalated and passes them back.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, NamedTuple, Protocol

from layanan.workflow.definition import WorkflowDefinition

Moment = datetime | date
DeadlineKind = Literal["step", "overall", "alarm"]


class WorkingDayCalendar(Protocol):
    def add_working_days(self, start: Moment, n: int, /) -> date: ...

    def working_days_between(self, start: Moment, end: Moment, /) -> int: ...


class HistoryEntry(NamedTuple):
    state: str
    entered_at: Moment


@dataclass(frozen=True)
class Deadline:
    """One deadline of a case and where it stands at the moment it was computed."""

    kind: DeadlineKind
    key: str
    name: str  # the state key (step), the alarm key (alarm) or "overall"
    due: date
    working_days_left: int
    due_soon: bool
    overdue: bool
    stopped: bool  # met or the clock stopped: flags are as of that moment, never escalated


@dataclass(frozen=True)
class CaseDeadlines:
    step: Deadline | None
    overall: Deadline | None
    alarms: tuple[Deadline, ...]

    def all(self) -> list[Deadline]:
        found = [d for d in (self.step, self.overall) if d is not None]
        return found + list(self.alarms)

    @property
    def due_soon(self) -> bool:
        return any(d.due_soon and not d.stopped for d in self.all())

    @property
    def overdue(self) -> bool:
        return any(d.overdue and not d.stopped for d in self.all())


def _history(definition: WorkflowDefinition, history: Sequence[tuple[str, Moment]]) -> list[HistoryEntry]:
    if not history:
        raise ValueError("A case history needs at least one entry.")
    entries = [HistoryEntry(state, at) for state, at in history]
    for entry in entries:
        if not definition.has_state(entry.state):
            raise ValueError(f"Unknown state {entry.state!r} in the history.")
    return entries


def _paused_days(
    definition: WorkflowDefinition,
    entries: Sequence[HistoryEntry],
    calendar: WorkingDayCalendar,
    start_index: int,
    end_index: int,
    now: Moment,
) -> int:
    """Working days the clock did not run in entries ``start_index`` up to ``end_index`` (excluded).

    Paused entries count up to when they were left (or ``now``); stopped entries count only when
    they were left (the current stopped entry stops the clock instead).
    """
    total = 0
    for index in range(start_index, end_index):
        entry = entries[index]
        clock = definition.state(entry.state).effective_clock
        left = entries[index + 1].entered_at if index + 1 < len(entries) else None
        if clock == "running" or (clock == "stopped" and left is None):
            continue
        total += max(0, calendar.working_days_between(entry.entered_at, now if left is None else left))
    return total


def _deadline(
    kind: DeadlineKind,
    key: str,
    name: str,
    due: date,
    at: Moment,
    calendar: WorkingDayCalendar,
    *,
    stopped: bool,
    due_soon_days: int,
) -> Deadline:
    left = calendar.working_days_between(at, due)
    overdue = calendar.working_days_between(due, at) >= 1
    return Deadline(
        kind=kind,
        key=key,
        name=name,
        due=due,
        working_days_left=left,
        due_soon=not overdue and left <= due_soon_days,
        overdue=overdue,
        stopped=stopped,
    )


def _overall_start(definition: WorkflowDefinition, entries: Sequence[HistoryEntry]) -> int | None:
    """The history index the overall clock starts at: the first entry, or the first entry into
    ``definition.overall_starts_at``; None while the case has not got there."""
    if definition.overall_starts_at is None:
        return 0
    return next((i for i, entry in enumerate(entries) if entry.state == definition.overall_starts_at), None)


def case_deadlines(
    definition: WorkflowDefinition,
    history: Sequence[tuple[str, Moment]],
    calendar: WorkingDayCalendar,
    now: Moment,
    *,
    due_soon_days: int = 1,
) -> CaseDeadlines:
    """The step, overall and alarm deadlines of a case at ``now`` (see the module rules)."""
    entries = _history(definition, history)
    last = len(entries) - 1
    current = entries[last]
    current_state = definition.state(current.state)
    clock_stopped = current_state.effective_clock == "stopped"

    step = None
    if current_state.deadline_working_days is not None:
        due = calendar.add_working_days(current.entered_at, current_state.deadline_working_days)
        step = _deadline(
            "step",
            f"step:{current.state}:{last}",
            current.state,
            due,
            current.entered_at if clock_stopped else now,
            calendar,
            stopped=clock_stopped,
            due_soon_days=due_soon_days,
        )

    overall = None
    overall_start = _overall_start(definition, entries)
    if definition.overall_deadline_working_days is not None and overall_start is not None:
        paused = _paused_days(definition, entries, calendar, overall_start, len(entries), now)
        due = calendar.add_working_days(
            entries[overall_start].entered_at, definition.overall_deadline_working_days + paused
        )
        overall = _deadline(
            "overall",
            "overall",
            "overall",
            due,
            current.entered_at if clock_stopped else now,
            calendar,
            stopped=clock_stopped,
            due_soon_days=due_soon_days,
        )

    alarms: list[Deadline] = []
    for alarm in definition.alarms:
        starts = [i for i, e in enumerate(entries) if e.state == alarm.start_state]
        if not starts:
            continue
        start = starts[-1]
        stop = next(
            (i for i in range(start + 1, len(entries)) if entries[i].state in alarm.stop_states), None
        )
        end_index = len(entries) if stop is None else stop
        paused = _paused_days(definition, entries, calendar, start, end_index, now)
        due = calendar.add_working_days(entries[start].entered_at, alarm.working_days + paused)
        met = stop is not None
        if met:
            at: Moment = entries[end_index].entered_at
        else:
            at = current.entered_at if clock_stopped else now
        alarms.append(
            _deadline(
                "alarm",
                f"alarm:{alarm.key}:{start}",
                alarm.key,
                due,
                at,
                calendar,
                stopped=met or clock_stopped,
                due_soon_days=due_soon_days,
            )
        )
    return CaseDeadlines(step=step, overall=overall, alarms=tuple(alarms))


def escalations_due(
    definition: WorkflowDefinition,
    history: Sequence[tuple[str, Moment]],
    calendar: WorkingDayCalendar,
    now: Moment,
    already_escalated: Collection[str],
    *,
    kinds: Collection[DeadlineKind] = ("step", "overall", "alarm"),
) -> list[Deadline]:
    """The live deadlines of ``kinds`` that are overdue at ``now`` and whose key is not in
    ``already_escalated``. The caller escalates them and stores their keys, so each fires once."""
    deadlines = case_deadlines(definition, history, calendar, now)
    return [
        d
        for d in deadlines.all()
        if d.kind in kinds and d.overdue and not d.stopped and d.key not in already_escalated
    ]
