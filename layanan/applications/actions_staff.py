"""Writes of the back office that change no case, only the record of who looked at what: an
officer reading a personal-data answer in full, or opening a document shared into an application.

Both are audited (UU 27/2022 on personal data protection: access to personal data is accountable);
the audit summary names the field or the document, never its content.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from layanan.applications.formspec import PERSONAL_KINDS, FormSpec
from layanan.applications.models import Application, ApplicationDocument
from layanan.applications.permissions import serves_unit
from layanan.audit.actions import record_event


@transaction.atomic
def record_personal_data_view(
    application: Application, *, field_key: str, spec: FormSpec, actor: Any
) -> Application:
    """Record that ``actor`` showed the answer to personal-data field ``field_key`` in full."""
    if not serves_unit(actor, application.unit):
        raise PermissionDenied
    item = spec.field(field_key)
    if item is None or item.kind not in PERSONAL_KINDS:
        raise ValidationError(_("This answer is not personal data."), code="field")
    record_event(
        "applications.personal_data_viewed",
        actor=actor,
        target=application,
        summary={"field": field_key},
    )
    return application


@transaction.atomic
def record_document_view(share: ApplicationDocument, *, actor: Any) -> ApplicationDocument:
    """Record that ``actor`` opened a vault document shared into an application."""
    application = share.application
    if not serves_unit(actor, application.unit):
        raise PermissionDenied
    record_event(
        "applications.document_viewed",
        actor=actor,
        target=application,
        summary={
            "document": str(share.vault_document.public_id),
            "field": share.field_key,
            "document_type": share.vault_document.document_type,
        },
    )
    return share
