"""The view decorators other apps use for staff pages, checked on a small view of their own."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.permissions import (
    can_assign_role,
    can_manage_staff_of_unit,
    can_view_staff_list,
    staff_required,
    staff_role_required,
)
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import staff_with_role, totp_device

pytestmark = pytest.mark.django_db


@staff_required
def staff_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return HttpResponse(f"hello {request.user.username}")


@staff_role_required(Role.INSPECTORATE, Role.PLATFORM_ADMIN)
def inspection_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return HttpResponse("inspection")


def _request(user: User | None, *, verified: bool) -> HttpRequest:
    request = RequestFactory().get("/petugas/contoh/")
    request.session = SessionStore()
    request.user = user or AnonymousUser()
    if user is not None and verified:
        request.session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    elif user is not None and user.kind == User.Kind.STAFF:
        totp_device(user)
    OTPMiddleware(lambda _request: HttpResponse())._install_lazy_accessors(request)
    return request


def test_anonymous_goes_to_staff_sign_in() -> None:
    response = staff_page(_request(None, verified=False))

    assert response.status_code == 302
    assert response["Location"] == "/petugas/masuk/?next=/petugas/contoh/"


def test_staff_without_second_factor_goes_to_the_code_step(officer: User) -> None:
    response = staff_page(_request(officer, verified=False))

    assert response["Location"] == "/petugas/masuk/otp/?next=/petugas/contoh/"


def test_verified_staff_gets_the_page(officer: User) -> None:
    assert staff_page(_request(officer, verified=True)).content == f"hello {officer.username}".encode()


def test_citizen_is_refused(citizen: User) -> None:
    with pytest.raises(PermissionDenied):
        staff_page(_request(citizen, verified=False))


def test_deactivated_staff_account_is_refused(officer: User) -> None:
    officer.is_active = False

    with pytest.raises(PermissionDenied):
        staff_page(_request(officer, verified=True))


@pytest.mark.parametrize("persona", ["inspector", "admin_user"])
def test_role_variant_lets_the_listed_roles_in(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)

    assert inspection_page(_request(user, verified=True)).content == b"inspection"


@pytest.mark.parametrize("persona", ["officer", "unit_head", "coordinator"])
def test_role_variant_refuses_other_roles(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        inspection_page(_request(user, verified=True))


def test_role_variant_still_asks_for_the_second_factor(inspector: User) -> None:
    assert inspection_page(_request(inspector, verified=False)).status_code == 302


def test_inactive_membership_gives_no_role(unit_a: ServiceUnit) -> None:
    user = staff_with_role(Role.INSPECTORATE, agency=unit_a.agency)
    user.memberships.update(is_active=False)

    with pytest.raises(PermissionDenied):
        inspection_page(_request(User.objects.get(pk=user.pk), verified=True))


def test_staff_management_rights(
    admin_user: User, unit_head: User, officer: User, unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    assert can_view_staff_list(admin_user)
    assert can_view_staff_list(unit_head)
    assert not can_view_staff_list(officer)
    assert can_manage_staff_of_unit(unit_head, unit_a)
    assert not can_manage_staff_of_unit(unit_head, unit_b)
    assert not can_manage_staff_of_unit(unit_head, None)
    assert can_manage_staff_of_unit(admin_user, unit_b)
    assert can_assign_role(unit_head, Role.FRONT_OFFICE, agency=unit_a.agency, unit=unit_a)
    assert not can_assign_role(unit_head, Role.UNIT_HEAD, agency=unit_a.agency, unit=unit_a)
    assert can_assign_role(admin_user, Role.PLATFORM_ADMIN, agency=None, unit=None)
