"""Open311 clients: the systems allowed to submit reports through ``POST requests``.

Each client has its own API key, made by a platform administrator and shown once
(``layanan.open311.actions``). Only the key's SHA-256 digest is stored (looked up by that digest)
and its first characters, to tell keys apart on screen: the same scheme as the platform's API
tokens (``layanan.accounts.models.ApiToken``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.regions.models import Region


class Open311Client(models.Model):
    """A system (an app, a city dashboard, a partner's CRM) that submits reports with an API key."""

    PREFIX_LENGTH = 12

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    # Who runs the client: a person or a desk to call when it misbehaves.
    contact = models.CharField(_("contact"), max_length=200)
    prefix = models.CharField(_("key prefix"), max_length=PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # When set, the client may only submit reports located in this region (or below it).
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Refreshed at most once a minute (``record_client_use``).
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def covers(self, region: Region) -> bool:
        """Whether the client may submit a report located in ``region``."""
        if self.region_id is None:
            return True
        code = str(self.region_id)
        return region.code == code or region.code.startswith(code + ".")
