"""Online booking of a slot in a line: book, cancel, check in at the kiosk, remind.

Slots: the line's ``booking_slot_minutes`` through the opening hours of the unit that runs the
site, on its working days, from tomorrow up to ``BOOKING_DAYS`` ahead; each slot holds at most the
line's ``booking_quota`` live bookings. A person has at most one live booking a day (a unique
constraint). Booking locks the line's row, so two people cannot take the last place of a slot at
once.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.accounts.permissions import is_citizen_user
from layanan.audit.actions import record_event
from layanan.notifications.actions import notify
from layanan.notifications.addresses import contact_of
from layanan.queueing.models import Booking, ServiceGroup, Ticket
from layanan.survey.tokens import derived_token, normalise
from layanan.workdays.queries import is_working_day

BOOKING_DAYS = 14
LIVE = (Booking.Status.BOOKED, Booking.Status.CHECKED_IN)


def check_in_digest(code: str) -> str:
    return hashlib.sha256(f"queue-booking:{normalise(code)}".encode()).hexdigest()


def check_in_code(booking: Booking) -> str:
    """Ten characters derived from the booking with the platform's keyed HMAC: the booking's page
    shows the same code (and QR code) again without the code being stored."""
    return derived_token(f"queue-booking:{booking.public_id}")[:10]


@dataclass(frozen=True)
class Slot:
    day: datetime.date
    starts_at: datetime.time
    free: int


def slot_times(group: ServiceGroup) -> list[datetime.time]:
    operator = group.site.operator
    start = datetime.datetime.combine(datetime.date(2000, 1, 1), operator.opens_at)
    end = datetime.datetime.combine(datetime.date(2000, 1, 1), operator.closes_at)
    step = datetime.timedelta(minutes=max(group.booking_slot_minutes, 5))
    times = []
    while start + step <= end:
        times.append(start.time())
        start += step
    return times


def booking_days(group: ServiceGroup, *, today: datetime.date) -> list[datetime.date]:
    operator = group.site.operator
    days = [today + datetime.timedelta(days=offset) for offset in range(1, BOOKING_DAYS + 1)]
    return [day for day in days if is_working_day(day, operator)]


def free_slots(group: ServiceGroup, day: datetime.date) -> list[Slot]:
    """The day's slots with their free places (one query)."""
    if group.booking_quota <= 0:
        return []
    taken = dict(
        Booking.objects.filter(group=group, day=day, status__in=LIVE)
        .values("starts_at")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("starts_at", "n")
    )
    return [Slot(day, time, group.booking_quota - int(taken.get(time, 0))) for time in slot_times(group)]


@transaction.atomic
def book(
    group: ServiceGroup, *, day: datetime.date, starts_at: datetime.time, actor: Any
) -> tuple[Booking, str]:
    """Book a place; returns the booking and its check-in code (shown to the citizen, with a QR)."""
    if not is_citizen_user(actor):
        raise PermissionDenied
    locked = ServiceGroup.objects.select_for_update().select_related("site__operator").get(pk=group.pk)
    today = timezone.localdate()
    if locked.booking_quota <= 0:
        raise ValidationError(_("This service takes no bookings."), code="no_booking")
    if day not in booking_days(locked, today=today) or starts_at not in slot_times(locked):
        raise ValidationError(_("Choose one of the times offered."), code="bad_slot")
    slot = next(slot for slot in free_slots(locked, day) if slot.starts_at == starts_at)
    if slot.free <= 0:
        raise ValidationError(_("This time has just been fully booked. Choose another."), code="full")
    booking = Booking(citizen=actor, group=locked, day=day, starts_at=starts_at)
    code = check_in_code(booking)
    booking.check_in_digest = check_in_digest(code)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        raise ValidationError(
            _("You already have a booking on that day. Cancel it first to book another."), code="one_per_day"
        ) from error
    _tell(booking, "queue_booked", code=code)
    record_event(
        "queueing.booked",
        actor=actor,
        target=booking,
        summary={"group": locked.prefix, "day": day.isoformat()},
    )
    return booking, code


@transaction.atomic
def cancel(booking: Booking, *, actor: Any) -> Booking:
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.citizen_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if locked.status != Booking.Status.BOOKED:
        raise ValidationError(_("This booking can no longer be cancelled."), code="wrong_state")
    locked.status = Booking.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    record_event("queueing.booking_cancelled", actor=actor, target=locked, summary={})
    return locked


@transaction.atomic
def check_in(site_id: int, code: str, *, now: datetime.datetime | None = None) -> Ticket:
    """The kiosk reads the booking's code (typed, or from the QR code by a scanner): a ticket in
    the line. On time (from 60 minutes before the slot to ``LATE_MINUTES`` after its start) it is
    called at the slot time before walk-ins; late, it waits like a walk-in."""
    from layanan.queueing.actions import issue_ticket

    at = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("group__site__operator")
        .filter(check_in_digest=check_in_digest(code), group__site_id=site_id)
        .first()
    )
    if booking is None:
        raise ValidationError(_("This booking code is not valid here. Check the characters."), code="unknown")
    local = timezone.localtime(at)
    if booking.status != Booking.Status.BOOKED or booking.day != local.date():
        raise ValidationError(
            _("This booking is not for today, or it was already used or cancelled."), code="not_today"
        )
    slot = timezone.make_aware(datetime.datetime.combine(booking.day, booking.starts_at))
    if at < slot - datetime.timedelta(minutes=60):
        raise ValidationError(_("Too early: check in from one hour before your time."), code="early")
    on_time = at <= slot + datetime.timedelta(minutes=Booking.LATE_MINUTES)
    ticket = issue_ticket(booking.group, channel=Ticket.Channel.BOOKING, now=at)
    ticket.booking = booking
    ticket.booked_for = slot if on_time else None
    ticket.save(update_fields=["booking", "booked_for"])
    booking.status = Booking.Status.CHECKED_IN
    booking.save(update_fields=["status", "updated_at"])
    record_event("queueing.checked_in", actor=None, target=booking, summary={"on_time": on_time})
    return ticket


def _tell(booking: Booking, template: str, **extra: Any) -> None:
    contact = contact_of(booking.citizen)
    if contact is None:
        return
    channel, address = contact
    url = f"{settings.LAYANAN_SITE_URL}{reverse('queueing:booking', kwargs={'public_id': booking.public_id})}"
    notify(
        channel=channel,
        address=address,
        template=template,
        context={
            "site": booking.group.site.name,
            "service": booking.group.name,
            "day": booking.day.isoformat(),
            "time": booking.starts_at.strftime("%H.%M"),
            "url": url,
            **extra,
        },
        recipient=booking.citizen,
    )


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind everyone booked for the next day (once each). Run daily: ``layanan send_queue_reminders``."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    sent = 0
    for pk in Booking.objects.filter(
        day=tomorrow, status=Booking.Status.BOOKED, reminded_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("group__site", "citizen")
                .filter(pk=pk, reminded_at__isnull=True, status=Booking.Status.BOOKED)
                .first()
            )
            if booking is None:
                continue
            _tell(booking, "queue_reminder")
            booking.reminded_at = timezone.now()
            booking.save(update_fields=["reminded_at"])
            record_event("queueing.booking_reminded", actor=None, target=booking, summary={})
            sent += 1
    return sent
