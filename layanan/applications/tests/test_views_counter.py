"""The counter (assisted channel): a front-office officer applies for a walk-in citizen, and the
citizen claims the application online. Journeys, form errors, the persona matrix, idempotency,
and what must never show (the NIK in URLs, the session or the audit log)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import resolve, reverse

from layanan.accounts.models import CitizenProfile, ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import (
    OTHER_VALID_NIK,
    VALID_NIK,
    CitizenFactory,
    citizen_profile_with_nik,
    last_sent_code,
    region,
    staff_with_role,
)
from layanan.applications.actions import submit_application
from layanan.applications.models import Application, ApplicationDocument
from layanan.applications.permissions import can_view_application
from layanan.applications.tests.factories import complete_answers, png_upload, vault_document
from layanan.applications.views.counter import CLAIM_ATTEMPTS_PER_HOUR, SESSION_KEY
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import ServiceFactory, service_with_adopted_standard
from layanan.core.references import check_secret, make_reference
from layanan.core.testing import verified_client
from layanan.vault.models import VaultDocument

pytestmark = pytest.mark.django_db

START = "/petugas/loket/"
CITIZEN = "/petugas/loket/warga/"
FORM = "/petugas/loket/formulir/"
CLAIM = "/akun/permohonan/klaim/"
VILLAGE = "33.02.01.2001"
WRONG_CLAIM = "The reference number or the tracking code is not right."


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_with_adopted_standard(
        unit=unit_a, slug="kartu-keluarga", name="Kartu Keluarga", channel="both"
    )


@pytest.fixture
def village(db: None) -> str:
    region(VILLAGE, "Desa Karangsari")
    return VILLAGE


def _english(client: Client) -> Client:
    client.cookies["layanan_language"] = "en"
    return client


@pytest.fixture
def counter(front_officer: User) -> Client:
    return _english(verified_client(front_officer))


def _text(response: Any) -> str:
    return str(response.content.decode())


def _state() -> tuple[int, int, int, int, int]:
    return (
        Application.objects.count(),
        User.objects.count(),
        CitizenProfile.objects.count(),
        VaultDocument.objects.count(),
        AuditEvent.objects.count(),
    )


def _find(client: Client, service: Service, nik: str = VALID_NIK) -> Any:
    return client.post(START, {"service": service.slug, "nik": nik})


def _register(client: Client, **changes: str) -> Any:
    data = {
        "full_name": "Wahyu Hidayat",
        "phone": "0813 1111 2222",
        "address": "Jl. Kenanga 5",
        "consent": "on",
    }
    data.update(changes)
    return client.post(CITIZEN, {key: value for key, value in data.items() if value is not None})


def _form_data(**changes: Any) -> dict[str, Any]:
    village = VILLAGE
    province, regency, district = village[:2], village[:5], village[:8]
    data: dict[str, Any] = {
        "nama": "Wahyu Hidayat",
        "nik": VALID_NIK,
        "telepon": "0813 1111 2222",
        "alamat__street": "Jl. Kenanga 5 RT 01/RW 02",
        "alamat__province": province,
        "alamat__regency": regency,
        "alamat__district": district,
        "alamat__village": village,
        "q_3": "tidak",
        "pernyataan": "on",
        "action": "submit",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _registered_walk_in(client: Client, service: Service) -> User:
    _find(client, service)
    _register(client)
    return CitizenProfile.objects.select_related("user").get(nik_index__isnull=False).user


# --- Access: the persona matrix --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("officer", 403),  # back office of the same unit
        ("unit_head", 403),
        ("inspector", 403),
        ("admin_user", 403),
    ],
)
def test_only_front_office_officers_open_the_counter(
    request: pytest.FixtureRequest, service: Service, persona: str, expected: int
) -> None:
    if persona == "anonymous":
        client = Client()
    elif persona == "citizen":
        client = Client()
        client.force_login(request.getfixturevalue("citizen"))
    else:
        client = verified_client(request.getfixturevalue(persona))

    assert client.get(START).status_code == expected
    before = _state()
    assert _find(client, service).status_code == expected
    assert _state() == before
    assert SESSION_KEY not in client.session


def test_front_officer_opens_the_counter(counter: Client, service: Service) -> None:
    page = _text(counter.get(START))

    assert service.name in page
    assert _find(counter, service)["Location"] == CITIZEN


def test_back_office_officer_cannot_register_a_citizen_or_apply(officer: User, service: Service) -> None:
    client = verified_client(officer)
    before = _state()

    for url, data in [
        (START, {"service": service.slug, "nik": VALID_NIK}),
        (CITIZEN, {}),
        (FORM, _form_data()),
    ]:
        assert client.post(url, data).status_code == 403

    assert _state() == before


def test_front_officer_of_another_unit_is_refused_the_service(unit_b: ServiceUnit, service: Service) -> None:
    other = verified_client(staff_with_role(Role.FRONT_OFFICE, unit=unit_b))
    ServiceFactory(unit=unit_b)  # the other officer has a unit of their own
    before = _state()

    response = _find(other, service)

    assert response.status_code == 403
    assert _state() == before
    assert SESSION_KEY not in other.session


def test_officer_who_loses_the_role_mid_way_is_refused_and_nothing_is_sent(
    counter: Client, front_officer: User, service: Service, village: str
) -> None:
    _registered_walk_in(counter, service)
    StaffMembership.objects.filter(user=front_officer).update(is_active=False)
    before = _state()

    assert counter.post(FORM, _form_data()).status_code == 403

    assert _state() == before


def test_start_page_lists_the_counter_services_of_the_officers_units_only(
    counter: Client,
    service: Service,
    unit_a: ServiceUnit,
    unit_b: ServiceUnit,
    django_assert_num_queries: Any,
) -> None:
    online_only = service_with_adopted_standard(unit=unit_a, name="Hanya Daring", channel="online")
    counter_only = service_with_adopted_standard(unit=unit_a, name="Hanya Loket", channel="counter")
    no_standard = ServiceFactory(unit=unit_a, name="Belum Ada Standar", channel="both")
    elsewhere = service_with_adopted_standard(unit=unit_b, name="Unit Lain", channel="both")

    with django_assert_num_queries(7):
        page = _text(counter.get(START))

    assert service.name in page
    assert counter_only.name in page
    for hidden in (online_only, no_standard, elsewhere):
        assert hidden.name not in page


# --- Finding the citizen -----------------------------------------------------------------------------


def test_bad_nik_comes_back_with_a_message_and_the_choice_kept(counter: Client, service: Service) -> None:
    response = _find(counter, service, nik="3273 0155 089")

    assert response.status_code == 200
    page = _text(response)
    assert "The NIK has 16 digits; you entered 11." in page
    assert f'value="{service.slug}" checked' in page or "checked" in page
    assert SESSION_KEY not in counter.session


def test_found_citizen_is_shown_masked_and_the_nik_never_in_a_url_or_the_session(
    counter: Client, citizen: User, service: Service
) -> None:
    citizen_profile_with_nik(citizen, nik=VALID_NIK)
    citizen.phone = "+6281234567890"
    citizen.save()

    response = _find(counter, service, nik="3273-0155-0890-0009")

    assert response.status_code == 302
    assert response["Location"] == CITIZEN
    assert VALID_NIK not in json.dumps(dict(counter.session.items()))
    page = _text(counter.get(CITIZEN))
    assert "Siti Rahmawati" in page
    assert "3273********0009" in page
    assert "0812*****890" in page
    assert VALID_NIK not in page
    assert "6281234567890" not in page


def test_consent_is_required_for_a_found_citizen(counter: Client, citizen: User, service: Service) -> None:
    citizen_profile_with_nik(citizen, nik=VALID_NIK)
    _find(counter, service)
    before = _state()

    response = counter.post(CITIZEN, {})

    assert response.status_code == 200
    assert "without their consent you cannot apply for them" in _text(response)
    assert counter.get(FORM)["Location"] == CITIZEN
    assert counter.post(FORM, _form_data()).status_code == 302
    assert _state() == before


def test_consent_is_required_to_register_a_citizen(counter: Client, service: Service) -> None:
    _find(counter, service)
    before = _state()

    response = _register(counter, consent=None)  # type: ignore[arg-type]

    assert response.status_code == 200
    page = _text(response)
    assert "without their consent you cannot apply for them" in page
    assert 'value="Wahyu Hidayat"' in page  # nothing typed is lost
    assert _state() == before


def test_registering_with_a_phone_that_has_an_account_explains_what_to_do(
    counter: Client, service: Service
) -> None:
    from layanan.accounts.tests.factories import citizen_with_phone

    citizen_with_phone("+6281311112222")
    _find(counter, service)
    before = _state()

    response = _register(counter)

    assert response.status_code == 200
    assert "This mobile number already belongs to an account" in _text(response)
    assert _state() == before


# --- Happy paths ---------------------------------------------------------------------------------------


def test_found_citizen_journey_with_documents_from_the_vault(
    counter: Client, front_officer: User, citizen: User, service: Service, village: str
) -> None:
    citizen_profile_with_nik(
        citizen, nik=VALID_NIK, address="Jl. Pemuda 3", region=region("33.02", "Banyumas")
    )
    ktp, kk = vault_document(citizen, "ktp"), vault_document(citizen, "kk")
    _find(counter, service)
    assert counter.post(CITIZEN, {"consent": "on"})["Location"] == FORM

    page = _text(counter.get(FORM))
    assert 'value="Siti Rahmawati"' in page  # prefilled from the profile
    assert 'value="Jl. Pemuda 3"' in page
    assert '<option value="33.02" selected>' in page
    assert str(ktp.public_id) in page
    assert "Only when the answer to “hanya jika pemohon diwakilkan” is “Yes”." in page
    assert 'name="consent"' in _text(counter.get(CITIZEN))
    assert not re.search(r'name="consent"[^>]*checked', _text(counter.get(CITIZEN)))  # asked again

    response = counter.post(
        FORM,
        _form_data(
            **{"nama": "Siti Rahmawati", "dok_1_ktp": str(ktp.public_id), "dok_2_kk": str(kk.public_id)}
        ),
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/petugas/loket/tanda-terima/{application.reference}/"
    assert application.channel == Application.Channel.COUNTER
    assert application.applicant == citizen
    assert application.submitted_by == front_officer
    assert application.consent_recorded_at is not None
    assert application.answer_data()["alamat"] == {"street": "Jl. Kenanga 5 RT 01/RW 02", "region": VILLAGE}
    shared = set(
        ApplicationDocument.objects.filter(application=application).values_list("vault_document", flat=True)
    )
    assert shared == {ktp.pk, kk.pk}
    submitted = AuditEvent.objects.get(action="applications.submitted")
    assert submitted.summary["channel"] == "counter"
    assert submitted.summary["consent"] is True
    assert SESSION_KEY not in counter.session

    receipt = _text(counter.get(response["Location"]))
    assert application.reference in receipt
    secret = receipt.split('<p class="reference">')[1].split("</p>")[0].strip()
    assert check_secret(secret, application.tracking_secret_digest)
    assert "How to follow it online" in receipt
    assert "0812*****890" not in receipt  # the citizen has no phone: the other ways are explained
    again = _text(counter.get(response["Location"]))
    assert application.reference in again
    assert secret not in again  # the tracking code is shown once


def test_walk_in_journey_registers_the_citizen_and_stores_the_scans_in_their_vault(
    counter: Client, front_officer: User, service: Service, village: str
) -> None:
    _find(counter, service)
    assert _register(counter)["Location"] == FORM
    walk_in = User.objects.get(username__startswith="warga-")
    assert walk_in.phone == "+6281311112222"

    response = counter.post(
        FORM,
        _form_data(
            **{
                "dok_1_ktp__upload": png_upload("ktp scan.png"),
                "dok_2_kk__upload": png_upload("kk.png"),
            }
        ),
    )

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant == walk_in
    documents = VaultDocument.objects.filter(owner=walk_in)
    assert {document.document_type for document in documents} == {"ktp", "kk"}
    assert all(document.uploaded_by == front_officer for document in documents)
    assert ApplicationDocument.objects.filter(application=application).count() == 2
    receipt = _text(counter.get(response["Location"]))
    assert "0813*****222" in receipt  # sign in with the phone given at the counter


def test_validation_errors_keep_everything_including_the_uploaded_scan(
    counter: Client, service: Service, village: str
) -> None:
    walk_in = _registered_walk_in(counter, service)

    response = counter.post(
        FORM,
        _form_data(
            **{
                "nama": "Wahyu Hidayat Typed",
                "telepon": "12345",
                "pernyataan": None,
                "dok_1_ktp__upload": png_upload("ktp.png"),
            }
        ),
    )

    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert "Enter a mobile number that starts with 08" in page
    assert "Tick the box to confirm the declaration." in page
    assert "Choose or upload this document." in page  # the KK is missing
    assert 'value="Wahyu Hidayat Typed"' in page
    scan = VaultDocument.objects.get(owner=walk_in, document_type="ktp")
    assert re.search(rf'value="{scan.public_id}"[^>]* checked', page)
    assert "It is kept in the citizen&#x27;s document vault." in page
    assert "Mobile number (optional)" in page
    assert Application.objects.count() == 0
    # The work in progress is in the session, encrypted.
    stored = json.dumps(dict(counter.session.items()))
    assert "Wahyu" not in stored
    assert VALID_NIK not in stored
    page = _text(counter.get(FORM))
    assert 'value="Wahyu Hidayat Typed"' in page
    assert re.search(rf'value="{scan.public_id}"[^>]* checked', page)


def test_a_scan_that_is_not_a_document_is_refused_on_its_field(
    counter: Client, service: Service, village: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    _registered_walk_in(counter, service)
    fake = SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = counter.post(FORM, _form_data(**{"dok_1_ktp__upload": fake}))

    assert response.status_code == 200
    assert "The file is not a real" in _text(response)
    assert Application.objects.count() == 0


def test_choosing_a_region_saves_and_shows_the_next_level(
    counter: Client, service: Service, village: str
) -> None:
    _registered_walk_in(counter, service)

    response = counter.post(
        FORM,
        _form_data(
            **{
                "alamat__regency": None,
                "alamat__district": None,
                "alamat__village": None,
                "action": "pick:alamat",
            }
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{FORM}#field-alamat"
    page = _text(counter.get(FORM))
    assert '<option value="33" selected>' in page
    assert '<option value="33.02">' in page  # the regencies of the province are offered now
    assert "alamat__district" not in page
    assert Application.objects.count() == 0


def test_a_region_that_does_not_exist_is_refused(counter: Client, service: Service, village: str) -> None:
    _registered_walk_in(counter, service)

    response = counter.post(FORM, _form_data(**{"alamat__village": "33.02.01.2999"}))

    assert response.status_code == 200
    assert Application.objects.count() == 0


# --- Idempotency -------------------------------------------------------------------------------------


def test_a_second_submit_after_the_first_finished_goes_to_the_same_receipt(
    counter: Client, service: Service, village: str
) -> None:
    _registered_walk_in(counter, service)
    uploads = {"dok_1_ktp__upload": png_upload(), "dok_2_kk__upload": png_upload("kk.png")}

    first = counter.post(FORM, _form_data(**uploads))
    second = counter.post(FORM, _form_data(**uploads))

    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_double_click_with_the_same_session_makes_one_application(
    counter: Client, service: Service, village: str
) -> None:
    walk_in = _registered_walk_in(counter, service)
    ktp, kk = vault_document(walk_in, "ktp"), vault_document(walk_in, "kk")
    data = _form_data(**{"dok_1_ktp": str(ktp.public_id), "dok_2_kk": str(kk.public_id)})
    session_key = counter.session.session_key
    before_submit = dict(counter.session.items())

    first = counter.post(FORM, data)
    # The second click left with the session as it was before the first one finished.
    store = SessionStore(session_key=session_key)
    store.update(before_submit)
    store.save()
    second = counter.post(FORM, data)

    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert AuditEvent.objects.filter(action="applications.submitted").count() == 1


def test_a_double_click_that_uploads_the_scans_twice_still_makes_one_application(
    counter: Client, service: Service, village: str
) -> None:
    _registered_walk_in(counter, service)
    session_key = counter.session.session_key
    before_submit = dict(counter.session.items())

    first = counter.post(
        FORM, _form_data(**{"dok_1_ktp__upload": png_upload(), "dok_2_kk__upload": png_upload()})
    )
    store = SessionStore(session_key=session_key)
    store.update(before_submit)
    store.save()
    second = counter.post(
        FORM, _form_data(**{"dok_1_ktp__upload": png_upload(), "dok_2_kk__upload": png_upload()})
    )

    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_discarding_clears_the_work_in_progress(counter: Client, service: Service) -> None:
    _find(counter, service)

    assert counter.post("/petugas/loket/batal/")["Location"] == START

    assert SESSION_KEY not in counter.session
    assert counter.get(FORM)["Location"] == START


# --- The receipt -------------------------------------------------------------------------------------


def test_receipt_only_for_front_officers_of_the_unit(
    counter: Client, service: Service, village: str, unit_b: ServiceUnit, officer: User
) -> None:
    _registered_walk_in(counter, service)
    location = counter.post(
        FORM, _form_data(**{"dok_1_ktp__upload": png_upload(), "dok_2_kk__upload": png_upload()})
    )["Location"]

    assert verified_client(staff_with_role(Role.FRONT_OFFICE, unit=unit_b)).get(location).status_code == 403
    assert verified_client(officer).get(location).status_code == 403
    colleague = verified_client(staff_with_role(Role.FRONT_OFFICE, unit=service.unit))
    page = _text(colleague.get(location))
    assert Application.objects.get().reference in page
    assert '<p class="reference">' not in page  # the code was for the officer who applied


# --- Claiming -----------------------------------------------------------------------------------------


@pytest.fixture
def counter_application(front_officer: User, service: Service) -> tuple[Application, str]:
    """An application made at the counter for an account without a profile (the NIK in the form)."""
    holder = CitizenFactory(email="")
    submission = submit_application(
        service=service,
        applicant=holder,
        answers=complete_answers(service, holder),
        actor=front_officer,
        channel=Application.Channel.COUNTER,
        consent=True,
    )
    assert submission.secret is not None
    return submission.application, submission.secret


@pytest.fixture
def claimant(db: None) -> User:
    user: User = CitizenFactory(full_name="Budi Pemilik")
    citizen_profile_with_nik(user, nik=OTHER_VALID_NIK)  # the NIK the factory's answers use
    return user


def _claim_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return _english(client)


def test_claim_url_is_not_taken_by_the_application_page() -> None:
    assert resolve(CLAIM).view_name == "applications:claim"
    assert reverse("applications:claim") == CLAIM


def test_citizen_claims_with_the_reference_and_the_code(
    counter_application: tuple[Application, str], claimant: User
) -> None:
    application, secret = counter_application
    client = _claim_client(claimant)
    typed_reference = application.reference.lower().replace("-", " ")

    response = client.post(CLAIM, {"reference": typed_reference, "code": secret.lower()})

    assert response.status_code == 302
    assert response["Location"] == f"/akun/permohonan/{application.reference}/"
    application.refresh_from_db()
    assert application.applicant == claimant
    assert can_view_application(claimant, application)
    assert AuditEvent.objects.filter(action="applications.claimed").count() == 1


def test_a_wrong_code_and_an_unknown_reference_read_the_same(
    counter_application: tuple[Application, str], claimant: User
) -> None:
    application, secret = counter_application
    client = _claim_client(claimant)
    holder = application.applicant
    before = _state()

    wrong_code = client.post(CLAIM, {"reference": application.reference, "code": "ZZZZZZZZ"})
    unknown = client.post(CLAIM, {"reference": make_reference("KK", 2026, 999), "code": secret})

    assert wrong_code.status_code == unknown.status_code == 200
    assert WRONG_CLAIM in _text(wrong_code)
    assert WRONG_CLAIM in _text(unknown)
    assert 'value="ZZZZZZZZ"' in _text(wrong_code)  # what was typed stays
    application.refresh_from_db()
    assert application.applicant == holder
    assert _state() == before


def test_a_malformed_reference_is_explained_without_a_look_up(claimant: User) -> None:
    wrong_check_digit = make_reference("KK", 2026, 123)[:-1] + "0"
    assert wrong_check_digit != make_reference("KK", 2026, 123)

    response = _claim_client(claimant).post(CLAIM, {"reference": wrong_check_digit, "code": "ABCDEFGH"})

    assert "This is not a reference number" in _text(response)


def test_the_right_code_with_another_nik_is_refused(
    counter_application: tuple[Application, str], other_citizen: User
) -> None:
    application, secret = counter_application
    citizen_profile_with_nik(other_citizen, nik=VALID_NIK)
    before = _state()

    response = _claim_client(other_citizen).post(CLAIM, {"reference": application.reference, "code": secret})

    assert response.status_code == 200
    assert "The NIK in your profile is not the NIK of this application" in _text(response)
    application.refresh_from_db()
    assert application.applicant != other_citizen
    assert _state() == before


def test_claims_are_limited_per_citizen_per_hour(
    counter_application: tuple[Application, str], claimant: User
) -> None:
    application, secret = counter_application
    client = _claim_client(claimant)
    for _attempt in range(CLAIM_ATTEMPTS_PER_HOUR):
        client.post(CLAIM, {"reference": application.reference, "code": "ZZZZZZZZ"})

    response = client.post(CLAIM, {"reference": application.reference, "code": secret})

    assert "Wait an hour and try again" in _text(response)
    application.refresh_from_db()
    assert application.applicant != claimant


@pytest.mark.parametrize(("persona", "expected"), [("anonymous", 302), ("officer", 403), ("citizen", 200)])
def test_claim_page_is_for_citizens(request: pytest.FixtureRequest, persona: str, expected: int) -> None:
    if persona == "anonymous":
        client = Client()
    elif persona == "citizen":
        client = _claim_client(request.getfixturevalue("citizen"))
    else:
        client = verified_client(request.getfixturevalue(persona))

    response = client.get(CLAIM)

    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith("/masuk/")


# --- The walk-in citizen online -----------------------------------------------------------------------


def test_walk_in_citizen_signs_in_with_the_phone_and_has_the_application(
    counter: Client, service: Service, village: str
) -> None:
    walk_in = _registered_walk_in(counter, service)
    counter.post(FORM, _form_data(**{"dok_1_ktp__upload": png_upload(), "dok_2_kk__upload": png_upload()}))
    application = Application.objects.get()

    online = Client()
    online.post("/masuk/", {"contact": "0813-1111-2222"})
    response = online.post("/masuk/kode/", {"code": last_sent_code()})

    assert response.status_code == 302
    assert int(online.session["_auth_user_id"]) == walk_in.pk
    signed_in = User.objects.get(pk=online.session["_auth_user_id"])
    assert list(Application.objects.filter(applicant=signed_in)) == [application]
    assert can_view_application(signed_in, application)
