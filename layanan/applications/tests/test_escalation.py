"""Escalation of overdue deadlines: once per deadline, to the unit head, from the command and the
task alike."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.actions import escalate_overdue_applications, transition_application
from layanan.applications.models import Application, ApplicationEvent
from layanan.applications.tasks import escalate_applications_task
from layanan.applications.tests.factories import VALID_NIK, service_counting_from_submission, submit
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.notifications.models import Notification
from layanan.workdays.calendar import JAKARTA

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, 0, tzinfo=JAKARTA)


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_counting_from_submission(unit=unit_a, channel="both")  # 3 working days


@pytest.fixture
def in_check(service: Service, citizen: User, officer: User) -> Application:
    """Received and in the completeness check on Monday 2 March 2026: the check is due Tuesday
    3 March, the whole service Thursday 5 March."""
    with time_machine.travel(_at(2), tick=False):
        application = submit(service, citizen).application
        application = transition_application(application, "start_check", actor=officer)
    assert (application.step_due_date, application.overall_due_date) == (
        datetime.date(2026, 3, 3),
        datetime.date(2026, 3, 5),
    )
    return application


def _escalations(application: Application) -> list[str]:
    return [
        str(data["deadline"])
        for data in ApplicationEvent.objects.filter(case=application, kind="escalation")
        .order_by("id")
        .values_list("data", flat=True)
    ]


def _alerts(head: User) -> int:
    return Notification.objects.filter(template="application_escalated", recipient=head).count()


def test_nothing_is_escalated_while_every_deadline_is_met(in_check: Application, unit_head: User) -> None:
    with time_machine.travel(_at(3, 16), tick=False):  # the whole due day is on time
        assert escalate_overdue_applications() == 0
    assert _escalations(in_check) == []
    assert _alerts(unit_head) == 0


def test_each_deadline_escalates_once_however_often_the_job_runs(
    in_check: Application, unit_head: User
) -> None:
    with time_machine.travel(_at(4, 8), tick=False):  # Wednesday: the check is a day late
        assert escalate_overdue_applications() == 1
        assert escalate_overdue_applications() == 0
    assert _escalations(in_check) == ["step:completeness_check:1"]
    assert _alerts(unit_head) == 1

    with time_machine.travel(_at(4, 17), tick=False):  # later the same day
        assert escalate_overdue_applications() == 0
    with time_machine.travel(_at(9, 8), tick=False):  # Monday: the service standard is late too
        assert escalate_overdue_applications() == 1
    with time_machine.travel(_at(20, 8), tick=False):  # much later: nothing new
        assert escalate_overdue_applications() == 0
        assert escalate_overdue_applications() == 0

    assert _escalations(in_check) == ["step:completeness_check:1", "overall"]
    assert _alerts(unit_head) == 2
    in_check.refresh_from_db()
    assert in_check.escalated_keys == ["step:completeness_check:1", "overall"]
    assert AuditEvent.objects.filter(action="applications.escalated", object_id=str(in_check.pk)).count() == 2
    events = ApplicationEvent.objects.filter(case=in_check, kind="escalation")
    assert not any(event.is_public for event in events)  # staff only


def test_escalation_alerts_the_head_of_the_unit_only(
    in_check: Application, unit_head: User, officer: User, other_agency_officer: User
) -> None:
    with time_machine.travel(_at(4, 8), tick=False):
        escalate_overdue_applications()

    assert _alerts(unit_head) == 1
    assert _alerts(officer) == 0
    assert _alerts(other_agency_officer) == 0
    notification = Notification.objects.get(template="application_escalated")
    assert in_check.reference in notification.context
    assert VALID_NIK not in notification.context


def test_a_new_step_deadline_after_a_correction_escalates_again(
    in_check: Application, unit_head: User, officer: User, citizen: User
) -> None:
    with time_machine.travel(_at(4, 8), tick=False):
        escalate_overdue_applications()
        application = transition_application(
            in_check, "return_for_correction", actor=officer, note="KTP buram."
        )
    with time_machine.travel(_at(10, 8), tick=False):  # paused: nothing can fall due
        assert escalate_overdue_applications() == 0
        application = transition_application(application, "resubmit", actor=citizen)
    # Back on Tuesday 10 March: the new check is due Wednesday 11 March, and so is the whole
    # service (5 March + the 4 working days it waited: 5, 6, 9 and 10 March).
    application.refresh_from_db()
    assert application.step_due_date == application.overall_due_date == datetime.date(2026, 3, 11)
    with time_machine.travel(_at(12, 8), tick=False):
        assert escalate_overdue_applications() == 2

    assert _escalations(in_check) == ["step:completeness_check:1", "step:completeness_check:3", "overall"]
    assert _alerts(unit_head) == 2  # one message per run, naming every deadline it escalated


def test_closed_cases_never_escalate(in_check: Application, officer: User, unit_head: User) -> None:
    with time_machine.travel(_at(3, 10), tick=False):
        application = transition_application(in_check, "accept_complete", actor=officer)
        transition_application(application, "reject", actor=unit_head, note="Bukan kewenangan unit ini.")
    with time_machine.travel(_at(30, 8), tick=False):
        assert escalate_overdue_applications() == 0
    assert _escalations(in_check) == []


def test_the_command_escalates_and_prints_the_count(in_check: Application, unit_head: User) -> None:
    out = io.StringIO()
    with time_machine.travel(_at(4, 8), tick=False):
        call_command("escalate_applications", stdout=out)
        call_command("escalate_applications", stdout=out)

    assert out.getvalue().splitlines() == ["Deadlines escalated: 1.", "Deadlines escalated: 0."]
    assert _escalations(in_check) == ["step:completeness_check:1"]
    assert _alerts(unit_head) == 1


def test_the_task_escalates_like_the_command(in_check: Application, unit_head: User) -> None:
    with time_machine.travel(_at(4, 8), tick=False):
        first = escalate_applications_task.enqueue()
        second = escalate_applications_task.enqueue()

    assert first.return_value == 1
    assert second.return_value == 0
    assert _escalations(in_check) == ["step:completeness_check:1"]
    assert _alerts(unit_head) == 1
