"""The citizen's online application: start, pages, check your answers, submit, confirmation, the
citizen's applications, the case page and corrections; errors, uploads and the persona matrix."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import citizen_profile_with_nik, region
from layanan.applications.actions import ensure_service_config
from layanan.applications.formspec import FormSpec
from layanan.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationDraft,
    ApplicationEvent,
    ServiceConfig,
)
from layanan.applications.tests.factories import (
    VALID_NIK,
    application_in,
    complete_answers,
    png_upload,
    submit,
    vault_document,
)
from layanan.applications.views.citizen import SECRETS_SESSION_KEY
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import ServiceFactory, paid_fee, service_with_adopted_standard
from layanan.core.testing import verified_client
from layanan.vault.models import VaultDocument

pytestmark = pytest.mark.django_db

SLUG = "kartu-keluarga"
VILLAGE = "33.02.01.2001"
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)


@pytest.fixture
def citizen_client(citizen: User) -> Client:
    """The citizen, reading the pages in English (the texts these tests look for)."""
    client = Client()
    client.force_login(citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_with_adopted_standard(unit=unit_a, slug=SLUG, name="Kartu Keluarga", channel="both")


@pytest.fixture
def regions(db: None) -> None:
    region("33", "Jawa Tengah")
    region("33.02", "Kabupaten Banyumas")
    region("33.02.01", "Karanglewas")
    region(VILLAGE, "Karanglewas Kidul")
    region("34", "DI Yogyakarta")


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"applications:{name}", kwargs=kwargs)


def _text(response: Any) -> str:
    return str(response.content.decode())


def _start(client: Client, service: Service) -> ApplicationDraft:
    response = client.post(_url("start", slug=service.slug))
    assert response.status_code == 302
    return ApplicationDraft.objects.get(service=service)


def _page(draft: ApplicationDraft, page: str, **query: str) -> str:
    url = _url("form-page", draft=draft.public_id, page=page)
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _about_you(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "_shown": ["nama", "nik", "telepon", "alamat"],
        "nama": "Siti Rahmawati",
        "nik": VALID_NIK,
        "telepon": "0812 3456 7890",
        "alamat__street": "Jl. Merdeka 1 RT 01/RW 02",
        "alamat__province": "33",
        "alamat__regency": "33.02",
        "alamat__district": "33.02.01",
        "alamat__village": VILLAGE,
        "action": "continue",
    }
    data.update(overrides)
    return data


def _documents(citizen: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "_shown": ["dok_1_ktp", "dok_2_kk", "q_3"],
        "dok_1_ktp": str(vault_document(citizen, "ktp").public_id),
        "dok_2_kk": str(vault_document(citizen, "kk").public_id),
        "q_3": "tidak",
        "action": "continue",
    }
    data.update(overrides)
    return data


def _fill_draft(client: Client, draft: ApplicationDraft, citizen: User) -> None:
    assert client.post(_page(draft, "pemohon"), _about_you()).status_code == 302
    assert client.post(_page(draft, "dokumen"), _documents(citizen)).status_code == 302
    response = client.post(
        _page(draft, "pernyataan"), {"_shown": ["pernyataan"], "pernyataan": "on", "action": "continue"}
    )
    assert response.status_code == 302


# Start -------------------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in_and_back(client: Client, service: Service) -> None:
    url = _url("start", slug=service.slug)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signin"))
    assert "next=" in response["Location"]
    assert SLUG in response["Location"]


def test_start_explains_what_is_needed_and_creates_one_prefilled_draft(
    citizen_client: Client, citizen: User, service: Service
) -> None:
    citizen_profile_with_nik(citizen, nik=VALID_NIK, address="Jl. Merdeka 1", region=region("33.02"))
    citizen.phone = "+6281234567890"
    citizen.save()

    response = citizen_client.get(_url("start", slug=service.slug))
    text = _text(response)
    assert response.status_code == 200
    assert "KTP-el pemohon" in text
    assert "Kartu Keluarga" in text
    assert "Free of charge" in text

    draft = _start(citizen_client, service)
    again = citizen_client.post(_url("start", slug=service.slug))

    assert ApplicationDraft.objects.filter(applicant=citizen).count() == 1
    assert again["Location"] == _page(draft, "pemohon")
    answers = draft.answer_data()
    assert answers["nama"] == "Siti Rahmawati"
    assert answers["nik"] == VALID_NIK
    assert answers["telepon"] == "081234567890"
    assert answers["alamat"] == {"street": "Jl. Merdeka 1", "region": "33.02"}
    page = _text(citizen_client.get(_page(draft, "pemohon")))
    assert 'value="Siti Rahmawati"' in page
    assert f'value="{VALID_NIK}"' in page
    assert 'value="33.02" selected' in page


@pytest.mark.parametrize("case", ["counter_only", "inactive", "no_standard"])
def test_a_service_that_takes_no_online_applications_is_refused_clearly(
    citizen_client: Client, unit_a: ServiceUnit, case: str
) -> None:
    if case == "counter_only":
        service = service_with_adopted_standard(unit=unit_a, channel=Service.Channel.COUNTER)
        message = "only available at the counter"
    elif case == "inactive":
        service = service_with_adopted_standard(unit=unit_a, is_active=False)
        message = "not offered at the moment"
    else:
        service = ServiceFactory(unit=unit_a)
        message = "no adopted standard"

    for method in (citizen_client.get, citizen_client.post):
        response = method(_url("start", slug=service.slug))
        assert response.status_code == 409
        assert message in _text(response)
    assert not ApplicationDraft.objects.exists()


def test_an_unknown_service_is_404(citizen_client: Client) -> None:
    assert citizen_client.get(_url("start", slug="tidak-ada")).status_code == 404


# The pages ---------------------------------------------------------------------------------------


def test_apply_online_from_start_to_confirmation(
    citizen_client: Client, citizen: User, service: Service, regions: None
) -> None:
    draft = _start(citizen_client, service)

    response = citizen_client.post(_page(draft, "pemohon"), _about_you())
    assert response["Location"] == _page(draft, "dokumen")
    response = citizen_client.post(_page(draft, "dokumen"), _documents(citizen))
    assert response["Location"] == _page(draft, "pernyataan")
    response = citizen_client.post(
        _page(draft, "pernyataan"), {"_shown": ["pernyataan"], "pernyataan": "on", "action": "continue"}
    )
    assert response["Location"] == _url("check", draft=draft.public_id)

    check = citizen_client.get(response["Location"])
    text = _text(check)
    assert check.status_code == 200
    assert "Siti Rahmawati" in text
    assert VALID_NIK not in text
    assert "3515********0001" in text
    assert "081234567890" not in text
    assert "0812*****890" in text
    assert "Jl. Merdeka 1" not in text
    assert "Karanglewas Kidul" in text
    assert "ktp.png" in text
    assert f"{_page(draft, 'pemohon', **{'return': 'check'})}#id_nik" in text
    assert str(draft.submission_key) in text

    response = citizen_client.post(check.wsgi_request.path, {"submission_key": str(draft.submission_key)})
    application = Application.objects.get()
    assert response["Location"] == _url("confirmation", reference=application.reference)
    assert not ApplicationDraft.objects.exists()
    assert application.applicant == citizen
    assert application.answer_data()["alamat"] == {"street": "Jl. Merdeka 1 RT 01/RW 02", "region": VILLAGE}
    assert application.answer_data()["telepon"] == "+6281234567890"
    assert ApplicationDocument.objects.filter(application=application).count() == 2

    confirmation = citizen_client.get(response["Location"])
    text = _text(confirmation)
    secret = re.search(r'id="tracking-code">([2-9A-Z]{8})<', text)
    assert secret is not None
    assert application.reference in text
    assert "3 working days" in text
    assert secret.group(1) not in response["Location"]
    # Shown once: the secret left the session with the first display.
    again = _text(citizen_client.get(response["Location"]))
    assert secret.group(1) not in again
    assert application.reference in again
    assert (
        SECRETS_SESSION_KEY not in citizen_client.session or not citizen_client.session[SECRETS_SESSION_KEY]
    )


FULL_SPEC: dict[str, Any] = {
    "pages": [
        {
            "key": "semua",
            "title": "Everything",
            "fields": [
                {"key": "nama", "kind": "text", "label": "Name"},
                {"key": "uraian", "kind": "textarea", "label": "Description"},
                {"key": "luas", "kind": "number", "label": "Area", "minimum": 10, "maximum": 500},
                {"key": "tanggal", "kind": "date", "label": "Date"},
                {
                    "key": "jenis",
                    "kind": "choice",
                    "label": "Kind",
                    "choices": [{"value": "baru", "label": "New"}, {"value": "ubah", "label": "Change"}],
                },
                {"key": "pindah", "kind": "yes_no", "label": "Moving?"},
                {"key": "nik", "kind": "nik", "label": "NIK"},
                {"key": "kk", "kind": "kk", "label": "KK"},
                {"key": "hp", "kind": "phone", "label": "Phone"},
                {"key": "alamat", "kind": "address", "label": "Address"},
                {"key": "ktp", "kind": "document", "label": "KTP", "document_type": "ktp"},
                {"key": "setuju", "kind": "declaration", "label": "I declare"},
            ],
        }
    ]
}


def _use_spec(service: Service, spec: dict[str, Any]) -> None:
    FormSpec.model_validate(spec)
    ensure_service_config(service)
    ServiceConfig.objects.filter(service=service).update(form=spec)


def test_every_kind_of_field_shows_its_error_and_keeps_what_was_typed(
    citizen_client: Client, citizen: User, service: Service, regions: None
) -> None:
    _use_spec(service, FULL_SPEC)
    draft = _start(citizen_client, service)
    typed = {
        "_shown": [f["key"] for f in FULL_SPEC["pages"][0]["fields"]],
        "nama": "x" * 501,
        "uraian": "Rumah tinggal\n" + "y" * 4001,
        "luas": "sembilan",
        "tanggal": "31-02-2026",
        "jenis": "lain",
        "nik": "1234",
        "kk": "12345",
        "hp": "021-555",
        "alamat__street": "",
        "alamat__province": "33",
        "action": "continue",
    }

    response = citizen_client.post(_page(draft, "semua"), typed)

    text = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert text.count('class="error-message"') == 12
    for value in ("x" * 501, "sembilan", "31-02-2026", "1234", "12345", "021-555"):
        assert f'value="{value}"' in text
    assert "Rumah tinggal\n" + "y" * 4001 in text
    assert 'value="33" selected' in text
    # Every answer was saved, also the invalid ones: nothing typed is lost.
    saved = ApplicationDraft.objects.get(pk=draft.pk).answer_data()
    assert saved["luas"] == "sembilan"
    assert saved["alamat"] == {"street": "", "region": "33"}
    # The error summary links to each field.
    for anchor in (
        "#id_nama",
        "#id_luas",
        "#id_jenis_0",
        "#id_pindah_0",
        "#id_alamat__street",
        "#id_ktp__upload",
    ):
        assert f'href="{anchor}"' in text


def test_a_region_is_chosen_a_level_at_a_time_without_javascript(
    citizen_client: Client, service: Service, regions: None
) -> None:
    draft = _start(citizen_client, service)
    url = _page(draft, "pemohon")
    first = _text(citizen_client.get(url))
    assert 'name="alamat__province"' in first
    assert 'name="alamat__regency"' not in first

    response = citizen_client.post(
        url, _about_you(action="pick:alamat", alamat__regency="", alamat__district="", alamat__village="")
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}#field-alamat"
    page = _text(citizen_client.get(url))
    assert 'name="alamat__regency"' in page
    assert "Kabupaten Banyumas" in page
    assert 'name="alamat__district"' not in page
    assert 'value="Jl. Merdeka 1 RT 01/RW 02"' in page

    # A regency of another province is dropped, not stored.
    citizen_client.post(url, _about_you(action="pick:alamat", alamat__province="34", alamat__regency="33.02"))
    assert ApplicationDraft.objects.get(pk=draft.pk).answer_data()["alamat"]["region"] == "34"

    # Continuing before the village is chosen says which level is missing.
    response = citizen_client.post(url, _about_you(alamat__district="", alamat__village=""))
    assert response.status_code == 200
    assert "Choose your district." in _text(response)


def test_a_follow_up_question_appears_once_its_question_is_answered(
    citizen_client: Client, citizen: User, service: Service, regions: None
) -> None:
    draft = _start(citizen_client, service)
    url = _page(draft, "dokumen")
    assert "dok_3_surat_kuasa" not in _text(citizen_client.get(url))

    response = citizen_client.post(url, _documents(citizen, q_3="ya"))

    text = _text(response)
    assert response.status_code == 200
    assert 'name="dok_3_surat_kuasa__upload"' in text
    assert 'class="error-message"' not in text  # a new question is not an error
    assert "application-revealed" in text

    data = _documents(citizen, q_3="ya")
    data["_shown"] = ["dok_1_ktp", "dok_2_kk", "q_3", "dok_3_surat_kuasa"]
    response = citizen_client.post(url, data)
    assert response.status_code == 200
    assert "Choose or upload this document." in _text(response)

    data["dok_3_surat_kuasa"] = str(vault_document(citizen, "surat_kuasa").public_id)
    assert citizen_client.post(url, data)["Location"] == _page(draft, "pernyataan")


def test_an_upload_is_stored_in_the_vault_and_chosen(
    citizen_client: Client, citizen: User, service: Service
) -> None:
    draft = _start(citizen_client, service)
    data = _documents(citizen)
    del data["dok_1_ktp"]
    data["dok_1_ktp__upload"] = png_upload("foto ktp.png")

    response = citizen_client.post(_page(draft, "dokumen"), data)

    assert response["Location"] == _page(draft, "pernyataan")
    stored = VaultDocument.objects.get(owner=citizen, display_name="foto ktp.png")
    assert ApplicationDraft.objects.get(pk=draft.pk).answer_data()["dok_1_ktp"] == str(stored.public_id)
    assert ApplicationDraft.objects.get(pk=draft.pk).documents["dok_1_ktp"] == str(stored.public_id)


def test_a_renamed_executable_is_refused_with_a_clear_message(
    citizen_client: Client, citizen: User, service: Service
) -> None:
    draft = _start(citizen_client, service)
    data = _documents(citizen)
    del data["dok_1_ktp"]
    data["dok_1_ktp__upload"] = SimpleUploadedFile("ktp.pdf", EXECUTABLE, content_type="application/pdf")
    before = VaultDocument.objects.count()

    response = citizen_client.post(_page(draft, "dokumen"), data)

    text = _text(response)
    assert response.status_code == 200
    assert "The file is not a real PDF. Upload the document again as PDF, JPG or PNG." in text
    assert 'href="#id_dok_1_ktp__upload"' in text
    assert VaultDocument.objects.count() == before
    # The other answers of the page were saved all the same.
    assert ApplicationDraft.objects.get(pk=draft.pk).answer_data()["q_3"] == "tidak"


def test_save_and_come_back_later_keeps_invalid_answers(
    citizen_client: Client, service: Service, regions: None
) -> None:
    draft = _start(citizen_client, service)

    response = citizen_client.post(_page(draft, "pemohon"), _about_you(nik="12", action="save"))

    assert response["Location"] == _url("my-applications")
    assert ApplicationDraft.objects.get(pk=draft.pk).answer_data()["nik"] == "12"
    listing = _text(citizen_client.get(response["Location"]))
    assert "Kartu Keluarga" in listing
    resume = citizen_client.get(_url("resume", draft=draft.public_id))
    assert resume["Location"] == _page(draft, "pemohon")


def test_a_change_link_returns_to_check_your_answers(
    citizen_client: Client, citizen: User, service: Service, regions: None
) -> None:
    draft = _start(citizen_client, service)
    _fill_draft(citizen_client, draft, citizen)
    assert citizen_client.get(_url("resume", draft=draft.public_id))["Location"] == _url(
        "check", draft=draft.public_id
    )

    response = citizen_client.post(_page(draft, "pemohon", **{"return": "check"}), _about_you(nama="Siti R."))

    assert response["Location"] == _url("check", draft=draft.public_id)
    assert "Siti R." in _text(citizen_client.get(response["Location"]))


def test_an_unknown_page_is_404(citizen_client: Client, service: Service) -> None:
    draft = _start(citizen_client, service)
    assert citizen_client.get(_page(draft, "tidak_ada")).status_code == 404


# Submitting --------------------------------------------------------------------------------------


def test_a_double_submit_makes_one_application(
    citizen_client: Client, citizen: User, service: Service, regions: None
) -> None:
    draft = _start(citizen_client, service)
    _fill_draft(citizen_client, draft, citizen)
    url = _url("check", draft=draft.public_id)
    data = {"submission_key": str(draft.submission_key)}

    first = citizen_client.post(url, data)
    second = citizen_client.post(url, data)

    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert AuditEvent.objects.filter(action="applications.submitted").count() == 1


def test_a_missing_answer_sends_the_person_to_its_page(
    citizen_client: Client, citizen: User, service: Service, regions: None
) -> None:
    draft = _start(citizen_client, service)
    _fill_draft(citizen_client, draft, citizen)
    citizen_client.post(_page(draft, "pemohon"), _about_you(nik="", action="save"))

    response = citizen_client.post(
        _url("check", draft=draft.public_id), {"submission_key": str(draft.submission_key)}
    )

    assert not Application.objects.exists()
    assert response["Location"].startswith(_page(draft, "pemohon") + "?")
    assert response["Location"].endswith("#id_nik")
    page = citizen_client.get(response["Location"])
    assert 'href="#id_nik"' in _text(page)


# Persona matrix ----------------------------------------------------------------------------------


@pytest.fixture
def submitted(service: Service, citizen: User) -> Application:
    return submit(service, citizen).application


def _draft_of(citizen: User, service: Service) -> ApplicationDraft:
    from layanan.applications.actions import save_draft

    return save_draft(service=service, applicant=citizen, answers={"nama": "Siti"}, documents={})


def _draft_urls(draft: ApplicationDraft) -> list[str]:
    return [
        _page(draft, "pemohon"),
        _url("check", draft=draft.public_id),
        _url("resume", draft=draft.public_id),
    ]


def _application_urls(application: Application) -> list[str]:
    return [
        _url("detail", reference=application.reference),
        _url("confirmation", reference=application.reference),
        _url("correct", reference=application.reference),
    ]


def test_another_citizen_gets_404_and_changes_nothing(
    citizen: User, other_citizen: User, service: Service, submitted: Application
) -> None:
    draft = _draft_of(citizen, service)
    other = Client()
    other.force_login(other_citizen)
    events = AuditEvent.objects.count()

    for url in [*_draft_urls(draft), *_application_urls(submitted)]:
        assert other.get(url).status_code == 404, url
    assert other.post(_page(draft, "pemohon"), _about_you(nama="Budi")).status_code == 404
    assert other.post(_url("discard-draft", draft=draft.public_id)).status_code == 404
    assert (
        other.post(
            _url("check", draft=draft.public_id), {"submission_key": str(draft.submission_key)}
        ).status_code
        == 404
    )
    assert (
        other.post(_url("correct", reference=submitted.reference), {"action": "resubmit"}).status_code == 404
    )

    assert ApplicationDraft.objects.get(pk=draft.pk).answer_data() == {"nama": "Siti"}
    assert Application.objects.count() == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("persona", ["officer", "unit_head", "front_officer", "admin_user"])
def test_staff_are_not_citizens(
    request: pytest.FixtureRequest, persona: str, citizen: User, service: Service, submitted: Application
) -> None:
    client = verified_client(request.getfixturevalue(persona))
    draft = _draft_of(citizen, service)
    urls = [_url("start", slug=service.slug), _url("my-applications")]
    for url in [*urls, *_draft_urls(draft), *_application_urls(submitted)]:
        assert client.get(url).status_code == 403, url
    assert client.post(_url("start", slug=service.slug)).status_code == 403
    assert ApplicationDraft.objects.count() == 1


def test_a_visitor_is_sent_to_sign_in_from_every_page(
    client: Client, citizen: User, service: Service
) -> None:
    draft = _draft_of(citizen, service)
    for url in [_url("my-applications"), *_draft_urls(draft)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:signin"))


# The citizen's applications ----------------------------------------------------------------------

# Session, user, applications (with service and workflow), drafts (with service).
QUERIES = 4


def test_my_applications_lists_applications_and_drafts_in_constant_queries(
    citizen_client: Client,
    citizen: User,
    unit_a: ServiceUnit,
    service: Service,
    django_assert_num_queries: Any,
) -> None:
    submit(service, citizen)
    _draft_of(citizen, service_with_adopted_standard(unit=unit_a, name="Akta Kelahiran"))
    url = _url("my-applications")
    citizen_client.get(url)  # warm the caches (workflow definitions are parsed once)
    with django_assert_num_queries(QUERIES):
        response = citizen_client.get(url)
    text = _text(response)
    assert "Akta Kelahiran" in text
    assert Application.objects.get().reference in text

    for _index in range(3):
        other = service_with_adopted_standard(unit=unit_a)
        submit(other, citizen)
        _draft_of(citizen, other)
    citizen_client.get(url)
    with django_assert_num_queries(QUERIES):
        citizen_client.get(url)


def test_discarding_a_draft(citizen_client: Client, citizen: User, service: Service) -> None:
    draft = _draft_of(citizen, service)

    response = citizen_client.post(_url("discard-draft", draft=draft.public_id))

    assert response["Location"] == _url("my-applications")
    assert not ApplicationDraft.objects.exists()
    assert citizen_client.get(_url("discard-draft", draft=draft.public_id)).status_code == 405


# The case page and corrections -------------------------------------------------------------------


@pytest.fixture
def returned(service: Service, citizen: User, officer: User, unit_head: User) -> Application:
    application = application_in(
        "returned_for_correction", service, citizen, officer=officer, unit_head=unit_head
    )
    ApplicationEvent.objects.filter(case=application, to_state="returned_for_correction").update(
        note="Foto KTP buram, unggah ulang."
    )
    return application


def test_the_case_page_shows_state_public_history_notes_and_documents(
    citizen_client: Client, returned: Application, officer: User
) -> None:
    from layanan.applications.actions import assign_application

    assign_application(returned, assignee=officer, actor=officer)  # an internal event

    response = citizen_client.get(_url("detail", reference=returned.reference))

    text = _text(response)
    assert response.status_code == 200
    assert "Foto KTP buram, unggah ulang." in text
    assert _url("correct", reference=returned.reference) in text
    assert "ktp.png" in text
    assert "kk.png" in text
    assert VALID_NIK not in text
    assert "3515********0001" in text
    assert (
        text.count("<li>\n    <p><strong>")
        == ApplicationEvent.objects.filter(case=returned, is_public=True).count()
    )
    assert officer.username not in text


def test_a_returned_application_is_corrected_and_sent_back(
    citizen_client: Client, citizen: User, service: Service, returned: Application, regions: None
) -> None:
    url = _url("correct", reference=returned.reference)
    page = _text(citizen_client.get(url))
    assert "Foto KTP buram, unggah ulang." in page
    answers = returned.answer_data()
    shares_before = ApplicationDocument.objects.filter(application=returned).count()
    data: dict[str, Any] = {
        "_shown": ["nama", "nik", "telepon", "alamat", "dok_1_ktp", "dok_2_kk", "q_3", "pernyataan"],
        "nama": "Siti Rahmawati",
        "nik": VALID_NIK,
        "telepon": "081234567890",
        "alamat__street": "Jl. Merdeka 2",
        "alamat__province": "33",
        "alamat__regency": "33.02",
        "alamat__district": "33.02.01",
        "alamat__village": VILLAGE,
        "dok_2_kk": answers["dok_2_kk"],
        "dok_1_ktp__upload": png_upload("ktp-jelas.png"),
        "q_3": "tidak",
        "pernyataan": "on",
        "action": "resubmit",
    }

    response = citizen_client.post(url, data)

    assert response["Location"] == _url("detail", reference=returned.reference)
    returned.refresh_from_db()
    assert returned.state == "completeness_check"
    new_ktp = VaultDocument.objects.get(owner=citizen, display_name="ktp-jelas.png")
    assert returned.answer_data()["dok_1_ktp"] == str(new_ktp.public_id)
    assert returned.answer_data()["alamat"]["street"] == "Jl. Merdeka 2"
    assert ApplicationDocument.objects.filter(application=returned).count() == shares_before + 1
    event = AuditEvent.objects.get(action="applications.corrected")
    assert event.summary["fields"] == ["alamat", "dok_1_ktp"]
    assert "Merdeka" not in str(event.summary)
    assert VALID_NIK not in str(event.summary)
    assert AuditEvent.objects.filter(action="applications.resubmit").count() == 1
    # Sent back: the correction page now leads to the case page.
    assert citizen_client.get(url)["Location"] == _url("detail", reference=returned.reference)


def test_a_correction_with_errors_keeps_what_was_typed_and_changes_nothing(
    citizen_client: Client, returned: Application
) -> None:
    url = _url("correct", reference=returned.reference)
    answers = returned.answer_data()
    events = AuditEvent.objects.count()
    data = {
        "_shown": ["nama", "nik"],
        "nama": "Siti Rahmawati",
        "nik": "3515abc",
        "action": "resubmit",
    }

    response = citizen_client.post(url, data)

    assert response.status_code == 200
    assert 'value="3515abc"' in _text(response)
    assert 'href="#id_nik"' in _text(response)
    returned.refresh_from_db()
    assert returned.state == "returned_for_correction"
    assert returned.answer_data() == answers
    assert AuditEvent.objects.count() == events


def test_the_correction_page_is_only_for_returned_applications(
    citizen_client: Client, submitted: Application
) -> None:
    url = _url("correct", reference=submitted.reference)
    assert citizen_client.get(url)["Location"] == _url("detail", reference=submitted.reference)
    assert citizen_client.post(url, {"action": "resubmit"})["Location"] == _url(
        "detail", reference=submitted.reference
    )


def test_resubmit_needs_the_applicant_and_the_returned_state(
    citizen: User, other_citizen: User, officer: User, returned: Application, service: Service
) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from layanan.applications.actions import resubmit_application

    answers = complete_answers(service, citizen)
    with pytest.raises(PermissionDenied):
        resubmit_application(returned, answers=answers, actor=other_citizen)
    with pytest.raises(PermissionDenied):
        resubmit_application(returned, answers=answers, actor=officer)
    with pytest.raises(ValidationError) as invalid:
        resubmit_application(returned, answers={**answers, "nik": "1"}, actor=citizen)
    assert "nik" in invalid.value.message_dict
    moved = resubmit_application(returned, answers=answers, actor=citizen)
    assert moved.state == "completeness_check"
    with pytest.raises(ValidationError):
        resubmit_application(moved, answers=answers, actor=citizen)


def test_a_document_shared_before_and_removed_from_the_vault_can_stay(
    citizen: User, returned: Application
) -> None:
    from layanan.applications.actions import resubmit_application
    from layanan.vault.actions import remove_vault_document

    answers = returned.answer_data()
    shared = VaultDocument.objects.get(public_id=answers["dok_1_ktp"])
    remove_vault_document(shared, actor=citizen)

    moved = resubmit_application(returned, answers=answers, actor=citizen)

    assert moved.state == "completeness_check"
    assert ApplicationDocument.objects.filter(application=returned).count() == 2


def test_a_paid_service_says_what_is_paid_and_when(
    citizen_client: Client, citizen: User, unit_a: ServiceUnit
) -> None:
    from layanan.catalog.tests.factories import AdoptedStandardFactory, complete_published

    service = ServiceFactory(unit=unit_a, slug="izin-usaha")
    AdoptedStandardFactory(service=service, published=complete_published(fee=paid_fee(75_000)))
    text = _text(citizen_client.get(_url("start", slug=service.slug)))
    assert "Rp75,000" in text


def test_the_service_page_links_to_apply_online(
    client: Client, service: Service, unit_a: ServiceUnit
) -> None:
    counter_only = service_with_adopted_standard(unit=unit_a, channel=Service.Channel.COUNTER)
    assert _url("start", slug=service.slug) in _text(client.get(service.get_absolute_url()))
    assert _url("start", slug=counter_only.slug) not in _text(client.get(counter_only.get_absolute_url()))


def test_the_profile_links_to_my_applications(citizen_client: Client) -> None:
    assert _url("my-applications") in _text(citizen_client.get(reverse("accounts:profile")))
