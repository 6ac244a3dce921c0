"""Submission, references, service settings, assignment and claims (transitions: test_workflow_actions)."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from layanan.accounts.models import CitizenProfile, ServiceUnit, User
from layanan.applications.actions import (
    ServiceNotOpen,
    assign_application,
    claim_application,
    ensure_service_config,
    next_reference,
    reference_prefix_for,
    submit_application,
    transition_application,
    update_service_workflow,
)
from layanan.applications.models import Application, ApplicationDocument, ApplicationEvent
from layanan.applications.tests.factories import VALID_NIK, complete_answers, submit, vault_document
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import (
    ServiceFactory,
    complete_published,
    paid_fee,
    service_with_adopted_standard,
)
from layanan.core.crypto import blind_index
from layanan.core.references import check_secret, parse_reference
from layanan.notifications.models import Notification


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_with_adopted_standard(unit=unit_a, channel="both", slug="persetujuan-bangunan-gedung")


@pytest.mark.django_db
def test_submission_creates_a_case_with_reference_secret_shares_and_audit(
    service: Service, citizen: User
) -> None:
    submission = submit(service, citizen)
    application = submission.application

    assert submission.created
    assert submission.secret is not None
    assert check_secret(submission.secret, application.tracking_secret_digest)
    parsed = parse_reference(application.reference)
    assert parsed is not None
    assert application.reference.startswith("PBG-")
    assert application.state == "submitted"
    assert application.unit_id == service.unit_id
    assert application.fee_amount == 0
    assert application.applicant_nik_index == blind_index(VALID_NIK, purpose="nik")
    assert ApplicationDocument.objects.filter(application=application).count() == 2
    assert ApplicationEvent.objects.filter(case=application, to_state="submitted").count() == 1
    event = AuditEvent.objects.get(action="applications.submitted")
    assert VALID_NIK not in str(event.summary)
    assert Notification.objects.filter(template="application_received").count() == 1


@pytest.mark.django_db
def test_answers_are_encrypted_at_rest(service: Service, citizen: User) -> None:
    application = submit(service, citizen).application
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM applications_application WHERE id = %s", [application.pk])
        raw = cursor.fetchone()[0]
    assert VALID_NIK not in raw
    assert "Merdeka" not in raw
    assert Application.objects.get(pk=application.pk).answer_data()["nik"] == VALID_NIK


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_first_application(service: Service, citizen: User) -> None:
    answers = complete_answers(service, citizen)
    first = submit_application(
        service=service, applicant=citizen, answers=answers, actor=citizen, idempotency_key="k1"
    )
    again = submit_application(
        service=service, applicant=citizen, answers=answers, actor=citizen, idempotency_key="k1"
    )

    assert again.application.pk == first.application.pk
    assert not again.created
    assert again.secret is None
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_other_answers_is_refused(service: Service, citizen: User) -> None:
    answers = complete_answers(service, citizen)
    submit_application(
        service=service, applicant=citizen, answers=answers, actor=citizen, idempotency_key="k1"
    )
    with pytest.raises(ValidationError) as caught:
        submit_application(
            service=service,
            applicant=citizen,
            answers={**answers, "nama": "Someone Else"},
            actor=citizen,
            idempotency_key="k1",
        )
    assert caught.value.code == "idempotency_key_reused"
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_invalid_answers_and_foreign_documents_are_refused(
    service: Service, citizen: User, other_citizen: User
) -> None:
    answers = complete_answers(service, citizen)
    theirs = vault_document(other_citizen, "ktp")
    with pytest.raises(ValidationError) as caught:
        submit_application(
            service=service,
            applicant=citizen,
            answers={**answers, "nik": "123", "dok_1_ktp": str(theirs.public_id)},
            actor=citizen,
        )
    assert set(caught.value.message_dict) == {"nik", "dok_1_ktp"}
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_only_the_applicant_submits_online(
    service: Service, citizen: User, other_citizen: User, officer: User
) -> None:
    answers = complete_answers(service, citizen)
    for actor in (other_citizen, officer):
        with pytest.raises(PermissionDenied):
            submit_application(service=service, applicant=citizen, answers=answers, actor=actor)
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_counter_submission_needs_a_front_office_officer_and_consent(
    service: Service, citizen: User, front_officer: User, officer: User
) -> None:
    answers = complete_answers(service, citizen)
    with pytest.raises(PermissionDenied):
        submit_application(
            service=service,
            applicant=citizen,
            answers=answers,
            actor=officer,
            channel="counter",
            consent=True,
        )
    with pytest.raises(ValidationError):
        submit_application(
            service=service, applicant=citizen, answers=answers, actor=front_officer, channel="counter"
        )
    made = submit_application(
        service=service,
        applicant=citizen,
        answers=answers,
        actor=front_officer,
        channel="counter",
        consent=True,
    ).application
    assert made.consent_recorded_at is not None
    assert made.submitted_by == front_officer
    assert made.applicant == citizen


@pytest.mark.django_db
def test_services_that_take_no_online_applications(unit_a: ServiceUnit, citizen: User) -> None:
    counter_only = service_with_adopted_standard(unit=unit_a, channel="counter")
    with pytest.raises(ServiceNotOpen):
        submit(counter_only, citizen)
    no_standard = ServiceFactory(unit=unit_a, channel="online")
    with pytest.raises(ServiceNotOpen):
        ensure_service_config(no_standard)
    inactive = service_with_adopted_standard(unit=unit_a, channel="online", is_active=False)
    with pytest.raises(ServiceNotOpen):
        submit(inactive, citizen)


@pytest.mark.django_db
def test_fee_comes_from_the_standard(unit_a: ServiceUnit, citizen: User) -> None:
    service = ServiceFactory(unit=unit_a, channel="online")
    from layanan.catalog.tests.factories import AdoptedStandardFactory

    AdoptedStandardFactory(service=service, published=complete_published(fee=paid_fee(75_000)))
    service.refresh_from_db()
    assert submit(service, citizen).application.fee_amount == 75_000


@pytest.mark.django_db
def test_references_count_up_per_prefix_and_year() -> None:
    from django.db import transaction

    with transaction.atomic():
        first = next_reference("PBG", 2026)
        second = next_reference("PBG", 2026)
        other_year = next_reference("PBG", 2027)
    assert first == "PBG-2026-000001-" + first[-1]
    assert parse_reference(second) is not None
    assert second.split("-")[2] == "000002"
    assert other_year.split("-")[2] == "000001"


@pytest.mark.django_db
def test_prefix_and_workflow_are_seeded_from_the_service(service: Service) -> None:
    config = ensure_service_config(service)
    assert config.reference_prefix == "PBG"
    definition = config.workflow.parsed()
    assert definition.overall_deadline_working_days == 3  # the standard's completion time
    assert ensure_service_config(service).pk == config.pk
    assert reference_prefix_for(ServiceFactory.build(slug="ktp")) == "KTP"


@pytest.mark.django_db
def test_workflow_edits_add_a_version_and_running_cases_keep_theirs(
    service: Service, citizen: User, unit_head: User, officer: User
) -> None:
    running = submit(service, citizen).application
    definition = ensure_service_config(service).workflow.parsed()
    changed = dataclasses.replace(definition, overall_deadline_working_days=10)
    with pytest.raises(PermissionDenied):
        update_service_workflow(service, changed, actor=officer)
    config = update_service_workflow(service, changed, actor=unit_head)
    assert config.workflow.version == 2
    running.refresh_from_db()
    assert running.workflow.version == 1
    assert AuditEvent.objects.filter(action="applications.workflow_updated").count() == 1


@pytest.mark.django_db
def test_assignment_rules(
    service: Service, citizen: User, officer: User, unit_head: User, other_agency_officer: User
) -> None:
    application = submit(service, citizen).application
    with pytest.raises(PermissionDenied):
        assign_application(application, assignee=other_agency_officer, actor=other_agency_officer)
    assign_application(application, assignee=officer, actor=officer)
    application.refresh_from_db()
    assert application.assigned_to == officer
    with pytest.raises(ValidationError):
        assign_application(application, assignee=other_agency_officer, actor=unit_head)
    assign_application(application, assignee=unit_head, actor=unit_head)
    application.refresh_from_db()
    assert application.assigned_to == unit_head
    assert AuditEvent.objects.filter(action="applications.assigned").count() == 2


@pytest.mark.django_db
def test_claim_needs_the_secret_and_the_same_nik(
    service: Service, citizen: User, other_citizen: User, front_officer: User
) -> None:
    made = submit_application(
        service=service,
        applicant=citizen,
        answers=complete_answers(service, citizen),
        actor=front_officer,
        channel="counter",
        consent=True,
    )
    application, secret = made.application, made.secret
    assert secret is not None
    CitizenProfile.objects.create(
        user=other_citizen, nik="3515144508680002", nik_index=blind_index("3515144508680002", purpose="nik")
    )
    with pytest.raises(ValidationError):
        claim_application(application, secret=secret, actor=other_citizen)
    profile = other_citizen.citizen_profile
    profile.nik, profile.nik_index = VALID_NIK, blind_index(VALID_NIK, purpose="nik")
    profile.save()
    with pytest.raises(ValidationError):
        claim_application(application, secret="WRONGCODE", actor=other_citizen)
    claimed = claim_application(application, secret=secret, actor=other_citizen)
    assert claimed.applicant == other_citizen
    assert AuditEvent.objects.filter(action="applications.claimed").count() == 1


@pytest.mark.django_db
def test_transition_writes_timeline_audit_and_notification(
    service: Service, citizen: User, officer: User
) -> None:
    application = submit(service, citizen).application
    moved = transition_application(application, "start_check", actor=officer)
    assert moved.state == "completeness_check"
    assert moved.step_due_date is not None
    assert AuditEvent.objects.filter(action="applications.start_check").count() == 1
    assert Notification.objects.filter(template="application_state").count() == 1
    with pytest.raises(ValidationError) as caught:
        transition_application(moved, "return_for_correction", actor=officer, note="  ")
    assert caught.value.code == "note_required"
    assert Application.objects.get(pk=application.pk).state == "completeness_check"


@pytest.mark.django_db
def test_a_walk_in_registered_without_phone_takes_over_the_counter_account(
    service: Service, citizen: User, front_officer: User
) -> None:
    from layanan.accounts.actions.profile import register_walk_in_citizen
    from layanan.vault.models import VaultDocument

    walk_in = register_walk_in_citizen(
        full_name="Sri Lestari", nik=VALID_NIK, phone="", address="Jl. Mawar 2", actor=front_officer
    )
    made = submit_application(
        service=service,
        applicant=walk_in,
        answers=complete_answers(service, walk_in),
        actor=front_officer,
        channel="counter",
        consent=True,
    )
    assert made.secret is not None
    # ``citizen`` signed up online with e-mail and has no NIK: the NIK belongs to the counter account.
    with pytest.raises(ValidationError):
        claim_application(made.application, secret=made.secret, actor=citizen)
    with pytest.raises(ValidationError):
        claim_application(made.application, secret=made.secret, actor=citizen, nik="3515144508680002")
    claimed = claim_application(made.application, secret=made.secret, actor=citizen, nik=VALID_NIK)

    assert claimed.applicant == citizen
    citizen.refresh_from_db()
    assert citizen.citizen_profile.nik == VALID_NIK
    walk_in.refresh_from_db()
    assert not walk_in.is_active
    assert not VaultDocument.objects.filter(owner=walk_in).exists()
    assert VaultDocument.objects.filter(owner=citizen).count() == 2
    assert AuditEvent.objects.filter(action="applications.walk_in_account_merged").count() == 1


@pytest.mark.django_db
def test_an_account_someone_can_sign_in_to_is_never_taken_over(
    service: Service, citizen: User, other_citizen: User
) -> None:
    made = submit(service, other_citizen)  # other_citizen signs in: not a walk-in account
    assert made.secret is not None
    with pytest.raises(ValidationError):
        claim_application(made.application, secret=made.secret, actor=citizen, nik=VALID_NIK)
    made.application.refresh_from_db()
    assert made.application.applicant == other_citizen
