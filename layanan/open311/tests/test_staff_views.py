"""The Open311 client pages (``/petugas/open311/``): platform admins only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from layanan.accounts.models import User
from layanan.accounts.tests.factories import region
from layanan.audit.models import AuditEvent
from layanan.core.testing import verified_client
from layanan.open311.actions import create_open311_client
from layanan.open311.models import Open311Client

pytestmark = pytest.mark.django_db


def url(name: str) -> str:
    return reverse(f"open311-staff:{name}")


def test_admin_creates_a_client_and_sees_its_key_once(admin_client_verified: Client) -> None:
    region("33.74")

    response = admin_client_verified.post(
        url("client-create"),
        {"name": "Aplikasi Lapor Kota", "contact": "Tim TI, ti@example.id", "region": "33.74"},
    )

    assert response.status_code == 200
    client = Open311Client.objects.get()
    key = response.context["key"]
    assert key.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert client.region_id == "33.74"
    listing = admin_client_verified.get(url("client-list"))
    assert key.encode() not in listing.content
    assert client.prefix.encode() in listing.content
    assert b"Aplikasi Lapor Kota" in listing.content


def test_form_errors_keep_what_was_typed(admin_client_verified: Client) -> None:
    response = admin_client_verified.post(
        url("client-create"), {"name": "Aplikasi Lapor Kota", "contact": "", "region": "99.99"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"contact", "region"}
    assert b'value="Aplikasi Lapor Kota"' in response.content
    assert b'value="99.99"' in response.content
    assert not Open311Client.objects.exists()


def test_admin_revokes_a_client(admin_client_verified: Client, admin_user: User) -> None:
    client, _key = create_open311_client(name="A", contact="a", actor=admin_user)

    response = admin_client_verified.post(url("client-revoke"), {"client": str(client.public_id)})

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None


@pytest.mark.parametrize("value", ["", "bukan-uuid", "00000000-0000-0000-0000-000000000000"])
def test_revoking_an_unknown_client_is_404(admin_client_verified: Client, value: str) -> None:
    assert admin_client_verified.post(url("client-revoke"), {"client": value}).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "unit_head", "coordinator", "inspector"])
def test_other_staff_are_refused_and_change_nothing(
    persona: str, request: pytest.FixtureRequest, admin_user: User
) -> None:
    staff = verified_client(request.getfixturevalue(persona))
    client, _key = create_open311_client(name="A", contact="a", actor=admin_user)
    events = AuditEvent.objects.count()

    responses = [
        staff.get(url("client-list")),
        staff.get(url("client-create")),
        staff.post(url("client-create"), {"name": "B", "contact": "b"}),
        staff.post(url("client-revoke"), {"client": str(client.public_id)}),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert Open311Client.objects.count() == 1
    assert Open311Client.objects.get().revoked_at is None
    assert AuditEvent.objects.count() == events


def test_visitors_go_to_sign_in_and_citizens_are_refused(citizen_client: Client) -> None:
    for name in ("client-list", "client-create"):
        assert "/petugas/masuk/" in Client().get(url(name))["Location"]
        assert citizen_client.get(url(name)).status_code == 403
    assert citizen_client.post(url("client-revoke"), {"client": "x"}).status_code == 403
    assert not Open311Client.objects.exists()


def test_list_runs_a_fixed_number_of_queries(
    admin_client_verified: Client, admin_user: User, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        create_open311_client(name=f"Klien {n}", contact="c", region=region("33.74"), actor=admin_user)
    admin_client_verified.get(url("client-list"))

    with django_assert_max_num_queries(12):
        response = admin_client_verified.get(url("client-list"))

    assert response.content.count(b'<th scope="row">Klien ') == 5
