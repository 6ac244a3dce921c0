"""``layanan create_staff`` for operators."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_staff_prints_a_password_set_link_and_is_audited(unit_a: ServiceUnit) -> None:
    out = StringIO()

    call_command(
        "create_staff",
        "--username=joko.s",
        f"--role={Role.UNIT_HEAD}",
        f"--agency={unit_a.agency.slug}",
        f"--unit={unit_a.slug}",
        "--email=joko@contoh.id",
        stdout=out,
    )

    user = User.objects.get(username="joko.s")
    assert user.kind == User.Kind.STAFF
    assert user.memberships.get().unit == unit_a
    assert "/petugas/sandi/atur/" in out.getvalue()
    event = AuditEvent.objects.get(action="accounts.staff_created")
    assert event.actor_id is None
    assert event.actor_label == "system"


def test_create_platform_admin_without_agency() -> None:
    call_command("create_staff", "--username=admin.satu", f"--role={Role.PLATFORM_ADMIN}", stdout=StringIO())

    assert User.objects.get(username="admin.satu").is_platform_admin


def test_unknown_slugs_and_missing_unit_are_reported() -> None:
    with pytest.raises(CommandError, match="No agency"):
        call_command("create_staff", "--username=a", "--role=inspectorate", "--agency=tidak-ada")
    with pytest.raises(CommandError, match="No unit"):
        call_command("create_staff", "--username=a", "--role=back_office", "--unit=tidak-ada")
    with pytest.raises(CommandError):
        call_command("create_staff", "--username=a", "--role=back_office")
    assert User.objects.count() == 0
