"""Creating and revoking Open311 clients: platform admins only, audited, the key kept as a digest."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layanan.accounts.actions.tokens import token_digest
from layanan.accounts.models import User
from layanan.accounts.tests.factories import region
from layanan.audit.models import AuditEvent
from layanan.open311.actions import (
    create_open311_client,
    find_open311_client,
    record_client_use,
    revoke_open311_client,
)
from layanan.open311.models import Open311Client

pytestmark = pytest.mark.django_db


def test_admin_creates_a_client_whose_key_is_stored_only_as_a_digest(admin_user: User) -> None:
    client, key = create_open311_client(
        name="  Aplikasi  Lapor ", contact="Tim TI, ti@example.id", region=region("33.74"), actor=admin_user
    )

    assert key.startswith("o311_")
    assert len(key) == 5 + 43
    assert client.name == "Aplikasi Lapor"
    assert client.prefix == key[:12]
    assert client.digest == token_digest(key)
    assert key not in json.dumps(list(Open311Client.objects.values()), default=str)
    assert client.created_by == admin_user
    assert find_open311_client(key) == client
    event = AuditEvent.objects.get(action="open311.client_created")
    assert key not in json.dumps(event.summary)
    assert client.prefix not in json.dumps(event.summary)
    assert "ti@example.id" not in json.dumps(event.summary)


def test_each_client_gets_its_own_key(admin_user: User) -> None:
    first = create_open311_client(name="A", contact="a", actor=admin_user)[1]
    second = create_open311_client(name="B", contact="b", actor=admin_user)[1]

    assert first != second


@pytest.mark.parametrize("persona", ["officer", "unit_head", "coordinator", "inspector", "citizen"])
def test_only_platform_admins_manage_clients(
    persona: str, request: pytest.FixtureRequest, admin_user: User
) -> None:
    user = request.getfixturevalue(persona)
    client, _key = create_open311_client(name="A", contact="a", actor=admin_user)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        create_open311_client(name="B", contact="b", actor=user)
    with pytest.raises(PermissionDenied):
        revoke_open311_client(client, actor=user)

    assert Open311Client.objects.count() == 1
    assert Open311Client.objects.get().revoked_at is None
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("name", "contact", "code", "field"),
    [
        ("", "a", None, "name"),
        ("x" * 101, "a", None, "name"),
        ("A", " ", None, "contact"),
        ("A", "a", "33", "region"),
    ],
)
def test_bad_input_is_refused(
    admin_user: User, name: str, contact: str, code: str | None, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        create_open311_client(
            name=name, contact=contact, region=region(code) if code else None, actor=admin_user
        )

    assert field in error.value.message_dict
    assert not Open311Client.objects.exists()


def test_revoked_key_no_longer_works_and_revoking_twice_changes_nothing(admin_user: User) -> None:
    client, key = create_open311_client(name="A", contact="a", actor=admin_user)

    revoke_open311_client(client, actor=admin_user)
    revoked_at = Open311Client.objects.get().revoked_at
    revoke_open311_client(client, actor=admin_user)

    assert find_open311_client(key) is None
    assert revoked_at is not None
    assert Open311Client.objects.get().revoked_at == revoked_at
    assert AuditEvent.objects.filter(action="open311.client_revoked").count() == 1
    assert not client.is_active


@pytest.mark.parametrize("key", ["", "   ", "o311_wrong", "x" * 201])
def test_unknown_keys_find_nothing(key: str) -> None:
    create_open311_client(name="A", contact="a", actor=None)

    assert find_open311_client(key) is None


def test_use_is_recorded_at_most_once_a_minute(django_assert_num_queries: object) -> None:
    from datetime import timedelta

    from django.utils import timezone

    client, _key = create_open311_client(name="A", contact="a", actor=None)
    now = timezone.now()

    record_client_use(client, now=now)
    record_client_use(client, now=now + timedelta(seconds=30))
    client.refresh_from_db()

    assert client.last_used_at == now
