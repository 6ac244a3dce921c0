"""Every write of the queue: one function per step, each in one transaction with its audit event.

Numbering (``issue_ticket``): the group's ``TicketSequence`` row for the day is created if needed
(``INSERT … ON CONFLICT DO NOTHING``) and incremented with an ``UPDATE``; the ticket is inserted in
the same transaction. The UPDATE holds the row until commit (PostgreSQL) and SQLite runs writers
one at a time (``BEGIN IMMEDIATE``), so concurrent issues get consecutive, distinct numbers and a
failed issue gives its number back.

Calling (``call_next``): the waiting tickets of the counter's groups are read with
``SELECT … FOR UPDATE SKIP LOCKED`` where the database has it, so two counters calling at the
same moment never take the same ticket; the ticket is then moved with a conditional UPDATE
(``status = 'waiting'``) as a second guard.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.audit.actions import record_event
from layanan.catalog.models import Service
from layanan.queueing import permissions
from layanan.queueing.models import (
    Counter,
    CounterSession,
    Need,
    PriorityPolicy,
    ServiceGroup,
    Ticket,
    TicketSequence,
)
from layanan.survey.actions import invite_after_queue_visit
from layanan.workdays.queries import is_working_day

OPEN_STATES = (Ticket.Status.WAITING, Ticket.Status.CALLED, Ticket.Status.SERVING)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _local_day(at: datetime.datetime) -> datetime.date:
    return timezone.localtime(at).date()


def site_is_open(group: ServiceGroup, at: datetime.datetime) -> bool:
    """A working day of the unit that runs the site, between its opening and closing time."""
    operator = group.site.operator
    local = timezone.localtime(at)
    if not is_working_day(local.date(), operator):
        return False
    return operator.opens_at <= local.time().replace(tzinfo=None) < operator.closes_at


# --- Tickets ---------------------------------------------------------------------------------------


def _next_number(group: ServiceGroup, day: datetime.date) -> int:
    TicketSequence.objects.bulk_create([TicketSequence(group=group, day=day)], ignore_conflicts=True)
    sequence = TicketSequence.objects.filter(group=group, day=day)
    sequence.update(last_number=F("last_number") + 1)
    return int(sequence.values_list("last_number", flat=True).get())


@transaction.atomic
def issue_ticket(
    group: ServiceGroup,
    *,
    channel: str,
    service: Service | None = None,
    need: str = Need.NONE,
    actor: Any = None,
    idempotency_key: str = "",
    now: datetime.datetime | None = None,
) -> Ticket:
    """A numbered ticket in ``group`` for today. A phone's retry with the same key gets the same
    ticket back. Refused outside the site's opening hours when ``LAYANAN_QUEUE_ENFORCE_HOURS``."""
    at = _now(now)
    if idempotency_key:
        earlier = Ticket.objects.filter(site=group.site_id, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    if need not in Need.values:
        raise ValidationError(_("Choose one of the priority needs offered."), code="bad_need")
    if service is not None and not group.services.filter(pk=service.pk).exists():
        raise ValidationError(_("This service is not served in this line."), code="wrong_service")
    if settings.LAYANAN_QUEUE_ENFORCE_HOURS and not site_is_open(group, at):
        raise ValidationError(
            _("The service mall is closed now. Come back during opening hours."), code="closed"
        )
    day = _local_day(at)
    number = _next_number(group, day)
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                site_id=group.site_id,
                group=group,
                day=day,
                number=number,
                prefix=group.prefix,
                service=service,
                need=need,
                channel=channel,
                arrived_at=at,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        earlier = Ticket.objects.filter(site=group.site_id, idempotency_key=idempotency_key).first()
        if not idempotency_key or earlier is None:
            raise
        return earlier
    record_event(
        "queueing.ticket_issued",
        actor=actor,
        target=ticket,
        summary={"group": group.prefix, "number": number, "channel": channel, "priority": bool(need)},
    )
    return ticket


# --- Counter sessions -------------------------------------------------------------------------------


def _require_counter(actor: Any, counter: Counter) -> None:
    if not permissions.can_work_counter(actor, counter):
        raise PermissionDenied


def open_session_of(counter: Counter) -> CounterSession | None:
    return CounterSession.objects.filter(counter=counter, closed_at__isnull=True).first()


@transaction.atomic
def open_counter(counter: Counter, *, actor: Any, now: datetime.datetime | None = None) -> CounterSession:
    """Start a shift at ``counter``. Another officer's open session there is refused."""
    _require_counter(actor, counter)
    current = open_session_of(counter)
    if current is not None:
        if current.officer_id == actor.pk:
            return current
        raise ValidationError(_("Another officer has this counter open."), code="taken")
    try:
        with transaction.atomic():
            session = CounterSession.objects.create(counter=counter, officer=actor, opened_at=_now(now))
    except IntegrityError as error:
        raise ValidationError(_("Another officer has this counter open."), code="taken") from error
    record_event("queueing.counter_opened", actor=actor, target=session, summary={"counter": counter.number})
    return session


@transaction.atomic
def close_counter(counter: Counter, *, actor: Any, now: datetime.datetime | None = None) -> None:
    _require_counter(actor, counter)
    session = open_session_of(counter)
    if session is None:
        return
    if current_ticket(counter) is not None:
        raise ValidationError(_("Finish or release the current ticket first."), code="busy")
    session.closed_at = _now(now)
    session.save(update_fields=["closed_at"])
    record_event("queueing.counter_closed", actor=actor, target=session, summary={"counter": counter.number})


def _require_session(counter: Counter, actor: Any) -> CounterSession:
    _require_counter(actor, counter)
    session = open_session_of(counter)
    if session is None or session.officer_id != actor.pk:
        raise ValidationError(_("Open the counter first."), code="not_open")
    return session


def current_ticket(counter: Counter) -> Ticket | None:
    """The ticket called to or being served at ``counter`` (at most one)."""
    return (
        Ticket.objects.filter(counter=counter, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING])
        .order_by("-called_at")
        .first()
    )


# --- Calling ---------------------------------------------------------------------------------------


def _priority_turn(counter: Counter, day: datetime.date) -> bool:
    """Whether the next call at ``counter`` should go to a priority ticket (if one waits)."""
    site = counter.site
    if site.priority_policy == PriorityPolicy.ALWAYS_FIRST:
        return True
    recent = list(
        Ticket.objects.filter(counter=counter, day=day, called_at__isnull=False)
        .order_by("-called_at")
        .values_list("need", flat=True)[: site.regular_calls_between_priority]
    )
    # A priority ticket is due once the last N calls here were all regular ones.
    return len(recent) >= site.regular_calls_between_priority and not any(recent)


def _waiting(counter: Counter, day: datetime.date) -> Any:
    tickets = Ticket.objects.filter(
        group__in=counter.groups.all(), day=day, status=Ticket.Status.WAITING
    ).order_by("arrived_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        tickets = tickets.select_for_update(skip_locked=True, of=("self",))
    return tickets


@transaction.atomic
def call_next(counter: Counter, *, actor: Any, now: datetime.datetime | None = None) -> Ticket | None:
    """Call the next ticket to ``counter``: the oldest waiting ticket of its groups, or a priority
    ticket when the site's policy says it is its turn (``_priority_turn``). None when nobody waits."""
    _require_session(counter, actor)
    at = _now(now)
    if current_ticket(counter) is not None:
        raise ValidationError(
            _("Finish the current ticket, or mark it as not come, before calling the next."), code="busy"
        )
    day = _local_day(at)
    waiting = _waiting(counter, day)
    # Bookings checked in on time are called at their slot time, before anyone else.
    ticket: Ticket | None = (
        waiting.filter(booked_for__isnull=False, booked_for__lte=at).order_by("booked_for", "id").first()
    )
    if ticket is None and _priority_turn(counter, day):
        ticket = waiting.exclude(need="").first()
    if ticket is None:
        # Not yet due bookings wait for their time; everyone else by arrival.
        walk_ins = waiting.filter(booked_for__isnull=True)
        # An idle counter with nobody else waiting takes an early booking.
        ticket = walk_ins.filter(need="").first() or walk_ins.first() or waiting.first()
    if ticket is None:
        return None
    moved = Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.WAITING).update(
        status=Ticket.Status.CALLED, counter=counter, officer=actor, called_at=at, call_count=1
    )
    if not moved:  # taken by another counter between the read and the update (no SKIP LOCKED)
        raise ValidationError(_("That ticket was just called elsewhere. Call again."), code="race")
    ticket.refresh_from_db()
    record_event(
        "queueing.ticket_called",
        actor=actor,
        target=ticket,
        summary={"counter": counter.number, "priority": ticket.is_priority},
    )
    return ticket


def _own_ticket(ticket: Ticket, actor: Any, *states: str) -> Ticket:
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("counter__site").get(pk=ticket.pk)
    if locked.counter is None:
        raise ValidationError(_("This ticket has not been called."), code="not_called")
    _require_session(locked.counter, actor)
    if locked.status not in states:
        raise ValidationError(_("This ticket has already moved on. Reload the page."), code="wrong_state")
    return locked


@transaction.atomic
def recall(ticket: Ticket, *, actor: Any, now: datetime.datetime | None = None) -> Ticket:
    """Call the same ticket again (the board shows and announces it again)."""
    locked = _own_ticket(ticket, actor, Ticket.Status.CALLED)
    locked.called_at = _now(now)
    locked.call_count += 1
    locked.save(update_fields=["called_at", "call_count"])
    record_event("queueing.ticket_recalled", actor=actor, target=locked, summary={"calls": locked.call_count})
    return locked


@transaction.atomic
def mark_no_show(ticket: Ticket, *, actor: Any, now: datetime.datetime | None = None) -> Ticket:
    locked = _own_ticket(ticket, actor, Ticket.Status.CALLED)
    locked.status = Ticket.Status.NO_SHOW
    locked.finished_at = _now(now)
    locked.save(update_fields=["status", "finished_at"])
    record_event("queueing.ticket_no_show", actor=actor, target=locked, summary={"calls": locked.call_count})
    return locked


@transaction.atomic
def start_service(ticket: Ticket, *, actor: Any, now: datetime.datetime | None = None) -> Ticket:
    locked = _own_ticket(ticket, actor, Ticket.Status.CALLED)
    locked.status = Ticket.Status.SERVING
    locked.started_at = _now(now)
    locked.save(update_fields=["status", "started_at"])
    record_event("queueing.service_started", actor=actor, target=locked, summary={})
    return locked


@transaction.atomic
def finish_service(
    ticket: Ticket,
    *,
    actor: Any,
    application_reference: str = "",
    now: datetime.datetime | None = None,
) -> tuple[Ticket, str]:
    """Close the visit; returns the ticket and the one-time survey code for the person served
    (the satisfaction survey, bound to this ticket: one response per visit)."""
    locked = _own_ticket(ticket, actor, Ticket.Status.CALLED, Ticket.Status.SERVING)
    at = _now(now)
    locked.status = Ticket.Status.DONE
    locked.started_at = locked.started_at or at
    locked.finished_at = at
    locked.application_reference = application_reference.strip()[:32]
    locked.save(update_fields=["status", "started_at", "finished_at", "application_reference"])
    service = locked.service or locked.group.services.order_by("pk").first()
    code = ""
    if service is not None:
        _invitation, code = invite_after_queue_visit(
            ticket_key=str(locked.public_id),
            unit=service.unit,
            service=locked.service,
            actor=actor,
            audit_target=locked,
        )
    record_event(
        "queueing.service_finished",
        actor=actor,
        target=locked,
        summary={"with_application": bool(locked.application_reference), "survey": bool(code)},
    )
    return locked, code


@transaction.atomic
def transfer(
    ticket: Ticket,
    *,
    to_group: ServiceGroup,
    actor: Any,
    service: Service | None = None,
    now: datetime.datetime | None = None,
) -> Ticket:
    """Send the person to another line: a new ticket there that keeps their arrival time, so they
    are not put at the back of it."""
    locked = _own_ticket(ticket, actor, Ticket.Status.CALLED, Ticket.Status.SERVING)
    if to_group.site_id != locked.site_id:
        raise ValidationError(_("Choose a line of this service mall."), code="other_site")
    at = _now(now)
    locked.status = Ticket.Status.TRANSFERRED
    locked.finished_at = at
    locked.save(update_fields=["status", "finished_at"])
    moved = issue_ticket(
        to_group, channel=Ticket.Channel.TRANSFER, service=service, need=locked.need, actor=actor, now=at
    )
    moved.arrived_at = locked.arrived_at
    moved.transferred_from = locked
    moved.save(update_fields=["arrived_at", "transferred_from"])
    record_event(
        "queueing.ticket_transferred",
        actor=actor,
        target=locked,
        summary={"to": to_group.prefix, "new": moved.code},
    )
    return moved
