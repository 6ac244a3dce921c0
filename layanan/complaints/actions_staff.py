"""Audited reads of the staff side: each writes its audit event in its own transaction (a read
changes no state, but who looked at a reporter's contact, an attachment or an export is recorded)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from layanan.audit.actions import record_event
from layanan.complaints.actions import attachment_context
from layanan.complaints.models import Complaint, ComplaintAttachment
from layanan.core.crypto import decrypt_bytes


@transaction.atomic
def record_reporter_viewed(complaint: Complaint, *, actor: Any, fields: list[str]) -> None:
    """A staff member showed the reporter's contact in full (field names only in the log)."""
    record_event(
        "complaints.reporter_viewed", actor=actor, target=complaint, summary={"fields": sorted(fields)}
    )


@transaction.atomic
def read_attachment(complaint: Complaint, attachment: ComplaintAttachment, *, actor: Any) -> bytes:
    """The decrypted content of an attachment, recorded as viewed by ``actor``."""
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    content = decrypt_bytes(stored, context=attachment_context(attachment))
    record_event(
        "complaints.attachment_viewed",
        actor=actor,
        target=complaint,
        summary={"attachment": str(attachment.public_id)},
    )
    return content


@transaction.atomic
def record_queue_exported(*, actor: Any, rows: int, filters: dict[str, Any]) -> None:
    record_event(
        "complaints.queue_exported",
        actor=actor,
        object_type="complaints.complaint",
        summary={"rows": rows, **filters},
    )
