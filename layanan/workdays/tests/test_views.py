from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import staff_with_role
from layanan.audit.models import AuditEvent
from layanan.workdays.calendar import JAKARTA
from layanan.workdays.models import Holiday, UnitClosure
from layanan.workdays.tests.factories import HolidayFactory, UnitClosureFactory

pytestmark = pytest.mark.django_db

LIST = "/petugas/kalender/"
ADD = "/petugas/kalender/tambah/"
CLOSURES = "/petugas/penutupan/"
ADD_CLOSURE = "/petugas/penutupan/tambah/"
PUBLIC = "/hari-libur/"
SIGN_IN = "/petugas/masuk/"

CLIENTS = {
    "anonymous": "client",
    "citizen": "citizen_client",
    "officer": "officer_client",
    "other_agency_officer": "other_agency_officer_client",
    "unit_head": "unit_head_client",
    "admin": "admin_client_verified",
}


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    """Monday 2 March 2026, 09:00 in Jakarta."""
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=JAKARTA), tick=False)


def _client(persona: str, request: pytest.FixtureRequest) -> Client:
    client: Client = request.getfixturevalue(CLIENTS[persona])
    return client


def _state() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int]:
    return (
        list(Holiday.objects.values_list("date", "kind", "name", "legal_source")),
        list(UnitClosure.objects.values_list("unit_id", "date", "reason")),
        AuditEvent.objects.count(),
    )


def _holiday_form(**overrides: str) -> dict[str, str]:
    data = {
        "date": "2026-03-26",
        "name": "Cuti Bersama Tambahan",
        "kind": "cuti_bersama",
        "legal_source": "SKB 3 Menteri perubahan 2026",
    }
    data.update(overrides)
    return data


def _closure_key(unit: ServiceUnit) -> str:
    return f"{unit.agency.slug}/{unit.slug}"


def _remove_url(closure: UnitClosure) -> str:
    return (
        f"/petugas/penutupan/{closure.unit.agency.slug}/{closure.unit.slug}/{closure.date.isoformat()}/hapus/"
    )


# --- Public holiday page -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", list(CLIENTS))
def test_public_holiday_page_is_open_to_everyone(persona: str, request: pytest.FixtureRequest) -> None:
    HolidayFactory(date=date(2026, 8, 17), name="Hari Kemerdekaan Republik Indonesia")
    HolidayFactory(date=date(2026, 3, 20), name="Cuti Bersama Hari Raya Idul Fitri", kind="cuti_bersama")

    response = _client(persona, request).get(PUBLIC, {"tahun": 2026})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Hari Kemerdekaan Republik Indonesia" in body
    assert "Cuti Bersama Hari Raya Idul Fitri" in body
    assert "Hapus" not in body
    assert "Remove" not in body


def test_public_holiday_page_defaults_to_this_year_in_indonesian(client: Client) -> None:
    HolidayFactory(date=date(2026, 8, 17), name="Hari Kemerdekaan Republik Indonesia")
    HolidayFactory(date=date(2025, 8, 17), name="Tahun lalu")

    body = client.get(PUBLIC).content.decode()

    assert "Hari Kemerdekaan Republik Indonesia" in body
    assert "Tahun lalu" not in body
    assert "Senin, 17 Agustus 2026" in body
    assert "Libur nasional" in body


def test_public_holiday_page_in_english(client: Client) -> None:
    HolidayFactory(date=date(2026, 8, 17))
    client.cookies["layanan_language"] = "en"

    body = client.get(PUBLIC).content.decode()

    assert "Monday, 17 August 2026" in body
    assert "National holidays" in body


@pytest.mark.parametrize("year", ["abc", "99999", "", "1900"])
def test_bad_year_gives_a_form_error_not_a_500(client: Client, year: str) -> None:
    response = client.get(PUBLIC, {"tahun": year})

    assert response.status_code == 200
    assert 'class="error-message"' in response.content.decode()


def test_public_page_query_count_does_not_grow(
    client: Client, django_assert_num_queries: Callable[..., Any]
) -> None:
    for day in range(1, 6):
        HolidayFactory(date=date(2026, 5, day))
    client.get(PUBLIC)  # warm the session and language machinery

    with django_assert_num_queries(1):
        client.get(PUBLIC)
    for day in range(6, 26):
        HolidayFactory(date=date(2026, 5, day))
    with django_assert_num_queries(1):
        client.get(PUBLIC)


# --- Staff holiday list -----------------------------------------------------------------------------


def test_holiday_list_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{SIGN_IN}?next=/petugas/kalender/")


def test_holiday_list_sends_staff_without_totp_to_the_second_factor(officer: User) -> None:
    client = Client()
    client.force_login(officer)

    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/petugas/otp/daftar/?next=/petugas/kalender/")


@pytest.mark.parametrize(
    ("persona", "status", "sees_form"),
    [
        ("citizen", 403, False),
        ("officer", 200, False),
        ("other_agency_officer", 200, False),
        ("unit_head", 200, False),
        ("admin", 200, True),
    ],
)
def test_holiday_list_persona_matrix(
    persona: str, status: int, sees_form: bool, request: pytest.FixtureRequest
) -> None:
    HolidayFactory(date=date(2026, 8, 17), name="Hari Kemerdekaan Republik Indonesia")

    response = _client(persona, request).get(LIST, {"tahun": 2026})

    assert response.status_code == status
    body = response.content.decode()
    if status == 200:
        assert "Hari Kemerdekaan Republik Indonesia" in body
        assert "SKB 3 Menteri Nomor 1497" in body
    assert ('action="/petugas/kalender/tambah/"' in body) is sees_form
    assert (
        "/petugas/kalender/2026-08-17/libur-nasional/hari-kemerdekaan-republik-indonesia/hapus/" in body
    ) is sees_form


def test_holiday_list_query_count_does_not_grow(
    admin_client_verified: Client, django_assert_num_queries: Callable[..., Any]
) -> None:
    for day in range(1, 4):
        HolidayFactory(date=date(2026, 5, day))
    admin_client_verified.get(LIST)

    # session, user, OTP device, admin roles, holidays
    with django_assert_num_queries(5):
        admin_client_verified.get(LIST)
    for day in range(4, 30):
        HolidayFactory(date=date(2026, 5, day))
    with django_assert_num_queries(5):
        admin_client_verified.get(LIST)


# --- Adding and removing holidays -------------------------------------------------------------------


def test_admin_adds_a_holiday(admin_client_verified: Client, admin_user: User) -> None:
    response = admin_client_verified.post(ADD, _holiday_form())

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?tahun=2026"
    holiday = Holiday.objects.get()
    assert (holiday.date, holiday.kind, holiday.legal_source) == (
        date(2026, 3, 26),
        "cuti_bersama",
        "SKB 3 Menteri perubahan 2026",
    )
    assert AuditEvent.objects.filter(action="workdays.holiday.add", actor_id=admin_user.pk).count() == 1
    assert "Cuti Bersama Tambahan" in admin_client_verified.get(response["Location"]).content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "officer", "other_agency_officer", "unit_head"])
def test_others_cannot_add_holidays(persona: str, request: pytest.FixtureRequest) -> None:
    before = _state()

    response = _client(persona, request).post(ADD, _holiday_form())

    assert response.status_code == (302 if persona == "anonymous" else 403)
    assert _state() == before


def test_holiday_form_errors_keep_what_was_typed(admin_client_verified: Client) -> None:
    before = _state()

    response = admin_client_verified.post(ADD, _holiday_form(date="bukan tanggal", legal_source=""))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Masukkan tanggal yang valid." in body
    assert 'value="bukan tanggal"' in body
    assert 'value="Cuti Bersama Tambahan"' in body
    assert 'class="error-summary"' in body
    assert _state() == before


def test_holiday_form_errors_in_english(admin_client_verified: Client) -> None:
    admin_client_verified.cookies["layanan_language"] = "en"

    body = admin_client_verified.post(ADD, _holiday_form(date="2026-02-30")).content.decode()

    assert "Enter a valid date." in body


def test_duplicate_holiday_is_a_form_error(admin_client_verified: Client) -> None:
    HolidayFactory(date=date(2026, 3, 26), name="Cuti Bersama Tambahan", kind="cuti_bersama")
    before = _state()

    response = admin_client_verified.post(ADD, _holiday_form())

    assert response.status_code == 200
    assert "Hari libur ini sudah ada di kalender." in response.content.decode()
    assert _state() == before


def test_admin_removes_a_holiday(admin_client_verified: Client) -> None:
    HolidayFactory(date=date(2026, 3, 20), name="Cuti Bersama Hari Raya Idul Fitri", kind="cuti_bersama")
    HolidayFactory(date=date(2026, 3, 20), name="Another", kind="national")

    response = admin_client_verified.post(
        "/petugas/kalender/2026-03-20/cuti-bersama/cuti-bersama-hari-raya-idul-fitri/hapus/"
    )

    assert response.status_code == 302
    assert list(Holiday.objects.values_list("name", flat=True)) == ["Another"]
    assert AuditEvent.objects.filter(action="workdays.holiday.remove").count() == 1


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "officer", "other_agency_officer", "unit_head"])
def test_others_cannot_remove_holidays(persona: str, request: pytest.FixtureRequest) -> None:
    HolidayFactory(date=date(2026, 3, 20), name="Idul Fitri", kind="cuti_bersama")
    before = _state()

    response = _client(persona, request).post("/petugas/kalender/2026-03-20/cuti-bersama/idul-fitri/hapus/")

    assert response.status_code == (302 if persona == "anonymous" else 403)
    assert _state() == before


@pytest.mark.parametrize(
    "url",
    [
        "/petugas/kalender/2026-02-30/cuti-bersama/idul-fitri/hapus/",  # no such date
        "/petugas/kalender/2026-03-20/libur-nasional/idul-fitri/hapus/",  # other kind
        "/petugas/kalender/2026-03-20/cuti/idul-fitri/hapus/",  # unknown kind
        "/petugas/kalender/2026-03-20/cuti-bersama/lain/hapus/",  # other name
    ],
)
def test_removing_a_missing_holiday_is_404(admin_client_verified: Client, url: str) -> None:
    HolidayFactory(date=date(2026, 3, 20), name="Idul Fitri", kind="cuti_bersama")

    assert admin_client_verified.post(url).status_code == 404
    assert Holiday.objects.count() == 1


def test_remove_needs_post(admin_client_verified: Client) -> None:
    HolidayFactory(date=date(2026, 3, 20), name="Idul Fitri", kind="cuti_bersama")

    assert (
        admin_client_verified.get("/petugas/kalender/2026-03-20/cuti-bersama/idul-fitri/hapus/").status_code
        == 405
    )
    assert Holiday.objects.count() == 1


# --- Unit closures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("citizen", 403), ("officer", 403), ("other_agency_officer", 403), ("unit_head", 200), ("admin", 200)],
)
def test_closure_list_persona_matrix(
    persona: str, status: int, request: pytest.FixtureRequest, unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    UnitClosureFactory(unit=unit_a, date=date(2026, 3, 25), reason="Pelatihan unit A")
    UnitClosureFactory(unit=unit_b, date=date(2026, 3, 26), reason="Pindahan unit B")

    response = _client(persona, request).get(CLOSURES)

    assert response.status_code == status
    body = response.content.decode()
    if persona == "unit_head":
        assert "Pelatihan unit A" in body
        assert "Pindahan unit B" not in body
    if persona == "admin":
        assert "Pelatihan unit A" in body
        assert "Pindahan unit B" in body


def test_closure_list_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    assert client.get(CLOSURES)["Location"].startswith(SIGN_IN)


def test_past_closures_are_listed_without_a_remove_button(
    unit_head_client: Client, unit_a: ServiceUnit
) -> None:
    past = UnitClosureFactory(unit=unit_a, date=date(2026, 2, 27))
    coming = UnitClosureFactory(unit=unit_a, date=date(2026, 3, 25))

    body = unit_head_client.get(CLOSURES).content.decode()

    assert _remove_url(past) not in body
    assert _remove_url(coming) in body


def test_closure_list_query_count_does_not_grow(
    unit_head_client: Client, unit_a: ServiceUnit, django_assert_num_queries: Callable[..., Any]
) -> None:
    UnitClosureFactory(unit=unit_a, date=date(2026, 3, 3))
    unit_head_client.get(CLOSURES)

    # session, user, OTP device, admin roles, units headed, closures
    with django_assert_num_queries(6):
        unit_head_client.get(CLOSURES)
    for day in range(4, 28):
        UnitClosureFactory(unit=unit_a, date=date(2026, 3, day))
    with django_assert_num_queries(6):
        unit_head_client.get(CLOSURES)


def test_unit_head_adds_a_closure(unit_head_client: Client, unit_head: User, unit_a: ServiceUnit) -> None:
    response = unit_head_client.post(
        ADD_CLOSURE, {"unit": _closure_key(unit_a), "date": "2026-03-25", "reason": "Pelatihan pegawai"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{CLOSURES}?tahun=2026"
    assert UnitClosure.objects.get().unit == unit_a
    assert AuditEvent.objects.filter(action="workdays.closure.add", actor_id=unit_head.pk).count() == 1


def test_unit_head_cannot_pick_another_unit(unit_head_client: Client, unit_b: ServiceUnit) -> None:
    before = _state()

    response = unit_head_client.post(
        ADD_CLOSURE, {"unit": _closure_key(unit_b), "date": "2026-03-25", "reason": "x"}
    )

    assert response.status_code == 200
    assert 'class="error-message"' in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "officer", "other_agency_officer"])
def test_others_cannot_add_closures(
    persona: str, request: pytest.FixtureRequest, unit_a: ServiceUnit
) -> None:
    before = _state()

    response = _client(persona, request).post(
        ADD_CLOSURE, {"unit": _closure_key(unit_a), "date": "2026-03-25", "reason": "x"}
    )

    assert response.status_code == (302 if persona == "anonymous" else 403)
    assert _state() == before


def test_admin_adds_a_closure_to_any_unit(admin_client_verified: Client, unit_b: ServiceUnit) -> None:
    response = admin_client_verified.post(
        ADD_CLOSURE, {"unit": _closure_key(unit_b), "date": "2026-03-25", "reason": "Banjir"}
    )

    assert response.status_code == 302
    assert UnitClosure.objects.get().unit == unit_b


@pytest.mark.parametrize(
    ("date_typed", "message"),
    [
        ("kemarin", "Masukkan tanggal yang valid."),
        ("2026-02-27", "Penutupan pada tanggal yang sudah lewat tidak dapat diubah."),
        ("2026-03-25", "Unit ini sudah ditutup pada hari itu."),
    ],
)
def test_closure_form_errors(
    unit_head_client: Client, unit_a: ServiceUnit, date_typed: str, message: str
) -> None:
    UnitClosureFactory(unit=unit_a, date=date(2026, 3, 25))
    before = _state()

    response = unit_head_client.post(
        ADD_CLOSURE, {"unit": _closure_key(unit_a), "date": date_typed, "reason": "Rapat kerja"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="Rapat kerja"' in body
    assert _state() == before


def test_unit_head_removes_a_closure(unit_head_client: Client, unit_a: ServiceUnit) -> None:
    closure = UnitClosureFactory(unit=unit_a, date=date(2026, 3, 25))

    response = unit_head_client.post(_remove_url(closure))

    assert response.status_code == 302
    assert not UnitClosure.objects.exists()
    assert AuditEvent.objects.filter(action="workdays.closure.remove").count() == 1


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "officer", "other_agency_officer"])
def test_others_cannot_remove_closures(
    persona: str, request: pytest.FixtureRequest, unit_a: ServiceUnit
) -> None:
    closure = UnitClosureFactory(unit=unit_a, date=date(2026, 3, 25))
    before = _state()

    response = _client(persona, request).post(_remove_url(closure))

    assert response.status_code == (302 if persona == "anonymous" else 403)
    assert _state() == before


def test_unit_head_cannot_remove_another_units_closure(unit_head_client: Client, unit_b: ServiceUnit) -> None:
    staff_with_role(Role.UNIT_HEAD, unit=unit_b)
    closure = UnitClosureFactory(unit=unit_b, date=date(2026, 3, 25))
    before = _state()

    assert unit_head_client.post(_remove_url(closure)).status_code == 403
    assert _state() == before


def test_removing_a_past_closure_says_why(unit_head_client: Client, unit_a: ServiceUnit) -> None:
    closure = UnitClosureFactory(unit=unit_a, date=date(2026, 2, 27))
    before = _state()

    response = unit_head_client.post(_remove_url(closure), follow=True)

    assert response.status_code == 200
    assert "Penutupan pada tanggal yang sudah lewat tidak dapat diubah." in response.content.decode()
    assert _state() == before


def test_removing_a_missing_closure_is_404(admin_client_verified: Client, unit_a: ServiceUnit) -> None:
    url = f"/petugas/penutupan/{unit_a.agency.slug}/{unit_a.slug}/2026-03-25/hapus/"

    assert admin_client_verified.post(url).status_code == 404
