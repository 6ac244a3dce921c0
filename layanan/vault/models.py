"""A document in a citizen's vault. The stored file is encrypted; only the owner (and staff
handling an application it was shared into) can read it back."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.core.documenttypes import document_type_label
from layanan.core.models import TimeStampedModel


class VaultDocumentQuerySet(models.QuerySet["VaultDocument"]):
    def current(self) -> VaultDocumentQuerySet:
        return self.filter(removed_at__isnull=True)


class VaultDocument(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vault_documents"
    )
    document_type = models.CharField(_("kind of document"), max_length=40)
    display_name = models.CharField(_("file name"), max_length=120)
    kind = models.CharField(max_length=10)  # pdf, jpeg, png (from the content)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Encrypted bytes under a random name; never the client's file name.
    file = models.FileField(upload_to="vault/%Y/%m/", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Removed from the vault by the citizen. The file stays while an application still uses it.
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = VaultDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("vault document")
        verbose_name_plural = _("vault documents")
        ordering = ["document_type", "-created_at"]
        indexes = [models.Index(fields=["owner", "document_type"], name="vault_doc_owner_type")]

    def __str__(self) -> str:
        return f"{self.type_label} ({self.display_name})"

    @property
    def type_label(self) -> object:
        return document_type_label(self.document_type)

    @property
    def is_image(self) -> bool:
        return self.kind in {"jpeg", "png"}
