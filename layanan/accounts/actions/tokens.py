"""API tokens: bearer tokens with which machine clients call ``/api/v1/`` as a user.

A token is ``lay_`` followed by 43 random URL-safe characters (256 bits). It is shown once, when it
is made; only its SHA-256 digest is stored (and its first 8 characters, to tell tokens apart on
screen). A token is found by its digest: the look-up compares digests, never the secret, so its
time reveals nothing about the secret. Revoked tokens and tokens of inactive users are refused.

Audit summaries name the fields written, never the token, its digest or its prefix.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import ApiToken, User
from layanan.audit.actions import record_event

TOKEN_MARKER = "lay_"  # noqa: S105 - a marker for secret scanners, not a secret
TOKEN_RANDOM_BYTES = 32
MAX_TOKEN_LENGTH = 200
NAME_MAX_LENGTH = 100  # ApiToken.name
# ``last_used_at`` is written at most this often per token (one UPDATE, not one per request).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_digest(token: str) -> str:
    """Hex SHA-256 of the token: what is stored and looked up. The token has 256 random bits, so a
    plain (unkeyed) hash is enough: nobody can guess a token from its digest."""
    return hashlib.sha256(token.encode()).hexdigest()


def _may_manage(actor: Any, user: User) -> bool:
    """The console (``actor=None``), the user themselves, or a platform administrator."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.pk == user.pk or getattr(actor, "is_platform_admin", False))


@transaction.atomic
def create_api_token(user: User, *, name: str, actor: Any) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it with the secret, which is never available again.

    ``actor=None`` is an operator at the console (``layanan create_api_token``).
    """
    if not _may_manage(actor, user):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError(_("This account is not active."), code="inactive")
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name, e.g. the system that will use it."), code="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("Write at most %(n)s characters."), code="name", params={"n": NAME_MAX_LENGTH}
        )
    token = TOKEN_MARKER + secrets.token_urlsafe(TOKEN_RANDOM_BYTES)
    api_token = ApiToken.objects.create(
        user=user, name=name, prefix=token[: ApiToken.PREFIX_LENGTH], digest=token_digest(token)
    )
    record_event(
        "accounts.api_token_created",
        actor=actor,
        target=api_token,
        summary={"user_id": user.pk, "fields": ["user", "name", "prefix", "digest"]},
    )
    return api_token, token


@transaction.atomic
def revoke_api_token(api_token: ApiToken, *, actor: Any) -> ApiToken:
    """Stop a token from working (for good). Revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=api_token.pk)
    if not _may_manage(actor, token.user):
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(
        "accounts.api_token_revoked",
        actor=actor,
        target=token,
        summary={"user_id": token.user_id, "changed": ["revoked_at"]},
    )
    return token


def find_api_token(token: str) -> ApiToken | None:
    """The live token (not revoked, active user) whose digest matches ``token``; ``None`` otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def record_api_token_use(api_token: ApiToken, *, now: datetime.datetime | None = None) -> None:
    """Note that the token was used: one conditional UPDATE, at most once a minute per token.

    Bookkeeping, not a change anybody made: not audited.
    """
    at = now or timezone.now()
    if api_token.last_used_at is not None and at - api_token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=api_token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=at - LAST_USED_RESOLUTION)
    ).update(last_used_at=at)
    api_token.last_used_at = at
