"""Builders for audit tests: record events as an action would, and tamper as a DBA could."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from layanan.audit.actions import record_event
from layanan.audit.chain import stream_for
from layanan.audit.models import AuditEvent

TRIGGER = "audit_event_no_update_delete"


def record(
    action: str = "tests.thing_changed",
    *,
    actor: Any | None = None,
    object_type: str = "tests.thing",
    object_id: str = "1",
    summary: dict[str, Any] | None = None,
) -> AuditEvent:
    """One event recorded in its own transaction, as an action does."""
    with transaction.atomic():
        return record_event(
            action, actor=actor, object_type=object_type, object_id=object_id, summary=summary or {}
        )


def record_many(count: int, *, objects: int = 1, action: str = "tests.thing_changed") -> list[AuditEvent]:
    """``count`` events spread round-robin over ``objects`` objects (so over several streams)."""
    return [record(action, object_id=str(index % objects), summary={"n": index}) for index in range(count)]


def object_id_in_stream(stream: int, *, object_type: str = "tests.thing") -> str:
    """An object id whose events land in ``stream``."""
    return next(str(n) for n in range(10_000) if stream_for(object_type, str(n)) == stream)


@contextmanager
def as_database_administrator() -> Iterator[None]:
    """Raw SQL with the append-only trigger off, as someone with owner rights on the table."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER}")


def raw_update(event: AuditEvent, column: str, value: Any) -> None:
    """Change one column of one stored event behind the ORM's back."""
    placeholder = "%s::jsonb" if column == "summary" and connection.vendor == "postgresql" else "%s"
    with as_database_administrator(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE audit_auditevent SET {column} = {placeholder} WHERE id = %s",  # noqa: S608 - test-only, fixed column names
            [value, event.pk],
        )


def raw_delete(event: AuditEvent) -> None:
    with as_database_administrator(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
