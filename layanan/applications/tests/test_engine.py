"""The ORM workflow engine, through the application models: stored versions, queue thresholds that
agree with the deadline rules, and the transaction guard."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from layanan.workdays.calendar import JAKARTA, WorkCalendar
from layanan.workflow import engine
from layanan.workflow.deadlines import case_deadlines
from layanan.workflow.defaults import APPLICATION_WORKFLOW
from layanan.workflow.models import NO_DUE_DATE, StoredWorkflow

# A run of five closed weekdays (18-24 March 2026, around Nyepi and Idul Fitri) with a weekend inside.
CALENDAR = WorkCalendar(
    non_working_dates=frozenset(
        {date(2026, 3, 18), date(2026, 3, 19), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)}
    )
)


@pytest.mark.django_db
def test_storing_a_workflow_adds_versions_and_skips_identical_ones() -> None:
    from django.db import transaction

    with transaction.atomic():
        first = engine.store_workflow("service:1", APPLICATION_WORKFLOW, actor=None)
        same = engine.store_workflow("service:1", APPLICATION_WORKFLOW, actor=None)
        changed = engine.store_workflow(
            "service:1",
            dataclasses.replace(APPLICATION_WORKFLOW, overall_deadline_working_days=5),
            actor=None,
        )
    assert same.pk == first.pk
    assert (first.version, changed.version) == (1, 2)
    assert engine.latest_workflow("service:1") == changed
    assert StoredWorkflow.objects.get(pk=changed.pk).parsed().overall_deadline_working_days == 5


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 3, 17, 10, tzinfo=JAKARTA),  # Tuesday before the holidays
        datetime(2026, 3, 21, 10, tzinfo=JAKARTA),  # Saturday inside them
        datetime(2026, 3, 25, 9, tzinfo=JAKARTA),  # first working day after
        datetime(2026, 3, 29, 9, tzinfo=JAKARTA),  # Sunday
    ],
)
def test_queue_thresholds_agree_with_the_deadline_flags(now: datetime) -> None:
    """For due dates around ``now``, the stored-date comparisons the queue uses give the same
    overdue / due-soon answer as ``case_deadlines`` computes."""
    thresholds = engine.queue_thresholds(CALENDAR, now)
    one_day = dataclasses.replace(APPLICATION_WORKFLOW, overall_deadline_working_days=1)
    for offset in range(-12, 12):
        start = date.fromordinal(now.date().toordinal() + offset)
        history = [("submitted", datetime(start.year, start.month, start.day, 9, tzinfo=JAKARTA))]
        overall = case_deadlines(one_day, history, CALENDAR, now).overall
        assert overall is not None
        due = overall.due
        assert (due < thresholds.overdue_before) == overall.overdue, (start, due)
        in_soon_band = thresholds.overdue_before <= due < thresholds.due_soon_before
        assert in_soon_band == overall.due_soon, (start, due)


def test_no_due_date_sorts_last() -> None:
    assert date(2100, 1, 1) < NO_DUE_DATE


@pytest.mark.django_db(transaction=True)
def test_transitions_refuse_to_run_outside_a_transaction(unit_a: object, citizen: object) -> None:
    from layanan.applications.models import Application, ApplicationEvent
    from layanan.applications.tests.factories import submit
    from layanan.catalog.tests.factories import service_with_adopted_standard

    service = service_with_adopted_standard(unit=unit_a, channel="online")
    application = submit(service, citizen).application  # type: ignore[arg-type]
    case = Application.objects.get(pk=application.pk)
    with pytest.raises(RuntimeError, match="transaction"):
        engine.transition_case(
            case,
            "start_check",
            roles={"back_office"},
            facts=set(),
            actor=None,
            actor_role="back_office",
            event_model=ApplicationEvent,
            calendar=CALENDAR,
        )
