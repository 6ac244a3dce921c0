"""Complaints, aspirations and information requests (*pengaduan*, SP4N-LAPOR!-style).

One model, ``Complaint``, takes reports from every channel (web, API, Open311, an officer on the
phone or at the counter, SP4N-LAPOR!). Its state changes run through the one workflow engine
(``layanan.workflow``) and are written only by ``layanan.complaints.actions``.

Privacy, as in SP4N-LAPOR!:

* **anonim**: who reported is never shown to the agency or the public. An anonymous complaint has
  no foreign key to its reporter at all (``reporter`` is NULL); the reporter finds it again through
  ``reporter_index``, a keyed blind index of their account id that cannot be reversed, and hears
  about it through the contact kept encrypted in ``reporter_data``. Staff pages, exports, the API
  and Open311 read complaints through ``layanan.complaints.queries``, which never selects those
  columns for staff.
* **rahasia**: the content is not public; public pages and Open311 list only non-confidential
  reports.

Personal data a reporter gives (name, NIK, phone, e-mail, address) lives in ``reporter_data``,
an encrypted JSON document. The report text itself is not personal data by design, but can hold
some: it is shown to the public only when the report is neither confidential nor protected, and
after the coordinator has verified it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import Agency, ServiceUnit
from layanan.catalog.models import Service
from layanan.core.crypto import EncryptedTextField
from layanan.core.models import TimeStampedModel
from layanan.regions.models import Region
from layanan.workflow.models import TimelineEvent, WorkflowCase


class ResolutionClass(models.TextChoices):
    """The four resolution tiers of SIPPN service standards (domain facts §3.3)."""

    LIGHT = "ringan", _("Light (pengaduan ringan)")
    NORMATIVE = "normatif", _("Normative (pengaduan bersifat normatif)")
    NO_AUDIT = "tidak_berkadar_pengawasan", _("Needs no inspection (tidak berkadar pengawasan)")
    AUDIT = "berkadar_pengawasan", _("Needs inspection or audit (berkadar pengawasan)")


class ComplaintKind(models.TextChoices):
    COMPLAINT = "pengaduan", _("Complaint")
    ASPIRATION = "aspirasi", _("Suggestion")
    INFORMATION = "informasi", _("Information request")
    # Illegal charges, gratification, abuse of power: handled by the inspectorate only.
    WHISTLEBLOWING = "pungli", _("Illegal charges or abuse of power")


REFERENCE_PREFIXES = {
    ComplaintKind.COMPLAINT: "ADU",
    ComplaintKind.ASPIRATION: "ASP",
    ComplaintKind.INFORMATION: "INF",
    ComplaintKind.WHISTLEBLOWING: "WBS",
}


class ComplaintCategory(TimeStampedModel):
    """A topic of reports (*kategori*), also an Open311 service (``service_code`` = ``slug``).

    ``attributes`` are the Open311 service definition's extra questions: a list of
    ``{"code", "datatype", "required", "description", "values": [{"key", "name"}]}``.
    """

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=400, blank=True)
    default_resolution_class = models.CharField(
        _("default resolution class"),
        max_length=30,
        choices=ResolutionClass.choices,
        default=ResolutionClass.NO_AUDIT,
    )
    # Reports in this category go to the inspectorate only (pungli, gratification, abuse of power).
    is_protected = models.BooleanField(_("protected channel"), default=False)
    attributes = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str | None) -> str:
        return self.name_en if (language or "id").startswith("en") and self.name_en else self.name


class ComplaintPolicy(TimeStampedModel):
    """Deadlines of complaint handling for a region (its code prefix); the row without a region
    is the national default. The most specific row whose region contains the report's wins."""

    region = models.OneToOneField(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verification_working_days = models.PositiveSmallIntegerField(default=3)
    first_answer_working_days = models.PositiveSmallIntegerField(default=5)
    reply_days = models.PositiveSmallIntegerField(default=10)
    light_working_days = models.PositiveSmallIntegerField(default=2)
    normative_working_days = models.PositiveSmallIntegerField(default=5)
    no_audit_working_days = models.PositiveSmallIntegerField(default=14)
    audit_working_days = models.PositiveSmallIntegerField(default=60)
    # A missed deadline goes to the coordinator at once, and to the inspectorate when it is still
    # missed this many working days later.
    inspectorate_after_working_days = models.PositiveSmallIntegerField(default=5)
    # The routing assistant disposes by itself above this confidence (None: never).
    auto_dispose_confidence = models.FloatField(null=True, blank=True)
    # A rating at or below this reopens the report.
    reopen_rating_at_most = models.PositiveSmallIntegerField(default=2)

    class Meta:
        verbose_name = _("complaint policy")
        verbose_name_plural = _("complaint policies")
        constraints = [
            # One national default: NULLs are distinct to a plain unique constraint.
            models.UniqueConstraint(Coalesce("region", Value("")), name="complaints_one_policy_per_region")
        ]

    def __str__(self) -> str:
        return self.region_id or "default"

    def resolution_days(self, resolution_class: str) -> int:
        days: dict[str, int] = {
            ResolutionClass.LIGHT: self.light_working_days,
            ResolutionClass.NORMATIVE: self.normative_working_days,
            ResolutionClass.NO_AUDIT: self.no_audit_working_days,
            ResolutionClass.AUDIT: self.audit_working_days,
        }
        return days.get(resolution_class, self.no_audit_working_days)


# States whose reports are never published (spam, duplicates, off-topic reports are archived).
UNPUBLISHED_STATES = ("archived",)


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def public(self) -> ComplaintQuerySet:
        """Reports the public pages and Open311 may show: ``Complaint.is_public`` as a filter."""
        return self.filter(is_confidential=False, verified_at__isnull=False).exclude(
            Q(kind=ComplaintKind.WHISTLEBLOWING) | Q(state__in=UNPUBLISHED_STATES)
        )


class Complaint(WorkflowCase, TimeStampedModel):
    objects = ComplaintQuerySet.as_manager()

    class Channel(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")
        PHONE = "phone", _("Telephone (entered by an officer)")
        WALK_IN = "walk_in", _("In person (entered by an officer)")
        LAPOR = "lapor", _("SP4N-LAPOR!")

    reference = models.CharField(_("tracking reference"), max_length=32, unique=True)
    # Open311 ``service_request_id`` and URLs that must not be guessable in sequence.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("type of report"), max_length=12, choices=ComplaintKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what happened"))
    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    # The regency/city (level 2) code of ``region``: coordinators work per regency.
    regency_code = models.CharField(max_length=5, db_index=True, editable=False)
    location_text = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    category = models.ForeignKey(ComplaintCategory, on_delete=models.PROTECT, related_name="complaints")
    # What the reporter named (optional); the responsible agency and unit are set by disposition.
    target_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    unit = models.ForeignKey(
        ServiceUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    resolution_class = models.CharField(max_length=30, choices=ResolutionClass.choices)
    attributes = models.JSONField(default=dict, blank=True)  # answers to the category's attributes

    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    # The reporter's account, only when the report is not anonymous (see the module docstring).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    reporter_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Encrypted JSON: name, nik, phone, email, address, and for anonymous reports the account id.
    reporter_data = EncryptedTextField(default="{}")
    tracking_secret_digest = models.CharField(max_length=64, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who may retry: the API client or Open311 key, or the submitting account ("" for a browser
    # session without an account, which retries with the form's one-time token).
    idempotency_scope = models.CharField(max_length=80, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=80, blank=True, editable=False)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField()
    language = models.CharField(max_length=5, default="id")

    verified_at = models.DateTimeField(null=True, blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Whether the first answer came within the SP4N-LAPOR! deadline (for the public statistics).
    answered_on_time = models.BooleanField(null=True, blank=True)
    # Working days from the disposition to the first answer.
    first_answer_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)  # 1 coordinator, 2 inspectorate
    support_count = models.PositiveIntegerField(default=0)

    # Routing assistant: its best suggestion when the report arrived.
    suggested_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_category = models.ForeignKey(
        ComplaintCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggestion_confidence = models.FloatField(null=True, blank=True)

    # SP4N-LAPOR!: the national tracking id when forwarded to or received from it.
    lapor_tracking_id = models.CharField(max_length=40, blank=True, db_index=True)
    lapor_forwarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["regency_code", "is_open", "due_date", "id"], name="cmp_queue_regency"),
            models.Index(fields=["unit", "is_open", "due_date", "id"], name="cmp_queue_unit"),
            models.Index(fields=["agency", "-submitted_at", "id"], name="cmp_agency_recent"),
            models.Index(fields=["-submitted_at", "id"], name="cmp_recent"),
            models.Index(fields=["category", "region", "is_open"], name="cmp_category_region"),
            models.Index(fields=["reporter_index", "-submitted_at"], name="cmp_reporter_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_scope", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="complaints_idempotency_unique",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaints_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ComplaintKind]), name="complaints_kind_valid"
            ),
            # An anonymous report never points at its reporter's account.
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(reporter__isnull=True),
                name="complaints_anonymous_unlinked",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_staff_url(self) -> str:
        return reverse("complaints:staff-case", kwargs={"complaint": self.reference})

    @property
    def is_protected(self) -> bool:
        return self.kind == ComplaintKind.WHISTLEBLOWING

    @property
    def is_public(self) -> bool:
        """Whether the public pages and Open311 may show this report at all: verified, neither
        confidential nor protected, and not archived (spam, duplicates, off-topic)."""
        return (
            not self.is_confidential
            and not self.is_protected
            and self.verified_at is not None
            and self.state not in UNPUBLISHED_STATES
        )

    def reporter_details(self) -> dict[str, Any]:
        """The reporter's encrypted details (name, nik, phone, email, address, account)."""
        try:
            data = json.loads(self.reporter_data or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


class ComplaintEvent(TimelineEvent):
    case = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEvent.Meta):
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        indexes = [models.Index(fields=["case", "at"], name="cmp_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.to_state}"


class Disposition(models.Model):
    """One step of the *disposisi* chain: the report handed to an agency's unit."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Chosen by the coordinator")
        SUGGESTION = "suggestion", _("Suggestion confirmed by the coordinator")
        AUTOMATIC = "automatic", _("Disposed automatically (high confidence)")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="dispositions")
    from_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(ComplaintCategory, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=12, choices=Source.choices)
    confidence = models.FloatField(null=True, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    # False once the receiving unit says "not our authority": such dispositions don't teach routing.
    is_accepted = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["is_accepted", "id"], name="cmp_disposition_learn")]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.to_agency_id}"


class ComplaintAttachment(models.Model):
    """A photo or document sent with a report, checked (``check_upload``) and encrypted."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="complaints/%Y/%m/", max_length=200)
    added_at = models.DateTimeField()
    # Added by the reporter (with the report or as requested information) or by staff (an answer).
    added_by_reporter = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name


class ComplaintSupport(models.Model):
    """A citizen supports an existing report instead of filing a duplicate (one per account)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="supports")
    supporter_index = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "supporter_index"], name="complaints_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}"


class ComplaintIntake(models.Model):
    """A report accepted from a machine channel (API, Open311, SP4N-LAPOR!) and not processed yet.

    Accepting costs one INSERT: the report is validated, given its reference and secret, and
    stored here encrypted; the worker (``actions.process_intake``) then creates the ``Complaint``
    with its workflow, timeline, audit event, routing suggestion and notification. Open311 calls
    this a *token*: ``GET tokens/<token>`` gives the request id once it is processed.
    """

    reference = models.CharField(max_length=32, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=10, choices=Complaint.Channel.choices)
    # Encrypted JSON of everything ``submit_complaint`` needs, including the tracking secret
    # (removed once the reporter has been sent it).
    payload = EncryptedTextField(default="{}")
    tracking_secret_digest = models.CharField(max_length=64, editable=False)
    idempotency_scope = models.CharField(max_length=80, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    complaint = models.OneToOneField(
        Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="intake"
    )
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("received report")
        verbose_name_plural = _("received reports")
        indexes = [
            models.Index(fields=["id"], condition=Q(processed_at__isnull=True), name="cmp_intake_pending"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_scope", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="complaints_intake_idempotency_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference
