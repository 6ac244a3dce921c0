from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import ServiceUnitFactory, staff_with_role
from layanan.audit.models import AuditEvent
from layanan.catalog.actions import create_service, update_service
from layanan.catalog.exceptions import ServicePermissionDenied
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import ServiceFactory, tag_service

pytestmark = pytest.mark.django_db


def _new_service(unit: ServiceUnit, actor: User | None, **overrides: Any) -> Service:
    values: dict[str, Any] = {
        "slug": "akta-kelahiran",
        "name": "Akta Kelahiran",
        "summary": "Pencatatan kelahiran dan penerbitan kutipan akta kelahiran.",
        "channel": Service.Channel.BOTH,
        "completion_time_value": 1,
        "completion_time_unit": Service.TimeUnit.WORKING_DAYS,
        "fee_is_free": True,
        "fee_legal_basis": "UU 24/2013 Pasal 79A.",
        "life_events": [Service.LifeEvent.BIRTH],
    }
    values.update(overrides)
    return create_service(unit, actor=actor, **values)


def test_system_creates_service_with_life_events_and_one_audit_event(unit_a: ServiceUnit) -> None:
    service = _new_service(unit_a, actor=None)

    assert service.unit == unit_a
    assert list(service.life_events.values_list("event", flat=True)) == ["kelahiran"]
    event = AuditEvent.objects.get()
    assert event.action == "catalog.service_created"
    assert event.object_id == str(service.pk)
    assert event.actor_label == "system"
    assert event.summary["slug"] == "akta-kelahiran"


@pytest.mark.parametrize("persona", ["admin_user", "unit_head"])
def test_admin_and_unit_head_may_create_service(persona: str, unit_a: ServiceUnit, request: Any) -> None:
    actor = request.getfixturevalue(persona)

    service = _new_service(unit_a, actor=actor)

    assert AuditEvent.objects.get().actor_id == actor.pk
    assert service.pk is not None


@pytest.mark.parametrize("persona", ["front_officer", "officer", "coordinator", "inspector", "citizen"])
def test_other_roles_may_not_create_service(persona: str, unit_a: ServiceUnit, request: Any) -> None:
    actor = request.getfixturevalue(persona)

    with pytest.raises(ServicePermissionDenied):
        _new_service(unit_a, actor=actor)

    assert not Service.objects.exists()
    assert not AuditEvent.objects.exists()


def test_unit_head_may_not_create_service_in_another_unit(unit_head: User) -> None:
    other_unit = ServiceUnitFactory()

    with pytest.raises(ServicePermissionDenied):
        _new_service(other_unit, actor=unit_head)

    assert not Service.objects.exists()
    assert not AuditEvent.objects.exists()


def test_create_refuses_bare_fee_number_with_code(unit_a: ServiceUnit) -> None:
    with pytest.raises(ValidationError) as raised:
        _new_service(unit_a, actor=None, fee_is_free=False, fee_note="Rp50.000", fee_legal_basis="Perda")

    assert raised.value.error_dict["fee_note"][0].code == "fee_bare_number"
    assert not Service.objects.exists()
    assert not AuditEvent.objects.exists()


def test_create_refuses_duplicate_slug(unit_a: ServiceUnit) -> None:
    ServiceFactory(slug="akta-kelahiran")

    with pytest.raises(ValidationError) as raised:
        _new_service(unit_a, actor=None)

    assert raised.value.error_dict["slug"][0].code == "unique"


def test_create_refuses_unknown_life_event(unit_a: ServiceUnit) -> None:
    with pytest.raises(ValidationError) as raised:
        _new_service(unit_a, actor=None, life_events=["ulang-tahun"])

    assert raised.value.error_dict["life_events"][0].code == "invalid_life_event"
    assert not Service.objects.exists()


def test_update_records_changed_field_names(unit_head: User, unit_a: ServiceUnit) -> None:
    service = tag_service(ServiceFactory(unit=unit_a, completion_time_value=3), Service.LifeEvent.BIRTH)

    updated = update_service(
        service,
        actor=unit_head,
        completion_time_value=1,
        name=service.name,
        life_events=[Service.LifeEvent.BIRTH, Service.LifeEvent.DEATH],
    )

    assert updated.completion_time_value == 1
    assert set(updated.life_events.values_list("event", flat=True)) == {"kelahiran", "kematian"}
    event = AuditEvent.objects.get()
    assert event.action == "catalog.service_updated"
    assert event.summary == {"fields": ["completion_time_value", "life_events"]}


def test_update_that_changes_nothing_records_nothing(unit_a: ServiceUnit) -> None:
    service = tag_service(ServiceFactory(unit=unit_a), Service.LifeEvent.BIRTH)
    before = service.updated_at

    update_service(service, actor=None, name=service.name, life_events=[Service.LifeEvent.BIRTH])

    service.refresh_from_db()
    assert service.updated_at == before
    assert not AuditEvent.objects.exists()


def test_update_validates_like_create(unit_a: ServiceUnit) -> None:
    service = ServiceFactory(unit=unit_a)

    with pytest.raises(ValidationError) as raised:
        update_service(service, actor=None, fee_is_free=False)

    assert set(raised.value.error_dict) == {"fee_note", "fee_legal_basis"}
    service.refresh_from_db()
    assert service.fee_is_free
    assert not AuditEvent.objects.exists()


def test_officer_may_not_update_service(officer: User, unit_a: ServiceUnit) -> None:
    service = ServiceFactory(unit=unit_a, name="Akta Kematian")

    with pytest.raises(ServicePermissionDenied):
        update_service(service, actor=officer, name="Akta Kematian Baru")

    service.refresh_from_db()
    assert service.name == "Akta Kematian"
    assert not AuditEvent.objects.exists()


def test_unit_head_may_not_move_service_to_a_unit_they_do_not_head(
    unit_head: User, unit_a: ServiceUnit
) -> None:
    service = ServiceFactory(unit=unit_a)
    other_unit = ServiceUnitFactory()

    with pytest.raises(ServicePermissionDenied):
        update_service(service, actor=unit_head, unit=other_unit)

    service.refresh_from_db()
    assert service.unit == unit_a


def test_inactive_unit_head_membership_gives_no_right(unit_a: ServiceUnit) -> None:
    head = staff_with_role(Role.UNIT_HEAD, unit=unit_a)
    head.memberships.update(is_active=False)

    with pytest.raises(ServicePermissionDenied):
        _new_service(unit_a, actor=head)
