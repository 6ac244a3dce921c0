from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ServicePermissionDenied(PermissionDenied):
    """The actor may not create or change services of this service unit."""


class StandardPermissionDenied(PermissionDenied):
    """The actor may not draft, send, return or adopt this service's standard."""


class PromisePermissionDenied(PermissionDenied):
    """The actor may not record the service promise (*maklumat pelayanan*) of this unit."""
