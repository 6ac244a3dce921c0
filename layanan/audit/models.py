from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.audit.chain import GENESIS_HASH


class AppendOnlyError(Exception):
    """Audit events are never changed or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses every bulk write: events are appended one by one by ``record_event`` only."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be updated")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be updated")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        raise AppendOnlyError("audit events are appended by record_event only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")

    def for_object(self, object_type: str, object_id: str) -> AuditEventQuerySet:
        return self.filter(object_type=object_type, object_id=object_id)


class AuditStream(models.Model):
    """Head of one hash chain. Locking it serialises appends to that chain only."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"stream {self.number} @ {self.last_sequence}"


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, chained by hash to its predecessor."""

    stream = models.PositiveSmallIntegerField()
    sequence = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(db_index=True)
    # A plain id, not a foreign key: deleting or anonymising a user never touches the log.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)
    request_id = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.UniqueConstraint(fields=["stream", "sequence"], name="audit_event_stream_sequence")
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")
