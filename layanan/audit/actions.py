from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from layanan.audit.chain import event_hash, stream_for
from layanan.audit.models import AuditEvent, AuditStream
from layanan.core.requestcontext import current_request_id


class AuditOutsideTransactionError(RuntimeError):
    """``record_event`` must run inside the transaction of the change it records."""


def record_event(
    action: str,
    *,
    actor: Any | None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log, in the caller's transaction.

    ``summary`` holds a before/after summary of the change. It must never hold plaintext
    personal data (NIK, KK number, phone, address): pass masked values or just field names.
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransactionError(action)
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
    number = stream_for(object_type, object_id)
    with transaction.atomic():
        stream = AuditStream.objects.select_for_update().get(number=number)
        actor_id = getattr(actor, "pk", None)
        actor_label = actor.get_username() if actor is not None and actor_id is not None else "system"
        event = AuditEvent(
            stream=number,
            sequence=stream.last_sequence + 1,
            occurred_at=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary or {},
            request_id=current_request_id.get(),
            previous_hash=stream.last_hash,
        )
        event.hash = event_hash(
            stream=event.stream,
            sequence=event.sequence,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            summary=event.summary,
            request_id=event.request_id,
            previous_hash=event.previous_hash,
        )
        event.save()
        AuditStream.objects.filter(number=number).update(last_sequence=event.sequence, last_hash=event.hash)
    return event
