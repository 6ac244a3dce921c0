"""Staff accounts, memberships and the TOTP device: who may do what, and what is recorded."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from layanan.accounts.actions import (
    create_staff_member,
    deactivate_membership,
    enrol_totp_device,
    password_set_path,
)
from layanan.accounts.models import ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import AgencyFactory, staff_with_role, totp_device
from layanan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create(actor: User | None, **overrides: Any) -> User:
    values: dict[str, Any] = {
        "username": "dewi.k",
        "full_name": "Dewi Kartika",
        "email": "Dewi.K@contoh.id",
        "role": Role.BACK_OFFICE,
        "agency": None,
        "unit": None,
        **overrides,
    }
    return create_staff_member(actor=actor, **values)


def _state() -> tuple[int, int, int]:
    return (
        User.objects.count(),
        StaffMembership.objects.filter(is_active=True).count(),
        AuditEvent.objects.count(),
    )


def test_admin_creates_staff_with_unusable_password_and_password_set_email(
    admin_user: User, unit_a: ServiceUnit, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = _create(admin_user, role=Role.UNIT_HEAD, unit=unit_a)

    assert user.kind == User.Kind.STAFF
    assert user.email == "dewi.k@contoh.id"
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.role, membership.unit, membership.agency) == (Role.UNIT_HEAD, unit_a, unit_a.agency)
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert link is not None
    assert "/petugas/sandi/atur/" in link.group(0)
    event = AuditEvent.objects.get(action="accounts.staff_created")
    assert event.summary == {"role": Role.UNIT_HEAD, "agency": unit_a.agency.slug, "unit": unit_a.slug}
    assert event.actor_id == admin_user.pk


def test_password_set_link_lets_the_new_staff_member_choose_a_password(
    admin_user: User, unit_a: ServiceUnit
) -> None:
    user = _create(admin_user, unit=unit_a)
    link = password_set_path(user)
    client = Client()

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "kopi tubruk pagi hari", "new_password2": "kopi tubruk pagi hari"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("kopi tubruk pagi hari")
    assert not default_token_generator.check_token(user, link.split("/")[-2])
    assert client.get(link, follow=True).context["validlink"] is False


def test_unit_head_adds_an_officer_to_their_own_unit(unit_head: User, unit_a: ServiceUnit) -> None:
    user = _create(unit_head, role=Role.FRONT_OFFICE, unit=unit_a)

    assert user.memberships.get().unit == unit_a


@pytest.mark.parametrize("role", [Role.UNIT_HEAD, Role.PLATFORM_ADMIN, Role.COMPLAINT_COORDINATOR])
def test_unit_head_cannot_give_higher_roles(unit_head: User, unit_a: ServiceUnit, role: str) -> None:
    before = _state()

    with pytest.raises(PermissionDenied):
        _create(unit_head, role=role, unit=unit_a, agency=unit_a.agency)

    assert _state() == before


def test_unit_head_cannot_add_staff_to_another_unit(unit_head: User, unit_b: ServiceUnit) -> None:
    before = _state()

    with pytest.raises(PermissionDenied):
        _create(unit_head, role=Role.BACK_OFFICE, unit=unit_b)

    assert _state() == before


@pytest.mark.parametrize("actor_name", ["officer", "front_officer", "coordinator", "inspector", "citizen"])
def test_other_roles_cannot_create_staff(
    actor_name: str, unit_a: ServiceUnit, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(actor_name)
    before = _state()

    with pytest.raises(PermissionDenied):
        _create(actor, unit=unit_a)

    assert _state() == before


def test_operator_at_the_console_creates_a_platform_admin() -> None:
    user = _create(None, role=Role.PLATFORM_ADMIN, email="")

    membership = user.memberships.get()
    assert (membership.agency, membership.unit) == (None, None)
    assert AuditEvent.objects.get(action="accounts.staff_created").actor_label == "system"


def test_agency_role_needs_an_agency(admin_user: User) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(admin_user, role=Role.INSPECTORATE)

    assert caught.value.error_dict["agency"][0].code == "agency_required"


def test_unit_role_needs_a_unit_of_the_chosen_agency(admin_user: User, unit_a: ServiceUnit) -> None:
    with pytest.raises(ValidationError) as missing:
        _create(admin_user, role=Role.BACK_OFFICE)
    with pytest.raises(ValidationError) as mismatch:
        _create(admin_user, role=Role.BACK_OFFICE, unit=unit_a, agency=AgencyFactory())

    assert missing.value.error_dict["unit"][0].code == "unit_required"
    assert mismatch.value.error_dict["unit"][0].code == "unit_agency"


def test_agency_role_is_held_in_the_agency_not_a_unit(admin_user: User, unit_a: ServiceUnit) -> None:
    user = _create(admin_user, role=Role.COMPLAINT_COORDINATOR, agency=unit_a.agency, unit=unit_a)

    membership = user.memberships.get()
    assert (membership.agency, membership.unit) == (unit_a.agency, None)


def test_username_and_email_must_be_free(admin_user: User, officer: User, unit_a: ServiceUnit) -> None:
    before = _state()

    with pytest.raises(ValidationError) as caught:
        _create(admin_user, username=officer.username.upper(), email=officer.email, unit=unit_a)

    assert caught.value.error_dict["username"][0].code == "username_taken"
    assert caught.value.error_dict["email"][0].code == "email_taken"
    assert _state() == before


def test_admin_deactivates_a_membership(admin_user: User, officer: User) -> None:
    membership = officer.memberships.get()

    deactivate_membership(membership, actor=admin_user)

    membership.refresh_from_db()
    assert not membership.is_active
    event = AuditEvent.objects.get(action="accounts.membership_deactivated")
    assert event.object_id == str(membership.pk)
    assert event.summary["role"] == Role.BACK_OFFICE


def test_deactivating_twice_records_one_event(admin_user: User, officer: User) -> None:
    membership = officer.memberships.get()

    deactivate_membership(membership, actor=admin_user)
    deactivate_membership(membership, actor=admin_user)

    assert AuditEvent.objects.filter(action="accounts.membership_deactivated").count() == 1


def test_unit_head_deactivates_an_officer_of_their_unit(unit_head: User, officer: User) -> None:
    deactivate_membership(officer.memberships.get(), actor=unit_head)

    assert not officer.memberships.get().is_active


@pytest.mark.parametrize(
    ("actor_name", "target_name"),
    [
        ("unit_head", "other_agency_officer"),  # another unit
        ("unit_head", "coordinator"),  # an agency role
        ("officer", "front_officer"),  # no management role
        ("admin_user", "admin_user"),  # not oneself
    ],
)
def test_deactivation_is_refused(actor_name: str, target_name: str, request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(actor_name)
    membership = request.getfixturevalue(target_name).memberships.get()
    before = _state()

    with pytest.raises(PermissionDenied):
        deactivate_membership(membership, actor=actor)

    assert _state() == before


def test_unit_head_cannot_deactivate_another_unit_head_of_the_unit(
    unit_head: User, unit_a: ServiceUnit
) -> None:
    other_head = staff_with_role(Role.UNIT_HEAD, unit=unit_a)

    with pytest.raises(PermissionDenied):
        deactivate_membership(other_head.memberships.get(), actor=unit_head)


def test_staff_enrols_totp_with_a_current_code(officer: User) -> None:
    key = random_hex(20)
    token = f"{TOTP(bytes.fromhex(key)).token():06d}"

    device = enrol_totp_device(officer, actor=officer, key=key, token=token)

    assert device.confirmed
    assert device.key == key
    assert AuditEvent.objects.get(action="accounts.totp_enrolled").object_id == str(officer.pk)


def test_totp_enrolment_rejects_a_wrong_code(officer: User) -> None:
    key = random_hex(20)
    wrong = f"{(TOTP(bytes.fromhex(key)).token() + 1) % 1_000_000:06d}"

    with pytest.raises(ValidationError) as caught:
        enrol_totp_device(officer, actor=officer, key=key, token=wrong)

    assert caught.value.code == "invalid_code"
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_totp_enrolment_is_refused_when_a_device_exists_or_for_someone_else(
    officer: User, admin_user: User
) -> None:
    key = random_hex(20)
    token = f"{TOTP(bytes.fromhex(key)).token():06d}"
    totp_device(admin_user)

    with pytest.raises(PermissionDenied):
        enrol_totp_device(admin_user, actor=admin_user, key=key, token=token)
    with pytest.raises(PermissionDenied):
        enrol_totp_device(officer, actor=admin_user, key=key, token=token)

    assert not TOTPDevice.objects.filter(user=officer).exists()
