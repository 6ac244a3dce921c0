"""Reads of the document vault."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet

from layanan.vault.models import VaultDocument


def vault_documents_of(owner: Any) -> QuerySet[VaultDocument]:
    return VaultDocument.objects.current().filter(owner=owner).order_by("document_type", "-created_at")


def vault_documents_by_type(owner: Any) -> dict[str, list[VaultDocument]]:
    found: dict[str, list[VaultDocument]] = {}
    for document in vault_documents_of(owner):
        found.setdefault(document.document_type, []).append(document)
    return found


def vault_documents_with_share_counts(owner: Any) -> QuerySet[VaultDocument]:
    """The owner's current documents, each with ``share_count``: the applications it is used in."""
    return (
        VaultDocument.objects.current()
        .filter(owner=owner)
        .annotate(share_count=Count("shares"))
        .order_by("document_type", "-created_at", "-pk")
    )


def recent_identical_document(
    owner: Any, document_type: str, sha256: str, since: datetime.datetime
) -> VaultDocument | None:
    """The same file of the same kind stored by the owner since ``since`` (a resent upload)."""
    return (
        VaultDocument.objects.current()
        .filter(owner=owner, document_type=document_type, sha256=sha256, created_at__gte=since)
        .order_by("-created_at")
        .first()
    )
