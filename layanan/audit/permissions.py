"""Who may read the audit log.

The audit log is the oversight record of the whole platform, read by the regency's inspectorate
(*inspektorat daerah*, the internal oversight body of the regional government) and by platform
administrators. An inspectorate member sees every event of the platform, whatever agency their
membership names: the inspectorate oversees all agencies of the regency, and an audit trail cut
by agency would hide exactly the cross-agency traces it exists to show. Nobody else reads it,
including unit heads and the agencies' own staff.

Staff reach it only after their second factor (TOTP). ``audit`` sits below ``accounts`` in the
layers, so roles are read from the user object (``has_role``, ``is_platform_admin``) instead of
importing ``layanan.accounts``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from layanan.audit.models import AuditEvent

# layanan.accounts.roles.Role.INSPECTORATE, spelled out because audit may not import accounts.
INSPECTORATE_ROLE = "inspectorate"


def can_view_audit_log(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_platform_admin", False):
        return True
    has_role = getattr(user, "has_role", None)
    return bool(has_role is not None and has_role(INSPECTORATE_ROLE))


def get_audit_event_for_user(user: Any, *, stream: int, sequence: int) -> AuditEvent:
    """The event at ``sequence`` of ``stream``; 403 if not allowed, 404 if there is none."""
    if not can_view_audit_log(user):
        raise PermissionDenied
    event = AuditEvent.objects.filter(stream=stream, sequence=sequence).first()
    if event is None:
        raise Http404("no such audit event")
    return event


def audit_viewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in, then the oversight right (403 without it), then a TOTP-verified session.

    A minimal guard of its own: ``audit`` may not import ``layanan.accounts.permissions``.
    Anonymous visitors go to the staff sign-in (``settings.LAYANAN_STAFF_LOGIN_URL``); an
    oversight user whose session has not passed TOTP goes to ``settings.OTP_LOGIN_URL``
    (django-otp's setting, ``LOGIN_URL`` when unset), like ``django_otp.decorators.otp_required``.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LAYANAN_STAFF_LOGIN_URL)
        if not can_view_audit_log(user):
            raise PermissionDenied
        is_verified = getattr(user, "is_verified", None)
        if not callable(is_verified) or not is_verified():
            # django-otp's own setting for "where the second factor is asked" (default LOGIN_URL).
            return redirect_to_login(
                request.get_full_path(), getattr(settings, "OTP_LOGIN_URL", settings.LOGIN_URL)
            )
        return view(request, *args, **kwargs)

    return guarded
