"""Writes of the document vault. Every file goes through ``check_upload`` and is encrypted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.audit.actions import record_event
from layanan.core.crypto import decrypt_bytes, encrypt_bytes
from layanan.core.documenttypes import DOCUMENT_TYPE_LABELS
from layanan.core.uploads import CheckedUpload, Readable, check_upload
from layanan.vault.models import VaultDocument
from layanan.vault.permissions import can_manage_vault_document


def _context(document: VaultDocument) -> str:
    return f"vault:{document.public_id}"


@transaction.atomic
def add_vault_document(
    *, owner: Any, upload: Readable, document_type: str, actor: Any, checked: CheckedUpload | None = None
) -> VaultDocument:
    """Check, encrypt and store a document in ``owner``'s vault.

    ``actor`` is the owner, or a front-office officer registering a walk-in application (the
    caller has checked the officer's right to act for the citizen).
    """
    if document_type not in DOCUMENT_TYPE_LABELS:
        raise ValidationError(_("Choose the kind of document."), code="document_type")
    # ``checked``: the result of ``check_upload`` on this very upload, when a form already ran it.
    checked = checked or check_upload(upload, max_bytes=settings.LAYANAN_UPLOAD_MAX_BYTES)
    document = VaultDocument(
        owner=owner,
        document_type=document_type,
        display_name=checked.display_name,
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(
        f"{checked.safe_name}.enc",
        ContentFile(encrypt_bytes(checked.content, context=_context(document))),
        save=False,
    )
    document.save(force_insert=True)
    record_event(
        "vault.document_added",
        actor=actor,
        target=document,
        summary={"document_type": document_type, "kind": checked.kind, "size": checked.size},
    )
    return document


@transaction.atomic
def remove_vault_document(document: VaultDocument, *, actor: Any) -> VaultDocument:
    """Take a document out of the vault. Applications it was shared into keep their copy."""
    if not can_manage_vault_document(actor, document):
        raise PermissionDenied
    document = VaultDocument.objects.select_for_update().get(pk=document.pk)
    if document.removed_at is None:
        document.removed_at = timezone.now()
        document.save(update_fields=["removed_at", "updated_at"])
        record_event(
            "vault.document_removed",
            actor=actor,
            target=document,
            summary={"document_type": document.document_type},
        )
    return document


def read_vault_document(document: VaultDocument) -> bytes:
    """The plaintext bytes of a stored document (the caller has checked access)."""
    with document.file.open("rb") as handle:
        stored = handle.read()
    return decrypt_bytes(stored, context=_context(document))
