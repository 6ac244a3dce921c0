"""Online booking: slots and quotas, one booking a day, cancellation, check-in on time or late,
the call order of booked tickets, reminders."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import CitizenFactory
from layanan.notifications.models import Notification
from layanan.queueing import actions, bookings
from layanan.queueing.models import Booking, ServiceGroup, Ticket
from layanan.queueing.tests.factories import at, counter, group, site

pytestmark = pytest.mark.django_db
TUESDAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _monday_morning() -> Iterator[None]:
    """Bookings are offered from tomorrow for two weeks: the tests run on Monday 23 November 2026."""
    with time_machine.travel(datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def line(unit_a: ServiceUnit) -> ServiceGroup:
    made = group(site(unit_a), "A", unit=unit_a)
    made.booking_quota = 2
    made.save()
    return made


def _book(line: ServiceGroup, person: User, hour: int = 9) -> tuple[Booking, str]:
    return bookings.book(line, day=TUESDAY, starts_at=datetime.time(hour), actor=person)


def test_slots_follow_the_opening_hours_and_the_quota(
    line: ServiceGroup, citizen: User, other_citizen: User
) -> None:
    slots = bookings.free_slots(line, TUESDAY)
    assert [slot.starts_at for slot in slots][:3] == [
        datetime.time(8),
        datetime.time(8, 30),
        datetime.time(9),
    ]
    assert slots[-1].starts_at == datetime.time(15, 30)  # the unit closes at 16.00
    _book(line, citizen)
    _book(line, other_citizen)
    nine = next(slot for slot in bookings.free_slots(line, TUESDAY) if slot.starts_at == datetime.time(9))
    assert nine.free == 0
    with pytest.raises(ValidationError) as raised:
        _book(line, CitizenFactory())
    assert raised.value.code == "full"


def test_one_live_booking_a_day_and_cancelling_frees_the_place(line: ServiceGroup, citizen: User) -> None:
    booking, code = _book(line, citizen)
    assert len(code) == 10
    assert bookings.check_in_code(booking) == code  # the page can show it again
    with pytest.raises(ValidationError) as raised:
        _book(line, citizen, hour=10)
    assert raised.value.code == "one_per_day"
    bookings.cancel(booking, actor=citizen)
    again, _code = _book(line, citizen, hour=10)
    assert again.status == Booking.Status.BOOKED


def test_only_citizens_book_and_only_the_owner_cancels(
    line: ServiceGroup, citizen: User, officer: User, other_citizen: User
) -> None:
    with pytest.raises(PermissionDenied):
        _book(line, officer)
    booking, _code = _book(line, citizen)
    with pytest.raises(PermissionDenied):
        bookings.cancel(booking, actor=other_citizen)


def test_a_day_or_time_not_offered_is_refused(line: ServiceGroup, citizen: User) -> None:
    for day, time in (
        (TUESDAY, datetime.time(9, 10)),
        (datetime.date(2026, 11, 29), datetime.time(9)),
        (datetime.date(2026, 11, 20), datetime.time(9)),
    ):
        with pytest.raises(ValidationError) as raised:
            bookings.book(line, day=day, starts_at=time, actor=citizen)
        assert raised.value.code == "bad_slot"


def test_the_booking_message_carries_the_check_in_code(line: ServiceGroup, citizen: User) -> None:
    _booking, code = _book(line, citizen)
    message = Notification.objects.get(recipient=citizen)
    assert message.template == "queue_booked"
    assert json.loads(message.context)["code"] == code


def test_on_time_check_in_is_called_at_its_slot_before_walk_ins_and_late_waits(
    line: ServiceGroup, citizen: User, other_citizen: User, officer: User
) -> None:
    on_time, code = _book(line, citizen)
    late, late_code = bookings.book(line, day=TUESDAY, starts_at=datetime.time(8), actor=other_citizen)
    walk_in = actions.issue_ticket(line, channel=Ticket.Channel.KIOSK, now=at(8, 40, day=TUESDAY))
    ticket = bookings.check_in(line.site_id, code.lower(), now=at(8, 45, day=TUESDAY))
    assert ticket.booked_for == at(9, day=TUESDAY)
    late_ticket = bookings.check_in(line.site_id, late_code, now=at(8, 50, day=TUESDAY))  # 50 min after 8.00
    assert late_ticket.booked_for is None
    with pytest.raises(ValidationError) as raised:
        bookings.check_in(line.site_id, code, now=at(8, 46, day=TUESDAY))
    assert raised.value.code == "not_today"  # already used
    desk = counter(line.site, 1, line)
    actions.open_counter(desk, actor=officer)
    # Before 9.00 the booked ticket waits for its time; the walk-in and the late one go first.
    first = actions.call_next(desk, actor=officer, now=at(8, 55, day=TUESDAY))
    assert first is not None
    assert first.pk == walk_in.pk
    actions.finish_service(first, actor=officer, now=at(8, 58, day=TUESDAY))
    second = actions.call_next(desk, actor=officer, now=at(9, 1, day=TUESDAY))
    assert second is not None
    assert second.pk == ticket.pk  # due now: before the late arrival who came earlier
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert on_time.status == late.status == Booking.Status.CHECKED_IN


def test_check_in_too_early_or_at_another_site_is_refused(
    line: ServiceGroup, citizen: User, unit_a: ServiceUnit
) -> None:
    _booking, code = _book(line, citizen)
    with pytest.raises(ValidationError) as raised:
        bookings.check_in(line.site_id, code, now=at(7, 30, day=TUESDAY))
    assert raised.value.code == "early"
    other_site = site(unit_a, slug="mpp-lain", name="MPP Lain")
    with pytest.raises(ValidationError) as raised:
        bookings.check_in(other_site.pk, code, now=at(8, 30, day=TUESDAY))
    assert raised.value.code == "unknown"
    assert not Ticket.objects.exists()


def test_reminders_go_once_to_tomorrows_bookings(
    line: ServiceGroup, citizen: User, other_citizen: User
) -> None:
    _book(line, citizen)
    cancelled, _code = _book(line, other_citizen)
    bookings.cancel(cancelled, actor=other_citizen)
    assert bookings.send_reminders(today=TUESDAY - datetime.timedelta(days=1)) == 1
    assert bookings.send_reminders(today=TUESDAY - datetime.timedelta(days=1)) == 0
    assert Notification.objects.filter(template="queue_reminder", recipient=citizen).count() == 1
