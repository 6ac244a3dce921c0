"""Every step of the default application workflow, for every persona, from every state.

Acceptance of issue 4: each transition of ``APPLICATION_WORKFLOW`` is tried by each persona (the
applicant, another citizen, the unit's front and back office, its head, the inspectorate, an
officer of another agency and a platform administrator). Allowed ones move the case and leave one
timeline event and an audit event; forbidden ones raise ``PermissionDenied`` (no role for the
step) or ``ValidationError`` (wrong state, unmet condition, missing note) and change nothing:
state, timeline, audit log and notifications are as before.

Also here: deadlines across Lebaran 2026 (national holidays and cuti bersama), the clock pausing
while the case is returned for correction, and concurrent officers on PostgreSQL.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.actions import transition_application
from layanan.applications.models import Application, ApplicationEvent, Bill
from layanan.applications.tests.factories import submit
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import (
    AdoptedStandardFactory,
    ServiceFactory,
    complete_published,
    paid_fee,
)
from layanan.notifications.models import Notification
from layanan.workdays.calendar import JAKARTA
from layanan.workdays.models import Holiday
from layanan.workdays.queries import clear_calendar_cache
from layanan.workdays.tests.factories import HolidayFactory
from layanan.workflow.defaults import APPLICATION_WORKFLOW, BACK_OFFICE, CITIZEN, FRONT_OFFICE, UNIT_HEAD
from layanan.workflow.definition import Transition
from layanan.workflow.models import NO_DUE_DATE

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="needs PostgreSQL (row locks between connections)"
)

# The workflow roles each persona holds for an application of unit A (``actions.roles_for``).
PERSONA_ROLES: dict[str, frozenset[str]] = {
    "citizen": frozenset({CITIZEN}),  # the applicant
    "other_citizen": frozenset(),
    "front_officer": frozenset({FRONT_OFFICE}),
    "officer": frozenset({BACK_OFFICE}),
    "unit_head": frozenset({UNIT_HEAD}),
    "inspector": frozenset({"inspectorate"}),
    "other_agency_officer": frozenset(),
    "admin_user": frozenset(),
}
PERSONAS = list(PERSONA_ROLES)
STATES = [state.key for state in APPLICATION_WORKFLOW.states]
TRANSITIONS = {t.key: t for t in APPLICATION_WORKFLOW.transitions}
NOTE = "Berkas KTP buram, mohon unggah ulang."

# The shortest way into each state: (step, who takes it). "fee" services go through payment.
PATHS: dict[str, list[tuple[str, str]]] = {
    "submitted": [],
    "completeness_check": [("start_check", "officer")],
    "returned_for_correction": [("start_check", "officer"), ("return_for_correction", "officer")],
    "processing": [("start_check", "officer"), ("accept_complete", "officer")],
    "approved": [("start_check", "officer"), ("accept_complete", "officer"), ("approve", "unit_head")],
    "rejected": [("start_check", "officer"), ("accept_complete", "officer"), ("reject", "unit_head")],
    "awaiting_payment": [
        ("start_check", "officer"),
        ("accept_complete", "officer"),
        ("approve", "unit_head"),
        ("request_payment", "officer"),
    ],
    "output_issued": [
        ("start_check", "officer"),
        ("accept_complete", "officer"),
        ("approve", "unit_head"),
        ("issue_output", "officer"),
    ],
    "completed": [
        ("start_check", "officer"),
        ("accept_complete", "officer"),
        ("approve", "unit_head"),
        ("issue_output", "officer"),
        ("complete", "officer"),
    ],
}


def _fee_service(unit: ServiceUnit) -> Service:
    service: Service = ServiceFactory(unit=unit, channel="both")
    AdoptedStandardFactory(service=service, published=complete_published(fee=paid_fee(50_000)))
    return service


def _free_service(unit: ServiceUnit) -> Service:
    """A free service whose 3 working days count from submission (the deadline tests below count
    from there; ``test_the_overall_clock_can_start_when_the_application_is_complete`` does not)."""
    service: Service = ServiceFactory(unit=unit, channel="both")
    time = {"value": 3, "unit": "working_days", "starts_when_complete": False}
    AdoptedStandardFactory(service=service, published=complete_published(completion_time=time))
    return service


def _pay(application: Application) -> None:
    """The bank's callback, as far as the workflow cares: the open bill is paid (test data)."""
    Bill.objects.filter(application=application, status=Bill.Status.OPEN).update(
        status=Bill.Status.PAID, paid_at=datetime.datetime.now(tz=JAKARTA)
    )


def case_in(
    state: str, request: pytest.FixtureRequest, *, fee: bool = False, paid: bool = False
) -> Application:
    """An application of unit A walked through the real actions into ``state``."""
    unit = request.getfixturevalue("unit_a")
    service = _fee_service(unit) if fee else _free_service(unit)
    application = submit(service, request.getfixturevalue("citizen")).application
    for key, persona in PATHS[state]:
        application = transition_application(
            application, key, actor=request.getfixturevalue(persona), note=NOTE
        )
    if paid:
        _pay(application)
    application.refresh_from_db()
    assert application.state == state
    return application


def _snapshot(application: Application) -> tuple[Any, ...]:
    application.refresh_from_db()
    return (
        application.state,
        application.due_date,
        application.decided_at,
        ApplicationEvent.objects.filter(case=application).count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        Bill.objects.filter(application=application).count(),
    )


def _variant_for(transition: Transition) -> dict[str, bool]:
    """A case on which the transition's conditions hold (so only the role decides)."""
    if transition.key == "request_payment":
        return {"fee": True}
    if transition.key == "issue_paid_output":
        return {"fee": True, "paid": True}
    return {}


# --- Every transition x every persona, from its source state ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", list(TRANSITIONS))
def test_each_transition_for_each_persona_from_its_source_state(
    key: str, persona: str, request: pytest.FixtureRequest
) -> None:
    transition = TRANSITIONS[key]
    actor = request.getfixturevalue(persona)
    allowed = not transition.roles.isdisjoint(PERSONA_ROLES[persona])
    for source in sorted(transition.source):
        application = case_in(source, request, **_variant_for(transition))
        before = _snapshot(application)
        audit_before = AuditEvent.objects.count()

        if not allowed:
            with pytest.raises(PermissionDenied):
                transition_application(application, key, actor=actor, note=NOTE)
            assert _snapshot(application) == before, f"{persona} changed something with {key}"
            continue

        changed = transition_application(application, key, actor=actor, note=NOTE)

        changed.refresh_from_db()
        assert changed.state == transition.target
        events = ApplicationEvent.objects.filter(case=application, kind="transition")
        last = events.order_by("-at", "-id").first()
        assert last is not None
        assert (last.transition, last.from_state, last.to_state) == (key, source, transition.target)
        assert last.actor_id == actor.pk
        assert last.actor_role in transition.roles
        assert last.note == NOTE
        assert AuditEvent.objects.filter(action=f"applications.{key}", object_id=str(application.pk)).exists()
        assert AuditEvent.objects.count() > audit_before


# --- Every transition x every persona, from every other state ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_no_transition_leaves_a_state_it_does_not_start_from(
    state: str, persona: str, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(persona)
    application = case_in(state, request, fee=state == "awaiting_payment")
    before = _snapshot(application)
    tried = 0
    for key, transition in TRANSITIONS.items():
        if state in transition.source:
            continue
        tried += 1
        if not PERSONA_ROLES[persona]:
            expected: type[Exception] = PermissionDenied
        else:
            expected = ValidationError
        with pytest.raises(expected) as raised:
            transition_application(application, key, actor=actor, note=NOTE)
        if expected is ValidationError:
            assert isinstance(raised.value, ValidationError)
            assert raised.value.code == "wrong_state", key
        assert _snapshot(application) == before, f"{persona} changed something with {key} from {state}"
    assert tried == sum(1 for t in TRANSITIONS.values() if state not in t.source)


# --- Conditions and notes ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "key", "variant"),
    [
        ("approved", "request_payment", {}),  # free service: no bill
        ("approved", "issue_output", {"fee": True}),  # a fee is due: payment first
        ("awaiting_payment", "issue_paid_output", {"fee": True}),  # not paid yet
    ],
)
def test_a_step_whose_condition_does_not_hold_is_refused(
    state: str, key: str, variant: dict[str, bool], officer: User, request: pytest.FixtureRequest
) -> None:
    application = case_in(state, request, **variant)
    before = _snapshot(application)

    with pytest.raises(ValidationError) as raised:
        transition_application(application, key, actor=officer, note=NOTE)

    assert raised.value.code == "condition_not_met"
    assert _snapshot(application) == before


@pytest.mark.django_db
@pytest.mark.parametrize("key", [t.key for t in APPLICATION_WORKFLOW.transitions if t.requires_note])
@pytest.mark.parametrize("note", ["", "   \n "])
def test_a_step_that_needs_a_note_is_refused_without_one(
    key: str, note: str, request: pytest.FixtureRequest
) -> None:
    transition = TRANSITIONS[key]
    actor_persona = next(p for p, roles in PERSONA_ROLES.items() if not roles.isdisjoint(transition.roles))
    application = case_in(sorted(transition.source)[0], request)
    before = _snapshot(application)

    with pytest.raises(ValidationError) as raised:
        transition_application(application, key, actor=request.getfixturevalue(actor_persona), note=note)

    assert raised.value.code == "note_required"
    assert _snapshot(application) == before


@pytest.mark.django_db
def test_the_full_paid_journey_reaches_completed(
    request: pytest.FixtureRequest, officer: User, front_officer: User
) -> None:
    application = case_in("awaiting_payment", request, fee=True, paid=True)

    application = transition_application(application, "issue_paid_output", actor=officer)
    application = transition_application(application, "complete", actor=front_officer)

    application.refresh_from_db()
    assert application.state == "completed"
    assert not application.is_open
    assert application.closed_at is not None
    assert application.due_date == NO_DUE_DATE
    states = list(
        ApplicationEvent.objects.filter(case=application, kind="transition")
        .order_by("at", "id")
        .values_list("to_state", flat=True)
    )
    assert states == [
        "submitted",
        "completeness_check",
        "processing",
        "approved",
        "awaiting_payment",
        "output_issued",
        "completed",
    ]


# --- Deadlines across Lebaran 2026 ---------------------------------------------------------------

# SKB 3 Menteri 2026: Nyepi 19 March, Idul Fitri 21-22 March (national holidays), cuti bersama 18,
# 20, 23 and 24 March. So Tuesday 17 March is followed by Wednesday 25 March as the next working day.
LEBARAN_NATIONAL = [datetime.date(2026, 3, 19), datetime.date(2026, 3, 21), datetime.date(2026, 3, 22)]
LEBARAN_CUTI = [
    datetime.date(2026, 3, 18),
    datetime.date(2026, 3, 20),
    datetime.date(2026, 3, 23),
    datetime.date(2026, 3, 24),
]


@pytest.fixture
def lebaran(db: None) -> None:
    for day in LEBARAN_NATIONAL:
        HolidayFactory(date=day, name=f"Libur {day.isoformat()}", kind=Holiday.Kind.NATIONAL)
    for day in LEBARAN_CUTI:
        HolidayFactory(date=day, name=f"Cuti bersama {day.isoformat()}", kind=Holiday.Kind.CUTI_BERSAMA)
    clear_calendar_cache()


def _at(day: int, hour: int = 9, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=JAKARTA)


@pytest.mark.django_db
def test_deadlines_skip_lebaran_holidays_and_cuti_bersama(
    lebaran: None, unit_a: ServiceUnit, citizen: User, officer: User, unit_head: User
) -> None:
    service = _free_service(unit_a)  # standard: 3 working days
    with time_machine.travel(_at(17), tick=False):
        application = submit(service, citizen).application
        assert application.overall_due_date == datetime.date(2026, 3, 27)  # 25, 26, 27 March
        application = transition_application(application, "start_check", actor=officer)
    # Completeness check: 1 working day after Tuesday 17 March is Wednesday 25 March.
    assert application.step_due_date == datetime.date(2026, 3, 25)
    assert application.due_date == datetime.date(2026, 3, 25)
    assert application.overall_due_date == datetime.date(2026, 3, 27)

    with time_machine.travel(_at(25, 10), tick=False):
        application = transition_application(application, "accept_complete", actor=officer)
    # Pasal 53: 5 working days from Wednesday 25 March: 26, 27, 30, 31 March, 1 April.
    assert application.alarm_due_date == datetime.date(2026, 4, 1)
    assert application.step_due_date is None
    assert application.due_date == datetime.date(2026, 3, 27)  # the overall deadline comes first

    stored = Application.objects.get(pk=application.pk)
    assert (stored.due_date, stored.overall_due_date, stored.alarm_due_date) == (
        datetime.date(2026, 3, 27),
        datetime.date(2026, 3, 27),
        datetime.date(2026, 4, 1),
    )


@pytest.mark.django_db
def test_a_unit_working_on_cuti_bersama_counts_those_days(
    lebaran: None, unit_a: ServiceUnit, citizen: User, officer: User
) -> None:
    ServiceUnit.objects.filter(pk=unit_a.pk).update(observes_cuti_bersama=False)
    unit_a.refresh_from_db()
    service = _free_service(unit_a)
    with time_machine.travel(_at(17), tick=False):
        application = submit(service, citizen).application
        application = transition_application(application, "start_check", actor=officer)
    # Open on cuti bersama: the next working day after 17 March is 18 March (Nyepi is the 19th).
    assert application.step_due_date == datetime.date(2026, 3, 18)
    assert application.overall_due_date == datetime.date(2026, 3, 23)  # 18, 20, 23 March


@pytest.mark.django_db
def test_the_overall_clock_pauses_while_the_case_is_back_with_the_applicant(
    lebaran: None, unit_a: ServiceUnit, citizen: User, officer: User
) -> None:
    service = _free_service(unit_a)
    with time_machine.travel(_at(2), tick=False):  # Monday 2 March
        application = submit(service, citizen).application
        application = transition_application(application, "start_check", actor=officer)
        assert application.overall_due_date == datetime.date(2026, 3, 5)  # 3, 4, 5 March
        application = transition_application(application, "return_for_correction", actor=officer, note=NOTE)
    # Waiting for the applicant: no deadline runs, so the queue sorts the case last.
    assert application.state == "returned_for_correction"
    assert application.due_date == NO_DUE_DATE

    # The applicant answers on Friday 6 March: 4 working days (3, 4, 5, 6 March) were paused.
    with time_machine.travel(_at(6, 11), tick=False):
        application = transition_application(
            application, "resubmit", actor=citizen, note="Sudah diunggah ulang."
        )
    assert application.state == "completeness_check"
    assert application.overall_due_date == datetime.date(2026, 3, 11)  # 5 March + 4 working days
    assert application.step_due_date == datetime.date(2026, 3, 9)
    assert application.due_date == datetime.date(2026, 3, 9)


@pytest.mark.django_db
def test_a_pause_across_lebaran_counts_only_working_days(
    lebaran: None, unit_a: ServiceUnit, citizen: User, officer: User
) -> None:
    service = _free_service(unit_a)
    with time_machine.travel(_at(16), tick=False):  # Monday 16 March
        application = submit(service, citizen).application  # due 17, 25, 26 March
        application = transition_application(application, "start_check", actor=officer)
        application = transition_application(application, "return_for_correction", actor=officer, note=NOTE)
    assert application.overall_due_date == datetime.date(2026, 3, 26)
    # Back on Thursday 26 March: paused 17, 25 and 26 March (the holidays in between do not count).
    with time_machine.travel(_at(26), tick=False):
        application = transition_application(application, "resubmit", actor=citizen)
    assert application.overall_due_date == datetime.date(2026, 3, 31)  # 26 March + 3 working days


# --- Concurrency (PostgreSQL) --------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_at_once_make_exactly_one_change(
    unit_a: ServiceUnit, citizen: User, officer: User, front_officer: User
) -> None:
    service = _free_service(unit_a)
    application = submit(service, citizen).application
    application = transition_application(application, "start_check", actor=officer)
    audit_before = AuditEvent.objects.count()
    barrier = threading.Barrier(2)
    outcomes: dict[str, BaseException | None] = {}

    def accept(name: str, actor: User) -> Callable[[], None]:
        def run() -> None:
            try:
                stale = Application.objects.get(pk=application.pk)  # both read "completeness_check"
                barrier.wait(timeout=10)
                transition_application(stale, "accept_complete", actor=actor)
                outcomes[name] = None
            except BaseException as error:  # noqa: BLE001 - asserted below
                outcomes[name] = error
            finally:
                connection.close()

        return run

    threads = [
        threading.Thread(target=accept("officer", officer)),
        threading.Thread(target=accept("front", front_officer)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    errors = [error for error in outcomes.values() if error is not None]
    assert len(outcomes) == 2
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ValidationError)
    assert errors[0].code == "wrong_state"
    application.refresh_from_db()
    assert application.state == "processing"
    accepted = ApplicationEvent.objects.filter(case=application, transition="accept_complete")
    assert accepted.count() == 1
    assert AuditEvent.objects.filter(action="applications.accept_complete").count() == 1
    assert AuditEvent.objects.count() == audit_before + 1


@pytest.mark.django_db
def test_the_overall_clock_can_start_when_the_application_is_complete(
    lebaran: None, unit_a: ServiceUnit, citizen: User, officer: User
) -> None:
    """A standard whose time counts from the complete application: no overall deadline until the
    check accepts it, then 3 working days from that moment (Lebaran skipped)."""
    service: Service = ServiceFactory(unit=unit_a, channel="both")
    AdoptedStandardFactory(service=service)  # completion time: 3 working days, from complete
    with time_machine.travel(_at(16), tick=False):
        application = submit(service, citizen).application
        assert application.overall_due_date is None
        application = transition_application(application, "start_check", actor=officer)
        assert application.overall_due_date is None
    with time_machine.travel(_at(17), tick=False):
        application = transition_application(application, "accept_complete", actor=officer)
    assert application.overall_due_date == datetime.date(2026, 3, 27)  # 25, 26, 27 March
