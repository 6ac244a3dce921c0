"""The digital queue (*antrean*) of a public service mall (MPP).

A ``Site`` (the MPP building) has zones and counters (*loket*). Services are grouped into
``ServiceGroup`` s, each with a ticket prefix (``A``, ``B``…); tickets are numbered per group per
day (``A-001``), gap-free: the number comes from a ``TicketSequence`` row updated in the same
transaction that inserts the ticket, so a rolled-back issue leaves no hole and two concurrent
issues never get the same number (row lock on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises
writers). A ``Counter`` serves some groups; an officer opens a ``CounterSession`` for a shift.

A ticket stores only the need for priority (*lansia, disabilitas, ibu hamil, anak*), never a
diagnosis, and no name or NIK: whoever holds the ticket is served.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import Agency, ServiceUnit
from layanan.catalog.models import Service
from layanan.core.models import TimeStampedModel


class PriorityPolicy(models.TextChoices):
    EVERY_N = "every_n", _("One priority ticket in every few calls")
    ALWAYS_FIRST = "always_first", _("Priority tickets always first")


class Site(TimeStampedModel):
    """An MPP building. Its opening days and hours are those of the unit that runs it."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    operator = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("operated by")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    priority_policy = models.CharField(
        _("priority policy"), max_length=14, choices=PriorityPolicy.choices, default=PriorityPolicy.EVERY_N
    )
    # With ``every_n``: at most this many regular calls in a row at a counter while a priority
    # ticket waits (2: every third call is a priority ticket, if one waits).
    regular_calls_between_priority = models.PositiveSmallIntegerField(default=2)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("service mall")
        verbose_name_plural = _("service malls")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="zones")
    slug = models.SlugField(max_length=40)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "slug"], name="queueing_zone_site_slug")]

    def __str__(self) -> str:
        return self.name


class ServiceGroup(models.Model):
    """Services that share one line of tickets (one prefix) at a site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="groups")
    prefix = models.CharField(_("ticket prefix"), max_length=2)
    name = models.CharField(_("name"), max_length=120)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="groups")
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    # Minutes one visit usually takes, before the day has its own history (for the wait estimate).
    usual_service_minutes = models.PositiveSmallIntegerField(default=8)
    # Online booking: slots of this many minutes through the opening hours, each for at most
    # ``booking_quota`` people (0: this line takes no bookings).
    booking_slot_minutes = models.PositiveSmallIntegerField(default=30)
    booking_quota = models.PositiveSmallIntegerField(default=0)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")
        ordering = ["site", "sort_order", "prefix"]
        constraints = [models.UniqueConstraint(fields=["site", "prefix"], name="queueing_group_site_prefix")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"


class Counter(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="counters")
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="counters")
    number = models.PositiveSmallIntegerField(_("counter number"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    groups = models.ManyToManyField(ServiceGroup, related_name="counters")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["site", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="queueing_counter_site_number")
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.number}"


class CounterSession(models.Model):
    """An officer's shift at a counter. One open session per counter."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="sessions")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("counter session")
        verbose_name_plural = _("counter sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["counter"], condition=Q(closed_at__isnull=True), name="queueing_one_open_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter} {self.opened_at:%Y-%m-%d %H:%M}"


class Booking(TimeStampedModel):
    """A citizen's booked slot in a line. Checking in at the kiosk puts it into the line: on time
    (up to ``LATE_MINUTES`` after the slot starts) it is called at its slot time, before walk-ins;
    later, it waits like a walk-in from the moment of check-in."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        CANCELLED = "cancelled", _("Cancelled")

    LATE_MINUTES = 15

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(ServiceGroup, on_delete=models.PROTECT, related_name="bookings")
    day = models.DateField()
    starts_at = models.TimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    # Typed (or scanned from the QR code) at the kiosk; only its digest is kept.
    check_in_digest = models.CharField(max_length=64)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(fields=["check_in_digest"], name="queueing_booking_check_in"),
            # One live booking per person per day.
            models.UniqueConstraint(
                fields=["citizen", "day"],
                condition=Q(status__in=["booked", "checked_in"]),
                name="queueing_booking_one_per_day",
            ),
        ]
        indexes = [models.Index(fields=["group", "day", "starts_at", "status"], name="queueing_booking_slot")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.day} {self.starts_at}"


class TicketSequence(models.Model):
    """The last number given in a group on a day (gap-free numbering, see the module docstring)."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "day"], name="queueing_sequence_group_day")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.day} {self.last_number}"


class Need(models.TextChoices):
    NONE = "", _("No priority")
    ELDERLY = "elderly", _("Older person (lansia)")
    DISABLED = "disabled", _("Person with a disability")
    PREGNANT = "pregnant", _("Pregnant woman")
    CHILD = "child", _("Child or parent with a small child")


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVING = "serving", _("Being served")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("Did not come")
        TRANSFERRED = "transferred", _("Transferred")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk")
        PHONE = "phone", _("Phone")
        GREETER = "greeter", _("Greeter")
        BOOKING = "booking", _("Booking")
        TRANSFER = "transfer", _("Transfer")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(ServiceGroup, on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField()
    number = models.PositiveIntegerField()
    prefix = models.CharField(max_length=2)  # the group's, copied: the code needs no join
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    need = models.CharField(max_length=10, choices=Need.choices, blank=True, default=Need.NONE)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    # When the person arrived: kept through a transfer, so they do not go to the back of the line.
    arrived_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    # A booking checked in on time is called from its slot time, before walk-ins.
    booked_for = models.DateTimeField(null=True, blank=True)
    # An application made for this visit at the counter (applications app), by reference.
    application_reference = models.CharField(max_length=32, blank=True)
    # A retried request from a phone gets the same ticket back.
    idempotency_key = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(fields=["group", "day", "number"], name="queueing_ticket_number"),
            models.UniqueConstraint(
                fields=["site", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="queueing_ticket_idempotency",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "day", "status", "arrived_at"], name="queueing_ticket_line"),
            models.Index(fields=["counter", "day", "called_at"], name="queueing_ticket_counter_calls"),
            models.Index(fields=["site", "day"], name="queueing_ticket_site_day"),
            # The ticket at a counter now (called or being served): a handful of rows, whatever
            # the history.
            models.Index(
                fields=["counter"],
                condition=Q(status__in=["called", "serving"]),
                name="queueing_ticket_current",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.prefix}-{self.number:03d}"

    @property
    def is_priority(self) -> bool:
        return bool(self.need)
