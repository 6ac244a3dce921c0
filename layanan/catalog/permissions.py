"""Who may see and manage catalog services."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from layanan.accounts.models import ServiceUnit
from layanan.accounts.roles import Role
from layanan.catalog.models import Service
from layanan.catalog.queries import public_service_detail


def can_manage_service(user: Any, unit: ServiceUnit) -> bool:
    """Platform administrators, and the head of the unit that offers the service."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_platform_admin:
        return True
    return bool(user.memberships.filter(is_active=True, role=Role.UNIT_HEAD, unit=unit).exists())


def get_service_for_user(user: Any, slug: str) -> Service:
    """A published service of an active unit and agency; anything else is a 404 for everyone.

    Unpublished services are not shown to staff here either: the staff catalog is a later page.
    """
    try:
        return public_service_detail().get(slug=slug)
    except Service.DoesNotExist as error:
        raise Http404(slug) from error
