"""Applications (*permohonan*) and everything hanging off one: its timeline, the vault documents
shared into it, its drafts, bills and payment notices, and the signed output documents.

Personal data in an application (the form answers: name, NIK, KK number, phone, address, ...) is
one encrypted JSON document (``answers``); only the NIK's blind index is stored in clear, for
counter look-ups and claims. Work queues read only plain columns (unit, state, due date,
assignee), so a queue page never decrypts anything.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import ServiceUnit
from layanan.catalog.models import Service, ServiceStandard
from layanan.core.crypto import EncryptedTextField
from layanan.core.models import TimeStampedModel
from layanan.vault.models import VaultDocument
from layanan.workflow.models import StoredWorkflow, TimelineEvent, WorkflowCase


def _json_object(text: str) -> dict[str, Any]:
    """The stored answers (decrypted JSON) as a dict; anything else reads as no answers."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class ServiceConfig(TimeStampedModel):
    """How a service takes applications: reference prefix, form (as data) and workflow version.

    Seeded from the adopted standard the first time it is needed (``ensure_service_config``) and
    editable by the agency afterwards.
    """

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="application_config")
    reference_prefix = models.CharField(_("reference prefix"), max_length=6)
    # A ``layanan.applications.formspec.FormSpec`` as JSON.
    form = models.JSONField()
    workflow = models.ForeignKey(StoredWorkflow, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("application settings")
        verbose_name_plural = _("application settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(reference_prefix__regex=r"^[A-Z]{2,6}$"), name="applications_config_prefix_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.reference_prefix})"


class Application(WorkflowCase, TimeStampedModel):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        COUNTER = "counter", _("At the counter")
        API = "api", _("Through the API")

    reference = models.CharField(_("reference number"), max_length=32, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    # The standard in force when the application was made: its requirements, fee and time apply.
    standard = models.ForeignKey(ServiceStandard, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the service so the unit's queue is one index range.
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="applications")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Who pressed "submit": the applicant online, the officer at the counter, the API client.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    # Form answers as encrypted JSON (personal data). Read with ``answer_data``.
    answers = EncryptedTextField(default="{}")
    applicant_nik_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    tracking_secret_digest = models.CharField(max_length=64, editable=False)
    idempotency_key = models.CharField(max_length=80, blank=True, editable=False)
    # SHA-256 of what was submitted under the key: a reuse of the key with other data is refused.
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Walk-in applications: the citizen agreed that the officer applies on their behalf.
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    # Whole rupiah due under the standard (0: free); copied from the standard, never typed.
    fee_amount = models.PositiveBigIntegerField(default=0)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=5, default="id")
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["unit", "is_open", "due_date", "id"], name="app_queue_unit"),
            models.Index(fields=["unit", "state", "due_date", "id"], name="app_queue_unit_state"),
            models.Index(fields=["assigned_to", "is_open", "due_date", "id"], name="app_queue_assignee"),
            models.Index(fields=["applicant", "-submitted_at"], name="app_applicant_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="applications_idempotency_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", kwargs={"reference": self.reference})

    def get_staff_url(self) -> str:
        return reverse("applications:staff-case", kwargs={"reference": self.reference})

    def answer_data(self) -> dict[str, Any]:
        return _json_object(self.answers)

    @property
    def has_fee(self) -> bool:
        return self.fee_amount > 0


class ApplicationEvent(TimelineEvent):
    case = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        indexes = [models.Index(fields=["case", "at"], name="app_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.to_state}"


class ApplicationDocument(models.Model):
    """A vault document shared into an application for one form field (recorded, never copied)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    field_key = models.CharField(max_length=60)
    vault_document = models.ForeignKey(VaultDocument, on_delete=models.PROTECT, related_name="shares")
    shared_at = models.DateTimeField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "field_key", "vault_document"], name="applications_document_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.field_key}"


class ApplicationDraft(TimeStampedModel):
    """A citizen's unfinished application: saved on every page, resumed from the dashboard."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_drafts"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    answers = EncryptedTextField(default="{}")
    # {field key: vault document public id}
    documents = models.JSONField(default=dict, blank=True)
    # Sent with the final "submit" form: a double click or a retried POST submits once.
    submission_key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "service"], name="applications_one_draft_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.service_id}"

    def answer_data(self) -> dict[str, Any]:
        return _json_object(self.answers)


class Bill(TimeStampedModel):
    """A bill for an application's fee with its billing code (*kode billing*)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="bills")
    billing_code = models.CharField(_("billing code"), max_length=20, unique=True)
    amount = models.PositiveBigIntegerField()
    description = models.CharField(max_length=200)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    paid_at = models.DateTimeField(null=True, blank=True)
    provider_transaction_id = models.CharField(max_length=80, null=True, blank=True, unique=True)
    receipt_number = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="open"), name="applications_one_open_bill"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="paid"), name="applications_one_paid_bill"
            ),
        ]

    def __str__(self) -> str:
        return self.billing_code


class PaymentNoticeRecord(models.Model):
    """Every signed payment callback accepted, once per provider transaction (idempotency)."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied to the bill")
        MISMATCH = "mismatch", _("Sent to reconciliation")
        UNKNOWN_BILL = "unknown_bill", _("No such bill")

    provider_transaction_id = models.CharField(max_length=80, unique=True)
    billing_code = models.CharField(max_length=20)
    amount = models.PositiveBigIntegerField()
    paid_at = models.DateTimeField()
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    detail = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment notice")
        verbose_name_plural = _("payment notices")

    def __str__(self) -> str:
        return self.provider_transaction_id


class IssuedDocument(models.Model):
    """A signed output document (PDF) of an application, verifiable by anyone by its public id."""

    public_id = models.CharField(max_length=40, unique=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="outputs")
    title = models.CharField(max_length=200)
    pdf = models.FileField(upload_to="outputs/%Y/%m/", max_length=200)
    pdf_sha256 = models.CharField(max_length=64)
    key_id = models.CharField(max_length=32)
    signature = models.CharField(max_length=200)
    # The key facts signed with the PDF hash, shown on the verification page (no personal data
    # beyond what the document prints).
    facts = models.JSONField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at"]
        # The public verification page finds an uploaded copy by its hash.
        indexes = [models.Index(fields=["pdf_sha256"], name="app_output_sha256")]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
