"""Services and service promises: ``create_service``, ``update_service``, ``set_service_promise``."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import ServiceUnitFactory, staff_with_role
from layanan.audit.models import AuditEvent
from layanan.catalog import search
from layanan.catalog.actions import create_service, set_service_promise, update_service
from layanan.catalog.exceptions import PromisePermissionDenied, ServicePermissionDenied
from layanan.catalog.models import Service, ServicePromise
from layanan.catalog.tests.factories import ServiceFactory, tag_service

pytestmark = pytest.mark.django_db


def _new_service(unit: ServiceUnit, actor: User | None, **overrides: Any) -> Service:
    values: dict[str, Any] = {
        "slug": "akta-kelahiran",
        "name": "Akta Kelahiran",
        "summary": "Pencatatan kelahiran dan penerbitan kutipan akta kelahiran.",
        "channel": Service.Channel.BOTH,
        "keywords": "akte lahir",
        "counter_location": "MPP Banyumas, loket 5",
        "life_events": [Service.LifeEvent.BIRTH],
    }
    values.update(overrides)
    return create_service(unit, actor=actor, **values)


def test_system_creates_service_with_life_events_and_one_audit_event(unit_a: ServiceUnit) -> None:
    service = _new_service(unit_a, actor=None)

    assert service.unit == unit_a
    assert (service.keywords, service.counter_location) == ("akte lahir", "MPP Banyumas, loket 5")
    assert service.adopted_standard is None
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


@pytest.mark.parametrize(
    "persona", ["front_officer", "officer", "coordinator", "inspector", "citizen", "other_agency_officer"]
)
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


def test_create_refuses_duplicate_slug(unit_a: ServiceUnit) -> None:
    ServiceFactory(slug="akta-kelahiran")

    with pytest.raises(ValidationError) as raised:
        _new_service(unit_a, actor=None)

    assert raised.value.error_dict["slug"][0].code == "unique"


def test_create_refuses_unknown_channel(unit_a: ServiceUnit) -> None:
    with pytest.raises(ValidationError) as raised:
        _new_service(unit_a, actor=None, channel="fax")

    assert raised.value.error_dict["channel"][0].code == "invalid_choice"
    assert not Service.objects.exists()


def test_create_refuses_unknown_life_event(unit_a: ServiceUnit) -> None:
    with pytest.raises(ValidationError) as raised:
        _new_service(unit_a, actor=None, life_events=["ulang-tahun"])

    assert raised.value.error_dict["life_events"][0].code == "invalid_life_event"
    assert not Service.objects.exists()


def test_update_records_changed_field_names(unit_head: User, unit_a: ServiceUnit) -> None:
    service = tag_service(ServiceFactory(unit=unit_a, keywords="KK"), Service.LifeEvent.BIRTH)

    updated = update_service(
        service,
        actor=unit_head,
        keywords="KK, kartu keluarga",
        name=service.name,
        life_events=[Service.LifeEvent.BIRTH, Service.LifeEvent.DEATH],
    )

    assert updated.keywords == "KK, kartu keluarga"
    assert set(updated.life_events.values_list("event", flat=True)) == {"kelahiran", "kematian"}
    event = AuditEvent.objects.get()
    assert event.action == "catalog.service_updated"
    assert event.summary == {"fields": ["keywords", "life_events"]}


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
        update_service(service, actor=None, channel="fax", name="")

    assert set(raised.value.error_dict) == {"channel", "name"}
    service.refresh_from_db()
    assert service.channel == Service.Channel.BOTH
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


def test_catalog_changes_schedule_one_search_refresh_per_transaction(
    unit_a: ServiceUnit, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        service = _new_service(unit_a, actor=None)
        update_service(service, actor=None, name="Akta Kelahiran Anak")

    assert callbacks.count(search.invalidate_search_index) == 1


def test_a_committed_change_is_found_by_search(
    unit_a: ServiceUnit, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        service = _new_service(unit_a, actor=None)
        update_service(service, actor=None, name="Legalisasi Surat Keterangan Kelakuan Baik")

    assert service.pk in search.search_services("legalisasi kelakuan baik")


# --- Service promise (maklumat pelayanan) ------------------------------------------------------------

PROMISE: dict[str, Any] = {
    "text": (
        "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
        "ditetapkan dan apabila tidak menepati janji, kami siap menerima sanksi sesuai dengan peraturan "
        "perundang-undangan yang berlaku."
    ),
    "signatory_name": "Drs. Bambang Widodo, M.Si.",
    "signatory_title": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    "signed_on": datetime.date(2026, 1, 12),
}


@pytest.mark.parametrize("persona", ["unit_head", "admin_user"])
def test_unit_head_and_admin_record_the_promise(persona: str, unit_a: ServiceUnit, request: Any) -> None:
    actor = request.getfixturevalue(persona)

    promise = set_service_promise(unit_a, actor=actor, **PROMISE)

    assert (promise.unit, promise.signed_on) == (unit_a, datetime.date(2026, 1, 12))
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id) == ("catalog.service_promise_set", actor.pk)
    assert event.summary == {"unit": unit_a.pk, "signed_on": "2026-01-12", "replaces": None}
    assert "Bambang" not in str(event.summary)


@pytest.mark.parametrize(
    "persona", ["citizen", "front_officer", "officer", "other_agency_officer", "coordinator", "inspector"]
)
def test_others_may_not_record_the_promise(persona: str, unit_a: ServiceUnit, request: Any) -> None:
    with pytest.raises(PromisePermissionDenied):
        set_service_promise(unit_a, actor=request.getfixturevalue(persona), **PROMISE)

    assert not ServicePromise.objects.exists()
    assert not AuditEvent.objects.exists()


def test_head_of_another_unit_may_not_record_the_promise(unit_a: ServiceUnit, unit_b: ServiceUnit) -> None:
    head_b = staff_with_role(Role.UNIT_HEAD, unit=unit_b)

    with pytest.raises(PromisePermissionDenied):
        set_service_promise(unit_a, actor=head_b, **PROMISE)


def test_re_signed_promise_is_a_new_row_and_the_same_one_changes_nothing(unit_a: ServiceUnit) -> None:
    first = set_service_promise(unit_a, actor=None, **PROMISE)

    same = set_service_promise(unit_a, actor=None, **PROMISE)
    assert same == first
    assert AuditEvent.objects.count() == 1

    renewed = set_service_promise(unit_a, actor=None, **{**PROMISE, "signed_on": datetime.date(2026, 6, 1)})
    assert renewed.pk != first.pk
    assert ServicePromise.objects.filter(unit=unit_a).count() == 2
    assert AuditEvent.objects.latest("occurred_at").summary["replaces"] == first.pk


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"text": "  "}, "text", "blank"),
        ({"signatory_name": ""}, "signatory_name", "blank"),
        ({"signed_on": datetime.date(2999, 1, 1)}, "signed_on", "signed_on_in_future"),
    ],
)
def test_promise_is_validated(changes: dict[str, Any], field: str, code: str, unit_a: ServiceUnit) -> None:
    with pytest.raises(ValidationError) as raised:
        set_service_promise(unit_a, actor=None, **{**PROMISE, **changes})

    assert raised.value.error_dict[field][0].code == code
    assert not ServicePromise.objects.exists()
    assert not AuditEvent.objects.exists()
