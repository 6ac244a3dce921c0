"""Standards: drafting, consultation, adoption (the status machine) and who may do each step."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import ServiceUnitFactory, staff_with_role
from layanan.audit.models import AuditEvent
from layanan.catalog import search
from layanan.catalog.actions import (
    adopt_standard,
    missing_components,
    return_standard_to_draft,
    send_standard_to_consultation,
    start_standard_draft,
    update_standard_draft,
)
from layanan.catalog.exceptions import StandardPermissionDenied
from layanan.catalog.models import Service, ServiceStandard
from layanan.catalog.standard import INTERNAL_COMPONENTS
from layanan.catalog.tests.factories import (
    COMPLETE_INTERNAL,
    AdoptedStandardFactory,
    CompleteDraftStandardFactory,
    ServiceFactory,
    ServiceStandardFactory,
    complete_published,
    paid_fee,
    service_with_adopted_standard,
)
from layanan.catalog.tests.helpers import DECREE, DECREE_DATE, OUTSIDERS, STAFF_OF_UNIT_A, catalog_state

pytestmark = pytest.mark.django_db

Status = ServiceStandard.Status


def _codes(error: ValidationError) -> dict[str, list[str]]:
    return {path: [e.code or "" for e in errors] for path, errors in error.error_dict.items()}


# --- start_standard_draft ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF_OF_UNIT_A)
def test_unit_staff_start_a_draft_copied_from_the_adopted_version(
    persona: str, unit_a: ServiceUnit, request: Any
) -> None:
    actor = request.getfixturevalue(persona)
    service = service_with_adopted_standard(unit=unit_a)
    adopted = service.adopted_standard
    assert adopted is not None

    draft = start_standard_draft(service, actor=actor)

    assert (draft.version, draft.status, draft.based_on) == (2, Status.DRAFT, adopted)
    assert draft.published == adopted.published
    assert all(getattr(draft, key) == getattr(adopted, key) for key in INTERNAL_COMPONENTS)
    assert (draft.decree_number, draft.decree_date, draft.created_by) == ("", None, actor)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id) == ("catalog.standard_draft_started", actor.pk)
    assert event.summary == {"service": service.slug, "version": 2, "based_on": 1}


def test_first_draft_of_a_service_without_standard_is_empty(unit_a: ServiceUnit, officer: User) -> None:
    service = ServiceFactory(unit=unit_a)

    draft = start_standard_draft(service, actor=officer)

    assert (draft.version, draft.based_on, draft.published) == (1, None, {})
    assert all(getattr(draft, key) == "" for key in INTERNAL_COMPONENTS)


def test_system_may_start_a_draft(unit_a: ServiceUnit) -> None:
    draft = start_standard_draft(ServiceFactory(unit=unit_a), actor=None)

    assert draft.created_by is None
    assert AuditEvent.objects.get().actor_label == "system"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_may_not_start_a_draft(persona: str, unit_a: ServiceUnit, request: Any) -> None:
    actor = request.getfixturevalue(persona)
    service = service_with_adopted_standard(unit=unit_a)
    before = catalog_state()

    with pytest.raises(StandardPermissionDenied):
        start_standard_draft(service, actor=actor)

    assert catalog_state() == before


def test_inactive_membership_gives_no_right_to_draft(unit_a: ServiceUnit) -> None:
    former = staff_with_role(Role.BACK_OFFICE, unit=unit_a)
    former.memberships.update(is_active=False)
    service = ServiceFactory(unit=unit_a)

    with pytest.raises(StandardPermissionDenied):
        start_standard_draft(service, actor=former)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CONSULTATION])
def test_only_one_open_version_at_a_time(status: str, unit_a: ServiceUnit, officer: User) -> None:
    service = service_with_adopted_standard(unit=unit_a)
    CompleteDraftStandardFactory(service=service, status=status)
    before = catalog_state()

    with pytest.raises(ValidationError) as raised:
        start_standard_draft(service, actor=officer)

    assert raised.value.code == "open_version_exists"
    assert catalog_state() == before


def test_new_version_number_follows_the_highest_one(unit_a: ServiceUnit, unit_head: User) -> None:
    service = service_with_adopted_standard(unit=unit_a)
    for _ in range(2):
        draft = start_standard_draft(service, actor=unit_head)
        adopt_standard(draft, actor=unit_head, decree_number=DECREE, decree_date=DECREE_DATE)

    assert start_standard_draft(service, actor=unit_head).version == 4


# --- update_standard_draft ------------------------------------------------------------------------


def test_update_replaces_the_given_components_and_keeps_the_others(
    unit_a: ServiceUnit, officer: User
) -> None:
    service = service_with_adopted_standard(unit=unit_a)
    draft = start_standard_draft(service, actor=officer)
    new_requirements = [{"document_type": "ktp", "name": "KTP-el asli pemohon", "form": "original"}]

    updated = update_standard_draft(
        draft,
        actor=officer,
        published={"requirements": new_requirements},
        internal={"staff_count": "6 orang."},
        change_note="  Persyaratan disederhanakan. ",
    )

    assert updated.published["requirements"] == [
        {
            "document_type": "ktp",
            "name": "KTP-el asli pemohon",
            "form": "original",
            "issued_by": "",
            "condition": "",
            "note": "",
        }
    ]
    assert updated.published["procedure"] == complete_published()["procedure"]
    assert list(updated.published) == [
        "requirements",
        "procedure",
        "completion_time",
        "fee",
        "products",
        "complaint_channels",
    ]
    assert (updated.staff_count, updated.change_note) == ("6 orang.", "Persyaratan disederhanakan.")
    assert updated.facilities == COMPLETE_INTERNAL["facilities"]
    event = AuditEvent.objects.filter(action="catalog.standard_draft_updated").get()
    assert event.summary == {
        "service": service.slug,
        "version": 2,
        "components": ["change_note", "requirements", "staff_count"],
    }


def test_update_that_changes_nothing_records_nothing(unit_a: ServiceUnit, officer: User) -> None:
    draft = CompleteDraftStandardFactory(service__unit=unit_a)
    before = catalog_state()

    update_standard_draft(
        draft,
        actor=officer,
        published={"fee": complete_published()["fee"]},
        internal={"staff_count": COMPLETE_INTERNAL["staff_count"]},
    )

    assert catalog_state() == before


def test_a_draft_may_be_partial_and_empty_components_are_removed(unit_a: ServiceUnit, officer: User) -> None:
    draft = CompleteDraftStandardFactory(service__unit=unit_a)

    updated = update_standard_draft(draft, actor=officer, published={"products": [], "fee": None})

    assert "products" not in updated.published
    assert "fee" not in updated.published
    assert missing_components(updated) == ["fee", "products"]


def test_update_validates_each_component_with_field_paths(unit_a: ServiceUnit, officer: User) -> None:
    draft = ServiceStandardFactory(service__unit=unit_a)
    before = catalog_state()

    with pytest.raises(ValidationError) as raised:
        update_standard_draft(
            draft,
            actor=officer,
            published={
                "requirements": [
                    {"document_type": "ktp", "name": "KTP-el"},
                    {"document_type": "sim-kuda", "name": "  ", "form": "copy"},
                ],
                "procedure": [
                    {"actor": "citizen", "description": "Mengisi formulir."},
                    {"actor": "front_office", "description": "mengisi formulir."},
                ],
                "completion_time": {"value": 0, "unit": "working_days"},
                "fee": {
                    "is_free": True,
                    "items": [{"label": "Retribusi", "amount": 5, "legal_basis": "Perda"}],
                },
                "products": [{"name": "KK", "colour": "biru"}],
            },
        )

    assert _codes(raised.value) == {
        "requirements.1.document_type": ["enum"],
        "requirements.1.name": ["string_too_short"],
        "procedure": ["value_error"],
        "completion_time.value": ["greater_than"],
        "fee": ["value_error"],
        "products.0.colour": ["extra_forbidden"],
    }
    assert catalog_state() == before


def test_validation_messages_are_in_the_users_language(unit_a: ServiceUnit, officer: User) -> None:
    draft = ServiceStandardFactory(service__unit=unit_a)
    published = {"fee": {"is_free": False, "items": []}, "completion_time": {"value": 0, "unit": "hours"}}

    for language, expected in [
        ("en", ("A paid service lists at least one amount", "Enter a number greater than 0.")),
        ("id", ("Layanan berbayar mencantumkan paling sedikit satu jumlah", "Masukkan angka lebih dari 0.")),
    ]:
        with translation.override(language), pytest.raises(ValidationError) as raised:
            update_standard_draft(draft, actor=officer, published=published)
        messages = raised.value.message_dict
        assert messages["fee"][0].startswith(expected[0])
        assert messages["completion_time.value"] == [expected[1]]


def test_update_refuses_unknown_components(unit_a: ServiceUnit, officer: User) -> None:
    draft = ServiceStandardFactory(service__unit=unit_a)

    with pytest.raises(ValidationError) as published_error:
        update_standard_draft(draft, actor=officer, published={"opening_hours": "08.00"})
    with pytest.raises(ValidationError) as internal_error:
        update_standard_draft(draft, actor=officer, internal={"decree_number": "1/2026"})

    assert _codes(published_error.value) == {"opening_hours": ["unknown_component"]}
    assert _codes(internal_error.value) == {"decree_number": ["unknown_component"]}


@pytest.mark.parametrize("status", [Status.CONSULTATION, Status.ADOPTED, Status.SUPERSEDED])
def test_only_a_draft_is_changed(status: str, unit_a: ServiceUnit, officer: User) -> None:
    standard = CompleteDraftStandardFactory(
        service__unit=unit_a, status=status, decree_number=DECREE, decree_date=DECREE_DATE
    )
    before = catalog_state()

    with pytest.raises(ValidationError) as raised:
        update_standard_draft(standard, actor=officer, internal={"staff_count": "1 orang."})

    assert raised.value.code == "invalid_transition"
    assert catalog_state() == before


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_may_not_change_a_draft(persona: str, unit_a: ServiceUnit, request: Any) -> None:
    draft = ServiceStandardFactory(service__unit=unit_a)
    before = catalog_state()

    with pytest.raises(StandardPermissionDenied):
        update_standard_draft(draft, actor=request.getfixturevalue(persona), internal={"staff_count": "9"})

    assert catalog_state() == before


def test_agency_a_cannot_edit_agency_b_and_the_other_way_round(
    unit_a: ServiceUnit, unit_b: ServiceUnit, officer: User, other_agency_officer: User
) -> None:
    draft_a = ServiceStandardFactory(service__unit=unit_a)
    draft_b = ServiceStandardFactory(service__unit=unit_b)
    before = catalog_state()

    with pytest.raises(StandardPermissionDenied):
        update_standard_draft(draft_b, actor=officer, change_note="dari instansi A")
    with pytest.raises(StandardPermissionDenied):
        update_standard_draft(draft_a, actor=other_agency_officer, change_note="dari instansi B")

    assert catalog_state() == before
    update_standard_draft(draft_a, actor=officer, change_note="dari instansi A")
    update_standard_draft(draft_b, actor=other_agency_officer, change_note="dari instansi B")


def test_staff_of_another_unit_of_the_same_agency_may_not_edit(unit_a: ServiceUnit) -> None:
    sibling_unit = ServiceUnitFactory(agency=unit_a.agency)
    sibling_officer = staff_with_role(Role.BACK_OFFICE, unit=sibling_unit)
    draft = ServiceStandardFactory(service__unit=unit_a)

    with pytest.raises(StandardPermissionDenied):
        update_standard_draft(draft, actor=sibling_officer, change_note="x")


# --- consultation -------------------------------------------------------------------------------


def test_complete_draft_goes_to_consultation(unit_a: ServiceUnit, officer: User) -> None:
    draft = CompleteDraftStandardFactory(service__unit=unit_a)

    sent = send_standard_to_consultation(draft, actor=officer)

    assert sent.status == Status.CONSULTATION
    assert sent.consultation_started_at is not None
    event = AuditEvent.objects.get()
    assert event.action == "catalog.standard_sent_to_consultation"
    assert event.summary == {"service": draft.service.slug, "version": 1}


def test_incomplete_draft_does_not_go_to_consultation_and_says_what_is_missing(
    unit_a: ServiceUnit, officer: User
) -> None:
    draft = CompleteDraftStandardFactory(
        service__unit=unit_a,
        published=complete_published(products=[], complaint_channels=None),
        staff_count="  ",
    )
    before = catalog_state()

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        send_standard_to_consultation(draft, actor=officer)

    assert raised.value.code == "incomplete"
    assert raised.value.params == {"missing": ["products", "complaint_channels", "staff_count"]}
    assert raised.value.messages == [
        "The standard is not complete. Fill in: Service products, "
        "Handling of complaints, suggestions and feedback, Number of staff."
    ]
    assert catalog_state() == before


def test_consultation_goes_back_to_draft_for_revision(unit_a: ServiceUnit, front_officer: User) -> None:
    standard = CompleteDraftStandardFactory(service__unit=unit_a, status=Status.CONSULTATION)

    returned = return_standard_to_draft(standard, actor=front_officer)

    assert returned.status == Status.DRAFT
    assert AuditEvent.objects.get().action == "catalog.standard_returned_to_draft"
    update_standard_draft(returned, actor=front_officer, change_note="Masukan forum konsultasi publik.")


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_may_not_send_or_return(persona: str, unit_a: ServiceUnit, request: Any) -> None:
    actor = request.getfixturevalue(persona)
    draft = CompleteDraftStandardFactory(service__unit=unit_a)
    in_consultation = CompleteDraftStandardFactory(service__unit=unit_a, status=Status.CONSULTATION)
    before = catalog_state()

    with pytest.raises(StandardPermissionDenied):
        send_standard_to_consultation(draft, actor=actor)
    with pytest.raises(StandardPermissionDenied):
        return_standard_to_draft(in_consultation, actor=actor)

    assert catalog_state() == before


# --- adoption -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CONSULTATION])
def test_unit_head_adopts_and_the_previous_version_is_superseded(
    status: str, unit_a: ServiceUnit, unit_head: User
) -> None:
    service = service_with_adopted_standard(unit=unit_a)
    previous = service.adopted_standard
    assert previous is not None
    draft = start_standard_draft(service, actor=unit_head)
    if status == Status.CONSULTATION:
        draft = send_standard_to_consultation(draft, actor=unit_head)

    adopted = adopt_standard(draft, actor=unit_head, decree_number=f"  {DECREE} ", decree_date=DECREE_DATE)

    previous.refresh_from_db()
    service.refresh_from_db()
    assert (adopted.status, adopted.decree_number, adopted.decree_date) == (
        Status.ADOPTED,
        DECREE,
        DECREE_DATE,
    )
    assert (adopted.adopted_by, adopted.adopted_at is not None) == (unit_head, True)
    assert (previous.status, previous.superseded_at is not None) == (Status.SUPERSEDED, True)
    assert service.adopted_standard == adopted
    assert ServiceStandard.objects.filter(service=service, status=Status.ADOPTED).count() == 1
    event = AuditEvent.objects.filter(action="catalog.standard_adopted").get()
    assert event.summary == {
        "service": service.slug,
        "version": 2,
        "decree_number": DECREE,
        "decree_date": "2026-02-02",
        "superseded_version": 1,
    }


def test_first_adoption_supersedes_nothing(unit_a: ServiceUnit, unit_head: User) -> None:
    draft = CompleteDraftStandardFactory(service__unit=unit_a)

    adopt_standard(draft, actor=unit_head, decree_number=DECREE, decree_date=timezone.localdate())

    draft.service.refresh_from_db()
    assert draft.service.adopted_standard == draft
    assert AuditEvent.objects.get().summary["superseded_version"] is None


def test_system_may_adopt_for_imports(unit_a: ServiceUnit) -> None:
    draft = CompleteDraftStandardFactory(service__unit=unit_a)

    adopted = adopt_standard(draft, actor=None, decree_number=DECREE, decree_date=DECREE_DATE)

    assert adopted.adopted_by is None
    assert AuditEvent.objects.get().actor_label == "system"


@pytest.mark.parametrize("persona", ["front_officer", "officer", *OUTSIDERS])
def test_only_the_unit_head_adopts(persona: str, unit_a: ServiceUnit, request: Any) -> None:
    actor = request.getfixturevalue(persona)
    service = service_with_adopted_standard(unit=unit_a)
    draft = CompleteDraftStandardFactory(service=service)
    before = catalog_state()

    with pytest.raises(StandardPermissionDenied):
        adopt_standard(draft, actor=actor, decree_number=DECREE, decree_date=DECREE_DATE)

    assert catalog_state() == before


def test_head_of_another_unit_may_not_adopt(unit_a: ServiceUnit, unit_b: ServiceUnit) -> None:
    other_head = staff_with_role(Role.UNIT_HEAD, unit=unit_b)
    sibling_head = staff_with_role(Role.UNIT_HEAD, unit=ServiceUnitFactory(agency=unit_a.agency))
    draft = CompleteDraftStandardFactory(service__unit=unit_a)

    for head in (other_head, sibling_head):
        with pytest.raises(StandardPermissionDenied):
            adopt_standard(draft, actor=head, decree_number=DECREE, decree_date=DECREE_DATE)

    assert not AuditEvent.objects.exists()


def test_adoption_needs_a_complete_version(unit_a: ServiceUnit, unit_head: User) -> None:
    draft = ServiceStandardFactory(
        service__unit=unit_a, published=complete_published(), legal_basis="UU 25/2009"
    )
    before = catalog_state()

    with pytest.raises(ValidationError) as raised:
        adopt_standard(draft, actor=unit_head, decree_number=DECREE, decree_date=DECREE_DATE)

    assert raised.value.code == "incomplete"
    assert raised.value.params == {"missing": [key for key in INTERNAL_COMPONENTS if key != "legal_basis"]}
    assert catalog_state() == before


@pytest.mark.parametrize(
    ("number", "on", "expected"),
    [
        ("", DECREE_DATE, {"decree_number": ["decree_number_required"]}),
        ("   ", DECREE_DATE, {"decree_number": ["decree_number_required"]}),
        ("x" * 121, DECREE_DATE, {"decree_number": ["decree_number_too_long"]}),
        (
            DECREE,
            timezone.localdate() + datetime.timedelta(days=1),
            {"decree_date": ["decree_date_in_future"]},
        ),
        (
            "",
            timezone.localdate() + datetime.timedelta(days=3),
            {
                "decree_number": ["decree_number_required"],
                "decree_date": ["decree_date_in_future"],
            },
        ),
    ],
)
def test_adoption_needs_a_decree_number_and_a_date_not_in_the_future(
    number: str, on: datetime.date, expected: dict[str, list[str]], unit_a: ServiceUnit, unit_head: User
) -> None:
    draft = CompleteDraftStandardFactory(service__unit=unit_a)
    before = catalog_state()

    with pytest.raises(ValidationError) as raised:
        adopt_standard(draft, actor=unit_head, decree_number=number, decree_date=on)

    assert _codes(raised.value) == expected
    assert catalog_state() == before


def test_adoption_refreshes_search_after_commit(
    unit_a: ServiceUnit, unit_head: User, django_capture_on_commit_callbacks: Any
) -> None:
    draft: ServiceStandard = CompleteDraftStandardFactory(service__unit=unit_a)

    with (
        mock.patch.object(search, "invalidate_search_index", create=True) as invalidate,
        django_capture_on_commit_callbacks(execute=True),
    ):
        draft = update_standard_draft(draft, actor=unit_head, change_note="Tidak tampak publik.")
        assert invalidate.call_count == 0
        send_standard_to_consultation(draft, actor=unit_head)
        assert invalidate.call_count == 0
        adopt_standard(draft, actor=unit_head, decree_number=DECREE, decree_date=DECREE_DATE)

    invalidate.assert_called_once_with()


# --- The status machine: every transition from every status -----------------------------------


def _adopt(standard: ServiceStandard, actor: User) -> ServiceStandard:
    return adopt_standard(standard, actor=actor, decree_number=DECREE, decree_date=DECREE_DATE)


def _edit(standard: ServiceStandard, actor: User) -> ServiceStandard:
    return update_standard_draft(standard, actor=actor, change_note="Perubahan.")


TRANSITIONS: dict[str, tuple[Callable[[ServiceStandard, User], ServiceStandard], set[str], str | None]] = {
    # action: (function, statuses it starts from, status it ends in; None: stays)
    "edit": (_edit, {Status.DRAFT}, None),
    "consult": (lambda s, a: send_standard_to_consultation(s, actor=a), {Status.DRAFT}, Status.CONSULTATION),
    "return": (lambda s, a: return_standard_to_draft(s, actor=a), {Status.CONSULTATION}, Status.DRAFT),
    "adopt": (_adopt, {Status.DRAFT, Status.CONSULTATION}, Status.ADOPTED),
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_status_machine(action: str, status: str, unit_a: ServiceUnit, unit_head: User) -> None:
    function, allowed_from, ends_in = TRANSITIONS[action]
    service = ServiceFactory(unit=unit_a)
    standard = CompleteDraftStandardFactory(
        service=service,
        status=status,
        decree_number=DECREE if status in {Status.ADOPTED, Status.SUPERSEDED} else "",
        decree_date=DECREE_DATE if status in {Status.ADOPTED, Status.SUPERSEDED} else None,
    )
    if status == Status.ADOPTED:
        Service.objects.filter(pk=service.pk).update(adopted_standard=standard)
    before = catalog_state()

    if status in allowed_from:
        result = function(standard, unit_head)
        assert result.status == (ends_in or status)
    else:
        with pytest.raises(ValidationError) as raised:
            function(standard, unit_head)
        assert raised.value.code == "invalid_transition"
        assert catalog_state() == before


def test_superseded_and_adopted_versions_never_reopen(unit_a: ServiceUnit, unit_head: User) -> None:
    """There is no action that turns an adopted or superseded version back into an open one."""
    service = service_with_adopted_standard(unit=unit_a)
    adopted = service.adopted_standard
    assert adopted is not None

    with pytest.raises(ValidationError):
        return_standard_to_draft(adopted, actor=unit_head)
    with pytest.raises(ValidationError):
        send_standard_to_consultation(adopted, actor=unit_head)


def test_full_life_cycle_through_the_actions_keeps_every_constraint(
    unit_a: ServiceUnit, officer: User, unit_head: User
) -> None:
    service = ServiceFactory(unit=unit_a)
    for round_number in range(3):
        draft = start_standard_draft(service, actor=officer)
        draft = update_standard_draft(
            draft,
            actor=officer,
            published=complete_published(fee=paid_fee(10_000 * (round_number + 1))),
            internal=dict(COMPLETE_INTERNAL),
        )
        draft = send_standard_to_consultation(draft, actor=officer)
        draft = return_standard_to_draft(draft, actor=officer)
        _adopt(draft, unit_head)

    statuses = list(service.standards.order_by("version").values_list("version", "status"))
    assert statuses == [(1, Status.SUPERSEDED), (2, Status.SUPERSEDED), (3, Status.ADOPTED)]
    service.refresh_from_db()
    assert service.adopted_standard is not None
    assert service.adopted_standard.version == 3
    assert service.adopted_standard.published["fee"]["items"][0]["amount"] == 30_000


def test_missing_components_of_an_empty_draft_lists_all_fourteen(unit_a: ServiceUnit) -> None:
    draft = ServiceStandardFactory(service__unit=unit_a)

    assert len(missing_components(draft)) == 14
    assert missing_components(AdoptedStandardFactory(service__unit=unit_a)) == []
