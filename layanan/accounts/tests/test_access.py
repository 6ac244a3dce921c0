"""The persona matrix for every accounts page: who gets the page, who is sent elsewhere, who is
refused, and that a refused request changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from layanan.accounts.models import CitizenProfile, ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import AgencyFactory
from layanan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "citizen",
    "unverified_staff",
    "officer",
    "other_agency_officer",
    "unit_head",
    "admin",
]
STAFF = ["officer", "other_agency_officer", "unit_head", "admin"]
SIGN_IN = "/petugas/masuk/"


@dataclass
class Case:
    method: str
    path: str | Callable[[dict[str, object]], str]
    expected: dict[str, object]  # persona -> status, or (status, location prefix)
    data: Callable[[dict[str, object]], dict[str, str]] = field(default=lambda _world: {})
    # Personas whose request changes the database; for everyone else nothing may change.
    writers: frozenset[str] = frozenset()


def _everyone(outcome: object) -> dict[str, object]:
    return dict.fromkeys(PERSONAS, outcome)


def _staff_page(allowed: set[str], allowed_outcome: object = 200, denied: object = 403) -> dict[str, object]:
    outcomes: dict[str, object] = {
        "anonymous": (302, SIGN_IN + "?next="),
        "citizen": 403,
        "unverified_staff": (302, "/petugas/otp/daftar/?next="),
    }
    outcomes.update({name: allowed_outcome if name in allowed else denied for name in STAFF})
    return outcomes


CITIZEN_PAGE: dict[str, object] = {
    "anonymous": (302, "/masuk/?next="),
    "citizen": 200,
    **dict.fromkeys(["unverified_staff", *STAFF], 403),
}
PUBLIC_FORM: dict[str, object] = {**_everyone(200), "citizen": (302, "/akun/")}


def _new_staff(world: dict[str, object]) -> dict[str, str]:
    unit = world["unit_a"]
    assert isinstance(unit, ServiceUnit)
    return {
        "username": "baru.satu",
        "full_name": "Petugas Baru",
        "email": "baru@contoh.id",
        "role": Role.FRONT_OFFICE,
        "agency": str(unit.agency_id),
        "unit": str(unit.pk),
    }


def _deactivate_path(world: dict[str, object]) -> str:
    front_officer = world["front_officer"]
    assert isinstance(front_officer, User)
    return f"/petugas/staf/peran/{front_officer.memberships.get().public_id}/nonaktifkan/"


CASES = {
    "agency list": Case("get", "/instansi/", _everyone(200)),
    "agency detail": Case("get", "/instansi/disdukcapil/", _everyone(200)),
    "sign-up": Case("get", "/daftar/", PUBLIC_FORM),
    "sign-in": Case("get", "/masuk/", PUBLIC_FORM),
    "code without address": Case("get", "/masuk/kode/", _everyone((302, "/masuk/"))),
    "resend without address": Case("post", "/masuk/kode/kirim-ulang/", _everyone((302, "/masuk/"))),
    "profile": Case("get", "/akun/", CITIZEN_PAGE),
    "profile form": Case("get", "/akun/ubah/", CITIZEN_PAGE),
    "profile save": Case(
        "post",
        "/akun/ubah/",
        {**CITIZEN_PAGE, "citizen": (302, "/akun/")},
        data=lambda _world: {
            "full_name": "Nama Baru",
            "nik": "3273015508900009",
            "kk_number": "",
            "address": "X",
        },
        writers=frozenset({"citizen"}),
    ),
    "staff sign-in": Case(
        "get",
        SIGN_IN,
        {
            "anonymous": 200,
            "citizen": 200,
            "unverified_staff": (302, "/petugas/otp/daftar/"),
            **dict.fromkeys(STAFF, (302, "/petugas/")),
        },
    ),
    "staff code": Case(
        "get",
        "/petugas/masuk/otp/",
        {
            "anonymous": (302, SIGN_IN),
            "citizen": 403,
            "unverified_staff": (302, "/petugas/otp/daftar/"),
            **dict.fromkeys(STAFF, (302, "/petugas/")),
        },
    ),
    "staff enrolment": Case(
        "get",
        "/petugas/otp/daftar/",
        {
            "anonymous": (302, SIGN_IN),
            "citizen": 403,
            "unverified_staff": 200,
            **dict.fromkeys(STAFF, (302, "/petugas/")),
        },
    ),
    "password reset": Case("get", "/petugas/sandi/lupa/", _everyone(200)),
    "password reset sent": Case("get", "/petugas/sandi/lupa/terkirim/", _everyone(200)),
    "password reset with a bad link": Case("get", "/petugas/sandi/atur/MQ/bad-token/", _everyone(200)),
    "password reset complete": Case("get", "/petugas/sandi/atur/selesai/", _everyone(200)),
    "dashboard": Case("get", "/petugas/", _staff_page(set(STAFF))),
    "staff list": Case("get", "/petugas/staf/", _staff_page({"unit_head", "admin"})),
    "staff form": Case("get", "/petugas/staf/baru/", _staff_page({"unit_head", "admin"})),
    "staff create": Case(
        "post",
        "/petugas/staf/baru/",
        _staff_page({"unit_head", "admin"}, allowed_outcome=(302, "/petugas/staf/")),
        data=_new_staff,
        writers=frozenset({"unit_head", "admin"}),
    ),
    "membership deactivate": Case(
        "post",
        _deactivate_path,
        _staff_page({"unit_head", "admin"}, allowed_outcome=(302, "/petugas/staf/"), denied=404),
        writers=frozenset({"unit_head", "admin"}),
    ),
    "membership deactivate with GET": Case("get", _deactivate_path, _everyone(405)),
    "sign-out": Case("post", "/keluar/", _everyone((302, "/"))),
}


CLIENT_FIXTURES = {
    "anonymous": "client",
    "citizen": "citizen_client",
    "officer": "officer_client",
    "other_agency_officer": "other_agency_officer_client",
    "unit_head": "unit_head_client",
    "admin": "admin_client_verified",
}


def _client_for(persona: str, unit: ServiceUnit, request: pytest.FixtureRequest) -> Client:
    if persona != "unverified_staff":
        client: Client = request.getfixturevalue(CLIENT_FIXTURES[persona])
        return client
    # Signed in with the password, second factor not done yet.
    user = User.objects.create(username="belum.otp", kind=User.Kind.STAFF)
    StaffMembership.objects.create(user=user, role=Role.BACK_OFFICE, unit=unit, agency=unit.agency)
    client = Client()
    client.force_login(user)
    return client


def _state() -> tuple[int, ...]:
    return (
        User.objects.count(),
        StaffMembership.objects.filter(is_active=True).count(),
        CitizenProfile.objects.exclude(nik="").count(),
        TOTPDevice.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case_name", list(CASES))
def test_persona_matrix(
    case_name: str, persona: str, unit_a: ServiceUnit, front_officer: User, request: pytest.FixtureRequest
) -> None:
    case = CASES[case_name]
    world: dict[str, object] = {"unit_a": unit_a, "front_officer": front_officer}
    client = _client_for(persona, unit_a, request)
    path = case.path(world) if callable(case.path) else case.path
    expected = case.expected[persona]
    status, location = expected if isinstance(expected, tuple) else (expected, None)
    before = _state()

    response = getattr(client, case.method)(path, case.data(world))

    assert response.status_code == status, response.content.decode()[-2000:]
    if location is not None:
        assert response["Location"].startswith(location)
    if persona not in case.writers:
        assert _state() == before


def test_agency_detail_of_unknown_or_inactive_agency_is_404(client: Client) -> None:
    AgencyFactory(slug="tutup", is_active=False)

    assert client.get("/instansi/tutup/").status_code == 404
    assert client.get("/instansi/tidak-ada/").status_code == 404
