"""The staff workspace: dashboard, staff list, adding staff and ending a role."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch

from layanan.accounts.models import ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import staff_with_role
from layanan.accounts.views import staff as staff_views
from layanan.audit.models import AuditEvent
from layanan.core.testing import verified_client

pytestmark = pytest.mark.django_db


def _english(client: Client) -> Client:
    client.cookies["layanan_language"] = "en"
    return client


def test_dashboard_lists_the_active_roles(
    unit_head: User, unit_head_client: Client, unit_a: ServiceUnit
) -> None:
    StaffMembership.objects.create(
        user=unit_head, role=Role.BACK_OFFICE, unit=unit_a, agency=unit_a.agency, is_active=False
    )

    page = _english(unit_head_client).get("/petugas/").content.decode()

    assert "Unit head" in page
    assert "Back-office officer" not in page
    assert unit_a.name in page
    assert unit_a.agency.name in page


def test_dashboard_links_only_pages_that_exist_for_the_roles(
    unit_head_client: Client, officer_client: Client
) -> None:
    unit_head_page = _english(unit_head_client).get("/petugas/").content.decode()
    officer_page = _english(officer_client).get("/petugas/").content.decode()

    assert 'href="/petugas/staf/"' in unit_head_page
    assert 'href="/petugas/staf/"' not in officer_page
    assert 'href="/petugas/katalog/"' in officer_page
    assert 'href="/petugas/kalender/"' not in officer_page


def test_dashboard_link_helper_skips_names_that_do_not_resolve(
    admin_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reverse(name: str) -> str:
        if name.startswith("workdays:"):
            raise NoReverseMatch(name)
        return f"/{name}/"

    monkeypatch.setattr(staff_views, "reverse", reverse)

    urls = [url for url, _label in staff_views.staff_links(admin_user)]

    assert urls == [
        "/queueing:counters/",
        "/survey:staff-overview/",
        "/complaints:staff-policies/",
        "/open311-staff:client-list/",
        "/audit:event-list/",
        "/accounts:staff-list/",
        "/catalog:staff-promise-list/",
    ]


def test_admin_sees_all_staff(
    admin_client_verified: Client, officer: User, other_agency_officer: User
) -> None:
    page = admin_client_verified.get("/petugas/staf/").content.decode()

    assert officer.username in page
    assert other_agency_officer.username in page


def test_unit_head_sees_only_the_staff_of_their_unit(
    unit_head_client: Client, officer: User, other_agency_officer: User, coordinator: User
) -> None:
    page = unit_head_client.get("/petugas/staf/").content.decode()

    assert officer.username in page
    assert other_agency_officer.username not in page
    assert coordinator.username not in page


def test_deactivate_buttons_only_where_allowed(
    unit_head: User, unit_head_client: Client, officer: User, unit_a: ServiceUnit
) -> None:
    other_head = staff_with_role(Role.UNIT_HEAD, unit=unit_a)

    page = unit_head_client.get("/petugas/staf/").content.decode()

    assert str(officer.memberships.get().public_id) in page
    assert str(other_head.memberships.get().public_id) not in page
    assert str(unit_head.memberships.get().public_id) not in page


def test_staff_list_query_count_does_not_grow_with_staff(
    admin_client_verified: Client, unit_a: ServiceUnit, django_assert_num_queries: Any
) -> None:
    for _staff in range(3):
        staff_with_role(Role.BACK_OFFICE, unit=unit_a)
    with django_assert_num_queries(6):
        admin_client_verified.get("/petugas/staf/")

    for _staff in range(10):
        staff_with_role(Role.FRONT_OFFICE, unit=unit_a)
    with django_assert_num_queries(6):
        response = admin_client_verified.get("/petugas/staf/")

    assert response.status_code == 200


def test_staff_list_is_paginated(admin_client_verified: Client, unit_a: ServiceUnit) -> None:
    for _staff in range(51):
        staff_with_role(Role.BACK_OFFICE, unit=unit_a)

    first = admin_client_verified.get("/petugas/staf/").content.decode()
    second = admin_client_verified.get("/petugas/staf/?page=2")

    assert "?page=2" in first
    assert second.status_code == 200


def test_dashboard_query_count(admin_client_verified: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(5):
        admin_client_verified.get("/petugas/")


def test_admin_adds_a_unit_head_who_gets_an_email(
    admin_client_verified: Client, unit_a: ServiceUnit, django_capture_on_commit_callbacks: Any
) -> None:
    data = {
        "username": "rina.w",
        "full_name": "Rina Wulandari",
        "email": "Rina@Contoh.id",
        "role": Role.UNIT_HEAD,
        "agency": str(unit_a.agency_id),
        "unit": str(unit_a.pk),
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_verified.post("/petugas/staf/baru/", data)

    assert response["Location"] == "/petugas/staf/"
    user = User.objects.get(username="rina.w")
    assert user.memberships.get().role == Role.UNIT_HEAD
    assert mail.outbox[0].to == ["rina@contoh.id"]
    assert "/petugas/sandi/atur/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="accounts.staff_created", object_id=str(user.pk)).exists()


def test_unit_head_form_offers_only_officer_roles_and_own_units(
    unit_head_client: Client, unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    page = _english(unit_head_client).get("/petugas/staf/baru/").content.decode()

    assert 'value="front_office"' in page
    assert 'value="back_office"' in page
    assert 'value="unit_head"' not in page
    assert 'value="platform_admin"' not in page
    assert unit_a.name in page
    assert unit_b.name not in page
    assert 'name="agency"' not in page


def test_unit_head_cannot_post_another_unit(unit_head_client: Client, unit_b: ServiceUnit) -> None:
    users = User.objects.count()

    response = unit_head_client.post(
        "/petugas/staf/baru/",
        {
            "username": "x.y",
            "full_name": "X",
            "email": "x@contoh.id",
            "role": Role.BACK_OFFICE,
            "unit": str(unit_b.pk),
        },
    )

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert User.objects.count() == users


def test_create_form_errors_keep_the_typed_values(admin_client_verified: Client, officer: User) -> None:
    response = _english(admin_client_verified).post(
        "/petugas/staf/baru/",
        {
            "username": officer.username,
            "full_name": "Rina Wulandari",
            "email": "rina@",
            "role": Role.INSPECTORATE,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Rina Wulandari"' in page
    assert 'value="rina@"' in page
    assert "Enter an e-mail address in the right format" in page


def test_create_refuses_a_taken_username_clearly(
    admin_client_verified: Client, officer: User, unit_a: ServiceUnit
) -> None:
    response = _english(admin_client_verified).post(
        "/petugas/staf/baru/",
        {
            "username": officer.username,
            "full_name": "Rina",
            "email": "rina@contoh.id",
            "role": Role.BACK_OFFICE,
            "unit": str(unit_a.pk),
        },
    )

    assert "This username is already taken." in response.content.decode()


def test_unit_head_deactivates_an_officer(unit_head_client: Client, officer: User) -> None:
    membership = officer.memberships.get()

    response = _english(unit_head_client).post(
        f"/petugas/staf/peran/{membership.public_id}/nonaktifkan/", follow=True
    )

    membership.refresh_from_db()
    assert not membership.is_active
    assert "no longer holds the role Back-office officer" in response.content.decode()


def test_unit_head_cannot_deactivate_another_unit_head_of_the_unit(
    unit_head_client: Client, unit_a: ServiceUnit
) -> None:
    other_head = staff_with_role(Role.UNIT_HEAD, unit=unit_a)
    membership = other_head.memberships.get()
    events = AuditEvent.objects.count()

    response = unit_head_client.post(f"/petugas/staf/peran/{membership.public_id}/nonaktifkan/")

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.is_active
    assert AuditEvent.objects.count() == events


def test_deactivated_staff_keeps_the_account_but_loses_the_role_pages(
    admin_client_verified: Client, unit_head: User
) -> None:
    admin_client_verified.post(f"/petugas/staf/peran/{unit_head.memberships.get().public_id}/nonaktifkan/")

    client = verified_client(User.objects.get(pk=unit_head.pk))

    assert client.get("/petugas/").status_code == 200
    assert client.get("/petugas/staf/").status_code == 403
