"""Who may see and change a vault document: its owner only. (Staff read shared documents through
the application they were shared into: ``layanan.applications.permissions``.)"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from layanan.vault.models import VaultDocument


def can_manage_vault_document(user: Any, document: VaultDocument) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and document.owner_id == user.pk


def get_vault_document_for_user(user: Any, public_id: Any) -> VaultDocument:
    document = VaultDocument.objects.filter(public_id=public_id, removed_at__isnull=True).first()
    if document is None or not can_manage_vault_document(user, document):
        raise Http404
    return document
