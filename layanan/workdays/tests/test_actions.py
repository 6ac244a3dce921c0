from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layanan.accounts.models import ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.audit.models import AuditEvent
from layanan.workdays.actions import add_holiday, add_unit_closure, remove_holiday, remove_unit_closure
from layanan.workdays.calendar import JAKARTA
from layanan.workdays.models import Holiday, UnitClosure
from layanan.workdays.tests.factories import HolidayFactory, UnitClosureFactory

pytestmark = pytest.mark.django_db

AMENDMENT = "SKB 3 Menteri Nomor 1017 Tahun 2025, Nomor 1 Tahun 2025, Nomor 3 Tahun 2025 (perubahan)"
NOT_ADMINS = [
    "citizen",
    "officer",
    "front_officer",
    "unit_head",
    "other_agency_officer",
    "coordinator",
    "inspector",
]


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    """Monday 2 March 2026, 09:00 in Jakarta."""
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=JAKARTA), tick=False)


def _state() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int]:
    return (
        list(Holiday.objects.values_list("date", "kind", "name", "legal_source")),
        list(UnitClosure.objects.values_list("unit_id", "date", "reason")),
        AuditEvent.objects.count(),
    )


def test_admin_adds_a_late_amendment_with_its_legal_source(admin_user: User) -> None:
    holiday = add_holiday(
        actor=admin_user,
        on=date(2025, 8, 18),
        name="Cuti Bersama Hari Kemerdekaan",
        kind=Holiday.Kind.CUTI_BERSAMA,
        legal_source=AMENDMENT,
    )

    assert (holiday.legal_source, holiday.is_imported) == (AMENDMENT, False)
    event = AuditEvent.objects.get(action="workdays.holiday.add")
    assert event.actor_id == admin_user.pk
    assert event.object_id == str(holiday.pk)
    assert event.summary == {
        "date": "2025-08-18",
        "kind": "cuti_bersama",
        "name": "Cuti Bersama Hari Kemerdekaan",
        "legal_source": AMENDMENT,
    }


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_admins_add_holidays(persona: str, request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(persona)
    before = _state()

    with pytest.raises(PermissionDenied):
        add_holiday(actor=actor, on=date(2026, 3, 26), name="X", kind="national", legal_source="Y")

    assert _state() == before


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_admins_remove_holidays(persona: str, request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(persona)
    holiday = HolidayFactory()
    before = _state()

    with pytest.raises(PermissionDenied):
        remove_holiday(holiday, actor=actor)

    assert _state() == before


def test_admin_removes_a_holiday_and_it_is_audited(admin_user: User) -> None:
    holiday = HolidayFactory(date=date(2026, 8, 17), name="Hari Kemerdekaan")
    pk = holiday.pk

    remove_holiday(holiday, actor=admin_user)

    assert not Holiday.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="workdays.holiday.remove")
    assert (event.object_id, event.summary["name"], event.summary["date"]) == (
        str(pk),
        "Hari Kemerdekaan",
        "2026-08-17",
    )


@pytest.mark.parametrize(
    ("name", "field", "code"),
    [
        ("Hari Kemerdekaan", "name", "duplicate"),
        ("hari kemerdekaan!", "name", "duplicate"),  # same URL slug
        ("   ", "name", "required"),
    ],
)
def test_bad_holiday_input_is_refused_with_a_code(admin_user: User, name: str, field: str, code: str) -> None:
    HolidayFactory(date=date(2026, 8, 17), name="Hari Kemerdekaan")
    before = _state()

    with pytest.raises(ValidationError) as raised:
        add_holiday(
            actor=admin_user, on=date(2026, 8, 17), name=name, kind="national", legal_source="Keppres"
        )

    assert raised.value.error_dict[field][0].code == code
    assert _state() == before


def test_same_name_as_a_different_kind_is_not_a_duplicate(admin_user: User) -> None:
    HolidayFactory(date=date(2026, 8, 17), name="Hari Kemerdekaan", kind=Holiday.Kind.NATIONAL)

    add_holiday(
        actor=admin_user, on=date(2026, 8, 17), name="Hari Kemerdekaan", kind="cuti_bersama", legal_source="x"
    )

    assert Holiday.objects.filter(date=date(2026, 8, 17)).count() == 2


def test_unit_head_closes_own_unit(unit_head: User, unit_a: ServiceUnit) -> None:
    closure = add_unit_closure(unit_a, actor=unit_head, on=date(2026, 3, 25), reason="Pelatihan pegawai")

    assert closure.unit == unit_a
    event = AuditEvent.objects.get(action="workdays.closure.add")
    assert event.actor_id == unit_head.pk
    assert event.summary == {
        "unit": unit_a.slug,
        "agency": unit_a.agency.slug,
        "date": "2026-03-25",
        "fields": ["reason"],
    }
    assert "Pelatihan" not in str(event.summary)


def test_admin_closes_any_unit(admin_user: User, unit_b: ServiceUnit) -> None:
    add_unit_closure(unit_b, actor=admin_user, on=date(2026, 3, 25), reason="Banjir")

    assert UnitClosure.objects.filter(unit=unit_b).count() == 1


@pytest.mark.parametrize(
    "persona", ["citizen", "officer", "front_officer", "other_agency_officer", "coordinator", "inspector"]
)
def test_others_cannot_close_a_unit(
    persona: str, request: pytest.FixtureRequest, unit_a: ServiceUnit
) -> None:
    actor = request.getfixturevalue(persona)
    before = _state()

    with pytest.raises(PermissionDenied):
        add_unit_closure(unit_a, actor=actor, on=date(2026, 3, 25), reason="x")

    assert _state() == before


def test_unit_head_cannot_close_another_unit(unit_head: User, unit_b: ServiceUnit) -> None:
    before = _state()

    with pytest.raises(PermissionDenied):
        add_unit_closure(unit_b, actor=unit_head, on=date(2026, 3, 25), reason="x")

    assert _state() == before


def test_former_unit_head_cannot_close_the_unit(unit_head: User, unit_a: ServiceUnit) -> None:
    StaffMembership.objects.filter(user=unit_head).update(is_active=False)

    with pytest.raises(PermissionDenied):
        add_unit_closure(unit_a, actor=unit_head, on=date(2026, 3, 25), reason="x")


def test_closure_in_the_past_is_refused(unit_head: User, unit_a: ServiceUnit) -> None:
    before = _state()

    with pytest.raises(ValidationError) as raised:
        add_unit_closure(unit_a, actor=unit_head, on=date(2026, 2, 27), reason="x")

    assert raised.value.error_dict["date"][0].code == "past_date"
    assert _state() == before


def test_closure_today_is_allowed(unit_head: User, unit_a: ServiceUnit) -> None:
    add_unit_closure(unit_a, actor=unit_head, on=date(2026, 3, 2), reason="Listrik padam")

    assert UnitClosure.objects.filter(unit=unit_a, date=date(2026, 3, 2)).exists()


def test_second_closure_on_the_same_day_is_refused(unit_head: User, unit_a: ServiceUnit) -> None:
    UnitClosureFactory(unit=unit_a, date=date(2026, 3, 25))
    before = _state()

    with pytest.raises(ValidationError) as raised:
        add_unit_closure(unit_a, actor=unit_head, on=date(2026, 3, 25), reason="x")

    assert raised.value.error_dict["date"][0].code == "duplicate"
    assert _state() == before


def test_unit_head_reopens_own_unit(unit_head: User, unit_a: ServiceUnit) -> None:
    closure = UnitClosureFactory(unit=unit_a, date=date(2026, 3, 25))

    remove_unit_closure(closure, actor=unit_head)

    assert not UnitClosure.objects.exists()
    assert AuditEvent.objects.filter(action="workdays.closure.remove", actor_id=unit_head.pk).count() == 1


def test_unit_head_of_another_unit_cannot_reopen(unit_b: ServiceUnit) -> None:
    from layanan.accounts.tests.factories import staff_with_role

    other_head = staff_with_role(Role.UNIT_HEAD, unit=unit_b)
    closure = UnitClosureFactory(date=date(2026, 3, 25))
    before = _state()

    with pytest.raises(PermissionDenied):
        remove_unit_closure(closure, actor=other_head)

    assert _state() == before


def test_past_closure_cannot_be_removed(unit_head: User, unit_a: ServiceUnit) -> None:
    closure = UnitClosureFactory(unit=unit_a, date=date(2026, 2, 27))
    before = _state()

    with pytest.raises(ValidationError):
        remove_unit_closure(closure, actor=unit_head)

    assert _state() == before
