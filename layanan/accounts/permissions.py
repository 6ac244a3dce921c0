"""Who may see or touch what in accounts, and the view decorators for staff and citizen pages.

* ``staff_required``: signed in as staff *and* verified with the TOTP second factor. Anonymous
  visitors go to the staff sign-in, staff without the second factor to the TOTP step (or its
  enrolment), citizens get a 403.
* ``staff_role_required(*roles)``: the same, and the user holds one of ``roles`` through an active
  membership. Platform administrators pass only when ``Role.PLATFORM_ADMIN`` is listed.
* ``citizen_required``: signed in as a citizen (others: sign-in page, staff: 403).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import Agency, ServiceUnit, StaffMembership, User
from layanan.accounts.roles import UNIT_ROLES, Role

P = ParamSpec("P")
View = Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponse]
WrappedView = Callable[Concatenate[HttpRequest, P], HttpResponse]

# Roles a unit head may give (and take back) in the units they head.
ROLES_A_UNIT_HEAD_MAY_ASSIGN = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE})


# --- Second factor ----------------------------------------------------------------------------


def is_verified(user: Any) -> bool:
    """True once the session passed the TOTP step (django-otp's ``user.is_verified()``)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def is_staff_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.kind == User.Kind.STAFF and user.is_active)


def is_citizen_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.kind == User.Kind.CITIZEN and user.is_active)


def has_confirmed_totp_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def second_factor_url(user: User) -> str:
    """Where a staff member signed in with a password goes next: the code, or enrolment."""
    if has_confirmed_totp_device(user):
        return reverse("accounts:staff-otp")
    return reverse("accounts:staff-otp-enrol")


# --- Decorators -------------------------------------------------------------------------------


def staff_required(view: View[P]) -> WrappedView[P]:
    """Staff signed in and verified with TOTP; see the module docstring for the other cases."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:staff-signin"))
        if not is_staff_user(user):
            raise PermissionDenied
        if not is_verified(user):
            assert isinstance(user, User)
            return redirect_to_login(request.get_full_path(), second_factor_url(user))
        return view(request, *args, **kwargs)  # type: ignore[arg-type]

    functools.update_wrapper(wrapper, view)
    return wrapper


def staff_role_required(*roles: str) -> Callable[[View[P]], WrappedView[P]]:
    """``staff_required`` plus an active membership in one of ``roles`` (others: 403)."""

    def decorator(view: View[P]) -> WrappedView[P]:
        def with_role(
            request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            if not has_any_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        functools.update_wrapper(with_role, view)
        return staff_required(with_role)

    return decorator


def citizen_required(view: View[P]) -> WrappedView[P]:
    """A signed-in citizen; anonymous visitors go to the citizen sign-in, staff get a 403."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:signin"))
        if not is_citizen_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)  # type: ignore[arg-type]

    functools.update_wrapper(wrapper, view)
    return wrapper


def unit_roles_of(user: Any) -> dict[int, frozenset[str]]:
    """Unit id -> the unit roles (front office, back office, unit head) ``user`` holds there
    through active memberships; empty for anyone but active staff. Cached on the user object."""
    cached: dict[int, frozenset[str]] | None = getattr(user, "_unit_roles", None)
    if cached is None:
        roles: dict[int, set[str]] = {}
        if getattr(user, "is_authenticated", False) and is_staff_user(user):
            for unit_id, role in user.memberships.filter(
                is_active=True, unit__isnull=False, role__in=sorted(UNIT_ROLES)
            ).values_list("unit_id", "role"):
                roles.setdefault(unit_id, set()).add(role)
        cached = {unit_id: frozenset(held) for unit_id, held in roles.items()}
        user._unit_roles = cached
    return cached


def has_any_role(user: User, roles: tuple[str, ...] | frozenset[str]) -> bool:
    if Role.PLATFORM_ADMIN in roles and user.is_platform_admin:
        return True
    return user.has_role(*roles)


# --- Staff and memberships ---------------------------------------------------------------------


def headed_unit_ids(user: User) -> frozenset[int]:
    """Ids of the units ``user`` heads through an active membership (cached per instance)."""
    cached: frozenset[int] | None = getattr(user, "_headed_unit_ids", None)
    if cached is None:
        cached = frozenset(
            user.memberships.filter(is_active=True, role=Role.UNIT_HEAD, unit__isnull=False).values_list(
                "unit_id", flat=True
            )
        )
        user._headed_unit_ids = cached  # type: ignore[attr-defined]
    return cached


def can_view_staff_list(user: User) -> bool:
    return user.is_platform_admin or bool(headed_unit_ids(user))


def can_manage_staff_of_unit(user: User, unit: ServiceUnit | None) -> bool:
    """Platform admins manage every unit's staff; a unit head manages the staff of their own units."""
    if user.is_platform_admin:
        return True
    return unit is not None and unit.pk in headed_unit_ids(user)


def can_assign_role(user: User, role: str, *, agency: Agency | None, unit: ServiceUnit | None) -> bool:
    """May ``user`` give ``role`` in ``agency``/``unit`` to a (new) staff member?"""
    if user.is_platform_admin:
        return True
    return role in ROLES_A_UNIT_HEAD_MAY_ASSIGN and can_manage_staff_of_unit(user, unit)


def can_deactivate_membership(user: User, membership: StaffMembership) -> bool:
    if membership.user_id == user.pk:
        return False  # nobody locks themselves out
    if user.is_platform_admin:
        return True
    return membership.role in ROLES_A_UNIT_HEAD_MAY_ASSIGN and can_manage_staff_of_unit(user, membership.unit)


def can_view_membership(user: User, membership: StaffMembership) -> bool:
    if user.is_platform_admin:
        return True
    return membership.role in UNIT_ROLES and can_manage_staff_of_unit(user, membership.unit)


def get_membership_for_user(user: User, public_id: uuid.UUID | str) -> StaffMembership:
    """The membership if ``user`` may see it; 404 when it does not exist or is out of sight."""
    membership = (
        StaffMembership.objects.select_related("user", "agency", "unit").filter(public_id=public_id).first()
    )
    if membership is None or not can_view_membership(user, membership):
        raise Http404
    return membership


# --- Citizens -----------------------------------------------------------------------------------


def can_edit_citizen_profile(user: Any, owner: User) -> bool:
    """Only the citizen edits their own profile (staff corrections go through an audited desk flow)."""
    return is_citizen_user(user) and user.pk == owner.pk
