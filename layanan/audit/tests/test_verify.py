from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from layanan.audit.actions import record_event
from layanan.audit.chain import event_hash
from layanan.audit.models import AuditEvent, AuditStream
from layanan.audit.queries import check_anchors, verify_audit_chain
from layanan.audit.tests.factories import (
    as_database_administrator,
    raw_delete,
    raw_update,
    record,
    record_many,
)


def _verify() -> str:
    output = StringIO()
    call_command("audit_verify", stdout=output)
    return output.getvalue()


@pytest.mark.django_db
def test_an_empty_log_is_intact() -> None:
    assert "Audit log intact: 0 events verified." in _verify()


@pytest.mark.django_db
def test_chain_verifies_after_many_events_across_streams() -> None:
    events = record_many(200, objects=40)

    report = verify_audit_chain()

    assert report.problem is None
    assert report.checked == 200
    assert len({event.stream for event in events}) == 16
    assert "Audit log intact: 200 events verified." in _verify()


@pytest.mark.django_db
def test_awkward_summaries_survive_the_round_trip_through_the_database() -> None:
    record(
        summary={"big": 1e20, "small": 1e-7, "zero": -0.0, "text": "Jl. Merdeka № 5 — ✓", "list": [1, None]}
    )

    assert verify_audit_chain().is_intact


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("summary", json.dumps({"n": 999})),
        ("action", "tests.something_else"),
        ("actor_label", "somebody.else"),
        ("object_id", "2"),
        ("occurred_at", "2020-01-01 00:00:00"),
        ("hash", "f" * 64),
    ],
)
def test_a_row_changed_behind_the_platform_is_reported_by_stream_and_event(column: str, value: Any) -> None:
    events = record_many(5)
    victim = events[2]

    raw_update(victim, column, value)

    with pytest.raises(CommandError, match=rf"stream {victim.stream}, event #{victim.sequence}: tampered"):
        _verify()
    report = verify_audit_chain()
    assert report.checked == 2
    assert report.problem is not None
    assert (report.problem.stream, report.problem.sequence, report.problem.kind) == (
        victim.stream,
        victim.sequence,
        "tampered",
    )


@pytest.mark.django_db
def test_a_deleted_middle_event_is_reported_missing() -> None:
    events = record_many(5)

    raw_delete(events[2])

    with pytest.raises(CommandError, match=rf"stream {events[2].stream}, event #3: missing"):
        _verify()


@pytest.mark.django_db
def test_a_deleted_last_event_is_reported_by_the_head() -> None:
    events = record_many(5)

    raw_delete(events[-1])

    with pytest.raises(CommandError, match=rf"stream {events[-1].stream}, event #5: head"):
        _verify()


@pytest.mark.django_db
def test_an_event_inserted_past_the_head_is_reported() -> None:
    last = record_many(3)[-1]
    forged: dict[str, Any] = {
        "stream": last.stream,
        "sequence": 4,
        "occurred_at": last.occurred_at,
        "actor_id": None,
        "actor_label": "system",
        "action": "tests.forged",
        "object_type": "tests.thing",
        "object_id": "1",
        "summary": {},
        "request_id": "-",
        "previous_hash": last.hash,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (stream, sequence, occurred_at, actor_id, actor_label, action, "
            "object_type, object_id, summary, request_id, previous_hash, hash) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [*list(forged.values())[:8], "{}", "-", last.hash, event_hash(**forged)],
        )

    with pytest.raises(CommandError, match=rf"stream {last.stream}, event #4: head"):
        _verify()


@pytest.mark.django_db
def test_events_of_a_stream_whose_head_was_deleted_are_still_checked() -> None:
    event = record()

    AuditStream.objects.filter(number=event.stream).delete()

    with pytest.raises(CommandError, match=rf"stream {event.stream}, event #1: head"):
        _verify()


@pytest.mark.django_db
def test_heads_printed_by_the_command_anchor_the_history(tmp_path: Path) -> None:
    events = record_many(6)
    output = StringIO()
    call_command("audit_verify", "--heads", stdout=output)
    anchors = tmp_path / "anchors.txt"
    anchors.write_text(output.getvalue())

    # A DBA rewrites the first event and recomputes every later hash and the head: the chain
    # alone cannot tell.
    _rewrite_history(events, summary={"n": "rewritten"})
    assert verify_audit_chain().is_intact

    with pytest.raises(CommandError, match=rf"stream {events[-1].stream}, event #6: anchor"):
        call_command("audit_verify", "--anchors", str(anchors), stdout=StringIO())


@pytest.mark.django_db
def test_anchors_match_a_log_that_only_grew(tmp_path: Path) -> None:
    record_many(4)
    output = StringIO()
    call_command("audit_verify", "--heads", stdout=output)
    anchors = tmp_path / "anchors.txt"
    anchors.write_text(output.getvalue())
    record_many(3)

    result = StringIO()
    call_command("audit_verify", "--anchors", str(anchors), stdout=result)

    assert "16 anchors match." in result.getvalue()
    assert check_anchors([(0, 0, "0" * 64)]) is None


@pytest.mark.django_db
def test_a_malformed_anchor_file_is_refused(tmp_path: Path) -> None:
    anchors = tmp_path / "anchors.txt"
    anchors.write_text("# heads\n3 12 not-a-hash\n")

    with pytest.raises(CommandError, match="anchors.txt:2"):
        call_command("audit_verify", "--anchors", str(anchors), stdout=StringIO())
    with pytest.raises(CommandError, match="cannot read"):
        call_command("audit_verify", "--anchors", str(tmp_path / "missing.txt"), stdout=StringIO())


def _rewrite_history(events: list[AuditEvent], *, summary: dict[str, Any]) -> None:
    previous_hash = events[0].previous_hash
    with transaction.atomic(), as_database_administrator(), connection.cursor() as cursor:
        for index, event in enumerate(events):
            new_summary = summary if index == 0 else event.summary
            digest = event_hash(
                stream=event.stream,
                sequence=event.sequence,
                occurred_at=event.occurred_at,
                actor_id=event.actor_id,
                actor_label=event.actor_label,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                summary=new_summary,
                request_id=event.request_id,
                previous_hash=previous_hash,
            )
            summary_value = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
            cursor.execute(
                f"UPDATE audit_auditevent SET summary = {summary_value}, previous_hash = %s, hash = %s "  # noqa: S608
                "WHERE id = %s",
                [json.dumps(new_summary), previous_hash, digest, event.pk],
            )
            previous_hash = digest
        cursor.execute(
            "UPDATE audit_auditstream SET last_hash = %s WHERE number = %s", [previous_hash, events[0].stream]
        )


@pytest.mark.django_db
def test_recording_inside_an_outer_atomic_block_is_allowed() -> None:
    with transaction.atomic(), transaction.atomic():
        record_event("tests.nested", actor=None, object_type="tests.thing", object_id="9")

    assert verify_audit_chain().is_intact
