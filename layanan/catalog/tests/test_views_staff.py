"""The back office of the catalog: pages, forms and the persona matrix."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service, ServicePromise, ServiceStandard
from layanan.catalog.tests.factories import (
    CompleteDraftStandardFactory,
    ServiceFactory,
    ServicePromiseFactory,
    ServiceStandardFactory,
    service_with_adopted_standard,
)
from layanan.catalog.tests.helpers import DECREE, catalog_state, standard_form_data
from layanan.core.testing import verified_client

pytestmark = pytest.mark.django_db

Status = ServiceStandard.Status
SLUG = "kartu-keluarga"


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_with_adopted_standard(unit=unit_a, slug=SLUG, name="Kartu Keluarga")


@pytest.fixture
def draft(service: Service) -> ServiceStandard:
    adopted = service.adopted_standard
    assert adopted is not None
    standard: ServiceStandard = CompleteDraftStandardFactory(
        service=service, based_on=adopted, published=dict(adopted.published)
    )
    return standard


def _client(request: Any, persona: str) -> Client:
    if persona == "anonymous":
        return Client()
    user = request.getfixturevalue(persona)
    if persona == "citizen":
        client = Client()
        client.force_login(user)
        return client
    return verified_client(user)


def _url(name: str, *args: Any) -> str:
    return reverse(f"catalog:{name}", args=args)


def _text(response: Any) -> str:
    return str(response.content.decode())


# --- Persona matrix ---------------------------------------------------------------------------------

PAGES = [
    ("staff-standard-detail", 1),
    ("staff-standard-diff", 1),
    ("staff-standard-detail", 2),
    ("staff-standard-edit", 2),
]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("front_officer", 200),
        ("officer", 200),
        ("unit_head", 200),
        ("other_agency_officer", 403),
        ("coordinator", 403),
        ("admin_user", 403),
    ],
)
def test_service_pages_persona_matrix(
    persona: str, expected: int, request: Any, service: Service, draft: ServiceStandard
) -> None:
    client = _client(request, persona)

    urls = [_url("staff-service-detail", SLUG)] + [_url(name, SLUG, version) for name, version in PAGES]
    for url in urls:
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response["Location"].startswith(reverse("accounts:staff-signin"))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("officer", 403),
        ("front_officer", 403),
        ("unit_head", 200),
        ("other_agency_officer", 403),
        ("admin_user", 403),
    ],
)
def test_adopt_page_is_for_the_unit_head_only(
    persona: str, expected: int, request: Any, draft: ServiceStandard
) -> None:
    response = _client(request, persona).get(_url("staff-standard-adopt", SLUG, 2))

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "list_status", "edit_status"),
    [
        ("anonymous", 302, 302),
        ("citizen", 403, 403),
        ("officer", 200, 403),
        ("unit_head", 200, 200),
        ("other_agency_officer", 200, 403),
        ("coordinator", 403, 403),
        ("admin_user", 200, 200),
    ],
)
def test_promise_pages_persona_matrix(
    persona: str, list_status: int, edit_status: int, request: Any, unit_a: ServiceUnit
) -> None:
    client = _client(request, persona)

    assert client.get(_url("staff-promise-list")).status_code == list_status
    edit = _url("staff-promise-edit", unit_a.agency.slug, unit_a.slug)
    assert client.get(edit).status_code == edit_status


def test_staff_pages_need_the_second_factor(officer: User, service: Service) -> None:
    client = Client()
    client.force_login(officer)

    response = client.get(_url("staff-service-list"))

    assert response.status_code == 302
    assert "/petugas/" in response["Location"]


def test_unknown_service_or_version_is_404(officer_client: Client, service: Service) -> None:
    assert officer_client.get(_url("staff-service-detail", "tidak-ada")).status_code == 404
    assert officer_client.get(_url("staff-standard-detail", SLUG, 9)).status_code == 404


# --- Service list --------------------------------------------------------------------------------


def test_service_list_shows_only_the_users_units(
    officer_client: Client, unit_a: ServiceUnit, unit_b: ServiceUnit, draft: ServiceStandard
) -> None:
    ServiceFactory(unit=unit_b, name="Nomor Induk Berusaha")
    ServiceFactory(unit=unit_a, name="Akta Kematian", is_active=False)

    response = officer_client.get(_url("staff-service-list"))

    text = _text(response)
    assert "Kartu Keluarga" in text
    assert "Akta Kematian" in text
    assert "Nomor Induk Berusaha" not in text
    rows = {row["service"].slug: row for row in response.context["rows"]}
    assert rows[SLUG]["adopted"].version == 1
    assert rows[SLUG]["open_version"].version == 2
    assert rows[SLUG]["open_status"]["colour"] == "yellow"


def test_service_list_for_admin_is_empty_and_says_why(
    admin_client_verified: Client, service: Service
) -> None:
    response = admin_client_verified.get(_url("staff-service-list"))

    assert response.status_code == 200
    assert response.context["rows"] == []


def test_service_list_query_count_does_not_grow_with_services(
    officer_client: Client, unit_a: ServiceUnit, django_assert_num_queries: Any
) -> None:
    for number in range(3):
        service = service_with_adopted_standard(unit=unit_a, slug=f"layanan-{number}")
        ServiceStandardFactory(service=service)
    officer_client.get(_url("staff-service-list"))  # warm the session and the user

    with django_assert_num_queries(6):
        officer_client.get(_url("staff-service-list"))
    for number in range(3, 9):
        service_with_adopted_standard(unit=unit_a, slug=f"layanan-{number}")
    with django_assert_num_queries(6):
        officer_client.get(_url("staff-service-list"))


def test_promise_list_query_count_does_not_grow_with_units(
    admin_client_verified: Client, django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        ServicePromiseFactory(unit=ServiceUnitFactory())
    with django_assert_num_queries(6):
        admin_client_verified.get(_url("staff-promise-list"))
    for _ in range(5):
        ServicePromiseFactory(unit=ServiceUnitFactory())
    with django_assert_num_queries(6):
        admin_client_verified.get(_url("staff-promise-list"))


# --- Service and version pages ------------------------------------------------------------------------


def test_service_detail_offers_a_new_version_when_none_is_open(
    officer_client: Client, service: Service
) -> None:
    response = officer_client.get(_url("staff-service-detail", SLUG))

    assert response.context["can_start"]
    assert _url("staff-draft-start", SLUG) in _text(response)


def test_service_detail_links_the_open_version(officer_client: Client, draft: ServiceStandard) -> None:
    response = officer_client.get(_url("staff-service-detail", SLUG))

    assert not response.context["can_start"]
    assert _url("staff-standard-detail", SLUG, 2) in _text(response)


def test_version_page_shows_all_14_components_and_the_actions_of_this_user(
    officer_client: Client, unit_head_client: Client, draft: ServiceStandard
) -> None:
    response = officer_client.get(_url("staff-standard-detail", SLUG, 2))

    text = _text(response)
    for value in ["KTP-el pemohon", "hanya jika pemohon diwakilkan", "Petugas loket memeriksa", "4 orang."]:
        assert value in text
    assert text.count("<h3>") == 6
    assert len(response.context["components"]["internal"]) == 8
    assert (response.context["can_edit"], response.context["can_consult"]) == (True, True)
    assert not response.context["can_adopt"]
    assert _url("staff-standard-adopt", SLUG, 2) not in text
    assert unit_head_client.get(_url("staff-standard-detail", SLUG, 2)).context["can_adopt"]


def test_version_page_lists_what_is_missing(officer_client: Client, service: Service) -> None:
    ServiceStandardFactory(service=service, legal_basis="UU 25/2009")

    response = officer_client.get(_url("staff-standard-detail", SLUG, 2))

    assert len(response.context["missing"]) == 13


def test_adopted_version_offers_no_change(unit_head_client: Client, service: Service) -> None:
    response = unit_head_client.get(_url("staff-standard-detail", SLUG, 1))

    context = response.context
    assert not any([context["can_edit"], context["can_consult"], context["can_return"], context["can_adopt"]])
    assert response.context["missing"] == []


# --- Start a draft --------------------------------------------------------------------------------


def test_officer_starts_a_draft_and_lands_on_its_form(officer_client: Client, service: Service) -> None:
    response = officer_client.post(_url("staff-draft-start", SLUG))

    assert response.status_code == 302
    assert response["Location"] == _url("staff-standard-edit", SLUG, 2)
    assert service.standards.get(version=2).status == Status.DRAFT


def test_second_draft_is_refused_with_a_message(officer_client: Client, draft: ServiceStandard) -> None:
    before = catalog_state()

    response = officer_client.post(_url("staff-draft-start", SLUG), follow=True)

    assert catalog_state() == before
    assert "Versi 2" in _text(response) or "Version 2" in _text(response)


@pytest.mark.parametrize("persona", ["citizen", "other_agency_officer", "admin_user", "coordinator"])
def test_denied_draft_start_changes_nothing(persona: str, request: Any, service: Service) -> None:
    before = catalog_state()

    response = _client(request, persona).post(_url("staff-draft-start", SLUG))

    assert response.status_code == 403
    assert catalog_state() == before


def test_start_draft_is_post_only(officer_client: Client, service: Service) -> None:
    assert officer_client.get(_url("staff-draft-start", SLUG)).status_code == 405


# --- Edit a draft -----------------------------------------------------------------------------------


def test_edit_page_shows_the_stored_draft(officer_client: Client, draft: ServiceStandard) -> None:
    response = officer_client.get(_url("staff-standard-edit", SLUG, 2))

    text = _text(response)
    assert 'value="KTP-el pemohon"' in text
    assert 'name="add_row" value="requirements"' in text
    assert response.context["form"].requirements.total_form_count() == 3


def test_unchanged_post_saves_nothing(officer_client: Client, draft: ServiceStandard) -> None:
    before = catalog_state()

    response = officer_client.post(_url("staff-standard-edit", SLUG, 2), standard_form_data(draft))

    assert response.status_code == 302
    assert catalog_state() == before


def test_officer_edits_a_requirement_and_the_change_is_audited(
    officer_client: Client, officer: User, draft: ServiceStandard
) -> None:
    data = standard_form_data(draft)
    data["requirements-0-name"] = "KTP-el asli pemohon"
    data["requirements-0-form"] = "original"
    data["change_note"] = "KTP-el asli, bukan fotokopi."

    response = officer_client.post(_url("staff-standard-edit", SLUG, 2), data)

    assert response.status_code == 302
    assert response["Location"] == _url("staff-standard-detail", SLUG, 2)
    draft.refresh_from_db()
    assert draft.published["requirements"][0]["name"] == "KTP-el asli pemohon"
    assert draft.published["requirements"][0]["form"] == "original"
    assert draft.change_note == "KTP-el asli, bukan fotokopi."
    event = AuditEvent.objects.get(action="catalog.standard_draft_updated")
    assert event.actor_id == officer.pk
    assert event.summary["components"] == ["change_note", "requirements"]


def test_add_another_row_keeps_every_value_and_saves_nothing(
    officer_client: Client, draft: ServiceStandard
) -> None:
    data = standard_form_data(draft)
    data["requirements-0-name"] = "Nama yang baru diketik"
    data["add_row"] = "requirements"
    before = catalog_state()

    response = officer_client.post(_url("staff-standard-edit", SLUG, 2), data)

    assert response.status_code == 200
    assert catalog_state() == before
    form = response.context["form"]
    assert form.requirements.total_form_count() == 4
    text = _text(response)
    assert 'value="Nama yang baru diketik"' in text
    assert 'name="requirements-3-name"' in text
    assert "autofocus" in text


def test_new_row_is_saved_and_an_empty_row_is_ignored(officer_client: Client, draft: ServiceStandard) -> None:
    data = standard_form_data(draft)
    data["requirements-TOTAL_FORMS"] = "5"
    data.update(
        {
            "requirements-3-document_type": "pas_foto",
            "requirements-3-name": "Pas foto 3×4",
            "requirements-3-form": "original",
            "requirements-4-document_type": "",
            "requirements-4-name": "",
            "requirements-4-form": "copy",
        }
    )

    officer_client.post(_url("staff-standard-edit", SLUG, 2), data)

    draft.refresh_from_db()
    assert [r["name"] for r in draft.published["requirements"]][-1] == "Pas foto 3×4"
    assert len(draft.published["requirements"]) == 4


def test_rows_are_removed_and_steps_reordered(officer_client: Client, draft: ServiceStandard) -> None:
    data = standard_form_data(draft)
    data["products-0-DELETE"] = "on"
    data["procedure-0-ORDER"] = "9"

    officer_client.post(_url("staff-standard-edit", SLUG, 2), data)

    draft.refresh_from_db()
    assert "products" not in draft.published
    assert draft.published["procedure"][-1]["actor"] == "citizen"


def test_form_errors_keep_every_value_in_the_users_language(
    officer_client: Client, draft: ServiceStandard
) -> None:
    data = standard_form_data(draft)
    data["requirements-1-name"] = ""
    data["time-value"] = "0"
    data["fee_items-TOTAL_FORMS"] = "1"
    data.update(
        {"fee_items-0-label": "Retribusi", "fee_items-0-amount": "abc", "fee_items-0-legal_basis": ""}
    )
    data["legal_basis"] = "Dasar hukum yang baru diketik"
    before = catalog_state()

    response = officer_client.post(_url("staff-standard-edit", SLUG, 2), data, HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 200
    assert catalog_state() == before
    text = _text(response)
    assert "Dasar hukum yang baru diketik" in text
    assert 'value="abc"' in text
    assert 'value="Retribusi"' in text
    hrefs = [error["href"] for error in response.context["error_summary"]]
    assert "#id_requirements-1-name" in hrefs
    assert "#id_time-value" in hrefs
    assert "#id_fee_items-0-amount" in hrefs
    assert "#id_fee_items-0-legal_basis" in hrefs
    assert "<title>Error:" in text or "<title>Galat:" in text or "<title>Kesalahan:" in text


def test_errors_from_the_action_land_on_their_field(officer_client: Client, draft: ServiceStandard) -> None:
    data = standard_form_data(draft)
    # Free of charge but with an amount: only the standard's own rules catch it.
    data["fee_items-TOTAL_FORMS"] = "1"
    data.update(
        {"fee_items-0-label": "Retribusi", "fee_items-0-amount": "5000", "fee_items-0-legal_basis": "Perda"}
    )
    data["procedure-1-description"] = data["procedure-0-description"]
    before = catalog_state()

    response = officer_client.post(_url("staff-standard-edit", SLUG, 2), data)

    assert response.status_code == 200
    assert catalog_state() == before
    form = response.context["form"]
    assert form.fee.non_field_errors()
    assert form.procedure.non_form_errors()
    hrefs = [error["href"] for error in response.context["error_summary"]]
    assert "#section-procedure" in hrefs


def test_paid_fee_needs_its_kind(officer_client: Client, draft: ServiceStandard) -> None:
    data = standard_form_data(draft)
    data["fee-kind"] = ""
    data["fee-legal_basis"] = "Perda"

    response = officer_client.post(_url("staff-standard-edit", SLUG, 2), data)

    assert response.status_code == 200
    assert response.context["form"].fee.errors["kind"]


def test_completion_time_needs_number_and_unit(officer_client: Client, draft: ServiceStandard) -> None:
    data = standard_form_data(draft)
    data["time-unit"] = ""

    response = officer_client.post(_url("staff-standard-edit", SLUG, 2), data)

    assert response.context["form"].completion_time.errors["unit"]


def test_a_version_in_consultation_is_not_edited(officer_client: Client, draft: ServiceStandard) -> None:
    ServiceStandard.objects.filter(pk=draft.pk).update(status=Status.CONSULTATION)
    data = standard_form_data(draft)
    data["requirements-0-name"] = "Berubah"
    before = catalog_state()

    get = officer_client.get(_url("staff-standard-edit", SLUG, 2))
    post = officer_client.post(_url("staff-standard-edit", SLUG, 2), data)

    assert get.status_code == post.status_code == 302
    assert catalog_state() == before


@pytest.mark.parametrize("persona", ["citizen", "other_agency_officer", "admin_user"])
def test_denied_edit_changes_nothing(persona: str, request: Any, draft: ServiceStandard) -> None:
    data = standard_form_data(draft)
    data["requirements-0-name"] = "Diubah orang lain"
    before = catalog_state()

    response = _client(request, persona).post(_url("staff-standard-edit", SLUG, 2), data)

    assert response.status_code == 403
    assert catalog_state() == before


# --- Diff -------------------------------------------------------------------------------------------


def test_diff_against_the_adopted_version(officer_client: Client, draft: ServiceStandard) -> None:
    published = dict(draft.published)
    published["requirements"] = [dict(published["requirements"][0], name="KTP-el asli")] + list(
        published["requirements"][1:]
    )
    ServiceStandard.objects.filter(pk=draft.pk).update(published=published, staff_count="6 orang.")

    response = officer_client.get(_url("staff-standard-diff", SLUG, 2))

    assert response.context["base"].version == 1
    assert response.context["changed_count"] == 2
    text = _text(response)
    assert "<del>KTP-el pemohon" in text
    assert "<ins>KTP-el asli" in text
    assert "<del>4 orang.</del>" in text


def test_diff_of_the_first_version_says_everything_is_new(
    officer_client: Client, unit_a: ServiceUnit
) -> None:
    CompleteDraftStandardFactory(service=ServiceFactory(unit=unit_a, slug="baru"))

    response = officer_client.get(_url("staff-standard-diff", "baru", 1))

    assert response.context["base"] is None
    assert response.context["changed_count"] == 14


def test_diff_of_an_adopted_version_compares_with_the_one_it_replaced(
    officer_client: Client, service: Service
) -> None:
    response = officer_client.get(_url("staff-standard-diff", SLUG, 1))

    assert response.context["base"] is None


# --- Consultation and adoption ------------------------------------------------------------------------


def test_send_to_consultation_and_back(officer_client: Client, draft: ServiceStandard) -> None:
    response = officer_client.post(_url("staff-standard-consult", SLUG, 2))

    assert response["Location"] == _url("staff-standard-detail", SLUG, 2)
    draft.refresh_from_db()
    assert draft.status == Status.CONSULTATION

    officer_client.post(_url("staff-standard-return", SLUG, 2))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_incomplete_draft_is_not_sent_and_the_page_says_why(officer_client: Client, service: Service) -> None:
    ServiceStandardFactory(service=service)
    before = catalog_state()

    response = officer_client.post(_url("staff-standard-consult", SLUG, 2), follow=True)

    assert catalog_state() == before
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1


@pytest.mark.parametrize("persona", ["citizen", "other_agency_officer", "admin_user"])
def test_denied_transitions_change_nothing(persona: str, request: Any, draft: ServiceStandard) -> None:
    client = _client(request, persona)
    before = catalog_state()

    for name in ("staff-standard-consult", "staff-standard-return", "staff-standard-adopt"):
        response = client.post(_url(name, SLUG, 2), {"decree_number": DECREE, "decree_date": "2026-02-02"})
        assert response.status_code == 403

    assert catalog_state() == before


def test_unit_head_adopts_with_a_decree(
    unit_head_client: Client, unit_head: User, draft: ServiceStandard
) -> None:
    response = unit_head_client.post(
        _url("staff-standard-adopt", SLUG, 2), {"decree_number": DECREE, "decree_date": "2026-02-02"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.decree_number, draft.decree_date) == (
        Status.ADOPTED,
        DECREE,
        datetime.date(2026, 2, 2),
    )
    assert draft.adopted_by == unit_head
    assert Service.objects.get(slug=SLUG).adopted_standard == draft
    assert ServiceStandard.objects.get(service__slug=SLUG, version=1).status == Status.SUPERSEDED


def test_officer_may_not_adopt_even_by_posting(officer_client: Client, draft: ServiceStandard) -> None:
    before = catalog_state()

    response = officer_client.post(
        _url("staff-standard-adopt", SLUG, 2), {"decree_number": DECREE, "decree_date": "2026-02-02"}
    )

    assert response.status_code == 403
    assert catalog_state() == before


def test_adopt_form_errors_keep_values(unit_head_client: Client, draft: ServiceStandard) -> None:
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    before = catalog_state()

    response = unit_head_client.post(
        _url("staff-standard-adopt", SLUG, 2), {"decree_number": DECREE, "decree_date": tomorrow}
    )

    assert response.status_code == 200
    assert catalog_state() == before
    assert response.context["form"].errors["decree_date"]
    assert f'value="{DECREE}"' in _text(response)


def test_adopting_an_incomplete_version_shows_the_error(unit_head_client: Client, service: Service) -> None:
    ServiceStandardFactory(service=service)
    before = catalog_state()

    response = unit_head_client.post(
        _url("staff-standard-adopt", SLUG, 2), {"decree_number": DECREE, "decree_date": "2026-02-02"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert catalog_state() == before


def test_adopted_version_cannot_be_adopted_again(unit_head_client: Client, service: Service) -> None:
    response = unit_head_client.get(_url("staff-standard-adopt", SLUG, 1))

    assert response.status_code == 302


# --- Service promise --------------------------------------------------------------------------------


def test_unit_head_records_the_promise(unit_head_client: Client, unit_a: ServiceUnit) -> None:
    url = _url("staff-promise-edit", unit_a.agency.slug, unit_a.slug)
    form = unit_head_client.get(url).context["form"]
    assert form.initial["text"].startswith("Dengan ini, kami menyatakan sanggup")

    response = unit_head_client.post(
        url,
        {
            "text": form.initial["text"],
            "signatory_name": "Drs. Bambang Widodo, M.Si.",
            "signatory_title": "Kepala Dinas",
            "signed_on": "2026-01-12",
        },
    )

    assert response.status_code == 302
    promise = ServicePromise.objects.get(unit=unit_a)
    assert promise.signatory_title == "Kepala Dinas"
    listing = _text(unit_head_client.get(_url("staff-promise-list")))
    assert "Drs. Bambang Widodo, M.Si." in listing
    event = AuditEvent.objects.get(action="catalog.service_promise_set")
    assert "Bambang" not in str(event.summary)


def test_promise_form_errors_keep_values(unit_head_client: Client, unit_a: ServiceUnit) -> None:
    url = _url("staff-promise-edit", unit_a.agency.slug, unit_a.slug)

    response = unit_head_client.post(
        url,
        {"text": "Janji kami.", "signatory_name": "", "signatory_title": "Kepala", "signed_on": "2999-01-01"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"signatory_name", "signed_on"}
    assert "Janji kami." in _text(response)
    assert not ServicePromise.objects.exists()


def test_officer_sees_the_promise_but_may_not_change_it(officer_client: Client, unit_a: ServiceUnit) -> None:
    ServicePromiseFactory(unit=unit_a)
    before = catalog_state()

    listing = officer_client.get(_url("staff-promise-list"))
    post = officer_client.post(
        _url("staff-promise-edit", unit_a.agency.slug, unit_a.slug),
        {"text": "x", "signatory_name": "x", "signatory_title": "x", "signed_on": "2026-01-01"},
    )

    assert listing.context["rows"][0]["edit_url"] == ""
    assert post.status_code == 403
    assert catalog_state() == before
