from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, connection, transaction

from layanan.audit.actions import AuditOutsideTransactionError, check_audit_chain, record_event
from layanan.audit.chain import GENESIS_HASH, stream_for
from layanan.audit.models import AppendOnlyError, AuditEvent, AuditStream
from layanan.audit.queries import verify_audit_chain
from layanan.audit.tests.factories import TRIGGER, record
from layanan.core.requestcontext import current_request_id

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="needs PostgreSQL (trigger, row locks)"
)


@pytest.mark.django_db
def test_record_event_outside_a_transaction_raises_and_records_nothing() -> None:
    with pytest.raises(AuditOutsideTransactionError):
        record_event("tests.thing_changed", actor=None, object_type="tests.thing", object_id="1")

    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_record_event_links_the_event_to_its_stream_head(officer: Any) -> None:
    token = current_request_id.set("req-12345678")
    try:
        with transaction.atomic():
            event = record_event(
                "accounts.user_updated", actor=officer, target=officer, summary={"changed": ["email"]}
            )
    finally:
        current_request_id.reset(token)

    head = AuditStream.objects.get(number=event.stream)
    assert event.stream == stream_for("accounts.user", str(officer.pk))
    assert (event.sequence, event.previous_hash) == (1, GENESIS_HASH)
    assert (head.last_sequence, head.last_hash) == (1, event.hash)
    assert event.object_type == "accounts.user"
    assert event.object_id == str(officer.pk)
    assert (event.actor_id, event.actor_label) == (officer.pk, officer.username)
    assert event.request_id == "req-12345678"
    assert event.summary == {"changed": ["email"]}


@pytest.mark.django_db
def test_record_event_takes_three_queries(django_assert_num_queries: Any) -> None:
    record()  # not the first event of the stream

    with transaction.atomic(), django_assert_num_queries(3) as captured:
        record_event("tests.thing_changed", actor=None, object_type="tests.thing", object_id="1")

    lock, insert, move_head = (query["sql"] for query in captured.captured_queries)
    assert lock.startswith("SELECT")
    assert "audit_auditstream" in lock
    assert insert.startswith("INSERT INTO")
    assert "audit_auditevent" in insert
    assert move_head.startswith("UPDATE")
    assert "audit_auditstream" in move_head
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in lock


@pytest.mark.django_db
def test_record_event_refuses_an_unsaved_target() -> None:
    with pytest.raises(ValueError, match="not saved"), transaction.atomic():
        record_event("accounts.user_created", actor=None, target=get_user_model()(username="x"))


@pytest.mark.django_db
def test_actor_label_names_system_anonymous_and_masks_personal_usernames() -> None:
    by_email = get_user_model().objects.create_user(username="siti.rahma@example.id")
    by_phone = get_user_model().objects.create_user(username="081234567890")
    by_nik = get_user_model().objects.create_user(username="3273015508900009")
    staff = get_user_model().objects.create_user(username="petugas.dukcapil")

    labels = [
        record(actor=actor).actor_label
        for actor in (None, AnonymousUser(), by_email, by_phone, by_nik, staff)
    ]

    assert labels == [
        "system",
        "anonymous",
        "s*********@example.id",
        "0812*****890",
        "3273********0009",
        "petugas.dukcapil",
    ]


@pytest.mark.django_db
def test_summary_is_stored_without_personal_data() -> None:
    event = record(summary={"nik": "3273015508900009", "changed": ["nik"]})

    event.refresh_from_db()
    assert event.summary == {"nik": "[NIK/KK]", "changed": ["nik"]}


@pytest.mark.django_db
def test_orm_refuses_to_change_or_remove_events() -> None:
    event = record()

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tests.other")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        event.delete()
    event.action = "tests.other"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(stream=0, sequence=99)])

    assert AuditEvent.objects.get().action == "tests.thing_changed"
    assert verify_audit_chain().is_intact


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'tests.other' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_database_trigger_refuses_raw_update_and_delete(statement: str) -> None:
    event = record()

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])

    assert AuditEvent.objects.get().action == "tests.thing_changed"
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [TRIGGER])
        assert cursor.fetchone() == ("O",)


@pytest.mark.django_db
def test_a_missing_stream_head_is_recreated_for_an_empty_stream() -> None:
    AuditStream.objects.all().delete()

    event = record()

    assert event.sequence == 1
    assert AuditStream.objects.get(number=event.stream).last_sequence == 1


@pytest.mark.django_db
def test_a_missing_head_of_a_stream_with_events_fails_loudly_instead_of_forking() -> None:
    first = record()
    AuditStream.objects.filter(number=first.stream).delete()

    with pytest.raises(IntegrityError), transaction.atomic():
        record()

    assert AuditEvent.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_one_object_get_consecutive_sequences() -> None:
    writers, events_each = 8, 10
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            for index in range(events_each):
                with transaction.atomic():
                    record_event(
                        "tests.thing_changed",
                        actor=None,
                        object_type="tests.thing",
                        object_id="shared",
                        summary={"writer": writer, "index": index},
                    )
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    stream = stream_for("tests.thing", "shared")
    sequences = list(
        AuditEvent.objects.filter(stream=stream).order_by("sequence").values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, writers * events_each + 1))
    assert AuditStream.objects.get(number=stream).last_sequence == writers * events_each
    report = verify_audit_chain()
    assert report.problem is None
    assert report.checked == writers * events_each


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_verification_while_events_are_being_appended_reports_no_false_alarm() -> None:
    done = threading.Event()
    errors: list[BaseException] = []

    def append() -> None:
        try:
            for index in range(150):
                with transaction.atomic():
                    record_event(
                        "tests.thing_changed", actor=None, object_type="tests.thing", object_id=str(index % 3)
                    )
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()
            done.set()

    writer = threading.Thread(target=append)
    writer.start()
    reports = []
    while not done.is_set():
        reports.append(verify_audit_chain())
    writer.join(timeout=60)

    assert errors == []
    assert [report.problem for report in reports if report.problem is not None] == []
    assert verify_audit_chain() == (150, None)


@pytest.mark.django_db
def test_only_oversight_users_may_run_the_recorded_chain_check(officer: Any, inspector: Any) -> None:
    record()

    with pytest.raises(PermissionDenied):
        check_audit_chain(actor=officer)
    assert AuditEvent.objects.count() == 1

    report = check_audit_chain(actor=inspector)

    assert report == (1, None)
    check = AuditEvent.objects.get(action="audit.chain_verified")
    assert (check.actor_id, check.object_type, check.object_id) == (inspector.pk, "audit.chain", "platform")
