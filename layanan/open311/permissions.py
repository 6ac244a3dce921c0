"""Who may manage Open311 clients: platform administrators only (signed in, active staff)."""

from __future__ import annotations

from typing import Any

from layanan.accounts.permissions import is_staff_user


def can_manage_clients(user: Any) -> bool:
    """Whether ``user`` may list, create and revoke Open311 clients and their keys."""
    return bool(is_staff_user(user) and user.is_platform_admin)
