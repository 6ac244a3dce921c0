"""Builders for application tests: real vault documents, complete answers, submitted cases."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from layanan.accounts.models import User
from layanan.applications.actions import (
    Submission,
    ensure_service_config,
    form_of,
    submit_application,
    transition_application,
)
from layanan.applications.formspec import FieldKind
from layanan.applications.models import Application
from layanan.catalog.models import Service
from layanan.vault.actions import add_vault_document
from layanan.vault.models import VaultDocument

VALID_NIK = "3515140508680001"


def png_upload(name: str = "ktp.png", size: tuple[int, int] = (40, 20)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def vault_document(owner: User, document_type: str = "ktp", *, actor: Any = None) -> VaultDocument:
    return add_vault_document(
        owner=owner,
        upload=png_upload(f"{document_type}.png"),
        document_type=document_type,
        actor=actor or owner,
    )


def complete_answers(service: Service, owner: User, **overrides: Any) -> dict[str, Any]:
    """Answers that pass the service's form: documents are fresh vault documents of ``owner``."""
    spec = form_of(ensure_service_config(service))
    answers: dict[str, Any] = {}
    for item in spec.fields():
        if item.kind == FieldKind.TEXT:
            answers[item.key] = "Siti Rahmawati"
        elif item.kind == FieldKind.NIK:
            answers[item.key] = VALID_NIK
        elif item.kind == FieldKind.PHONE:
            answers[item.key] = "081234567890"
        elif item.kind == FieldKind.ADDRESS:
            answers[item.key] = {"street": "Jl. Merdeka 1 RT 01/RW 02", "region": "33.02.01.2001"}
        elif item.kind == FieldKind.YES_NO:
            answers[item.key] = "tidak"
        elif item.kind == FieldKind.DOCUMENT and item.show_if is None:
            answers[item.key] = str(vault_document(owner, item.document_type).public_id)
        elif item.kind == FieldKind.DECLARATION:
            answers[item.key] = "ya"
    answers.update(overrides)
    return answers


def submit(service: Service, citizen: User, **kwargs: Any) -> Submission:
    return submit_application(
        service=service,
        applicant=citizen,
        answers=complete_answers(service, citizen),
        actor=citizen,
        **kwargs,
    )


def submitted_application(service: Service, citizen: User) -> Application:
    return submit(service, citizen).application


def application_in(
    state: str, service: Service, citizen: User, *, officer: User, unit_head: User
) -> Application:
    """An application walked through the default workflow up to ``state``."""
    application = submitted_application(service, citizen)
    path = {
        "submitted": [],
        "completeness_check": [("start_check", officer)],
        "returned_for_correction": [("start_check", officer), ("return_for_correction", officer)],
        "processing": [("start_check", officer), ("accept_complete", officer)],
        "approved": [("start_check", officer), ("accept_complete", officer), ("approve", unit_head)],
        "rejected": [("start_check", officer), ("accept_complete", officer), ("reject", unit_head)],
    }[state]
    for key, actor in path:
        application = transition_application(application, key, actor=actor, note="Catatan petugas")
    return application


def service_counting_from_submission(**service_fields: Any) -> Service:
    """A service whose standard time (3 working days) counts from submission, not from the
    complete application: its overall deadline runs from the first moment."""
    from layanan.catalog.tests.factories import AdoptedStandardFactory, ServiceFactory, complete_published

    service: Service = ServiceFactory(**service_fields)
    time = {"value": 3, "unit": "working_days", "starts_when_complete": False}
    AdoptedStandardFactory(service=service, published=complete_published(completion_time=time))
    return service
