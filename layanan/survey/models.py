"""The satisfaction survey (*Survei Kepuasan Masyarakat*, Permen PANRB 14/2017).

Privacy by construction: a response carries no link to the person or the transaction that
earned it. A ``SurveyInvitation`` is one transaction's right to answer once (an application that
was completed, a counter visit, a queue ticket); answering flips its ``answered`` flag in the same
transaction that stores the response, and nothing ties the two rows together: the response has
no invitation id, and both store a date, never a time of day. The respondent profile and the
suggestion are optional; no NIK, name or contact is asked for.

The nine answers are nine columns, so the database sums each element over a period in one
aggregate query (``queries.tallies``); Python never loads the responses.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layanan.accounts.models import Agency, ServiceUnit
from layanan.catalog.models import Service
from layanan.core.crypto import EncryptedTextField
from layanan.core.models import TimeStampedModel
from layanan.survey.elements import BY_KEY, ELEMENT_KEYS


class Channel(models.TextChoices):
    APPLICATION = "application", _("After an online application")
    COUNTER = "counter", _("After a counter visit")
    QUEUE = "queue", _("After a queue ticket")
    UNIT_LINK = "unit_link", _("The unit's general link")


class SurveyInvitation(models.Model):
    """One transaction's right to answer the survey once.

    ``source_key`` names the transaction (``application:<reference>``, ``counter:<uuid>``,
    ``queue:<ticket>``) and is unique, so a transaction is invited once however often the step
    that invites it is retried. The token a respondent holds is never stored, only its SHA-256.
    """

    source = models.CharField(max_length=12, choices=Channel.choices)
    # Unique through Meta.constraints, not ``unique=True``: on PostgreSQL that would add a second,
    # pattern-matching index per column (never used for an equality look-up).
    source_key = models.CharField(max_length=80)
    token_digest = models.CharField(max_length=64)
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField()
    expires_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        indexes = [models.Index(fields=["unit", "issued_on"], name="survey_invitation_unit_day")]
        constraints = [
            models.UniqueConstraint(fields=["source_key"], name="survey_invitation_source_key"),
            models.UniqueConstraint(fields=["token_digest"], name="survey_invitation_token_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.unit_id} {self.issued_on}"


class SurveyResponse(models.Model):
    """One respondent's answers. Anonymous: see the module docstring."""

    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    class AgeBand(models.TextChoices):
        UNDER_20 = "u20", _("Under 20")
        FROM_20 = "20-29", _("20–29")
        FROM_30 = "30-39", _("30–39")
        FROM_40 = "40-49", _("40–49")
        FROM_50 = "50-59", _("50–59")
        FROM_60 = "60+", _("60 and over")

    class Education(models.TextChoices):
        SD = "sd", _("Primary school (SD) or lower")
        SMP = "smp", _("Junior high school (SMP)")
        SMA = "sma", _("Senior high school (SMA/SMK)")
        DIPLOMA = "d1-d3", _("Diploma (D1–D3)")
        BACHELOR = "d4-s1", _("Bachelor (D4/S1)")
        MASTER = "s2", _("Master (S2)")
        DOCTOR = "s3", _("Doctorate (S3)")

    class Occupation(models.TextChoices):
        CIVIL_SERVANT = "pns", _("Civil servant (PNS)")
        MILITARY = "tni", _("Armed forces (TNI)")
        POLICE = "polri", _("Police (POLRI)")
        PRIVATE = "swasta", _("Private employee")
        ENTREPRENEUR = "wirausaha", _("Self-employed")
        STUDENT = "pelajar", _("Pupil or student")
        OTHER = "lainnya", _("Other")

    class SuggestionStatus(models.TextChoices):
        NONE = "none", _("No suggestion")
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Not published")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the unit, so an agency's or a region's period is one index range.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=13)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    submitted_on = models.DateField()
    persyaratan = models.PositiveSmallIntegerField(null=True, blank=True)
    prosedur = models.PositiveSmallIntegerField(null=True, blank=True)
    waktu = models.PositiveSmallIntegerField(null=True, blank=True)
    biaya = models.PositiveSmallIntegerField(null=True, blank=True)
    produk = models.PositiveSmallIntegerField(null=True, blank=True)
    kompetensi = models.PositiveSmallIntegerField(null=True, blank=True)
    perilaku = models.PositiveSmallIntegerField(null=True, blank=True)
    sarana = models.PositiveSmallIntegerField(null=True, blank=True)
    pengaduan = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age"), max_length=5, choices=AgeBand.choices, blank=True)
    education = models.CharField(_("education"), max_length=5, choices=Education.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=10, choices=Occupation.choices, blank=True)
    # What the respondent wrote, encrypted: it may hold a name or a phone number.
    suggestion = EncryptedTextField(blank=True, default="")
    suggestion_status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.NONE
    )
    # The moderated wording the unit head published (personal data taken out).
    published_suggestion = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [
            models.Index(fields=["unit", "submitted_on"], name="survey_response_unit_day"),
            models.Index(fields=["agency", "submitted_on"], name="survey_response_agency_day"),
            models.Index(fields=["service", "submitted_on"], name="survey_response_service_day"),
            models.Index(fields=["region_code", "submitted_on"], name="survey_response_region_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{key}__isnull": True}) | Q(**{f"{key}__gte": 1, f"{key}__lte": 4}),
                name=f"survey_response_{key}_1_to_4",
            )
            for key in ELEMENT_KEYS
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.submitted_on}"

    def answers(self) -> dict[str, int | None]:
        return {key: getattr(self, key) for key in ELEMENT_KEYS}


class UsedFormNonce(models.Model):
    """A general-link form that was sent: a replayed form is refused by the unique nonce."""

    nonce = models.CharField(max_length=64)
    used_on = models.DateField()

    class Meta:
        verbose_name = _("used survey form")
        verbose_name_plural = _("used survey forms")
        constraints = [models.UniqueConstraint(fields=["nonce"], name="survey_used_form_nonce")]

    def __str__(self) -> str:
        return self.nonce


class Weighting(models.TextChoices):
    PERMEN = "permen", _("As printed in the regulation (0.11 per element)")
    EXACT = "exact", _("Exact (1/9 per element)")


class SurveyReport(TimeStampedModel):
    """A unit's survey report for one period: drafted live, frozen when the unit head publishes.

    ``snapshot`` holds the figures as published (tallies, sample, population, profile, the
    moderated suggestions), so responses that arrive later do not change a published report.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("skm report", "Draft")
        PUBLISHED = "published", pgettext_lazy("skm report", "Published")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="+")
    period_key = models.CharField(max_length=8)
    weighting = models.CharField(_("weighting"), max_length=8, choices=Weighting.choices)
    # Service users of the period outside the platform (paper forms, services not on Layanan):
    # added to the invitations the platform issued to give the population of the sample.
    offline_population = models.PositiveIntegerField(_("service users outside the platform"), default=0)
    method_note = models.TextField(_("how the survey was run"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("survey report")
        verbose_name_plural = _("survey reports")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_key"], name="survey_report_unit_period"),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="survey_report_published")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_key}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def period_label(self) -> str:
        from layanan.survey.periods import Period

        return Period.parse(self.period_key).label


class FollowUpAction(TimeStampedModel):
    """One line of the follow-up plan (*rencana tindak lanjut*) of a report."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(SurveyReport, on_delete=models.CASCADE, related_name="actions")
    element = models.CharField(_("element"), max_length=12, blank=True)
    action = models.TextField(_("action"))
    owner = models.CharField(_("responsible"), max_length=120)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress_note = models.TextField(_("progress"), blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.action[:60]

    @property
    def element_label(self) -> str:
        from django.utils.translation import gettext

        element = BY_KEY.get(self.element)
        return str(element.name) if element else gettext("The service as a whole")
