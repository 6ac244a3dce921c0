from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ServicePermissionDenied(PermissionDenied):
    """The actor may not create or change services of this service unit."""
