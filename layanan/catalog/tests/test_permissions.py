"""Who may see and touch services, standards and service promises."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import ServiceUnitFactory, staff_with_role
from layanan.catalog.permissions import (
    can_adopt_standard,
    can_edit_standard,
    can_manage_promise,
    can_view_promises,
    get_service_for_staff,
    get_standard_for_staff,
    get_unit_for_promise,
)
from layanan.catalog.tests.factories import ServiceFactory, service_with_adopted_standard

pytestmark = pytest.mark.django_db

#              persona                 edit   adopt  promise
MATRIX = [
    ("citizen", False, False, False),
    ("front_officer", True, False, False),
    ("officer", True, False, False),
    ("unit_head", True, True, True),
    ("other_agency_officer", False, False, False),
    ("coordinator", False, False, False),
    ("inspector", False, False, False),
    ("admin_user", False, False, True),
]


@pytest.mark.parametrize(("persona", "edit", "adopt", "promise"), MATRIX)
def test_persona_matrix(
    persona: str, edit: bool, adopt: bool, promise: bool, unit_a: ServiceUnit, request: Any
) -> None:
    user = request.getfixturevalue(persona)
    service = ServiceFactory(unit=unit_a)

    assert can_edit_standard(user, service) is edit
    assert can_adopt_standard(user, service) is adopt
    assert can_manage_promise(user, unit_a) is promise


def test_anonymous_may_do_nothing(unit_a: ServiceUnit) -> None:
    from django.contrib.auth.models import AnonymousUser

    service = ServiceFactory(unit=unit_a)
    anonymous = AnonymousUser()

    assert not can_edit_standard(anonymous, service)
    assert not can_adopt_standard(anonymous, service)
    assert not can_manage_promise(anonymous, unit_a)
    assert not can_view_promises(anonymous)


def test_inactive_user_or_membership_gives_no_right(unit_a: ServiceUnit) -> None:
    head = staff_with_role(Role.UNIT_HEAD, unit=unit_a)
    service = ServiceFactory(unit=unit_a)
    head.is_active = False
    assert not can_edit_standard(head, service)

    other_head = staff_with_role(Role.UNIT_HEAD, unit=unit_a)
    other_head.memberships.update(is_active=False)
    assert not can_adopt_standard(other_head, service)


def test_staff_of_a_unit_work_only_on_that_unit(unit_a: ServiceUnit, officer: User, unit_head: User) -> None:
    sibling = ServiceFactory(unit=ServiceUnitFactory(agency=unit_a.agency))

    assert not can_edit_standard(officer, sibling)
    assert not can_adopt_standard(unit_head, sibling)
    assert not can_manage_promise(unit_head, sibling.unit)


def test_get_service_for_staff(unit_a: ServiceUnit, unit_b: ServiceUnit, officer: User) -> None:
    mine = service_with_adopted_standard(unit=unit_a, slug="kk", is_active=False)
    theirs = ServiceFactory(unit=unit_b, slug="nib")

    assert get_service_for_staff(officer, "kk") == mine  # unpublished services too
    with pytest.raises(PermissionDenied):
        get_service_for_staff(officer, theirs.slug)
    with pytest.raises(Http404):
        get_service_for_staff(officer, "tidak-ada")


def test_get_standard_for_staff(unit_a: ServiceUnit, officer: User, other_agency_officer: User) -> None:
    service = service_with_adopted_standard(unit=unit_a, slug="kk")

    assert get_standard_for_staff(officer, "kk", 1) == service.adopted_standard
    with pytest.raises(Http404):
        get_standard_for_staff(officer, "kk", 2)
    with pytest.raises(PermissionDenied):
        get_standard_for_staff(other_agency_officer, "kk", 1)


def test_get_unit_for_promise(unit_a: ServiceUnit, unit_head: User, officer: User, admin_user: User) -> None:
    agency, unit = unit_a.agency.slug, unit_a.slug

    assert get_unit_for_promise(unit_head, agency, unit) == unit_a
    assert get_unit_for_promise(admin_user, agency, unit) == unit_a
    with pytest.raises(PermissionDenied):
        get_unit_for_promise(officer, agency, unit)
    with pytest.raises(Http404):
        get_unit_for_promise(unit_head, agency, "tidak-ada")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("citizen", False),
        ("officer", True),
        ("unit_head", True),
        ("coordinator", False),
        ("admin_user", True),
    ],
)
def test_who_sees_the_promise_page(persona: str, expected: bool, request: Any) -> None:
    assert can_view_promises(request.getfixturevalue(persona)) is expected
