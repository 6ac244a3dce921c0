"""Reads of the document vault."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from layanan.vault.models import VaultDocument


def vault_documents_of(owner: Any) -> QuerySet[VaultDocument]:
    return VaultDocument.objects.current().filter(owner=owner).order_by("document_type", "-created_at")


def vault_documents_by_type(owner: Any) -> dict[str, list[VaultDocument]]:
    found: dict[str, list[VaultDocument]] = {}
    for document in vault_documents_of(owner):
        found.setdefault(document.document_type, []).append(document)
    return found
