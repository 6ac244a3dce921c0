"""Writes of Open311 clients: create (the key is shown once) and revoke.

A key is ``o311_`` followed by 43 random URL-safe characters (256 bits). Only its SHA-256 digest
(``layanan.accounts.actions.tokens.token_digest``) and its first 12 characters are stored; a key is
found by its digest, never compared in clear. Platform administrators manage clients; the console
(``actor=None``) may too.

Audit summaries name the fields written, never the key, its digest, its prefix or the contact.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.accounts.actions.tokens import (
    LAST_USED_RESOLUTION,
    MAX_TOKEN_LENGTH,
    TOKEN_RANDOM_BYTES,
    token_digest,
)
from layanan.audit.actions import record_event
from layanan.open311.models import Open311Client
from layanan.open311.permissions import can_manage_clients
from layanan.regions.models import Region

KEY_MARKER = "o311_"
NAME_MAX_LENGTH = 100  # Open311Client.name
CONTACT_MAX_LENGTH = 200  # Open311Client.contact


def _check_manager(actor: Any) -> None:
    if actor is not None and not can_manage_clients(actor):
        raise PermissionDenied


@transaction.atomic
def create_open311_client(
    *, name: str, contact: str, actor: Any, region: Region | None = None
) -> tuple[Open311Client, str]:
    """Register a client; returns it with its API key, which is never available again."""
    _check_manager(actor)
    name, contact = " ".join(name.split()), " ".join(contact.split())
    errors: dict[str, list[Any]] = {}
    if not name:
        errors["name"] = [_("Give the client a name, e.g. the application or system that will use it.")]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [_("Write at most %(n)s characters.") % {"n": NAME_MAX_LENGTH}]
    if not contact:
        errors["contact"] = [_("Give a contact: who runs the client (a name with an e-mail or phone).")]
    elif len(contact) > CONTACT_MAX_LENGTH:
        errors["contact"] = [_("Write at most %(n)s characters.") % {"n": CONTACT_MAX_LENGTH}]
    if region is not None and region.level < Region.Level.REGENCY:
        errors["region"] = [_("Choose a regency or city, or a region below one.")]
    if errors:
        raise ValidationError(errors, code="invalid")
    key = KEY_MARKER + secrets.token_urlsafe(TOKEN_RANDOM_BYTES)
    client = Open311Client.objects.create(
        name=name,
        contact=contact,
        region=region,
        prefix=key[: Open311Client.PREFIX_LENGTH],
        digest=token_digest(key),
        created_by=actor,
    )
    record_event(
        "open311.client_created",
        actor=actor,
        target=client,
        summary={"region": region.code if region else None, "fields": ["name", "contact", "region", "key"]},
    )
    return client, key


@transaction.atomic
def revoke_open311_client(client: Open311Client, *, actor: Any) -> Open311Client:
    """Stop a client's key from working, for good. Revoking a revoked client changes nothing."""
    _check_manager(actor)
    locked = Open311Client.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record_event("open311.client_revoked", actor=actor, target=locked, summary={"changed": ["revoked_at"]})
    client.revoked_at = locked.revoked_at
    return locked


def find_open311_client(key: str) -> Open311Client | None:
    """The live (not revoked) client whose key digest matches ``key``; ``None`` otherwise."""
    key = key.strip()
    if not key or len(key) > MAX_TOKEN_LENGTH:
        return None
    return Open311Client.objects.filter(digest=token_digest(key), revoked_at__isnull=True).first()


def record_client_use(client: Open311Client, *, now: datetime.datetime | None = None) -> None:
    """Note that the client's key was used: one conditional UPDATE, at most once a minute.

    Bookkeeping, not a change anybody made: not audited.
    """
    at = now or timezone.now()
    if client.last_used_at is not None and at - client.last_used_at < LAST_USED_RESOLUTION:
        return
    Open311Client.objects.filter(pk=client.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=at - LAST_USED_RESOLUTION)
    ).update(last_used_at=at)
    client.last_used_at = at
