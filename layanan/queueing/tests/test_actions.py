"""The queue's actions: numbering, the order of calls with the priority policy, the counter's
steps, the survey code, transfers, opening hours, access. Every step writes an audit event."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from layanan.accounts.models import ServiceUnit, User
from layanan.audit.models import AuditEvent
from layanan.queueing import actions
from layanan.queueing.models import Need, PriorityPolicy, Ticket
from layanan.queueing.tests.factories import at, counter, group, site
from layanan.survey.models import Channel, SurveyInvitation
from layanan.survey.queries import open_invitation

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def mall(unit_a: ServiceUnit) -> tuple:
    made = site(unit_a)
    line_a = group(made, "A", unit=unit_a)
    line_b = group(made, "B", unit=unit_a)
    return made, line_a, line_b, counter(made, 1, line_a, line_b), counter(made, 2, line_a)


def _issue(line, minute: int, need: str = "") -> Ticket:  # type: ignore[no-untyped-def]
    return actions.issue_ticket(line, channel=Ticket.Channel.KIOSK, need=need, now=at(9, minute, day=MONDAY))


def test_tickets_are_numbered_per_line_and_day_from_one(mall: tuple) -> None:
    _site, line_a, line_b, *_counters = mall
    first, second = _issue(line_a, 0), _issue(line_a, 1)
    other = _issue(line_b, 2)
    tomorrow = actions.issue_ticket(
        line_a, channel=Ticket.Channel.KIOSK, now=at(9, day=MONDAY + datetime.timedelta(days=1))
    )
    assert [first.code, second.code, other.code, tomorrow.code] == ["A-001", "A-002", "B-001", "A-001"]
    assert AuditEvent.objects.filter(action="queueing.ticket_issued").count() == 4


def test_a_retried_phone_request_gets_the_same_ticket(mall: tuple) -> None:
    line_a = mall[1]
    first = actions.issue_ticket(
        line_a, channel=Ticket.Channel.PHONE, idempotency_key="form-1", now=at(9, day=MONDAY)
    )
    again = actions.issue_ticket(
        line_a, channel=Ticket.Channel.PHONE, idempotency_key="form-1", now=at(9, 1, day=MONDAY)
    )
    assert again.pk == first.pk
    assert Ticket.objects.count() == 1


@override_settings(LAYANAN_QUEUE_ENFORCE_HOURS=True)
def test_tickets_only_during_opening_hours_on_working_days(mall: tuple) -> None:
    line_a = mall[1]
    actions.issue_ticket(line_a, channel=Ticket.Channel.KIOSK, now=at(9, day=MONDAY))
    for when in (at(7, 30, day=MONDAY), at(16, 30, day=MONDAY), at(10, day=datetime.date(2026, 11, 22))):
        with pytest.raises(ValidationError) as raised:
            actions.issue_ticket(line_a, channel=Ticket.Channel.KIOSK, now=when)
        assert raised.value.code == "closed"
    assert Ticket.objects.count() == 1


def test_a_need_outside_the_list_is_refused(mall: tuple) -> None:
    with pytest.raises(ValidationError):
        actions.issue_ticket(mall[1], channel=Ticket.Channel.KIOSK, need="diagnosis", now=at(9, day=MONDAY))


def test_calls_follow_arrival_and_one_priority_ticket_every_third_call(mall: tuple, officer: User) -> None:
    _site, line_a, _line_b, desk, _desk2 = mall
    regular = [_issue(line_a, minute) for minute in range(5)]
    elderly = _issue(line_a, 10, Need.ELDERLY)
    actions.open_counter(desk, actor=officer, now=at(8, day=MONDAY))
    called = []
    for minute in range(6):
        ticket = actions.call_next(desk, actor=officer, now=at(10, minute, day=MONDAY))
        assert ticket is not None
        called.append(ticket.code)
        actions.finish_service(ticket, actor=officer, now=at(10, minute, day=MONDAY))
    # Two regular calls, then the waiting priority ticket, although it came last.
    assert called == [
        regular[0].code,
        regular[1].code,
        elderly.code,
        *[ticket.code for ticket in regular[2:]],
    ]
    assert actions.call_next(desk, actor=officer, now=at(11, day=MONDAY)) is None


def test_always_first_serves_a_priority_ticket_before_anyone(mall: tuple, officer: User) -> None:
    mall_site, line_a, _line_b, desk, _desk2 = mall
    mall_site.priority_policy = PriorityPolicy.ALWAYS_FIRST
    mall_site.save()
    _issue(line_a, 0)
    pregnant = _issue(line_a, 5, Need.PREGNANT)
    actions.open_counter(desk, actor=officer)
    ticket = actions.call_next(desk, actor=officer, now=at(10, day=MONDAY))
    assert ticket is not None
    assert ticket.pk == pregnant.pk


def test_a_counter_calls_only_its_own_lines(mall: tuple, officer: User) -> None:
    _site, _line_a, line_b, _desk, desk2 = mall
    _issue(line_b, 0)
    actions.open_counter(desk2, actor=officer)
    assert actions.call_next(desk2, actor=officer, now=at(10, day=MONDAY)) is None


def test_the_counter_steps_recall_no_show_and_the_busy_guard(mall: tuple, officer: User) -> None:
    _site, line_a, _line_b, desk, _desk2 = mall
    first, second = _issue(line_a, 0), _issue(line_a, 1)
    with pytest.raises(ValidationError) as raised:
        actions.call_next(desk, actor=officer, now=at(10, day=MONDAY))
    assert raised.value.code == "not_open"
    actions.open_counter(desk, actor=officer)
    assert actions.call_next(desk, actor=officer, now=at(10, day=MONDAY)).pk == first.pk  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as raised:
        actions.call_next(desk, actor=officer, now=at(10, 1, day=MONDAY))
    assert raised.value.code == "busy"
    recalled = actions.recall(first, actor=officer, now=at(10, 2, day=MONDAY))
    assert recalled.call_count == 2
    actions.mark_no_show(first, actor=officer, now=at(10, 5, day=MONDAY))
    assert actions.call_next(desk, actor=officer, now=at(10, 6, day=MONDAY)).pk == second.pk  # type: ignore[union-attr]
    actions.start_service(second, actor=officer, now=at(10, 7, day=MONDAY))
    with pytest.raises(ValidationError):
        actions.close_counter(desk, actor=officer)
    done, _code = actions.finish_service(second, actor=officer, now=at(10, 15, day=MONDAY))
    assert done.status == Ticket.Status.DONE
    actions.close_counter(desk, actor=officer)
    steps = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "queueing.counter_opened",
        "queueing.ticket_called",
        "queueing.ticket_recalled",
        "queueing.ticket_no_show",
        "queueing.service_started",
        "queueing.service_finished",
        "queueing.counter_closed",
    } <= steps


def test_finishing_a_visit_gives_a_survey_code_bound_to_the_ticket(mall: tuple, officer: User) -> None:
    _site, line_a, _line_b, desk, _desk2 = mall
    ticket = _issue(line_a, 0)
    actions.open_counter(desk, actor=officer)
    actions.call_next(desk, actor=officer, now=at(10, day=MONDAY))
    done, code = actions.finish_service(ticket, actor=officer, application_reference=" KK-2026-000001-1 ")
    assert done.application_reference == "KK-2026-000001-1"
    invitation = SurveyInvitation.objects.get(source_key=f"queue:{ticket.public_id}")
    assert invitation.source == Channel.QUEUE
    assert open_invitation(code, today=invitation.issued_on) == invitation


def test_a_transfer_keeps_the_arrival_time(mall: tuple, officer: User) -> None:
    _site, line_a, line_b, desk, _desk2 = mall
    early = _issue(line_a, 0)
    later_in_b = _issue(line_b, 30)
    actions.open_counter(desk, actor=officer)
    actions.call_next(desk, actor=officer, now=at(10, day=MONDAY))
    moved = actions.transfer(early, to_group=line_b, actor=officer, now=at(10, 5, day=MONDAY))
    early.refresh_from_db()
    assert early.status == Ticket.Status.TRANSFERRED
    assert moved.code == "B-002"
    assert moved.arrived_at == early.arrived_at
    assert moved.transferred_from == early
    # Back in line B it comes before the person who arrived later.
    assert actions.call_next(desk, actor=officer, now=at(10, 6, day=MONDAY)).pk == moved.pk  # type: ignore[union-attr]
    assert later_in_b.status == Ticket.Status.WAITING


def test_only_officers_of_the_counters_agency_work_it(
    mall: tuple, other_agency_officer: User, citizen: User, officer: User
) -> None:
    desk = mall[3]
    for outsider in (other_agency_officer, citizen):
        with pytest.raises(PermissionDenied):
            actions.open_counter(desk, actor=outsider)
    actions.open_counter(desk, actor=officer)
    _issue(mall[1], 0)
    with pytest.raises(PermissionDenied):
        actions.call_next(desk, actor=other_agency_officer)


def test_a_second_officer_cannot_take_an_open_counter(
    mall: tuple, officer: User, front_officer: User
) -> None:
    desk = mall[3]
    actions.open_counter(desk, actor=officer)
    with pytest.raises(ValidationError) as raised:
        actions.open_counter(desk, actor=front_officer)
    assert raised.value.code == "taken"
