"""The fast intake path: accept in one INSERT, process once, by task or by the polling worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from layanan.accounts.models import User
from layanan.complaints.intake import accept_complaint, process_intake, reference_blocks
from layanan.complaints.models import Complaint, ComplaintIntake
from layanan.complaints.tests.factories import DISTRICT, STORY, district
from layanan.core.references import check_secret, parse_reference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_blocks() -> None:
    reference_blocks.clear()


def _accept(**changes: Any) -> Any:
    district(DISTRICT)
    fields: dict[str, Any] = {
        "kind": "pengaduan",
        "category_slug": "lingkungan",
        "title": "Sampah menumpuk",
        "body": STORY,
        "region_code": DISTRICT,
        "actor": None,
        "channel": "api",
    }
    fields.update(changes)
    return accept_complaint(**fields)


def test_accepting_then_processing_makes_the_complaint_with_the_same_reference_and_secret() -> None:
    with override_settings(LAYANAN_COMPLAINT_INTAKE="poll"):
        accepted = _accept(reporter_details={"name": "Warga"}, is_anonymous=True)
    assert parse_reference(accepted.reference) is not None
    assert not Complaint.objects.exists()
    complaint = process_intake(accepted.intake.pk)
    assert complaint is not None
    assert complaint.reference == accepted.reference
    assert check_secret(accepted.secret, complaint.tracking_secret_digest)
    assert complaint.is_anonymous
    assert complaint.reporter_details()["name"] == "Warga"
    intake = ComplaintIntake.objects.get()
    assert intake.complaint == complaint
    # The secret is not kept once the complaint exists; processing again does nothing.
    assert "secret" not in intake.payload
    assert process_intake(intake.pk) is None
    assert Complaint.objects.count() == 1


def test_with_the_task_mode_the_complaint_exists_after_the_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        accepted = _accept()
    assert Complaint.objects.get().reference == accepted.reference


def test_the_poll_worker_drains_pending_reports() -> None:
    with override_settings(LAYANAN_COMPLAINT_INTAKE="poll"):
        for n in range(3):
            _accept(title=f"Laporan {n}")
    call_command("process_complaint_intake", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Complaint.objects.count() == 3
    assert not ComplaintIntake.objects.filter(processed_at__isnull=True).exists()


def test_accepting_is_one_insert_with_a_reserved_block_of_references() -> None:
    with override_settings(LAYANAN_COMPLAINT_INTAKE="poll", LAYANAN_REFERENCE_BLOCK=50):
        _accept(title="Pertama")  # reserves the block
        with CaptureQueriesContext(connection) as queries:
            _accept(title="Kedua", category=None)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert len(writes) == 1
    assert "complaints_complaintintake" in writes[0]


def test_bad_reports_are_refused_before_anything_is_stored() -> None:
    with pytest.raises(ValidationError) as error:
        _accept(body="pendek", category_slug="tidak-ada", region_code="99.99")
    assert {"body", "category", "region"} <= set(error.value.message_dict)
    assert not ComplaintIntake.objects.exists()


def test_a_retry_returns_the_accepted_report_and_a_changed_retry_is_refused() -> None:
    with override_settings(LAYANAN_COMPLAINT_INTAKE="poll"):
        first = _accept(idempotency_scope="api:1", idempotency_key="abc")
        again = _accept(idempotency_scope="api:1", idempotency_key="abc")
        assert (again.reference, again.created, again.secret) == (first.reference, False, None)
        with pytest.raises(ValidationError):
            _accept(idempotency_scope="api:1", idempotency_key="abc", title="Lain")
    assert ComplaintIntake.objects.count() == 1


def test_a_citizen_token_reports_under_the_account(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _accept(actor=citizen)
    assert Complaint.objects.get().reporter == citizen
