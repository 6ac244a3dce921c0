"""Writes of the audit log: ``record_event`` (called by every action of the platform) and the
oversight check ``check_audit_chain``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone

from layanan.audit.chain import canonical_summary, event_hash, stream_for
from layanan.audit.models import AuditEvent, AuditStream
from layanan.audit.permissions import can_view_audit_log
from layanan.audit.queries import ChainReport, verify_audit_chain
from layanan.core.masking import mask_email, mask_nik, mask_phone
from layanan.core.requestcontext import current_request_id

CHAIN_OBJECT_TYPE = "audit.chain"
CHAIN_OBJECT_ID = "platform"


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
    personal data (NIK, KK number, phone, address): pass masked values or just field names. As a
    safety net every string in it that looks like a NIK/KK number, a phone number or an e-mail
    address is redacted before it is stored (see ``layanan.audit.chain.canonical_summary``).

    Three queries: lock the stream head, insert the event, move the head. The head lock is held
    until the caller's transaction ends, so appends to one stream are serialised and its sequence
    has no gaps; objects spread over 16 streams, so unrelated writes rarely wait on each other.
    Record the event last in the action, just before it returns: from that query on the
    transaction holds its stream until it ends. Two transactions that record events of objects in
    two streams in opposite orders can deadlock on PostgreSQL (one is rolled back with an error).
    """
    if not _in_transaction():
        raise AuditOutsideTransactionError(action)
    if target is not None:
        if target.pk is None:
            raise ValueError(f"record_event({action!r}): the target is not saved yet")
        object_type = target._meta.label_lower
        object_id = str(target.pk)
    number = stream_for(object_type, object_id)
    stored_summary = canonical_summary(summary or {})
    stream = _lock_stream(number)
    actor_id = getattr(actor, "pk", None)
    event = AuditEvent(
        stream=number,
        sequence=stream.last_sequence + 1,
        occurred_at=timezone.now(),
        actor_id=actor_id,
        actor_label=_actor_label(actor, actor_id),
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=stored_summary,
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
    event.save(force_insert=True)
    AuditStream.objects.filter(number=number).update(last_sequence=event.sequence, last_hash=event.hash)
    return event


def check_audit_chain(*, actor: Any) -> ChainReport:
    """Verify every hash chain on behalf of an oversight user and record that the check ran.

    Verification only reads, but its outcome is evidence: the event ``audit.chain_verified`` keeps
    who checked, when, and what was found, inside the very log that was checked. The walk runs
    outside any transaction (on SQLite a transaction holds the write lock of the whole database,
    and a long walk must not stop every writer); only the recording is atomic.
    """
    if not can_view_audit_log(actor):
        raise PermissionDenied
    report = verify_audit_chain()
    problem = report.problem
    with transaction.atomic():
        record_event(
            "audit.chain_verified",
            actor=actor,
            object_type=CHAIN_OBJECT_TYPE,
            object_id=CHAIN_OBJECT_ID,
            summary={
                "intact": problem is None,
                "events_checked": report.checked,
                "problem": None
                if problem is None
                else {"stream": problem.stream, "sequence": problem.sequence, "kind": problem.kind},
            },
        )
    return report


def _in_transaction() -> bool:
    """True inside an ``atomic`` block of the code under way (not merely a test's wrapper)."""
    if not connection.in_atomic_block:
        return False
    # pytest-django and TestCase wrap each test in an atomic block; it does not count, so a
    # forgotten @transaction.atomic fails in the tests as it would in production.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _lock_stream(number: int) -> AuditStream:
    try:
        return AuditStream.objects.select_for_update().get(number=number)
    except AuditStream.DoesNotExist:
        # Heads are created by migration 0002; a database flushed by a test (or by `flush`) has
        # none. Re-create the empty head: if the stream still had events, the next insert breaks
        # the unique (stream, sequence) constraint instead of forking the chain silently.
        AuditStream.objects.bulk_create([AuditStream(number=number)], ignore_conflicts=True)
        return AuditStream.objects.select_for_update().get(number=number)


def _actor_label(actor: Any, actor_id: int | None) -> str:
    """The actor's username, masked when it is an e-mail address, a phone or a NIK."""
    if actor is None:
        return "system"
    if actor_id is None:
        return "anonymous"
    username = str(actor.get_username())
    if "@" in username:
        return mask_email(username)
    digits = username.removeprefix("+")
    if digits.isdigit():
        return mask_nik(username) if len(digits) >= 16 else mask_phone(username)
    return username
